/*
 * cli/keys_rotate.c - `bedrockctl keys rotate`: drives the rotation state machine
 * (services/guide/rotate.h) against IAM and the application's key store. Each iteration reads
 * the state afresh (keys, stored id, journal), performs one step, records it, and passes a
 * crash point (BEDROCKCTL_TEST_CRASH_AFTER=journal|create|store|verify|deactivate|delete).
 * Invariants: at every moment the store holds a key that works (the old one stays active until
 * the new one answered a real call); never more than two keys exist.
 */
#include "../services/guide/rotate.h"
#include "../services/iam/iam.h"
#include "guide_keys.h"

#include <string.h>
#include <time.h>

struct rot {
    struct brk_cli *cli;
    struct bedrock_client *c;
    const char *user;
    struct brk_keystore ks;
    char journal_path[1200];
    struct brk_rotate_state st;
    struct brk_keystore_key stored;
    struct bedrock_error err;
};

static bedrock_code load_state(struct rot *r)
{
    struct brk_iam_access_key *keys = NULL;
    size_t n = 0;
    brk_keystore_key_cleanup(&r->stored);
    bedrock_code rc = brk_iam_list_access_keys(r->c, r->user, &keys, &n, &r->err);
    if (rc == BEDROCK_OK) {
        r->st.n_keys = 0;
        for (size_t i = 0; i < n && i < BRK_ROTATE_MAX_KEYS; i++) {
            snprintf(r->st.keys[i].id, sizeof(r->st.keys[i].id), "%s", keys[i].id);
            r->st.keys[i].active = strcmp(keys[i].status, "Active") == 0;
            r->st.n_keys++;
        }
        rc = brk_keystore_read(&r->ks, &r->stored, &r->err);
    }
    brk_iam_access_keys_free(keys, n);
    if (rc == BEDROCK_OK) {
        r->st.stored_id = r->stored.id;
        rc = brk_rotate_journal_load(r->journal_path, &r->st.journal, &r->err);
    }
    r->st.now = time(NULL);
    return rc;
}

static bedrock_code step_journal(struct rot *r)
{
    struct brk_rotate_journal *j = &r->st.journal;
    memset(j, 0, sizeof(*j));
    j->present = true;
    snprintf(j->user, sizeof(j->user), "%s", r->user);
    snprintf(j->old_id, sizeof(j->old_id), "%s", r->stored.id);
    for (size_t i = 0; i < r->st.n_keys; i++) {
        snprintf(j->before[j->n_before++], sizeof(j->before[0]), "%s", r->st.keys[i].id);
    }
    bedrock_code rc = brk_rotate_journal_save(r->journal_path, j, &r->err);
    brk_rotate_crash_point("journal");
    return rc;
}

static bedrock_code step_create(struct rot *r)
{
    struct brk_iam_access_key k;
    bedrock_code rc = brk_iam_create_access_key(r->c, r->user, &k, &r->err);
    if (rc != BEDROCK_OK) {
        return rc;
    }
    brk_guide_line(r->cli, true, "created the new key", NULL);
    fprintf(r->cli->out, "      %s\n", k.id);
    brk_rotate_crash_point("create");
    rc = brk_guide_store_key(r->cli, &r->ks, false, k.id, k.secret, &r->err);
    brk_iam_access_key_cleanup(&k);
    if (rc == BEDROCK_OK) {
        brk_rotate_crash_point("store");
    }
    return rc;
}

static bedrock_code step_verify(struct rot *r)
{
    struct bedrock_client *nc = NULL;
    bedrock_code rc =
        brk_guide_client_with_key(r->cli, r->stored.id, r->stored.secret, &nc, &r->err);
    struct bedrock_identity id;
    if (rc == BEDROCK_OK) {
        rc = brk_guide_wait_identity(nc, &id, &r->err);
    }
    bedrock_client_free(nc);
    if (rc != BEDROCK_OK) {
        bedrock_error_hint(&r->err, "the old key is still active and stored nowhere else: "
                                    "rerun the same command to retry the check");
        return rc;
    }
    brk_guide_line(r->cli, true, "the new key works (GetCallerIdentity)", NULL);
    r->st.journal.verified = true;
    rc = brk_rotate_journal_save(r->journal_path, &r->st.journal, &r->err);
    brk_rotate_crash_point("verify");
    return rc;
}

static bedrock_code step_deactivate(struct rot *r, const char *id)
{
    bedrock_code rc = brk_iam_update_access_key(r->c, r->user, id, "Inactive", &r->err);
    if (rc != BEDROCK_OK) {
        return rc;
    }
    brk_guide_line(r->cli, true, "deactivated the old key", NULL);
    fprintf(r->cli->out, "      %s\n", id);
    r->st.journal.deactivated_at = time(NULL);
    rc = brk_rotate_journal_save(r->journal_path, &r->st.journal, &r->err);
    brk_rotate_crash_point("deactivate");
    return rc;
}

static bedrock_code step_delete(struct rot *r, const char *id, bool orphan)
{
    bedrock_code rc = brk_iam_delete_access_key(r->c, r->user, id, &r->err);
    if (rc != BEDROCK_OK) {
        return rc;
    }
    brk_guide_line(r->cli, true,
                   orphan ? "deleted a key an interrupted rotation created and "
                            "never stored"
                          : "deleted the old key",
                   NULL);
    fprintf(r->cli->out, "      %s\n", id);
    if (!orphan) {
        brk_rotate_crash_point("delete");
    }
    return BEDROCK_OK;
}

static int finish(struct rot *r, struct brk_rotate_next nx)
{
    if (nx.step == BRK_ROT_TOO_MANY) {
        bedrock_error_set(&r->err, BEDROCK_E_QUOTA,
                          "user %s already has two access keys (the IAM limit)", r->user);
        bedrock_error_hint(&r->err,
                           "remove the one the application does not use first: "
                           "bedrockctl keys delete %s --user %s",
                           nx.key_id, r->user);
        return brk_cli_fail(r->cli, &r->err);
    }
    if (nx.step == BRK_ROT_WAIT_GRACE) {
        fprintf(r->cli->out,
                "The old key %s is inactive; run the same command again after the "
                "grace period to delete it.\n",
                nx.key_id);
        return 0;
    }
    if (brk_rotate_journal_remove(r->journal_path, &r->err) != BEDROCK_OK) {
        return brk_cli_fail(r->cli, &r->err);
    }
    fprintf(r->cli->out, "Rotation complete: the application's key is now %s.\n", r->stored.id);
    return 0;
}

static bedrock_code do_step(struct rot *r, const struct brk_rotate_next *nx)
{
    switch (nx->step) {
    case BRK_ROT_JOURNAL:
        return step_journal(r);
    case BRK_ROT_DELETE_ORPHAN:
        return step_delete(r, nx->key_id, true);
    case BRK_ROT_CREATE:
        return step_create(r);
    case BRK_ROT_VERIFY:
        return step_verify(r);
    case BRK_ROT_DEACTIVATE:
        return step_deactivate(r, nx->key_id);
    case BRK_ROT_DELETE_OLD:
        return step_delete(r, nx->key_id, false);
    case BRK_ROT_WAIT_GRACE:
    case BRK_ROT_DONE:
    case BRK_ROT_TOO_MANY:
        break;
    }
    return BEDROCK_OK;
}

int brk_keys_rotate(struct brk_cli *cli, struct bedrock_client *c, const char *user,
                    const struct brk_keystore *ks, bool delete_old, long grace_s)
{
    struct rot r;
    memset(&r, 0, sizeof(r));
    r.cli = cli;
    r.c = c;
    r.user = user;
    r.ks = *ks;
    r.st.delete_old = delete_old;
    r.st.grace_s = grace_s;
    bedrock_error_clear(&r.err);
    int status = 0;
    if (brk_keystore_journal_path(ks, r.journal_path, sizeof(r.journal_path)) != BEDROCK_OK) {
        bedrock_error_set(&r.err, BEDROCK_E_IO, "cannot place the rotation journal");
        return brk_cli_fail(cli, &r.err);
    }
    fprintf(cli->out, "Rotating the access key of %s:\n", user);
    for (int i = 0; i < 12; i++) {
        if (load_state(&r) != BEDROCK_OK) {
            status = brk_cli_fail(cli, &r.err);
            break;
        }
        struct brk_rotate_next nx = brk_rotate_decide(&r.st);
        if (nx.step == BRK_ROT_DONE || nx.step == BRK_ROT_WAIT_GRACE ||
            nx.step == BRK_ROT_TOO_MANY) {
            status = finish(&r, nx);
            break;
        }
        if (do_step(&r, &nx) != BEDROCK_OK) {
            status = brk_cli_fail(cli, &r.err);
            break;
        }
    }
    brk_keystore_key_cleanup(&r.stored);
    return status;
}
