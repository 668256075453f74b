/*
 * emulator/svc_iam_keys.c - IAM access keys and service-specific credentials:
 * CreateAccessKey (at most 2 per user: LimitExceeded), ListAccessKeys, UpdateAccessKey,
 * DeleteAccessKey, GetAccessKeyLastUsed (filled by the verifier on every real use),
 * Create/List/DeleteServiceSpecificCredential (bedrock.amazonaws.com: the secret is returned
 * once as ServiceCredentialSecret = "ABSK" + base64("<ServiceUserName>:<secret>")).
 * Keys with user "" belong to the account root. Secrets are wiped after the reply is built.
 */
#include "core/alloc.h"
#include "core/base64.h"
#include "iam.h"

#include <stdio.h>
#include <string.h>

/* The user the key ops are about ("" = root) and its ARN; false when replied. */
static bool key_owner(struct emu_request *req, const char *action, const char **user, char *arn,
                      size_t arnlen)
{
    const char *u = iam_target_user(req);
    if (u == NULL) {
        *user = "";
        snprintf(arn, arnlen, "%s", req->principal.arn);
        return iam_allow(req, action, arn);
    }
    *user = u;
    iam_user_arn(req, u, arn, arnlen);
    return iam_allow(req, action, arn) && iam_user_exists(req, u);
}

static void create_access_key(struct emu_request *req)
{
    const char *user;
    char arn[512];
    if (!key_owner(req, "iam:CreateAccessKey", &user, arn, sizeof(arn))) {
        return;
    }
    struct emu_store *s = emu_server_store(req->server);
    if (emu_store_int(s,
                      "SELECT COUNT(*) FROM access_keys WHERE user=? AND "
                      "(session_token IS NULL OR session_token='')",
                      "s", user) >= 2) {
        emu_reply_error(req, 409, "LimitExceeded", "Cannot exceed quota for AccessKeysPerUser: 2");
        return;
    }
    char id[32], secret[41];
    emu_store_random_id("AKIA", 16, id, sizeof(id));
    emu_store_random_secret(secret, sizeof(secret));
    (void)emu_store_exec(s,
                         "INSERT INTO access_keys(id,user,secret,status,created) "
                         "VALUES(?,?,?,'Active',?)",
                         "sssi", id, user, secret, (long long)req->now_s);
    struct emu_xml x;
    emu_xml_begin(&x, "CreateAccessKey", IAM_NS, true);
    x.b.secret = true; /* the reply holds the secret: wiped on growth and cleanup */
    emu_xml_open(&x, "AccessKey");
    emu_xml_text(&x, "UserName", user[0] != '\0' ? user : emu_server_account(req->server));
    emu_xml_text(&x, "AccessKeyId", id);
    emu_xml_text(&x, "Status", "Active");
    emu_xml_text(&x, "SecretAccessKey", secret);
    emu_xml_time(&x, "CreateDate", req->now_s);
    emu_xml_close(&x, "AccessKey");
    brk_wipe(secret, sizeof(secret));
    emu_xml_send(&x, req, true);
}

static void list_access_keys(struct emu_request *req)
{
    const char *user;
    char arn[512];
    if (!key_owner(req, "iam:ListAccessKeys", &user, arn, sizeof(arn))) {
        return;
    }
    sqlite3_stmt *st = emu_store_prepare(emu_server_store(req->server),
                                         "SELECT id,status,created FROM access_keys WHERE user=? "
                                         "AND (session_token IS NULL OR session_token='') "
                                         "ORDER BY created, id",
                                         "s", user);
    struct emu_xml x;
    emu_xml_begin(&x, "ListAccessKeys", IAM_NS, true);
    emu_xml_open(&x, "AccessKeyMetadata");
    while (st != NULL && sqlite3_step(st) == SQLITE_ROW) {
        emu_xml_open(&x, "member");
        emu_xml_text(&x, "UserName", user[0] != '\0' ? user : emu_server_account(req->server));
        emu_xml_text(&x, "AccessKeyId", (const char *)sqlite3_column_text(st, 0));
        emu_xml_text(&x, "Status", (const char *)sqlite3_column_text(st, 1));
        emu_xml_time(&x, "CreateDate", (time_t)sqlite3_column_int64(st, 2));
        emu_xml_close(&x, "member");
    }
    sqlite3_finalize(st);
    emu_xml_close(&x, "AccessKeyMetadata");
    emu_xml_text(&x, "IsTruncated", "false");
    emu_xml_send(&x, req, true);
}

static bool key_of_user(struct emu_request *req, const char *id, const char *user)
{
    if (emu_store_int(emu_server_store(req->server),
                      "SELECT COUNT(*) FROM access_keys WHERE id=? AND user=? AND "
                      "(session_token IS NULL OR session_token='')",
                      "ss", id, user) > 0) {
        return true;
    }
    emu_reply_error(req, 404, "NoSuchEntity", "The Access Key with id %s cannot be found.", id);
    return false;
}

static void update_or_delete_key(struct emu_request *req, bool del)
{
    const char *user;
    char arn[512];
    const char *id = iam_param(req, "AccessKeyId", "accessKeyId");
    const char *status = del ? "" : iam_param(req, "Status", "status");
    if (id == NULL || status == NULL) {
        return;
    }
    if (!del && strcmp(status, "Active") != 0 && strcmp(status, "Inactive") != 0) {
        emu_reply_error(req, 400, "ValidationError",
                        "1 validation error detected: Value '%s' at 'status' failed to satisfy "
                        "constraint: Member must satisfy enum value set: [Active, Inactive]",
                        status);
        return;
    }
    if (!key_owner(req, del ? "iam:DeleteAccessKey" : "iam:UpdateAccessKey", &user, arn,
                   sizeof(arn)) ||
        !key_of_user(req, id, user)) {
        return;
    }
    struct emu_store *s = emu_server_store(req->server);
    if (del) {
        (void)emu_store_exec(s, "DELETE FROM access_keys WHERE id=?", "s", id);
    } else {
        (void)emu_store_exec(s, "UPDATE access_keys SET status=? WHERE id=?", "ss", status, id);
    }
    struct emu_xml x;
    emu_xml_begin(&x, del ? "DeleteAccessKey" : "UpdateAccessKey", IAM_NS, false);
    emu_xml_send(&x, req, false);
}

static void last_used(struct emu_request *req)
{
    const char *id = iam_param(req, "AccessKeyId", "accessKeyId");
    if (id == NULL) {
        return;
    }
    sqlite3_stmt *st = emu_store_prepare(emu_server_store(req->server),
                                         "SELECT user,last_used,last_service,last_region FROM "
                                         "access_keys WHERE id=?",
                                         "s", id);
    if (st == NULL || sqlite3_step(st) != SQLITE_ROW) {
        sqlite3_finalize(st);
        emu_reply_error(req, 404, "NoSuchEntity", "The Access Key with id %s cannot be found.", id);
        return;
    }
    char user[128], arn[512];
    snprintf(user, sizeof(user), "%s", (const char *)sqlite3_column_text(st, 0));
    if (user[0] != '\0') {
        iam_user_arn(req, user, arn, sizeof(arn));
    } else {
        snprintf(arn, sizeof(arn), "arn:aws:iam::%s:root", emu_server_account(req->server));
    }
    if (!iam_allow(req, "iam:GetAccessKeyLastUsed", arn)) {
        sqlite3_finalize(st);
        return;
    }
    time_t used = (time_t)sqlite3_column_int64(st, 1);
    const char *svc = (const char *)sqlite3_column_text(st, 2);
    const char *region = (const char *)sqlite3_column_text(st, 3);
    struct emu_xml x;
    emu_xml_begin(&x, "GetAccessKeyLastUsed", IAM_NS, true);
    emu_xml_text(&x, "UserName", user[0] != '\0' ? user : emu_server_account(req->server));
    emu_xml_open(&x, "AccessKeyLastUsed");
    if (used > 0) {
        emu_xml_time(&x, "LastUsedDate", used);
    }
    emu_xml_text(&x, "ServiceName", used > 0 && svc != NULL ? svc : "N/A");
    emu_xml_text(&x, "Region", used > 0 && region != NULL ? region : "N/A");
    emu_xml_close(&x, "AccessKeyLastUsed");
    sqlite3_finalize(st);
    emu_xml_send(&x, req, true);
}

bool emu_iam_ssc_op(struct emu_request *req); /* svc_iam_ssc.c */

bool emu_iam_key_op(struct emu_request *req)
{
    const char *op = req->operation;
    if (strcmp(op, "CreateAccessKey") == 0) {
        create_access_key(req);
    } else if (strcmp(op, "ListAccessKeys") == 0) {
        list_access_keys(req);
    } else if (strcmp(op, "UpdateAccessKey") == 0) {
        update_or_delete_key(req, false);
    } else if (strcmp(op, "DeleteAccessKey") == 0) {
        update_or_delete_key(req, true);
    } else if (strcmp(op, "GetAccessKeyLastUsed") == 0) {
        last_used(req);
    } else {
        return emu_iam_ssc_op(req);
    }
    return true;
}
