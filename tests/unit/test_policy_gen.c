/*
 * tests/unit/test_policy_gen.c - least-privilege policy generation and checking.
 * The default document is compared with the guide's own JSON, read from
 * $BRK_SHARED_DIR/seed/bedrock-access-keys.md (the first ```json block), not a copy.
 */
#include "core/alloc.h"
#include "services/guide/policy.h"

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

static json_t *guide_policy(void)
{
    const char *dir = getenv("BRK_SHARED_DIR");
    char path[1024];
    snprintf(path, sizeof(path), "%s/seed/bedrock-access-keys.md", dir != NULL ? dir : "../shared");
    FILE *f = fopen(path, "r");
    assert_non_null(f);
    static char text[1 << 16];
    size_t n = fread(text, 1, sizeof(text) - 1, f);
    fclose(f);
    text[n] = '\0';
    char *start = strstr(text, "```json\n");
    assert_non_null(start);
    start += 8;
    char *end = strstr(start, "```");
    assert_non_null(end);
    json_error_t jerr;
    json_t *doc = json_loadb(start, (size_t)(end - start), 0, &jerr);
    assert_non_null(doc);
    return doc;
}

static void default_is_the_guides_policy(void **state)
{
    (void)state;
    struct brk_policy_spec spec = { 0 };
    json_t *doc = NULL;
    struct bedrock_error err;
    bedrock_error_clear(&err);
    assert_int_equal(brk_policy_generate(&spec, &doc, &err), BEDROCK_OK);
    json_t *want = guide_policy();
    assert_true(json_equal(doc, want));
    char *text = brk_policy_dump(doc);
    assert_non_null(strstr(text, "\"Sid\": \"BedrockInvokeModel\""));
    brk_free(text);
    json_decref(want);
    json_decref(doc);
}

static void options_shape_the_policy(void **state)
{
    (void)state;
    struct brk_policy_model m[] = { { "anthropic.claude-3-haiku-20240307-v1:0", NULL } };
    struct brk_policy_spec spec = { .models = m,
                                    .n_models = 1,
                                    .region = "us-east-1",
                                    .no_stream = true,
                                    .no_list = true,
                                    .count_tokens = true };
    json_t *doc = NULL;
    assert_int_equal(brk_policy_generate(&spec, &doc, NULL), BEDROCK_OK);
    const json_t *st = json_array_get(json_object_get(doc, "Statement"), 0);
    assert_int_equal(json_array_size(json_object_get(doc, "Statement")), 1);
    json_t *want = json_pack("[ss]", "bedrock:InvokeModel", "bedrock:CountTokens");
    assert_true(json_equal(json_object_get(st, "Action"), want));
    assert_true(brk_policy_allows(
        doc, "bedrock:InvokeModel",
        "arn:aws:bedrock:us-east-1::foundation-model/anthropic.claude-3-haiku-20240307-v1:0"));
    assert_false(brk_policy_allows(
        doc, "bedrock:InvokeModelWithResponseStream",
        "arn:aws:bedrock:us-east-1::foundation-model/anthropic.claude-3-haiku-20240307-v1:0"));
    json_decref(want);
    json_decref(doc);
}

static void inference_profile_pins_destinations(void **state)
{
    (void)state;
    const char *dests[] = {
        "arn:aws:bedrock:eu-central-1::foundation-model/anthropic.claude-sonnet-4-5-20250929-v1:0",
        "arn:aws:bedrock:eu-west-1::foundation-model/anthropic.claude-sonnet-4-5-20250929-v1:0",
        "arn:aws:bedrock:eu-west-3::foundation-model/anthropic.claude-sonnet-4-5-20250929-v1:0",
        NULL
    };
    struct brk_policy_model m[] = { { "eu.anthropic.claude-sonnet-4-5-20250929-v1:0", dests } };
    struct brk_policy_spec spec = {
        .models = m, .n_models = 1, .region = "eu-central-1", .account_id = "123456789012"
    };
    json_t *doc = NULL;
    assert_int_equal(brk_policy_generate(&spec, &doc, NULL), BEDROCK_OK);
    const char *parn = "arn:aws:bedrock:eu-central-1:123456789012:inference-profile/"
                       "eu.anthropic.claude-sonnet-4-5-20250929-v1:0";
    assert_true(brk_policy_allows(doc, "bedrock:InvokeModel", parn));
    assert_true(brk_policy_allows(doc, "bedrock:InvokeModel", dests[1]));
    assert_true(brk_policy_allows(doc, "bedrock:GetInferenceProfile", parn));
    const json_t *via = json_array_get(json_object_get(doc, "Statement"), 1);
    assert_string_equal(json_string_value(json_object_get(via, "Sid")), "BedrockInvokeViaProfile1");
    assert_string_equal(json_string_value(json_object_get(
                            json_object_get(json_object_get(via, "Condition"), "StringEquals"),
                            "bedrock:InferenceProfileArn")),
                        parn);
    json_decref(doc);

    /* without the account id, or without destinations: a clear error */
    struct bedrock_error err;
    bedrock_error_clear(&err);
    spec.account_id = NULL;
    assert_int_equal(brk_policy_generate(&spec, &doc, &err), BEDROCK_E_INVALID_ARG);
    assert_non_null(strstr(err.message, "--account-id"));
    m[0].dest_model_arns = NULL;
    spec.account_id = "123456789012";
    assert_int_equal(brk_policy_generate(&spec, &doc, &err), BEDROCK_E_INVALID_ARG);
}

static void profile_ids_recognised(void **state)
{
    (void)state;
    assert_true(brk_policy_is_profile("eu.anthropic.claude-sonnet-4-5-20250929-v1:0"));
    assert_true(brk_policy_is_profile("global.anthropic.claude-sonnet-4-5-20250929-v1:0"));
    assert_true(brk_policy_is_profile(
        "arn:aws:bedrock:eu-central-1:123456789012:inference-profile/eu.anthropic.x"));
    assert_false(brk_policy_is_profile("anthropic.claude-3-5-sonnet-20240620-v1:0"));
    assert_false(brk_policy_is_profile("arn:aws:bedrock:eu-central-1::foundation-model/"
                                       "anthropic.claude-3-5-sonnet-20240620-v1:0"));
    char id[128];
    assert_int_equal(
        brk_policy_bare_id("arn:aws:bedrock:eu-central-1::foundation-model/a.b:0", id, sizeof(id)),
        BEDROCK_OK);
    assert_string_equal(id, "a.b:0");
    assert_int_equal(brk_policy_bare_id("arn:aws:bedrock:x", id, sizeof(id)),
                     BEDROCK_E_INVALID_ARG);
    assert_string_equal(brk_policy_profile_model("us.anthropic.claude-x"), "anthropic.claude-x");
}

struct check_case {
    const char *doc;
    enum brk_severity max;
    const char *needle;
};

static void check_findings(void **state)
{
    (void)state;
    static const struct check_case cases[] = {
        { "{\"Statement\":{\"Effect\":\"Allow\",\"Action\":\"*\",\"Resource\":\"*\"}}",
          BRK_SEV_ERROR, "every action" },
        { "{\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"bedrock:*\",\"Resource\":\"*\"}]}",
          BRK_SEV_WARNING, "bedrock:*" },
        { "{\"Statement\":[{\"Effect\":\"Allow\",\"Action\":[\"bedrock:InvokeModel\"],"
          "\"Resource\":\"*\"}]}",
          BRK_SEV_WARNING, "every model" },
        { "{\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"iam:*\",\"Resource\":\"*\"}]}",
          BRK_SEV_ERROR, "iam:*" },
        { "{\"Statement\":[{\"Effect\":\"Allow\",\"NotAction\":\"iam:*\",\"Resource\":\"*\"}]}",
          BRK_SEV_WARNING, "NotAction" },
        { "{\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"bedrock:"
          "CreateModelCustomizationJob\","
          "\"Resource\":\"*\"}]}",
          BRK_SEV_WARNING, "does not need" },
    };
    struct brk_policy_spec spec = { 0 };
    json_t *needed = NULL;
    assert_int_equal(brk_policy_generate(&spec, &needed, NULL), BEDROCK_OK);
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        json_t *doc = json_loads(cases[i].doc, 0, NULL);
        assert_non_null(doc);
        struct brk_findings f = { 0 };
        assert_int_equal(brk_policy_check(doc, "p", needed, &f), BEDROCK_OK);
        assert_int_equal(brk_findings_max(&f), cases[i].max);
        bool found = false;
        for (size_t k = 0; k < f.n; k++) {
            found = found || strstr(f.items[k].text, cases[i].needle) != NULL;
        }
        if (!found) {
            fail_msg("case %zu: no finding mentions '%s'", i, cases[i].needle);
        }
        brk_findings_cleanup(&f);
        json_decref(doc);
    }
    /* the generated policy itself is clean, and nothing is missing */
    struct brk_findings f = { 0 };
    assert_int_equal(brk_policy_check(needed, "gen", needed, &f), BEDROCK_OK);
    assert_int_equal(f.n, 0);
    const json_t *docs[] = { needed };
    assert_int_equal(brk_policy_check_missing(docs, 1, needed, &f), BEDROCK_OK);
    assert_int_equal(f.n, 0);
    /* an empty policy misses every needed grant */
    json_t *empty = json_loads("{\"Version\":\"2012-10-17\",\"Statement\":[]}", 0, NULL);
    docs[0] = empty;
    assert_int_equal(brk_policy_check_missing(docs, 1, needed, &f), BEDROCK_OK);
    assert_int_equal(f.n, 4);
    assert_int_equal(brk_findings_max(&f), BRK_SEV_ERROR);
    brk_findings_cleanup(&f);
    /* an explicit Deny wins */
    json_t *deny = json_loads("{\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"bedrock:*\","
                              "\"Resource\":\"*\"},{\"Effect\":\"Deny\",\"Action\":"
                              "\"bedrock:InvokeModel\",\"Resource\":\"*\"}]}",
                              0, NULL);
    assert_false(brk_policy_allows(deny, "bedrock:InvokeModel", "arn:x"));
    assert_true(brk_policy_allows(deny, "bedrock:GetFoundationModel", "arn:x"));
    json_t *notdoc = json_string("x");
    assert_int_equal(brk_policy_check(notdoc, "bad", NULL, &f), BEDROCK_E_PARSE);
    json_decref(notdoc);
    json_decref(deny);
    json_decref(empty);
    json_decref(needed);
}

static void managed_policies(void **state)
{
    (void)state;
    struct brk_findings f = { 0 };
    assert_int_equal(brk_policy_check_managed("arn:aws:iam::aws:policy/AdministratorAccess", &f),
                     BEDROCK_OK);
    assert_int_equal(
        brk_policy_check_managed("arn:aws:iam::aws:policy/AmazonBedrockFullAccess", &f),
        BEDROCK_OK);
    assert_int_equal(brk_policy_check_managed("arn:aws:iam::123456789012:policy/Mine", &f),
                     BEDROCK_OK);
    assert_int_equal(f.n, 2);
    assert_int_equal(f.items[0].severity, BRK_SEV_ERROR);
    assert_int_equal(f.items[1].severity, BRK_SEV_WARNING);
    brk_findings_cleanup(&f);
}

static void wildcards(void **state)
{
    (void)state;
    assert_true(brk_wildcard_match("bedrock:Invoke*", "bedrock:InvokeModel", false));
    assert_true(brk_wildcard_match("BEDROCK:invoke*", "bedrock:InvokeModel", true));
    assert_false(brk_wildcard_match("BEDROCK:invoke*", "bedrock:InvokeModel", false));
    assert_true(brk_wildcard_match("a?c*", "abcdef", false));
    assert_false(brk_wildcard_match("a?c", "abcd", false));
    assert_true(brk_wildcard_match("*", "", false));
    assert_true(brk_wildcard_match("*a*b*", "xxaxxbxx", false));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(default_is_the_guides_policy),
        cmocka_unit_test(options_shape_the_policy),
        cmocka_unit_test(inference_profile_pins_destinations),
        cmocka_unit_test(profile_ids_recognised),
        cmocka_unit_test(check_findings),
        cmocka_unit_test(managed_policies),
        cmocka_unit_test(wildcards),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
