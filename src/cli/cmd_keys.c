/*
 * cli/cmd_keys.c - `bedrockctl keys list|rotate|deactivate|activate|delete|revoke|audit`:
 * the guide's key hygiene. Without --user, a key's owner is found with GetAccessKeyLastUsed
 * (list: the caller's own keys).
 * Invariants: `delete` refuses the key this process runs with unless --force; `revoke`
 * deactivates before deleting; secrets only go to the store the user named.
 */
#include "../services/call.h"
#include "../services/iam/iam.h"
#include "guide_keys.h"
#include "guide_policy.h"

#include <string.h>
#include <time.h>

struct keys_opts {
    const char *user;
    const char *write_env;
    const char *write_profile;
    bool delete_old;
    const char *grace;
    bool force;
    bool replace;
    struct brk_num max_age;
};

#define K struct keys_opts
static const struct brk_opt user_opt[] = {
    BRK_OPT_STR(K, user, "--user", "U", "the IAM user (default: the key's owner / yourself)"),
    BRK_OPT_END,
};
static const struct brk_opt delete_opts[] = {
    BRK_OPT_STR(K, user, "--user", "U", "the IAM user (default: the key's owner)"),
    BRK_OPT_FLAG(K, force, "--force", "allow deleting the key this command runs with"),
    BRK_OPT_END,
};
static const struct brk_opt rotate_opts[] = {
    BRK_OPT_STR(K, user, "--user", "U", "the IAM user (default: yourself)"),
    BRK_OPT_STR(K, write_env, "--write-env", "FILE", "the application's .env file"),
    BRK_OPT_STR(K, write_profile, "--write-profile", "NAME", "the application's profile"),
    BRK_OPT_FLAG(K, delete_old, "--delete-old", "delete the old key at once"),
    BRK_OPT_STR(K, grace, "--grace", "DURATION",
                "delete the old key on a later run once this has passed (default 24h)"),
    BRK_OPT_END,
};
static const struct brk_opt revoke_opts[] = {
    BRK_OPT_STR(K, user, "--user", "U", "the IAM user (default: the key's owner)"),
    BRK_OPT_FLAG(K, replace, "--replace", "create and store a replacement key"),
    BRK_OPT_STR(K, write_env, "--write-env", "FILE", "store the replacement in this .env"),
    BRK_OPT_STR(K, write_profile, "--write-profile", "NAME", "store it in this profile"),
    BRK_OPT_END,
};
static const struct brk_opt audit_opts[] = {
    BRK_OPT_LONG(K, max_age, "--max-age", "DAYS", "flag keys older than this (default 90)"),
    BRK_OPT_END,
};
#undef K

static struct bedrock_client *admin(struct brk_cli *cli, struct bedrock_error *err)
{
    struct bedrock_client *c = NULL;
    return brk_cli_client(cli, &c, err) == BEDROCK_OK ? c : NULL;
}

/* --user, else the key's owner (GetAccessKeyLastUsed), else NULL (the caller). */
static bedrock_code owner(struct bedrock_client *c, const struct keys_opts *o, const char *id,
                          char *out, size_t len, struct bedrock_error *err)
{
    if (o->user != NULL) {
        snprintf(out, len, "%s", o->user);
        return BEDROCK_OK;
    }
    out[0] = '\0';
    if (id == NULL) {
        struct brk_iam_user u;
        bedrock_code rc = brk_iam_get_user(c, NULL, &u, err);
        if (rc == BEDROCK_OK) {
            snprintf(out, len, "%s", u.name);
        }
        return rc;
    }
    struct brk_iam_last_used lu;
    bedrock_code rc = brk_iam_get_access_key_last_used(c, id, &lu, err);
    if (rc == BEDROCK_OK) {
        snprintf(out, len, "%s", lu.user);
    }
    return rc;
}

static void iso(time_t t, char *out, size_t len)
{
    char s[21];
    brk_iso8601(t, s);
    snprintf(out, len, "%s", t == 0 ? "never" : s);
}

static int run_list(struct brk_cli *cli, void *opts, int argc, const char *const *argv)
{
    (void)argc;
    (void)argv;
    struct bedrock_error err;
    bedrock_error_clear(&err);
    struct bedrock_client *c = admin(cli, &err);
    struct brk_iam_access_key *keys = NULL;
    size_t n = 0;
    if (c == NULL || brk_iam_list_access_keys(c, ((struct keys_opts *)opts)->user, &keys, &n,
                                              &err) != BEDROCK_OK) {
        return brk_cli_fail(cli, &err);
    }
    json_t *rows = json_array();
    for (size_t i = 0; i < n; i++) {
        struct brk_iam_last_used lu;
        memset(&lu, 0, sizeof(lu));
        if (brk_iam_get_access_key_last_used(c, keys[i].id, &lu, &err) != BEDROCK_OK) {
            bedrock_error_clear(&err);
        }
        char created[32];
        char used[32];
        iso(keys[i].created, created, sizeof(created));
        iso(lu.when, used, sizeof(used));
        json_array_append_new(
            rows, json_pack("{sssssssssIssssss}", "AccessKeyId", keys[i].id, "UserName",
                            keys[i].user, "Status", keys[i].status, "Created", created, "AgeDays",
                            (json_int_t)((time(NULL) - keys[i].created) / 86400), "LastUsed", used,
                            "LastUsedService", lu.service, "LastUsedRegion", lu.region));
    }
    brk_iam_access_keys_free(keys, n);
    brk_cli_print(cli, rows, "AccessKeys");
    json_decref(rows);
    return 0;
}

static int set_status(struct brk_cli *cli, void *opts, const char *id, const char *status)
{
    struct bedrock_error err;
    bedrock_error_clear(&err);
    struct bedrock_client *c = admin(cli, &err);
    char user[128];
    if (c == NULL || owner(c, opts, id, user, sizeof(user), &err) != BEDROCK_OK ||
        brk_iam_update_access_key(c, user[0] ? user : NULL, id, status, &err) != BEDROCK_OK) {
        return brk_cli_fail(cli, &err);
    }
    fprintf(cli->out, "%s is now %s\n", id, status);
    return 0;
}

static int run_deactivate(struct brk_cli *cli, void *opts, int argc, const char *const *argv)
{
    (void)argc;
    return set_status(cli, opts, argv[0], "Inactive");
}

static int run_activate(struct brk_cli *cli, void *opts, int argc, const char *const *argv)
{
    (void)argc;
    return set_status(cli, opts, argv[0], "Active");
}

static bool is_own_key(struct bedrock_client *c, const char *id)
{
    struct bedrock_error err;
    bedrock_error_clear(&err);
    const struct brk_credentials *cr = NULL;
    return brk_client_credentials(c, &cr, &err) == BEDROCK_OK && cr->access_key_id != NULL &&
           strcmp(cr->access_key_id, id) == 0;
}

static int run_delete(struct brk_cli *cli, void *opts, int argc, const char *const *argv)
{
    (void)argc;
    struct keys_opts *o = opts;
    struct bedrock_error err;
    bedrock_error_clear(&err);
    struct bedrock_client *c = admin(cli, &err);
    if (c == NULL) {
        return brk_cli_fail(cli, &err);
    }
    if (!o->force && is_own_key(c, argv[0])) {
        return brk_cli_usage(cli,
                             "%s is the key this command runs with: deleting it locks you "
                             "out (add --force if that is what you want)",
                             argv[0]);
    }
    char user[128];
    if (owner(c, o, argv[0], user, sizeof(user), &err) != BEDROCK_OK ||
        brk_iam_delete_access_key(c, user[0] ? user : NULL, argv[0], &err) != BEDROCK_OK) {
        return brk_cli_fail(cli, &err);
    }
    fprintf(cli->out, "deleted %s\n", argv[0]);
    return 0;
}

static int run_rotate(struct brk_cli *cli, void *opts, int argc, const char *const *argv)
{
    (void)argc;
    (void)argv;
    struct keys_opts *o = opts;
    if ((o->write_env != NULL) == (o->write_profile != NULL)) {
        return brk_cli_usage(cli, "name the application's key store: --write-env FILE or "
                                  "--write-profile NAME");
    }
    long grace = brk_guide_duration(o->grace != NULL ? o->grace : "24h");
    if (grace < 0 || (o->grace != NULL && o->delete_old)) {
        return brk_cli_usage(cli, "--grace takes a duration such as 24h or 7d, without "
                                  "--delete-old");
    }
    struct bedrock_error err;
    bedrock_error_clear(&err);
    struct bedrock_client *c = admin(cli, &err);
    char user[128];
    if (c == NULL || owner(c, o, NULL, user, sizeof(user), &err) != BEDROCK_OK) {
        return brk_cli_fail(cli, &err);
    }
    struct brk_keystore ks = { o->write_env, o->write_profile };
    return brk_keys_rotate(cli, c, user, &ks, o->delete_old, grace);
}

static int run_revoke(struct brk_cli *cli, void *opts, int argc, const char *const *argv)
{
    (void)argc;
    struct keys_opts *o = opts;
    const char *id = argv[0];
    if (o->replace && (o->write_env != NULL) == (o->write_profile != NULL)) {
        return brk_cli_usage(cli, "--replace needs --write-env FILE or --write-profile NAME");
    }
    struct bedrock_error err;
    bedrock_error_clear(&err);
    struct bedrock_client *c = admin(cli, &err);
    char user[128];
    if (c == NULL || owner(c, o, id, user, sizeof(user), &err) != BEDROCK_OK) {
        return brk_cli_fail(cli, &err);
    }
    const char *u = user[0] ? user : NULL;
    if (brk_iam_update_access_key(c, u, id, "Inactive", &err) != BEDROCK_OK) {
        return brk_cli_fail(cli, &err);
    }
    brk_guide_line(cli, true, "deactivated the compromised key (it stops working now)", NULL);
    if (brk_iam_delete_access_key(c, u, id, &err) != BEDROCK_OK) {
        return brk_cli_fail(cli, &err);
    }
    brk_guide_line(cli, true, "deleted it", NULL);
    fprintf(cli->out, "      %s (user %s)\n", id, user);
    if (!o->replace) {
        fprintf(cli->out,
                "Applications that used %s must be given a new key: bedrockctl keys "
                "revoke ... --replace, or bedrockctl setup --new-key.\n",
                id);
        return 0;
    }
    struct brk_iam_access_key k;
    struct brk_keystore ks = { o->write_env, o->write_profile };
    if (brk_iam_create_access_key(c, u, &k, &err) != BEDROCK_OK) {
        return brk_cli_fail(cli, &err);
    }
    brk_guide_line(cli, true, "created the replacement key", NULL);
    fprintf(cli->out, "      %s\n", k.id);
    bedrock_code rc = brk_guide_store_key(cli, &ks, false, k.id, k.secret, &err);
    brk_iam_access_key_cleanup(&k);
    if (rc != BEDROCK_OK) {
        return brk_cli_fail(cli, &err);
    }
    char where[1200];
    brk_keystore_describe(&ks, where, sizeof(where));
    fprintf(cli->out,
            "Update every application that used %s: its new key is %s in %s "
            "(restart them so they read it).\n",
            id, k.id, where);
    return 0;
}

int brk_keys_audit(struct brk_cli *cli, struct bedrock_client *c, long max_age);

static int run_audit(struct brk_cli *cli, void *opts, int argc, const char *const *argv)
{
    (void)argc;
    (void)argv;
    struct keys_opts *o = opts;
    struct bedrock_error err;
    bedrock_error_clear(&err);
    struct bedrock_client *c = admin(cli, &err);
    if (c == NULL) {
        return brk_cli_fail(cli, &err);
    }
    return brk_keys_audit(cli, c, o->max_age.set ? o->max_age.l : 90);
}

#define SUB(n, s, u, op, mn, mx, fn)                                                            \
    {                                                                                           \
        .name = n, .summary = s, .usage = u, .opts = op, .opts_size = sizeof(struct keys_opts), \
        .min_args = mn, .max_args = mx, .run = fn                                               \
    }
static const struct brk_cli_command keys_subs[] = {
    SUB("list", "id, status, created, age, last used (when, service, region)", "[--user U]",
        user_opt, 0, 0, run_list),
    SUB("rotate", "new key -> store -> prove it works -> deactivate old -> delete (resumable)",
        "[--user U] (--write-env F | --write-profile P) [--delete-old | --grace DURATION]",
        rotate_opts, 0, 0, run_rotate),
    SUB("deactivate", "make a key inactive", "ID [--user U]", user_opt, 1, 1, run_deactivate),
    SUB("activate", "make a key active again", "ID [--user U]", user_opt, 1, 1, run_activate),
    SUB("delete", "delete a key (not the one in use, unless --force)", "ID [--user U] [--force]",
        delete_opts, 1, 1, run_delete),
    SUB("revoke", "compromised key: deactivate at once, delete, optionally replace",
        "ID [--user U] [--replace (--write-env F | --write-profile P)]", revoke_opts, 1, 1,
        run_revoke),
    SUB("audit", "every user's keys: old, unused, two active, root keys, broad policies",
        "[--max-age DAYS]", audit_opts, 0, 0, run_audit),
    { .name = NULL },
};

const struct brk_cli_command brk_cmd_keys = {
    .name = "keys",
    .summary = "list, rotate, deactivate, delete, revoke and audit access keys",
    .usage = "list|rotate|deactivate|activate|delete|revoke|audit ...",
    .subs = keys_subs,
};
