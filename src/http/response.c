/*
 * http/response.c - the response object: owned header copies and the buffered body.
 *
 * Invariants: headers[0..n_headers) are owned NUL-terminated copies (names as received);
 * body keeps its BRK_MAX_RESPONSE_BYTES ceiling; cleanup leaves a struct that can be
 * cleaned again or reused after brk_http_response_init().
 */
#include "core/alloc.h"
#include "core/limits.h"
#include "http_internal.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

void brk_http_response_init(struct brk_http_response *resp)
{
    memset(resp, 0, sizeof(*resp));
    brk_buf_init(&resp->body, BRK_MAX_RESPONSE_BYTES);
}

static void free_headers(struct brk_http_response *resp)
{
    for (size_t i = 0; i < resp->n_headers; i++) {
        brk_free(resp->headers[i].name);
        brk_free(resp->headers[i].value);
    }
    brk_free(resp->headers);
    resp->headers = NULL;
    resp->n_headers = 0;
}

void brk_http_response_cleanup(struct brk_http_response *resp)
{
    if (resp == NULL) {
        return;
    }
    free_headers(resp);
    brk_buf_cleanup(&resp->body);
    brk_http_response_init(resp);
}

const char *brk_http_response_header(const struct brk_http_response *resp, const char *name)
{
    if (resp == NULL || name == NULL) {
        return NULL;
    }
    for (size_t i = 0; i < resp->n_headers; i++) {
        if (strcasecmp(resp->headers[i].name, name) == 0) {
            return resp->headers[i].value;
        }
    }
    return NULL;
}

bedrock_code brk_http_response_add_header(struct brk_http_response *resp, const char *name,
                                          size_t name_len, const char *value, size_t value_len)
{
    if (resp->n_headers >= BRK_HTTP_MAX_HEADERS || name_len > BRK_MAX_SMALL ||
        value_len > BRK_MAX_HEADER_BYTES) {
        return BEDROCK_E_LIMIT;
    }
    char *n = brk_strndup(name, name_len);
    char *v = brk_strndup(value, value_len);
    struct brk_http_header_copy *grown =
        n != NULL && v != NULL
            ? brk_realloc(resp->headers, (resp->n_headers + 1) * sizeof(*resp->headers))
            : NULL;
    if (grown == NULL) {
        brk_free(n);
        brk_free(v);
        return BEDROCK_E_NOMEM;
    }
    resp->headers = grown;
    resp->headers[resp->n_headers].name = n;
    resp->headers[resp->n_headers].value = v;
    resp->n_headers++;
    return BEDROCK_OK;
}

void brk_http_response_reset_headers(struct brk_http_response *resp)
{
    free_headers(resp);
}

long brk_http_retry_after_ms(const struct brk_http_response *resp)
{
    const char *v = brk_http_response_header(resp, "x-amz-retry-after");
    if (v == NULL || v[0] < '0' || v[0] > '9') {
        return -1;
    }
    char *end = NULL;
    errno = 0;
    long ms = strtol(v, &end, 10);
    if (errno != 0 || end == v || (*end != '\0' && *end != ' ')) {
        return -1;
    }
    return ms;
}
