/*
 * cli/cli.h - the bedrockctl command framework.
 *
 * HOW TO ADD A COMMAND (e.g. `bedrockctl doctor`):
 *   1. Write src/cli/cmd_doctor.c defining
 *          const struct brk_cli_command brk_cmd_doctor = { ... };
 *      with its options as a table of struct brk_opt whose fields are offsets into a per-command
 *      options struct (the framework allocates it zeroed, fills it, and frees lists after run):
 *
 *          struct doctor_opts { const char *model; bool fix; struct brk_num timeout; };
 *          static const struct brk_opt doctor_options[] = {
 *              BRK_OPT_STR(struct doctor_opts, model, "--model", "ID", "model to probe"),
 *              BRK_OPT_FLAG(struct doctor_opts, fix, "--fix", "repair what can be repaired"),
 *              BRK_OPT_LONG(struct doctor_opts, timeout, "--timeout", "SEC", "per check"),
 *              BRK_OPT_END,
 *          };
 *          static int run_doctor(struct brk_cli *cli, void *opts, int argc,
 *                                const char *const *argv);
 *          const struct brk_cli_command brk_cmd_doctor = {
 *              .name = "doctor", .summary = "check keys, region, model access",
 *              .usage = "[--model ID] [--fix]", .opts = doctor_options,
 *              .opts_size = sizeof(struct doctor_opts), .min_args = 0, .max_args = 0,
 *              .run = run_doctor,
 *          };
 *   2. Add X(doctor) to BRK_CLI_COMMANDS below. That is all: main, `help`, `--help`, suggestions
 *      for misspelt names and the man page's command list (docs/bedrockctl.1, by hand) follow.
 *
 *   A command with subcommands (`models list|get|profiles`) sets .subs to a table of
 *   brk_cli_command ending with an entry whose name is NULL, and leaves .run NULL.
 *
 * WHAT THE FRAMEWORK DOES FOR YOU
 *   - Global options (--profile --region --endpoint-url --output --debug --no-color --env-file
 *     --read-timeout --connect-timeout --max-attempts --help --version) are accepted anywhere,
 *     before or after the command; they land in cli->g. Command options may be written
 *     `--name value` or `--name=value`; `--` ends options. Unknown options and commands are a
 *     usage error (exit 2) with a "did you mean" suggestion.
 *   - `--help` on any command or subcommand (and `bedrockctl help CMD [SUB]`) prints usage,
 *     description, the options table, global options and exit codes, generated from the tables.
 *   - Positional counts are checked against min_args/max_args (max_args < 0: any number).
 *   - run() returns the process exit status: 0, or brk_cli_fail(cli, &err) which prints the one
 *     line error + hint and returns bedrock_exit_status(err.code), or brk_cli_usage(...) (2).
 *   - brk_cli_client(cli, &client) builds (once) a bedrock_client from the global flags; it is
 *     freed by the framework after run(). brk_cli_config(cli) gives the resolved configuration
 *     (profile values such as bedrock_model_id).
 *   - Output: build a jansson value and call brk_cli_print(cli, value, title): it is rendered as
 *     --output json (4-space indent, like the AWS CLI), text (tab-separated) or table (boxed,
 *     coloured only on a terminal, never with --no-color or NO_COLOR).
 *   - Secrets: never print a secret key, session token or bearer token, not even with --debug.
 *     tests/compat/test_secret_canary.py runs every command; add your command's rows to its
 *     CASES table.
 *
 * EXIT STATUS (bedrock_exit_status): 0 ok, 1 internal, 2 usage, 3 no credentials,
 * 4 authentication, 5 access denied, 6 not found/validation, 7 throttled, 8 network/timeout,
 * 9 protocol, 10 service.
 */
#ifndef BRK_CLI_CLI_H
#define BRK_CLI_CLI_H

#include <bedrock/bedrock.h>
#include <bedrock/client.h>

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

/* The command table: one X(name) per command, defined as brk_cmd_<name> in cmd_<name>.c. */
#define BRK_CLI_COMMANDS(X) \
    X(whoami)               \
    X(sign)                 \
    X(models)               \
    X(invoke)               \
    X(chat)                 \
    X(version)

/* ---- option tables (args.c) ---- */

enum brk_opt_kind {
    BRK_OPT_KIND_FLAG,   /* bool */
    BRK_OPT_KIND_STR,    /* const char * (points into argv) */
    BRK_OPT_KIND_LONG,   /* struct brk_num (integer) */
    BRK_OPT_KIND_DOUBLE, /* struct brk_num (real) */
    BRK_OPT_KIND_LIST    /* struct brk_strlist: every occurrence, in order */
};

struct brk_num {
    bool set;
    long l;
    double d;
};

struct brk_strlist {
    const char **items; /* allocated by the parser, freed by brk_args_free */
    size_t n;
};

struct brk_opt {
    const char *name; /* "--model" */
    char short_name;  /* 'h' or 0 */
    enum brk_opt_kind kind;
    size_t offset;       /* offsetof(options struct, field) */
    const char *metavar; /* "ID"; NULL for flags */
    const char *help;
};

#define BRK_OPT_FLAG(T, f, name, help)                         \
    {                                                          \
        name, 0, BRK_OPT_KIND_FLAG, offsetof(T, f), NULL, help \
    }
#define BRK_OPT_STR(T, f, name, mv, help)                   \
    {                                                       \
        name, 0, BRK_OPT_KIND_STR, offsetof(T, f), mv, help \
    }
#define BRK_OPT_LONG(T, f, name, mv, help)                   \
    {                                                        \
        name, 0, BRK_OPT_KIND_LONG, offsetof(T, f), mv, help \
    }
#define BRK_OPT_DOUBLE(T, f, name, mv, help)                   \
    {                                                          \
        name, 0, BRK_OPT_KIND_DOUBLE, offsetof(T, f), mv, help \
    }
#define BRK_OPT_LIST(T, f, name, mv, help)                   \
    {                                                        \
        name, 0, BRK_OPT_KIND_LIST, offsetof(T, f), mv, help \
    }
#define BRK_OPT_END                               \
    {                                             \
        NULL, 0, BRK_OPT_KIND_FLAG, 0, NULL, NULL \
    }

#define BRK_ARGS_MAX_TABLES 3

/* What to parse: up to three option tables, each with the struct it fills. */
struct brk_args_spec {
    const struct brk_opt *tables[BRK_ARGS_MAX_TABLES];
    void *dests[BRK_ARGS_MAX_TABLES];
    size_t n_tables;
    bool stop_at_positional; /* stop at the first positional (a command or subcommand name) */
};

struct brk_args {
    const char **pos; /* positionals (pointers into argv), allocated */
    int npos;
    int consumed; /* argv elements used (stop_at_positional: index of the first positional) */
};

/* Parse argv[0..argc). On a usage error: BEDROCK_E_USAGE with the message (and a "did you mean"
 * hint) in err; nothing is left allocated. */
BEDROCK_MUST_USE bedrock_code brk_args_parse(const struct brk_args_spec *spec, int argc,
                                             const char *const *argv, struct brk_args *out,
                                             struct bedrock_error *err);
/* Frees out->pos and every list the spec's tables filled. */
void brk_args_free(const struct brk_args_spec *spec, struct brk_args *out);
/* The candidate closest to word (edit distance <= 2, or a unique prefix), or NULL. */
const char *brk_suggest(const char *word, const char *const *cands, size_t n);
/* Strict number parsing: the whole string must be a number. */
BEDROCK_MUST_USE bedrock_code brk_parse_long(const char *s, long *out);
BEDROCK_MUST_USE bedrock_code brk_parse_double(const char *s, double *out);

/* ---- the CLI context ---- */

enum brk_out_fmt { BRK_OUT_JSON = 0, BRK_OUT_TEXT, BRK_OUT_TABLE };

struct brk_cli_globals {
    const char *profile;
    const char *region;
    const char *endpoint_url;
    const char *output;
    const char *env_file;
    bool debug;
    bool no_color;
    bool help;
    bool version;
    struct brk_num read_timeout;
    struct brk_num connect_timeout;
    struct brk_num max_attempts;
};

struct brk_config;

struct brk_cli {
    struct brk_cli_globals g;
    enum brk_out_fmt out_fmt;
    bool output_given; /* --output (or AWS_DEFAULT_OUTPUT / profile output) was set */
    bool color_out;    /* stdout may carry colours */
    bool color_err;
    FILE *out;
    FILE *err;
    char cmd_path[128]; /* "models list", for messages and help */
    struct bedrock_client *client;
    struct brk_config *config;
};

struct brk_cli_command {
    const char *name;
    const char *summary;     /* one line, for the command list */
    const char *usage;       /* what follows "bedrockctl <cmd path> " */
    const char *description; /* longer text for --help, may be NULL */
    const struct brk_opt *opts;
    size_t opts_size;
    int min_args;
    int max_args; /* < 0: unlimited */
    int (*run)(struct brk_cli *cli, void *opts, int argc, const char *const *argv);
    const struct brk_cli_command *subs; /* subcommands, ending with {.name = NULL} */
};

#define BRK_X_(name) extern const struct brk_cli_command brk_cmd_##name;
BRK_CLI_COMMANDS(BRK_X_)
#undef BRK_X_

/* commands.c: the top-level commands, NULL-terminated. */
extern const struct brk_cli_command *const brk_cli_commands[];
/* run.c */
extern const struct brk_opt brk_cli_global_opts[];
int brk_cli_main(int argc, char **argv);
void brk_cli_help(struct brk_cli *cli, const char *prefix, const struct brk_cli_command *cmd,
                  FILE *f);

/* ---- errors and output (output.c) ---- */

/* Prints "bedrockctl: error: <msg> (<AwsCode>, HTTP <s>, request id <id>)" and "hint: ...";
 * returns bedrock_exit_status(err->code). */
int brk_cli_fail(struct brk_cli *cli, const struct bedrock_error *err);
/* A usage error: prints the message and "Run 'bedrockctl <cmd> --help'"; returns 2. */
int brk_cli_usage(struct brk_cli *cli, const char *fmt, ...) BEDROCK_PRINTF(2, 3);
/* Renders value in the chosen output format to cli->out. Takes no ownership. */
void brk_cli_print(struct brk_cli *cli, const json_t *value, const char *title);
/* Writes JSON (4-space indent + newline) to f. */
void brk_cli_print_json(FILE *f, const json_t *value);
/* Colour escapes, or "" when colours are off for that stream. */
const char *brk_cli_color(const struct brk_cli *cli, bool for_stderr, const char *which);
bool brk_cli_color_allowed(FILE *f, bool no_color);

/* ---- client and configuration (common.c) ---- */

BEDROCK_MUST_USE bedrock_code brk_cli_client(struct brk_cli *cli, struct bedrock_client **out,
                                             struct bedrock_error *err);
BEDROCK_MUST_USE bedrock_code brk_cli_get_config(struct brk_cli *cli, struct brk_config **out,
                                                 struct bedrock_error *err);
/* BEDROCK_MODEL_ID, else the profile's bedrock_model_id, else the guide's default. */
const char *brk_cli_default_model(struct brk_cli *cli);
void brk_cli_cleanup(struct brk_cli *cli);
/* Reads a whole file ("-" = stdin) into a malloc'd NUL-terminated buffer (brk_free). */
BEDROCK_MUST_USE bedrock_code brk_cli_read_file(const char *path, size_t max, char **out,
                                                size_t *len, struct bedrock_error *err);

#define BRK_CLI_DEFAULT_MODEL "anthropic.claude-3-5-sonnet-20240620-v1:0"

#endif
