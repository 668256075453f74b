/*
 * crypto/canon.c - the SigV4 canonical request and string to sign.
 *
 * Canonical request:
 *   METHOD \n canonical-uri \n canonical-query \n
 *   name:value \n ... (one line per signed header, in the order of signed_headers) \n
 *   signed_headers \n payload_hash
 * A header value is trimmed and every run of spaces, tabs, CR and LF inside it becomes one
 * space (this also folds obsolete multi-line continuations); repeated headers are joined
 * with ',' in the order given.
 * Invariant: on failure out is restored to its previous length.
 */
#include "hash_internal.h"
#include "sigv4_internal.h"

#include <string.h>

static bool name_ieq(const char *a, size_t al, const char *b, size_t bl)
{
    if (al != bl) {
        return false;
    }
    for (size_t i = 0; i < al; i++) {
        char x = a[i], y = b[i];
        if (x >= 'A' && x <= 'Z') {
            x = (char)(x + 32);
        }
        if (y >= 'A' && y <= 'Z') {
            y = (char)(y + 32);
        }
        if (x != y) {
            return false;
        }
    }
    return true;
}

static bedrock_code append_folded(struct brk_buf *out, const char *v, size_t n)
{
    bedrock_code rc = brk_buf_reserve(out, n); /* folding only shrinks */
    if (rc != BEDROCK_OK) {
        return rc;
    }
    char *end = brk_sigv4_put_folded(out->data + out->len, v, n);
    out->len = (size_t)(end - out->data);
    out->data[out->len] = '\0';
    return BEDROCK_OK;
}

/* One "name:v1,v2\n" line for the signed header name (already lower-case). Reserves once
 * (values only shrink when folded), then writes in place. */
static bedrock_code header_line(struct brk_buf *out, const char *name, size_t nl,
                                const struct brk_header *headers, size_t n_headers)
{
    size_t need = nl + 2, found = 0;
    for (size_t i = 0; i < n_headers; i++) {
        if (name_ieq(headers[i].name, headers[i].name_len, name, nl)) {
            need += headers[i].value_len + 1;
            found++;
        }
    }
    if (found == 0) {
        return BEDROCK_E_PARSE; /* a signed header the request does not carry */
    }
    bedrock_code rc = brk_buf_reserve(out, need);
    if (rc != BEDROCK_OK) {
        return rc;
    }
    memcpy(out->data + out->len, name, nl);
    out->len += nl;
    out->data[out->len++] = ':';
    found = 0;
    for (size_t i = 0; i < n_headers; i++) {
        if (!name_ieq(headers[i].name, headers[i].name_len, name, nl)) {
            continue;
        }
        if (found++ > 0) {
            out->data[out->len++] = ',';
        }
        /* cannot fail: the room was reserved above */
        (void)append_folded(out, headers[i].value, headers[i].value_len);
    }
    out->data[out->len++] = '\n';
    out->data[out->len] = '\0';
    return BEDROCK_OK;
}

static bedrock_code canonical_headers(struct brk_buf *out, const struct brk_header *headers,
                                      size_t n_headers, const char *signed_headers)
{
    const char *p = signed_headers;
    if (*p == '\0') {
        return BEDROCK_E_PARSE;
    }
    for (;;) {
        const char *end = strchr(p, ';');
        size_t nl = end != NULL ? (size_t)(end - p) : strlen(p);
        if (nl == 0) {
            return BEDROCK_E_PARSE;
        }
        bedrock_code rc = header_line(out, p, nl, headers, n_headers);
        if (rc != BEDROCK_OK) {
            return rc;
        }
        if (end == NULL) {
            return BEDROCK_OK;
        }
        p = end + 1;
    }
}

static bedrock_code build_request(struct brk_buf *out, const char *method, const char *path,
                                  const char *canonical_query, const struct brk_header *headers,
                                  size_t n_headers, const char *signed_headers,
                                  const char *payload_hash, bool normalize)
{
    const char *const head[] = { method, "\n", NULL };
    bedrock_code rc = brk_sigv4_append_all(out, head);
    if (rc == BEDROCK_OK) {
        rc = brk_sigv4_canonical_uri(out, path, normalize);
    }
    if (rc == BEDROCK_OK) {
        const char *const mid[] = { "\n", canonical_query != NULL ? canonical_query : "", "\n",
                                    NULL };
        rc = brk_sigv4_append_all(out, mid);
    }
    if (rc == BEDROCK_OK) {
        rc = canonical_headers(out, headers, n_headers, signed_headers);
    }
    if (rc == BEDROCK_OK) {
        const char *const tail[] = { "\n", signed_headers, "\n", payload_hash, NULL };
        rc = brk_sigv4_append_all(out, tail);
    }
    return rc;
}

bedrock_code brk_sigv4_canonical_request(struct brk_buf *out, const char *method, const char *path,
                                         const char *canonical_query,
                                         const struct brk_header *headers, size_t n_headers,
                                         const char *signed_headers, const char *payload_hash,
                                         bool normalize)
{
    if (method == NULL || signed_headers == NULL || payload_hash == NULL ||
        (headers == NULL && n_headers > 0)) {
        return BEDROCK_E_INVALID_ARG;
    }
    size_t start = out->len;
    bedrock_code rc = build_request(out, method, path, canonical_query, headers, n_headers,
                                    signed_headers, payload_hash, normalize);
    if (rc != BEDROCK_OK && out->data != NULL) {
        out->len = start;
        out->data[start] = '\0';
    }
    return rc;
}

bedrock_code brk_sigv4_sts_ctx(EVP_MD_CTX *ctx, struct brk_buf *out, const char *amz_date,
                               const char *scope, const struct brk_buf *canonical_request)
{
    uint8_t digest[32];
    char hex[65];
    const char *data = canonical_request->data != NULL ? canonical_request->data : "";
    if (!brk_sha256_ctx2(ctx, data, canonical_request->len, NULL, 0, digest)) {
        return BEDROCK_E_INTERNAL;
    }
    brk_hex_encode(digest, sizeof(digest), hex);
    const char *const parts[] = {
        BRK_SIGV4_ALGORITHM "\n", amz_date, "\n", scope, "\n", hex, NULL
    };
    return brk_sigv4_append_all(out, parts);
}

bedrock_code brk_sigv4_string_to_sign(struct brk_buf *out, const char *amz_date, const char *scope,
                                      const struct brk_buf *canonical_request)
{
    if (amz_date == NULL || scope == NULL || canonical_request == NULL) {
        return BEDROCK_E_INVALID_ARG;
    }
    EVP_MD_CTX *ctx = EVP_MD_CTX_new();
    if (ctx == NULL) {
        return BEDROCK_E_NOMEM;
    }
    bedrock_code rc = brk_sigv4_sts_ctx(ctx, out, amz_date, scope, canonical_request);
    EVP_MD_CTX_free(ctx);
    return rc;
}
