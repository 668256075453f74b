/*
 * emulator/svc_iam_ssc.c - service-specific credentials (Bedrock long-term API keys):
 * CreateServiceSpecificCredential, ListServiceSpecificCredentials,
 * DeleteServiceSpecificCredential. Only bedrock.amazonaws.com is offered. The raw secret is
 * stored; the bearer the client uses is "ABSK" + base64("<ServiceUserName>:<secret>"), returned
 * once as ServiceCredentialSecret.
 */
#include "core/alloc.h"
#include "core/base64.h"
#include "iam.h"

#include <stdio.h>
#include <string.h>

#define SSC_SERVICE "bedrock.amazonaws.com"

static bool owner(struct emu_request *req, const char *action, const char **user)
{
    char arn[512];
    const char *u = iam_param(req, "UserName", "userName");
    if (u == NULL) {
        return false;
    }
    iam_user_arn(req, u, arn, sizeof(arn));
    *user = u;
    return iam_allow(req, action, arn) && iam_user_exists(req, u);
}

static void create_ssc(struct emu_request *req)
{
    const char *user;
    const char *svc = iam_param(req, "ServiceName", "serviceName");
    if (svc == NULL || !owner(req, "iam:CreateServiceSpecificCredential", &user)) {
        return;
    }
    if (strcmp(svc, SSC_SERVICE) != 0) {
        emu_reply_error(req, 400, "NotSupportedService",
                        "Service %s is not supported for service specific credentials", svc);
        return;
    }
    struct emu_store *s = emu_server_store(req->server);
    if (emu_store_int(s, "SELECT COUNT(*) FROM service_creds WHERE user=? AND service=?", "ss",
                      user, svc) >= 2) {
        emu_reply_error(req, 409, "LimitExceeded",
                        "Cannot exceed quota for ServiceSpecificCredentialsPerUserPerService: 2");
        return;
    }
    char id[32], rnd[8], svc_user[160], secret[45];
    emu_store_random_id("ACCA", 17, id, sizeof(id));
    emu_store_random_id("", 4, rnd, sizeof(rnd));
    for (char *p = rnd; *p != '\0'; p++) {
        *p = (*p >= 'A' && *p <= 'Z') ? (char)(*p - 'A' + 'a') : *p;
    }
    snprintf(svc_user, sizeof(svc_user), "BedrockAPIKey-%s-at-%s", rnd,
             emu_server_account(req->server));
    emu_store_random_secret(secret, sizeof(secret));
    (void)emu_store_exec(s, "INSERT INTO service_creds VALUES(?,?,?,?,?,'Active',?)", "sssssi", id,
                         user, svc, svc_user, secret, (long long)req->now_s);
    struct brk_buf raw = BRK_SECRET_BUF(1024), bearer = BRK_SECRET_BUF(2048);
    bedrock_code rc = brk_buf_appendf(&raw, "%s:%s", svc_user, secret);
    rc = rc != BEDROCK_OK ? rc : brk_buf_append_str(&bearer, "ABSK");
    rc = rc != BEDROCK_OK ? rc : brk_base64_encode(&bearer, raw.data, raw.len);
    brk_wipe(secret, sizeof(secret));
    brk_buf_cleanup(&raw);
    if (rc != BEDROCK_OK) {
        brk_buf_cleanup(&bearer);
        emu_reply_error(req, 500, "ServiceFailure", "could not build the credential");
        return;
    }
    char alias[32];
    snprintf(alias, sizeof(alias), "%.12s...", bearer.data);
    struct emu_xml x;
    emu_xml_begin(&x, "CreateServiceSpecificCredential", IAM_NS, true);
    x.b.secret = true;
    emu_xml_open(&x, "ServiceSpecificCredential");
    emu_xml_time(&x, "CreateDate", req->now_s);
    emu_xml_text(&x, "ServiceName", svc);
    emu_xml_text(&x, "ServiceUserName", svc_user);
    emu_xml_text(&x, "ServiceCredentialAlias", alias);
    emu_xml_text(&x, "ServiceCredentialSecret", bearer.data);
    emu_xml_text(&x, "ServiceSpecificCredentialId", id);
    emu_xml_text(&x, "UserName", user);
    emu_xml_text(&x, "Status", "Active");
    emu_xml_close(&x, "ServiceSpecificCredential");
    brk_buf_cleanup(&bearer);
    emu_xml_send(&x, req, true);
}

static void list_ssc(struct emu_request *req)
{
    const char *user;
    if (!owner(req, "iam:ListServiceSpecificCredentials", &user)) {
        return;
    }
    const char *svc = emu_form_get(req, "ServiceName");
    sqlite3_stmt *st = emu_store_prepare(
        emu_server_store(req->server),
        "SELECT id,service,service_user_name,status,created FROM service_creds WHERE user=? "
        "AND (? IS NULL OR service=?) ORDER BY created, id",
        "sss", user, svc, svc);
    struct emu_xml x;
    emu_xml_begin(&x, "ListServiceSpecificCredentials", IAM_NS, true);
    emu_xml_open(&x, "ServiceSpecificCredentials");
    while (st != NULL && sqlite3_step(st) == SQLITE_ROW) {
        emu_xml_open(&x, "member");
        emu_xml_text(&x, "UserName", user);
        emu_xml_text(&x, "Status", (const char *)sqlite3_column_text(st, 3));
        emu_xml_text(&x, "ServiceUserName", (const char *)sqlite3_column_text(st, 2));
        emu_xml_time(&x, "CreateDate", (time_t)sqlite3_column_int64(st, 4));
        emu_xml_text(&x, "ServiceSpecificCredentialId", (const char *)sqlite3_column_text(st, 0));
        emu_xml_text(&x, "ServiceName", (const char *)sqlite3_column_text(st, 1));
        emu_xml_close(&x, "member");
    }
    sqlite3_finalize(st);
    emu_xml_close(&x, "ServiceSpecificCredentials");
    emu_xml_send(&x, req, true);
}

static void delete_ssc(struct emu_request *req)
{
    const char *user;
    const char *id = iam_param(req, "ServiceSpecificCredentialId", "serviceSpecificCredentialId");
    if (id == NULL || !owner(req, "iam:DeleteServiceSpecificCredential", &user)) {
        return;
    }
    struct emu_store *s = emu_server_store(req->server);
    if (emu_store_int(s, "SELECT COUNT(*) FROM service_creds WHERE id=? AND user=?", "ss", id,
                      user) == 0) {
        emu_reply_error(req, 404, "NoSuchEntity", "No such credential %s exists for user %s", id,
                        user);
        return;
    }
    (void)emu_store_exec(s, "DELETE FROM service_creds WHERE id=?", "s", id);
    struct emu_xml x;
    emu_xml_begin(&x, "DeleteServiceSpecificCredential", IAM_NS, false);
    emu_xml_send(&x, req, false);
}

bool emu_iam_ssc_op(struct emu_request *req);
bool emu_iam_ssc_op(struct emu_request *req)
{
    const char *op = req->operation;
    if (strcmp(op, "CreateServiceSpecificCredential") == 0) {
        create_ssc(req);
    } else if (strcmp(op, "ListServiceSpecificCredentials") == 0) {
        list_ssc(req);
    } else if (strcmp(op, "DeleteServiceSpecificCredential") == 0) {
        delete_ssc(req);
    } else {
        return false;
    }
    return true;
}
