/*
 * tests/unit/test_sigv4_signing.c - the signer half of test_sigv4: InvokeModel header signing,
 * session tokens, presigning, bad arguments (exact codes), the signing-key cache (reuse, bound,
 * expiry, identical results), the public wrapper, and out-of-memory torture (every failing
 * run is E_NOMEM; ASan's leak check proves nothing leaked). Cases run from test_sigv4.c.
 */
#include "core/alloc.h"
#include "core/limits.h"
#include "crypto/sigv4.h"
#include "test_sigv4.h"

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

/* A Bedrock InvokeModel request as the client builds it. */
static const char invoke_body[] = "{\"anthropic_version\":\"bedrock-2023-05-31\",\"max_tokens\":64,"
                                  "\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}";
static const struct brk_header invoke_headers[] = {
    { "Host", 4, "bedrock-runtime.eu-central-1.amazonaws.com", 42 },
    { "Content-Type", 12, "application/json", 16 },
    { "Accept", 6, "application/json", 16 },
};

static struct brk_sigv4_request invoke_request(const char *path)
{
    struct brk_sigv4_request r = {
        "POST", path, NULL, invoke_headers, 3, invoke_body, sizeof(invoke_body) - 1, NULL
    };
    return r;
}

static struct brk_sigv4_params invoke_params(const char *token)
{
    struct brk_sigv4_params p = { 0 };
    p.access_key_id = AKID;
    p.secret_access_key = SECRET;
    p.session_token = token;
    p.region = "eu-central-1";
    p.service = "bedrock";
    p.time_s = T_2024;
    return p;
}

static const char invoke_path[] = "/model/anthropic.claude-3-5-sonnet-20240620-v1%3A0/invoke";

void sign_invoke_header_mode(void **state)
{
    (void)state;
    struct brk_sigv4_request r = invoke_request(invoke_path);
    struct brk_sigv4_params p = invoke_params(NULL);
    struct brk_sigv4_result res;
    brk_sigv4_result_init(&res);
    assert_int_equal(brk_sigv4_sign(&r, &p, &res), BEDROCK_OK);
    assert_string_equal(res.amz_date, "20240620T161320Z");
    assert_string_equal(res.signed_headers.data, "accept;content-type;host;x-amz-date");
    assert_non_null(strstr(res.canonical_request.data,
                           "POST\n/model/anthropic.claude-3-5-sonnet-20240620-v1%253A0/invoke\n\n"
                           "accept:application/json\n"));
    char body_hash[65];
    brk_sha256_hex(invoke_body, sizeof(invoke_body) - 1, body_hash);
    assert_string_equal(res.content_sha256, body_hash);
    static const char sts_head[] = "AWS4-HMAC-SHA256\n20240620T161320Z\n"
                                   "20240620/eu-central-1/bedrock/aws4_request\n";
    assert_int_equal(strncmp(res.string_to_sign.data, sts_head, sizeof(sts_head) - 1), 0);
    struct brk_sigv4_auth a;
    assert_int_equal(
        brk_sigv4_parse_authorization(res.authorization.data, res.authorization.len, &a),
        BEDROCK_OK);
    assert_true(brk_slice_eq_str(a.signature, res.signature));
    assert_true(brk_slice_eq_str(a.region, "eu-central-1"));
    assert_int_equal(res.presigned_query.len, 0);
    /* the same result buffers are reused for a second, different request */
    struct brk_sigv4_request r2 = invoke_request("/model/amazon.titan-embed-text-v2%3A0/invoke");
    char first_sig[65];
    memcpy(first_sig, res.signature, sizeof(first_sig));
    assert_int_equal(brk_sigv4_sign(&r2, &p, &res), BEDROCK_OK);
    assert_string_not_equal(first_sig, res.signature);
    assert_non_null(strstr(res.canonical_request.data, "titan-embed-text-v2%253A0"));
    brk_sigv4_result_cleanup(&res);
    brk_sigv4_result_cleanup(&res); /* safe twice */
}

void sign_session_token(void **state)
{
    (void)state;
    struct brk_sigv4_request r = invoke_request(invoke_path);
    struct brk_sigv4_params p = invoke_params(TOKEN);
    struct brk_sigv4_result res;
    brk_sigv4_result_init(&res);
    assert_int_equal(brk_sigv4_sign(&r, &p, &res), BEDROCK_OK);
    assert_string_equal(res.signed_headers.data,
                        "accept;content-type;host;x-amz-date;x-amz-security-token");
    assert_non_null(strstr(res.canonical_request.data, "\nx-amz-security-token:" TOKEN "\n"));
    char with_token[65];
    memcpy(with_token, res.signature, sizeof(with_token));
    p.omit_session_token = true;
    assert_int_equal(brk_sigv4_sign(&r, &p, &res), BEDROCK_OK);
    assert_string_equal(res.signed_headers.data, "accept;content-type;host;x-amz-date");
    assert_null(strstr(res.canonical_request.data, "x-amz-security-token"));
    assert_string_not_equal(with_token, res.signature);
    /* "" means no token */
    p = invoke_params("");
    assert_int_equal(brk_sigv4_sign(&r, &p, &res), BEDROCK_OK);
    assert_string_equal(res.signed_headers.data, "accept;content-type;host;x-amz-date");
    /* content hash header when asked */
    p.add_content_sha256 = true;
    assert_int_equal(brk_sigv4_sign(&r, &p, &res), BEDROCK_OK);
    assert_string_equal(res.signed_headers.data,
                        "accept;content-type;host;x-amz-content-sha256;x-amz-date");
    brk_sigv4_result_cleanup(&res);
}

void presign_get(void **state)
{
    (void)state;
    static const struct brk_header h[] = { { "Host", 4, "bedrock.eu-central-1.amazonaws.com",
                                             34 } };
    struct brk_sigv4_request r = {
        "GET", "/foundation-models", "byProvider=Anthropic", h, 1, NULL, 0, NULL
    };
    struct brk_sigv4_params p = invoke_params(TOKEN);
    p.presign = true;
    struct brk_sigv4_result res;
    brk_sigv4_result_init(&res);
    assert_int_equal(brk_sigv4_sign(&r, &p, &res), BEDROCK_OK);
    const char *q = res.presigned_query.data;
    assert_int_equal(
        strncmp(q,
                "byProvider=Anthropic&X-Amz-Algorithm=AWS4-HMAC-SHA256&"
                "X-Amz-Credential=AKIDEXAMPLE%2F20240620%2Feu-central-1%2Fbedrock"
                "%2Faws4_request&X-Amz-Date=20240620T161320Z&X-Amz-SignedHeaders="
                "host&X-Amz-Expires=900&X-Amz-Security-Token=",
                strlen("byProvider=Anthropic&X-Amz-Algorithm=AWS4-HMAC-SHA256&"
                       "X-Amz-Credential=AKIDEXAMPLE%2F20240620%2Feu-central-1%2Fbedrock"
                       "%2Faws4_request&X-Amz-Date=20240620T161320Z&X-Amz-SignedHeaders="
                       "host&X-Amz-Expires=900&X-Amz-Security-Token=")),
        0);
    assert_non_null(strstr(q, "X-Amz-Security-Token=IQoJb3JpZ2luX2VjEXAMPLE%2FTOKEN%2Bwith%3Dchars"
                              "&X-Amz-Signature="));
    assert_non_null(strstr(res.canonical_request.data, "&X-Amz-Security-Token=IQoJ"));
    assert_int_equal(res.authorization.len, 0);
    const char *sig = strstr(q, "X-Amz-Signature=");
    assert_string_equal(sig + 16, res.signature);
    /* the verifier's view: the canonical query of the URL minus the signature matches */
    static const char *const skip[] = { "X-Amz-Signature", NULL };
    struct brk_buf cq = BRK_BUF(BRK_MAX_URL_BYTES);
    assert_int_equal(brk_sigv4_canonical_query(&cq, q, skip), BEDROCK_OK);
    assert_non_null(strstr(res.canonical_request.data, cq.data));
    brk_buf_cleanup(&cq);
    /* no X-Amz-Date header is signed in presign mode; expiry is honoured */
    assert_string_equal(res.signed_headers.data, "host");
    p.expires_s = 3600;
    p.omit_session_token = true;
    assert_int_equal(brk_sigv4_sign(&r, &p, &res), BEDROCK_OK);
    assert_non_null(strstr(res.presigned_query.data, "X-Amz-Expires=3600&X-Amz-Security-Token="));
    assert_null(strstr(res.canonical_request.data, "X-Amz-Security-Token"));
    p.expires_s = 604801;
    assert_int_equal(brk_sigv4_sign(&r, &p, &res), BEDROCK_E_INVALID_ARG);
    assert_int_equal(res.presigned_query.len, 0);
    p.expires_s = -1;
    assert_int_equal(brk_sigv4_sign(&r, &p, &res), BEDROCK_E_INVALID_ARG);
    brk_sigv4_result_cleanup(&res);
}

void sign_bad_args(void **state)
{
    (void)state;
    struct brk_sigv4_request r = invoke_request(invoke_path);
    struct brk_sigv4_params p = invoke_params(NULL);
    struct brk_sigv4_result res;
    brk_sigv4_result_init(&res);
    p.region = NULL;
    assert_int_equal(brk_sigv4_sign(&r, &p, &res), BEDROCK_E_INVALID_ARG);
    p = invoke_params(NULL);
    p.access_key_id = "";
    assert_int_equal(brk_sigv4_sign(&r, &p, &res), BEDROCK_E_INVALID_ARG);
    p = invoke_params(NULL);
    struct brk_header bad_name[] = { { "Ho st", 5, "x", 1 } };
    r.headers = bad_name;
    r.n_headers = 1;
    assert_int_equal(brk_sigv4_sign(&r, &p, &res), BEDROCK_E_INVALID_ARG);
    r = invoke_request(invoke_path);
    r.payload_hash = "";
    assert_int_equal(brk_sigv4_sign(&r, &p, &res), BEDROCK_E_INVALID_ARG);
    r.payload_hash = "UNSIGNED-PAYLOAD";
    assert_int_equal(brk_sigv4_sign(&r, &p, &res), BEDROCK_OK);
    assert_non_null(strstr(res.canonical_request.data, "\nUNSIGNED-PAYLOAD"));
    /* a signed-header name the request lacks is malformed for the verifier */
    struct brk_buf out = BRK_BUF(4096);
    assert_int_equal(brk_sigv4_canonical_request(&out, "GET", "/", "", invoke_headers, 3,
                                                 "host;x-amz-date", "abc", true),
                     BEDROCK_E_PARSE);
    assert_int_equal(out.len, 0);
    brk_buf_cleanup(&out);
    brk_sigv4_result_cleanup(&res);
}

void key_cache(void **state)
{
    (void)state;
    uint8_t cached[32], again[32], uncached[32];
    unsigned long hits = 0, misses = 0;
    size_t entries = 0;
    brk_sigv4_key_cache_clear();
    assert_int_equal(brk_sigv4_signing_key(SECRET, "20240620", "eu-central-1", "bedrock", cached),
                     BEDROCK_OK);
    assert_int_equal(brk_sigv4_signing_key(SECRET, "20240620", "eu-central-1", "bedrock", again),
                     BEDROCK_OK);
    assert_int_equal(
        brk_sigv4_signing_key_uncached(SECRET, "20240620", "eu-central-1", "bedrock", uncached),
        BEDROCK_OK);
    assert_memory_equal(cached, again, 32);
    assert_memory_equal(cached, uncached, 32);
    brk_sigv4_key_cache_stats(&hits, &misses, &entries);
    assert_int_equal(hits, 1);
    assert_int_equal(misses, 1);
    assert_int_equal(entries, 1);
    /* another secret, region or service is another key */
    assert_int_equal(brk_sigv4_signing_key("other", "20240620", "eu-central-1", "bedrock", again),
                     BEDROCK_OK);
    assert_memory_not_equal(cached, again, 32);
    assert_int_equal(brk_sigv4_signing_key(SECRET, "20240620", "us-east-1", "bedrock", again),
                     BEDROCK_OK);
    assert_memory_not_equal(cached, again, 32);
    brk_sigv4_key_cache_stats(&hits, &misses, &entries);
    assert_int_equal(misses, 3);
    assert_int_equal(entries, 3);
    /* the cache is bounded */
    for (int i = 0; i < 20; i++) {
        char svc[16];
        snprintf(svc, sizeof(svc), "svc%d", i);
        assert_int_equal(brk_sigv4_signing_key(SECRET, "20240620", "eu-central-1", svc, again),
                         BEDROCK_OK);
    }
    brk_sigv4_key_cache_stats(NULL, NULL, &entries);
    assert_int_equal(entries, 8);
    /* a newer date drops keys older than the day before it */
    assert_int_equal(brk_sigv4_signing_key(SECRET, "20240623", "eu-central-1", "bedrock", again),
                     BEDROCK_OK);
    brk_sigv4_key_cache_stats(NULL, NULL, &entries);
    assert_int_equal(entries, 1);
    assert_int_equal(brk_sigv4_signing_key(SECRET, "20240622", "eu-central-1", "bedrock", again),
                     BEDROCK_OK);
    brk_sigv4_key_cache_stats(NULL, NULL, &entries);
    assert_int_equal(entries, 2);
    /* signatures are identical with a cold and a warm cache */
    struct brk_sigv4_request r = invoke_request(invoke_path);
    struct brk_sigv4_params p = invoke_params(TOKEN);
    struct brk_sigv4_result res;
    brk_sigv4_result_init(&res);
    brk_sigv4_key_cache_clear();
    assert_int_equal(brk_sigv4_sign(&r, &p, &res), BEDROCK_OK);
    char cold[65];
    memcpy(cold, res.signature, sizeof(cold));
    assert_int_equal(brk_sigv4_sign(&r, &p, &res), BEDROCK_OK);
    assert_string_equal(cold, res.signature);
    brk_sigv4_key_cache_stats(&hits, &misses, NULL);
    assert_int_equal(hits, 1);
    assert_int_equal(misses, 1);
    /* and equal to HMAC(uncached key, string to sign) */
    char manual[65];
    assert_int_equal(
        brk_sigv4_signing_key_uncached(SECRET, "20240620", "eu-central-1", "bedrock", uncached),
        BEDROCK_OK);
    brk_sigv4_signature(uncached, &res.string_to_sign, manual);
    assert_string_equal(manual, res.signature);
    assert_int_equal(brk_sigv4_signing_key(SECRET, "2024062", "eu-central-1", "bedrock", again),
                     BEDROCK_E_INVALID_ARG);
    brk_sigv4_result_cleanup(&res);
    brk_sigv4_key_cache_clear();
}

void public_api(void **state)
{
    (void)state;
    struct bedrock_header h[] = {
        { "Host", "bedrock-runtime.eu-central-1.amazonaws.com" },
        { "Content-Type", "application/json" },
        { "Accept", "application/json" },
    };
    struct bedrock_sigv4_request r = {
        "POST", invoke_path, NULL, h, 3, invoke_body, sizeof(invoke_body) - 1
    };
    struct bedrock_sigv4_config cfg = {
        AKID, SECRET, TOKEN, "eu-central-1", NULL, T_2024, 0, false
    };
    struct bedrock_sigv4_output out;
    assert_int_equal(bedrock_sigv4_sign_headers(&r, &cfg, &out), BEDROCK_OK);
    struct brk_sigv4_request ri = invoke_request(invoke_path);
    struct brk_sigv4_params p = invoke_params(TOKEN);
    struct brk_sigv4_result res;
    brk_sigv4_result_init(&res);
    assert_int_equal(brk_sigv4_sign(&ri, &p, &res), BEDROCK_OK);
    assert_string_equal(out.authorization, res.authorization.data);
    assert_string_equal(out.amz_date, res.amz_date);
    assert_null(out.presigned_query);
    bedrock_sigv4_output_cleanup(&out);
    assert_int_equal(bedrock_sigv4_presign(&r, &cfg, &out), BEDROCK_OK);
    assert_non_null(strstr(out.presigned_query, "&X-Amz-Signature="));
    assert_null(out.authorization);
    bedrock_sigv4_output_cleanup(&out);
    cfg.region = NULL;
    assert_int_equal(bedrock_sigv4_sign_headers(&r, &cfg, &out), BEDROCK_E_INVALID_ARG);
    brk_sigv4_result_cleanup(&res);
}

/* Runs op with allocation n failing for n = 1, 2, ... until it succeeds; every failing run
 * must report E_NOMEM (ASan's leak check at exit catches anything a failing run leaked). */
static void torture(bedrock_code (*op)(void), unsigned long *runs)
{
    for (unsigned long n = 1; n < 1000; n++) {
        brk_alloc_fail_after(n);
        bedrock_code rc = op();
        brk_alloc_fail_after(0);
        if (rc == BEDROCK_OK) {
            *runs = n;
            return;
        }
        assert_int_equal(rc, BEDROCK_E_NOMEM);
    }
    fail_msg("never succeeded");
}

static bedrock_code op_sign_many_headers(void)
{
    struct brk_header h[40];
    char names[40][16];
    for (int i = 0; i < 40; i++) {
        snprintf(names[i], sizeof(names[i]), "x-h-%02d", 39 - i);
        h[i] = (struct brk_header){ names[i], strlen(names[i]), "v  a", 4 };
    }
    h[0] = (struct brk_header){ "Host", 4, "example.com", 11 };
    struct brk_sigv4_request r = {
        "POST", "/a/./b/../model/x%3Ay/invoke", "b=2&a=1", h, 40, "{}", 2, NULL
    };
    struct brk_sigv4_params p = invoke_params(TOKEN);
    struct brk_sigv4_result res;
    brk_sigv4_result_init(&res);
    bedrock_code rc = brk_sigv4_sign(&r, &p, &res);
    brk_sigv4_result_cleanup(&res);
    return rc;
}

static bedrock_code op_presign_query(void)
{
    char q[512] = "";
    size_t used = 0;
    for (int i = 20; i > 0; i--) {
        used +=
            (size_t)snprintf(q + used, sizeof(q) - used, "%sk%d=v%%20%d", used ? "&" : "", i, i);
    }
    struct brk_sigv4_request r = invoke_request(invoke_path);
    r.query = q;
    struct brk_sigv4_params p = invoke_params(TOKEN);
    p.presign = true;
    p.omit_session_token = true;
    struct brk_sigv4_result res;
    brk_sigv4_result_init(&res);
    bedrock_code rc = brk_sigv4_sign(&r, &p, &res);
    brk_sigv4_result_cleanup(&res);
    return rc;
}

static bedrock_code op_public(void)
{
    struct bedrock_header h[] = { { "Host", "bedrock-runtime.eu-central-1.amazonaws.com" } };
    struct bedrock_sigv4_request r = { "POST", invoke_path, NULL, h, 1, "{}", 2 };
    struct bedrock_sigv4_config cfg = {
        AKID, SECRET, NULL, "eu-central-1", NULL, T_2024, 0, false
    };
    struct bedrock_sigv4_output out;
    bedrock_code rc = bedrock_sigv4_sign_headers(&r, &cfg, &out);
    if (rc == BEDROCK_OK) {
        bedrock_sigv4_output_cleanup(&out);
    }
    return rc;
}

static bedrock_code op_long_secret_key(void)
{
    char secret[400];
    memset(secret, 'k', sizeof(secret) - 1);
    secret[sizeof(secret) - 1] = '\0';
    uint8_t key[32];
    return brk_sigv4_signing_key_uncached(secret, "20240620", "r", "s", key);
}

void out_of_memory(void **state)
{
    (void)state;
    unsigned long runs = 0;
    brk_sigv4_key_cache_clear();
    torture(op_sign_many_headers, &runs);
    assert_true(runs > 1);
    torture(op_presign_query, &runs);
    assert_true(runs > 1);
    torture(op_public, &runs);
    assert_true(runs > 1);
    torture(op_long_secret_key, &runs);
    assert_true(runs > 1);
    brk_sigv4_key_cache_clear();
}
