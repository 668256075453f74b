/*
 * tests/unit/test_sigv4.c - SigV4 building blocks and signer: Bedrock model-id encoding (wire
 * and canonical forms), URI/query canonicalisation, Authorization parsing (exact codes),
 * time helpers, HMAC against RFC 4231; the signer cases (presign, session token, key cache,
 * public wrapper, out-of-memory torture) live in test_sigv4_signing.c and run from here.
 */
#include "test_sigv4.h"

#include "core/alloc.h"
#include "core/limits.h"
#include "crypto/sigv4.h"

#include <bedrock/sigv4.h>

/* cmocka needs these first */
/* clang-format off */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
/* clang-format on */
#include <stdio.h>
#include <string.h>
#include <time.h>

#define AKID   "AKIDEXAMPLE"
#define SECRET "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"
#define TOKEN  "IQoJb3JpZ2luX2VjEXAMPLE/TOKEN+with=chars"
#define T_2024 1718900000 /* 2024-06-20T16:13:20Z */

struct model_case {
    const char *id;
    const char *wire;
    const char *canonical_uri; /* of "/model/<wire>/invoke" */
};

static const struct model_case model_cases[] = {
    { "anthropic.claude-3-5-sonnet-20240620-v1:0", "anthropic.claude-3-5-sonnet-20240620-v1%3A0",
      "/model/anthropic.claude-3-5-sonnet-20240620-v1%253A0/invoke" },
    { "arn:aws:bedrock:eu-central-1::foundation-model/anthropic.claude-3-5-sonnet-20240620-v1:0",
      "arn%3Aaws%3Abedrock%3Aeu-central-1%3A%3Afoundation-model%2Fanthropic.claude-3-5-sonnet-"
      "20240620-v1%3A0",
      "/model/arn%253Aaws%253Abedrock%253Aeu-central-1%253A%253Afoundation-model%252Fanthropic."
      "claude-3-5-sonnet-20240620-v1%253A0/invoke" },
    { "eu.anthropic.claude-3-7-sonnet-20250219-v1:0",
      "eu.anthropic.claude-3-7-sonnet-20250219-v1%3A0",
      "/model/eu.anthropic.claude-3-7-sonnet-20250219-v1%253A0/invoke" },
    { "global.anthropic.claude-sonnet-4-20250514-v1:0",
      "global.anthropic.claude-sonnet-4-20250514-v1%3A0",
      "/model/global.anthropic.claude-sonnet-4-20250514-v1%253A0/invoke" },
    { "arn:aws:bedrock:eu-central-1:123456789012:inference-profile/"
      "eu.anthropic.claude-3-7-sonnet-20250219-v1:0",
      "arn%3Aaws%3Abedrock%3Aeu-central-1%3A123456789012%3Ainference-profile%2F"
      "eu.anthropic.claude-3-7-sonnet-20250219-v1%3A0",
      "/model/arn%253Aaws%253Abedrock%253Aeu-central-1%253A123456789012%253Ainference-profile%252F"
      "eu.anthropic.claude-3-7-sonnet-20250219-v1%253A0/invoke" },
    { "amazon.titan-embed-text-v2:0", "amazon.titan-embed-text-v2%3A0",
      "/model/amazon.titan-embed-text-v2%253A0/invoke" },
};

static void model_id_forms(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof(model_cases) / sizeof(model_cases[0]); i++) {
        const struct model_case *c = &model_cases[i];
        struct brk_buf wire = BRK_BUF(BRK_MAX_URL_BYTES);
        struct brk_buf path = BRK_BUF(BRK_MAX_URL_BYTES);
        struct brk_buf canon = BRK_BUF(BRK_MAX_URL_BYTES);
        assert_int_equal(brk_sigv4_encode_path_segment(&wire, c->id), BEDROCK_OK);
        assert_string_equal(wire.data, c->wire);
        assert_int_equal(brk_buf_appendf(&path, "/model/%s/invoke", wire.data), BEDROCK_OK);
        assert_int_equal(brk_sigv4_canonical_uri(&canon, path.data, true), BEDROCK_OK);
        assert_string_equal(canon.data, c->canonical_uri);
        brk_buf_reset(&canon);
        assert_int_equal(brk_sigv4_canonical_uri(&canon, path.data, false), BEDROCK_OK);
        assert_string_equal(canon.data, c->canonical_uri);
        /* the public helper gives the same wire form */
        char *pub = NULL;
        assert_int_equal(bedrock_sigv4_encode_path_segment(c->id, &pub), BEDROCK_OK);
        assert_string_equal(pub, c->wire);
        bedrock_sigv4_string_free(pub);
        brk_buf_cleanup(&wire);
        brk_buf_cleanup(&path);
        brk_buf_cleanup(&canon);
    }
}

static void uri_encode_decode(void **state)
{
    (void)state;
    struct brk_buf b = BRK_BUF(1024);
    assert_int_equal(brk_uri_encode(&b, "a b/c~d+e\xe1\x88\xb4", 12, true), BEDROCK_OK);
    assert_string_equal(b.data, "a%20b/c~d%2Be%E1%88%B4");
    brk_buf_reset(&b);
    assert_int_equal(brk_uri_encode(&b, "a/b", 3, false), BEDROCK_OK);
    assert_string_equal(b.data, "a%2Fb");
    brk_buf_reset(&b);
    assert_int_equal(brk_uri_decode(&b, "a%2fb+c%41", 10, true), BEDROCK_OK);
    assert_string_equal(b.data, "a/b cA");
    brk_buf_reset(&b);
    assert_int_equal(brk_uri_decode(&b, "a+b", 3, false), BEDROCK_OK);
    assert_string_equal(b.data, "a+b");
    size_t before = b.len;
    assert_int_equal(brk_uri_decode(&b, "bad%2", 5, false), BEDROCK_E_PARSE);
    assert_int_equal(brk_uri_decode(&b, "bad%zz", 6, false), BEDROCK_E_PARSE);
    assert_int_equal(brk_uri_decode(&b, "%", 1, false), BEDROCK_E_PARSE);
    assert_int_equal(b.len, before);
    struct brk_buf small = BRK_BUF(4);
    assert_int_equal(brk_uri_encode(&small, "::", 2, false), BEDROCK_E_LIMIT);
    brk_buf_cleanup(&small);
    brk_buf_cleanup(&b);
}

static void canonical_uri_normalisation(void **state)
{
    (void)state;
    static const char *const cases[][3] = {
        /* path, normalised, as-is */
        { "", "/", "/" },
        { "/", "/", "/" },
        { "//", "/", "//" },
        { "/a/./b/../c/", "/a/c/", "/a/./b/../c/" },
        { "/../..", "/", "/../.." },
        { "/a//b", "/a/b", "/a//b" },
        { "/a b/$", "/a%20b/%24", "/a%20b/%24" },
        { "/x/..", "/", "/x/.." },
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        struct brk_buf b = BRK_BUF(1024);
        assert_int_equal(brk_sigv4_canonical_uri(&b, cases[i][0], true), BEDROCK_OK);
        assert_string_equal(b.data, cases[i][1]);
        brk_buf_reset(&b);
        assert_int_equal(brk_sigv4_canonical_uri(&b, cases[i][0], false), BEDROCK_OK);
        assert_string_equal(b.data, cases[i][2]);
        brk_buf_cleanup(&b);
    }
}

static void canonical_query_rules(void **state)
{
    (void)state;
    static const char *const skip[] = { "X-Amz-Signature", NULL };
    static const char *const cases[][2] = {
        { "b=2&a=1", "a=1&b=2" },
        { "a=2&a=1&a=10", "a=1&a=10&a=2" },
        { "flag&x=1", "flag=&x=1" },
        { "k=a%20b&k2=a+b", "k=a%20b&k2=a%2Bb" },
        { "%e1%88%b4=v&\xe1\x88\xb4=w", "%E1%88%B4=v&%E1%88%B4=w" },
        { "a=1&&b=", "a=1&b=" },
        { "X-Amz-Signature=abc&z=1", "z=1" },
        { "maxResults=10&nextToken=a%2Fb%3D", "maxResults=10&nextToken=a%2Fb%3D" },
        { "", "" },
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        struct brk_buf b = BRK_BUF(1024);
        assert_int_equal(brk_sigv4_canonical_query(&b, cases[i][0], skip), BEDROCK_OK);
        assert_string_equal(b.data != NULL ? b.data : "", cases[i][1]);
        brk_buf_cleanup(&b);
    }
    /* many parameters take the heap path and still sort */
    char q[2048] = "";
    size_t used = 0;
    for (int i = 40; i > 0; i--) {
        int n = snprintf(q + used, sizeof(q) - used, "%sp%02d=%d", used ? "&" : "", i, i);
        used += (size_t)n;
    }
    struct brk_buf b = BRK_BUF(4096);
    assert_int_equal(brk_sigv4_canonical_query(&b, q, NULL), BEDROCK_OK);
    assert_int_equal(strncmp(b.data, "p01=1&p02=2&", 12), 0);
    assert_non_null(strstr(b.data, "&p40=40"));
    size_t before = b.len;
    assert_int_equal(brk_sigv4_canonical_query(&b, "a=%zz", NULL), BEDROCK_E_PARSE);
    assert_int_equal(b.len, before);
    brk_buf_cleanup(&b);
}

static const char good_auth[] =
    "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, "
    "SignedHeaders=host;x-amz-date, "
    "Signature=5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31";

static void parse_authorization_good(void **state)
{
    (void)state;
    static const char *const variants[] = {
        good_auth,
        "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request,"
        "SignedHeaders=host;x-amz-date,"
        "Signature=5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31",
        "  AWS4-HMAC-SHA256   Signature=5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d"
        "763fbf31 ,  SignedHeaders=host;x-amz-date,\tCredential=AKIDEXAMPLE/20150830/us-east-1/"
        "service/aws4_request  ",
    };
    for (size_t i = 0; i < sizeof(variants) / sizeof(variants[0]); i++) {
        struct brk_sigv4_auth a;
        assert_int_equal(brk_sigv4_parse_authorization(variants[i], strlen(variants[i]), &a),
                         BEDROCK_OK);
        assert_true(brk_slice_eq_str(a.access_key_id, "AKIDEXAMPLE"));
        assert_true(brk_slice_eq_str(a.date, "20150830"));
        assert_true(brk_slice_eq_str(a.region, "us-east-1"));
        assert_true(brk_slice_eq_str(a.service, "service"));
        assert_true(brk_slice_eq_str(a.signed_headers, "host;x-amz-date"));
        assert_true(brk_slice_eq_str(
            a.signature, "5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31"));
    }
}

#define SIG64 "5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31"
#define CRED  "Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request"

static void parse_authorization_malformed(void **state)
{
    (void)state;
    static const char *const bad[] = {
        "",
        "AWS4-HMAC-SHA256",
        "AWS4-HMAC-SHA256 ",
        "AWS4-HMAC-SHA1 " CRED ", SignedHeaders=host, Signature=" SIG64,
        "AWS4-HMAC-SHA256" CRED ", SignedHeaders=host, Signature=" SIG64,
        "Bearer abc",
        "AWS4-HMAC-SHA256 " CRED ", SignedHeaders=host",
        "AWS4-HMAC-SHA256 " CRED ", " CRED ", SignedHeaders=host, Signature=" SIG64,
        "AWS4-HMAC-SHA256 " CRED ", SignedHeaders=host, Signature=" SIG64 ", Extra=1",
        "AWS4-HMAC-SHA256 " CRED ", SignedHeaders=host, Signature=" SIG64 ",",
        "AWS4-HMAC-SHA256 " CRED ",, SignedHeaders=host, Signature=" SIG64,
        "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service, SignedHeaders=host, "
        "Signature=" SIG64,
        "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request/x, "
        "SignedHeaders=host, Signature=" SIG64,
        "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/2015083/us-east-1/service/aws4_request, "
        "SignedHeaders=host, Signature=" SIG64,
        "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/2015083x/us-east-1/service/aws4_request, "
        "SignedHeaders=host, Signature=" SIG64,
        "AWS4-HMAC-SHA256 Credential=/20150830/us-east-1/service/aws4_request, "
        "SignedHeaders=host, Signature=" SIG64,
        "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830//service/aws4_request, "
        "SignedHeaders=host, Signature=" SIG64,
        "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws5_request, "
        "SignedHeaders=host, Signature=" SIG64,
        "AWS4-HMAC-SHA256 " CRED ", SignedHeaders=, Signature=" SIG64,
        "AWS4-HMAC-SHA256 " CRED ", SignedHeaders=host;;x-amz-date, Signature=" SIG64,
        "AWS4-HMAC-SHA256 " CRED ", SignedHeaders=Host, Signature=" SIG64,
        "AWS4-HMAC-SHA256 " CRED ", SignedHeaders=host;, Signature=" SIG64,
        "AWS4-HMAC-SHA256 " CRED ", SignedHeaders=host, Signature=" SIG64 "0",
        "AWS4-HMAC-SHA256 " CRED ", SignedHeaders=host, Signature=5FA00FA31553B73EBF1942676E86291E"
        "8372FF2A2260956D9B8AAE1D763FBF31",
        "AWS4-HMAC-SHA256 " CRED ", SignedHeaders=host, Signature",
        "AWS4-HMAC-SHA256 " CRED ", SignedHeaders = host, Signature=" SIG64,
        "AWS4-HMAC-SHA256 Credential= AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, "
        "SignedHeaders=host, Signature=" SIG64,
    };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        struct brk_sigv4_auth a;
        memset(&a, 0x5a, sizeof(a));
        struct brk_sigv4_auth untouched = a;
        bedrock_code rc = brk_sigv4_parse_authorization(bad[i], strlen(bad[i]), &a);
        if (rc != BEDROCK_E_PARSE) {
            print_error("case %zu: %s -> %d\n", i, bad[i], rc);
        }
        assert_int_equal(rc, BEDROCK_E_PARSE);
        assert_memory_equal(&a, &untouched, sizeof(a));
    }
    /* an embedded NUL is data, not a terminator */
    char nul[sizeof(good_auth)];
    memcpy(nul, good_auth, sizeof(good_auth));
    nul[40] = '\0';
    struct brk_sigv4_auth a;
    assert_int_equal(brk_sigv4_parse_authorization(nul, sizeof(good_auth) - 1, &a),
                     BEDROCK_E_PARSE);
    assert_int_equal(brk_sigv4_parse_authorization(NULL, 0, &a), BEDROCK_E_INVALID_ARG);
}

static void time_helpers(void **state)
{
    (void)state;
    char d[17];
    brk_amz_date(1440938160, d);
    assert_string_equal(d, "20150830T123600Z");
    char iso[21];
    brk_iso8601(1440938160, iso);
    assert_string_equal(iso, "2015-08-30T12:36:00Z");
    brk_iso8601(951782400, iso); /* a leap day */
    assert_string_equal(iso, "2000-02-29T00:00:00Z");
    time_t t = 0;
    assert_int_equal(brk_parse_amz_date("20150830T123600Z", &t), BEDROCK_OK);
    assert_int_equal(t, 1440938160);
    assert_int_equal(brk_parse_iso8601("2015-08-30T12:36:00Z", &t), BEDROCK_OK);
    assert_int_equal(t, 1440938160);
    assert_int_equal(brk_parse_iso8601("2015-08-30T12:36:00.123456Z", &t), BEDROCK_OK);
    assert_int_equal(t, 1440938160);
    assert_int_equal(brk_parse_iso8601("2015-08-30T12:36:00+00:00", &t), BEDROCK_OK);
    assert_int_equal(t, 1440938160);
    assert_int_equal(brk_parse_iso8601("2015-08-30T14:36:00+02:00", &t), BEDROCK_OK);
    assert_int_equal(t, 1440938160);
    assert_int_equal(brk_parse_iso8601("2024-02-29T00:00:00Z", &t), BEDROCK_OK);
    static const char *const bad_amz[] = { "20150830T123600",  "2015083OT123600Z",
                                           "20150230T000000Z", "20151330T000000Z",
                                           "20150830T246000Z", "" };
    for (size_t i = 0; i < sizeof(bad_amz) / sizeof(bad_amz[0]); i++) {
        t = 7;
        assert_int_equal(brk_parse_amz_date(bad_amz[i], &t), BEDROCK_E_PARSE);
        assert_int_equal(t, 7);
    }
    static const char *const bad_iso[] = { "2015-08-30 12:36:00Z",  "2015-08-30T12:36:00",
                                           "2023-02-29T00:00:00Z",  "2015-08-30T12:36:00.Z",
                                           "2015-08-30T12:36:00+0", "2015-08-30T12:36:00ZZ" };
    for (size_t i = 0; i < sizeof(bad_iso) / sizeof(bad_iso[0]); i++) {
        assert_int_equal(brk_parse_iso8601(bad_iso[i], &t), BEDROCK_E_PARSE);
    }
}

/* brk_amz_date's arithmetic against gmtime_r over a spread of instants (leap days,
 * century years, the epoch, the far future). */
static void amz_date_matches_gmtime(void **state)
{
    (void)state;
    for (long long t = 0; t < 8000000000LL; t += 86399LL * 37 + 1234) {
        time_t tt = (time_t)t;
        struct tm tm;
        char want[32], got[17];
        assert_non_null(gmtime_r(&tt, &tm));
        assert_true(strftime(want, sizeof(want), "%Y%m%dT%H%M%SZ", &tm) == 16);
        brk_amz_date(tt, got);
        assert_string_equal(got, want);
        time_t back = 0;
        assert_int_equal(brk_parse_amz_date(got, &back), BEDROCK_OK);
        assert_int_equal(back, tt);
    }
    char d[17];
    brk_amz_date((time_t)951782400, d); /* 2000-02-29 */
    assert_string_equal(d, "20000229T000000Z");
    brk_amz_date((time_t)-1, d);
    assert_string_equal(d, "19691231T235959Z");
}

/* Every byte value: kept iff A-Z a-z 0-9 - _ . ~ (and '/' when asked), else %XX upper-case. */
static void encode_every_byte(void **state)
{
    (void)state;
    for (int c = 0; c < 256; c++) {
        char in = (char)c, want[4];
        bool keep = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                    c == '-' || c == '_' || c == '.' || c == '~';
        for (int slash = 0; slash < 2; slash++) {
            struct brk_buf b = BRK_BUF(16);
            assert_int_equal(brk_uri_encode(&b, &in, 1, slash != 0), BEDROCK_OK);
            if (keep || (slash && c == '/')) {
                want[0] = (char)c;
                want[1] = '\0';
            } else {
                (void)snprintf(want, sizeof(want), "%%%02X", (unsigned)c);
            }
            assert_int_equal(b.len, strlen(want) == 0 ? 1 : strlen(want));
            assert_memory_equal(b.data, want, b.len);
            brk_buf_cleanup(&b);
        }
    }
}

static void hmac_rfc4231(void **state)
{
    (void)state;
    uint8_t mac[32];
    char hex[65];
    brk_hmac_sha256("Jefe", 4, "what do ya want for nothing?", 28, mac);
    brk_hex_encode(mac, 32, hex);
    assert_string_equal(hex, "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
    uint8_t key[131];
    memset(key, 0xaa, sizeof(key));
    static const char msg[] = "Test Using Larger Than Block-Size Key - Hash Key First";
    brk_hmac_sha256(key, sizeof(key), msg, sizeof(msg) - 1, mac);
    brk_hex_encode(mac, 32, hex);
    assert_string_equal(hex, "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54");
    brk_sha256_hex("", 0, hex);
    assert_string_equal(hex, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(model_id_forms),
        cmocka_unit_test(uri_encode_decode),
        cmocka_unit_test(canonical_uri_normalisation),
        cmocka_unit_test(canonical_query_rules),
        cmocka_unit_test(parse_authorization_good),
        cmocka_unit_test(parse_authorization_malformed),
        cmocka_unit_test(sign_invoke_header_mode),
        cmocka_unit_test(sign_session_token),
        cmocka_unit_test(presign_get),
        cmocka_unit_test(sign_bad_args),
        cmocka_unit_test(key_cache),
        cmocka_unit_test(time_helpers),
        cmocka_unit_test(amz_date_matches_gmtime),
        cmocka_unit_test(encode_every_byte),
        cmocka_unit_test(hmac_rfc4231),
        cmocka_unit_test(public_api),
        cmocka_unit_test(out_of_memory),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
