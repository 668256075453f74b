/*
 * services/runtime/jscan.c - allocation-free JSON member lookup and string unescaping (see
 * jscan.h). Invariant: every index stays < len before it is read; nesting is bounded.
 */
#include "jscan.h"

#include "core/hex.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

static size_t skip_ws(const char *p, size_t i, size_t n)
{
    while (i < n && (p[i] == ' ' || p[i] == '\t' || p[i] == '\n' || p[i] == '\r')) {
        i++;
    }
    return i;
}

/* p[i] == '"': returns the index just past the closing quote, or 0 on error. */
static size_t skip_string(const char *p, size_t i, size_t n)
{
    i++;
    while (i < n) {
        char c = p[i];
        if (c == '"') {
            return i + 1;
        }
        if (c == '\\') {
            i += 2;
            continue;
        }
        if ((unsigned char)c < 0x20) {
            return 0;
        }
        i++;
    }
    return 0;
}

/* Skip one value starting at p[i] (no leading ws); returns the index past it or 0. */
static size_t skip_value(const char *p, size_t i, size_t n)
{
    if (i >= n) {
        return 0;
    }
    char c = p[i];
    if (c == '"') {
        return skip_string(p, i, n);
    }
    if (c == '{' || c == '[') {
        int depth = 0;
        while (i < n) {
            c = p[i];
            if (c == '"') {
                i = skip_string(p, i, n);
                if (i == 0) {
                    return 0;
                }
                continue;
            }
            if (c == '{' || c == '[') {
                if (++depth > BRK_JSCAN_MAX_DEPTH) {
                    return 0;
                }
            } else if (c == '}' || c == ']') {
                if (--depth == 0) {
                    return i + 1;
                }
            }
            i++;
        }
        return 0;
    }
    /* number or literal: up to a delimiter */
    size_t start = i;
    while (i < n && p[i] != ',' && p[i] != '}' && p[i] != ']' && p[i] != ' ' && p[i] != '\n' &&
           p[i] != '\t' && p[i] != '\r') {
        i++;
    }
    return i > start ? i : 0;
}

bedrock_code brk_jscan_member(struct brk_slice obj, const char *key, struct brk_slice *val)
{
    const char *p = obj.ptr;
    size_t n = obj.len;
    size_t klen = strlen(key);
    size_t i = skip_ws(p, 0, n);
    if (i >= n || p[i] != '{') {
        return BEDROCK_E_PARSE;
    }
    i = skip_ws(p, i + 1, n);
    if (i < n && p[i] == '}') {
        return BEDROCK_E_NOT_FOUND;
    }
    while (i < n) {
        if (p[i] != '"') {
            return BEDROCK_E_PARSE;
        }
        size_t kend = skip_string(p, i, n);
        if (kend == 0) {
            return BEDROCK_E_PARSE;
        }
        /* keys with escapes never match: our keys are plain ASCII */
        bool match = kend - i - 2 == klen && memcmp(p + i + 1, key, klen) == 0;
        i = skip_ws(p, kend, n);
        if (i >= n || p[i] != ':') {
            return BEDROCK_E_PARSE;
        }
        i = skip_ws(p, i + 1, n);
        size_t vend = skip_value(p, i, n);
        if (vend == 0) {
            return BEDROCK_E_PARSE;
        }
        if (match) {
            val->ptr = p + i;
            val->len = vend - i;
            return BEDROCK_OK;
        }
        i = skip_ws(p, vend, n);
        if (i >= n) {
            return BEDROCK_E_PARSE;
        }
        if (p[i] == '}') {
            return BEDROCK_E_NOT_FOUND;
        }
        if (p[i] != ',') {
            return BEDROCK_E_PARSE;
        }
        i = skip_ws(p, i + 1, n);
    }
    return BEDROCK_E_PARSE;
}

bedrock_code brk_jscan_string_raw(struct brk_slice val, struct brk_slice *out, bool *escaped)
{
    if (val.len < 2 || val.ptr[0] != '"' || val.ptr[val.len - 1] != '"') {
        return BEDROCK_E_PARSE;
    }
    out->ptr = val.ptr + 1;
    out->len = val.len - 2;
    *escaped = memchr(out->ptr, '\\', out->len) != NULL;
    return BEDROCK_OK;
}

bool brk_jscan_str_is(struct brk_slice val, const char *s)
{
    size_t n = strlen(s);
    return val.len == n + 2 && val.ptr[0] == '"' && memcmp(val.ptr + 1, s, n) == 0 &&
           val.ptr[n + 1] == '"';
}

static bool read_u4(const char *p, size_t left, unsigned *out)
{
    if (left < 4) {
        return false;
    }
    unsigned v = 0;
    for (int k = 0; k < 4; k++) {
        int h = brk_hexval(p[k]);
        if (h < 0) {
            return false;
        }
        v = (v << 4) | (unsigned)h;
    }
    *out = v;
    return true;
}

static size_t utf8_put(unsigned cp, char out[4])
{
    if (cp < 0x80) {
        out[0] = (char)cp;
        return 1;
    }
    if (cp < 0x800) {
        out[0] = (char)(0xC0 | (cp >> 6));
        out[1] = (char)(0x80 | (cp & 0x3F));
        return 2;
    }
    if (cp < 0x10000) {
        out[0] = (char)(0xE0 | (cp >> 12));
        out[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
        out[2] = (char)(0x80 | (cp & 0x3F));
        return 3;
    }
    out[0] = (char)(0xF0 | (cp >> 18));
    out[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
    out[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
    out[3] = (char)(0x80 | (cp & 0x3F));
    return 4;
}

/* One escape at s[0] == '\\'; appends to out; returns bytes consumed or 0 on error. */
static size_t unescape_one(const char *s, size_t left, struct brk_buf *out, bedrock_code *rc)
{
    if (left < 2) {
        return 0;
    }
    char c = s[1];
    const char *simple = "\"\\/bfnrt";
    const char *mapped = "\"\\/\b\f\n\r\t";
    const char *hit = strchr(simple, c);
    if (hit != NULL && c != '\0') {
        *rc = brk_buf_append_char(out, mapped[hit - simple]);
        return 2;
    }
    unsigned cp = 0;
    if (c != 'u' || !read_u4(s + 2, left - 2, &cp)) {
        return 0;
    }
    size_t used = 6;
    if (cp >= 0xD800 && cp <= 0xDBFF) {
        unsigned lo = 0;
        if (left < 12 || s[6] != '\\' || s[7] != 'u' || !read_u4(s + 8, left - 8, &lo) ||
            lo < 0xDC00 || lo > 0xDFFF) {
            return 0;
        }
        cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
        used = 12;
    } else if (cp >= 0xDC00 && cp <= 0xDFFF) {
        return 0;
    }
    char tmp[4];
    size_t k = utf8_put(cp, tmp);
    *rc = brk_buf_append(out, tmp, k);
    return used;
}

bedrock_code brk_jscan_unescape(struct brk_slice val, struct brk_buf *out)
{
    struct brk_slice raw;
    bool escaped = false;
    bedrock_code rc = brk_jscan_string_raw(val, &raw, &escaped);
    if (rc != BEDROCK_OK) {
        return rc;
    }
    if (!escaped) {
        return brk_buf_append(out, raw.ptr, raw.len);
    }
    size_t i = 0;
    while (i < raw.len && rc == BEDROCK_OK) {
        const char *bs = memchr(raw.ptr + i, '\\', raw.len - i);
        size_t run = bs == NULL ? raw.len - i : (size_t)(bs - (raw.ptr + i));
        rc = brk_buf_append(out, raw.ptr + i, run);
        i += run;
        if (bs == NULL || rc != BEDROCK_OK) {
            break;
        }
        size_t used = unescape_one(raw.ptr + i, raw.len - i, out, &rc);
        if (used == 0) {
            return BEDROCK_E_PARSE;
        }
        i += used;
    }
    return rc;
}

bedrock_code brk_jscan_long(struct brk_slice val, long *out)
{
    char tmp[32];
    if (val.len == 0 || val.len >= sizeof(tmp)) {
        return BEDROCK_E_PARSE;
    }
    memcpy(tmp, val.ptr, val.len);
    tmp[val.len] = '\0';
    char *end = NULL;
    errno = 0;
    long v = strtol(tmp, &end, 10);
    if (errno != 0 || end == tmp || (*end != '\0' && *end != '.' && *end != 'e' && *end != 'E')) {
        return BEDROCK_E_PARSE;
    }
    *out = v;
    return BEDROCK_OK;
}
