/*
 * cli/cmd_demo.c - `bedrockctl demo` (and `make demo`): the guide, end to end, against a
 * private bedrock-emulator on a free port in a fresh temp dir, with the real commands run as
 * children of this binary: setup -> doctor -> chat -> a model outside the policy (denied,
 * with its hint) -> token (+ a chat with it as a bearer key) -> usage -> keys rotate ->
 * keys revoke (the old key) -> keys audit. Each step prints a header naming the guide's
 * section, shows the command and its output as a user would see it, and checks its own
 * outcome (exit status and a key phrase).
 * Invariants: exit 0 only when every step behaved as expected; the emulator (our PID only) is
 * stopped and the temp dir removed on every path, Ctrl-C included; no secret is printed: the
 * application's key only ever lives in the temporary .env (--write-env), the short-term key
 * is held in memory, shown abbreviated, and wiped.
 */
#include "../core/alloc.h"
#include "../core/fileio.h"
#include "demo.h"
#include "guide.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define DEMO_REGION      "eu-central-1"
#define DEMO_USER        "bedrock-api-user"
#define DEMO_OTHER_MODEL "anthropic.claude-3-haiku-20240307-v1:0"
/* The emulator's account root key: AWS's documented example key, not a secret. */
#define DEMO_ROOT_ID     "AKIAIOSFODNN7EXAMPLE"
#define DEMO_ROOT_SECRET "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"
#define DEMO_BODY                                                                              \
    "{\"anthropic_version\":\"bedrock-2023-05-31\",\"max_tokens\":50,\"messages\":[{\"role\":" \
    "\"user\",\"content\":\"Say hello\"}]}"

enum who { ADMIN, APP, BEARER };

struct demo {
    struct brk_cli *cli;
    char dir[1024];
    char app_env[1100];
    char work[1100];
    struct brk_demo_emu emu;
    char old_key[64];
    char *bearer_env; /* "AWS_BEARER_TOKEN_BEDROCK=..." (secret) */
    bool fancy;       /* unicode and colours on our terminal */
};

struct demo_opts {
    bool keep;
};

static const struct brk_opt demo_options[] = {
    BRK_OPT_FLAG(struct demo_opts, keep, "--keep-going",
                 "run every step even after one fails (default: stop at the first failure)"),
    BRK_OPT_END,
};

static const char *color(const struct demo *d, const char *which)
{
    return brk_cli_color(d->cli, false, which);
}

/* Runs `bedrockctl <global flags> [--env-file .env] args...` as `who`; status and output. */
static bedrock_code run_as(struct demo *d, enum who who, const char *const *args, bool echo,
                           struct brk_buf *out, int *status, struct bedrock_error *err)
{
    const char *argv[48];
    size_t n = 0;
    argv[n++] = "--endpoint-url";
    argv[n++] = d->emu.url;
    argv[n++] = "--region";
    argv[n++] = DEMO_REGION;
    if (!d->fancy) {
        argv[n++] = "--no-color";
    }
    if (d->cli->g.debug) {
        argv[n++] = "--debug";
    }
    if (who == APP) {
        argv[n++] = "--env-file";
        argv[n++] = d->app_env;
    }
    fprintf(d->cli->out, "%s$ bedrockctl", color(d, "bold"));
    if (who == APP) {
        fprintf(d->cli->out, " --env-file %s", d->app_env);
    }
    for (size_t i = 0; args[i] != NULL && n < 47; i++) {
        argv[n++] = args[i];
        bool quote = strchr(args[i], ' ') != NULL || strchr(args[i], '{') != NULL;
        fprintf(d->cli->out, quote ? " '%s'" : " %s", args[i]);
    }
    argv[n] = NULL;
    fprintf(d->cli->out, "%s\n", color(d, "reset"));
    static const char *const admin_env[] = { "AWS_ACCESS_KEY_ID=" DEMO_ROOT_ID,
                                             "AWS_SECRET_ACCESS_KEY=" DEMO_ROOT_SECRET,
                                             "AWS_REGION=" DEMO_REGION, NULL };
    static const char *const app_env[] = { "AWS_REGION=" DEMO_REGION, NULL };
    const char *bearer_env[] = { "AWS_REGION=" DEMO_REGION, d->bearer_env, NULL };
    struct brk_demo_child c = { argv,
                                who == ADMIN ? admin_env
                                : who == APP ? app_env
                                             : bearer_env,
                                d->work, echo };
    return brk_demo_run(&c, d->cli->out, out, status, err);
}

static bool contains(const struct brk_buf *b, const char *phrase)
{
    size_t n = strlen(phrase);
    for (size_t i = 0; b->data != NULL && i + n <= b->len; i++) {
        if (memcmp(b->data + i, phrase, n) == 0) {
            return true;
        }
    }
    return false;
}

/* One command of a step, checked: exit status in {want, want2} and phrase in the output. */
static bool expect(struct demo *d, enum who who, const char *const *args, int want, int want2,
                   const char *phrase)
{
    struct brk_buf out = BRK_SECRET_BUF(64 * 1024 * 1024);
    struct bedrock_error err;
    bedrock_error_clear(&err);
    int st = -1;
    bool ok = run_as(d, who, args, true, &out, &st, &err) == BEDROCK_OK &&
              (st == want || st == want2) && (phrase == NULL || contains(&out, phrase));
    if (!ok) {
        fprintf(d->cli->out, "%s  \u2717 expected exit %d%s%s%s, got exit %d%s%s\n",
                color(d, "red"), want, phrase != NULL ? " and \"" : "",
                phrase != NULL ? phrase : "", phrase != NULL ? "\"" : "", st,
                err.code != BEDROCK_OK ? ": " : "", err.code != BEDROCK_OK ? err.message : "");
        fputs(color(d, "reset"), d->cli->out);
    }
    brk_buf_cleanup(&out);
    return ok;
}

static void note(struct demo *d, const char *text)
{
    fprintf(d->cli->out, "%s# %s%s\n", color(d, "dim"), text, color(d, "reset"));
}

static bool step_setup(struct demo *d)
{
    note(d, "As the administrator (the emulator's root key): a user with only the guide's "
            "BedrockClaudeInvokeOnly policy, its key written to a .env file, then verified.");
    const char *const a[] = { "setup", "--user", DEMO_USER, "--write-env", d->app_env, NULL };
    return expect(d, ADMIN, a, 0, 0, "streaming works");
}

static bool step_doctor(struct demo *d)
{
    note(d, "As the application, with only the .env file.");
    const char *const a[] = { "doctor", NULL };
    return expect(d, APP, a, 0, 0, "all required checks passed");
}

static bool step_chat(struct demo *d)
{
    const char *const a[] = { "chat", "--usage", "Say hello", NULL };
    return expect(d, APP, a, 0, 0, "Hello");
}

static bool step_denied(struct demo *d)
{
    note(d, "A model the policy does not name must be refused (exit 5) with a hint.");
    const char *const a[] = { "invoke", "--model", DEMO_OTHER_MODEL, "--body", DEMO_BODY, NULL };
    return expect(d, APP, a, 5, 5, "hint:");
}

/* Finds "bedrock-api-key-..." in out and keeps it as an environment entry. */
static bool take_token(struct demo *d, const struct brk_buf *out)
{
    static const char prefix[] = "bedrock-api-key-";
    for (size_t i = 0; out->data != NULL && i + sizeof(prefix) - 1 <= out->len; i++) {
        if (memcmp(out->data + i, prefix, sizeof(prefix) - 1) != 0) {
            continue;
        }
        size_t n = 0;
        while (i + n < out->len && out->data[i + n] > ' ') {
            n++;
        }
        static const char var[] = "AWS_BEARER_TOKEN_BEDROCK=";
        d->bearer_env = brk_malloc(sizeof(var) + n);
        if (d->bearer_env == NULL) {
            return false;
        }
        memcpy(d->bearer_env, var, sizeof(var) - 1);
        memcpy(d->bearer_env + sizeof(var) - 1, out->data + i, n);
        d->bearer_env[sizeof(var) - 1 + n] = '\0';
        fprintf(d->cli->out,
                "  \u2713 got a short-term Bedrock API key (%zu characters, valid 15 "
                "minutes; kept in memory, not shown)\n",
                n);
        return true;
    }
    return false;
}

static bool step_token(struct demo *d)
{
    note(d, "As the administrator: a Bedrock API key that dies on its own (15 minutes), to "
            "hand to an application instead of a long-lived IAM key. (The least-privilege user "
            "cannot mint one: its policy lacks bedrock:CallWithBearerToken, as it should.) The "
            "command's output is the key itself, so the demo keeps it instead of printing it.");
    const char *const a[] = { "token", "--expires", "15m", NULL };
    struct brk_buf out = BRK_SECRET_BUF(16 * 1024 * 1024);
    struct bedrock_error err;
    bedrock_error_clear(&err);
    int st = -1;
    bool ok =
        run_as(d, ADMIN, a, false, &out, &st, &err) == BEDROCK_OK && st == 0 && take_token(d, &out);
    brk_buf_cleanup(&out);
    if (!ok) {
        fprintf(d->cli->out, "  \u2717 token failed (exit %d)\n", st);
        return false;
    }
    note(d, "Now a chat with only AWS_BEARER_TOKEN_BEDROCK set (no IAM key at all).");
    const char *const c[] = { "chat", "Say hello", NULL };
    return expect(d, BEARER, c, 0, 0, "Hello");
}

static bool step_usage(struct demo *d)
{
    note(d, "As the administrator (the application's key cannot read CloudWatch): the calls "
            "above, from CloudWatch's AWS/Bedrock metrics.");
    const char *const fancy[] = { "usage", "--since", "24h", "--chart", "unicode", NULL };
    const char *const plain[] = { "usage", "--since", "24h", NULL };
    return expect(d, ADMIN, d->fancy ? fancy : plain, 0, 0, BRK_CLI_DEFAULT_MODEL);
}

/* The key id stored in the .env (ids are not secret; the file's bytes are wiped). */
static bool read_key_id(struct demo *d)
{
    struct brk_buf b = BRK_SECRET_BUF(1024 * 1024);
    bool ok = false;
    if (brk_file_read(d->app_env, b.max, &b) == BEDROCK_OK &&
        brk_buf_append_char(&b, '\0') == BEDROCK_OK) {
        const char *p = strstr(b.data, "AWS_ACCESS_KEY_ID=");
        if (p != NULL) {
            p += strlen("AWS_ACCESS_KEY_ID=");
            p += *p == '"' ? 1 : 0;
            size_t n = strspn(p, "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789");
            ok = n >= 16 && n < sizeof(d->old_key);
            snprintf(d->old_key, sizeof(d->old_key), "%.*s", (int)n, p);
        }
    }
    brk_buf_cleanup(&b);
    return ok;
}

static bool step_rotate(struct demo *d)
{
    if (!read_key_id(d)) {
        fprintf(d->cli->out, "  \u2717 no AWS_ACCESS_KEY_ID in %s\n", d->app_env);
        return false;
    }
    fprintf(d->cli->out,
            "%s# The application's key is %s; rotate it in place in the same .env "
            "(the old key is deactivated, kept for a grace period).%s\n",
            color(d, "dim"), d->old_key, color(d, "reset"));
    const char *const a[] = {
        "keys", "rotate", "--user", DEMO_USER, "--write-env", d->app_env, NULL
    };
    if (!expect(d, ADMIN, a, 0, 0, "is inactive")) {
        return false;
    }
    note(d, "The application still works, with the new key:");
    const char *const c[] = { "chat", "Say hello", NULL };
    return expect(d, APP, c, 0, 0, "Hello");
}

static bool step_revoke(struct demo *d)
{
    fprintf(d->cli->out, "%s# Suppose the old key %s leaked: deactivate and delete it now.%s\n",
            color(d, "dim"), d->old_key, color(d, "reset"));
    const char *const a[] = { "keys", "revoke", d->old_key, "--user", DEMO_USER, NULL };
    return expect(d, ADMIN, a, 0, 0, "deleted it");
}

static bool step_audit(struct demo *d)
{
    note(d, "Every user's keys: age, last use, two active keys, root keys, broad policies "
            "(exit 1 means findings, as in CI). This demo ran as the emulator's account root, so "
            "the audit rightly flags root access keys: on AWS, administer with an IAM user.");
    const char *const a[] = { "keys", "audit", NULL };
    return expect(d, ADMIN, a, 0, 1, "Audited");
}

struct demo_step {
    const char *name;
    const char *section;
    bool (*run)(struct demo *d);
};

static const struct demo_step g_steps[] = {
    { "setup", "Method 2: Using AWS CLI + Custom IAM Policy + Environment Variables (.env file)",
      step_setup },
    { "doctor", "Testing the Access Keys", step_doctor },
    { "chat", "Configuration for 3rd Party Applications (streamed)", step_chat },
    { "denied", "Troubleshooting: Error: \"Access Denied\"", step_denied },
    { "token", "Security Best Practices: short-lived credentials (Bedrock API keys)", step_token },
    { "usage", "Cost Monitoring: Monitor Bedrock Usage", step_usage },
    { "keys rotate", "Security Best Practices: Rotate access keys regularly", step_rotate },
    { "keys revoke", "Revoking Access Keys: If Credentials Are Compromised", step_revoke },
    { "keys audit", "Security Best Practices: audit every key", step_audit },
};
#define N_STEPS (sizeof(g_steps) / sizeof(g_steps[0]))

static double elapsed(const struct timespec *t0)
{
    struct timespec t1;
    clock_gettime(CLOCK_MONOTONIC, &t1);
    return (double)(t1.tv_sec - t0->tv_sec) + (double)(t1.tv_nsec - t0->tv_nsec) / 1e9;
}

static void header(struct demo *d, size_t i)
{
    fprintf(d->cli->out, "\n%s%s Step %zu/%zu: %s %s guide: %s%s\n", color(d, "bold"),
            d->fancy ? "\u2501\u2501" : "==", i + 1, N_STEPS, g_steps[i].name,
            d->fancy ? "\u2014" : "-", g_steps[i].section, color(d, "reset"));
}

static int walk(struct demo *d, bool keep_going, bool *ok)
{
    int passed = 0;
    for (size_t i = 0; i < N_STEPS; i++) {
        ok[i] = false;
    }
    for (size_t i = 0; i < N_STEPS && !brk_demo_interrupted(); i++) {
        header(d, i);
        struct timespec t0;
        clock_gettime(CLOCK_MONOTONIC, &t0);
        ok[i] = g_steps[i].run(d) && !brk_demo_interrupted();
        fprintf(d->cli->out, "%s%s step %s %s (%.1f s)%s\n", color(d, ok[i] ? "green" : "red"),
                ok[i] ? "\u2713" : "\u2717", g_steps[i].name, ok[i] ? "passed" : "FAILED",
                elapsed(&t0), color(d, "reset"));
        passed += ok[i] ? 1 : 0;
        if (!ok[i] && !keep_going) {
            break;
        }
    }
    return passed;
}

static void summary(struct demo *d, const bool *ok, int passed, double secs)
{
    fprintf(d->cli->out, "\n%sSummary: %d/%zu steps passed in %.1f s%s\n", color(d, "bold"), passed,
            N_STEPS, secs, color(d, "reset"));
    for (size_t i = 0; i < N_STEPS; i++) {
        fprintf(d->cli->out, "  %s %s\n", ok[i] ? "\u2713" : "\u2717", g_steps[i].name);
    }
    if ((size_t)passed == N_STEPS) {
        fprintf(d->cli->out, "The guide works end to end. Against AWS, run the same commands "
                             "without --endpoint-url.\n");
    }
}

static bool find_emulator(char *path, size_t len)
{
    const char *env = getenv("BEDROCK_EMULATOR");
    if (env != NULL && env[0] != '\0') {
        snprintf(path, len, "%s", env);
    } else {
        char self[PATH_MAX];
        ssize_t n = readlink("/proc/self/exe", self, sizeof(self) - 1);
        self[n > 0 ? n : 0] = '\0';
        char *slash = strrchr(self, '/');
        if (slash != NULL) {
            *slash = '\0';
        }
        snprintf(path, len, "%s/bedrock-emulator", self);
    }
    return access(path, X_OK) == 0;
}

static bool make_dirs(struct demo *d)
{
    const char *tmp = getenv("TMPDIR");
    snprintf(d->dir, sizeof(d->dir), "%.900s/bedrockctl-demo-XXXXXX",
             tmp != NULL && tmp[0] == '/' && strlen(tmp) < 900 ? tmp : "/tmp");
    if (mkdtemp(d->dir) == NULL) {
        d->dir[0] = '\0';
        return false;
    }
    char app[1050];
    snprintf(app, sizeof(app), "%s/app", d->dir);
    snprintf(d->app_env, sizeof(d->app_env), "%s/.env", app);
    snprintf(d->work, sizeof(d->work), "%s/work", d->dir);
    return mkdir(app, 0700) == 0 && mkdir(d->work, 0700) == 0;
}

static int demo_main(struct brk_cli *cli, bool keep_going)
{
    struct demo d;
    memset(&d, 0, sizeof(d));
    d.cli = cli;
    d.fancy = brk_cli_color_allowed(cli->out, cli->g.no_color);
    struct bedrock_error err;
    bedrock_error_clear(&err);
    char emu_path[PATH_MAX + 32];
    if (!find_emulator(emu_path, sizeof(emu_path))) {
        bedrock_error_set(&err, BEDROCK_E_NOT_FOUND, "no bedrock-emulator at %s", emu_path);
        bedrock_error_hint(&err, "build it (make) or set BEDROCK_EMULATOR to its path");
        return brk_cli_fail(cli, &err);
    }
    struct timespec t0;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    bool ok[N_STEPS];
    int passed = 0;
    brk_demo_signals(true);
    if (!make_dirs(&d)) {
        bedrock_error_set(&err, BEDROCK_E_IO, "cannot create the demo's temp dir");
    } else if (brk_demo_emu_start(emu_path, d.dir, DEMO_REGION, &d.emu, &err) == BEDROCK_OK) {
        fprintf(cli->out,
                "%sbedrockctl demo%s: the guide end to end against a private "
                "bedrock-emulator at %s (region %s, temp dir %s).\nEvery command "
                "below also gets --endpoint-url %s --region %s.\n",
                color(&d, "bold"), color(&d, "reset"), d.emu.url, DEMO_REGION, d.dir, d.emu.url,
                DEMO_REGION);
        passed = walk(&d, keep_going, ok);
        summary(&d, ok, passed, elapsed(&t0));
    }
    brk_demo_emu_stop(&d.emu);
    brk_demo_rmtree(d.dir);
    brk_secret_free(d.bearer_env);
    brk_demo_signals(false);
    if (err.code != BEDROCK_OK) {
        return brk_cli_fail(cli, &err);
    }
    if (brk_demo_interrupted()) {
        fprintf(cli->out, "interrupted: the emulator was stopped and %s removed\n", d.dir);
        return 130;
    }
    return (size_t)passed == N_STEPS ? 0 : 1;
}

static int run_demo(struct brk_cli *cli, void *opts, int argc, const char *const *argv)
{
    (void)argc;
    (void)argv;
    const struct demo_opts *o = opts;
    return demo_main(cli, o->keep);
}

const struct brk_cli_command brk_cmd_demo = {
    .name = "demo",
    .summary = "walk the whole guide against a private bedrock-emulator",
    .usage = "[--keep-going]",
    .description =
        "Starts bedrock-emulator (next to bedrockctl, or $BEDROCK_EMULATOR) on a free port in a "
        "fresh temp dir and runs the guide with the real commands: setup, doctor, chat, a "
        "denied model, token, usage, keys rotate, keys revoke, keys audit. Each step checks "
        "its outcome; the exit status is 0 only when all of them pass. The emulator is "
        "stopped and the temp dir removed at the end, also on failure or Ctrl-C.",
    .opts = demo_options,
    .opts_size = sizeof(struct demo_opts),
    .min_args = 0,
    .max_args = 0,
    .run = run_demo,
};
