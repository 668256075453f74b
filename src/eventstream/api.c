/*
 * eventstream/api.c - the public bedrock_es_* codec (include/bedrock/eventstream.h), a thin
 * wrapper over the internal decoder/encoder that converts header views between the public
 * and internal layouts. The converted header array is reused across messages.
 */
#include "../core/alloc.h"
#include "../core/limits.h"
#include "eventstream.h"

#include <bedrock/eventstream.h>

#include <string.h>

struct bedrock_es_decoder {
    struct brk_es_decoder *inner;
    bedrock_es_message_fn *cb;
    void *ctx;
    struct bedrock_es_header *hdrs;
    size_t hdr_cap;
};

static bedrock_code on_message(void *ctx, const struct brk_es_message *m)
{
    struct bedrock_es_decoder *d = ctx;
    if (m->n_headers > d->hdr_cap) {
        size_t ncap = m->n_headers < 8 ? 8 : m->n_headers;
        struct bedrock_es_header *n = brk_realloc(d->hdrs, ncap * sizeof(*n));
        if (n == NULL) {
            return BEDROCK_E_NOMEM;
        }
        d->hdrs = n;
        d->hdr_cap = ncap;
    }
    for (size_t i = 0; i < m->n_headers; i++) {
        const struct brk_es_header *s = &m->headers[i];
        struct bedrock_es_header *h = &d->hdrs[i];
        h->name = s->name.ptr;
        h->name_len = s->name.len;
        h->type = (enum bedrock_es_type)s->type;
        h->int_value = s->i;
        h->bytes = s->bytes.ptr;
        h->bytes_len = s->bytes.len;
    }
    struct bedrock_es_message pm = { d->hdrs, m->n_headers, m->payload.ptr, m->payload.len };
    return d->cb(d->ctx, &pm);
}

bedrock_code bedrock_es_decoder_new(bedrock_es_message_fn *cb, void *ctx,
                                    struct bedrock_es_decoder **out)
{
    if (cb == NULL || out == NULL) {
        return BEDROCK_E_INVALID_ARG;
    }
    struct bedrock_es_decoder *d = brk_calloc(1, sizeof(*d));
    if (d == NULL) {
        return BEDROCK_E_NOMEM;
    }
    bedrock_code rc = brk_es_decoder_new(on_message, d, &d->inner);
    if (rc != BEDROCK_OK) {
        brk_free(d);
        return rc;
    }
    d->cb = cb;
    d->ctx = ctx;
    *out = d;
    return BEDROCK_OK;
}

bedrock_code bedrock_es_decoder_feed(struct bedrock_es_decoder *dec, const void *data, size_t len)
{
    if (dec == NULL) {
        return BEDROCK_E_INVALID_ARG;
    }
    return brk_es_feed(dec->inner, data, len);
}

int bedrock_es_decoder_idle(const struct bedrock_es_decoder *dec)
{
    return dec != NULL && brk_es_decoder_idle(dec->inner);
}

const char *bedrock_es_decoder_error(const struct bedrock_es_decoder *dec)
{
    return dec != NULL ? brk_es_decoder_error(dec->inner) : "no decoder";
}

void bedrock_es_decoder_reset(struct bedrock_es_decoder *dec)
{
    if (dec != NULL) {
        brk_es_decoder_reset(dec->inner);
    }
}

void bedrock_es_decoder_free(struct bedrock_es_decoder *dec)
{
    if (dec == NULL) {
        return;
    }
    brk_es_decoder_free(dec->inner);
    brk_free(dec->hdrs);
    brk_free(dec);
}

bedrock_code bedrock_es_encode(const struct bedrock_es_header *headers, size_t n_headers,
                               const void *payload, size_t payload_len, void *out, size_t cap,
                               size_t *out_len)
{
    if (out_len == NULL || (n_headers > 0 && headers == NULL) || (cap > 0 && out == NULL) ||
        n_headers > BRK_MAX_ES_HEADERS / 2) {
        return BEDROCK_E_INVALID_ARG;
    }
    struct brk_es_header *ih = brk_calloc(n_headers, sizeof(*ih));
    struct brk_buf frame = BRK_BUF(BRK_MAX_ES_FRAME);
    bedrock_code rc = BEDROCK_E_NOMEM;
    if (ih == NULL) {
        goto out;
    }
    for (size_t i = 0; i < n_headers; i++) {
        ih[i].name.ptr = headers[i].name;
        ih[i].name.len = headers[i].name_len;
        ih[i].type = (enum brk_es_type)headers[i].type;
        ih[i].i = headers[i].int_value;
        ih[i].bytes.ptr = headers[i].bytes;
        ih[i].bytes.len = headers[i].bytes_len;
    }
    rc = brk_es_encode(&frame, ih, n_headers, payload, payload_len);
    if (rc != BEDROCK_OK) {
        goto out;
    }
    *out_len = frame.len;
    if (frame.len > cap) {
        rc = BEDROCK_E_LIMIT;
        goto out;
    }
    memcpy(out, frame.data, frame.len);
out:
    brk_buf_cleanup(&frame);
    brk_free(ih);
    return rc;
}
