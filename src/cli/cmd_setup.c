/*
 * cli/cmd_setup.c - `bedrockctl setup`: from an administrator's credentials to a working,
 * least-privilege key for a third-party application, in one idempotent command:
 * CreateUser -> CreatePolicy (or reuse the same document; a different document under the same
 * name is an error showing both) -> AttachUserPolicy -> CreateAccessKey -> store it (.env,
 * profile, or printed once) -> prove it works (GetCallerIdentity, then the doctor checks).
 *
 * Invariants: every step first looks at what exists, so a rerun finishes what a failed run
 * left; no second key is created unless --new-key; the secret goes only to the store the user
 * chose (stdout only with --print); --dry-run makes no call that changes anything.
 */
#include "../core/alloc.h"
#include "../services/guide/keystore.h"
#include "../services/iam/iam.h"
#include "guide.h"
#include "guide_policy.h"
#include "guide_setup.h"

#include <string.h>

static const struct brk_opt setup_options[] = {
    BRK_OPT_STR(struct brk_setup_opts, user, "--user", "NAME",
                "IAM user for the application (default bedrock-api-user)"),
    BRK_OPT_LIST(struct brk_setup_opts, models, "--model", "ID",
                 "model or inference profile the application calls (repeatable)"),
    BRK_OPT_FLAG(struct brk_setup_opts, full_access, "--full-access",
                 "attach AmazonBedrockFullAccess instead of the least-privilege policy"),
    BRK_OPT_STR(struct brk_setup_opts, policy_name, "--policy-name", "NAME",
                "customer-managed policy name (default BedrockClaudeInvokeOnly)"),
    BRK_OPT_STR(struct brk_setup_opts, write_env, "--write-env", "FILE",
                "store the key in a .env file (merged, 0600, atomic)"),
    BRK_OPT_STR(struct brk_setup_opts, write_profile, "--write-profile", "NAME",
                "store the key as a profile of the shared credentials file"),
    BRK_OPT_FLAG(struct brk_setup_opts, print, "--print", "print the key once on stdout"),
    BRK_OPT_FLAG(struct brk_setup_opts, dry_run, "--dry-run",
                 "print the plan and the equivalent aws commands; change nothing"),
    BRK_OPT_FLAG(struct brk_setup_opts, new_key, "--new-key",
                 "create a key even when the user already has one"),
    BRK_OPT_FLAG(struct brk_setup_opts, no_verify, "--no-verify",
                 "skip the Bedrock checks (IAM-only endpoints such as moto_server)"),
    BRK_OPT_END,
};

static void print_dry_run(struct brk_cli *cli, const struct brk_setup_opts *o, const char *account,
                          const json_t *doc)
{
    FILE *f = cli->out;
    fprintf(f, "Plan (dry run: nothing is changed)\n");
    fprintf(f, "  1. create IAM user %s (unless it exists)\n", o->user);
    if (o->full_access) {
        fprintf(f, "  2. attach %s (warning: every Bedrock action on every resource)\n",
                BRK_IAM_FULL_ACCESS_ARN);
    } else {
        fprintf(f,
                "  2. create policy %s (or reuse it when its document is the same) and "
                "attach it\n",
                o->policy_name);
    }
    fprintf(f, "  3. create an access key and store it in %s\n",
            o->write_env != NULL       ? o->write_env
            : o->write_profile != NULL ? o->write_profile
                                       : "stdout (--print)");
    fprintf(f, "  4. prove the key works: GetCallerIdentity%s\n",
            o->no_verify ? "" : ", then the doctor checks");
    fprintf(f, "\nThe same with the AWS CLI:\n\n");
    fprintf(f, "aws iam create-user --user-name %s\n", o->user);
    if (o->full_access) {
        fprintf(f, "aws iam attach-user-policy --user-name %s \\\n    --policy-arn %s\n", o->user,
                BRK_IAM_FULL_ACCESS_ARN);
    } else {
        char *text = brk_policy_dump(doc);
        fprintf(f, "cat > bedrock-policy.json << 'EOF'\n%s\nEOF\n", text != NULL ? text : "");
        brk_free(text);
        fprintf(f,
                "aws iam create-policy --policy-name %s \\\n"
                "    --policy-document file://bedrock-policy.json\n",
                o->policy_name);
        fprintf(f,
                "aws iam attach-user-policy --user-name %s \\\n"
                "    --policy-arn arn:aws:iam::%s:policy/%s\n",
                o->user, account, o->policy_name);
    }
    fprintf(f, "aws iam create-access-key --user-name %s\n", o->user);
}

static int check_dest(struct brk_cli *cli, const struct brk_setup_opts *o)
{
    int n = (o->write_env != NULL) + (o->write_profile != NULL) + (o->print ? 1 : 0);
    if (n != 1 && !(n == 0 && o->dry_run)) {
        return brk_cli_usage(cli, "choose where the key goes: --write-env FILE, "
                                  "--write-profile NAME or --print (exactly one)");
    }
    return 0;
}

static int run_setup(struct brk_cli *cli, void *opts, int argc, const char *const *argv)
{
    (void)argc;
    (void)argv;
    struct brk_setup_opts *o = opts;
    struct bedrock_error err;
    bedrock_error_clear(&err);
    if (o->user == NULL) {
        o->user = "bedrock-api-user";
    }
    if (o->policy_name == NULL) {
        o->policy_name = BRK_GUIDE_POLICY_NAME;
    }
    int st = check_dest(cli, o);
    if (st != 0) {
        return st;
    }
    char account[32] = "ACCOUNT_ID";
    bedrock_code rc = brk_guide_account(cli, account, sizeof(account), &err);
    if (rc != BEDROCK_OK && !o->dry_run) {
        return brk_cli_fail(cli, &err);
    }
    struct brk_guide_policy_opts po = { .models = o->models.items,
                                        .n_models = o->models.n,
                                        .region = brk_guide_region(cli),
                                        .account_id = account };
    json_t *doc = NULL;
    if (brk_guide_policy(cli, &po, &doc, &err) != BEDROCK_OK) {
        return brk_cli_fail(cli, &err);
    }
    if (o->dry_run) {
        print_dry_run(cli, o, account, doc);
        json_decref(doc);
        return 0;
    }
    st = brk_setup_apply(cli, o, account, doc);
    json_decref(doc);
    return st;
}

const struct brk_cli_command brk_cmd_setup = {
    .name = "setup",
    .summary = "create a least-privilege IAM user and access key for an application, store it "
               "and prove it works",
    .usage = "[--user NAME] [--model ID]... [--full-access] [--policy-name NAME] "
             "(--write-env FILE | --write-profile NAME | --print) [--dry-run] [--new-key] "
             "[--no-verify]",
    .description =
        "Run with an administrator's credentials. Steps: CreateUser, CreatePolicy (reused when\n"
        "the same document already exists under the name), AttachUserPolicy, CreateAccessKey,\n"
        "store the key, then GetCallerIdentity with the new key and the doctor checks (waiting\n"
        "a bounded time for IAM's eventual consistency). Idempotent: a second run creates\n"
        "nothing new unless --new-key. --dry-run prints the plan and the equivalent aws\n"
        "commands (the guide's Method 2).",
    .opts = setup_options,
    .opts_size = sizeof(struct brk_setup_opts),
    .min_args = 0,
    .max_args = 0,
    .run = run_setup,
};
