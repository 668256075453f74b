/*
 * eventstream/encoder.c - writes one vnd.amazon.eventstream frame, and header lookup.
 *
 * The frame is sized first (every length checked against the wire limits: names <= 255,
 * bytes/strings <= 65535, uuid == 16, headers <= BRK_MAX_ES_HEADERS, frame <=
 * BRK_MAX_ES_FRAME), then written in place into out after one reserve.
 * Invariant: on failure out is unchanged; on success exactly one frame was appended.
 */
#include "../core/limits.h"
#include "eventstream.h"
#include "wire.h"

#include <string.h>

static bool int_fits(const struct brk_es_header *h)
{
    switch (h->type) {
    case BRK_ES_BYTE:
        return h->i >= INT8_MIN && h->i <= INT8_MAX;
    case BRK_ES_INT16:
        return h->i >= INT16_MIN && h->i <= INT16_MAX;
    case BRK_ES_INT32:
        return h->i >= INT32_MIN && h->i <= INT32_MAX;
    default:
        return true;
    }
}

/* Encoded size of one header's value, or SIZE_MAX when it cannot be encoded. */
static size_t value_len(const struct brk_es_header *h)
{
    static const unsigned char fixed[10] = { 0, 0, 1, 2, 4, 8, 0, 0, 8, 16 };
    switch (h->type) {
    case BRK_ES_TRUE:
    case BRK_ES_FALSE:
    case BRK_ES_BYTE:
    case BRK_ES_INT16:
    case BRK_ES_INT32:
    case BRK_ES_INT64:
    case BRK_ES_TIMESTAMP:
        return int_fits(h) ? fixed[h->type] : SIZE_MAX;
    case BRK_ES_BYTES:
    case BRK_ES_STRING:
        if (h->bytes.len > UINT16_MAX || (h->bytes.len > 0 && h->bytes.ptr == NULL)) {
            return SIZE_MAX;
        }
        return 2 + h->bytes.len;
    case BRK_ES_UUID:
        return h->bytes.len == 16 && h->bytes.ptr != NULL ? 16 : SIZE_MAX;
    default:
        return SIZE_MAX;
    }
}

static bedrock_code headers_len(const struct brk_es_header *headers, size_t n, size_t *out)
{
    size_t sum = 0;
    for (size_t i = 0; i < n; i++) {
        const struct brk_es_header *h = &headers[i];
        size_t v = value_len(h);
        if (v == SIZE_MAX || h->name.len > UINT8_MAX || (h->name.len > 0 && h->name.ptr == NULL)) {
            return BEDROCK_E_INVALID_ARG;
        }
        sum += 2 + h->name.len + v;
        if (sum > BRK_MAX_ES_HEADERS) {
            return BEDROCK_E_LIMIT;
        }
    }
    *out = sum;
    return BEDROCK_OK;
}

static uint8_t *put_value(uint8_t *o, const struct brk_es_header *h)
{
    switch (h->type) {
    case BRK_ES_BYTE:
        *o = (uint8_t)(int8_t)h->i;
        return o + 1;
    case BRK_ES_INT16:
        es_put16(o, (uint16_t)(int16_t)h->i);
        return o + 2;
    case BRK_ES_INT32:
        es_put32(o, (uint32_t)(int32_t)h->i);
        return o + 4;
    case BRK_ES_INT64:
    case BRK_ES_TIMESTAMP:
        es_put64(o, (uint64_t)h->i);
        return o + 8;
    case BRK_ES_BYTES:
    case BRK_ES_STRING:
        es_put16(o, (uint16_t)h->bytes.len);
        o += 2;
        /* fall through */
    case BRK_ES_UUID:
        if (h->bytes.len > 0) {
            memcpy(o, h->bytes.ptr, h->bytes.len);
        }
        return o + h->bytes.len;
    default:
        return o; /* TRUE/FALSE carry no value */
    }
}

static uint8_t *put_header(uint8_t *o, const struct brk_es_header *h)
{
    *o++ = (uint8_t)h->name.len;
    if (h->name.len > 0) {
        memcpy(o, h->name.ptr, h->name.len);
    }
    o += h->name.len;
    *o++ = (uint8_t)h->type;
    return put_value(o, h);
}

bedrock_code brk_es_encode(struct brk_buf *out, const struct brk_es_header *headers,
                           size_t n_headers, const void *payload, size_t payload_len)
{
    if (out == NULL || (n_headers > 0 && headers == NULL) || (payload_len > 0 && payload == NULL)) {
        return BEDROCK_E_INVALID_ARG;
    }
    size_t hlen = 0;
    bedrock_code rc = headers_len(headers, n_headers, &hlen);
    if (rc != BEDROCK_OK) {
        return rc;
    }
    if (payload_len > BRK_MAX_ES_FRAME - ES_MIN_FRAME - hlen) {
        return BEDROCK_E_LIMIT;
    }
    size_t total = ES_MIN_FRAME + hlen + payload_len;
    rc = brk_buf_reserve(out, total);
    if (rc != BEDROCK_OK) {
        return rc;
    }
    uint8_t *f = (uint8_t *)out->data + out->len;
    es_put32(f, (uint32_t)total);
    es_put32(f + 4, (uint32_t)hlen);
    uint32_t pcrc = brk_crc32(0, f, 8);
    es_put32(f + 8, pcrc);
    uint8_t *o = f + ES_PRELUDE_LEN;
    for (size_t i = 0; i < n_headers; i++) {
        o = put_header(o, &headers[i]);
    }
    if (payload_len > 0) {
        memcpy(o, payload, payload_len);
    }
    es_put32(f + total - ES_TRAILER_LEN, brk_crc32(pcrc, f + 8, total - ES_PRELUDE_LEN));
    out->len += total;
    out->data[out->len] = '\0';
    return BEDROCK_OK;
}

const struct brk_es_header *brk_es_find_header(const struct brk_es_message *msg, const char *name)
{
    if (msg == NULL || name == NULL) {
        return NULL;
    }
    size_t len = strlen(name);
    for (size_t i = 0; i < msg->n_headers; i++) {
        const struct brk_es_header *h = &msg->headers[i];
        if (h->name.len == len && (len == 0 || memcmp(h->name.ptr, name, len) == 0)) {
            return &h[0];
        }
    }
    return NULL;
}
