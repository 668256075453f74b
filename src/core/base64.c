/*
 * core/base64.c - strict RFC 4648 base64, table-driven.
 *
 * Decode: one 256-entry table maps a character to its 6-bit value or to BAD (0x80); a
 * quad is four lookups, one OR to detect any bad character, one 24-bit word out. The
 * last quad alone may carry '=' padding. The output is reserved once up front and written
 * in place, so the hot loop does no bounds checks beyond the quad count.
 * Invariants: out is untouched on failure; out->data[out->len] == 0 on success.
 */
#include "base64.h"

#include <stdint.h>
#include <string.h>

#define BAD 0x80

/* clang-format off */
static const uint8_t dtab[256] = {
    BAD, BAD, BAD, BAD, BAD, BAD, BAD, BAD, BAD, BAD, BAD, BAD, BAD, BAD, BAD, BAD,
    BAD, BAD, BAD, BAD, BAD, BAD, BAD, BAD, BAD, BAD, BAD, BAD, BAD, BAD, BAD, BAD,
    BAD, BAD, BAD, BAD, BAD, BAD, BAD, BAD, BAD, BAD, BAD,  62, BAD, BAD, BAD,  63,
     52,  53,  54,  55,  56,  57,  58,  59,  60,  61, BAD, BAD, BAD, BAD, BAD, BAD,
    BAD,   0,   1,   2,   3,   4,   5,   6,   7,   8,   9,  10,  11,  12,  13,  14,
     15,  16,  17,  18,  19,  20,  21,  22,  23,  24,  25, BAD, BAD, BAD, BAD, BAD,
    BAD,  26,  27,  28,  29,  30,  31,  32,  33,  34,  35,  36,  37,  38,  39,  40,
     41,  42,  43,  44,  45,  46,  47,  48,  49,  50,  51, BAD, BAD, BAD, BAD, BAD,
    BAD, BAD, BAD, BAD, BAD, BAD, BAD, BAD, BAD, BAD, BAD, BAD, BAD, BAD, BAD, BAD,
    BAD, BAD, BAD, BAD, BAD, BAD, BAD, BAD, BAD, BAD, BAD, BAD, BAD, BAD, BAD, BAD,
    BAD, BAD, BAD, BAD, BAD, BAD, BAD, BAD, BAD, BAD, BAD, BAD, BAD, BAD, BAD, BAD,
    BAD, BAD, BAD, BAD, BAD, BAD, BAD, BAD, BAD, BAD, BAD, BAD, BAD, BAD, BAD, BAD,
    BAD, BAD, BAD, BAD, BAD, BAD, BAD, BAD, BAD, BAD, BAD, BAD, BAD, BAD, BAD, BAD,
    BAD, BAD, BAD, BAD, BAD, BAD, BAD, BAD, BAD, BAD, BAD, BAD, BAD, BAD, BAD, BAD,
    BAD, BAD, BAD, BAD, BAD, BAD, BAD, BAD, BAD, BAD, BAD, BAD, BAD, BAD, BAD, BAD,
    BAD, BAD, BAD, BAD, BAD, BAD, BAD, BAD, BAD, BAD, BAD, BAD, BAD, BAD, BAD, BAD,
};
/* clang-format on */

static const char etab[64] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

size_t brk_base64_encoded_len(size_t raw_len)
{
    size_t quads = raw_len / 3 + (raw_len % 3 != 0);
    if (quads > SIZE_MAX / 4) {
        return SIZE_MAX;
    }
    return quads * 4;
}

size_t brk_base64_decoded_max(size_t encoded_len)
{
    return encoded_len / 4 * 3;
}

/* Decode all full quads except the last; returns bytes written or SIZE_MAX on a bad char. */
static size_t decode_body(uint8_t *o, const uint8_t *s, size_t quads)
{
    uint8_t *start = o;
    for (size_t i = 0; i < quads; i++, s += 4, o += 3) {
        uint32_t a = dtab[s[0]], b = dtab[s[1]], c = dtab[s[2]], d = dtab[s[3]];
        if (((a | b | c | d) & BAD) != 0) {
            return SIZE_MAX;
        }
        uint32_t v = a << 18 | b << 12 | c << 6 | d;
        o[0] = (uint8_t)(v >> 16);
        o[1] = (uint8_t)(v >> 8);
        o[2] = (uint8_t)v;
    }
    return (size_t)(o - start);
}

/* The final quad: "xxxx", "xxx=" or "xx=="; pad bits must be zero. */
static size_t decode_last(uint8_t *o, const uint8_t *s)
{
    uint32_t a = dtab[s[0]], b = dtab[s[1]];
    if (((a | b) & BAD) != 0) {
        return SIZE_MAX;
    }
    if (s[2] == '=') {
        if (s[3] != '=' || (b & 0x0f) != 0) {
            return SIZE_MAX;
        }
        o[0] = (uint8_t)(a << 2 | b >> 4);
        return 1;
    }
    uint32_t c = dtab[s[2]];
    if (s[3] == '=') {
        if ((c & BAD) != 0 || (c & 0x03) != 0) {
            return SIZE_MAX;
        }
        uint32_t v = a << 18 | b << 12 | c << 6;
        o[0] = (uint8_t)(v >> 16);
        o[1] = (uint8_t)(v >> 8);
        return 2;
    }
    return decode_body(o, s, 1);
}

bedrock_code brk_base64_decode(struct brk_buf *out, const char *in, size_t len)
{
    if (len == 0) {
        return brk_buf_reserve(out, 0);
    }
    if (in == NULL || len % 4 != 0) {
        return BEDROCK_E_PARSE;
    }
    bedrock_code rc = brk_buf_reserve(out, brk_base64_decoded_max(len));
    if (rc != BEDROCK_OK) {
        return rc;
    }
    const uint8_t *s = (const uint8_t *)in;
    uint8_t *o = (uint8_t *)out->data + out->len;
    size_t quads = len / 4;
    size_t n = decode_body(o, s, quads - 1);
    if (n == SIZE_MAX) {
        out->data[out->len] = '\0';
        return BEDROCK_E_PARSE;
    }
    size_t tail = decode_last(o + n, s + len - 4);
    if (tail == SIZE_MAX) {
        out->data[out->len] = '\0';
        return BEDROCK_E_PARSE;
    }
    out->len += n + tail;
    out->data[out->len] = '\0';
    return BEDROCK_OK;
}

bedrock_code brk_base64_encode(struct brk_buf *out, const void *in, size_t len)
{
    size_t olen = brk_base64_encoded_len(len);
    if (olen == SIZE_MAX) {
        return BEDROCK_E_LIMIT;
    }
    bedrock_code rc = brk_buf_reserve(out, olen);
    if (rc != BEDROCK_OK) {
        return rc;
    }
    const uint8_t *s = in;
    char *o = out->data + out->len;
    size_t i = 0;
    for (; i + 3 <= len; i += 3, o += 4) {
        uint32_t v = (uint32_t)s[i] << 16 | (uint32_t)s[i + 1] << 8 | s[i + 2];
        o[0] = etab[v >> 18];
        o[1] = etab[(v >> 12) & 63];
        o[2] = etab[(v >> 6) & 63];
        o[3] = etab[v & 63];
    }
    if (len - i == 1) {
        uint32_t v = (uint32_t)s[i] << 16;
        o[0] = etab[v >> 18];
        o[1] = etab[(v >> 12) & 63];
        o[2] = '=';
        o[3] = '=';
    } else if (len - i == 2) {
        uint32_t v = (uint32_t)s[i] << 16 | (uint32_t)s[i + 1] << 8;
        o[0] = etab[v >> 18];
        o[1] = etab[(v >> 12) & 63];
        o[2] = etab[(v >> 6) & 63];
        o[3] = '=';
    }
    out->len += olen;
    out->data[out->len] = '\0';
    return BEDROCK_OK;
}
