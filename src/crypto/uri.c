/*
 * crypto/uri.c - SigV4 percent-encoding, decoding and the canonical URI.
 *
 * Encoding keeps the unreserved set A-Z a-z 0-9 - _ . ~ (and '/' when asked) and writes every
 * other byte as %XX with upper-case hex. The canonical URI of a wire path is its (optionally
 * normalised) form encoded once more, so a model id sent as "%3A" is signed as "%253A".
 * Invariant: on failure the output buffer keeps its previous length and contents.
 */
#include "../core/hex.h"
#include "../core/limits.h"
#include "sigv4_internal.h"

#include <string.h>

/* 1 for A-Z a-z 0-9 - _ . ~ */
#define R16(x) x, x, x, x, x, x, x, x, x, x, x, x, x, x, x, x
const uint8_t
    brk_sigv4_unreserved_table
        [256] = {
            R16(0), R16(0), 0,      0,      0,      0,      0,      0,      0,
            0,      0,      0,      0,      0,      0,      1,      1,      0, /* 0x20: - . */
            1,      1,      1,      1,      1,      1,      1,      1,      1,
            1,      0,      0,      0,      0,      0,      0, /* 0x30: 0-9 */
            0,      1,      1,      1,      1,      1,      1,      1,      1,
            1,      1,      1,      1,      1,      1,      1, /* 0x40: A-O */
            1,      1,      1,      1,      1,      1,      1,      1,      1,
            1,      1,      0,      0,      0,      0,      1, /* 0x50: P-Z _ */
            0,      1,      1,      1,      1,      1,      1,      1,      1,
            1,      1,      1,      1,      1,      1,      1, /* 0x60: a-o */
            1,      1,      1,      1,      1,      1,      1,      1,      1,
            1,      1,      0,      0,      0,      1,      0, /* 0x70: p-z ~ */
            R16(0), R16(0), R16(0), R16(0), R16(0), R16(0), R16(0), R16(0),
        };
#undef R16

bedrock_code brk_sigv4_append_all(struct brk_buf *b, const char *const *parts)
{
    size_t lens[16];
    size_t need = 0, n = 0;
    for (; parts[n] != NULL; n++) {
        if (n == sizeof(lens) / sizeof(lens[0])) {
            return BEDROCK_E_INTERNAL; /* callers pass short fixed lists */
        }
        lens[n] = strlen(parts[n]);
        if (lens[n] > SIZE_MAX - need) {
            return BEDROCK_E_LIMIT;
        }
        need += lens[n];
    }
    bedrock_code rc = brk_buf_reserve(b, need);
    if (rc != BEDROCK_OK) {
        return rc;
    }
    for (size_t i = 0; i < n; i++) {
        memcpy(b->data + b->len, parts[i], lens[i]);
        b->len += lens[i];
    }
    b->data[b->len] = '\0';
    return BEDROCK_OK;
}

/* Bytes kept as they are with keep_slash: the unreserved set plus '/'. */
static bool keep_byte(unsigned char c, bool keep_slash)
{
    return brk_sigv4_unreserved(c) || (keep_slash && c == '/');
}

bedrock_code brk_uri_encode(struct brk_buf *out, const char *s, size_t n, bool keep_slash)
{
    static const char hex[] = "0123456789ABCDEF";
    size_t plain = 0; /* leading run copied as is (usually the whole input) */
    while (plain < n && keep_byte((unsigned char)s[plain], keep_slash)) {
        plain++;
    }
    size_t need = n;
    for (size_t i = plain; i < n; i++) {
        need += keep_byte((unsigned char)s[i], keep_slash) ? 0 : 2;
    }
    bedrock_code rc = brk_buf_reserve(out, need);
    if (rc != BEDROCK_OK) {
        return rc;
    }
    char *p = out->data + out->len;
    if (plain > 0) {
        memcpy(p, s, plain);
        p += plain;
    }
    for (size_t i = plain; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (keep_byte(c, keep_slash)) {
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

bedrock_code brk_uri_decode(struct brk_buf *out, const char *s, size_t n, bool plus_is_space)
{
    /* validate first so a bad escape leaves out untouched */
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '%') {
            if (i + 2 >= n || brk_hexval(s[i + 1]) < 0 || brk_hexval(s[i + 2]) < 0) {
                return BEDROCK_E_PARSE;
            }
            i += 2;
        }
    }
    bedrock_code rc = brk_buf_reserve(out, n);
    if (rc != BEDROCK_OK) {
        return rc;
    }
    char *p = out->data + out->len;
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '%') {
            *p++ = (char)(brk_hexval(s[i + 1]) * 16 + brk_hexval(s[i + 2]));
            i += 2;
        } else if (plus_is_space && s[i] == '+') {
            *p++ = ' ';
        } else {
            *p++ = s[i];
        }
    }
    out->len = (size_t)(p - out->data);
    out->data[out->len] = '\0';
    return BEDROCK_OK;
}

/* Appends the dot-segment-free, single-slash form of path (RFC 3986 5.2.4 plus "//" -> "/").
 * A trailing '/' survives unless the result is just "/". */
static bedrock_code normalise_path(struct brk_buf *out, const char *path, size_t n)
{
    size_t base = out->len;
    bedrock_code rc = brk_buf_append_char(out, '/');
    size_t i = 0;
    while (rc == BEDROCK_OK && i < n) {
        while (i < n && path[i] == '/') {
            i++;
        }
        size_t start = i;
        while (i < n && path[i] != '/') {
            i++;
        }
        size_t seg = i - start;
        if (seg == 0 || (seg == 1 && path[start] == '.')) {
            continue;
        }
        if (seg == 2 && path[start] == '.' && path[start + 1] == '.') {
            /* drop the last segment written, never the leading '/' */
            size_t end = out->len;
            while (end > base + 1 && out->data[end - 1] != '/') {
                end--;
            }
            out->len = end > base + 1 ? end - 1 : base + 1;
            out->data[out->len] = '\0';
            continue;
        }
        if (out->len > base + 1) {
            rc = brk_buf_append_char(out, '/');
        }
        if (rc == BEDROCK_OK) {
            rc = brk_buf_append(out, path + start, seg);
        }
    }
    if (rc == BEDROCK_OK && n > 0 && path[n - 1] == '/' && out->len > base + 1) {
        rc = brk_buf_append_char(out, '/');
    }
    return rc;
}

/* True when normalising would not change path: it starts with '/', has no empty, "." or ".."
 * segment (a trailing '/' is fine). Lets the common case skip the scratch buffer. */
static bool already_normal(const char *path, size_t n)
{
    if (path[0] != '/') {
        return false;
    }
    size_t i = 1;
    while (i < n) {
        size_t start = i;
        while (i < n && path[i] != '/') {
            i++;
        }
        size_t seg = i - start;
        if (i < n && seg == 0) {
            return false; /* "//" */
        }
        if ((seg == 1 && path[start] == '.') ||
            (seg == 2 && path[start] == '.' && path[start + 1] == '.')) {
            return false;
        }
        i++;
    }
    return true;
}

bedrock_code brk_sigv4_canonical_uri(struct brk_buf *out, const char *path, bool normalize)
{
    if (path == NULL || path[0] == '\0') {
        return brk_buf_append_char(out, '/');
    }
    size_t n = strlen(path);
    if (!normalize) {
        return brk_uri_encode(out, path, n, true);
    }
    if (already_normal(path, n)) {
        return brk_uri_encode(out, path, n, true);
    }
    struct brk_buf tmp = BRK_BUF(BRK_MAX_SIGV4_BYTES);
    bedrock_code rc = normalise_path(&tmp, path, n);
    if (rc == BEDROCK_OK) {
        rc = brk_uri_encode(out, tmp.data, tmp.len, true);
    }
    brk_buf_cleanup(&tmp);
    return rc;
}

bedrock_code brk_sigv4_encode_path_segment(struct brk_buf *out, const char *s)
{
    if (s == NULL) {
        return BEDROCK_E_INVALID_ARG;
    }
    return brk_uri_encode(out, s, strlen(s), false);
}
