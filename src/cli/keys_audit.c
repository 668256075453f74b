/*
 * cli/keys_audit.c - `bedrockctl keys audit`: every user's keys against the guide's advice:
 * older than --max-age, never used or unused for 30+ days, two active keys, keys on the
 * account root, AmazonBedrockFullAccess / AdministratorAccess attached. Exit 1 on findings
 * (warning or worse), so CI can run it.
 */
#include "../core/alloc.h"
#include "../services/iam/iam.h"
#include "guide_keys.h"
#include "guide_policy.h"

#include <string.h>
#include <time.h>

int brk_keys_audit(struct brk_cli *cli, struct bedrock_client *c, long max_age);

static bedrock_code audit_keys(struct bedrock_client *c, const struct brk_iam_user *u, long max_age,
                               struct brk_findings *f, struct bedrock_error *err)
{
    struct brk_iam_access_key *keys = NULL;
    size_t n = 0;
    char where[200];
    snprintf(where, sizeof(where), "user %s", u->name);
    bedrock_code rc = brk_iam_list_access_keys(c, u->name, &keys, &n, err);
    int active = 0;
    time_t now = time(NULL);
    for (size_t i = 0; rc == BEDROCK_OK && i < n; i++) {
        const struct brk_iam_access_key *k = &keys[i];
        long age = (long)((now - k->created) / 86400);
        active += strcmp(k->status, "Active") == 0;
        if (age > max_age) {
            rc = brk_findings_add(f, BRK_SEV_WARNING, where,
                                  "key %s is %ld days old (limit %ld):"
                                  " rotate it",
                                  k->id, age, max_age);
        }
        struct brk_iam_last_used lu;
        if (rc == BEDROCK_OK &&
            brk_iam_get_access_key_last_used(c, k->id, &lu, err) == BEDROCK_OK) {
            if (!lu.used && age >= 1) {
                rc = brk_findings_add(f, BRK_SEV_WARNING, where,
                                      "key %s was never used: "
                                      "delete it if nothing needs it",
                                      k->id);
            } else if (lu.used && (now - lu.when) / 86400 >= 30) {
                rc = brk_findings_add(f, BRK_SEV_WARNING, where, "key %s unused for %ld days",
                                      k->id, (long)((now - lu.when) / 86400));
            }
        }
    }
    if (rc == BEDROCK_OK && active >= 2) {
        rc = brk_findings_add(f, BRK_SEV_WARNING, where,
                              "two active keys: finish the rotation "
                              "and deactivate the old one");
    }
    brk_iam_access_keys_free(keys, n);
    return rc;
}

static bedrock_code audit_policies(struct bedrock_client *c, const struct brk_iam_user *u,
                                   struct brk_findings *f, struct bedrock_error *err)
{
    struct brk_findings one = { 0 };
    bedrock_code rc = brk_guide_check_user(c, u->name, NULL, &one, err);
    for (size_t j = 0; rc == BEDROCK_OK && j < one.n; j++) {
        if (one.items[j].severity < BRK_SEV_WARNING) {
            continue;
        }
        char where[300];
        snprintf(where, sizeof(where), "user %s, %s", u->name, one.items[j].where);
        rc = brk_findings_add(f, one.items[j].severity, where, "%s", one.items[j].text);
    }
    brk_findings_cleanup(&one);
    return rc;
}

int brk_keys_audit(struct brk_cli *cli, struct bedrock_client *c, long max_age)
{
    struct bedrock_error err;
    bedrock_error_clear(&err);
    struct brk_findings f = { 0 };
    struct brk_iam_user *users = NULL;
    size_t n = 0;
    bool root_keys = false;
    bedrock_code rc = brk_iam_list_users(c, &users, &n, &err);
    for (size_t i = 0; rc == BEDROCK_OK && i < n; i++) {
        rc = audit_keys(c, &users[i], max_age, &f, &err);
        if (rc == BEDROCK_OK) {
            rc = audit_policies(c, &users[i], &f, &err);
        }
    }
    if (rc == BEDROCK_OK && brk_iam_root_keys_present(c, &root_keys, &err) == BEDROCK_OK &&
        root_keys) {
        rc = brk_findings_add(&f, BRK_SEV_ERROR, "account root",
                              "the root user has access keys:"
                              " delete them and use IAM users");
    }
    bedrock_error_clear(&err);
    brk_free(users);
    if (rc != BEDROCK_OK) {
        brk_findings_cleanup(&f);
        if (err.message[0] == '\0') {
            bedrock_error_set(&err, rc, "the audit failed");
        }
        return brk_cli_fail(cli, &err);
    }
    fprintf(cli->out, "Audited %zu user(s):\n", n);
    brk_guide_print_findings(cli, &f);
    int st = f.n > 0 && brk_findings_max(&f) >= BRK_SEV_WARNING ? 1 : 0;
    brk_findings_cleanup(&f);
    return st;
}
