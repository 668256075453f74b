/*
 * services/budgets/budgets.h - AWS Budgets (JSON 1.1, X-Amz-Target AWSBudgetServiceGateway.*,
 * global endpoint "budgets"): the monthly Bedrock cost budget of `bedrockctl budget`.
 * Invariant: requests and replies are jansson values; *out is a new reference.
 */
#ifndef BRK_SERVICES_BUDGETS_H
#define BRK_SERVICES_BUDGETS_H

#include <bedrock/bedrock.h>
#include <bedrock/client.h>

#include <jansson.h>

struct brk_budget_spec {
    const char *account_id;
    const char *name;
    const char *limit_usd;     /* "25" */
    double threshold_percent;  /* ACTUAL notification, e.g. 80 */
    const char *const *emails; /* subscribers */
    size_t n_emails;
};

/* The CreateBudget request (monthly COST budget filtered to Amazon Bedrock). */
json_t *brk_budget_create_request(const struct brk_budget_spec *s);
BEDROCK_MUST_USE bedrock_code brk_budgets_call(struct bedrock_client *c, const char *op,
                                               json_t *body, json_t **out,
                                               struct bedrock_error *err);

#endif
