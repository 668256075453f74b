/*
 * cli/setup_apply.c - the steps of `bedrockctl setup` that look at IAM and change it, each
 * idempotent (find first, create only what is missing), then store and verify the key.
 * Invariant: on a failure part way, the message says what exists so that a rerun finishes.
 */
#include "../core/alloc.h"
#include "../services/guide/policy.h"
#include "../services/iam/iam.h"
#include "guide_setup.h"

#include <string.h>

struct progress {
    bool user, policy, attached, key;
    char policy_arn[512];
    char key_id[64];
};

static int fail_with_state(struct brk_cli *cli, const struct brk_setup_opts *o,
                           const struct progress *p, struct bedrock_error *err)
{
    char what[1024];
    snprintf(what, sizeof(what),
             "what exists now: user %s: %s; policy %s: %s; attached: %s; "
             "key: %s. Run the same command again to finish.",
             o->user, p->user ? "yes" : "no", p->policy_arn[0] ? p->policy_arn : o->policy_name,
             p->policy ? "yes" : "no", p->attached ? "yes" : "no", p->key ? p->key_id : "none");
    if (err->hint[0] == '\0') {
        bedrock_error_hint(err, "%s", what);
    } else {
        fprintf(cli->err, "%s\n", what);
    }
    return brk_cli_fail(cli, err);
}

static bedrock_code ensure_user(struct brk_cli *cli, struct bedrock_client *c, const char *user,
                                struct bedrock_error *err)
{
    struct brk_iam_user u;
    bedrock_code rc = brk_iam_get_user(c, user, &u, err);
    if (rc == BEDROCK_OK) {
        brk_guide_line(cli, true, "IAM user exists", NULL);
        fprintf(cli->out, "      %s\n", u.arn);
        return rc;
    }
    if (rc != BEDROCK_E_NOT_FOUND) {
        return rc;
    }
    bedrock_error_clear(err);
    rc = brk_iam_create_user(c, user, &u, err);
    if (rc == BEDROCK_OK) {
        brk_guide_line(cli, true, "created IAM user", NULL);
        fprintf(cli->out, "      %s\n", u.arn);
    }
    return rc;
}

static void print_diff(struct brk_cli *cli, const json_t *have, const json_t *want)
{
    char *a = brk_policy_dump(have);
    char *b = brk_policy_dump(want);
    fprintf(cli->err, "--- existing policy\n%s\n+++ what setup would create\n%s\n",
            a != NULL ? a : "", b != NULL ? b : "");
    brk_free(a);
    brk_free(b);
}

static bedrock_code ensure_policy(struct brk_cli *cli, struct bedrock_client *c,
                                  const struct brk_setup_opts *o, const char *arn,
                                  const json_t *doc, struct bedrock_error *err)
{
    struct brk_iam_policy p;
    bedrock_code rc = brk_iam_get_policy(c, arn, &p, err);
    if (rc == BEDROCK_E_NOT_FOUND) {
        bedrock_error_clear(err);
        char *text = json_dumps(doc, JSON_COMPACT | JSON_PRESERVE_ORDER);
        rc = text != NULL ? brk_iam_create_policy(c, o->policy_name, text, &p, err)
                          : BEDROCK_E_NOMEM;
        free(text);
        if (rc == BEDROCK_OK) {
            brk_guide_line(cli, true, "created policy", NULL);
            fprintf(cli->out, "      %s\n", p.arn);
        }
        return rc;
    }
    if (rc != BEDROCK_OK) {
        return rc;
    }
    json_t *have = NULL;
    rc = brk_iam_get_policy_version(c, arn, p.default_version, &have, err);
    if (rc != BEDROCK_OK) {
        return rc;
    }
    if (!json_equal(have, doc)) {
        print_diff(cli, have, doc);
        json_decref(have);
        bedrock_error_set(err, BEDROCK_E_CONFLICT,
                          "policy %s exists with a different document (shown above)", arn);
        bedrock_error_hint(err, "choose another --policy-name, or update or delete the "
                                "existing policy yourself");
        return BEDROCK_E_CONFLICT;
    }
    json_decref(have);
    brk_guide_line(cli, true, "policy exists with the same document", NULL);
    fprintf(cli->out, "      %s\n", arn);
    return BEDROCK_OK;
}

static bedrock_code ensure_attached(struct brk_cli *cli, struct bedrock_client *c, const char *user,
                                    const char *arn, struct bedrock_error *err)
{
    struct brk_iam_policy *att = NULL;
    size_t n = 0;
    bedrock_code rc = brk_iam_list_attached_user_policies(c, user, &att, &n, err);
    bool found = false;
    for (size_t i = 0; rc == BEDROCK_OK && i < n; i++) {
        found = found || strcmp(att[i].arn, arn) == 0;
    }
    brk_free(att);
    if (rc != BEDROCK_OK) {
        return rc;
    }
    if (found) {
        brk_guide_line(cli, true, "policy already attached to the user", NULL);
        return BEDROCK_OK;
    }
    rc = brk_iam_attach_user_policy(c, user, arn, err);
    if (rc == BEDROCK_OK) {
        brk_guide_line(cli, true, "attached the policy to the user", NULL);
    }
    return rc;
}

/* The key step. *created is set when a key was created (secret in *key). */
static bedrock_code ensure_key(struct brk_cli *cli, struct bedrock_client *c,
                               const struct brk_setup_opts *o, const struct brk_keystore *ks,
                               struct brk_iam_access_key *key, struct brk_keystore_key *stored,
                               struct bedrock_error *err)
{
    struct brk_iam_access_key *keys = NULL;
    size_t n = 0;
    bedrock_code rc = brk_iam_list_access_keys(c, o->user, &keys, &n, err);
    if (rc != BEDROCK_OK) {
        return rc;
    }
    if (ks != NULL && n > 0) {
        rc = brk_keystore_read(ks, stored, err);
    }
    bool have_stored = false;
    for (size_t i = 0; rc == BEDROCK_OK && i < n; i++) {
        have_stored = have_stored || strcmp(keys[i].id, stored->id) == 0;
    }
    if (rc == BEDROCK_OK && n > 0 && !o->new_key) {
        snprintf(key->id, sizeof(key->id), "%s", have_stored ? stored->id : keys[0].id);
        brk_guide_line(cli, true,
                       have_stored ? "the user's key is already stored"
                                   : "the user already has an access key",
                       NULL);
        fprintf(cli->out, "      %s%s\n", key->id,
                have_stored ? ""
                            : " (its secret cannot be shown again: rerun with --new-key "
                              "for a new one)");
    } else if (rc == BEDROCK_OK && n >= 2) {
        rc = BEDROCK_E_QUOTA;
        bedrock_error_set(err, rc, "user %s already has two access keys (the IAM limit)", o->user);
        bedrock_error_hint(err, "delete one first: bedrockctl keys delete %s --user %s",
                           keys[n - 1].id, o->user);
    } else if (rc == BEDROCK_OK) {
        rc = brk_iam_create_access_key(c, o->user, key, err);
        if (rc == BEDROCK_OK) {
            brk_guide_line(cli, true, "created an access key", NULL);
            fprintf(cli->out, "      %s\n", key->id);
        }
    }
    brk_iam_access_keys_free(keys, n);
    return rc;
}

bedrock_code brk_guide_store_key(struct brk_cli *cli, const struct brk_keystore *ks, bool print,
                                 const char *id, const char *secret, struct bedrock_error *err)
{
    const char *region = brk_guide_region(cli);
    if (print) {
        fprintf(cli->out, "\nAWS_ACCESS_KEY_ID=%s\nAWS_SECRET_ACCESS_KEY=%s\nAWS_REGION=%s\n\n", id,
                secret, region);
        fprintf(cli->out, "This is the only time the secret is shown: store it now.\n");
        return BEDROCK_OK;
    }
    char gi[512];
    bedrock_code rc = brk_keystore_write(ks, id, secret, region, gi, sizeof(gi), err);
    if (rc != BEDROCK_OK) {
        return rc;
    }
    char where[1200];
    brk_keystore_describe(ks, where, sizeof(where));
    brk_guide_line(cli, true, "stored the key (mode 0600)", NULL);
    fprintf(cli->out, "      %s\n", where);
    if (gi[0] != '\0') {
        brk_guide_warn(cli, "the .env file is inside a git work tree: added it to .gitignore",
                       NULL);
        fprintf(cli->out, "      %s\n", gi);
    }
    return BEDROCK_OK;
}

int brk_guide_verify_key(struct brk_cli *cli, const char *id, const char *secret, const char *model,
                         bool no_verify)
{
    struct bedrock_error err;
    bedrock_error_clear(&err);
    struct bedrock_client *c = NULL;
    if (brk_guide_client_with_key(cli, id, secret, &c, &err) != BEDROCK_OK) {
        return brk_cli_fail(cli, &err);
    }
    struct bedrock_identity ident;
    memset(&ident, 0, sizeof(ident));
    int st = 0;
    if (brk_guide_wait_identity(c, &ident, &err) != BEDROCK_OK) {
        brk_guide_line(cli, false, "the new key is not accepted yet (GetCallerIdentity)",
                       "IAM may still be propagating it: wait a minute and run "
                       "`bedrockctl doctor` with the stored key");
        st = brk_cli_fail(cli, &err);
    } else {
        brk_guide_line(cli, true, "the new key works (GetCallerIdentity)", NULL);
        fprintf(cli->out, "      %s\n", ident.arn);
        if (!no_verify) {
            fprintf(cli->out, "\nDoctor, with the new key:\n");
            st = brk_doctor_checks(cli, c, model, NULL) ? 0 : 1;
        }
    }
    bedrock_client_free(c);
    return st;
}

int brk_setup_apply(struct brk_cli *cli, const struct brk_setup_opts *o, const char *account,
                    const json_t *doc)
{
    struct bedrock_error err;
    bedrock_error_clear(&err);
    struct progress p;
    memset(&p, 0, sizeof(p));
    struct bedrock_client *c = NULL;
    if (brk_cli_client(cli, &c, &err) != BEDROCK_OK) {
        return brk_cli_fail(cli, &err);
    }
    struct brk_keystore ks = { o->write_env, o->write_profile };
    const struct brk_keystore *ksp = o->print ? NULL : &ks;
    if (o->full_access) {
        snprintf(p.policy_arn, sizeof(p.policy_arn), "%s", BRK_IAM_FULL_ACCESS_ARN);
        brk_guide_warn(cli,
                       "--full-access: AmazonBedrockFullAccess grants every Bedrock action "
                       "on every resource (models, agents, guardrails, provisioned "
                       "throughput, marketplace subscriptions), far more than invoking one "
                       "model",
                       "drop --full-access to get the least-privilege policy");
    } else {
        snprintf(p.policy_arn, sizeof(p.policy_arn), "arn:aws:iam::%s:policy/%s", account,
                 o->policy_name);
    }
    fprintf(cli->out, "Setting up %s for Bedrock:\n", o->user);
    if (ensure_user(cli, c, o->user, &err) != BEDROCK_OK) {
        return fail_with_state(cli, o, &p, &err);
    }
    p.user = true;
    if (!o->full_access && ensure_policy(cli, c, o, p.policy_arn, doc, &err) != BEDROCK_OK) {
        return fail_with_state(cli, o, &p, &err);
    }
    p.policy = true;
    if (ensure_attached(cli, c, o->user, p.policy_arn, &err) != BEDROCK_OK) {
        return fail_with_state(cli, o, &p, &err);
    }
    p.attached = true;
    struct brk_iam_access_key key;
    struct brk_keystore_key stored;
    memset(&key, 0, sizeof(key));
    memset(&stored, 0, sizeof(stored));
    int st = 0;
    if (ensure_key(cli, c, o, ksp, &key, &stored, &err) != BEDROCK_OK) {
        st = fail_with_state(cli, o, &p, &err);
        goto out;
    }
    p.key = true;
    snprintf(p.key_id, sizeof(p.key_id), "%s", key.id);
    const char *secret = key.secret != NULL ? key.secret : stored.secret;
    if (key.secret != NULL &&
        brk_guide_store_key(cli, ksp, o->print, key.id, key.secret, &err) != BEDROCK_OK) {
        fprintf(cli->err,
                "the key %s was created but could not be stored: delete it with "
                "`bedrockctl keys delete %s --user %s` and rerun\n",
                key.id, key.id, o->user);
        st = brk_cli_fail(cli, &err);
        goto out;
    }
    if (key.secret == NULL && (stored.secret == NULL || strcmp(key.id, stored.id) != 0)) {
        goto out; /* an existing key whose secret we do not have: nothing to verify */
    }
    const char *model = o->models.n > 0 ? o->models.items[0] : brk_cli_default_model(cli);
    st = brk_guide_verify_key(cli, key.id, secret, model, o->no_verify);
out:
    brk_iam_access_key_cleanup(&key);
    brk_keystore_key_cleanup(&stored);
    return st;
}
