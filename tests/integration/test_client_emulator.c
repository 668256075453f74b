/*
 * tests/integration/test_client_emulator.c - libbedrock against bedrock-emulator (started here
 * on 127.0.0.1 port 0, stopped by its PID): STS, control plane, every runtime operation and
 * model-id form, streaming with each in-stream exception (x-emulator-fault), truncated, corrupt
 * and stalled streams, retries on throttle and 503, auth and access errors with their hints
 * (unknown key, wrong secret, a least-privilege user created through IAM, denied model access),
 * the needs-profile hint and auto-profile, and examples/hello run against it.
 */
#include "servers.h"
#include "services/call.h"

#include <bedrock/client.h>
#include <bedrock/control.h>
#include <bedrock/runtime.h>
#include <bedrock/sts.h>

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

#define ROOT_KEY    "AKIAIOSFODNN7EXAMPLE"
#define ROOT_SECRET "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"
#define SONNET35    "anthropic.claude-3-5-sonnet-20240620-v1:0"
#define SONNET45    "anthropic.claude-sonnet-4-5-20250929-v1:0"
#define DENIED      "anthropic.claude-3-haiku-20240307-v1:0"

static struct test_server emu;
static const char body[] = "{\"anthropic_version\":\"bedrock-2023-05-31\",\"max_tokens\":50,"
                           "\"messages\":[{\"role\":\"user\",\"content\":\"Say hello\"}]}";

static struct bedrock_client *client_keys(const char *key, const char *secret, long read_ms)
{
    struct bedrock_client_options o = { 0 };
    o.region = "eu-central-1";
    o.endpoint_url = emu.url;
    o.no_dotenv = true;
    o.access_key_id = key;
    o.secret_access_key = secret;
    o.read_timeout_ms = read_ms;
    o.max_attempts = 3;
    struct bedrock_error err;
    bedrock_error_clear(&err);
    struct bedrock_client *c = NULL;
    assert_int_equal(bedrock_client_new(&o, &c, &err), BEDROCK_OK);
    return c;
}

static struct bedrock_client *root(void)
{
    return client_keys(ROOT_KEY, ROOT_SECRET, 10000);
}

static void check(bedrock_code rc, const struct bedrock_error *err)
{
    if (rc != BEDROCK_OK) {
        fail_msg("%s: %s | %s", bedrock_code_name(rc), err->message, err->hint);
    }
}

static bedrock_code invoke(struct bedrock_client *c, const char *id, struct bedrock_error *err)
{
    struct bedrock_invoke_request r = { id, body, strlen(body), NULL, NULL };
    struct bedrock_invoke_response out = { 0 };
    bedrock_error_clear(err);
    bedrock_code rc = bedrock_runtime_invoke(c, &r, &out, err);
    if (rc == BEDROCK_OK) {
        assert_non_null(strstr(out.body, "\"content\""));
        assert_true(out.usage.input_tokens > 0);
        assert_true(out.usage.output_tokens > 0);
        assert_true(out.request_id[0] != '\0');
    }
    bedrock_invoke_response_cleanup(&out);
    return rc;
}

struct text {
    char buf[8192];
    size_t len;
    int events;
};

static bedrock_code on_text(void *ctx, const struct bedrock_stream_event *ev)
{
    struct text *t = ctx;
    t->events++;
    if (ev->text != NULL && t->len + ev->text_len < sizeof(t->buf)) {
        memcpy(t->buf + t->len, ev->text, ev->text_len);
        t->len += ev->text_len;
        t->buf[t->len] = '\0';
    }
    return BEDROCK_OK;
}

static bedrock_code stream(struct bedrock_client *c, const char *id, struct text *t,
                           struct bedrock_usage *u, struct bedrock_error *err)
{
    struct bedrock_invoke_request r = { id, body, strlen(body), NULL, NULL };
    memset(t, 0, sizeof(*t));
    bedrock_error_clear(err);
    return bedrock_runtime_invoke_stream(c, &r, on_text, t, u, err);
}

static void test_whoami(void **state)
{
    (void)state;
    struct bedrock_client *c = root();
    struct bedrock_identity id;
    struct bedrock_error err;
    bedrock_error_clear(&err);
    check(bedrock_sts_get_caller_identity(c, &id, &err), &err);
    assert_string_equal(id.account, "123456789012");
    assert_string_equal(id.arn, "arn:aws:iam::123456789012:root");
    bedrock_client_free(c);
}

static void test_control_plane(void **state)
{
    (void)state;
    struct bedrock_client *c = root();
    struct bedrock_error err;
    bedrock_error_clear(&err);
    struct bedrock_model_filter f = { "Anthropic", NULL, NULL, NULL };
    struct bedrock_model_list ml = { 0 };
    check(bedrock_list_foundation_models(c, &f, &ml, &err), &err);
    assert_true(ml.n_models > 0);
    bool found = false;
    for (size_t i = 0; i < ml.n_models; i++) {
        assert_string_equal(ml.models[i].provider_name, "Anthropic");
        found = found || strcmp(ml.models[i].model_id, SONNET35) == 0;
    }
    assert_true(found);
    bedrock_model_list_cleanup(&ml);
    const char *ids[] = { SONNET35, "arn:aws:bedrock:eu-central-1::foundation-model/" SONNET35 };
    for (size_t i = 0; i < 2; i++) {
        check(bedrock_get_foundation_model(c, ids[i], &ml, &err), &err);
        assert_int_equal(ml.n_models, 1);
        assert_string_equal(ml.models[0].model_id, SONNET35);
        assert_true(ml.models[0].streaming_known && ml.models[0].streaming_supported);
        assert_non_null(ml.models[0].inference_types[0]);
        bedrock_model_list_cleanup(&ml);
    }
    bedrock_code nf = bedrock_get_foundation_model(c, "no.such-model-v9:0", &ml, &err);
    assert_int_not_equal(nf, BEDROCK_OK);
    assert_int_equal(bedrock_code_category(nf), BEDROCK_CAT_NOTFOUND);
    assert_non_null(strstr(err.hint, "bedrockctl models list"));
    struct bedrock_profile_list pl = { 0 };
    check(bedrock_list_inference_profiles(c, &pl, &err), &err);
    found = false;
    for (size_t i = 0; i < pl.n_profiles; i++) {
        found = found || strcmp(pl.profiles[i].profile_id, "eu." SONNET45) == 0;
    }
    assert_true(found);
    bedrock_profile_list_cleanup(&pl);
    check(bedrock_get_inference_profile(c, "eu." SONNET45, &pl, &err), &err);
    assert_int_equal(pl.n_profiles, 1);
    assert_non_null(pl.profiles[0].model_arns[0]);
    bedrock_profile_list_cleanup(&pl);
    char prof[128];
    check(bedrock_find_profile_for_model(c, SONNET45, prof, sizeof(prof), &err), &err);
    assert_string_equal(prof, "eu." SONNET45);
    bedrock_client_free(c);
}

static void test_invoke_model_id_forms(void **state)
{
    (void)state;
    static const char *const ids[] = {
        SONNET35,
        "arn:aws:bedrock:eu-central-1::foundation-model/" SONNET35,
        "eu." SONNET45,
        "arn:aws:bedrock:eu-central-1:123456789012:inference-profile/eu." SONNET45,
        "global." SONNET45,
    };
    struct bedrock_client *c = root();
    struct bedrock_error err;
    for (size_t i = 0; i < sizeof(ids) / sizeof(ids[0]); i++) {
        check(invoke(c, ids[i], &err), &err);
    }
    assert_int_equal(invoke(c, "anthropic.claude-nonexistent-v1:0", &err), BEDROCK_E_VALIDATION);
    assert_non_null(strstr(err.hint, "bedrockctl models list"));
    bedrock_client_free(c);
}

static void test_streams_and_converse(void **state)
{
    (void)state;
    struct bedrock_client *c = root();
    struct bedrock_error err;
    struct text t;
    struct bedrock_usage u;
    check(stream(c, SONNET35, &t, &u, &err), &err);
    assert_true(t.len > 0);
    assert_true(u.input_tokens > 0 && u.output_tokens > 0);
    assert_true(u.stop_reason[0] != '\0');
    struct bedrock_message msgs[1] = { { "user", "Say hello" } };
    struct bedrock_converse_request cr = { SONNET35, "Be brief.", msgs, 1, 50, 0.5, NULL };
    struct bedrock_converse_response out = { 0 };
    check(bedrock_runtime_converse(c, &cr, &out, &err), &err);
    assert_true(strlen(out.text) > 0);
    assert_true(out.usage.output_tokens > 0);
    assert_non_null(strstr(out.raw_json, "\"output\""));
    bedrock_converse_response_cleanup(&out);
    memset(&t, 0, sizeof(t));
    check(bedrock_runtime_converse_stream(c, &cr, on_text, &t, &u, &err), &err);
    assert_true(t.len > 0);
    assert_true(u.input_tokens > 0 && u.output_tokens > 0);
    long n = 0;
    check(bedrock_runtime_count_tokens(c, SONNET35, body, strlen(body), &n, &err), &err);
    assert_true(n > 0);
    bedrock_client_free(c);
}

static void test_stream_faults(void **state)
{
    (void)state;
    static const struct {
        const char *fault;
        bedrock_code want;
    } cases[] = {
        { "stream-exception=modelStreamErrorException@2", BEDROCK_E_STREAM_ERROR },
        { "stream-exception=throttlingException@2", BEDROCK_E_THROTTLED },
        { "stream-exception=validationException@1", BEDROCK_E_VALIDATION },
        { "stream-exception=internalServerException@2", BEDROCK_E_SERVICE },
        { "stream-exception=serviceUnavailableException@2", BEDROCK_E_SERVICE },
        { "drop@3", BEDROCK_E_STREAM_TRUNCATED },
        { "bad-crc@2", BEDROCK_E_CRC },
    };
    struct bedrock_client *c = root();
    struct bedrock_error err;
    struct text t;
    struct bedrock_usage u;
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        assert_int_equal(brk_client_set_extra_header(c, "x-emulator-fault", cases[i].fault),
                         BEDROCK_OK);
        bedrock_code rc = stream(c, SONNET35, &t, &u, &err);
        if (rc != cases[i].want) {
            fail_msg("%s: got %s (%s)", cases[i].fault, bedrock_code_name(rc), err.message);
        }
        assert_int_equal(brk_client_last_attempts(c), 1); /* never retried after data */
        assert_true(err.message[0] != '\0');
    }
    bedrock_client_free(c);
    /* a stalled stream with a short read timeout */
    c = client_keys(ROOT_KEY, ROOT_SECRET, 1000);
    assert_int_equal(brk_client_set_extra_header(c, "x-emulator-fault", "stall@2"), BEDROCK_OK);
    assert_int_equal(stream(c, SONNET35, &t, &u, &err), BEDROCK_E_TIMEOUT);
    assert_int_equal(brk_client_last_attempts(c), 1);
    assert_non_null(strstr(err.hint, "--read-timeout"));
    bedrock_client_free(c);
}

static void test_retries(void **state)
{
    (void)state;
    struct bedrock_client *c = root();
    struct bedrock_error err;
    assert_int_equal(brk_client_set_extra_header(c, "x-emulator-fault", "throttle"), BEDROCK_OK);
    assert_int_equal(invoke(c, SONNET35, &err), BEDROCK_E_THROTTLED);
    assert_int_equal(brk_client_last_attempts(c), 3);
    assert_non_null(strstr(err.message, "throttled after 3 attempts"));
    assert_non_null(strstr(err.hint, "Service Quotas"));
    assert_int_equal(brk_client_set_extra_header(c, "x-emulator-fault", "http-503"), BEDROCK_OK);
    assert_int_equal(invoke(c, SONNET35, &err), BEDROCK_E_SERVICE);
    assert_int_equal(brk_client_last_attempts(c), 3);
    assert_int_equal(err.http_status, 503);
    assert_int_equal(brk_client_set_extra_header(c, "x-emulator-fault", NULL), BEDROCK_OK);
    check(invoke(c, SONNET35, &err), &err);
    assert_int_equal(brk_client_last_attempts(c), 1);
    bedrock_client_free(c);
}

static void test_auth_errors(void **state)
{
    (void)state;
    struct bedrock_error err;
    struct bedrock_client *c = client_keys("AKIAUNKNOWNKEY000000", ROOT_SECRET, 10000);
    assert_int_equal(invoke(c, SONNET35, &err), BEDROCK_E_INVALID_KEY);
    assert_non_null(strstr(err.hint, "bedrockctl keys list"));
    bedrock_client_free(c);
    c = client_keys(ROOT_KEY, "wJalrXUtnFEMI/K7MDENG/bPxRfiCYWRONGKEY00", 10000);
    assert_int_equal(invoke(c, SONNET35, &err), BEDROCK_E_SIGNATURE);
    assert_non_null(strstr(err.hint, "--debug"));
    assert_int_equal(brk_client_last_attempts(c), 1);
    bedrock_client_free(c);
}

/* A least-privilege user made with IAM query calls: may invoke Claude 3.5 Sonnet only. */
static void test_least_privilege(void **state)
{
    (void)state;
    struct bedrock_client *c = root();
    struct bedrock_error err;
    bedrock_error_clear(&err);
    struct brk_buf form = BRK_BUF(4096);
    struct brk_xml *doc = NULL;
    assert_int_equal(brk_form_add(&form, "UserName", "app"), BEDROCK_OK);
    check(brk_query_call(c, "iam", "iam", "CreateUser", "2010-05-08", &form, NULL, &doc, &err),
          &err);
    brk_xml_free(doc);
    assert_int_equal(brk_form_add(&form, "PolicyName", "invoke-sonnet"), BEDROCK_OK);
    assert_int_equal(brk_form_add(&form, "PolicyDocument",
                                  "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":"
                                  "\"Allow\",\"Action\":\"bedrock:InvokeModel\",\"Resource\":"
                                  "\"arn:aws:bedrock:*::foundation-model/" SONNET35 "\"}]}"),
                     BEDROCK_OK);
    check(brk_query_call(c, "iam", "iam", "PutUserPolicy", "2010-05-08", &form, NULL, &doc, &err),
          &err);
    brk_xml_free(doc);
    brk_buf_reset(&form);
    assert_int_equal(brk_form_add(&form, "UserName", "app"), BEDROCK_OK);
    check(brk_query_call(c, "iam", "iam", "CreateAccessKey", "2010-05-08", &form, NULL, &doc, &err),
          &err);
    char key[64], secret[128];
    snprintf(key, sizeof(key), "%s",
             brk_xml_text(doc, "CreateAccessKeyResult/AccessKey/AccessKeyId"));
    snprintf(secret, sizeof(secret), "%s",
             brk_xml_text(doc, "CreateAccessKeyResult/AccessKey/SecretAccessKey"));
    brk_xml_free(doc);
    brk_buf_cleanup(&form);
    struct bedrock_client *app = client_keys(key, secret, 10000);
    check(invoke(app, SONNET35, &err), &err);
    assert_int_equal(invoke(app, "amazon.nova-micro-v1:0", &err), BEDROCK_E_ACCESS_DENIED);
    assert_non_null(strstr(err.hint, "\"Action\":\"bedrock:InvokeModel\""));
    assert_non_null(strstr(err.hint, "foundation-model/amazon.nova-micro-v1:0"));
    bedrock_client_free(app);
    /* model access not enabled for the account: not an IAM problem */
    assert_int_equal(invoke(c, DENIED, &err), BEDROCK_E_MODEL_ACCESS);
    assert_non_null(strstr(err.hint, "Model access"));
    bedrock_client_free(c);
}

static void test_needs_profile(void **state)
{
    (void)state;
    struct bedrock_client *c = root();
    struct bedrock_error err;
    assert_int_equal(invoke(c, SONNET45, &err), BEDROCK_E_NEEDS_PROFILE);
    assert_non_null(strstr(err.hint, "eu." SONNET45));
    bedrock_client_set_auto_profile(c, true);
    check(invoke(c, SONNET45, &err), &err);
    bedrock_client_free(c);
}

static void test_hello_example(void **state)
{
    (void)state;
    const char *build = getenv("BRK_BUILD_DIR");
    char cmd[1024], out[4096];
    const char *keys[2][2] = { { ROOT_KEY, ROOT_SECRET }, { "AKIAUNKNOWNKEY000000", ROOT_SECRET } };
    for (int i = 0; i < 2; i++) {
        snprintf(
            cmd, sizeof(cmd),
            "cd /tmp && env -u AWS_PROFILE AWS_CONFIG_FILE=/dev/null "
            "AWS_SHARED_CREDENTIALS_FILE=/dev/null AWS_ENDPOINT_URL=%s AWS_REGION=eu-central-1 "
            "AWS_ACCESS_KEY_ID=%s AWS_SECRET_ACCESS_KEY=%s %s/bin/hello",
            emu.url, keys[i][0], keys[i][1], build != NULL ? build : "build");
        FILE *p = popen(cmd, "r");
        assert_non_null(p);
        size_t n = fread(out, 1, sizeof(out) - 1, p);
        out[n] = '\0';
        int status = pclose(p);
        if (i == 0) {
            assert_int_equal(status, 0);
            assert_non_null(strstr(out, "\xe2\x9c\x85 Access keys are working!"));
            assert_non_null(strstr(out, "Response: {"));
        } else {
            assert_int_not_equal(status, 0);
            assert_non_null(strstr(out, "\xe2\x9d\x8c Error: "));
            assert_null(strstr(out, ROOT_SECRET));
        }
    }
}

static int setup(void **state)
{
    (void)state;
    static const char *const args[] = { "--region", "eu-central-1", "--deny-model-access", DENIED,
                                        NULL };
    setenv("AWS_CONFIG_FILE", "/dev/null", 1);
    setenv("AWS_SHARED_CREDENTIALS_FILE", "/dev/null", 1);
    setenv("AWS_EC2_METADATA_DISABLED", "true", 1);
    unsetenv("AWS_PROFILE");
    unsetenv("AWS_BEARER_TOKEN_BEDROCK");
    if (!test_start_emulator(&emu, args)) {
        fprintf(stderr, "bedrock-emulator did not start (is it built?)\n");
        return -1;
    }
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    test_stop(&emu);
    return 0;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_whoami),
        cmocka_unit_test(test_control_plane),
        cmocka_unit_test(test_invoke_model_id_forms),
        cmocka_unit_test(test_streams_and_converse),
        cmocka_unit_test(test_stream_faults),
        cmocka_unit_test(test_retries),
        cmocka_unit_test(test_auth_errors),
        cmocka_unit_test(test_least_privilege),
        cmocka_unit_test(test_needs_profile),
        cmocka_unit_test(test_hello_example),
    };
    if (bedrock_global_init() != BEDROCK_OK) {
        return 1;
    }
    int rc = cmocka_run_group_tests(tests, setup, teardown);
    bedrock_global_cleanup();
    return rc;
}
