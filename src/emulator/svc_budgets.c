/*
 * emulator/svc_budgets.c - AWS Budgets (JSON 1.1, X-Amz-Target AWSBudgetServiceGateway.<Op>):
 * CreateBudget, DescribeBudget, DescribeBudgets, DeleteBudget, DescribeNotificationsForBudget.
 *
 * Storage: one JSON blob per budget in the store's key/value table, namespace "budgets", key
 * "<AccountId>|<BudgetName>", value {"Budget": {...}, "Notifications": [...]} (the
 * NotificationsWithSubscribers given at creation are kept). Budget names are unique per
 * account (DuplicateRecordException); absent ones give NotFoundException. Authorised as
 * budgets:ViewBudget / budgets:ModifyBudget on arn:aws:budgets::ACCOUNT:budget/NAME.
 */
#include "core/alloc.h"
#include "emulator/store.h"
#include "emulator/svc_util.h"

#include <stdio.h>
#include <string.h>

#define BUDGETS_TARGET "AWSBudgetServiceGateway."
#define BUDGETS_NS     "budgets"
#define BUDGET_END_S   3706473600 /* 2087-06-15, AWS's open-ended budget end */

static void budget_key(const char *account, const char *name, char *out, size_t cap)
{
    snprintf(out, cap, "%s|%s", account, name);
}

static bool authorize(struct emu_request *req, const char *action, const char *account,
                      const char *name)
{
    char arn[512];
    snprintf(arn, sizeof(arn), "arn:aws:budgets::%s:budget/%s", account, name != NULL ? name : "*");
    return emu_authorize_or_reply(req, action, name != NULL ? arn : "*", NULL, 0);
}

static time_t month_start(time_t now)
{
    struct tm tm;
    gmtime_r(&now, &tm);
    tm.tm_mday = 1;
    tm.tm_hour = tm.tm_min = tm.tm_sec = 0;
    return timegm(&tm);
}

static void create_budget(struct emu_request *req, json_t *in, const char *account)
{
    char key[600];
    json_t *budget = json_object_get(in, "Budget");
    const char *name = json_string_value(json_object_get(budget, "BudgetName"));
    if (!json_is_object(budget) || name == NULL || name[0] == '\0' ||
        !json_is_string(json_object_get(budget, "TimeUnit")) ||
        !json_is_string(json_object_get(budget, "BudgetType"))) {
        emu_reply_error(req, 400, "InvalidParameterException",
                        "Request must contain a Budget with BudgetName, TimeUnit and BudgetType.");
        return;
    }
    if (!authorize(req, "budgets:ModifyBudget", account, name)) {
        return;
    }
    budget_key(account, name, key, sizeof(key));
    struct emu_store *st = emu_server_store(req->server);
    char *old = emu_store_kv_get(st, BUDGETS_NS, key);
    if (old != NULL) {
        brk_free(old);
        emu_reply_error(req, 400, "DuplicateRecordException",
                        "Error creating budget: %s - the budget already exists.", name);
        return;
    }
    json_t *b = json_deep_copy(budget);
    time_t now = req->now_s != 0 ? req->now_s : time(NULL);
    if (json_object_get(b, "TimePeriod") == NULL) {
        json_object_set_new(b, "TimePeriod",
                            json_pack("{s:I,s:I}", "Start", (json_int_t)month_start(now), "End",
                                      (json_int_t)BUDGET_END_S));
    }
    if (json_object_get(b, "CalculatedSpend") == NULL) {
        const char *unit =
            json_string_value(json_object_get(json_object_get(b, "BudgetLimit"), "Unit"));
        json_object_set_new(b, "CalculatedSpend",
                            json_pack("{s:{s:s,s:s}}", "ActualSpend", "Amount", "0", "Unit",
                                      unit != NULL ? unit : "USD"));
    }
    json_object_set_new(b, "LastUpdatedTime", json_integer((json_int_t)now));
    json_t *notes = json_object_get(in, "NotificationsWithSubscribers");
    json_t *rec = json_pack("{s:o,s:o}", "Budget", b, "Notifications",
                            json_is_array(notes) ? json_incref(notes) : json_array());
    char *text = json_dumps(rec, JSON_COMPACT);
    json_decref(rec);
    bedrock_code rc = text != NULL ? emu_store_kv_put(st, BUDGETS_NS, key, text) : BEDROCK_E_NOMEM;
    free(text);
    if (rc != BEDROCK_OK) {
        emu_reply_error(req, 500, "InternalErrorException", "Could not store the budget.");
        return;
    }
    emu_reply_json(req, 200, "application/x-amz-json-1.1", json_object());
}

/* Loads the stored record or replies NotFoundException (verb: "get" / "delete"). */
static json_t *load(struct emu_request *req, const char *account, const char *name,
                    const char *verb)
{
    char key[600];
    budget_key(account, name, key, sizeof(key));
    char *text = emu_store_kv_get(emu_server_store(req->server), BUDGETS_NS, key);
    json_error_t err;
    json_t *rec = text != NULL ? json_loads(text, 0, &err) : NULL;
    brk_free(text);
    if (rec == NULL) {
        emu_reply_error(req, 404, "NotFoundException",
                        "Unable to %s budget: %s - the budget doesn't exist.", verb, name);
    }
    return rec;
}

static void describe_budget(struct emu_request *req, json_t *in, const char *account, bool del,
                            bool notes)
{
    const char *name = json_string_value(json_object_get(in, "BudgetName"));
    if (name == NULL) {
        emu_reply_error(req, 400, "InvalidParameterException", "BudgetName is required.");
        return;
    }
    if (!authorize(req, del ? "budgets:ModifyBudget" : "budgets:ViewBudget", account, name)) {
        return;
    }
    json_t *rec = load(req, account, name, del ? "delete" : "get");
    if (rec == NULL) {
        return;
    }
    if (del) {
        char key[600];
        budget_key(account, name, key, sizeof(key));
        (void)emu_store_kv_delete(emu_server_store(req->server), BUDGETS_NS, key);
        json_decref(rec);
        emu_reply_json(req, 200, "application/x-amz-json-1.1", json_object());
        return;
    }
    json_t *out = json_object();
    if (notes) {
        json_t *list = json_array();
        size_t i;
        json_t *n;
        json_array_foreach(json_object_get(rec, "Notifications"), i, n)
        {
            json_array_append(list, json_object_get(n, "Notification"));
        }
        json_object_set_new(out, "Notifications", list);
    } else {
        json_object_set(out, "Budget", json_object_get(rec, "Budget"));
    }
    json_decref(rec);
    emu_reply_json(req, 200, "application/x-amz-json-1.1", out);
}

struct each_ctx {
    const char *prefix;
    json_t *list;
};

static void each_budget(void *ctx, const char *key, const char *value)
{
    struct each_ctx *c = ctx;
    json_error_t err;
    if (strncmp(key, c->prefix, strlen(c->prefix)) != 0) {
        return;
    }
    json_t *rec = json_loads(value, 0, &err);
    if (rec != NULL) {
        json_array_append(c->list, json_object_get(rec, "Budget"));
        json_decref(rec);
    }
}

static void describe_budgets(struct emu_request *req, const char *account)
{
    char prefix[64];
    if (!authorize(req, "budgets:ViewBudget", account, NULL)) {
        return;
    }
    snprintf(prefix, sizeof(prefix), "%s|", account);
    struct each_ctx c = { prefix, json_array() };
    emu_store_kv_each(emu_server_store(req->server), BUDGETS_NS, each_budget, &c);
    emu_reply_json(req, 200, "application/x-amz-json-1.1", json_pack("{s:o}", "Budgets", c.list));
}

void emu_svc_budgets(struct emu_request *req)
{
    const char *target = emu_header(req, "x-amz-target");
    if (target == NULL || strncmp(target, BUDGETS_TARGET, sizeof(BUDGETS_TARGET) - 1) != 0) {
        emu_reply_error(req, 400, "UnknownOperationException", "Missing or unknown X-Amz-Target");
        return;
    }
    const char *op = target + sizeof(BUDGETS_TARGET) - 1;
    json_t *in = emu_body_json(req);
    const char *account = json_string_value(json_object_get(in, "AccountId"));
    if (in == NULL || account == NULL) {
        emu_reply_error(req, 400, "InvalidParameterException", "AccountId is required.");
        json_decref(in);
        return;
    }
    if (strcmp(account, emu_server_account(req->server)) != 0) {
        emu_reply_error(req, 403, "AccessDeniedException",
                        "Account %s is not the caller's account.", account);
    } else if (strcmp(op, "CreateBudget") == 0) {
        create_budget(req, in, account);
    } else if (strcmp(op, "DescribeBudget") == 0) {
        describe_budget(req, in, account, false, false);
    } else if (strcmp(op, "DescribeNotificationsForBudget") == 0) {
        describe_budget(req, in, account, false, true);
    } else if (strcmp(op, "DeleteBudget") == 0) {
        describe_budget(req, in, account, true, false);
    } else if (strcmp(op, "DescribeBudgets") == 0) {
        describe_budgets(req, account);
    } else {
        emu_reply_error(req, 400, "UnknownOperationException", "Unknown operation %s", op);
    }
    json_decref(in);
}
