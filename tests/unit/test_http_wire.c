/* tests/unit/test_http_wire.c - the HTTP layer's offline parts: error bodies of every protocol
 * (shapes from botocore's models and the AWS docs), the standard retry policy as a decision
 * table with delay bounds, x-amz-retry-after, and form encoding. */
#include "core/alloc.h"
#include "http/http.h"

/* cmocka.h needs these first */
/* clang-format off */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
/* clang-format on */

#include <string.h>
#include <time.h>

#define HOST "bedrock-runtime.us-east-1.amazonaws.com"

struct err_case {
    const char *name;
    int status;
    const char *h1, *v1, *h2, *v2;
    const char *body;
    bedrock_code want;
    const char *aws_code;
    const char *msg_part;
    const char *request_id;
};

static const char sts_invalid[] =
    "<ErrorResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\">\n"
    "  <Error>\n    <Type>Sender</Type>\n    <Code>InvalidClientTokenId</Code>\n"
    "    <Message>The security token included in the request is invalid.</Message>\n"
    "  </Error>\n  <RequestId>4f0c8d3a-0e2b-4b5e-9a51-1d2f6c7e8a90</RequestId>\n"
    "</ErrorResponse>\n";
static const char iam_nosuch[] =
    "<ErrorResponse xmlns=\"https://iam.amazonaws.com/doc/2010-05-08/\"><Error><Type>Sender"
    "</Type><Code>NoSuchEntity</Code><Message>The user with name bob cannot be found."
    "</Message></Error><RequestId>2b4c1f3e-5d6a-4b7c-8e9f-0a1b2c3d4e5f</RequestId>"
    "</ErrorResponse>";
static const char sts_throttle[] =
    "<ErrorResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\"><Error><Type>Sender"
    "</Type><Code>Throttling</Code><Message>Rate exceeded</Message></Error>"
    "<RequestId>c0ffee00-0000-4000-8000-000000000001</RequestId></ErrorResponse>";
static const char ec2_style[] =
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Response><Errors><Error><Code>"
    "UnauthorizedOperation</Code><Message>You are not authorized to perform this operation."
    "</Message></Error></Errors><RequestID>7a62c49f-347e-4fc4-9331-6e8eEXAMPLE</RequestID>"
    "</Response>";

#define ET  "x-amzn-ErrorType"
#define RID "x-amzn-RequestId"

static const struct err_case err_cases[] = {
    { "query sts invalid token", 403, NULL, NULL, NULL, NULL, sts_invalid, BEDROCK_E_INVALID_KEY,
      "InvalidClientTokenId", "security token included", "4f0c8d3a-0e2b-4b5e-9a51-1d2f6c7e8a90" },
    { "query iam no such entity", 404, NULL, NULL, NULL, NULL, iam_nosuch, BEDROCK_E_NOT_FOUND,
      "NoSuchEntity", "cannot be found", "2b4c1f3e-5d6a-4b7c-8e9f-0a1b2c3d4e5f" },
    { "query throttling at 400", 400, NULL, NULL, NULL, NULL, sts_throttle, BEDROCK_E_THROTTLED,
      "Throttling", "Rate exceeded", "c0ffee00-0000-4000-8000-000000000001" },
    { "ec2 Response/Errors", 403, NULL, NULL, NULL, NULL, ec2_style, BEDROCK_E_ACCESS_DENIED,
      "UnauthorizedOperation", "not authorized", "7a62c49f-347e-4fc4-9331-6e8eEXAMPLE" },
    { "rest-json access denied", 403, ET,
      "AccessDeniedException:http://internal.amazon.com/coral/com.amazon.bedrock/", RID,
      "9f1a2b3c-aaaa-bbbb-cccc-000000000001",
      "{\"message\":\"You don't have access to the model with the specified model ID.\"}",
      BEDROCK_E_ACCESS_DENIED, "AccessDeniedException", "don't have access",
      "9f1a2b3c-aaaa-bbbb-cccc-000000000001" },
    { "rest-json throttling", 429, ET, "ThrottlingException", RID, "r-2",
      "{\"message\":\"Too many requests, please wait before trying again.\"}", BEDROCK_E_THROTTLED,
      "ThrottlingException", "Too many requests", "r-2" },
    { "rest-json model not ready", 429, ET, "ModelNotReadyException", NULL, NULL,
      "{\"message\":\"Model is not ready for inference. Wait and try your request again.\"}",
      BEDROCK_E_MODEL_NOT_READY, "ModelNotReadyException", "not ready", "" },
    { "rest-json validation, code in body only", 400, NULL, NULL, RID, "r-3",
      "{\"code\":\"ValidationException\",\"message\":\"The provided model identifier is "
      "invalid.\"}",
      BEDROCK_E_VALIDATION, "ValidationException", "model identifier", "r-3" },
    { "json 1.1 budgets __type", 400, NULL, NULL, RID, "r-4",
      "{\"__type\":\"com.amazonaws.budgets#AccessDeniedException\",\"Message\":\"User: "
      "arn:aws:iam::123456789012:user/x is not authorized to perform: budgets:ViewBudget\"}",
      BEDROCK_E_ACCESS_DENIED, "AccessDeniedException", "budgets:ViewBudget", "r-4" },
    { "json 1.0 unrecognized client", 400, NULL, NULL, NULL, NULL,
      "{\"__type\":\"com.amazon.coral.service#UnrecognizedClientException\",\"message\":\"The "
      "security token included in the request is invalid.\"}",
      BEDROCK_E_INVALID_KEY, "UnrecognizedClientException", "security token", "" },
    { "json expired token", 400, NULL, NULL, NULL, NULL,
      "{\"__type\":\"com.amazon.coral.service#ExpiredTokenException\",\"message\":\"The "
      "security token included in the request is expired\"}",
      BEDROCK_E_EXPIRED, "ExpiredTokenException", "expired", "" },
    { "cloudwatch query-compatible json", 400, "x-amzn-query-error", "InvalidParameterValue;Sender",
      NULL, NULL,
      "{\"__type\":\"com.amazonaws.cloudwatch#InvalidParameterValueException\",\"message\":\"The "
      "value for parameter Namespace is not valid.\"}",
      BEDROCK_E_VALIDATION, "InvalidParameterValue", "Namespace", "" },
    { "s3-style error with x-amz-request-id", 403, "x-amz-request-id", "HDR-RID", NULL, NULL,
      "<Error><Code>AccessDenied</Code><Message>Access Denied</Message><RequestId>BODY-RID"
      "</RequestId></Error>",
      BEDROCK_E_ACCESS_DENIED, "AccessDenied", "Access Denied", "HDR-RID" },
    { "html from a proxy", 502, NULL, NULL, NULL, NULL,
      "<html><body><h1>502 Bad Gateway</h1></body></html>", BEDROCK_E_SERVICE, "",
      "HTTP 502 from " HOST, "" },
    { "empty body", 500, NULL, NULL, NULL, NULL, "", BEDROCK_E_SERVICE, "", "HTTP 500 from " HOST,
      "" },
    { "plain text", 503, NULL, NULL, NULL, NULL, "Service Unavailable\r\n", BEDROCK_E_SERVICE, "",
      "HTTP 503 from " HOST ": Service Unavailable", "" },
    { "truncated json", 400, NULL, NULL, NULL, NULL, "{\"__type\": \"Valid", BEDROCK_E_VALIDATION,
      "", "HTTP 400 from " HOST, "" },
    { "json array", 403, NULL, NULL, NULL, NULL, "[{\"message\":1}]", BEDROCK_E_ACCESS_DENIED, "",
      "HTTP 403 from " HOST, "" },
    { "non-string fields", 404, NULL, NULL, NULL, NULL, "{\"__type\":5,\"message\":{\"a\":1}}",
      BEDROCK_E_NOT_FOUND, "", "HTTP 404 from " HOST, "" },
    { "redirect not followed", 301, "Location", "https://elsewhere.example/", NULL, NULL, "",
      BEDROCK_E_AWS, "", "redirect to https://elsewhere.example/ not followed", "" },
};

static void add_header(struct brk_http_response *resp, const char *n, const char *v)
{
    if (n != NULL) {
        assert_int_equal(brk_http_response_add_header(resp, n, strlen(n), v, strlen(v)),
                         BEDROCK_OK);
    }
}

static void parse_error_table(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof(err_cases) / sizeof(err_cases[0]); i++) {
        const struct err_case *c = &err_cases[i];
        struct brk_http_response resp;
        brk_http_response_init(&resp);
        resp.status = c->status;
        memcpy(resp.host, HOST, sizeof(HOST));
        add_header(&resp, c->h1, c->v1);
        add_header(&resp, c->h2, c->v2);
        assert_int_equal(brk_buf_set(&resp.body, c->body, strlen(c->body)), BEDROCK_OK);
        struct bedrock_error err;
        brk_http_parse_error(&resp, &err);
        if (err.code != c->want || strcmp(err.aws_code, c->aws_code) != 0 ||
            strstr(err.message, c->msg_part) == NULL ||
            strcmp(err.request_id, c->request_id) != 0 || err.http_status != c->status) {
            fail_msg("case '%s': got %s aws_code='%s' message='%s' request_id='%s' status=%d",
                     c->name, bedrock_code_name(err.code), err.aws_code, err.message,
                     err.request_id, err.http_status);
        }
        brk_http_response_cleanup(&resp);
    }
}

struct retry_case {
    const char *name;
    int attempt, max_attempts;
    bedrock_code transport;
    int status;
    const char *code;
    long retry_after;
    bool want;
    long max_delay; /* jitter ceiling; exact when retry_after >= 0 */
};

static const struct retry_case retry_cases[] = {
    { "503 first attempt", 1, 3, BEDROCK_OK, 503, NULL, -1, true, 100 },
    { "500 internal, second", 2, 3, BEDROCK_OK, 500, "InternalServerException", -1, true, 200 },
    { "502", 1, 3, BEDROCK_OK, 502, NULL, -1, true, 100 },
    { "504", 1, 3, BEDROCK_OK, 504, NULL, -1, true, 100 },
    { "last attempt", 3, 3, BEDROCK_OK, 503, NULL, -1, false, 0 },
    { "429 throttling", 1, 3, BEDROCK_OK, 429, "ThrottlingException", -1, true, 500 },
    { "throttling third of five", 3, 5, BEDROCK_OK, 429, "ThrottlingException", -1, true, 2000 },
    { "query Throttling at 400", 1, 3, BEDROCK_OK, 400, "Throttling", -1, true, 500 },
    { "bare 429", 1, 3, BEDROCK_OK, 429, NULL, -1, true, 500 },
    { "model not ready", 1, 3, BEDROCK_OK, 429, "ModelNotReadyException", -1, true, 100 },
    { "validation", 1, 3, BEDROCK_OK, 400, "ValidationException", -1, false, 0 },
    { "access denied", 1, 3, BEDROCK_OK, 403, "AccessDeniedException", -1, false, 0 },
    { "expired token", 1, 3, BEDROCK_OK, 400, "ExpiredTokenException", -1, false, 0 },
    { "404", 1, 3, BEDROCK_OK, 404, NULL, -1, false, 0 },
    { "501", 1, 3, BEDROCK_OK, 501, NULL, -1, false, 0 },
    { "200", 1, 3, BEDROCK_OK, 200, NULL, -1, false, 0 },
    { "network", 1, 3, BEDROCK_E_NETWORK, 0, NULL, -1, true, 100 },
    { "timeout second", 2, 3, BEDROCK_E_TIMEOUT, 0, NULL, -1, true, 200 },
    { "tls", 1, 3, BEDROCK_E_TLS, 0, NULL, -1, false, 0 },
    { "cancelled", 1, 3, BEDROCK_E_CANCELLED, 0, NULL, -1, false, 0 },
    { "capped", 20, 30, BEDROCK_OK, 503, NULL, -1, true, 20000 },
    { "retry-after honoured", 1, 3, BEDROCK_OK, 503, NULL, 1234, true, 1234 },
    { "retry-after capped", 1, 3, BEDROCK_OK, 429, "ThrottlingException", 999999, true, 20000 },
    { "retry-after zero", 2, 3, BEDROCK_OK, 500, NULL, 0, true, 0 },
    { "retry-after on non-retryable", 1, 3, BEDROCK_OK, 400, "ValidationException", 5, false, 0 },
};

static void retry_table(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof(retry_cases) / sizeof(retry_cases[0]); i++) {
        const struct retry_case *c = &retry_cases[i];
        struct brk_retry r;
        brk_retry_init(&r, c->max_attempts);
        assert_int_equal(r.base_delay_ms, 100);
        assert_int_equal(r.max_backoff_ms, 20000);
        long lo = 1L << 30, hi = -1;
        for (int k = 0; k < 300; k++) {
            long d = -7;
            bool got = brk_retry_should(&r, c->attempt, c->transport, c->status, c->code,
                                        c->retry_after, &d);
            if (got != c->want) {
                fail_msg("case '%s': retry=%d", c->name, got);
            }
            if (!got) {
                break;
            }
            lo = d < lo ? d : lo;
            hi = d > hi ? d : hi;
        }
        if (!c->want) {
            continue;
        }
        if (c->retry_after >= 0) {
            if (lo != c->max_delay || hi != c->max_delay) {
                fail_msg("case '%s': delay %ld..%ld, want exactly %ld", c->name, lo, hi,
                         c->max_delay);
            }
        } else if (lo < 0 || hi > c->max_delay || hi < c->max_delay / 2) {
            /* full jitter over 300 draws: within [0, ceiling] and spread over it */
            fail_msg("case '%s': delay %ld..%ld, ceiling %ld", c->name, lo, hi, c->max_delay);
        }
    }
}

static void retry_defaults_and_sleep(void **state)
{
    (void)state;
    struct brk_retry r;
    brk_retry_init(&r, 0);
    assert_int_equal(r.max_attempts, 3);
    struct brk_http_response resp;
    brk_http_response_init(&resp);
    assert_int_equal(brk_http_retry_after_ms(&resp), -1);
    add_header(&resp, "X-Amz-Retry-After", "1500");
    assert_int_equal(brk_http_retry_after_ms(&resp), 1500);
    brk_http_response_cleanup(&resp);
    add_header(&resp, "x-amz-retry-after", "soon");
    assert_int_equal(brk_http_retry_after_ms(&resp), -1);
    brk_http_response_cleanup(&resp);

    struct timespec a, b;
    clock_gettime(CLOCK_MONOTONIC, &a);
    brk_sleep_ms(60);
    clock_gettime(CLOCK_MONOTONIC, &b);
    long ms = (b.tv_sec - a.tv_sec) * 1000 + (b.tv_nsec - a.tv_nsec) / 1000000;
    assert_true(ms >= 59);
}

struct form_case {
    const char *key, *value, *want;
};

static void form_encoding(void **state)
{
    (void)state;
    static const struct form_case cases[] = {
        { "Action", "GetCallerIdentity", "Action=GetCallerIdentity" },
        { "Version", "2011-06-15", "Version=2011-06-15" },
        { "UserName", "a b", "UserName=a%20b" },
        { "Tags.member.1.Value", "a+b/c=d&e", "Tags.member.1.Value=a%2Bb%2Fc%3Dd%26e" },
        { "K", "~-._AZaz09", "K=~-._AZaz09" },
        { "K", "\xc3\xa9*'()!", "K=%C3%A9%2A%27%28%29%21" },
        { "K", "", "K=" },
        { "PolicyDocument", "{\"Version\":\"2012-10-17\"}",
          "PolicyDocument=%7B%22Version%22%3A%222012-10-17%22%7D" },
    };
    struct brk_buf want = BRK_BUF(4096);
    struct brk_buf form = BRK_BUF(4096);
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        assert_int_equal(brk_form_add(&form, cases[i].key, cases[i].value), BEDROCK_OK);
        if (i > 0) {
            assert_int_equal(brk_buf_append_char(&want, '&'), BEDROCK_OK);
        }
        assert_int_equal(brk_buf_append_str(&want, cases[i].want), BEDROCK_OK);
        assert_string_equal(form.data, want.data);
    }
    assert_int_equal(brk_form_add(&form, "", "x"), BEDROCK_E_INVALID_ARG);
    brk_buf_cleanup(&form);
    brk_buf_cleanup(&want);

    struct brk_buf small = BRK_BUF(16);
    assert_int_equal(brk_form_add(&small, "Action", "List"), BEDROCK_OK);
    assert_int_equal(brk_form_add(&small, "Marker", "abcdefgh"), BEDROCK_E_LIMIT);
    assert_string_equal(small.data, "Action=List"); /* no half-written pair */
    brk_buf_cleanup(&small);
}

static void header_lookup_case_insensitive(void **state)
{
    (void)state;
    struct brk_http_response resp;
    brk_http_response_init(&resp);
    add_header(&resp, "X-Amzn-RequestId", "abc");
    add_header(&resp, "Content-Type", "application/json");
    assert_string_equal(brk_http_response_header(&resp, "x-amzn-requestid"), "abc");
    assert_string_equal(brk_http_response_header(&resp, "CONTENT-TYPE"), "application/json");
    assert_null(brk_http_response_header(&resp, "x-missing"));
    brk_http_response_cleanup(&resp);
    brk_http_response_cleanup(&resp); /* safe twice */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(parse_error_table),
        cmocka_unit_test(retry_table),
        cmocka_unit_test(retry_defaults_and_sleep),
        cmocka_unit_test(form_encoding),
        cmocka_unit_test(header_lookup_case_insensitive),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
