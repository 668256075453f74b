/*
 * crypto/canon_query.c - the SigV4 canonical query string.
 *
 * Each "key[=value]" piece of the raw query is percent-decoded and re-encoded with the SigV4
 * rules (so "%E1%88%B4" and raw UTF-8 both become "%E1%88%B4"); a piece without '=' gets an
 * empty value; empty pieces ("a&&b") are ignored. Pairs are sorted by encoded key, then by
 * encoded value (byte order), and joined as "k=v&k=v".
 * Invariant: on failure out keeps its previous contents; a bad escape is BEDROCK_E_PARSE.
 */
#include "../core/alloc.h"
#include "../core/hex.h"
#include "../core/limits.h"
#include "sigv4_internal.h"

#include <stdlib.h>
#include <string.h>

#define STACK_PARAMS 16

struct qparam {
    const char *k;
    size_t kl;
    const char *v;
    size_t vl;
    size_t koff; /* offsets into the scratch buffer until it stops growing */
    size_t voff;
};

/* Decode-then-encode in one pass: out gets the SigV4 encoding of the decoded bytes of s. */
static bedrock_code reencode(struct brk_buf *out, const char *s, size_t n)
{
    static const char hex[] = "0123456789ABCDEF";
    size_t need = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == '%') {
            if (i + 2 >= n || brk_hexval(s[i + 1]) < 0 || brk_hexval(s[i + 2]) < 0) {
                return BEDROCK_E_PARSE;
            }
            c = (unsigned char)(brk_hexval(s[i + 1]) * 16 + brk_hexval(s[i + 2]));
            i += 2;
        }
        need += brk_sigv4_unreserved(c) ? 1 : 3;
    }
    bedrock_code rc = brk_buf_reserve(out, need);
    if (rc != BEDROCK_OK) {
        return rc;
    }
    char *p = out->data + out->len;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == '%') {
            c = (unsigned char)(brk_hexval(s[i + 1]) * 16 + brk_hexval(s[i + 2]));
            i += 2;
        }
        if (brk_sigv4_unreserved(c)) {
            *p++ = (char)c;
        } else {
            *p++ = '%';
            *p++ = hex[c >> 4];
            *p++ = hex[c & 0x0f];
        }
    }
    out->len += need;
    out->data[out->len] = '\0';
    return BEDROCK_OK;
}

static int cmp_bytes(const char *a, size_t al, const char *b, size_t bl)
{
    int c = memcmp(a, b, al < bl ? al : bl);
    if (c != 0) {
        return c;
    }
    return al < bl ? -1 : (al > bl ? 1 : 0);
}

static int cmp_param(const void *pa, const void *pb)
{
    const struct qparam *a = pa;
    const struct qparam *b = pb;
    int c = cmp_bytes(a->k, a->kl, b->k, b->kl);
    return c != 0 ? c : cmp_bytes(a->v, a->vl, b->v, b->vl);
}

static bool skipped(const char *k, size_t kl, const char *const *skip)
{
    for (size_t i = 0; skip != NULL && skip[i] != NULL; i++) {
        if (strlen(skip[i]) == kl && memcmp(skip[i], k, kl) == 0) {
            return true;
        }
    }
    return false;
}

static size_t count_pieces(const char *q)
{
    size_t n = 1;
    for (const char *p = q; *p != '\0'; p++) {
        n += *p == '&';
    }
    return n;
}

/* Splits, re-encodes and records every kept pair. Fills *np. */
static bedrock_code collect(const char *query, const char *const *skip, struct brk_buf *scratch,
                            struct qparam *params, size_t *np)
{
    size_t n = 0;
    const char *p = query;
    while (*p != '\0') {
        const char *end = strchr(p, '&');
        size_t len = end != NULL ? (size_t)(end - p) : strlen(p);
        const char *eq = memchr(p, '=', len);
        size_t kl = eq != NULL ? (size_t)(eq - p) : len;
        if (len > 0) {
            struct qparam *q = &params[n];
            q->koff = scratch->len;
            bedrock_code rc = reencode(scratch, p, kl);
            if (rc != BEDROCK_OK) {
                return rc;
            }
            q->kl = scratch->len - q->koff;
            q->voff = scratch->len;
            if (eq != NULL) {
                rc = reencode(scratch, eq + 1, len - kl - 1);
                if (rc != BEDROCK_OK) {
                    return rc;
                }
            }
            q->vl = scratch->len - q->voff;
            if (skipped(scratch->data + q->koff, q->kl, skip)) {
                scratch->len = q->koff;
                scratch->data[scratch->len] = '\0';
            } else {
                n++;
            }
        }
        p += len;
        if (*p == '&') {
            p++;
        }
    }
    *np = n;
    return BEDROCK_OK;
}

static bedrock_code emit(struct brk_buf *out, struct qparam *params, size_t n)
{
    size_t need = n > 0 ? n * 2 - 1 : 0;
    for (size_t i = 0; i < n; i++) {
        need += params[i].kl + params[i].vl;
    }
    bedrock_code rc = brk_buf_reserve(out, need);
    for (size_t i = 0; rc == BEDROCK_OK && i < n; i++) {
        char *p = out->data + out->len;
        if (i > 0) {
            *p++ = '&';
        }
        memcpy(p, params[i].k, params[i].kl);
        p += params[i].kl;
        *p++ = '=';
        memcpy(p, params[i].v, params[i].vl);
        p += params[i].vl;
        out->len = (size_t)(p - out->data);
        out->data[out->len] = '\0';
    }
    return rc;
}

bedrock_code brk_sigv4_canonical_query(struct brk_buf *out, const char *query,
                                       const char *const *skip)
{
    if (query == NULL || query[0] == '\0') {
        return brk_buf_reserve(out, 0);
    }
    struct qparam stack_params[STACK_PARAMS];
    struct qparam *params = stack_params;
    struct brk_buf scratch = BRK_BUF(BRK_MAX_SIGV4_BYTES);
    size_t cap = count_pieces(query), n = 0;
    bedrock_code rc = BEDROCK_OK;
    if (cap > STACK_PARAMS) {
        params = brk_calloc(cap, sizeof(*params));
        if (params == NULL) {
            rc = BEDROCK_E_NOMEM;
            goto out;
        }
    }
    rc = collect(query, skip, &scratch, params, &n);
    if (rc != BEDROCK_OK) {
        goto out;
    }
    for (size_t i = 0; i < n; i++) {
        params[i].k = scratch.data + params[i].koff;
        params[i].v = scratch.data + params[i].voff;
    }
    if (n > 1) {
        qsort(params, n, sizeof(*params), cmp_param);
    }
    rc = emit(out, params, n);
out:
    if (params != stack_params) {
        brk_free(params);
    }
    brk_buf_cleanup(&scratch);
    return rc;
}
