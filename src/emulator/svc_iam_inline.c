/*
 * emulator/svc_iam_inline.c - IAM inline user policies: PutUserPolicy (validated),
 * GetUserPolicy (document URL-encoded), DeleteUserPolicy, ListUserPolicies.
 */
#include "iam.h"

#include <stdio.h>
#include <string.h>

static bool user_ctx(struct emu_request *req, const char *action, const char **user)
{
    char uarn[512];
    *user = iam_param(req, "UserName", "userName");
    if (*user == NULL) {
        return false;
    }
    iam_user_arn(req, *user, uarn, sizeof(uarn));
    return iam_allow(req, action, uarn) && iam_user_exists(req, *user);
}

static void put_user_policy(struct emu_request *req)
{
    const char *user;
    const char *name = iam_param(req, "PolicyName", "policyName");
    const char *doc = name != NULL ? iam_param(req, "PolicyDocument", "policyDocument") : NULL;
    if (doc == NULL || !iam_check_name(req, name, "policyName", 128) ||
        !user_ctx(req, "iam:PutUserPolicy", &user)) {
        return;
    }
    char msg[256];
    if (emu_policy_validate(doc, strlen(doc), msg, sizeof(msg)) != BEDROCK_OK) {
        emu_reply_error(req, 400, "MalformedPolicyDocument", "%s", msg);
        return;
    }
    (void)emu_store_exec(emu_server_store(req->server),
                         "INSERT OR REPLACE INTO inline_policies VALUES(?,?,?)", "sss", user, name,
                         doc);
    struct emu_xml x;
    emu_xml_begin(&x, "PutUserPolicy", IAM_NS, false);
    emu_xml_send(&x, req, false);
}

static void get_or_delete(struct emu_request *req, bool del)
{
    const char *user;
    const char *name = iam_param(req, "PolicyName", "policyName");
    if (name == NULL || !user_ctx(req, del ? "iam:DeleteUserPolicy" : "iam:GetUserPolicy", &user)) {
        return;
    }
    struct emu_store *s = emu_server_store(req->server);
    sqlite3_stmt *st = emu_store_prepare(
        s, "SELECT document FROM inline_policies WHERE user=? AND name=?", "ss", user, name);
    if (st == NULL || sqlite3_step(st) != SQLITE_ROW) {
        sqlite3_finalize(st);
        emu_reply_error(req, 404, "NoSuchEntity", "The user policy with name %s cannot be found.",
                        name);
        return;
    }
    struct emu_xml x;
    if (del) {
        sqlite3_finalize(st);
        (void)emu_store_exec(s, "DELETE FROM inline_policies WHERE user=? AND name=?", "ss", user,
                             name);
        emu_xml_begin(&x, "DeleteUserPolicy", IAM_NS, false);
        emu_xml_send(&x, req, false);
        return;
    }
    emu_xml_begin(&x, "GetUserPolicy", IAM_NS, true);
    emu_xml_text(&x, "UserName", user);
    emu_xml_text(&x, "PolicyName", name);
    iam_xml_urlenc(&x, "PolicyDocument", (const char *)sqlite3_column_text(st, 0));
    sqlite3_finalize(st);
    emu_xml_send(&x, req, true);
}

static void list_user_policies(struct emu_request *req)
{
    const char *user;
    if (!user_ctx(req, "iam:ListUserPolicies", &user)) {
        return;
    }
    sqlite3_stmt *st = emu_store_prepare(emu_server_store(req->server),
                                         "SELECT name FROM inline_policies WHERE user=? "
                                         "ORDER BY name",
                                         "s", user);
    struct emu_xml x;
    emu_xml_begin(&x, "ListUserPolicies", IAM_NS, true);
    emu_xml_open(&x, "PolicyNames");
    while (st != NULL && sqlite3_step(st) == SQLITE_ROW) {
        emu_xml_text(&x, "member", (const char *)sqlite3_column_text(st, 0));
    }
    sqlite3_finalize(st);
    emu_xml_close(&x, "PolicyNames");
    emu_xml_text(&x, "IsTruncated", "false");
    emu_xml_send(&x, req, true);
}

bool emu_iam_inline_op(struct emu_request *req);
bool emu_iam_inline_op(struct emu_request *req)
{
    const char *op = req->operation;
    if (strcmp(op, "PutUserPolicy") == 0) {
        put_user_policy(req);
    } else if (strcmp(op, "GetUserPolicy") == 0) {
        get_or_delete(req, false);
    } else if (strcmp(op, "DeleteUserPolicy") == 0) {
        get_or_delete(req, true);
    } else if (strcmp(op, "ListUserPolicies") == 0) {
        list_user_policies(req);
    } else {
        return false;
    }
    return true;
}
