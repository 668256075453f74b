/*
 * fuzz/fuzz_emu_request.c - a raw HTTP/1.1 request (request line, headers, blank line, body)
 * through the emulator's request building, routing, verification and handlers, without
 * sockets. One in-memory server is built once and reused (kept reachable: not a leak).
 * Invariant: no crash, no leak, every request gets exactly one status.
 */
#include "core/alloc.h"
#include "emulator/server.h"
#include "fuzz_emu_common.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_HEADERS 64

static const char *line_end(const char *p, const char *end)
{
    const char *nl = memchr(p, '\n', (size_t)(end - p));
    return nl != NULL ? nl : end;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *buf = malloc(size + 1);
    if (buf == NULL) {
        return 0;
    }
    memcpy(buf, data, size);
    buf[size] = '\0';
    const char *p = buf, *end = buf + size;
    const char *le = line_end(p, end);
    char line[2048];
    snprintf(line, sizeof(line), "%.*s", (int)(le - p), p);
    char *sp1 = strchr(line, ' ');
    char *sp2 = sp1 != NULL ? strchr(sp1 + 1, ' ') : NULL;
    if (sp1 == NULL) {
        free(buf);
        return 0;
    }
    *sp1 = '\0';
    if (sp2 != NULL) {
        *sp2 = '\0';
    }
    const char *method = line, *uri = sp1 + 1;
    struct brk_header h[MAX_HEADERS];
    size_t nh = 0;
    p = le < end ? le + 1 : end;
    while (p < end && nh < MAX_HEADERS) {
        le = line_end(p, end);
        size_t len = (size_t)(le - p);
        if (len > 0 && p[len - 1] == '\r') {
            len--;
        }
        if (len == 0) {
            p = le < end ? le + 1 : end;
            break;
        }
        const char *colon = memchr(p, ':', len);
        if (colon != NULL) {
            const char *v = colon + 1;
            while (v < p + len && *v == ' ') {
                v++;
            }
            h[nh].name = p;
            h[nh].name_len = (size_t)(colon - p);
            h[nh].value = v;
            h[nh].value_len = (size_t)(p + len - v);
            nh++;
        }
        p = le < end ? le + 1 : end;
    }
    struct emu_request *req = emu_request_new(fuzz_emu_server(), method, uri, h, nh,
                                              (const uint8_t *)p, (size_t)(end - p));
    if (req != NULL) {
        emu_request_dispatch(req);
    }
    free(buf);
    return 0;
}
