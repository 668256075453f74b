/*
 * eventstream/decoder.c - incremental (push-style) decoder for vnd.amazon.eventstream frames.
 *
 * Frame: total_len u32 | headers_len u32 | prelude_crc u32 | headers | payload | msg_crc u32
 *
 * States (struct brk_es_decoder.state):
 *   PRELUDE --12 bytes, prelude CRC ok, lengths sane--> HEADERS -> PAYLOAD -> TRAILER
 *   TRAILER --last byte, message CRC ok, headers parse, callback OK--> PRELUDE
 *   any --error--> FAILED (sticky: brk_es_feed returns BEDROCK_E_STATE until reset)
 * HEADERS/PAYLOAD/TRAILER only say where pos falls inside a frame being buffered.
 *
 * Two paths:
 *   direct:   nothing is buffered and the whole frame is in the caller's input, so headers
 *             and payload are handed out as slices of that input (zero copy);
 *   buffered: a frame split across feeds is copied into frame[], which is reused (it only
 *             grows, to at most BRK_MAX_ES_FRAME) so a steady stream does no malloc.
 * Invariants: no length is used before the prelude CRC matches; pos <= total_len; frame[]
 *             is allocated only after the lengths passed validation; headers[] is reused.
 */
#include "../core/alloc.h"
#include "../core/limits.h"
#include "eventstream.h"
#include "wire.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

enum es_state { ES_PRELUDE, ES_HEADERS, ES_PAYLOAD, ES_TRAILER, ES_FAILED };

struct es_prelude {
    uint32_t total_len, headers_len, prelude_crc;
};

struct brk_es_decoder {
    brk_es_message_fn *cb;
    void *ctx;
    enum es_state state;
    size_t pos; /* bytes of the current frame held (in pre[] while PRELUDE, else frame[]) */
    uint8_t pre[ES_PRELUDE_LEN];
    struct es_prelude pl; /* valid outside PRELUDE */
    uint8_t *frame;
    size_t frame_cap;
    struct brk_es_header *hdrs;
    size_t hdr_cap;
    char err[128];
};

static bedrock_code fail(struct brk_es_decoder *dec, bedrock_code rc, const char *fmt, ...)
    BEDROCK_PRINTF(3, 4);

static bedrock_code fail(struct brk_es_decoder *dec, bedrock_code rc, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    (void)vsnprintf(dec->err, sizeof(dec->err), fmt, ap);
    va_end(ap);
    dec->state = ES_FAILED;
    return rc;
}

bedrock_code brk_es_decoder_new(brk_es_message_fn *cb, void *ctx, struct brk_es_decoder **out)
{
    if (cb == NULL || out == NULL) {
        return BEDROCK_E_INVALID_ARG;
    }
    struct brk_es_decoder *dec = brk_calloc(1, sizeof(*dec));
    if (dec == NULL) {
        return BEDROCK_E_NOMEM;
    }
    dec->cb = cb;
    dec->ctx = ctx;
    dec->state = ES_PRELUDE;
    *out = dec;
    return BEDROCK_OK;
}

void brk_es_decoder_free(struct brk_es_decoder *dec)
{
    if (dec == NULL) {
        return;
    }
    brk_free(dec->frame);
    brk_free(dec->hdrs);
    brk_free(dec);
}

void brk_es_decoder_reset(struct brk_es_decoder *dec)
{
    if (dec == NULL) {
        return;
    }
    dec->state = ES_PRELUDE;
    dec->pos = 0;
    dec->err[0] = '\0';
}

bool brk_es_decoder_idle(const struct brk_es_decoder *dec)
{
    return dec != NULL && dec->state == ES_PRELUDE && dec->pos == 0;
}

const char *brk_es_decoder_error(const struct brk_es_decoder *dec)
{
    return dec != NULL ? dec->err : "no decoder";
}

/* Validate the 12 prelude bytes; lengths are read only once their CRC matched. */
static bedrock_code check_prelude(struct brk_es_decoder *dec, const uint8_t *p,
                                  struct es_prelude *pl)
{
    uint32_t crc = es_be32(p + 8);
    if (brk_crc32(0, p, 8) != crc) {
        return fail(dec, BEDROCK_E_CRC, "Prelude checksum mismatch");
    }
    uint32_t total = es_be32(p), hlen = es_be32(p + 4);
    if (total < ES_MIN_FRAME) {
        return fail(dec, BEDROCK_E_PARSE, "total length %u is below the 16-byte minimum",
                    (unsigned)total);
    }
    if (total > BRK_MAX_ES_FRAME) {
        return fail(dec, BEDROCK_E_LIMIT, "total length %u exceeds the %u-byte limit",
                    (unsigned)total, (unsigned)BRK_MAX_ES_FRAME);
    }
    if (hlen > total - ES_MIN_FRAME) {
        return fail(dec, BEDROCK_E_PARSE, "headers length %u does not fit in total length %u",
                    (unsigned)hlen, (unsigned)total);
    }
    if (hlen > BRK_MAX_ES_HEADERS) {
        return fail(dec, BEDROCK_E_LIMIT, "headers length %u exceeds the %u-byte limit",
                    (unsigned)hlen, (unsigned)BRK_MAX_ES_HEADERS);
    }
    pl->total_len = total;
    pl->headers_len = hlen;
    pl->prelude_crc = crc;
    return BEDROCK_OK;
}

static bedrock_code grow_headers(struct brk_es_decoder *dec)
{
    size_t ncap = dec->hdr_cap == 0 ? 8 : dec->hdr_cap * 2;
    struct brk_es_header *n = brk_realloc(dec->hdrs, ncap * sizeof(*n));
    if (n == NULL) {
        return BEDROCK_E_NOMEM;
    }
    dec->hdrs = n;
    dec->hdr_cap = ncap;
    return BEDROCK_OK;
}

/* Bytes a fixed-size value takes; -1 for variable (bytes/string), -2 for an unknown type. */
static int value_size(uint8_t type)
{
    static const signed char sizes[10] = { 0, 0, 1, 2, 4, 8, -1, -1, 8, 16 };
    return type < 10 ? sizes[type] : -2;
}

static void set_int(struct brk_es_header *h, const uint8_t *v)
{
    switch (h->type) {
    case BRK_ES_TRUE:
        h->i = 1;
        break;
    case BRK_ES_BYTE:
        h->i = (int8_t)v[0];
        break;
    case BRK_ES_INT16:
        h->i = (int16_t)es_be16(v);
        break;
    case BRK_ES_INT32:
        h->i = (int32_t)es_be32(v);
        break;
    case BRK_ES_INT64:
    case BRK_ES_TIMESTAMP:
        h->i = (int64_t)es_be64(v);
        break;
    case BRK_ES_UUID:
        h->bytes.ptr = (const char *)v;
        h->bytes.len = 16;
        break;
    default:
        break;
    }
}

/* Parse one header at *pp (end bounds it) into h, advancing *pp. */
static bedrock_code parse_header(struct brk_es_decoder *dec, const uint8_t **pp, const uint8_t *end,
                                 struct brk_es_header *h)
{
    const uint8_t *p = *pp;
    size_t name_len = *p++;
    if ((size_t)(end - p) < name_len + 1) {
        return fail(dec, BEDROCK_E_PARSE, "header name overruns the headers section");
    }
    h->name.ptr = (const char *)p;
    h->name.len = name_len;
    p += name_len;
    uint8_t type = *p++;
    int size = value_size(type);
    if (size == -2) {
        return fail(dec, BEDROCK_E_PARSE, "unknown header type %u", (unsigned)type);
    }
    h->type = (enum brk_es_type)type;
    h->i = 0;
    h->bytes.ptr = NULL;
    h->bytes.len = 0;
    size_t left = (size_t)(end - p);
    if (size == -1) {
        if (left < 2 || left - 2 < es_be16(p)) {
            return fail(dec, BEDROCK_E_PARSE, "header value overruns the headers section");
        }
        h->bytes.len = es_be16(p);
        h->bytes.ptr = (const char *)p + 2;
        p += 2 + h->bytes.len;
    } else {
        if (left < (size_t)size) {
            return fail(dec, BEDROCK_E_PARSE, "header value overruns the headers section");
        }
        set_int(h, p);
        p += size;
    }
    *pp = p;
    return BEDROCK_OK;
}

static bedrock_code parse_headers(struct brk_es_decoder *dec, const uint8_t *p, size_t len,
                                  size_t *n_out)
{
    const uint8_t *end = p + len;
    size_t n = 0;
    while (p < end) {
        if (n == dec->hdr_cap && grow_headers(dec) != BEDROCK_OK) {
            return fail(dec, BEDROCK_E_NOMEM, "out of memory for headers");
        }
        bedrock_code rc = parse_header(dec, &p, end, &dec->hdrs[n]);
        if (rc != BEDROCK_OK) {
            return rc;
        }
        n++;
    }
    *n_out = n;
    return BEDROCK_OK;
}

/* f holds one whole frame whose prelude passed check_prelude(). */
static bedrock_code deliver(struct brk_es_decoder *dec, const uint8_t *f,
                            const struct es_prelude *pl)
{
    uint32_t total = pl->total_len, hlen = pl->headers_len;
    uint32_t mcrc = es_be32(f + total - ES_TRAILER_LEN);
    /* prelude_crc is the running CRC of bytes 0..7, so continue from it */
    if (brk_crc32(pl->prelude_crc, f + 8, total - ES_PRELUDE_LEN) != mcrc) {
        return fail(dec, BEDROCK_E_CRC, "Message checksum mismatch");
    }
    size_t n = 0;
    bedrock_code rc = parse_headers(dec, f + ES_PRELUDE_LEN, hlen, &n);
    if (rc != BEDROCK_OK) {
        return rc;
    }
    struct brk_es_message m;
    m.headers = dec->hdrs;
    m.n_headers = n;
    m.payload.ptr = (const char *)f + ES_PRELUDE_LEN + hlen;
    m.payload.len = total - ES_MIN_FRAME - hlen;
    m.total_len = total;
    m.headers_len = hlen;
    m.prelude_crc = pl->prelude_crc;
    m.message_crc = mcrc;
    rc = dec->cb(dec->ctx, &m);
    if (rc != BEDROCK_OK) {
        return fail(dec, rc, "message callback failed: %s", bedrock_code_name(rc));
    }
    return BEDROCK_OK;
}

/* Zero-copy path; *used stays 0 when the frame is not wholly in p. */
static bedrock_code feed_direct(struct brk_es_decoder *dec, const uint8_t *p, size_t n,
                                size_t *used)
{
    struct es_prelude pl;
    bedrock_code rc = check_prelude(dec, p, &pl);
    if (rc != BEDROCK_OK || n < pl.total_len) {
        return rc;
    }
    rc = deliver(dec, p, &pl);
    if (rc == BEDROCK_OK) {
        *used = pl.total_len;
    }
    return rc;
}

static bedrock_code reserve_frame(struct brk_es_decoder *dec, size_t total)
{
    if (dec->frame_cap >= total) {
        return BEDROCK_OK;
    }
    size_t ncap = dec->frame_cap * 2 > total ? dec->frame_cap * 2 : total;
    if (ncap > BRK_MAX_ES_FRAME) {
        ncap = BRK_MAX_ES_FRAME;
    }
    /* nothing in frame[] is live yet (the prelude is in pre[]), so no copy is needed */
    uint8_t *n = brk_malloc(ncap);
    if (n == NULL) {
        return fail(dec, BEDROCK_E_NOMEM, "out of memory for a %zu-byte frame", total);
    }
    brk_free(dec->frame);
    dec->frame = n;
    dec->frame_cap = ncap;
    return BEDROCK_OK;
}

static enum es_state state_for(const struct brk_es_decoder *dec)
{
    if (dec->pos < ES_PRELUDE_LEN + dec->pl.headers_len) {
        return ES_HEADERS;
    }
    return dec->pos < dec->pl.total_len - ES_TRAILER_LEN ? ES_PAYLOAD : ES_TRAILER;
}

static bedrock_code take_prelude(struct brk_es_decoder *dec, const uint8_t *p, size_t n,
                                 size_t *used)
{
    size_t take = ES_PRELUDE_LEN - dec->pos;
    take = take < n ? take : n;
    memcpy(dec->pre + dec->pos, p, take);
    dec->pos += take;
    *used = take;
    if (dec->pos < ES_PRELUDE_LEN) {
        return BEDROCK_OK;
    }
    bedrock_code rc = check_prelude(dec, dec->pre, &dec->pl);
    if (rc != BEDROCK_OK) {
        return rc;
    }
    rc = reserve_frame(dec, dec->pl.total_len);
    if (rc != BEDROCK_OK) {
        return rc;
    }
    memcpy(dec->frame, dec->pre, ES_PRELUDE_LEN);
    dec->state = state_for(dec);
    return BEDROCK_OK;
}

/* Copying path for frames split across feeds. */
static bedrock_code feed_buffered(struct brk_es_decoder *dec, const uint8_t *p, size_t n,
                                  size_t *used)
{
    if (dec->state == ES_PRELUDE) {
        return take_prelude(dec, p, n, used);
    }
    size_t take = dec->pl.total_len - dec->pos;
    take = take < n ? take : n;
    memcpy(dec->frame + dec->pos, p, take);
    dec->pos += take;
    *used = take;
    if (dec->pos < dec->pl.total_len) {
        dec->state = state_for(dec);
        return BEDROCK_OK;
    }
    bedrock_code rc = deliver(dec, dec->frame, &dec->pl);
    if (rc != BEDROCK_OK) {
        return rc;
    }
    dec->state = ES_PRELUDE;
    dec->pos = 0;
    return BEDROCK_OK;
}

bedrock_code brk_es_feed(struct brk_es_decoder *dec, const void *data, size_t n)
{
    if (dec == NULL || (data == NULL && n > 0)) {
        return BEDROCK_E_INVALID_ARG;
    }
    if (dec->state == ES_FAILED) {
        return BEDROCK_E_STATE;
    }
    const uint8_t *p = data;
    while (n > 0) {
        size_t used = 0;
        bedrock_code rc = BEDROCK_OK;
        if (dec->state == ES_PRELUDE && dec->pos == 0 && n >= ES_PRELUDE_LEN) {
            rc = feed_direct(dec, p, n, &used);
        }
        if (rc == BEDROCK_OK && used == 0) {
            rc = feed_buffered(dec, p, n, &used);
        }
        if (rc != BEDROCK_OK) {
            return rc;
        }
        p += used;
        n -= used;
    }
    return BEDROCK_OK;
}
