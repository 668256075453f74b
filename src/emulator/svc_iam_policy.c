/*
 * emulator/svc_iam_policy.c - IAM managed and inline policies: CreatePolicy (document
 * validated: MalformedPolicyDocument), GetPolicy, GetPolicyVersion (document URL-encoded as
 * AWS does), ListPolicies (Scope All/AWS/Local, OnlyAttached), DeletePolicy (DeleteConflict
 * while attached), Attach/DetachUserPolicy, ListAttachedUserPolicies, Put/Get/Delete/
 * ListUserPolicies. AWS managed policies live under arn:aws:iam::aws:policy/.
 */
#include "iam.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define POLICY_COLS                                                   \
    "p.arn,p.name,p.id,p.path,p.default_version,p.created,p.updated," \
    "(SELECT COUNT(*) FROM attachments a WHERE a.arn=p.arn),p.description"

static void xml_policy(struct emu_xml *x, sqlite3_stmt *st)
{
    char ver[16];
    snprintf(ver, sizeof(ver), "v%lld", (long long)sqlite3_column_int64(st, 4));
    emu_xml_text(x, "PolicyName", (const char *)sqlite3_column_text(st, 1));
    emu_xml_text(x, "DefaultVersionId", ver);
    emu_xml_text(x, "PolicyId", (const char *)sqlite3_column_text(st, 2));
    emu_xml_text(x, "Path", (const char *)sqlite3_column_text(st, 3));
    emu_xml_text(x, "Arn", (const char *)sqlite3_column_text(st, 0));
    emu_xml_long(x, "AttachmentCount", sqlite3_column_int64(st, 7));
    emu_xml_long(x, "PermissionsBoundaryUsageCount", 0);
    emu_xml_text(x, "IsAttachable", "true");
    const char *desc = (const char *)sqlite3_column_text(st, 8);
    if (desc != NULL && desc[0] != '\0') {
        emu_xml_text(x, "Description", desc);
    }
    emu_xml_time(x, "CreateDate", (time_t)sqlite3_column_int64(st, 5));
    emu_xml_time(x, "UpdateDate", (time_t)sqlite3_column_int64(st, 6));
}

static bool policy_exists(struct emu_request *req, const char *arn)
{
    if (emu_store_int(emu_server_store(req->server), "SELECT COUNT(*) FROM policies WHERE arn=?",
                      "s", arn) > 0) {
        return true;
    }
    emu_reply_error(req, 404, "NoSuchEntity", "Policy %s does not exist or is not attachable.",
                    arn);
    return false;
}

static void reply_policy(struct emu_request *req, const char *action, const char *arn)
{
    sqlite3_stmt *st =
        emu_store_prepare(emu_server_store(req->server),
                          "SELECT " POLICY_COLS " FROM policies p WHERE arn=?", "s", arn);
    struct emu_xml x;
    emu_xml_begin(&x, action, IAM_NS, true);
    emu_xml_open(&x, "Policy");
    if (st != NULL && sqlite3_step(st) == SQLITE_ROW) {
        xml_policy(&x, st);
    }
    sqlite3_finalize(st);
    emu_xml_close(&x, "Policy");
    emu_xml_send(&x, req, true);
}

static bool valid_doc(struct emu_request *req, const char *doc)
{
    char msg[256];
    if (emu_policy_validate(doc, strlen(doc), msg, sizeof(msg)) == BEDROCK_OK) {
        return true;
    }
    emu_reply_error(req, 400, "MalformedPolicyDocument", "%s", msg);
    return false;
}

static void create_policy(struct emu_request *req)
{
    const char *name = iam_param(req, "PolicyName", "policyName");
    const char *doc = name != NULL ? iam_param(req, "PolicyDocument", "policyDocument") : NULL;
    if (doc == NULL || !iam_check_name(req, name, "policyName", 128)) {
        return;
    }
    const char *path = emu_form_get(req, "Path");
    const char *desc = emu_form_get(req, "Description");
    path = path != NULL && path[0] != '\0' ? path : "/";
    char arn[512], id[32];
    snprintf(arn, sizeof(arn), "arn:aws:iam::%s:policy%s%s", emu_server_account(req->server), path,
             name);
    if (!iam_allow(req, "iam:CreatePolicy", arn) || !valid_doc(req, doc)) {
        return;
    }
    emu_store_random_id("ANPA", 17, id, sizeof(id));
    struct emu_store *s = emu_server_store(req->server);
    int rc = emu_store_exec(s, "INSERT INTO policies VALUES(?,?,?,?,?,1,2,?,?,0)", "sssssii", arn,
                            name, id, path, desc != NULL ? desc : "", (long long)req->now_s,
                            (long long)req->now_s);
    if (rc == SQLITE_CONSTRAINT) {
        emu_reply_error(req, 409, "EntityAlreadyExists",
                        "A policy called %s already exists. Duplicate names are not allowed.",
                        name);
        return;
    }
    (void)emu_store_exec(s, "INSERT INTO policy_versions VALUES(?,1,?,?)", "ssi", arn, doc,
                         (long long)req->now_s);
    reply_policy(req, "CreatePolicy", arn);
}

static void get_policy(struct emu_request *req)
{
    const char *arn = iam_param(req, "PolicyArn", "policyArn");
    if (arn != NULL && iam_allow(req, "iam:GetPolicy", arn) && policy_exists(req, arn)) {
        reply_policy(req, "GetPolicy", arn);
    }
}

static void get_policy_version(struct emu_request *req)
{
    const char *arn = iam_param(req, "PolicyArn", "policyArn");
    const char *ver = arn != NULL ? iam_param(req, "VersionId", "versionId") : NULL;
    if (ver == NULL || !iam_allow(req, "iam:GetPolicyVersion", arn) || !policy_exists(req, arn)) {
        return;
    }
    long long v = (ver[0] == 'v') ? strtoll(ver + 1, NULL, 10) : -1;
    sqlite3_stmt *st = emu_store_prepare(
        emu_server_store(req->server),
        "SELECT v.document, v.created, p.default_version FROM policy_versions v JOIN policies p "
        "ON p.arn=v.arn WHERE v.arn=? AND v.version=?",
        "si", arn, v);
    if (st == NULL || sqlite3_step(st) != SQLITE_ROW) {
        sqlite3_finalize(st);
        emu_reply_error(req, 404, "NoSuchEntity",
                        "Policy %s version %s does not exist or is not "
                        "attachable.",
                        arn, ver);
        return;
    }
    struct emu_xml x;
    emu_xml_begin(&x, "GetPolicyVersion", IAM_NS, true);
    emu_xml_open(&x, "PolicyVersion");
    iam_xml_urlenc(&x, "Document", (const char *)sqlite3_column_text(st, 0));
    emu_xml_text(&x, "VersionId", ver);
    emu_xml_text(&x, "IsDefaultVersion", sqlite3_column_int64(st, 2) == v ? "true" : "false");
    emu_xml_time(&x, "CreateDate", (time_t)sqlite3_column_int64(st, 1));
    emu_xml_close(&x, "PolicyVersion");
    sqlite3_finalize(st);
    emu_xml_send(&x, req, true);
}

static void list_policies(struct emu_request *req)
{
    char res[128];
    snprintf(res, sizeof(res), "arn:aws:iam::%s:policy/", emu_server_account(req->server));
    if (!iam_allow(req, "iam:ListPolicies", res)) {
        return;
    }
    const char *scope = emu_form_get(req, "Scope");
    const char *only = emu_form_get(req, "OnlyAttached");
    scope = scope != NULL ? scope : "All";
    if (strcmp(scope, "All") != 0 && strcmp(scope, "AWS") != 0 && strcmp(scope, "Local") != 0) {
        emu_reply_error(req, 400, "ValidationError",
                        "1 validation error detected: Value '%s' at 'scope' failed to satisfy "
                        "constraint: Member must satisfy enum value set: [All, AWS, Local]",
                        scope);
        return;
    }
    long long aws = strcmp(scope, "AWS") == 0 ? 1 : strcmp(scope, "Local") == 0 ? 0 : -1;
    long long att = only != NULL && strcmp(only, "true") == 0 ? 1 : 0;
    sqlite3_stmt *st = emu_store_prepare(
        emu_server_store(req->server),
        "SELECT " POLICY_COLS " FROM policies p WHERE (?=-1 OR p.aws=?) AND (?=0 OR EXISTS "
        "(SELECT 1 FROM attachments a WHERE a.arn=p.arn)) ORDER BY p.name",
        "iiii", aws, aws, att, att);
    struct emu_xml x;
    emu_xml_begin(&x, "ListPolicies", IAM_NS, true);
    emu_xml_open(&x, "Policies");
    while (st != NULL && sqlite3_step(st) == SQLITE_ROW) {
        emu_xml_open(&x, "member");
        xml_policy(&x, st);
        emu_xml_close(&x, "member");
    }
    sqlite3_finalize(st);
    emu_xml_close(&x, "Policies");
    emu_xml_text(&x, "IsTruncated", "false");
    emu_xml_send(&x, req, true);
}

static void no_result(struct emu_request *req, const char *action)
{
    struct emu_xml x;
    emu_xml_begin(&x, action, IAM_NS, false);
    emu_xml_send(&x, req, false);
}

static void delete_policy(struct emu_request *req)
{
    const char *arn = iam_param(req, "PolicyArn", "policyArn");
    if (arn == NULL || !iam_allow(req, "iam:DeletePolicy", arn) || !policy_exists(req, arn)) {
        return;
    }
    struct emu_store *s = emu_server_store(req->server);
    if (strncmp(arn, "arn:aws:iam::aws:", 17) == 0) {
        emu_reply_error(req, 400, "InvalidInput", "Cannot delete an AWS managed policy.");
        return;
    }
    if (emu_store_int(s, "SELECT COUNT(*) FROM attachments WHERE arn=?", "s", arn) > 0) {
        emu_reply_error(req, 409, "DeleteConflict", "Cannot delete a policy attached to entities.");
        return;
    }
    (void)emu_store_exec(s, "DELETE FROM policy_versions WHERE arn=?", "s", arn);
    (void)emu_store_exec(s, "DELETE FROM policies WHERE arn=?", "s", arn);
    no_result(req, "DeletePolicy");
}

static void attach_detach(struct emu_request *req, bool attach)
{
    const char *user = iam_param(req, "UserName", "userName");
    const char *arn = user != NULL ? iam_param(req, "PolicyArn", "policyArn") : NULL;
    char uarn[512];
    if (arn == NULL) {
        return;
    }
    iam_user_arn(req, user, uarn, sizeof(uarn));
    if (!iam_allow(req, attach ? "iam:AttachUserPolicy" : "iam:DetachUserPolicy", uarn) ||
        !iam_user_exists(req, user)) {
        return;
    }
    struct emu_store *s = emu_server_store(req->server);
    if (attach) {
        if (!policy_exists(req, arn)) {
            return;
        }
        (void)emu_store_exec(s, "INSERT OR IGNORE INTO attachments VALUES(?,?)", "ss", user, arn);
        no_result(req, "AttachUserPolicy");
        return;
    }
    if (emu_store_int(s, "SELECT COUNT(*) FROM attachments WHERE user=? AND arn=?", "ss", user,
                      arn) == 0) {
        emu_reply_error(req, 404, "NoSuchEntity", "Policy %s was not found.", arn);
        return;
    }
    (void)emu_store_exec(s, "DELETE FROM attachments WHERE user=? AND arn=?", "ss", user, arn);
    no_result(req, "DetachUserPolicy");
}

static void list_attached(struct emu_request *req)
{
    const char *user = iam_param(req, "UserName", "userName");
    char uarn[512];
    if (user == NULL) {
        return;
    }
    iam_user_arn(req, user, uarn, sizeof(uarn));
    if (!iam_allow(req, "iam:ListAttachedUserPolicies", uarn) || !iam_user_exists(req, user)) {
        return;
    }
    sqlite3_stmt *st = emu_store_prepare(emu_server_store(req->server),
                                         "SELECT p.name, p.arn FROM attachments a JOIN policies p "
                                         "ON p.arn=a.arn WHERE a.user=? ORDER BY p.name",
                                         "s", user);
    struct emu_xml x;
    emu_xml_begin(&x, "ListAttachedUserPolicies", IAM_NS, true);
    emu_xml_open(&x, "AttachedPolicies");
    while (st != NULL && sqlite3_step(st) == SQLITE_ROW) {
        emu_xml_open(&x, "member");
        emu_xml_text(&x, "PolicyName", (const char *)sqlite3_column_text(st, 0));
        emu_xml_text(&x, "PolicyArn", (const char *)sqlite3_column_text(st, 1));
        emu_xml_close(&x, "member");
    }
    sqlite3_finalize(st);
    emu_xml_close(&x, "AttachedPolicies");
    emu_xml_text(&x, "IsTruncated", "false");
    emu_xml_send(&x, req, true);
}

bool emu_iam_inline_op(struct emu_request *req); /* svc_iam_inline.c */

bool emu_iam_policy_op(struct emu_request *req)
{
    const char *op = req->operation;
    if (strcmp(op, "CreatePolicy") == 0) {
        create_policy(req);
    } else if (strcmp(op, "GetPolicy") == 0) {
        get_policy(req);
    } else if (strcmp(op, "GetPolicyVersion") == 0) {
        get_policy_version(req);
    } else if (strcmp(op, "ListPolicies") == 0) {
        list_policies(req);
    } else if (strcmp(op, "DeletePolicy") == 0) {
        delete_policy(req);
    } else if (strcmp(op, "AttachUserPolicy") == 0) {
        attach_detach(req, true);
    } else if (strcmp(op, "DetachUserPolicy") == 0) {
        attach_detach(req, false);
    } else if (strcmp(op, "ListAttachedUserPolicies") == 0) {
        list_attached(req);
    } else {
        return emu_iam_inline_op(req);
    }
    return true;
}
