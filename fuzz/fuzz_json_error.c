/*
 * fuzz/fuzz_json_error.c - brk_http_parse_error over arbitrary error bodies (JSON, XML or junk).
 * Input: byte 0 picks the HTTP status and which headers accompany the body; the rest is the
 * body. Invariant checked: every field of the error comes back NUL-terminated, the code is a
 * known one, and nothing crashes or leaks.
 */
#include "core/errors.h"
#include "http/http.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_field(const char *s, size_t cap)
{
    if (memchr(s, '\0', cap) == NULL) {
        abort();
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const int statuses[] = { 400, 403, 404, 429, 500, 502, 503, 301 };
    uint8_t sel = size > 0 ? data[0] : 0;
    struct brk_http_response resp;
    brk_http_response_init(&resp);
    resp.status = statuses[sel & 7];
    memcpy(resp.host, "fuzz.example", sizeof("fuzz.example"));
    static const char et[] = "ValidationException:http://internal.amazon.com/coral/x/";
    if ((sel & 8) != 0 && brk_http_response_add_header(&resp, "x-amzn-ErrorType", 16, et,
                                                       sizeof(et) - 1) != BEDROCK_OK) {
        abort();
    }
    if ((sel & 16) != 0 &&
        brk_http_response_add_header(&resp, "x-amzn-RequestId", 16, "rid", 3) != BEDROCK_OK) {
        abort();
    }
    if (size > 1 && brk_buf_set(&resp.body, data + 1, size - 1) != BEDROCK_OK) {
        abort();
    }
    struct bedrock_error err;
    brk_http_parse_error(&resp, &err);
    check_field(err.aws_code, sizeof(err.aws_code));
    check_field(err.message, sizeof(err.message));
    check_field(err.request_id, sizeof(err.request_id));
    if (err.code == BEDROCK_OK || strcmp(bedrock_code_name(err.code), "E_UNKNOWN") == 0) {
        abort();
    }
    brk_http_response_cleanup(&resp);
    return 0;
}
