/* tests/unit/test_ini.c - the AWS CLI INI dialect: table of inputs and lookups, malformed
 * inputs with their exact code and line, out-of-memory torture. */
#include "core/alloc.h"
#include "credentials/config.h"

/* cmocka.h needs these three first */
/* clang-format off */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
/* clang-format on */
#include <string.h>

struct lookup {
    const char *section, *key, *want; /* want NULL: absent */
};

struct ini_case {
    const char *name;
    const char *text;
    struct lookup q[6];
};

static const struct ini_case good[] = {
    { "basic",
      "[default]\naws_access_key_id = AKIDEXAMPLE\naws_secret_access_key=secret\n",
      { { "default", "aws_access_key_id", "AKIDEXAMPLE" },
        { "default", "aws_secret_access_key", "secret" },
        { "default", "region", NULL },
        { "nope", "aws_access_key_id", NULL } } },
    { "profile sections and comments",
      "# top comment\n; another\n[profile dev]\nregion = eu-central-1 # inline\n"
      "output = json ;inline\n  \n[sso-session corp]\nsso_region = us-east-1\n",
      { { "profile dev", "region", "eu-central-1" },
        { "profile dev", "output", "json" },
        { "sso-session corp", "sso_region", "us-east-1" },
        { "dev", "region", NULL } } },
    { "crlf and bom",
      "\xEF\xBB\xBF[default]\r\nregion = us-west-2\r\n\r\n[x]\r\nk=v\r\n",
      { { "default", "region", "us-west-2" }, { "x", "k", "v" } } },
    { "duplicates: last wins, sections merge",
      "[a]\nk = 1\nj = x\n[b]\nk = 2\n[a]\nk = 3\n",
      { { "a", "k", "3" }, { "a", "j", "x" }, { "b", "k", "2" } } },
    { "nested s3 block kept raw",
      "[default]\ns3 =\n  max_concurrent_requests = 20\n  addressing_style = "
      "path\nregion=us-east-1\n",
      { { "default", "s3", "\nmax_concurrent_requests = 20\naddressing_style = path" },
        { "default", "region", "us-east-1" },
        { "default", "max_concurrent_requests", NULL } } },
    { "colon delimiter, case-folded keys, '#' inside value",
      "[p]\nRole_ARN: arn:aws:iam::123456789012:role/x\nurl = http://h/#frag\nempty =\n",
      { { "p", "role_arn", "arn:aws:iam::123456789012:role/x" },
        { "p", "ROLE_ARN", "arn:aws:iam::123456789012:role/x" },
        { "p", "url", "http://h/#frag" },
        { "p", "empty", "" } } },
    { "indented key at section start is a key",
      "[p]\n   region = ap-south-1\n",
      { { "p", "region", "ap-south-1" } } },
    { "no trailing newline, spaces in header",
      "[ profile x ]\nk=v",
      { { "profile x", "k", "v" } } },
    { "empty input", "", { { "default", "k", NULL } } },
};

static void good_inputs(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof good / sizeof good[0]; i++) {
        struct brk_ini *ini = NULL;
        struct bedrock_error err;
        bedrock_error_clear(&err);
        print_message("case: %s\n", good[i].name);
        assert_int_equal(brk_ini_parse(good[i].text, strlen(good[i].text), &ini, &err), BEDROCK_OK);
        for (size_t j = 0; j < 6 && good[i].q[j].section != NULL; j++) {
            const struct lookup *q = &good[i].q[j];
            const char *got = brk_ini_get(ini, q->section, q->key);
            if (q->want == NULL) {
                assert_null(got);
            } else {
                assert_non_null(got);
                assert_string_equal(got, q->want);
            }
        }
        brk_ini_free(ini);
    }
}

struct bad_case {
    const char *text;
    const char *message; /* exact "line N: ..." */
};

static const struct bad_case bad[] = {
    { "key = value\n", "line 1: key = value before any [section] header" },
    { "[default]\njust words\n", "line 2: expected 'key = value'" },
    { "[default\nk=v\n", "line 1: section header without a closing ']'" },
    { "[]\n", "line 1: empty section name" },
    { "[a]\n= v\n", "line 2: empty key before '='" },
    { "[a] junk\n", "line 1: text after a section header" },
    { "[a]\r\nk=v\r\n\r\nbroken line\r\n", "line 4: expected 'key = value'" },
};

static void malformed_inputs(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        struct brk_ini *ini = (struct brk_ini *)&ini;
        struct brk_ini *before = ini;
        struct bedrock_error err;
        bedrock_error_clear(&err);
        assert_int_equal(brk_ini_parse(bad[i].text, strlen(bad[i].text), &ini, &err),
                         BEDROCK_E_PARSE);
        assert_ptr_equal(ini, before); /* out untouched */
        assert_int_equal(err.code, BEDROCK_E_PARSE);
        assert_string_equal(err.message, bad[i].message);
    }
    struct brk_ini *ini = NULL;
    struct bedrock_error err;
    bedrock_error_clear(&err);
    static const char nul[] = "[a]\nk=v\0x\n";
    assert_int_equal(brk_ini_parse(nul, sizeof nul - 1, &ini, &err), BEDROCK_E_PARSE);
    assert_string_equal(err.message, "line 2: NUL byte in line");
}

static void has_section(void **state)
{
    (void)state;
    static const char t[] = "[default]\n[profile dev]\nregion=x\n";
    struct brk_ini *ini = NULL;
    assert_int_equal(brk_ini_parse(t, sizeof t - 1, &ini, NULL), BEDROCK_OK);
    assert_true(brk_ini_has_section(ini, "default"));
    assert_true(brk_ini_has_section(ini, "profile dev"));
    assert_false(brk_ini_has_section(ini, "dev"));
    assert_false(brk_ini_has_section(NULL, "dev"));
    brk_ini_free(ini);
    brk_ini_free(NULL);
}

static void oom_torture(void **state)
{
    (void)state;
    static const char t[] = "[default]\nregion = us-east-1\ns3 =\n  a = 1\n  b = 2\n"
                            "[profile dev]\nrole_arn = arn:x\nsource_profile = default\n"
                            "[default]\nregion = eu-west-1\n";
    unsigned long n = 1;
    for (;; n++) {
        struct brk_ini *ini = NULL;
        brk_alloc_fail_after(n);
        bedrock_code rc = brk_ini_parse(t, sizeof t - 1, &ini, NULL);
        brk_alloc_fail_after(0);
        if (rc == BEDROCK_OK) {
            assert_string_equal(brk_ini_get(ini, "default", "region"), "eu-west-1");
            assert_string_equal(brk_ini_get(ini, "default", "s3"), "\na = 1\nb = 2");
            brk_ini_free(ini);
            break;
        }
        assert_int_equal(rc, BEDROCK_E_NOMEM);
        assert_null(ini);
    }
    assert_true(n > 5);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(good_inputs),
        cmocka_unit_test(malformed_inputs),
        cmocka_unit_test(has_section),
        cmocka_unit_test(oom_torture),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
