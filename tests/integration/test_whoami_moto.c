/*
 * tests/integration/test_whoami_moto.c - bedrock_sts_get_caller_identity against moto_server in
 * auth mode (INITIAL_NO_AUTH_ACTION_COUNT=4: boto3 first creates an admin user, its policy and
 * access key; from then on moto checks every signature). Cases: good key, wrong secret
 * (E_SIGNATURE), unknown key (E_INVALID_KEY), session credentials (X-Amz-Security-Token),
 * and --debug output that shows the canonical request but never the secret.
 */
#include "core/log.h"
#include "servers.h"
#include "services/call.h"

#include <bedrock/client.h>
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

static struct test_server moto;
static char key_id[64], secret[128];

static const char setup_py[] =
    "import boto3, json, os\n"
    "iam = boto3.client('iam', endpoint_url=os.environ['MOTO_URL'], region_name='us-east-1',\n"
    "                   aws_access_key_id='AKIAIOSFODNN7EXAMPLE', aws_secret_access_key='x')\n"
    "iam.create_user(UserName='admin')\n"
    "doc = {'Version': '2012-10-17', 'Statement': [{'Effect': 'Allow', 'Action': '*',\n"
    "       'Resource': '*'}]}\n"
    "arn = iam.create_policy(PolicyName='admin', PolicyDocument=json.dumps(doc))['Policy']['Arn']\n"
    "iam.attach_user_policy(UserName='admin', PolicyArn=arn)\n"
    "k = iam.create_access_key(UserName='admin')['AccessKey']\n"
    "print(k['AccessKeyId'], k['SecretAccessKey'])\n";

static int group_setup(void **state)
{
    (void)state;
    static const char *const env[] = { "INITIAL_NO_AUTH_ACTION_COUNT=4", NULL };
    setenv("AWS_CONFIG_FILE", "/dev/null", 1);
    setenv("AWS_SHARED_CREDENTIALS_FILE", "/dev/null", 1);
    setenv("AWS_EC2_METADATA_DISABLED", "true", 1);
    unsetenv("AWS_PROFILE");
    unsetenv("AWS_ENDPOINT_URL");
    if (!test_start_moto(&moto, env)) {
        fprintf(stderr, "moto_server did not start\n");
        return -1;
    }
    char url_env[160], out[512];
    snprintf(url_env, sizeof(url_env), "MOTO_URL=%s", moto.url);
    const char *const penv[] = { url_env, NULL };
    if (test_python(setup_py, penv, out, sizeof(out)) != 0 ||
        sscanf(out, "%63s %127s", key_id, secret) != 2) {
        fprintf(stderr, "boto3 setup failed: %s\n", out);
        test_stop(&moto);
        return -1;
    }
    return 0;
}

static int group_teardown(void **state)
{
    (void)state;
    test_stop(&moto);
    return 0;
}

static struct bedrock_client *client_with(const char *key, const char *sec, const char *token)
{
    struct bedrock_client_options o = { 0 };
    o.region = "us-east-1";
    o.endpoint_url = moto.url;
    o.no_dotenv = true;
    o.access_key_id = key;
    o.secret_access_key = sec;
    o.session_token = token;
    o.max_attempts = 1;
    struct bedrock_error err;
    bedrock_error_clear(&err);
    struct bedrock_client *c = NULL;
    assert_int_equal(bedrock_client_new(&o, &c, &err), BEDROCK_OK);
    return c;
}

static void test_good_key(void **state)
{
    (void)state;
    struct bedrock_client *c = client_with(key_id, secret, NULL);
    struct bedrock_identity id;
    struct bedrock_error err;
    bedrock_error_clear(&err);
    bedrock_code rc = bedrock_sts_get_caller_identity(c, &id, &err);
    if (rc != BEDROCK_OK) {
        fail_msg("%s: %s", bedrock_code_name(rc), err.message);
    }
    assert_string_equal(id.account, "123456789012");
    assert_non_null(strstr(id.arn, "user/admin"));
    assert_true(id.user_id[0] != '\0');
    char src[128];
    assert_int_equal(bedrock_client_credential_source(c, src, sizeof(src), &err), BEDROCK_OK);
    assert_string_equal(src, "explicit");
    bedrock_client_free(c);
}

static void test_wrong_secret(void **state)
{
    (void)state;
    struct bedrock_client *c =
        client_with(key_id, "wrongwrongwrongwrongwrongwrongwrongwrong", NULL);
    struct bedrock_identity id;
    struct bedrock_error err;
    bedrock_error_clear(&err);
    assert_int_equal(bedrock_sts_get_caller_identity(c, &id, &err), BEDROCK_E_SIGNATURE);
    assert_int_equal(err.http_status, 403);
    assert_string_equal(err.aws_code, "SignatureDoesNotMatch");
    assert_non_null(strstr(err.hint, "--debug"));
    assert_int_equal(brk_client_last_attempts(c), 1);
    bedrock_client_free(c);
}

static void test_unknown_key(void **state)
{
    (void)state;
    struct bedrock_client *c = client_with("AKIAUNKNOWNKEY000000", secret, NULL);
    struct bedrock_identity id;
    struct bedrock_error err;
    bedrock_error_clear(&err);
    assert_int_equal(bedrock_sts_get_caller_identity(c, &id, &err), BEDROCK_E_INVALID_KEY);
    assert_string_equal(err.aws_code, "InvalidClientTokenId");
    assert_non_null(strstr(err.hint, "bedrockctl keys list"));
    bedrock_client_free(c);
}

/* Session credentials. moto answers GetSessionToken with fixed credentials it does not accept
 * itself (boto3 fails the same way), so the session comes from AssumeRole of a role created
 * through our own IAM query calls; GetSessionToken is still called and parsed. */
static void test_session_token(void **state)
{
    (void)state;
    struct bedrock_client *c = client_with(key_id, secret, NULL);
    struct bedrock_error err;
    bedrock_error_clear(&err);
    struct brk_xml *doc = NULL;
    bedrock_code rc =
        brk_query_call(c, "sts", "sts", "GetSessionToken", "2011-06-15", NULL, NULL, &doc, &err);
    if (rc != BEDROCK_OK) {
        fail_msg("GetSessionToken: %s", err.message);
    }
    assert_non_null(brk_xml_text(doc, "GetSessionTokenResult/Credentials/SessionToken"));
    brk_xml_free(doc);
    doc = NULL;
    struct brk_buf form = BRK_BUF(4096);
    assert_int_equal(brk_form_add(&form, "RoleName", "bedrock-session"), BEDROCK_OK);
    assert_int_equal(brk_form_add(&form, "AssumeRolePolicyDocument",
                                  "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":"
                                  "\"Allow\",\"Principal\":{\"AWS\":\"*\"},\"Action\":"
                                  "\"sts:AssumeRole\"}]}"),
                     BEDROCK_OK);
    rc = brk_query_call(c, "iam", "iam", "CreateRole", "2010-05-08", &form, NULL, &doc, &err);
    if (rc != BEDROCK_OK) {
        fail_msg("CreateRole: %s", err.message);
    }
    char role_arn[256];
    snprintf(role_arn, sizeof(role_arn), "%s", brk_xml_text(doc, "CreateRoleResult/Role/Arn"));
    brk_xml_free(doc);
    doc = NULL;
    brk_buf_reset(&form);
    assert_int_equal(brk_form_add(&form, "RoleArn", role_arn), BEDROCK_OK);
    assert_int_equal(brk_form_add(&form, "RoleSessionName", "whoami-test"), BEDROCK_OK);
    rc = brk_query_call(c, "sts", "sts", "AssumeRole", "2011-06-15", &form, NULL, &doc, &err);
    if (rc != BEDROCK_OK) {
        fail_msg("AssumeRole: %s", err.message);
    }
    const char *ak = brk_xml_text(doc, "AssumeRoleResult/Credentials/AccessKeyId");
    const char *sk = brk_xml_text(doc, "AssumeRoleResult/Credentials/SecretAccessKey");
    const char *tok = brk_xml_text(doc, "AssumeRoleResult/Credentials/SessionToken");
    assert_non_null(ak);
    assert_non_null(sk);
    assert_non_null(tok);
    struct bedrock_client *s = client_with(ak, sk, tok);
    struct bedrock_identity id;
    rc = bedrock_sts_get_caller_identity(s, &id, &err);
    bedrock_client_free(s);
    if (rc != BEDROCK_OK) {
        fail_msg("with session token: %s: %s", bedrock_code_name(rc), err.message);
    }
    assert_string_equal(id.account, "123456789012");
    assert_non_null(strstr(id.arn, "assumed-role/bedrock-session/whoami-test"));
    /* the same key without its token is refused */
    s = client_with(ak, sk, NULL);
    assert_int_not_equal(bedrock_sts_get_caller_identity(s, &id, &err), BEDROCK_OK);
    bedrock_client_free(s);
    brk_buf_cleanup(&form);
    brk_xml_free(doc);
    bedrock_client_free(c);
}

static void test_debug_no_secret(void **state)
{
    (void)state;
    FILE *log = tmpfile();
    assert_non_null(log);
    brk_log_set_stream(log);
    bedrock_set_debug(1);
    struct bedrock_client *c = client_with(key_id, secret, NULL);
    struct bedrock_identity id;
    struct bedrock_error err;
    bedrock_error_clear(&err);
    assert_int_equal(bedrock_sts_get_caller_identity(c, &id, &err), BEDROCK_OK);
    bedrock_client_free(c);
    bedrock_set_debug(0);
    brk_log_set_stream(NULL);
    long n = ftell(log);
    char *text = calloc(1, (size_t)n + 1);
    rewind(log);
    assert_int_equal(fread(text, 1, (size_t)n, log), (size_t)n);
    fclose(log);
    assert_non_null(strstr(text, "canonical request"));
    assert_non_null(strstr(text, "string to sign"));
    assert_non_null(strstr(text, "credentials: explicit"));
    assert_null(strstr(text, secret));
    free(text);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_good_key),        cmocka_unit_test(test_wrong_secret),
        cmocka_unit_test(test_unknown_key),     cmocka_unit_test(test_session_token),
        cmocka_unit_test(test_debug_no_secret),
    };
    if (bedrock_global_init() != BEDROCK_OK) {
        return 1;
    }
    int rc = cmocka_run_group_tests(tests, group_setup, group_teardown);
    bedrock_global_cleanup();
    return rc;
}
