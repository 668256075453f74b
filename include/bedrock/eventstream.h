/*
 * bedrock/eventstream.h - public codec for application/vnd.amazon.eventstream, the framing
 * of Bedrock's streaming responses (InvokeModelWithResponseStream, ConverseStream).
 *
 * Decoding is push-style: feed bytes as they arrive, split anywhere; the callback runs once
 * per complete, CRC-checked message. Views in a message stay valid only during the callback.
 * A decoder that failed stays failed (BEDROCK_E_STATE) until bedrock_es_decoder_reset().
 */
#ifndef BEDROCK_EVENTSTREAM_H
#define BEDROCK_EVENTSTREAM_H

#include <bedrock/bedrock.h>

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

enum bedrock_es_type {
    BEDROCK_ES_TRUE = 0,
    BEDROCK_ES_FALSE = 1,
    BEDROCK_ES_BYTE = 2,
    BEDROCK_ES_INT16 = 3,
    BEDROCK_ES_INT32 = 4,
    BEDROCK_ES_INT64 = 5,
    BEDROCK_ES_BYTES = 6,
    BEDROCK_ES_STRING = 7,
    BEDROCK_ES_TIMESTAMP = 8,
    BEDROCK_ES_UUID = 9,
};

struct bedrock_es_header {
    const char *name; /* not NUL-terminated */
    size_t name_len;
    enum bedrock_es_type type;
    int64_t int_value; /* booleans (1/0), integers, timestamp (ms since the epoch) */
    const void *bytes; /* bytes, string (not NUL-terminated), uuid (16 bytes) */
    size_t bytes_len;
};

struct bedrock_es_message {
    const struct bedrock_es_header *headers;
    size_t n_headers;
    const void *payload;
    size_t payload_len;
};

/* Return BEDROCK_OK to go on; anything else stops decoding, fails the decoder, and is
 * returned by bedrock_es_decoder_feed(). Must not call back into the same decoder. */
typedef bedrock_code bedrock_es_message_fn(void *ctx, const struct bedrock_es_message *msg);

struct bedrock_es_decoder;

BEDROCK_API BEDROCK_MUST_USE bedrock_code bedrock_es_decoder_new(bedrock_es_message_fn *cb,
                                                                 void *ctx,
                                                                 struct bedrock_es_decoder **out);
/* Errors: BEDROCK_E_CRC, BEDROCK_E_PARSE, BEDROCK_E_LIMIT, BEDROCK_E_NOMEM, BEDROCK_E_STATE,
 * or what the callback returned. */
BEDROCK_API BEDROCK_MUST_USE bedrock_code bedrock_es_decoder_feed(struct bedrock_es_decoder *dec,
                                                                  const void *data, size_t len);
/* 1 when no partial message is buffered (a clean end of stream), else 0. */
BEDROCK_API int bedrock_es_decoder_idle(const struct bedrock_es_decoder *dec);
/* Why the decoder failed ("Prelude checksum mismatch", ...), "" when it has not. */
BEDROCK_API const char *bedrock_es_decoder_error(const struct bedrock_es_decoder *dec);
BEDROCK_API void bedrock_es_decoder_reset(struct bedrock_es_decoder *dec);
BEDROCK_API void bedrock_es_decoder_free(struct bedrock_es_decoder *dec);

/* Encode one message into out[0..cap). *out_len gets the frame size, also when the result is
 * BEDROCK_E_LIMIT because cap is too small (pass out = NULL, cap = 0 to ask the size).
 * Errors: BEDROCK_E_INVALID_ARG (bad header), BEDROCK_E_LIMIT, BEDROCK_E_NOMEM. */
BEDROCK_API BEDROCK_MUST_USE bedrock_code bedrock_es_encode(const struct bedrock_es_header *headers,
                                                            size_t n_headers, const void *payload,
                                                            size_t payload_len, void *out,
                                                            size_t cap, size_t *out_len);

#ifdef __cplusplus
}
#endif
#endif
