/*
 * tests/unit/test_envfile_merge.c - .env and INI merges keep every other byte; the git
 * ignore helpers work in a real temporary repository.
 */
#include "core/alloc.h"
#include "services/guide/envfile.h"

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
#include <unistd.h>

struct merge_case {
    const char *name;
    const char *in;
    const char *want;
};

static const struct brk_kv keys[] = {
    { "AWS_ACCESS_KEY_ID", "AKIAIOSFODNN7EXAMPLE" },
    { "AWS_SECRET_ACCESS_KEY", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY" },
    { "AWS_REGION", "eu-central-1" },
};

static void env_merges(void **state)
{
    (void)state;
    static const struct merge_case cases[] = {
        { "empty", "",
          "AWS_ACCESS_KEY_ID=AKIAIOSFODNN7EXAMPLE\n"
          "AWS_SECRET_ACCESS_KEY=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY\n"
          "AWS_REGION=eu-central-1\n" },
        { "replace in place, keep others and comments",
          "# app settings\nDEBUG=1\nexport AWS_ACCESS_KEY_ID=OLD # old key\nPORT=8080\n"
          "AWS_REGION=us-east-1\nAWS_ACCESS_KEY_ID=DUP\n",
          "# app settings\nDEBUG=1\nexport AWS_ACCESS_KEY_ID=AKIAIOSFODNN7EXAMPLE\nPORT=8080\n"
          "AWS_REGION=eu-central-1\n"
          "AWS_SECRET_ACCESS_KEY=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY\n" },
        { "no final newline, CRLF", "A=1\r\nB=2",
          "A=1\r\nB=2\r\nAWS_ACCESS_KEY_ID=AKIAIOSFODNN7EXAMPLE\r\n"
          "AWS_SECRET_ACCESS_KEY=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY\r\n"
          "AWS_REGION=eu-central-1\r\n" },
        { "commented key is not a key", "#AWS_REGION=x\n  AWS_REGION = 'us-west-2'\n",
          "#AWS_REGION=x\n  AWS_REGION=eu-central-1\n"
          "AWS_ACCESS_KEY_ID=AKIAIOSFODNN7EXAMPLE\n"
          "AWS_SECRET_ACCESS_KEY=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY\n" },
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        struct brk_buf out = BRK_BUF(1 << 20);
        assert_int_equal(brk_envfile_merge(cases[i].in, strlen(cases[i].in), keys, 3, &out),
                         BEDROCK_OK);
        if (strcmp(out.data, cases[i].want) != 0) {
            fail_msg("%s:\n--- got\n%s--- want\n%s", cases[i].name, out.data, cases[i].want);
        }
        brk_buf_cleanup(&out);
    }
    /* quoting and removal */
    const struct brk_kv odd[] = { { "A", "has space \"q\"" }, { "B", NULL } };
    struct brk_buf out = BRK_BUF(1 << 20);
    assert_int_equal(brk_envfile_merge("B=1\nC=2\n", 8, odd, 2, &out), BEDROCK_OK);
    assert_string_equal(out.data, "C=2\nA=\"has space \\\"q\\\"\"\n");
    brk_buf_cleanup(&out);
}

static void ini_merges(void **state)
{
    (void)state;
    const struct brk_kv cred[] = { { "aws_access_key_id", "AKIAIOSFODNN7EXAMPLE" },
                                   { "aws_secret_access_key", "SECRET" } };
    static const struct merge_case cases[] = {
        { "new file", "",
          "[app]\naws_access_key_id = AKIAIOSFODNN7EXAMPLE\n"
          "aws_secret_access_key = SECRET\n" },
        { "append section, keep others", "# mine\n[default]\naws_access_key_id = X\n",
          "# mine\n[default]\naws_access_key_id = X\n\n[app]\n"
          "aws_access_key_id = AKIAIOSFODNN7EXAMPLE\naws_secret_access_key = SECRET\n" },
        { "update in place; missing key before the gap",
          "[app]\naws_access_key_id=OLD\nregion = x\n\n# next\n[other]\na = b\n",
          "[app]\naws_access_key_id = AKIAIOSFODNN7EXAMPLE\nregion = x\n"
          "aws_secret_access_key = SECRET\n\n# next\n[other]\na = b\n" },
        { "target last, no newline", "[other]\na = b\n[app]\nx = 1",
          "[other]\na = b\n[app]\nx = 1\naws_access_key_id = AKIAIOSFODNN7EXAMPLE\n"
          "aws_secret_access_key = SECRET\n" },
        { "nested block kept",
          "[app]\ns3 =\n  max_concurrent_requests = 10\naws_secret_access_key = OLD\n",
          "[app]\ns3 =\n  max_concurrent_requests = 10\naws_secret_access_key = SECRET\n"
          "aws_access_key_id = AKIAIOSFODNN7EXAMPLE\n" },
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        struct brk_buf out = BRK_BUF(1 << 20);
        assert_int_equal(brk_ini_merge(cases[i].in, strlen(cases[i].in), "app", cred, 2, &out),
                         BEDROCK_OK);
        if (strcmp(out.data != NULL ? out.data : "", cases[i].want) != 0) {
            fail_msg("%s:\n--- got\n%s--- want\n%s", cases[i].name, out.data, cases[i].want);
        }
        brk_buf_cleanup(&out);
    }
}

static void git_ignore(void **state)
{
    (void)state;
    char dir[] = "/tmp/brk-git-XXXXXX";
    assert_non_null(mkdtemp(dir));
    char cmd[512], path[600];
    snprintf(path, sizeof(path), "%s/.env", dir);
    bool inside = true;
    assert_false(brk_git_needs_ignore(path, &inside));
    assert_false(inside);
    snprintf(cmd, sizeof(cmd), "git init -q %s && mkdir %s/app", dir, dir);
    assert_int_equal(system(cmd), 0);
    snprintf(path, sizeof(path), "%s/app/.env", dir);
    assert_true(brk_git_needs_ignore(path, &inside));
    assert_true(inside);
    char added[256];
    assert_int_equal(brk_git_add_ignore(path, added, sizeof(added)), BEDROCK_OK);
    assert_string_equal(added, "/app/.env");
    assert_false(brk_git_needs_ignore(path, &inside));
    snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
    assert_int_equal(system(cmd), 0);
}

static void merge_out_of_memory(void **state)
{
    (void)state;
    const char *in = "# c\nA=1\nAWS_REGION=x\n";
    for (unsigned long n = 1;; n++) {
        struct brk_buf out = BRK_BUF(1 << 20);
        brk_alloc_fail_after(n);
        bedrock_code rc = brk_envfile_merge(in, strlen(in), keys, 3, &out);
        brk_alloc_fail_after(0);
        brk_buf_cleanup(&out);
        if (rc == BEDROCK_OK) {
            break;
        }
        assert_int_equal(rc, BEDROCK_E_NOMEM);
        assert_true(n < 100);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(env_merges),
        cmocka_unit_test(ini_merges),
        cmocka_unit_test(git_ignore),
        cmocka_unit_test(merge_out_of_memory),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
