/* tests/unit/test_base64.c - RFC 4648 section 10 vectors, strict rejection, OOM, round trips. */
#include "core/alloc.h"
#include "core/base64.h"
#include "core/buf.h"

/* cmocka.h needs these three first */
/* clang-format off */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
/* clang-format on */
#include <string.h>

struct vec {
    const char *raw;
    const char *enc;
};

static const struct vec rfc4648[] = {
    { "", "" },
    { "f", "Zg==" },
    { "fo", "Zm8=" },
    { "foo", "Zm9v" },
    { "foob", "Zm9vYg==" },
    { "fooba", "Zm9vYmE=" },
    { "foobar", "Zm9vYmFy" },
};

static void rfc_vectors(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof(rfc4648) / sizeof(rfc4648[0]); i++) {
        struct brk_buf b = BRK_BUF(1024);
        assert_int_equal(brk_base64_encode(&b, rfc4648[i].raw, strlen(rfc4648[i].raw)), BEDROCK_OK);
        assert_string_equal(b.data, rfc4648[i].enc);
        assert_int_equal(b.len, strlen(rfc4648[i].enc));
        brk_buf_reset(&b);
        assert_int_equal(brk_base64_decode(&b, rfc4648[i].enc, strlen(rfc4648[i].enc)), BEDROCK_OK);
        assert_int_equal(b.len, strlen(rfc4648[i].raw));
        assert_memory_equal(b.data, rfc4648[i].raw, b.len);
        assert_true(brk_buf_ok(&b));
        brk_buf_cleanup(&b);
    }
}

static void appends(void **state)
{
    (void)state;
    struct brk_buf b = BRK_BUF(1024);
    assert_int_equal(brk_buf_append_str(&b, "x:"), BEDROCK_OK);
    assert_int_equal(brk_base64_decode(&b, "Zm9vYmFy", 8), BEDROCK_OK);
    assert_int_equal(brk_base64_encode(&b, "!", 1), BEDROCK_OK);
    assert_string_equal(b.data, "x:foobarIQ==");
    brk_buf_cleanup(&b);
}

static const char *const bad_inputs[] = {
    "Zg",       /* length not a multiple of 4 */
    "Zg=",      /* ditto */
    "Zm9vY",    /* ditto */
    "Zm9v\n",   /* whitespace is not skipped */
    "Zm 9",     /* space */
    "Zm9v====", /* a whole quad of padding */
    "=Zm9",     /* padding first */
    "Zg==Zm9v", /* padding in the middle */
    "Z===",     /* three pad characters */
    "Zm=v",     /* data after a pad character */
    "Zh==",     /* non-zero bits under the padding */
    "Zm9=",     /* ditto, one pad */
    "Zm9-",     /* URL-safe alphabet is not accepted */
    "Zm9_",     /* ditto */
    "Zm9\x80",  /* high byte */
    "Zm9v\xff\xff\xff\xff",
};

static void strict_rejects(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof(bad_inputs) / sizeof(bad_inputs[0]); i++) {
        struct brk_buf b = BRK_BUF(1024);
        assert_int_equal(brk_buf_append_str(&b, "keep"), BEDROCK_OK);
        assert_int_equal(brk_base64_decode(&b, bad_inputs[i], strlen(bad_inputs[i])),
                         BEDROCK_E_PARSE);
        assert_string_equal(b.data, "keep"); /* unchanged on failure */
        assert_int_equal(b.len, 4);
        assert_true(brk_buf_ok(&b));
        brk_buf_cleanup(&b);
    }
    /* an embedded NUL is a bad character too */
    struct brk_buf b = BRK_BUF(1024);
    assert_int_equal(brk_base64_decode(&b, "Zm\0v", 4), BEDROCK_E_PARSE);
    brk_buf_cleanup(&b);
}

static void limit_and_nomem(void **state)
{
    (void)state;
    struct brk_buf b = BRK_BUF(5);
    assert_int_equal(brk_base64_decode(&b, "Zm9vYmFy", 8), BEDROCK_E_LIMIT);
    assert_int_equal(brk_base64_encode(&b, "foo", 3), BEDROCK_OK); /* 4 fit */
    assert_int_equal(brk_base64_encode(&b, "foo", 3), BEDROCK_E_LIMIT);
    assert_string_equal(b.data, "Zm9v");
    brk_buf_cleanup(&b);

    struct brk_buf c = BRK_BUF(1024);
    brk_alloc_fail_after(1);
    assert_int_equal(brk_base64_decode(&c, "Zm9v", 4), BEDROCK_E_NOMEM);
    assert_int_equal(brk_base64_encode(&c, "foo", 3), BEDROCK_E_NOMEM);
    brk_alloc_fail_after(0);
    assert_null(c.data);
    brk_buf_cleanup(&c);
}

/* every byte value, every length 0..300, encode then decode */
static void round_trip(void **state)
{
    (void)state;
    unsigned char raw[300];
    for (size_t i = 0; i < sizeof(raw); i++) {
        raw[i] = (unsigned char)(i * 7 + 3);
    }
    for (size_t n = 0; n <= sizeof(raw); n++) {
        struct brk_buf e = BRK_BUF(1024);
        struct brk_buf d = BRK_BUF(1024);
        assert_int_equal(brk_base64_encode(&e, raw, n), BEDROCK_OK);
        assert_int_equal(e.len, brk_base64_encoded_len(n));
        assert_int_equal(brk_base64_decode(&d, e.data, e.len), BEDROCK_OK);
        assert_int_equal(d.len, n);
        if (n > 0) {
            assert_memory_equal(d.data, raw, n);
        }
        brk_buf_cleanup(&e);
        brk_buf_cleanup(&d);
    }
}

/* every single-character corruption of a valid quad is rejected or decodes canonically */
static void single_char_corruption(void **state)
{
    (void)state;
    for (int c = 0; c < 256; c++) {
        char in[9] = "Zm9vYmFy";
        in[5] = (char)c;
        struct brk_buf d = BRK_BUF(64);
        bedrock_code rc = brk_base64_decode(&d, in, 8);
        bool alpha = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                     c == '+' || c == '/';
        assert_int_equal(rc, alpha ? BEDROCK_OK : BEDROCK_E_PARSE);
        if (rc == BEDROCK_OK) {
            struct brk_buf e = BRK_BUF(64);
            assert_int_equal(brk_base64_encode(&e, d.data, d.len), BEDROCK_OK);
            assert_memory_equal(e.data, in, 8);
            brk_buf_cleanup(&e);
        }
        brk_buf_cleanup(&d);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(rfc_vectors),    cmocka_unit_test(appends),
        cmocka_unit_test(strict_rejects), cmocka_unit_test(limit_and_nomem),
        cmocka_unit_test(round_trip),     cmocka_unit_test(single_char_corruption),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
