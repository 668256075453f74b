/*
 * cli/cmd_budget.c - `bedrockctl budget create|list|delete`: a monthly COST budget filtered to
 * Amazon Bedrock with an ACTUAL notification at --threshold percent to --email subscribers.
 * Invariant: the account id comes from GetCallerIdentity (Budgets needs it in every call).
 */
#include "../services/budgets/budgets.h"
#include "guide_policy.h"

#include <string.h>

struct budget_opts {
    const char *limit;
    const char *name;
    struct brk_strlist emails;
    struct brk_num threshold;
};

static const struct brk_opt create_opts[] = {
    BRK_OPT_STR(struct budget_opts, limit, "--limit", "USD", "monthly limit in USD (required)"),
    BRK_OPT_STR(struct budget_opts, name, "--name", "N", "budget name (default bedrock-monthly)"),
    BRK_OPT_LIST(struct budget_opts, emails, "--email", "ADDR", "notify this address"),
    BRK_OPT_DOUBLE(struct budget_opts, threshold, "--threshold", "PERCENT",
                   "notify when actual spend passes this share of the limit (default 80)"),
    BRK_OPT_END,
};
static const struct brk_opt no_opts[] = { BRK_OPT_END };

static int call(struct brk_cli *cli, const char *op, json_t *body, json_t **out)
{
    struct bedrock_error err;
    bedrock_error_clear(&err);
    struct bedrock_client *c = NULL;
    bedrock_code rc = brk_cli_client(cli, &c, &err);
    if (rc == BEDROCK_OK) {
        rc = brk_budgets_call(c, op, body, out, &err);
    }
    json_decref(body);
    return rc == BEDROCK_OK ? 0 : brk_cli_fail(cli, &err);
}

static int account(struct brk_cli *cli, char *acct, size_t len)
{
    struct bedrock_error err;
    bedrock_error_clear(&err);
    return brk_guide_account(cli, acct, len, &err) == BEDROCK_OK ? 0 : brk_cli_fail(cli, &err);
}

static int run_create(struct brk_cli *cli, void *opts, int argc, const char *const *argv)
{
    (void)argc;
    (void)argv;
    struct budget_opts *o = opts;
    double limit = 0;
    if (o->limit == NULL || brk_parse_double(o->limit, &limit) != BEDROCK_OK || limit <= 0) {
        return brk_cli_usage(cli, "--limit USD is required (a positive number)");
    }
    char acct[32];
    int st = account(cli, acct, sizeof(acct));
    if (st != 0) {
        return st;
    }
    struct brk_budget_spec s = { acct,
                                 o->name != NULL ? o->name : "bedrock-monthly",
                                 o->limit,
                                 o->threshold.set ? o->threshold.d : 80.0,
                                 o->emails.items,
                                 o->emails.n };
    json_t *out = NULL;
    st = call(cli, "CreateBudget", brk_budget_create_request(&s), &out);
    json_decref(out);
    if (st == 0) {
        fprintf(cli->out,
                "created budget %s: %s USD a month for Amazon Bedrock, notify at "
                "%.0f%% of actual spend (%zu subscriber(s))\n",
                s.name, s.limit_usd, s.threshold_percent, s.n_emails);
    }
    return st;
}

static int run_list(struct brk_cli *cli, void *opts, int argc, const char *const *argv)
{
    (void)opts;
    (void)argc;
    (void)argv;
    char acct[32];
    int st = account(cli, acct, sizeof(acct));
    json_t *out = NULL;
    if (st == 0) {
        st = call(cli, "DescribeBudgets", json_pack("{ss}", "AccountId", acct), &out);
    }
    if (st == 0) {
        json_t *rows = json_array();
        size_t i;
        json_t *b;
        json_array_foreach(json_object_get(out, "Budgets"), i, b)
        {
            json_t *lim = json_object_get(b, "BudgetLimit");
            json_array_append_new(rows, json_pack("{s:O?,s:O?,s:O?,s:O?}", "BudgetName",
                                                  json_object_get(b, "BudgetName"), "Limit",
                                                  json_object_get(lim, "Amount"), "Unit",
                                                  json_object_get(lim, "Unit"), "TimeUnit",
                                                  json_object_get(b, "TimeUnit")));
        }
        brk_cli_print(cli, rows, "Budgets");
        json_decref(rows);
    }
    json_decref(out);
    return st;
}

static int run_delete(struct brk_cli *cli, void *opts, int argc, const char *const *argv)
{
    (void)opts;
    (void)argc;
    char acct[32];
    int st = account(cli, acct, sizeof(acct));
    json_t *out = NULL;
    if (st == 0) {
        st = call(cli, "DeleteBudget",
                  json_pack("{ssss}", "AccountId", acct, "BudgetName", argv[0]), &out);
    }
    json_decref(out);
    if (st == 0) {
        fprintf(cli->out, "deleted budget %s\n", argv[0]);
    }
    return st;
}

static const struct brk_cli_command budget_subs[] = {
    { .name = "create",
      .summary = "monthly Bedrock cost budget with an email alert",
      .usage = "--limit USD [--name N] [--email ADDR]... [--threshold PERCENT]",
      .opts = create_opts,
      .opts_size = sizeof(struct budget_opts),
      .min_args = 0,
      .max_args = 0,
      .run = run_create },
    { .name = "list",
      .summary = "the account's budgets",
      .usage = "",
      .opts = no_opts,
      .opts_size = sizeof(struct budget_opts),
      .min_args = 0,
      .max_args = 0,
      .run = run_list },
    { .name = "delete",
      .summary = "delete a budget",
      .usage = "NAME",
      .opts = no_opts,
      .opts_size = sizeof(struct budget_opts),
      .min_args = 1,
      .max_args = 1,
      .run = run_delete },
    { .name = NULL },
};

const struct brk_cli_command brk_cmd_budget = {
    .name = "budget",
    .summary = "create, list and delete a monthly Amazon Bedrock cost budget",
    .usage = "create|list|delete ...",
    .subs = budget_subs,
};
