/*
 * tests/unit/test_args.c - the bedrockctl option parser (src/cli/args.c): value forms, flags,
 * lists, numbers, "--", global tables, stop-at-positional, and exact usage errors with
 * suggestions. Cases are named tables; every negative case asserts BEDROCK_E_USAGE.
 */
#include "cli/cli.h"

#include <string.h>

/* cmocka.h needs these three first */
/* clang-format off */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
/* clang-format on */

struct cmd_opts {
    const char *model;
    bool stream;
    struct brk_num max_tokens;
    struct brk_num temperature;
    struct brk_strlist headers;
};

static const struct brk_opt cmd_table[] = {
    BRK_OPT_STR(struct cmd_opts, model, "--model", "ID", "model"),
    BRK_OPT_FLAG(struct cmd_opts, stream, "--stream", "stream"),
    BRK_OPT_LONG(struct cmd_opts, max_tokens, "--max-tokens", "N", "tokens"),
    BRK_OPT_DOUBLE(struct cmd_opts, temperature, "--temperature", "T", "temperature"),
    BRK_OPT_LIST(struct cmd_opts, headers, "--header", "H", "header"),
    BRK_OPT_END,
};

struct parsed {
    struct cmd_opts c;
    struct brk_cli_globals g;
    struct brk_args_spec spec;
    struct brk_args args;
    struct bedrock_error err;
};

static bedrock_code parse(struct parsed *p, bool stop, int argc, const char *const *argv)
{
    memset(p, 0, sizeof(*p));
    p->spec.tables[0] = cmd_table;
    p->spec.dests[0] = &p->c;
    p->spec.tables[1] = brk_cli_global_opts;
    p->spec.dests[1] = &p->g;
    p->spec.n_tables = 2;
    p->spec.stop_at_positional = stop;
    return brk_args_parse(&p->spec, argc, argv, &p->args, &p->err);
}

#define ARGV(...)         \
    (const char *const[]) \
    {                     \
        __VA_ARGS__       \
    }
#define N(...) ((int)(sizeof((char *[]){ __VA_ARGS__ }) / sizeof(char *)))

static void test_forms(void **state)
{
    (void)state;
    struct parsed p;
    const char *const *av =
        ARGV("--model", "a:b", "--stream", "--max-tokens=200", "x", "--temperature", "0.5",
             "--header", "A: 1", "--header=B: 2", "--region", "eu-west-1", "y");
    assert_int_equal(parse(&p, false, 13, av), BEDROCK_OK);
    assert_string_equal(p.c.model, "a:b");
    assert_true(p.c.stream);
    assert_true(p.c.max_tokens.set);
    assert_int_equal(p.c.max_tokens.l, 200);
    assert_true(p.c.temperature.set);
    assert_true(p.c.temperature.d > 0.49 && p.c.temperature.d < 0.51);
    assert_int_equal(p.c.headers.n, 2);
    assert_string_equal(p.c.headers.items[0], "A: 1");
    assert_string_equal(p.c.headers.items[1], "B: 2");
    assert_string_equal(p.g.region, "eu-west-1");
    assert_int_equal(p.args.npos, 2);
    assert_string_equal(p.args.pos[0], "x");
    assert_string_equal(p.args.pos[1], "y");
    brk_args_free(&p.spec, &p.args);
    assert_null(p.c.headers.items);
}

static void test_double_dash_and_dash(void **state)
{
    (void)state;
    struct parsed p;
    const char *const *av = ARGV("-", "--", "--model", "-h");
    assert_int_equal(parse(&p, false, 4, av), BEDROCK_OK);
    assert_null(p.c.model);
    assert_false(p.g.help);
    assert_int_equal(p.args.npos, 3);
    assert_string_equal(p.args.pos[0], "-");
    assert_string_equal(p.args.pos[1], "--model");
    assert_string_equal(p.args.pos[2], "-h");
    brk_args_free(&p.spec, &p.args);
}

static void test_short_and_globals(void **state)
{
    (void)state;
    struct parsed p;
    const char *const *av =
        ARGV("-h", "-o", "table", "--debug", "--no-color", "--max-attempts", "5", "--profile=dev");
    assert_int_equal(parse(&p, false, 8, av), BEDROCK_OK);
    assert_true(p.g.help);
    assert_string_equal(p.g.output, "table");
    assert_true(p.g.debug);
    assert_true(p.g.no_color);
    assert_int_equal(p.g.max_attempts.l, 5);
    assert_string_equal(p.g.profile, "dev");
    brk_args_free(&p.spec, &p.args);
}

static void test_stop_at_positional(void **state)
{
    (void)state;
    struct parsed p;
    const char *const *av = ARGV("--region", "us-east-1", "models", "--bogus", "list");
    assert_int_equal(parse(&p, true, 5, av), BEDROCK_OK);
    assert_int_equal(p.args.consumed, 2);
    assert_int_equal(p.args.npos, 0);
    assert_string_equal(p.g.region, "us-east-1");
    brk_args_free(&p.spec, &p.args);

    const char *const *none = ARGV("--debug");
    assert_int_equal(parse(&p, true, 1, none), BEDROCK_OK);
    assert_int_equal(p.args.consumed, 1);
    brk_args_free(&p.spec, &p.args);
}

struct bad_case {
    const char *name;
    int argc;
    const char *const *argv;
    const char *msg_has;
    const char *hint_has; /* NULL: no hint */
};

static void test_usage_errors(void **state)
{
    (void)state;
    const struct bad_case cases[] = {
        { "misspelt", 1, ARGV("--modle"), "unknown option '--modle'", "--model" },
        { "misspelt global", 2, ARGV("--regoin", "x"), "'--regoin'", "--region" },
        { "unknown with value", 1, ARGV("--zzzzzzzz=1"), "'--zzzzzzzz'", NULL },
        { "missing value", 1, ARGV("--model"), "needs a value", NULL },
        { "not a number", 2, ARGV("--max-tokens", "ten"), "expects an integer", NULL },
        { "trailing junk", 1, ARGV("--max-tokens=10x"), "expects an integer", NULL },
        { "bad real", 2, ARGV("--temperature", "hot"), "expects a number", NULL },
        { "flag with value", 1, ARGV("--stream=yes"), "takes no value", NULL },
        { "unknown short", 1, ARGV("-q"), "unknown option '-q'", NULL },
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        struct parsed p;
        bedrock_code rc = parse(&p, false, cases[i].argc, cases[i].argv);
        if (rc != BEDROCK_E_USAGE || strstr(p.err.message, cases[i].msg_has) == NULL) {
            fail_msg("case %s: rc %d message '%s'", cases[i].name, rc, p.err.message);
        }
        assert_int_equal(p.err.code, BEDROCK_E_USAGE);
        if (cases[i].hint_has != NULL && strstr(p.err.hint, cases[i].hint_has) == NULL) {
            fail_msg("case %s: hint '%s'", cases[i].name, p.err.hint);
        }
        assert_null(p.args.pos);
    }
}

static void test_list_freed_on_error(void **state)
{
    (void)state;
    struct parsed p;
    const char *const *av = ARGV("--header", "A: 1", "--header", "B: 2", "--nope");
    assert_int_equal(parse(&p, false, 5, av), BEDROCK_E_USAGE);
    assert_null(p.c.headers.items); /* freed: LeakSanitizer checks the rest */
}

static void test_suggest(void **state)
{
    (void)state;
    const char *cmds[] = { "whoami", "sign", "models", "invoke", "chat", "version" };
    assert_string_equal(brk_suggest("whoamI", cmds, 6), "whoami");
    assert_string_equal(brk_suggest("modles", cmds, 6), "models");
    assert_string_equal(brk_suggest("invok", cmds, 6), "invoke");
    assert_string_equal(brk_suggest("vers", cmds, 6), "version");
    assert_null(brk_suggest("completely-different", cmds, 6));
}

static void test_numbers(void **state)
{
    (void)state;
    long l = 0;
    double d = 0;
    assert_int_equal(brk_parse_long("-42", &l), BEDROCK_OK);
    assert_int_equal(l, -42);
    assert_int_equal(brk_parse_long("", &l), BEDROCK_E_INVALID_ARG);
    assert_int_equal(brk_parse_long("99999999999999999999999", &l), BEDROCK_E_INVALID_ARG);
    assert_int_equal(brk_parse_double("1e3", &d), BEDROCK_OK);
    assert_true(d > 999.0 && d < 1001.0);
    assert_int_equal(brk_parse_double("nan", &d), BEDROCK_E_INVALID_ARG);
    assert_int_equal(brk_parse_double("inf", &d), BEDROCK_E_INVALID_ARG);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_forms),
        cmocka_unit_test(test_double_dash_and_dash),
        cmocka_unit_test(test_short_and_globals),
        cmocka_unit_test(test_stop_at_positional),
        cmocka_unit_test(test_usage_errors),
        cmocka_unit_test(test_list_freed_on_error),
        cmocka_unit_test(test_suggest),
        cmocka_unit_test(test_numbers),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
