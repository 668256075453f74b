/* tests/unit/test_core.c - buffers, readers, error tables, redaction, allocation failure. */
#include "core/alloc.h"
#include "core/buf.h"
#include "core/errors.h"
#include "core/log.h"

/* cmocka.h needs these three first */
/* clang-format off */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
/* clang-format on */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void buf_append_and_limit(void **state)
{
    (void)state;
    struct brk_buf b = BRK_BUF(10);
    assert_int_equal(brk_buf_append_str(&b, "hello"), BEDROCK_OK);
    assert_int_equal(brk_buf_appendf(&b, "%d", 1234), BEDROCK_OK);
    assert_string_equal(b.data, "hello1234");
    assert_true(brk_buf_ok(&b));
    assert_int_equal(brk_buf_append_str(&b, "xx"), BEDROCK_E_LIMIT);
    assert_string_equal(b.data, "hello1234"); /* unchanged on failure */
    assert_int_equal(brk_buf_append_char(&b, '!'), BEDROCK_OK);
    assert_int_equal(b.len, 10);
    brk_buf_cleanup(&b);
    assert_null(b.data);
    brk_buf_cleanup(&b); /* safe twice */
}

static void buf_take(void **state)
{
    (void)state;
    struct brk_buf b = BRK_SECRET_BUF(1024);
    char *out = NULL;
    size_t n = 99;
    assert_int_equal(brk_buf_take(&b, &out, &n), BEDROCK_OK);
    assert_non_null(out);
    assert_int_equal(n, 0);
    brk_free(out);
    for (int i = 0; i < 100; i++) {
        assert_int_equal(brk_buf_append_str(&b, "secret"), BEDROCK_OK);
    }
    assert_int_equal(b.len, 600);
    brk_buf_cleanup(&b);
}

static void buf_nomem(void **state)
{
    (void)state;
    struct brk_buf b = BRK_BUF(1 << 20);
    brk_alloc_fail_after(1);
    assert_int_equal(brk_buf_append_str(&b, "x"), BEDROCK_E_NOMEM);
    brk_alloc_fail_after(0);
    assert_null(b.data);
    assert_int_equal(brk_buf_append_str(&b, "x"), BEDROCK_OK);
    brk_buf_cleanup(&b);
}

static void reader_does_not_move_on_failure(void **state)
{
    (void)state;
    const uint8_t data[] = { 0x00, 0x00, 0x01, 0x02, 0x03 };
    struct brk_reader r;
    brk_reader_init(&r, data, sizeof(data));
    uint32_t v = 0;
    assert_int_equal(brk_reader_u32be(&r, &v), BEDROCK_OK);
    assert_int_equal(v, 0x102);
    assert_int_equal(brk_reader_u32be(&r, &v), BEDROCK_E_PARSE);
    assert_int_equal(r.left, 1);
    uint8_t b = 0;
    assert_int_equal(brk_reader_u8(&r, &b), BEDROCK_OK);
    assert_int_equal(b, 3);
}

static void slices(void **state)
{
    (void)state;
    struct brk_slice s = brk_slice_trim(brk_slice_str("  \tab c \r\n"));
    assert_true(brk_slice_eq_str(s, "ab c"));
    assert_true(brk_slice_ieq_str(brk_slice_str("Content-Type"), "content-type"));
    assert_false(brk_slice_ieq_str(brk_slice_str("Content-Type"), "content-typ"));
}

static void error_tables(void **state)
{
    (void)state;
    assert_string_equal(bedrock_code_name(BEDROCK_E_THROTTLED), "E_THROTTLED");
    assert_int_equal(bedrock_code_category(BEDROCK_E_SIGNATURE), BEDROCK_CAT_AUTH);
    assert_int_equal(bedrock_exit_status(BEDROCK_OK), 0);
    assert_int_equal(bedrock_exit_status(BEDROCK_E_ACCESS_DENIED), 5);
    assert_int_equal(brk_error_from_aws(403, "UnrecognizedClientException"), BEDROCK_E_INVALID_KEY);
    assert_int_equal(brk_error_from_aws(400, "com.amazon.coral.service#ExpiredTokenException"),
                     BEDROCK_E_EXPIRED);
    assert_int_equal(brk_error_from_aws(400, "throttlingException"), BEDROCK_E_THROTTLED);
    assert_int_equal(brk_error_from_aws(503, NULL), BEDROCK_E_SERVICE);
    assert_true(brk_error_is_retryable(400, "ThrottlingException"));
    assert_true(brk_error_is_retryable(503, "ServiceUnavailableException"));
    assert_true(brk_error_is_retryable(502, NULL));
    assert_false(brk_error_is_retryable(403, "AccessDeniedException"));
    assert_false(brk_error_is_retryable(400, "ValidationException"));
    struct bedrock_error err;
    bedrock_error_clear(&err);
    brk_error_from_reply(&err, 403, "AccessDeniedException:http://internal.amazon.com/", "nope",
                         "req-1");
    assert_string_equal(err.aws_code, "AccessDeniedException");
    char line[256];
    assert_string_equal(bedrock_error_format(&err, line, sizeof(line)),
                        "nope (AccessDeniedException, HTTP 403, request id req-1)");
}

static void redaction(void **state)
{
    (void)state;
    char out[512];
    const char *auth = "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/"
                       "aws4_request, SignedHeaders=host;x-amz-date, Signature=abcdef0123";
    brk_log_redact_header("Authorization", 13, auth, strlen(auth), out, sizeof(out));
    assert_null(strstr(out, "abcdef0123"));
    assert_non_null(strstr(out, "Credential=AKIDEXAMPLE"));
    brk_log_redact_header("authorization", 13, "Bearer bedrock-api-key-XYZ", 26, out, sizeof(out));
    assert_string_equal(out, "Bearer <redacted>");
    brk_log_redact_header("X-Amz-Security-Token", 20, "FQoG", 4, out, sizeof(out));
    assert_string_equal(out, "<redacted>");
    brk_log_redact_header("Content-Type", 12, "application/json", 16, out, sizeof(out));
    assert_string_equal(out, "application/json");
}

static void masking(void **state)
{
    (void)state;
    const char *tok = "FwoGZXIvYXdzE/tok+en==";
    const char *text = "x-amz-security-token:FwoGZXIvYXdzE/tok+en==\n"
                       "X-Amz-Security-Token=FwoGZXIvYXdzE%2Ftok%2Ben%3D%3D&X=1";
    /* a NULL entry before the token must not end the list */
    const char *const secrets[] = { NULL, tok };
    char *out = NULL;
    size_t outlen = 0;
    FILE *f = open_memstream(&out, &outlen);
    assert_non_null(f);
    brk_write_masked(f, text, strlen(text), secrets, 2, "<session token>");
    fclose(f);
    assert_string_equal(out, "x-amz-security-token:<session token>\n"
                             "X-Amz-Security-Token=<session token>&X=1");
    free(out);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(buf_append_and_limit),
        cmocka_unit_test(buf_take),
        cmocka_unit_test(buf_nomem),
        cmocka_unit_test(reader_does_not_move_on_failure),
        cmocka_unit_test(slices),
        cmocka_unit_test(error_tables),
        cmocka_unit_test(redaction),
        cmocka_unit_test(masking),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
