/*
 * cli/run.c - bedrockctl's dispatcher: global options, command lookup (with suggestions),
 * subcommand groups, generated --help, and the call into a command's run().
 *
 * Invariants: global options are parsed wherever they appear (they are the last table in
 * every parse); per-command option structs are allocated zeroed and freed after run(); the
 * client built on demand by brk_cli_client is freed here; a usage error always exits 2.
 */
#include "../core/alloc.h"
#include "../core/log.h"
#include "cli.h"
#include "credentials/config.h"

#include <stdlib.h>
#include <string.h>

static const char exit_codes_text[] =
    "Exit status:\n"
    "  0 ok, 1 internal error, 2 usage error, 3 no credentials, 4 authentication failed,\n"
    "  5 access denied, 6 not found or invalid request, 7 throttled, 8 network error or\n"
    "  timeout, 9 protocol error, 10 service error.\n";

static void print_opts(FILE *f, const struct brk_opt *opts)
{
    for (const struct brk_opt *o = opts; o != NULL && o->name != NULL; o++) {
        char left[64];
        if (o->short_name != 0) {
            snprintf(left, sizeof(left), "-%c, %s%s%s", o->short_name, o->name,
                     o->metavar ? " " : "", o->metavar ? o->metavar : "");
        } else {
            snprintf(left, sizeof(left), "%s%s%s", o->name, o->metavar ? " " : "",
                     o->metavar ? o->metavar : "");
        }
        fprintf(f, "  %-26s %s\n", left, o->help != NULL ? o->help : "");
    }
}

static void print_command_list(FILE *f, const struct brk_cli_command *const *cmds)
{
    for (size_t i = 0; cmds[i] != NULL; i++) {
        fprintf(f, "  %-12s %s\n", cmds[i]->name, cmds[i]->summary);
    }
}

void brk_cli_help(struct brk_cli *cli, const char *prefix, const struct brk_cli_command *cmd,
                  FILE *f)
{
    (void)cli;
    if (cmd == NULL) {
        fprintf(f, "usage: bedrockctl [global options] <command> [options] [args]\n\n"
                   "Amazon Bedrock from the command line, with IAM access keys.\n\n"
                   "Commands:\n");
        print_command_list(f, brk_cli_commands);
        fprintf(f, "  %-12s %s\n", "help", "help on a command: bedrockctl help CMD [SUB]");
        fprintf(f, "\nGlobal options (anywhere on the line):\n");
        print_opts(f, brk_cli_global_opts);
        fprintf(f, "\n%s", exit_codes_text);
        return;
    }
    const char *usage = cmd->usage != NULL ? cmd->usage : "";
    if (cmd->subs != NULL && usage[0] == '\0') {
        usage = "<subcommand> [options]";
    }
    fprintf(f, "usage: bedrockctl [global options] %s%s%s%s\n\n", prefix, cmd->name,
            usage[0] != '\0' ? " " : "", usage);
    fprintf(f, "%s\n", cmd->summary);
    if (cmd->description != NULL) {
        fprintf(f, "\n%s\n", cmd->description);
    }
    if (cmd->subs != NULL) {
        fprintf(f, "\nSubcommands:\n");
        for (const struct brk_cli_command *s = cmd->subs; s->name != NULL; s++) {
            fprintf(f, "  %-12s %s\n", s->name, s->summary);
        }
    }
    if (cmd->opts != NULL && cmd->opts[0].name != NULL) {
        fprintf(f, "\nOptions:\n");
        print_opts(f, cmd->opts);
    }
    fprintf(f, "\nGlobal options:\n");
    print_opts(f, brk_cli_global_opts);
    fprintf(f, "\n%s", exit_codes_text);
}

/* After all parsing: output format, colours, debug. */
static int finish_globals(struct brk_cli *cli)
{
    const char *fmt = cli->g.output;
    if (fmt == NULL) {
        fmt = getenv("AWS_DEFAULT_OUTPUT");
    }
    if (fmt == NULL) {
        /* the profile's `output`, as the AWS CLI reads it; a broken config is reported later */
        struct brk_config *cfg = NULL;
        struct bedrock_error ignored;
        bedrock_error_clear(&ignored);
        if (brk_cli_get_config(cli, &cfg, &ignored) == BEDROCK_OK) {
            fmt = brk_config_profile_value(cfg, "output");
        }
    } else {
        cli->output_given = true;
    }
    if (fmt != NULL && fmt[0] != '\0') {
        if (strcmp(fmt, "json") == 0) {
            cli->out_fmt = BRK_OUT_JSON;
        } else if (strcmp(fmt, "text") == 0) {
            cli->out_fmt = BRK_OUT_TEXT;
        } else if (strcmp(fmt, "table") == 0) {
            cli->out_fmt = BRK_OUT_TABLE;
        } else {
            return brk_cli_usage(cli, "--output must be json, text or table, not '%s'", fmt);
        }
    }
    cli->color_out = brk_cli_color_allowed(cli->out, cli->g.no_color);
    cli->color_err = brk_cli_color_allowed(cli->err, cli->g.no_color);
    if (cli->g.debug) {
        brk_log_set_level(1);
        bedrock_set_debug(1);
    }
    return 0;
}

static const struct brk_cli_command *find_in(const struct brk_cli_command *const *cmds,
                                             const struct brk_cli_command *subs, const char *name,
                                             const char **suggestion)
{
    const char *names[64];
    size_t n = 0;
    for (size_t i = 0; (cmds != NULL && cmds[i] != NULL) || (subs != NULL && subs[i].name); i++) {
        const struct brk_cli_command *c = cmds != NULL ? cmds[i] : &subs[i];
        if (strcmp(c->name, name) == 0) {
            return c;
        }
        if (n < 64) {
            names[n++] = c->name;
        }
    }
    *suggestion = brk_suggest(name, names, n);
    return NULL;
}

static const struct brk_opt no_opts[] = { BRK_OPT_END };

static int run_leaf(struct brk_cli *cli, const struct brk_cli_command *cmd, const char *prefix,
                    int argc, const char *const *argv)
{
    struct brk_args_spec spec = {
        { cmd->opts, brk_cli_global_opts, NULL }, { NULL, &cli->g, NULL }, 2, false
    };
    struct brk_args args = { NULL, 0, 0 };
    struct bedrock_error err;
    bedrock_error_clear(&err);
    int status = 0;
    void *opts = brk_calloc(1, cmd->opts_size > 0 ? cmd->opts_size : 1);
    if (opts == NULL) {
        bedrock_error_set(&err, BEDROCK_E_NOMEM, "out of memory");
        return brk_cli_fail(cli, &err);
    }
    spec.dests[0] = opts;
    if (cmd->opts == NULL) {
        spec.tables[0] = no_opts;
    }
    if (brk_args_parse(&spec, argc, argv, &args, &err) != BEDROCK_OK) {
        status = brk_cli_fail(cli, &err);
        goto out_noargs;
    }
    status = finish_globals(cli);
    if (status != 0) {
        goto out;
    }
    if (cli->g.help) {
        brk_cli_help(cli, prefix, cmd, cli->out);
        goto out;
    }
    if (args.npos < cmd->min_args || (cmd->max_args >= 0 && args.npos > cmd->max_args)) {
        status = args.npos < cmd->min_args
                     ? brk_cli_usage(cli, "missing argument (%s)", cmd->usage ? cmd->usage : "")
                     : brk_cli_usage(cli, "unexpected argument '%s'", args.pos[cmd->max_args]);
        goto out;
    }
    status = cmd->run(cli, opts, args.npos, args.pos);
out:
    brk_args_free(&spec, &args);
out_noargs:
    brk_free(opts);
    return status;
}

static void path_append(struct brk_cli *cli, const char *name)
{
    size_t l = strlen(cli->cmd_path);
    snprintf(cli->cmd_path + l, sizeof(cli->cmd_path) - l, "%s%s", l > 0 ? " " : "", name);
}

/* Global options standing before a (sub)command name; *used counts the arguments they took.
 * Returns 0, or the exit status of a usage error. */
static int parse_globals(struct brk_cli *cli, int argc, const char *const *argv, int *used)
{
    struct brk_args_spec spec = {
        { brk_cli_global_opts, NULL, NULL }, { &cli->g, NULL, NULL }, 1, true
    };
    struct brk_args args = { NULL, 0, 0 };
    struct bedrock_error err;
    bedrock_error_clear(&err);
    if (brk_args_parse(&spec, argc, argv, &args, &err) != BEDROCK_OK) {
        return brk_cli_fail(cli, &err);
    }
    *used = args.consumed;
    brk_args_free(&spec, &args);
    return 0;
}

static int dispatch(struct brk_cli *cli, const struct brk_cli_command *cmd, int argc,
                    const char *const *argv)
{
    char prefix[160];
    snprintf(prefix, sizeof(prefix), "%s%s", cli->cmd_path, cli->cmd_path[0] ? " " : "");
    path_append(cli, cmd->name);
    if (cmd->subs == NULL) {
        return run_leaf(cli, cmd, prefix, argc, argv);
    }
    int used = 0;
    int st = parse_globals(cli, argc, argv, &used);
    if (st != 0) {
        return st;
    }
    if (used >= argc) {
        st = finish_globals(cli);
        if (st != 0) {
            return st;
        }
        brk_cli_help(cli, prefix, cmd, cli->g.help ? cli->out : cli->err);
        return cli->g.help ? 0 : 2;
    }
    const char *sugg = NULL;
    const struct brk_cli_command *sub = find_in(NULL, cmd->subs, argv[used], &sugg);
    if (sub == NULL) {
        st = brk_cli_usage(cli, "unknown subcommand '%s %s'%s%s%s", cli->cmd_path, argv[used],
                           sugg ? "; did you mean '" : "", sugg ? sugg : "", sugg ? "'?" : "");
        return st;
    }
    return dispatch(cli, sub, argc - used - 1, argv + used + 1);
}

/* `bedrockctl help [CMD [SUB]]` */
static int run_help(struct brk_cli *cli, int argc, const char *const *argv)
{
    if (argc == 0) {
        brk_cli_help(cli, "", NULL, cli->out);
        return 0;
    }
    const char *sugg = NULL;
    const struct brk_cli_command *cmd = find_in(brk_cli_commands, NULL, argv[0], &sugg);
    char prefix[128] = "";
    for (int i = 1; cmd != NULL && i < argc && cmd->subs != NULL; i++) {
        snprintf(prefix + strlen(prefix), sizeof(prefix) - strlen(prefix), "%s ", cmd->name);
        cmd = find_in(NULL, cmd->subs, argv[i], &sugg);
    }
    if (cmd == NULL) {
        return brk_cli_usage(cli, "no help for '%s'%s%s%s", argv[argc - 1],
                             sugg ? "; did you mean '" : "", sugg ? sugg : "", sugg ? "'?" : "");
    }
    brk_cli_help(cli, prefix, cmd, cli->out);
    return 0;
}

static int run_top(struct brk_cli *cli, int argc, const char *const *argv)
{
    int used = 0;
    int st = parse_globals(cli, argc, argv, &used);
    if (st != 0) {
        return st;
    }
    if (used >= argc) {
        st = finish_globals(cli);
        if (st != 0) {
            return st;
        }
        if (cli->g.version) {
            return dispatch(cli, &brk_cmd_version, 0, argv + argc);
        }
        brk_cli_help(cli, "", NULL, cli->g.help ? cli->out : cli->err);
        return cli->g.help ? 0 : 2;
    }
    if (strcmp(argv[used], "help") == 0) {
        st = finish_globals(cli);
        return st != 0 ? st : run_help(cli, argc - used - 1, argv + used + 1);
    }
    const char *sugg = NULL;
    const struct brk_cli_command *cmd = find_in(brk_cli_commands, NULL, argv[used], &sugg);
    if (cmd == NULL) {
        if (cli->g.version) {
            return dispatch(cli, &brk_cmd_version, 0, argv + argc);
        }
        return brk_cli_usage(cli, "unknown command '%s'%s%s%s", argv[used],
                             sugg ? "; did you mean '" : "", sugg ? sugg : "", sugg ? "'?" : "");
    }
    return dispatch(cli, cmd, argc - used - 1, argv + used + 1);
}

int brk_cli_main(int argc, char **argv)
{
    struct brk_cli cli;
    memset(&cli, 0, sizeof(cli));
    cli.out = stdout;
    cli.err = stderr;
    if (bedrock_global_init() != BEDROCK_OK) {
        fprintf(stderr, "bedrockctl: error: cannot initialise libcurl/OpenSSL\n");
        return 1;
    }
    int status =
        run_top(&cli, argc > 0 ? argc - 1 : 0, (const char *const *)(argc > 0 ? argv + 1 : argv));
    if (fflush(cli.out) != 0 && status == 0) {
        fprintf(stderr, "bedrockctl: error: cannot write output\n");
        status = 1;
    }
    brk_cli_cleanup(&cli);
    bedrock_global_cleanup();
    return status;
}
