/*
 * services/budgets/budgets.c - AWS Budgets requests (see budgets.h).
 */
#include "budgets.h"

#include "../call.h"

#include <stdio.h>

json_t *brk_budget_create_request(const struct brk_budget_spec *s)
{
    json_t *subs = json_array();
    for (size_t i = 0; subs != NULL && i < s->n_emails; i++) {
        json_array_append_new(
            subs, json_pack("{ssss}", "SubscriptionType", "EMAIL", "Address", s->emails[i]));
    }
    json_t *budget = json_pack("{ss s{ssss} ss ss s{s[s]}}", "BudgetName", s->name, "BudgetLimit",
                               "Amount", s->limit_usd, "Unit", "USD", "TimeUnit", "MONTHLY",
                               "BudgetType", "COST", "CostFilters", "Service", "Amazon Bedrock");
    json_t *notif =
        json_pack("{s{sssssfss}so}", "Notification", "NotificationType", "ACTUAL",
                  "ComparisonOperator", "GREATER_THAN", "Threshold", s->threshold_percent,
                  "ThresholdType", "PERCENTAGE", "Subscribers", subs);
    json_t *req = json_pack("{sssos[o]}", "AccountId", s->account_id, "Budget", budget,
                            "NotificationsWithSubscribers", notif);
    return req;
}

bedrock_code brk_budgets_call(struct bedrock_client *c, const char *op, json_t *body, json_t **out,
                              struct bedrock_error *err)
{
    char target[128];
    snprintf(target, sizeof(target), "AWSBudgetServiceGateway.%s", op);
    return brk_json_call(c, "budgets", "budgets", "1.1", target, body, out, err);
}
