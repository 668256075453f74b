/*
 * fuzz/fuzz_emu_auth.c - authentication inputs: line 1 is an Authorization header value, line 2
 * an X-Amz-Date, line 3 a raw query string, the rest a form body. Drives the SigV4 header
 * parser, the form/query decoder, presigned-query and Bearer verification via a sockets-free
 * request to the router. Invariant: no crash, no leak.
 */
#include "crypto/sigv4.h"
#include "emulator/form.h"
#include "emulator/server.h"
#include "fuzz_emu_common.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char *next_line(char **p)
{
    char *s = *p;
    char *nl = strchr(s, '\n');
    if (nl != NULL) {
        *nl = '\0';
        *p = nl + 1;
    } else {
        *p = s + strlen(s);
    }
    return s;
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
    char *p = buf;
    char *auth = next_line(&p);
    char *date = next_line(&p);
    char *query = next_line(&p);
    char *body = p;
    struct brk_sigv4_auth a;
    if (brk_sigv4_parse_authorization(auth, strlen(auth), &a) == BEDROCK_OK &&
        a.signature.len > 4096) {
        abort(); /* slices point into auth */
    }
    struct emu_form f;
    if (emu_form_parse(query, strlen(query), &f) == BEDROCK_OK) {
        emu_form_cleanup(&f);
    }
    char uri[8192];
    snprintf(uri, sizeof(uri), "/?%s", query);
    struct brk_header h[4] = {
        { "Host", 4, "127.0.0.1:1", 11 },
        { "Authorization", 13, auth, strlen(auth) },
        { "X-Amz-Date", 10, date, strlen(date) },
        { "Content-Type", 12, "application/x-www-form-urlencoded", 33 },
    };
    size_t nh = auth[0] != '\0' ? 4 : 1;
    if (nh == 1) {
        h[1] = h[3];
        nh = 2;
    }
    struct emu_request *req =
        emu_request_new(fuzz_emu_server(), "POST", uri, h, nh, (const uint8_t *)body, strlen(body));
    if (req != NULL) {
        emu_request_dispatch(req);
    }
    free(buf);
    return 0;
}
