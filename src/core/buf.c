/*
 * core/buf.c - growable byte buffers with a hard ceiling, slices and the wire reader.
 * Invariants: len <= cap; len <= max; data == NULL iff cap == 0; data[len] == 0 when data.
 */
#include "buf.h"

#include "alloc.h"

#include <stdio.h>
#include <string.h>

void brk_buf_init(struct brk_buf *b, size_t max)
{
    b->data = NULL;
    b->len = 0;
    b->cap = 0;
    b->max = max;
    b->secret = false;
}

void brk_buf_cleanup(struct brk_buf *b)
{
    if (b->data != NULL) {
        if (b->secret) {
            brk_wipe(b->data, b->cap);
        }
        brk_free(b->data);
    }
    b->data = NULL;
    b->len = 0;
    b->cap = 0;
}

void brk_buf_reset(struct brk_buf *b)
{
    if (b->data != NULL && b->secret) {
        brk_wipe(b->data, b->len);
    }
    b->len = 0;
    if (b->data != NULL) {
        b->data[0] = '\0';
    }
}

bool brk_buf_ok(const struct brk_buf *b)
{
    if (b->len > b->cap && !(b->cap == 0 && b->len == 0)) {
        return false;
    }
    if ((b->data == NULL) != (b->cap == 0)) {
        return false;
    }
    if (b->len > b->max) {
        return false;
    }
    return b->data == NULL || b->data[b->len] == '\0';
}

bedrock_code brk_buf_reserve(struct brk_buf *b, size_t extra)
{
    if (extra > b->max || b->len > b->max - extra) {
        return BEDROCK_E_LIMIT;
    }
    size_t need = b->len + extra + 1; /* room for the NUL */
    if (need <= b->cap) {
        return BEDROCK_OK;
    }
    size_t ncap = b->cap < 64 ? 64 : b->cap;
    while (ncap < need) {
        ncap = ncap > SIZE_MAX / 2 ? need : ncap * 2;
    }
    if (ncap > b->max + 1) {
        ncap = b->max + 1;
    }
    char *p;
    if (b->secret && b->data != NULL) {
        /* never leave a copy of a secret behind in freed memory */
        p = brk_malloc(ncap);
        if (p == NULL) {
            return BEDROCK_E_NOMEM;
        }
        memcpy(p, b->data, b->len + 1);
        brk_wipe(b->data, b->cap);
        brk_free(b->data);
    } else {
        p = brk_realloc(b->data, ncap);
        if (p == NULL) {
            return BEDROCK_E_NOMEM;
        }
    }
    if (b->data == NULL) {
        p[0] = '\0';
    }
    b->data = p;
    b->cap = ncap;
    return BEDROCK_OK;
}

bedrock_code brk_buf_append(struct brk_buf *b, const void *p, size_t n)
{
    bedrock_code rc = brk_buf_reserve(b, n);
    if (rc != BEDROCK_OK) {
        return rc;
    }
    if (n > 0) {
        memcpy(b->data + b->len, p, n);
    }
    b->len += n;
    b->data[b->len] = '\0';
    return BEDROCK_OK;
}

bedrock_code brk_buf_append_str(struct brk_buf *b, const char *s)
{
    return brk_buf_append(b, s, strlen(s));
}

bedrock_code brk_buf_append_char(struct brk_buf *b, char c)
{
    return brk_buf_append(b, &c, 1);
}

bedrock_code brk_buf_vappendf(struct brk_buf *b, const char *fmt, va_list ap)
{
    va_list ap2;
    va_copy(ap2, ap);
    int n = vsnprintf(NULL, 0, fmt, ap2);
    va_end(ap2);
    if (n < 0) {
        return BEDROCK_E_INVALID_ARG;
    }
    bedrock_code rc = brk_buf_reserve(b, (size_t)n);
    if (rc != BEDROCK_OK) {
        return rc;
    }
    (void)vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
    b->len += (size_t)n;
    return BEDROCK_OK;
}

bedrock_code brk_buf_appendf(struct brk_buf *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    bedrock_code rc = brk_buf_vappendf(b, fmt, ap);
    va_end(ap);
    return rc;
}

bedrock_code brk_buf_set(struct brk_buf *b, const void *p, size_t n)
{
    brk_buf_reset(b);
    return brk_buf_append(b, p, n);
}

bedrock_code brk_buf_take(struct brk_buf *b, char **out, size_t *len)
{
    if (b->data == NULL) {
        bedrock_code rc = brk_buf_reserve(b, 0);
        if (rc != BEDROCK_OK) {
            return rc;
        }
    }
    *out = b->data;
    if (len != NULL) {
        *len = b->len;
    }
    b->data = NULL;
    b->len = 0;
    b->cap = 0;
    return BEDROCK_OK;
}

struct brk_slice brk_slice_str(const char *s)
{
    struct brk_slice sl = { s != NULL ? s : "", s != NULL ? strlen(s) : 0 };
    return sl;
}

bool brk_slice_eq(struct brk_slice a, struct brk_slice b)
{
    return a.len == b.len && (a.len == 0 || memcmp(a.ptr, b.ptr, a.len) == 0);
}

bool brk_slice_eq_str(struct brk_slice a, const char *s)
{
    return brk_slice_eq(a, brk_slice_str(s));
}

static char lower(char c)
{
    return (c >= 'A' && c <= 'Z') ? (char)(c - 'A' + 'a') : c;
}

bool brk_slice_ieq_str(struct brk_slice a, const char *s)
{
    size_t n = strlen(s);
    if (n != a.len) {
        return false;
    }
    for (size_t i = 0; i < n; i++) {
        if (lower(a.ptr[i]) != lower(s[i])) {
            return false;
        }
    }
    return true;
}

static bool is_ws(char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

struct brk_slice brk_slice_trim(struct brk_slice s)
{
    while (s.len > 0 && is_ws(s.ptr[0])) {
        s.ptr++;
        s.len--;
    }
    while (s.len > 0 && is_ws(s.ptr[s.len - 1])) {
        s.len--;
    }
    return s;
}

char *brk_slice_dup(struct brk_slice s)
{
    return brk_strndup(s.ptr, s.len);
}

void brk_reader_init(struct brk_reader *r, const void *p, size_t n)
{
    r->p = p;
    r->left = n;
}

bedrock_code brk_reader_bytes(struct brk_reader *r, size_t n, const uint8_t **p)
{
    if (r->left < n) {
        return BEDROCK_E_PARSE;
    }
    *p = r->p;
    r->p += n;
    r->left -= n;
    return BEDROCK_OK;
}

bedrock_code brk_reader_u8(struct brk_reader *r, uint8_t *v)
{
    if (r->left < 1) {
        return BEDROCK_E_PARSE;
    }
    *v = r->p[0];
    r->p++;
    r->left--;
    return BEDROCK_OK;
}

bedrock_code brk_reader_u16be(struct brk_reader *r, uint16_t *v)
{
    if (r->left < 2) {
        return BEDROCK_E_PARSE;
    }
    *v = (uint16_t)((r->p[0] << 8) | r->p[1]);
    r->p += 2;
    r->left -= 2;
    return BEDROCK_OK;
}

bedrock_code brk_reader_u32be(struct brk_reader *r, uint32_t *v)
{
    if (r->left < 4) {
        return BEDROCK_E_PARSE;
    }
    *v = ((uint32_t)r->p[0] << 24) | ((uint32_t)r->p[1] << 16) | ((uint32_t)r->p[2] << 8) |
         (uint32_t)r->p[3];
    r->p += 4;
    r->left -= 4;
    return BEDROCK_OK;
}

bedrock_code brk_reader_u64be(struct brk_reader *r, uint64_t *v)
{
    if (r->left < 8) {
        return BEDROCK_E_PARSE;
    }
    uint64_t x = 0;
    for (int i = 0; i < 8; i++) {
        x = (x << 8) | r->p[i];
    }
    *v = x;
    r->p += 8;
    r->left -= 8;
    return BEDROCK_OK;
}
