/*
 * tests/unit/test_call.c - the signed-call layer over real HTTP on 127.0.0.1, against a scripted
 * server (tests/integration/scripted_server.py) that answers from a JSON script and logs every
 * request: retries on throttling and 503 (with the attempt count and "throttled after N
 * attempts"), one retry after ExpiredToken, no retry once a streamed body reached the caller,
 * SigV4 headers and Host with port, model ids encoded as one path segment, Bearer auth, usage
 * headers, needs-profile detection (+ auto-profile), and the hints for denials.
 */
#include "servers.h"
#include "services/call.h"

#include <bedrock/client.h>
#include <bedrock/control.h>
#include <bedrock/runtime.h>

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* cmocka.h needs these three first */
/* clang-format off */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
/* clang-format on */

static struct test_server srv;
static char script_file[300], log_file[300];

static const char model[] = "anthropic.claude-3-5-sonnet-20240620-v1:0";
static const char body[] = "{\"anthropic_version\":\"bedrock-2023-05-31\",\"max_tokens\":10,"
                           "\"messages\":[{\"role\":\"user\",\"content\":\"Say hello\"}]}";

static void script(const char *json)
{
    char tmp[320];
    snprintf(tmp, sizeof(tmp), "%s.tmp", script_file);
    FILE *f = fopen(tmp, "w");
    assert_non_null(f);
    fputs(json, f);
    fclose(f);
    assert_int_equal(rename(tmp, script_file), 0);
}

/* The request log as a JSON array. */
static json_t *requests(void)
{
    json_t *arr = json_array();
    FILE *f = fopen(log_file, "r");
    char line[65536];
    while (f != NULL && fgets(line, sizeof(line), f) != NULL) {
        json_error_t je;
        json_t *o = json_loads(line, 0, &je);
        assert_non_null(o);
        json_array_append_new(arr, o);
    }
    if (f != NULL) {
        fclose(f);
    }
    return arr;
}

static const char *req_header(json_t *reqs, size_t i, const char *name)
{
    return json_string_value(
        json_object_get(json_object_get(json_array_get(reqs, i), "headers"), name));
}

static const char *req_path(json_t *reqs, size_t i)
{
    return json_string_value(json_object_get(json_array_get(reqs, i), "path"));
}

static struct bedrock_client *client(int attempts, const char *bearer)
{
    struct bedrock_client_options o = { 0 };
    o.region = "eu-central-1";
    o.endpoint_url = srv.url;
    o.no_dotenv = true;
    if (bearer == NULL) {
        o.access_key_id = "AKIAIOSFODNN7EXAMPLE";
        o.secret_access_key = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
    }
    o.bearer_token = bearer;
    o.max_attempts = attempts;
    o.read_timeout_ms = 5000;
    struct bedrock_error err;
    bedrock_error_clear(&err);
    struct bedrock_client *c = NULL;
    assert_int_equal(bedrock_client_new(&o, &c, &err), BEDROCK_OK);
    return c;
}

static bedrock_code invoke(struct bedrock_client *c, const char *id, struct bedrock_error *err,
                           struct bedrock_invoke_response *out)
{
    struct bedrock_invoke_request r = { id, body, strlen(body), NULL, NULL };
    bedrock_error_clear(err);
    memset(out, 0, sizeof(*out));
    return bedrock_runtime_invoke(c, &r, out, err);
}

#define THROTTLE                                                                              \
    "{\"status\":429,\"headers\":{\"x-amzn-ErrorType\":\"ThrottlingException\","              \
    "\"x-amz-retry-after\":\"5\"},\"body\":\"{\\\"message\\\":\\\"Too many requests, please " \
    "wait before trying again.\\\"}\"}"
#define OK_INVOKE                                                                              \
    "{\"status\":200,\"headers\":{\"Content-Type\":\"application/json\","                      \
    "\"x-amzn-bedrock-input-token-count\":\"12\",\"x-amzn-bedrock-output-token-count\":\"7\"," \
    "\"x-amzn-bedrock-invocation-latency\":\"321\",\"x-amzn-RequestId\":\"req-1\"},"           \
    "\"body\":\"{\\\"content\\\":[{\\\"type\\\":\\\"text\\\",\\\"text\\\":\\\"Hello!\\\"}]}\"}"

static void test_invoke_ok_signed(void **state)
{
    (void)state;
    script("[" OK_INVOKE "]");
    struct bedrock_client *c = client(3, NULL);
    struct bedrock_error err;
    struct bedrock_invoke_response out;
    assert_int_equal(invoke(c, model, &err, &out), BEDROCK_OK);
    assert_non_null(strstr(out.body, "Hello!"));
    assert_int_equal(out.usage.input_tokens, 12);
    assert_int_equal(out.usage.output_tokens, 7);
    assert_int_equal(out.usage.latency_ms, 321);
    assert_string_equal(out.request_id, "req-1");
    json_t *r = requests();
    assert_int_equal(json_array_size(r), 1);
    assert_string_equal(req_path(r, 0),
                        "/model/anthropic.claude-3-5-sonnet-20240620-v1%3A0/invoke");
    char host[64];
    snprintf(host, sizeof(host), "127.0.0.1:%d", srv.port);
    assert_string_equal(req_header(r, 0, "host"), host);
    const char *auth = req_header(r, 0, "authorization");
    assert_non_null(auth);
    assert_non_null(strstr(auth, "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/"));
    assert_non_null(strstr(auth, "/eu-central-1/bedrock/aws4_request"));
    assert_non_null(req_header(r, 0, "x-amz-date"));
    assert_string_equal(json_string_value(json_object_get(json_array_get(r, 0), "body")), body);
    json_decref(r);
    bedrock_invoke_response_cleanup(&out);
    bedrock_client_free(c);
}

static void test_model_id_forms(void **state)
{
    (void)state;
    static const char *const ids[][2] = {
        { "anthropic.claude-3-5-sonnet-20240620-v1:0",
          "/model/anthropic.claude-3-5-sonnet-20240620-v1%3A0/invoke" },
        { "arn:aws:bedrock:eu-central-1::foundation-model/"
          "anthropic.claude-3-5-sonnet-20240620-v1:0",
          "/model/arn%3Aaws%3Abedrock%3Aeu-central-1%3A%3Afoundation-model%2F"
          "anthropic.claude-3-5-sonnet-20240620-v1%3A0/invoke" },
        { "eu.anthropic.claude-sonnet-4-5-20250929-v1:0",
          "/model/eu.anthropic.claude-sonnet-4-5-20250929-v1%3A0/invoke" },
        { "arn:aws:bedrock:eu-central-1:123456789012:inference-profile/"
          "global.anthropic.claude-sonnet-4-5-20250929-v1:0",
          "/model/arn%3Aaws%3Abedrock%3Aeu-central-1%3A123456789012%3Ainference-profile%2F"
          "global.anthropic.claude-sonnet-4-5-20250929-v1%3A0/invoke" },
    };
    struct bedrock_client *c = client(1, NULL);
    for (size_t i = 0; i < sizeof(ids) / sizeof(ids[0]); i++) {
        char s[4096];
        /* new content (trailing spaces) restarts the script and the log */
        snprintf(s, sizeof(s), "[" OK_INVOKE "]%*s", (int)i + 1, "");
        script(s);
        struct bedrock_error err;
        struct bedrock_invoke_response out;
        assert_int_equal(invoke(c, ids[i][0], &err, &out), BEDROCK_OK);
        json_t *r = requests();
        assert_string_equal(req_path(r, 0), ids[i][1]);
        json_decref(r);
        bedrock_invoke_response_cleanup(&out);
    }
    bedrock_client_free(c);
}

static void test_retry_throttle_then_ok(void **state)
{
    (void)state;
    script("[" THROTTLE "," THROTTLE "," OK_INVOKE "]");
    struct bedrock_client *c = client(3, NULL);
    struct bedrock_error err;
    struct bedrock_invoke_response out;
    assert_int_equal(invoke(c, model, &err, &out), BEDROCK_OK);
    assert_int_equal(brk_client_last_attempts(c), 3);
    json_t *r = requests();
    assert_int_equal(json_array_size(r), 3);
    json_decref(r);
    bedrock_invoke_response_cleanup(&out);
    bedrock_client_free(c);
}

static void test_throttled_after_retries(void **state)
{
    (void)state;
    script("[" THROTTLE "]");
    struct bedrock_client *c = client(3, NULL);
    struct bedrock_error err;
    struct bedrock_invoke_response out;
    assert_int_equal(invoke(c, model, &err, &out), BEDROCK_E_THROTTLED);
    assert_int_equal(brk_client_last_attempts(c), 3);
    assert_non_null(strstr(err.message, "throttled after 3 attempts"));
    assert_string_equal(err.aws_code, "ThrottlingException");
    assert_int_equal(err.http_status, 429);
    assert_non_null(strstr(err.hint, "Service Quotas"));
    bedrock_client_free(c);
}

static void test_retry_503(void **state)
{
    (void)state;
    script("[{\"status\":503,\"headers\":{\"x-amzn-ErrorType\":\"ServiceUnavailableException\","
           "\"x-amz-retry-after\":\"5\"},\"body\":\"{\\\"message\\\":\\\"busy\\\"}\"}," OK_INVOKE
           "]");
    struct bedrock_client *c = client(3, NULL);
    struct bedrock_error err;
    struct bedrock_invoke_response out;
    assert_int_equal(invoke(c, model, &err, &out), BEDROCK_OK);
    assert_int_equal(brk_client_last_attempts(c), 2);
    bedrock_invoke_response_cleanup(&out);
    bedrock_client_free(c);
}

#define EXPIRED                                                                      \
    "{\"status\":403,\"headers\":{\"x-amzn-ErrorType\":\"ExpiredTokenException\"},"  \
    "\"body\":\"{\\\"message\\\":\\\"The security token included in the request is " \
    "expired\\\"}\"}"

static void test_expired_token(void **state)
{
    (void)state;
    /* retried exactly once even with max_attempts 1 ... */
    script("[" EXPIRED "," OK_INVOKE "]");
    struct bedrock_client *c = client(1, NULL);
    struct bedrock_error err;
    struct bedrock_invoke_response out;
    assert_int_equal(invoke(c, model, &err, &out), BEDROCK_OK);
    assert_int_equal(brk_client_last_attempts(c), 2);
    bedrock_invoke_response_cleanup(&out);
    /* ... and then fails clearly */
    script("[" EXPIRED "]");
    assert_int_equal(invoke(c, model, &err, &out), BEDROCK_E_EXPIRED);
    assert_int_equal(brk_client_last_attempts(c), 2);
    assert_non_null(strstr(err.message, "still expired after refreshing"));
    assert_non_null(strstr(err.hint, "refresh"));
    bedrock_client_free(c);
}

static bedrock_code count_events(void *ctx, const struct bedrock_stream_event *ev)
{
    (void)ev;
    (*(int *)ctx)++;
    return BEDROCK_OK;
}

/* A 200 stream whose connection drops after 40 bytes: bytes reached the pipeline, so the call
 * must fail without a retry, even though the next scripted answer would succeed. */
static void test_no_retry_after_data(void **state)
{
    (void)state;
    script("[{\"status\":200,\"headers\":{\"Content-Type\":\"application/vnd.amazon.eventstream\"},"
           "\"body\":\"0123456789012345678901234567890123456789012345678901234567890123456789\","
           "\"drop_after\":40}," OK_INVOKE "]");
    struct bedrock_client *c = client(3, NULL);
    struct bedrock_invoke_request r = { model, body, strlen(body), NULL, NULL };
    struct bedrock_error err;
    bedrock_error_clear(&err);
    int events = 0;
    struct bedrock_usage u;
    bedrock_code rc = bedrock_runtime_invoke_stream(c, &r, count_events, &events, &u, &err);
    assert_int_not_equal(rc, BEDROCK_OK);
    assert_int_equal(brk_client_last_attempts(c), 1);
    json_t *reqs = requests();
    assert_int_equal(json_array_size(reqs), 1);
    assert_string_equal(req_header(reqs, 0, "accept"), "application/vnd.amazon.eventstream");
    assert_string_equal(req_path(reqs, 0), "/model/anthropic.claude-3-5-sonnet-20240620-v1%3A0/"
                                           "invoke-with-response-stream");
    json_decref(reqs);
    assert_int_equal(events, 0);
    bedrock_client_free(c);
}

static void test_bearer(void **state)
{
    (void)state;
    script("[" OK_INVOKE "]");
    struct bedrock_client *c = client(1, "bedrock-api-key-test-token");
    struct bedrock_error err;
    struct bedrock_invoke_response out;
    assert_int_equal(invoke(c, model, &err, &out), BEDROCK_OK);
    json_t *r = requests();
    assert_string_equal(req_header(r, 0, "authorization"), "Bearer bedrock-api-key-test-token");
    assert_null(req_header(r, 0, "x-amz-date"));
    json_decref(r);
    bedrock_invoke_response_cleanup(&out);
    bedrock_client_free(c);
}

static void test_access_denied_hints(void **state)
{
    (void)state;
    script("[{\"status\":403,\"headers\":{\"x-amzn-ErrorType\":\"AccessDeniedException\"},"
           "\"body\":\"{\\\"message\\\":\\\"User: arn:aws:iam::123456789012:user/app is not "
           "authorized to perform: bedrock:InvokeModel on resource: "
           "arn:aws:bedrock:eu-central-1::foundation-model/"
           "anthropic.claude-3-5-sonnet-20240620-v1:0 because no identity-based policy allows "
           "the bedrock:InvokeModel action\\\"}\"}]");
    struct bedrock_client *c = client(3, NULL);
    struct bedrock_error err;
    struct bedrock_invoke_response out;
    assert_int_equal(invoke(c, model, &err, &out), BEDROCK_E_ACCESS_DENIED);
    assert_int_equal(brk_client_last_attempts(c), 1);
    assert_non_null(strstr(err.hint, "{\"Effect\":\"Allow\",\"Action\":\"bedrock:InvokeModel\","
                                     "\"Resource\":\"arn:aws:bedrock:eu-central-1::"
                                     "foundation-model/anthropic.claude-3-5-sonnet-20240620-v1:0"
                                     "\"}"));
    script("[{\"status\":403,\"headers\":{\"x-amzn-ErrorType\":\"AccessDeniedException\"},"
           "\"body\":\"{\\\"message\\\":\\\"You don't have access to the model with the "
           "specified model ID.\\\"}\"}]");
    assert_int_equal(invoke(c, model, &err, &out), BEDROCK_E_MODEL_ACCESS);
    assert_non_null(strstr(err.hint, "not an IAM problem"));
    assert_non_null(strstr(err.hint, "Model access"));
    bedrock_client_free(c);
}

#define NEEDS_PROFILE                                                                             \
    "{\"status\":400,\"headers\":{\"x-amzn-ErrorType\":\"ValidationException\"},"                 \
    "\"body\":\"{\\\"message\\\":\\\"Invocation of model ID "                                     \
    "anthropic.claude-sonnet-4-5-20250929-v1:0 with on-demand throughput isn\\u2019t supported. " \
    "Retry your request with the ID or ARN of an inference profile that contains this "           \
    "model.\\\"}\"}"
#define PROFILES                                                                            \
    "{\"status\":200,\"body\":\"{\\\"inferenceProfileSummaries\\\":[{"                      \
    "\\\"inferenceProfileId\\\":\\\"us.anthropic.claude-sonnet-4-5-20250929-v1:0\\\","      \
    "\\\"models\\\":[],\\\"type\\\":\\\"SYSTEM_DEFINED\\\"},{"                              \
    "\\\"inferenceProfileId\\\":\\\"eu.anthropic.claude-sonnet-4-5-20250929-v1:0\\\","      \
    "\\\"models\\\":[{\\\"modelArn\\\":\\\"arn:aws:bedrock:eu-central-1::foundation-model/" \
    "anthropic.claude-sonnet-4-5-20250929-v1:0\\\"}],\\\"status\\\":\\\"ACTIVE\\\","        \
    "\\\"type\\\":\\\"SYSTEM_DEFINED\\\",\\\"newField\\\":1}]}\"}"

static void test_needs_profile(void **state)
{
    (void)state;
    static const char id[] = "anthropic.claude-sonnet-4-5-20250929-v1:0";
    script("[" NEEDS_PROFILE "," PROFILES "]");
    struct bedrock_client *c = client(3, NULL);
    struct bedrock_error err;
    struct bedrock_invoke_response out;
    assert_int_equal(invoke(c, id, &err, &out), BEDROCK_E_NEEDS_PROFILE);
    assert_non_null(strstr(err.hint, "eu.anthropic.claude-sonnet-4-5-20250929-v1:0"));
    json_t *r = requests();
    assert_int_equal(json_array_size(r), 2);
    assert_non_null(strstr(req_path(r, 1), "/inference-profiles?"));
    assert_non_null(strstr(req_path(r, 1), "type=SYSTEM_DEFINED"));
    json_decref(r);
    /* auto profile: retried once through the profile */
    script("[" NEEDS_PROFILE "," PROFILES "," OK_INVOKE "]");
    bedrock_client_set_auto_profile(c, true);
    assert_int_equal(invoke(c, id, &err, &out), BEDROCK_OK);
    r = requests();
    assert_int_equal(json_array_size(r), 3);
    assert_string_equal(req_path(r, 2),
                        "/model/eu.anthropic.claude-sonnet-4-5-20250929-v1%3A0/invoke");
    json_decref(r);
    bedrock_invoke_response_cleanup(&out);
    bedrock_client_free(c);
}

static void test_no_credentials(void **state)
{
    (void)state;
    struct bedrock_client_options o = { 0 };
    o.region = "eu-central-1";
    o.endpoint_url = srv.url;
    o.no_dotenv = true;
    struct bedrock_error err;
    bedrock_error_clear(&err);
    struct bedrock_client *c = NULL;
    assert_int_equal(bedrock_client_new(&o, &c, &err), BEDROCK_OK);
    struct bedrock_invoke_response out;
    assert_int_equal(invoke(c, model, &err, &out), BEDROCK_E_NO_CREDENTIALS);
    assert_non_null(strstr(err.hint, "bedrockctl setup"));
    bedrock_client_free(c);
}

static void test_no_region(void **state)
{
    (void)state;
    const char *endpoints[2] = { NULL, srv.url };
    unsetenv("AWS_REGION");
    unsetenv("AWS_DEFAULT_REGION");
    for (int i = 0; i < 2; i++) {
        struct bedrock_client_options o = { 0 };
        o.endpoint_url = endpoints[i];
        o.no_dotenv = true;
        o.access_key_id = "AKIAIOSFODNN7EXAMPLE";
        o.secret_access_key = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
        struct bedrock_error err;
        bedrock_error_clear(&err);
        struct bedrock_client *c = NULL;
        assert_int_equal(bedrock_client_new(&o, &c, &err), BEDROCK_OK);
        struct bedrock_invoke_response out;
        assert_int_equal(invoke(c, model, &err, &out), BEDROCK_E_NO_REGION);
        assert_non_null(strstr(err.hint, "AWS_REGION"));
        bedrock_client_free(c);
    }
}

static int setup(void **state)
{
    (void)state;
    char py[600];
    const char *src = getenv("BRK_SOURCE_DIR");
    snprintf(py, sizeof(py), "%s/tests/integration/scripted_server.py", src ? src : ".");
    setenv("AWS_CONFIG_FILE", "/dev/null", 1);
    setenv("AWS_SHARED_CREDENTIALS_FILE", "/dev/null", 1);
    setenv("AWS_EC2_METADATA_DISABLED", "true", 1);
    unsetenv("AWS_ACCESS_KEY_ID");
    unsetenv("AWS_SECRET_ACCESS_KEY");
    unsetenv("AWS_SESSION_TOKEN");
    unsetenv("AWS_PROFILE");
    unsetenv("AWS_BEARER_TOKEN_BEDROCK");
    unsetenv("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI");
    unsetenv("AWS_CONTAINER_CREDENTIALS_FULL_URI");
    unsetenv("AWS_WEB_IDENTITY_TOKEN_FILE");
    return test_start_script(&srv, py, script_file, sizeof(script_file), log_file, sizeof(log_file))
               ? 0
               : -1;
}

static int teardown(void **state)
{
    (void)state;
    test_stop(&srv);
    return 0;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_invoke_ok_signed),
        cmocka_unit_test(test_model_id_forms),
        cmocka_unit_test(test_retry_throttle_then_ok),
        cmocka_unit_test(test_throttled_after_retries),
        cmocka_unit_test(test_retry_503),
        cmocka_unit_test(test_expired_token),
        cmocka_unit_test(test_no_retry_after_data),
        cmocka_unit_test(test_bearer),
        cmocka_unit_test(test_access_denied_hints),
        cmocka_unit_test(test_needs_profile),
        cmocka_unit_test(test_no_credentials),
        cmocka_unit_test(test_no_region),
    };
    if (bedrock_global_init() != BEDROCK_OK) {
        return 1;
    }
    int rc = cmocka_run_group_tests(tests, setup, teardown);
    bedrock_global_cleanup();
    return rc;
}
