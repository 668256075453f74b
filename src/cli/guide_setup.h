/*
 * cli/guide_setup.h - `setup`'s options and the steps that change IAM (setup_apply.c), shared
 * with `keys revoke --replace` (store + verify) and `demo`.
 */
#ifndef BRK_CLI_GUIDE_SETUP_H
#define BRK_CLI_GUIDE_SETUP_H

#include "../services/guide/keystore.h"
#include "guide.h"

struct brk_setup_opts {
    const char *user;
    struct brk_strlist models;
    bool full_access;
    const char *policy_name;
    const char *write_env;
    const char *write_profile;
    bool print;
    bool dry_run;
    bool new_key;
    bool no_verify;
};

/* Runs the steps; returns the exit status. */
int brk_setup_apply(struct brk_cli *cli, const struct brk_setup_opts *o, const char *account,
                    const json_t *doc);

/* Store a new key (store NULL with print: stdout) and tell the user where it went. */
BEDROCK_MUST_USE bedrock_code brk_guide_store_key(struct brk_cli *cli,
                                                  const struct brk_keystore *ks, bool print,
                                                  const char *id, const char *secret,
                                                  struct bedrock_error *err);
/* GetCallerIdentity with the key (bounded wait), then the doctor checks unless no_verify.
 * Returns 0 when the key works. */
int brk_guide_verify_key(struct brk_cli *cli, const char *id, const char *secret, const char *model,
                         bool no_verify);

/* doctor's checklist with a given client (cmd_doctor.c); true when every required check
 * passed. */
bool brk_doctor_checks(struct brk_cli *cli, struct bedrock_client *client, const char *model,
                       json_t *report);

#endif
