/*
 * crypto/sign_canon.c - the signer's canonical request and signed-header list, written in one
 * pass over its header list already sorted by lower-case name.
 *
 * Produces exactly what brk_sigv4_canonical_request (canon.c) produces for the signed headers
 * written here (same value folding, repeated headers joined with ',' in list order): the
 * verifier keeps the general path, the signer skips re-parsing its own signed-header list
 * and the per-name rescans. The AWS vectors and test_sigv4 cover both paths.
 * Invariants: each output buffer is reserved once for the whole text (no growth while
 * writing); on failure the caller empties both buffers.
 */
#include "sigv4_internal.h"

#include <string.h>

static char lower(char c)
{
    return c >= 'A' && c <= 'Z' ? (char)(c + 32) : c;
}

static bool same_name(const struct brk_header *a, const struct brk_header *b)
{
    if (a->name_len != b->name_len) {
        return false;
    }
    for (size_t i = 0; i < a->name_len; i++) {
        if (lower(a->name[i]) != lower(b->name[i])) {
            return false;
        }
    }
    return true;
}

static bool is_ws(char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

/* The value trimmed, inner whitespace runs folded to one space, written at p; returns the end.
 * Values without any byte <= ' ' (the usual case) are copied as they are. */
char *brk_sigv4_put_folded(char *p, const char *v, size_t n)
{
    size_t k = 0;
    while (k < n && (unsigned char)v[k] > ' ') {
        k++;
    }
    if (k == n) {
        if (n > 0) {
            memcpy(p, v, n);
        }
        return p + n;
    }
    size_t i = 0;
    while (i < n && is_ws(v[i])) {
        i++;
    }
    bool pending_space = false;
    for (; i < n; i++) {
        if (is_ws(v[i])) {
            pending_space = true;
            continue;
        }
        if (pending_space) {
            *p++ = ' ';
            pending_space = false;
        }
        *p++ = v[i];
    }
    return p;
}

static char *put_lower(char *p, const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        p[i] = lower(s[i]);
    }
    return p + n;
}

static bool add_size(size_t *acc, size_t n)
{
    if (n > SIZE_MAX - *acc) {
        return false;
    }
    *acc += n;
    return true;
}

/* Room for the header lines: name ':' value and '\n' (or ',') per header. */
static bool header_room(const struct brk_sign_canon *in, size_t *need)
{
    for (size_t i = 0; i < in->n; i++) {
        const struct brk_header *h = &in->hdrs[i];
        if (!add_size(need, h->name_len) || !add_size(need, h->value_len) || !add_size(need, 2)) {
            return false;
        }
    }
    return true;
}

static bool first_of_name(const struct brk_sign_canon *in, size_t i)
{
    return i == 0 || !same_name(&in->hdrs[in->order[i - 1]], &in->hdrs[in->order[i]]);
}

static char *write_headers(const struct brk_sign_canon *in, char *p)
{
    for (size_t i = 0; i < in->n; i++) {
        const struct brk_header *h = &in->hdrs[in->order[i]];
        if (!first_of_name(in, i)) {
            *p++ = ',';
        } else {
            if (i > 0) {
                *p++ = '\n';
            }
            p = put_lower(p, h->name, h->name_len);
            *p++ = ':';
        }
        p = brk_sigv4_put_folded(p, h->value != NULL ? h->value : "", h->value_len);
    }
    *p++ = '\n';
    return p;
}

bedrock_code brk_sigv4_sign_signed_headers(struct brk_buf *sh, const struct brk_sign_canon *in)
{
    size_t need = 0;
    if (in->n == 0) {
        return BEDROCK_E_INVALID_ARG; /* nothing to sign: Host is required */
    }
    for (size_t i = 0; i < in->n; i++) {
        if (!add_size(&need, in->hdrs[i].name_len) || !add_size(&need, 1)) {
            return BEDROCK_E_LIMIT;
        }
    }
    bedrock_code rc = brk_buf_reserve(sh, need);
    if (rc != BEDROCK_OK) {
        return rc;
    }
    char *s = sh->data + sh->len;
    for (size_t i = 0; i < in->n; i++) {
        if (!first_of_name(in, i)) {
            continue; /* repeated header: one name */
        }
        if (i > 0) {
            *s++ = ';';
        }
        const struct brk_header *h = &in->hdrs[in->order[i]];
        s = put_lower(s, h->name, h->name_len);
    }
    *s = '\0';
    sh->len = (size_t)(s - sh->data);
    return BEDROCK_OK;
}

bedrock_code brk_sigv4_sign_canonical(struct brk_buf *cr, const struct brk_sign_canon *in,
                                      const struct brk_buf *sh)
{
    size_t ml = strlen(in->method), hl = strlen(in->payload_hash);
    bedrock_code rc = brk_buf_reserve(cr, ml + 1);
    if (rc != BEDROCK_OK) {
        return rc;
    }
    memcpy(cr->data + cr->len, in->method, ml);
    cr->len += ml;
    cr->data[cr->len++] = '\n';
    cr->data[cr->len] = '\0';
    rc = brk_sigv4_canonical_uri(cr, in->path, in->normalize);
    if (rc != BEDROCK_OK) {
        return rc;
    }
    /* "\n" query "\n" lines "\n" signed "\n" hash */
    size_t need = 4;
    if (!add_size(&need, in->query_len) || !add_size(&need, hl) || !add_size(&need, sh->len) ||
        !header_room(in, &need)) {
        return BEDROCK_E_LIMIT;
    }
    rc = brk_buf_reserve(cr, need);
    if (rc != BEDROCK_OK) {
        return rc;
    }
    char *p = cr->data + cr->len;
    *p++ = '\n';
    if (in->query_len > 0) {
        memcpy(p, in->query, in->query_len);
        p += in->query_len;
    }
    *p++ = '\n';
    p = write_headers(in, p);
    *p++ = '\n';
    memcpy(p, sh->data, sh->len);
    p += sh->len;
    *p++ = '\n';
    memcpy(p, in->payload_hash, hl);
    p += hl;
    *p = '\0';
    cr->len = (size_t)(p - cr->data);
    return BEDROCK_OK;
}
