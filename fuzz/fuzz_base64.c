/*
 * fuzz/fuzz_base64.c - base64 fuzz target: whatever decodes must re-encode to the same text
 * (strict decoding means one canonical form), and encode -> decode is the identity.
 */
#include "core/base64.h"
#include "core/buf.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct brk_buf dec = BRK_BUF(1u << 24);
    struct brk_buf enc = BRK_BUF(1u << 25);
    bedrock_code rc = brk_base64_decode(&dec, (const char *)data, size);
    if (rc == BEDROCK_OK) {
        if (brk_base64_encode(&enc, dec.data, dec.len) != BEDROCK_OK || enc.len != size ||
            (size > 0 && memcmp(enc.data, data, size) != 0)) {
            abort();
        }
    } else if (rc != BEDROCK_E_PARSE || dec.len != 0) {
        abort();
    }
    brk_buf_reset(&enc);
    brk_buf_reset(&dec);
    if (brk_base64_encode(&enc, data, size) != BEDROCK_OK ||
        brk_base64_decode(&dec, enc.data, enc.len) != BEDROCK_OK || dec.len != size ||
        (size > 0 && memcmp(dec.data, data, size) != 0) || !brk_buf_ok(&dec)) {
        abort();
    }
    brk_buf_cleanup(&enc);
    brk_buf_cleanup(&dec);
    return 0;
}
