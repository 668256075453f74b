/*
 * eventstream/eventstream.h - application/vnd.amazon.eventstream codec (internal API).
 *
 * Frame: total_len u32 | headers_len u32 | prelude_crc u32 | headers | payload | msg_crc u32
 * (big-endian; CRC-32/IEEE; prelude_crc over the first 8 bytes; msg_crc over all before it).
 * Header: name_len u8 | name | type u8 | value (0 true, 1 false, 2 i8, 3 i16, 4 i32, 5 i64,
 * 6 bytes u16-len, 7 string u16-len, 8 timestamp i64 ms, 9 uuid 16 bytes).
 *
 * The decoder is push-style: brk_es_feed() consumes all it is given or fails; bytes may be
 * split anywhere. No length is believed before the prelude CRC matches. A failed decoder stays
 * failed (BEDROCK_E_STATE) until brk_es_decoder_reset().
 */
#ifndef BRK_EVENTSTREAM_H
#define BRK_EVENTSTREAM_H

#include "../core/buf.h"

#include <bedrock/bedrock.h>

#include <stdbool.h>
#include <stdint.h>

enum brk_es_type {
    BRK_ES_TRUE = 0,
    BRK_ES_FALSE = 1,
    BRK_ES_BYTE = 2,
    BRK_ES_INT16 = 3,
    BRK_ES_INT32 = 4,
    BRK_ES_INT64 = 5,
    BRK_ES_BYTES = 6,
    BRK_ES_STRING = 7,
    BRK_ES_TIMESTAMP = 8,
    BRK_ES_UUID = 9,
};

struct brk_es_header {
    struct brk_slice name;
    enum brk_es_type type;
    int64_t i;              /* bool (1/0), byte, int16/32/64, timestamp (ms) */
    struct brk_slice bytes; /* bytes, string; uuid (16 bytes) */
};

/* One decoded message. Slices stay valid only during the callback. */
struct brk_es_message {
    const struct brk_es_header *headers;
    size_t n_headers;
    struct brk_slice payload;
    uint32_t total_len, headers_len, prelude_crc, message_crc;
};

/* Return BEDROCK_OK to go on; anything else stops decoding and is returned by brk_es_feed
 * (and the decoder enters the failed state). The callback must not feed, reset or free the
 * decoder that called it. When a whole frame sits in the fed input, the slices point into
 * that input (no copy); a frame split across feeds is delivered from an internal buffer. */
typedef bedrock_code brk_es_message_fn(void *ctx, const struct brk_es_message *msg);

struct brk_es_decoder; /* opaque */

BEDROCK_MUST_USE bedrock_code brk_es_decoder_new(brk_es_message_fn *cb, void *ctx,
                                                 struct brk_es_decoder **out);
void brk_es_decoder_free(struct brk_es_decoder *dec);
void brk_es_decoder_reset(struct brk_es_decoder *dec);
/* Errors: BEDROCK_E_CRC (prelude or message CRC; the message says which), BEDROCK_E_PARSE
 * (bad header encoding, lengths inconsistent), BEDROCK_E_LIMIT (frame too large),
 * BEDROCK_E_STATE (already failed), or what the callback returned. */
BEDROCK_MUST_USE bedrock_code brk_es_feed(struct brk_es_decoder *dec, const void *p, size_t n);
/* True when no partial frame is buffered (a clean end of stream). */
bool brk_es_decoder_idle(const struct brk_es_decoder *dec);
/* Human-readable reason for the last failure ("Prelude checksum mismatch", ...). */
const char *brk_es_decoder_error(const struct brk_es_decoder *dec);

/* Find a header by name; NULL when absent. */
const struct brk_es_header *brk_es_find_header(const struct brk_es_message *msg, const char *name);

/* Append one encoded frame to out. */
BEDROCK_MUST_USE bedrock_code brk_es_encode(struct brk_buf *out,
                                            const struct brk_es_header *headers, size_t n_headers,
                                            const void *payload, size_t payload_len);

uint32_t brk_crc32(uint32_t crc, const void *p, size_t n); /* zlib-compatible running CRC */

#endif
