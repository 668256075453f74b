/*
 * cli/cmd_policy.c - `bedrockctl policy generate` (the least-privilege identity policy; with
 * the defaults it is the guide's BedrockClaudeInvokeOnly document, statement for statement)
 * and `bedrockctl policy check (FILE | --user U)` (over-broad, unneeded and missing grants,
 * one finding a line with its severity; exit 1 on findings at or above --fail-on).
 * Invariant: generation is local except GetInferenceProfile for profiles and
 * GetCallerIdentity for the account id a profile ARN needs.
 */
#include "../core/alloc.h"
#include "../services/guide/policy.h"
#include "guide.h"
#include "guide_policy.h"

#include <stdlib.h>
#include <string.h>

struct gen_opts {
    struct brk_strlist models;
    bool no_stream, no_list, count_tokens;
    const char *account_id;
};

static const struct brk_opt gen_options[] = {
    BRK_OPT_LIST(struct gen_opts, models, "--model", "ID",
                 "model, inference profile id or ARN the application calls (repeatable)"),
    BRK_OPT_FLAG(struct gen_opts, no_stream, "--no-stream",
                 "leave out bedrock:InvokeModelWithResponseStream"),
    BRK_OPT_FLAG(struct gen_opts, no_list, "--no-list",
                 "leave out ListFoundationModels / GetFoundationModel"),
    BRK_OPT_FLAG(struct gen_opts, count_tokens, "--count-tokens", "add bedrock:CountTokens"),
    BRK_OPT_STR(struct gen_opts, account_id, "--account-id", "N",
                "account for inference-profile ARNs (default: GetCallerIdentity)"),
    BRK_OPT_END,
};

static bool any_profile(const struct brk_strlist *m)
{
    for (size_t i = 0; i < m->n; i++) {
        if (brk_policy_is_profile(m->items[i])) {
            return true;
        }
    }
    return false;
}

static int run_generate(struct brk_cli *cli, void *opts, int argc, const char *const *argv)
{
    (void)argc;
    (void)argv;
    struct gen_opts *o = opts;
    struct bedrock_error err;
    bedrock_error_clear(&err);
    char account[32] = "";
    if (o->account_id != NULL) {
        snprintf(account, sizeof(account), "%s", o->account_id);
    } else if (any_profile(&o->models) &&
               brk_guide_account(cli, account, sizeof(account), &err) != BEDROCK_OK) {
        return brk_cli_fail(cli, &err);
    }
    struct brk_guide_policy_opts po = { .models = o->models.items,
                                        .n_models = o->models.n,
                                        .region = brk_guide_region(cli),
                                        .account_id = account[0] != '\0' ? account : NULL,
                                        .no_stream = o->no_stream,
                                        .no_list = o->no_list,
                                        .count_tokens = o->count_tokens };
    json_t *doc = NULL;
    if (brk_guide_policy(cli, &po, &doc, &err) != BEDROCK_OK) {
        return brk_cli_fail(cli, &err);
    }
    char *text = brk_policy_dump(doc);
    json_decref(doc);
    if (text == NULL) {
        bedrock_error_set(&err, BEDROCK_E_NOMEM, "out of memory");
        return brk_cli_fail(cli, &err);
    }
    fprintf(cli->out, "%s\n", text);
    brk_free(text);
    return 0;
}

struct check_opts {
    const char *user;
    struct brk_strlist models;
    const char *fail_on;
};

static const struct brk_opt check_options[] = {
    BRK_OPT_STR(struct check_opts, user, "--user", "U", "check the policies attached to user U"),
    BRK_OPT_LIST(struct check_opts, models, "--model", "ID",
                 "model the application calls (repeatable; default: the configured model)"),
    BRK_OPT_STR(struct check_opts, fail_on, "--fail-on", "SEV",
                "exit 1 on findings at or above info|warning|error (default warning)"),
    BRK_OPT_END,
};

static int run_check(struct brk_cli *cli, void *opts, int argc, const char *const *argv)
{
    struct check_opts *o = opts;
    struct bedrock_error err;
    bedrock_error_clear(&err);
    enum brk_severity fail_on = BRK_SEV_WARNING;
    if (o->fail_on != NULL && brk_severity_parse(o->fail_on, &fail_on) != BEDROCK_OK) {
        return brk_cli_usage(cli, "--fail-on must be info, warning or error");
    }
    if ((argc == 1) == (o->user != NULL)) {
        return brk_cli_usage(cli, "give a policy FILE or --user U (one of them)");
    }
    struct brk_findings f = { 0 };
    struct brk_guide_policy_opts po = { .models = o->models.items,
                                        .n_models = o->models.n,
                                        .region = brk_guide_region(cli),
                                        .account_id = "000000000000" };
    json_t *needed = NULL;
    bedrock_code rc = brk_policy_is_profile(o->models.n > 0 ? o->models.items[0] : "")
                          ? BEDROCK_OK
                          : brk_guide_policy(cli, &po, &needed, &err);
    struct bedrock_client *client = NULL;
    if (rc == BEDROCK_OK && argc == 1) {
        rc = brk_guide_check_file(cli, argv[0], needed, &f, &err);
    } else if (rc == BEDROCK_OK) {
        rc = brk_cli_client(cli, &client, &err);
        if (rc == BEDROCK_OK) {
            rc = brk_guide_check_user(client, o->user, needed, &f, &err);
        }
    }
    json_decref(needed);
    if (rc != BEDROCK_OK) {
        brk_findings_cleanup(&f);
        return brk_cli_fail(cli, &err);
    }
    brk_guide_print_findings(cli, &f);
    int status = f.n > 0 && brk_findings_max(&f) >= fail_on ? 1 : 0;
    brk_findings_cleanup(&f);
    return status;
}

static const struct brk_cli_command policy_subs[] = {
    { .name = "generate",
      .summary = "print the least-privilege identity policy for the application's models",
      .usage = "[--model ID]... [--no-stream] [--no-list] [--count-tokens] [--account-id N]",
      .description =
          "With the defaults (the guide's model and region eu-central-1) this is the guide's\n"
          "BedrockClaudeInvokeOnly document, statement for statement. For an inference profile\n"
          "the profile ARN and the foundation model in every region it routes to are granted,\n"
          "the model statement pinned to the profile with bedrock:InferenceProfileArn.",
      .opts = gen_options,
      .opts_size = sizeof(struct gen_opts),
      .min_args = 0,
      .max_args = 0,
      .run = run_generate },
    { .name = "check",
      .summary = "flag over-broad, unneeded and missing grants in a policy file or a user's "
                 "policies",
      .usage = "(FILE | --user U) [--model ID]... [--fail-on info|warning|error]",
      .opts = check_options,
      .opts_size = sizeof(struct check_opts),
      .min_args = 0,
      .max_args = 1,
      .run = run_check },
    { .name = NULL },
};

const struct brk_cli_command brk_cmd_policy = {
    .name = "policy",
    .summary = "generate or check the least-privilege Bedrock policy",
    .usage = "generate|check ...",
    .subs = policy_subs,
};
