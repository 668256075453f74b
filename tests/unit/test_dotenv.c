/* tests/unit/test_dotenv.c - .env parsing: the guide's file, quoting, comments, malformed
 * lines with exact codes and line numbers, out-of-memory torture. */
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

struct kv {
    const char *key, *want;
};

struct env_case {
    const char *name;
    const char *text;
    struct kv q[6];
};

static const struct env_case good[] = {
    { "the guide's .env",
      "AWS_ACCESS_KEY_ID=AKIAIOSFODNN7EXAMPLE\nAWS_SECRET_ACCESS_KEY=wJalrXUtnFEMI/K7MDENG/"
      "bPxRfiCYEXAMPLEKEY\nAWS_REGION=eu-central-1\nAWS_ACCOUNT_ID=409073339454\n",
      { { "AWS_ACCESS_KEY_ID", "AKIAIOSFODNN7EXAMPLE" },
        { "AWS_SECRET_ACCESS_KEY", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY" },
        { "AWS_REGION", "eu-central-1" },
        { "AWS_ACCOUNT_ID", "409073339454" },
        { "AWS_SESSION_TOKEN", NULL } } },
    { "export, comments, blanks, CRLF",
      "# comment\r\n\r\nexport A=1\r\n  export   B = two words  # trailing\r\nC=#notcomment\r\n",
      { { "A", "1" }, { "B", "two words" }, { "C", "#notcomment" } } },
    { "quotes",
      "D=\"a \\\"q\\\" \\\\ \\n end\" # c\nS='lit \\n $x'\nE=\"\"\nQ=\"has # hash\"\n",
      { { "D", "a \"q\" \\ \n end" }, { "S", "lit \\n $x" }, { "E", "" }, { "Q", "has # hash" } } },
    { "= inside values, empty, duplicates",
      "URL=https://h/?a=b&c=d\nEMPTY=\nK=1\nK=2\n",
      { { "URL", "https://h/?a=b&c=d" }, { "EMPTY", "" }, { "K", "2" } } },
    { "bom, no trailing newline, dotted key", "\xEF\xBB\xBFmy.key-1=v", { { "my.key-1", "v" } } },
};

static void good_inputs(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof good / sizeof good[0]; i++) {
        struct brk_dotenv *env = NULL;
        print_message("case: %s\n", good[i].name);
        assert_int_equal(brk_dotenv_parse(good[i].text, strlen(good[i].text), &env, NULL),
                         BEDROCK_OK);
        for (size_t j = 0; j < 6 && good[i].q[j].key != NULL; j++) {
            const char *got = brk_dotenv_get(env, good[i].q[j].key);
            if (good[i].q[j].want == NULL) {
                assert_null(got);
            } else {
                assert_non_null(got);
                assert_string_equal(got, good[i].q[j].want);
            }
        }
        brk_dotenv_free(env);
    }
}

struct bad_case {
    const char *text;
    const char *message;
};

static const struct bad_case bad[] = {
    { "A=1\nNOEQUALS\n", "line 2: expected '=' after the name" },
    { "1BAD=x\n", "line 1: expected KEY=VALUE (a name starts with a letter or '_')" },
    { "A=\"open\n", "line 1: unterminated double-quoted value" },
    { "\n\nA='open\n", "line 3: unterminated single-quoted value" },
    { "A=\"x\" y\n", "line 1: unexpected text after a quoted value" },
    { "export\n", "line 1: expected '=' after the name" },
    { "=value\n", "line 1: expected KEY=VALUE (a name starts with a letter or '_')" },
    { "A B=1\n", "line 1: expected '=' after the name" },
};

static void malformed_inputs(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        struct brk_dotenv *env = NULL;
        struct bedrock_error err;
        bedrock_error_clear(&err);
        assert_int_equal(brk_dotenv_parse(bad[i].text, strlen(bad[i].text), &env, &err),
                         BEDROCK_E_PARSE);
        assert_null(env);
        assert_string_equal(err.message, bad[i].message);
    }
    /* the secret value is never echoed */
    struct brk_dotenv *env = NULL;
    struct bedrock_error err;
    bedrock_error_clear(&err);
    static const char t[] = "AWS_SECRET_ACCESS_KEY=\"TOPSECRETVALUE\" x\n";
    assert_int_equal(brk_dotenv_parse(t, sizeof t - 1, &env, &err), BEDROCK_E_PARSE);
    assert_null(strstr(err.message, "TOPSECRET"));
}

static void oom_torture(void **state)
{
    (void)state;
    static const char t[] = "A=1\nexport B=\"x\\ny\"\nC='z'\nA=2\nD=e # c\n";
    unsigned long n = 1;
    for (;; n++) {
        struct brk_dotenv *env = NULL;
        brk_alloc_fail_after(n);
        bedrock_code rc = brk_dotenv_parse(t, sizeof t - 1, &env, NULL);
        brk_alloc_fail_after(0);
        if (rc == BEDROCK_OK) {
            assert_string_equal(brk_dotenv_get(env, "A"), "2");
            assert_string_equal(brk_dotenv_get(env, "B"), "x\ny");
            brk_dotenv_free(env);
            break;
        }
        assert_int_equal(rc, BEDROCK_E_NOMEM);
        assert_null(env);
    }
    assert_true(n > 4);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(good_inputs),
        cmocka_unit_test(malformed_inputs),
        cmocka_unit_test(oom_torture),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
