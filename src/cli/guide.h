/*
 * cli/guide.h - what the guide's commands (setup, doctor, keys, policy, usage, budget, token,
 * demo) share: their command objects, a client with a freshly created key, the bounded wait
 * for IAM's eventual consistency, the least-privilege policy for the chosen models, and the
 * checklist line printer.
 * Invariant: secrets passed in here are only handed to bedrock_client_new, never printed.
 */
#ifndef BRK_CLI_GUIDE_H
#define BRK_CLI_GUIDE_H

#include "cli.h"

#include <bedrock/sts.h>

#define BRK_GUIDE_COMMANDS(X) \
    X(setup) X(doctor) X(keys) X(policy) X(usage) X(budget) X(token) X(demo)

#define BRK_X_(name) extern const struct brk_cli_command brk_cmd_##name;
BRK_GUIDE_COMMANDS(BRK_X_)
#undef BRK_X_

/* The region: --region / environment / .env / profile, else the guide's eu-central-1. */
const char *brk_guide_region(struct brk_cli *cli);

/* A client like the CLI's (same endpoint, region, profile) but with these explicit keys. */
BEDROCK_MUST_USE bedrock_code brk_guide_client_with_key(struct brk_cli *cli, const char *id,
                                                        const char *secret,
                                                        struct bedrock_client **out,
                                                        struct bedrock_error *err);

/* GetCallerIdentity, retried while the key is not yet known (InvalidClientTokenId, signature
 * mismatch) for at most BEDROCKCTL_IAM_WAIT seconds (default 30). */
BEDROCK_MUST_USE bedrock_code brk_guide_wait_identity(struct bedrock_client *client,
                                                      struct bedrock_identity *id,
                                                      struct bedrock_error *err);

/* The least-privilege policy for models (default: the CLI's default model) in region;
 * inference profiles are resolved with GetInferenceProfile (client needs bedrock:Get...). */
struct brk_guide_policy_opts {
    const char *const *models;
    size_t n_models;
    const char *region;
    const char *account_id;
    bool no_stream, no_list, count_tokens;
};
BEDROCK_MUST_USE bedrock_code brk_guide_policy(struct brk_cli *cli,
                                               const struct brk_guide_policy_opts *o, json_t **doc,
                                               struct bedrock_error *err);

/* "  ✓ what" / "  ✗ what\n      fix: ..." on cli->out. */
void brk_guide_line(struct brk_cli *cli, bool ok, const char *what, const char *fix);
void brk_guide_warn(struct brk_cli *cli, const char *what, const char *fix);

/* 90d / 12h / 30m / 45s / plain seconds -> seconds; -1 when malformed. */
long brk_guide_duration(const char *s);

#endif
