/*
 * fuzz/fuzz_eventstream.c - event-stream decoder fuzz target.
 *
 * The first input byte picks a feed size (1..256; 0 = whole input at once) so both the
 * zero-copy and the copying paths are exercised. Every message that decodes is re-encoded
 * and must come back byte for byte; a failed decoder must answer BEDROCK_E_STATE.
 */
#include "core/buf.h"
#include "core/limits.h"
#include "eventstream/eventstream.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static bedrock_code check_message(void *ctx, const struct brk_es_message *m)
{
    (void)ctx;
    struct brk_buf out = BRK_BUF(BRK_MAX_ES_FRAME);
    bedrock_code rc = brk_es_encode(&out, m->headers, m->n_headers, m->payload.ptr, m->payload.len);
    if (rc != BEDROCK_OK || out.len != m->total_len || !brk_buf_ok(&out)) {
        abort();
    }
    /* the frame's own bytes are payload.ptr - headers_len - 12 .. */
    const char *frame = m->payload.ptr - m->headers_len - 12;
    if (memcmp(out.data, frame, out.len) != 0) {
        abort();
    }
    brk_buf_cleanup(&out);
    return BEDROCK_OK;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size == 0) {
        return 0;
    }
    size_t step = data[0] == 0 ? size : data[0];
    data++;
    size--;
    struct brk_es_decoder *dec = NULL;
    if (brk_es_decoder_new(check_message, NULL, &dec) != BEDROCK_OK) {
        return 0;
    }
    bedrock_code rc = BEDROCK_OK;
    for (size_t off = 0; off < size && rc == BEDROCK_OK; off += step) {
        size_t n = size - off < step ? size - off : step;
        rc = brk_es_feed(dec, data + off, n);
    }
    if (rc != BEDROCK_OK) {
        if (brk_es_feed(dec, data, size) != BEDROCK_E_STATE || brk_es_decoder_idle(dec) ||
            brk_es_decoder_error(dec)[0] == '\0') {
            abort();
        }
    }
    brk_es_decoder_free(dec);
    return 0;
}
