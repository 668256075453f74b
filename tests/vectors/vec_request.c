/*
 * tests/vectors/vec_request.c - parser for the SigV4 vector request files (see the header).
 * Test-only code: plain malloc, fixed header limit, returns false on anything unexpected.
 */
#include "vec_request.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

char *vec_read_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (f == NULL) {
        return NULL;
    }
    size_t cap = 4096, n = 0;
    char *buf = malloc(cap + 1);
    while (buf != NULL) {
        size_t got = fread(buf + n, 1, cap - n, f);
        n += got;
        if (got == 0) {
            break;
        }
        if (n == cap) {
            char *nb = realloc(buf, cap * 2 + 1);
            if (nb == NULL) {
                free(buf);
                buf = NULL;
                break;
            }
            buf = nb;
            cap *= 2;
        }
    }
    fclose(f);
    if (buf != NULL) {
        buf[n] = '\0';
        if (len != NULL) {
            *len = n;
        }
    }
    return buf;
}

static bool parse_request_line(struct vec_request *r, char *line)
{
    char *sp1 = strchr(line, ' ');
    char *sp2 = strrchr(line, ' ');
    if (sp1 == NULL || sp2 == sp1) {
        return false;
    }
    *sp1 = '\0';
    *sp2 = '\0';
    r->method = line;
    r->target = sp1 + 1;
    char *q = strchr(r->target, '?');
    size_t pl = q != NULL ? (size_t)(q - r->target) : strlen(r->target);
    r->path = strndup(r->target, pl);
    r->query = strdup(q != NULL ? q + 1 : "");
    return r->path != NULL && r->query != NULL;
}

bool vec_request_parse(struct vec_request *r, const char *text, size_t len)
{
    memset(r, 0, sizeof(*r));
    r->text = malloc(len + 1);
    if (r->text == NULL) {
        return false;
    }
    memcpy(r->text, text, len);
    r->text[len] = '\0';
    char *p = r->text, *end = r->text + len;
    char *nl = memchr(p, '\n', (size_t)(end - p));
    if (nl == NULL) {
        nl = end;
    }
    *nl = '\0';
    if (!parse_request_line(r, p)) {
        return false;
    }
    p = nl < end ? nl + 1 : end;
    while (p < end) {
        nl = memchr(p, '\n', (size_t)(end - p));
        char *line_end = nl != NULL ? nl : end;
        if (line_end == p) { /* blank line: body follows */
            r->body = p + 1 <= end ? p + 1 : end;
            r->body_len = (size_t)(end - r->body);
            return true;
        }
        if ((*p == ' ' || *p == '\t') && r->n_headers > 0) {
            /* continuation: extend the previous value over the LF in place */
            struct brk_header *h = &r->headers[r->n_headers - 1];
            h->value_len = (size_t)(line_end - h->value);
        } else {
            char *colon = memchr(p, ':', (size_t)(line_end - p));
            if (colon == NULL || r->n_headers == VEC_MAX_HEADERS) {
                return false;
            }
            struct brk_header *h = &r->headers[r->n_headers++];
            h->name = p;
            h->name_len = (size_t)(colon - p);
            h->value = colon + 1;
            h->value_len = (size_t)(line_end - colon - 1);
        }
        p = line_end < end ? line_end + 1 : end;
    }
    r->body = end;
    r->body_len = 0;
    return true;
}

void vec_request_free(struct vec_request *r)
{
    free(r->text);
    free(r->path);
    free(r->query);
    memset(r, 0, sizeof(*r));
}

char *vec_request_header(const struct vec_request *r, const char *name)
{
    for (size_t i = 0; i < r->n_headers; i++) {
        const struct brk_header *h = &r->headers[i];
        if (h->name_len == strlen(name) && strncasecmp(h->name, name, h->name_len) == 0) {
            return strndup(h->value, h->value_len);
        }
    }
    return NULL;
}
