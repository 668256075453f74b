/*
 * cli/guide_policy.h - policy checks shared by `policy check`, `doctor` and `keys audit`:
 * a file, or every policy a user has (attached managed, customer managed, inline).
 */
#ifndef BRK_CLI_GUIDE_POLICY_H
#define BRK_CLI_GUIDE_POLICY_H

#include "../services/guide/policy.h"
#include "guide.h"

BEDROCK_MUST_USE bedrock_code brk_guide_account(struct brk_cli *cli, char *out, size_t len,
                                                struct bedrock_error *err);
/* needed may be NULL (no unneeded/missing checks). */
BEDROCK_MUST_USE bedrock_code brk_guide_check_file(struct brk_cli *cli, const char *path,
                                                   const json_t *needed, struct brk_findings *f,
                                                   struct bedrock_error *err);
BEDROCK_MUST_USE bedrock_code brk_guide_check_user(struct bedrock_client *client, const char *user,
                                                   const json_t *needed, struct brk_findings *f,
                                                   struct bedrock_error *err);
void brk_guide_print_findings(struct brk_cli *cli, const struct brk_findings *f);

#endif
