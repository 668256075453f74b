/*
 * services/guide/policy.h - the least-privilege identity policy for an application that calls
 * Bedrock, and a checker that flags over-broad, unneeded and missing grants.
 *
 * Generation is a pure function of its inputs (models, region, account, options): network
 * lookups (GetInferenceProfile for a profile's destination regions) happen in the caller.
 */
#ifndef BRK_GUIDE_POLICY_H
#define BRK_GUIDE_POLICY_H

#include "core/match.h"

#include <bedrock/bedrock.h>

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

#define BRK_GUIDE_DEFAULT_MODEL  "anthropic.claude-3-5-sonnet-20240620-v1:0"
#define BRK_GUIDE_DEFAULT_REGION "eu-central-1"
#define BRK_GUIDE_POLICY_NAME    "BedrockClaudeInvokeOnly"

/* One model the application calls. For an inference profile, dest_model_arns lists the
 * foundation-model ARNs in every region the profile routes to (from GetInferenceProfile). */
struct brk_policy_model {
    const char *model_id;               /* plain id, foundation-model ARN, profile id or ARN */
    const char *const *dest_model_arns; /* profiles only; NULL-terminated */
};

struct brk_policy_spec {
    const struct brk_policy_model *models;
    size_t n_models;
    const char *region;     /* default eu-central-1 */
    const char *account_id; /* needed for inference-profile ARNs */
    bool no_stream;         /* drop bedrock:InvokeModelWithResponseStream */
    bool no_list;           /* drop the ListFoundationModels/GetFoundationModel statement */
    bool count_tokens;      /* add bedrock:CountTokens */
};

/* True for "eu.anthropic...", "us.", "apac.", "global.", ... and inference-profile ARNs. */
bool brk_policy_is_profile(const char *model_id);
/* The profile id inside an id or ARN; the model id inside a foundation-model ARN. Writes into
 * out (NUL-terminated); E_INVALID_ARG when too long or malformed. */
BEDROCK_MUST_USE bedrock_code brk_policy_bare_id(const char *model_id, char *out, size_t len);
/* For a profile id ("eu.anthropic.claude-x"), the foundation model id ("anthropic.claude-x"). */
const char *brk_policy_profile_model(const char *profile_id);

/* Builds the policy document; *out is a new reference. E_INVALID_ARG (with err) when a profile
 * is given without account id or destination ARNs. */
BEDROCK_MUST_USE bedrock_code brk_policy_generate(const struct brk_policy_spec *spec, json_t **out,
                                                  struct bedrock_error *err);
/* The document as people read it (4-space indent, keys in order), malloc'd. */
char *brk_policy_dump(const json_t *doc);

enum brk_severity { BRK_SEV_INFO = 0, BRK_SEV_WARNING = 1, BRK_SEV_ERROR = 2 };
const char *brk_severity_name(enum brk_severity s);
BEDROCK_MUST_USE bedrock_code brk_severity_parse(const char *s, enum brk_severity *out);

struct brk_finding {
    enum brk_severity severity;
    char where[128]; /* "policy BedrockClaudeInvokeOnly statement 1 (BedrockInvokeModel)" */
    char text[512];
};
struct brk_findings {
    struct brk_finding *items;
    size_t n;
    size_t cap;
};
void brk_findings_cleanup(struct brk_findings *f);
BEDROCK_MUST_USE bedrock_code brk_findings_add(struct brk_findings *f, enum brk_severity sev,
                                               const char *where, const char *fmt, ...)
    BEDROCK_PRINTF(4, 5);
enum brk_severity brk_findings_max(const struct brk_findings *f); /* INFO when empty */

/* Check one policy document (name used in messages): over-broad grants, and, when `needed` (the
 * generated least-privilege document for the application's models) is given, grants the
 * application does not need. E_PARSE when doc is not a policy document. */
BEDROCK_MUST_USE bedrock_code brk_policy_check(const json_t *doc, const char *name,
                                               const json_t *needed, struct brk_findings *out);
/* Grants in `needed` that none of docs allows (the union of a user's policies). */
BEDROCK_MUST_USE bedrock_code brk_policy_check_missing(const json_t *const *docs, size_t n_docs,
                                                       const json_t *needed,
                                                       struct brk_findings *out);
/* Findings for an attached managed policy known by ARN (AdministratorAccess,
 * AmazonBedrockFullAccess, PowerUserAccess, IAMFullAccess ...). */
BEDROCK_MUST_USE bedrock_code brk_policy_check_managed(const char *policy_arn,
                                                       struct brk_findings *out);

/* Does doc allow action on resource (Allow statements only, wildcards, NotAction/NotResource;
 * conditions ignored; explicit Deny honoured)? Used by check and by doctor. */
bool brk_policy_allows(const json_t *doc, const char *action, const char *resource);

#endif
