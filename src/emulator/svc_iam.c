/*
 * emulator/svc_iam.c - IAM (query protocol) dispatcher, shared helpers, and user operations:
 * CreateUser, GetUser (no UserName = caller), ListUsers, DeleteUser (DeleteConflict while keys
 * or policies remain). Every action is authorised with emu_authorize on the user's ARN.
 * Replies follow botocore's iam service model (xmlns 2010-05-08, ResponseMetadata/RequestId).
 */
#include "core/buf.h"
#include "iam.h"

#include <stdio.h>
#include <string.h>

const char *iam_param(struct emu_request *req, const char *key, const char *shape_name)
{
    const char *v = emu_form_get(req, key);
    if (v == NULL || v[0] == '\0') {
        emu_reply_error(req, 400, "ValidationError",
                        "1 validation error detected: Value null at '%s' failed to satisfy "
                        "constraint: Member must not be null",
                        shape_name);
        return NULL;
    }
    return v;
}

bool iam_check_name(struct emu_request *req, const char *value, const char *field, size_t max)
{
    size_t n = strlen(value);
    bool ok = n >= 1 && n <= max;
    for (size_t i = 0; ok && i < n; i++) {
        char c = value[i];
        ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
             strchr("_+=,.@-", c) != NULL;
    }
    if (!ok) {
        emu_reply_error(req, 400, "ValidationError",
                        "1 validation error detected: Value '%s' at '%s' failed to satisfy "
                        "constraint: Member must satisfy regular expression pattern: "
                        "[\\w+=,.@-]+",
                        value, field);
    }
    return ok;
}

void iam_user_arn(struct emu_request *req, const char *user, char *out, size_t outlen)
{
    long long n = 0;
    sqlite3_stmt *st = emu_store_prepare(emu_server_store(req->server),
                                         "SELECT path FROM users WHERE name=?", "s", user);
    const char *path = "/";
    char buf[512];
    if (st != NULL && sqlite3_step(st) == SQLITE_ROW && sqlite3_column_text(st, 0) != NULL) {
        snprintf(buf, sizeof(buf), "%s", (const char *)sqlite3_column_text(st, 0));
        path = buf;
        n = 1;
    }
    (void)n;
    sqlite3_finalize(st);
    snprintf(out, outlen, "arn:aws:iam::%s:user%s%s", emu_server_account(req->server), path, user);
}

bool iam_user_exists(struct emu_request *req, const char *user)
{
    char id[32];
    if (emu_store_user_id(emu_server_store(req->server), user, id, sizeof(id)) == BEDROCK_OK) {
        return true;
    }
    emu_reply_error(req, 404, "NoSuchEntity", "The user with name %s cannot be found.", user);
    return false;
}

bool iam_allow(struct emu_request *req, const char *action, const char *resource)
{
    return emu_authorize_or_reply(req, action, resource, NULL, 0);
}

const char *iam_target_user(struct emu_request *req)
{
    const char *u = emu_form_get(req, "UserName");
    if (u != NULL && u[0] != '\0') {
        return u;
    }
    return req->principal.is_root ? NULL : req->principal.user_name;
}

void iam_xml_urlenc(struct emu_xml *x, const char *name, const char *doc)
{
    struct brk_buf enc = BRK_BUF(1u << 20);
    bedrock_code rc = BEDROCK_OK;
    for (const unsigned char *p = (const unsigned char *)doc; *p != '\0' && rc == BEDROCK_OK; p++) {
        bool keep = (*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
                    (*p >= '0' && *p <= '9') || strchr("-_.~", *p) != NULL;
        rc = keep ? brk_buf_append_char(&enc, (char)*p) : brk_buf_appendf(&enc, "%%%02X", *p);
    }
    if (rc != BEDROCK_OK && x->rc == BEDROCK_OK) {
        x->rc = rc;
    }
    emu_xml_text(x, name, enc.data != NULL ? enc.data : "");
    brk_buf_cleanup(&enc);
}

static void xml_user(struct emu_xml *x, struct emu_request *req, sqlite3_stmt *st)
{
    const char *name = (const char *)sqlite3_column_text(st, 0);
    const char *path = (const char *)sqlite3_column_text(st, 2);
    char arn[512];
    snprintf(arn, sizeof(arn), "arn:aws:iam::%s:user%s%s", emu_server_account(req->server),
             path != NULL ? path : "/", name != NULL ? name : "");
    emu_xml_text(x, "Path", path);
    emu_xml_text(x, "UserName", name);
    emu_xml_text(x, "UserId", (const char *)sqlite3_column_text(st, 1));
    emu_xml_text(x, "Arn", arn);
    emu_xml_time(x, "CreateDate", (time_t)sqlite3_column_int64(st, 3));
}

static void reply_user(struct emu_request *req, const char *action, const char *user)
{
    sqlite3_stmt *st =
        emu_store_prepare(emu_server_store(req->server),
                          "SELECT name,id,path,created FROM users WHERE name=?", "s", user);
    struct emu_xml x;
    emu_xml_begin(&x, action, IAM_NS, true);
    emu_xml_open(&x, "User");
    if (st != NULL && sqlite3_step(st) == SQLITE_ROW) {
        xml_user(&x, req, st);
    }
    sqlite3_finalize(st);
    emu_xml_close(&x, "User");
    emu_xml_send(&x, req, true);
}

static void create_user(struct emu_request *req)
{
    const char *user = iam_param(req, "UserName", "userName");
    if (user == NULL || !iam_check_name(req, user, "userName", 64)) {
        return;
    }
    const char *path = emu_form_get(req, "Path");
    if (path == NULL || path[0] == '\0') {
        path = "/";
    }
    char arn[512];
    snprintf(arn, sizeof(arn), "arn:aws:iam::%s:user%s%s", emu_server_account(req->server), path,
             user);
    if (!iam_allow(req, "iam:CreateUser", arn)) {
        return;
    }
    char id[32];
    emu_store_random_id("AIDA", 17, id, sizeof(id));
    int rc = emu_store_exec(emu_server_store(req->server), "INSERT INTO users VALUES(?,?,?,?)",
                            "sssi", user, id, path, (long long)req->now_s);
    if (rc == SQLITE_CONSTRAINT) {
        emu_reply_error(req, 409, "EntityAlreadyExists", "User with name %s already exists.", user);
        return;
    }
    reply_user(req, "CreateUser", user);
}

static void get_user(struct emu_request *req)
{
    const char *user = iam_target_user(req);
    if (user == NULL) { /* root */
        if (!iam_allow(req, "iam:GetUser", req->principal.arn)) {
            return;
        }
        struct emu_xml x;
        emu_xml_begin(&x, "GetUser", IAM_NS, true);
        emu_xml_open(&x, "User");
        emu_xml_text(&x, "UserId", emu_server_account(req->server));
        emu_xml_text(&x, "Arn", req->principal.arn);
        emu_xml_time(&x, "CreateDate", 1423000000);
        emu_xml_close(&x, "User");
        emu_xml_send(&x, req, true);
        return;
    }
    char arn[512];
    iam_user_arn(req, user, arn, sizeof(arn));
    if (!iam_allow(req, "iam:GetUser", arn) || !iam_user_exists(req, user)) {
        return;
    }
    reply_user(req, "GetUser", user);
}

static void list_users(struct emu_request *req)
{
    char res[128];
    snprintf(res, sizeof(res), "arn:aws:iam::%s:user/", emu_server_account(req->server));
    if (!iam_allow(req, "iam:ListUsers", res)) {
        return;
    }
    const char *prefix = emu_form_get(req, "PathPrefix");
    sqlite3_stmt *st = emu_store_prepare(
        emu_server_store(req->server),
        "SELECT name,id,path,created FROM users WHERE substr(path,1,length(?))=? ORDER BY name",
        "ss", prefix != NULL ? prefix : "/", prefix != NULL ? prefix : "/");
    struct emu_xml x;
    emu_xml_begin(&x, "ListUsers", IAM_NS, true);
    emu_xml_open(&x, "Users");
    while (st != NULL && sqlite3_step(st) == SQLITE_ROW) {
        emu_xml_open(&x, "member");
        xml_user(&x, req, st);
        emu_xml_close(&x, "member");
    }
    sqlite3_finalize(st);
    emu_xml_close(&x, "Users");
    emu_xml_text(&x, "IsTruncated", "false");
    emu_xml_send(&x, req, true);
}

static void delete_user(struct emu_request *req)
{
    const char *user = iam_param(req, "UserName", "userName");
    char arn[512];
    if (user == NULL) {
        return;
    }
    iam_user_arn(req, user, arn, sizeof(arn));
    if (!iam_allow(req, "iam:DeleteUser", arn) || !iam_user_exists(req, user)) {
        return;
    }
    struct emu_store *s = emu_server_store(req->server);
    const char *conflict = NULL;
    if (emu_store_int(s,
                      "SELECT COUNT(*) FROM access_keys WHERE user=? AND "
                      "(session_token IS NULL OR session_token='')",
                      "s", user) > 0) {
        conflict = "Cannot delete entity, must delete access keys first.";
    } else if (emu_store_int(s, "SELECT COUNT(*) FROM attachments WHERE user=?", "s", user) > 0) {
        conflict = "Cannot delete entity, must detach all policies first.";
    } else if (emu_store_int(s, "SELECT COUNT(*) FROM inline_policies WHERE user=?", "s", user) >
               0) {
        conflict = "Cannot delete entity, must delete policies first.";
    } else if (emu_store_int(s, "SELECT COUNT(*) FROM service_creds WHERE user=?", "s", user) > 0) {
        conflict = "Cannot delete entity, must remove service-specific credentials first.";
    }
    if (conflict != NULL) {
        emu_reply_error(req, 409, "DeleteConflict", "%s", conflict);
        return;
    }
    (void)emu_store_exec(s, "DELETE FROM access_keys WHERE user=?", "s", user);
    (void)emu_store_exec(s, "DELETE FROM users WHERE name=?", "s", user);
    struct emu_xml x;
    emu_xml_begin(&x, "DeleteUser", IAM_NS, false);
    emu_xml_send(&x, req, false);
}

static void summary_entry(struct emu_xml *x, const char *key, long value)
{
    char v[32];
    snprintf(v, sizeof(v), "%ld", value);
    emu_xml_open(x, "entry");
    emu_xml_text(x, "key", key);
    emu_xml_text(x, "value", v);
    emu_xml_close(x, "entry");
}

/* GetAccountSummary: counts and quotas. The emulator's root key is an access key of the
 * account root, so AccountAccessKeysPresent is 1, as AWS reports for such an account. */
static void get_account_summary(struct emu_request *req)
{
    if (!iam_allow(req, "iam:GetAccountSummary", "*")) {
        return;
    }
    struct emu_store *s = emu_server_store(req->server);
    struct emu_xml x;
    emu_xml_begin(&x, "GetAccountSummary", IAM_NS, true);
    emu_xml_open(&x, "SummaryMap");
    summary_entry(&x, "AccountAccessKeysPresent", 1);
    summary_entry(&x, "AccountMFAEnabled", 0);
    summary_entry(&x, "Users", (long)emu_store_int(s, "SELECT COUNT(*) FROM users", ""));
    summary_entry(&x, "UsersQuota", 5000);
    summary_entry(&x, "Policies",
                  (long)emu_store_int(s,
                                      "SELECT COUNT(*) FROM policies WHERE arn NOT LIKE "
                                      "'arn:aws:iam::aws:%'",
                                      ""));
    summary_entry(&x, "PoliciesQuota", 1500);
    summary_entry(&x, "AccessKeysPerUserQuota", 2);
    summary_entry(&x, "AttachedPoliciesPerUserQuota", 10);
    summary_entry(&x, "PolicySizeQuota", 6144);
    emu_xml_close(&x, "SummaryMap");
    emu_xml_send(&x, req, true);
}

void emu_svc_iam(struct emu_request *req)
{
    const char *op = req->operation;
    if (strcmp(op, "CreateUser") == 0) {
        create_user(req);
    } else if (strcmp(op, "GetUser") == 0) {
        get_user(req);
    } else if (strcmp(op, "ListUsers") == 0) {
        list_users(req);
    } else if (strcmp(op, "DeleteUser") == 0) {
        delete_user(req);
    } else if (strcmp(op, "GetAccountSummary") == 0) {
        get_account_summary(req);
    } else if (!emu_iam_policy_op(req) && !emu_iam_key_op(req)) {
        emu_reply_error(req, 400, "InvalidAction",
                        "Could not find operation %s for version 2010-05-08", op);
    }
}
