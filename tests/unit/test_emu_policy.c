/*
 * tests/unit/test_emu_policy.c - IAM policy evaluation and validation (emulator/policy.c):
 * Allow/Deny, explicit deny wins, NotAction/NotResource, wildcards (case rules), conditions
 * with IfExists, negation and multi-value OR / multi-key AND, malformed documents with exact
 * codes and AWS messages, and emu_authorize's denial text.
 */
#include "emulator/emu.h"
#include "emulator/store.h"

#include <stdio.h>
#include <string.h>

/* cmocka.h needs these three first */
/* clang-format off */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
/* clang-format on */

/* --- the store and server seams emu_authorize uses, faked --- */
static const char *g_docs[4];
static size_t g_ndocs;
static char g_last_code[64];
static int g_last_status;
static char g_last_msg[1024];

struct emu_store *emu_server_store(struct emu_server *s)
{
    (void)s;
    return NULL;
}
void emu_store_user_policies(struct emu_store *st, const char *user, emu_doc_fn *fn, void *ctx)
{
    (void)st;
    (void)user;
    for (size_t i = 0; i < g_ndocs; i++) {
        if (!fn(ctx, g_docs[i], strlen(g_docs[i]))) {
            break;
        }
    }
}
void emu_reply_error(struct emu_request *req, int status, const char *code, const char *fmt, ...)
{
    (void)req;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(g_last_msg, sizeof(g_last_msg), fmt, ap);
    va_end(ap);
    g_last_status = status;
    snprintf(g_last_code, sizeof(g_last_code), "%s", code);
}

static int eval(const char *doc, const char *action, const char *resource,
                const struct emu_cond_kv *ctx, size_t n)
{
    int d = 99;
    bedrock_code rc = emu_policy_eval(doc, strlen(doc), action, resource, ctx, n, &d);
    assert_int_equal(rc, BEDROCK_OK);
    return d;
}

#define STMT(body) "{\"Version\":\"2012-10-17\",\"Statement\":[" body "]}"

static void test_allow_deny(void **state)
{
    (void)state;
    const char *doc = STMT("{\"Effect\":\"Allow\",\"Action\":\"bedrock:InvokeModel\","
                           "\"Resource\":\"*\"}");
    assert_int_equal(eval(doc, "bedrock:InvokeModel", "arn:x", NULL, 0), 1);
    assert_int_equal(eval(doc, "BEDROCK:invokemodel", "arn:x", NULL, 0), 1);
    assert_int_equal(eval(doc, "bedrock:Converse", "arn:x", NULL, 0), 0);
    const char *both = STMT("{\"Effect\":\"Allow\",\"Action\":\"bedrock:*\",\"Resource\":\"*\"},"
                            "{\"Effect\":\"Deny\",\"Action\":\"bedrock:Invoke*\","
                            "\"Resource\":\"*\"}");
    assert_int_equal(eval(both, "bedrock:InvokeModel", "r", NULL, 0), -1);
    assert_int_equal(eval(both, "bedrock:Converse", "r", NULL, 0), 1);
}

static void test_not_action_not_resource(void **state)
{
    (void)state;
    const char *doc = STMT("{\"Effect\":\"Allow\",\"NotAction\":[\"iam:*\",\"sts:*\"],"
                           "\"NotResource\":\"arn:aws:bedrock:us-*\"}");
    assert_int_equal(eval(doc, "bedrock:InvokeModel", "arn:aws:bedrock:eu-central-1:1:x", NULL, 0),
                     1);
    assert_int_equal(eval(doc, "iam:CreateUser", "arn:aws:bedrock:eu-central-1:1:x", NULL, 0), 0);
    assert_int_equal(eval(doc, "bedrock:InvokeModel", "arn:aws:bedrock:us-east-1:1:x", NULL, 0), 0);
}

static void test_wildcards(void **state)
{
    (void)state;
    const char *doc = STMT("{\"Effect\":\"Allow\",\"Action\":\"bedrock:?nvoke*\","
                           "\"Resource\":[\"arn:aws:bedrock:*::foundation-model/anthropic.*\"]}");
    const char *res = "arn:aws:bedrock:eu-central-1::foundation-model/anthropic.claude-v2";
    assert_int_equal(eval(doc, "bedrock:InvokeModelWithResponseStream", res, NULL, 0), 1);
    assert_int_equal(eval(doc, "bedrock:Invoke", res, NULL, 0), 1);
    /* resources are case-sensitive */
    assert_int_equal(eval(doc, "bedrock:InvokeModel",
                          "arn:aws:bedrock:eu-central-1::foundation-model/Anthropic.x", NULL, 0),
                     0);
    assert_int_equal(eval(doc, "bedrock:xInvokeModel", res, NULL, 0), 0);
}

static void test_conditions(void **state)
{
    (void)state;
    const char *doc = STMT(
        "{\"Effect\":\"Allow\",\"Action\":\"bedrock:*\",\"Resource\":\"*\",\"Condition\":{"
        "\"StringEquals\":{\"aws:RequestedRegion\":[\"eu-central-1\",\"eu-west-1\"]},"
        "\"StringLike\":{\"bedrock:InferenceProfileArn\":\"arn:aws:bedrock:*:profile/eu.*\"}}}");
    struct emu_cond_kv ok[2] = { { "aws:RequestedRegion", "eu-west-1" },
                                 { "bedrock:InferenceProfileArn",
                                   "arn:aws:bedrock:x:profile/eu.a" } };
    assert_int_equal(eval(doc, "bedrock:InvokeModel", "r", ok, 2), 1);
    struct emu_cond_kv bad_region[2] = { { "aws:RequestedRegion", "us-east-1" }, ok[1] };
    assert_int_equal(eval(doc, "bedrock:InvokeModel", "r", bad_region, 2), 0);
    /* key missing: the condition fails (no IfExists) */
    assert_int_equal(eval(doc, "bedrock:InvokeModel", "r", ok, 1), 0);
    const char *ifex =
        STMT("{\"Effect\":\"Allow\",\"Action\":\"bedrock:*\",\"Resource\":\"*\",\"Condition\":{"
             "\"ArnLikeIfExists\":{\"bedrock:InferenceProfileArn\":\"arn:aws:bedrock:*\"}}}");
    assert_int_equal(eval(ifex, "bedrock:InvokeModel", "r", NULL, 0), 1);
    assert_int_equal(eval(ifex, "bedrock:InvokeModel", "r", &ok[1], 1), 1);
    struct emu_cond_kv other = { "bedrock:InferenceProfileArn", "arn:aws:s3:::b" };
    assert_int_equal(eval(ifex, "bedrock:InvokeModel", "r", &other, 1), 0);
    const char *neg =
        STMT("{\"Effect\":\"Deny\",\"Action\":\"*\",\"Resource\":\"*\",\"Condition\":{"
             "\"StringNotEquals\":{\"aws:RequestedRegion\":[\"eu-central-1\"]}}},"
             "{\"Effect\":\"Allow\",\"Action\":\"*\",\"Resource\":\"*\"}");
    struct emu_cond_kv eu = { "aws:RequestedRegion", "eu-central-1" };
    struct emu_cond_kv us = { "aws:RequestedRegion", "us-east-1" };
    assert_int_equal(eval(neg, "bedrock:InvokeModel", "r", &eu, 1), 1);
    assert_int_equal(eval(neg, "bedrock:InvokeModel", "r", &us, 1), -1);
    const char *notlike =
        STMT("{\"Effect\":\"Allow\",\"Action\":\"*\",\"Resource\":\"*\",\"Condition\":{"
             "\"StringNotLike\":{\"aws:RequestedRegion\":\"us-*\"},"
             "\"ArnNotLike\":{\"bedrock:InferenceProfileArn\":\"arn:aws:bedrock:*:global.*\"}}}");
    assert_int_equal(eval(notlike, "a:b", "r", &eu, 1), 1);
    assert_int_equal(eval(notlike, "a:b", "r", &us, 1), 0);
}

static void expect_invalid(const char *doc, bedrock_code code, const char *msg)
{
    char out[256] = "";
    assert_int_equal(emu_policy_validate(doc, strlen(doc), out, sizeof(out)), code);
    assert_string_equal(out, msg);
    int d = 0;
    assert_int_equal(emu_policy_eval(doc, strlen(doc), "a:b", "r", NULL, 0, &d), code);
}

static void test_malformed(void **state)
{
    (void)state;
    expect_invalid("{nope", BEDROCK_E_PARSE, "Syntax errors in policy.");
    expect_invalid("{\"Version\":\"2012-10-17\"}", BEDROCK_E_VALIDATION,
                   "Syntax errors in policy.");
    expect_invalid(STMT("{\"Effect\":\"Allow\",\"Resource\":\"*\"}"), BEDROCK_E_VALIDATION,
                   "Policy statement must contain actions.");
    expect_invalid(STMT("{\"Effect\":\"Allow\",\"Action\":\"a:b\"}"), BEDROCK_E_VALIDATION,
                   "Policy statement must contain resources.");
    expect_invalid(STMT("{\"Effect\":\"Maybe\",\"Action\":\"a:b\",\"Resource\":\"*\"}"),
                   BEDROCK_E_VALIDATION, "Syntax errors in policy.");
    expect_invalid(STMT("{\"Effect\":\"Allow\",\"Action\":\"invoke\",\"Resource\":\"*\"}"),
                   BEDROCK_E_VALIDATION,
                   "Actions/Conditions must be prefaced by a vendor, e.g., iam, sdb, ec2, etc.");
    expect_invalid(STMT("{\"Effect\":\"Allow\",\"Action\":\"a:b\",\"Resource\":\"*\","
                        "\"Principal\":\"*\"}"),
                   BEDROCK_E_VALIDATION, "Policy document should not specify a principal.");
    expect_invalid(STMT("{\"Effect\":\"Allow\",\"Action\":\"a:b\",\"Resource\":\"*\","
                        "\"Condition\":{\"StringSorta\":{\"k\":\"v\"}}}"),
                   BEDROCK_E_VALIDATION, "Invalid Condition type : StringSorta");
    expect_invalid("{\"Version\":\"2020-01-01\",\"Statement\":[]}", BEDROCK_E_VALIDATION,
                   "The policy failed legacy parsing");
    char ok[8] = "";
    const char *single = "{\"Version\":\"2012-10-17\",\"Statement\":{\"Effect\":\"Allow\","
                         "\"Action\":\"*\",\"Resource\":\"*\"}}";
    assert_int_equal(emu_policy_validate(single, strlen(single), ok, sizeof(ok)), BEDROCK_OK);
}

static void test_authorize_messages(void **state)
{
    (void)state;
    struct emu_request req;
    memset(&req, 0, sizeof(req));
    req.principal.authenticated = true;
    snprintf(req.principal.user_name, sizeof(req.principal.user_name), "bob");
    snprintf(req.principal.arn, sizeof(req.principal.arn), "arn:aws:iam::123456789012:user/bob");
    char msg[512];
    g_ndocs = 0;
    assert_false(
        emu_authorize(&req, "bedrock:InvokeModel", "arn:aws:bedrock:x", NULL, 0, msg, sizeof(msg)));
    assert_string_equal(msg, "User: arn:aws:iam::123456789012:user/bob is not authorized to "
                             "perform: bedrock:InvokeModel on resource: arn:aws:bedrock:x "
                             "because no identity-based policy allows the bedrock:InvokeModel "
                             "action");
    g_docs[0] = STMT("{\"Effect\":\"Allow\",\"Action\":\"*\",\"Resource\":\"*\"}");
    g_docs[1] = STMT("{\"Effect\":\"Deny\",\"Action\":\"bedrock:InvokeModel\","
                     "\"Resource\":\"*\"}");
    g_ndocs = 1;
    assert_true(emu_authorize(&req, "bedrock:InvokeModel", "r", NULL, 0, msg, sizeof(msg)));
    g_ndocs = 2;
    assert_false(emu_authorize(&req, "bedrock:InvokeModel", "arn:r", NULL, 0, msg, sizeof(msg)));
    assert_string_equal(msg, "User: arn:aws:iam::123456789012:user/bob is not authorized to "
                             "perform: bedrock:InvokeModel on resource: arn:r with an explicit "
                             "deny in an identity-based policy");
    req.protocol = EMU_PROTO_REST_JSON;
    assert_false(emu_authorize_or_reply(&req, "bedrock:InvokeModel", "arn:r", NULL, 0));
    assert_string_equal(g_last_code, "AccessDeniedException");
    assert_int_equal(g_last_status, 403);
    req.protocol = EMU_PROTO_QUERY;
    assert_false(emu_authorize_or_reply(&req, "bedrock:InvokeModel", "arn:r", NULL, 0));
    assert_string_equal(g_last_code, "AccessDenied");
    /* root is always allowed, unauthenticated never */
    req.principal.is_root = true;
    assert_true(emu_authorize(&req, "iam:DeleteUser", "r", NULL, 0, msg, sizeof(msg)));
    req.principal.authenticated = false;
    assert_false(emu_authorize(&req, "iam:DeleteUser", "r", NULL, 0, msg, sizeof(msg)));
    g_ndocs = 0;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_allow_deny), cmocka_unit_test(test_not_action_not_resource),
        cmocka_unit_test(test_wildcards),  cmocka_unit_test(test_conditions),
        cmocka_unit_test(test_malformed),  cmocka_unit_test(test_authorize_messages),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
