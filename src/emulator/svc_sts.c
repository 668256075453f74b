/*
 * emulator/svc_sts.c - STS (query protocol): GetCallerIdentity (always allowed, as on AWS),
 * GetSessionToken (ASIA keys + session token stored; the verifier accepts them until
 * Expiration, ExpiredToken after). Replies in AWS's exact XML shape.
 */
#include "core/alloc.h"
#include "server.h"
#include "store.h"
#include "xmlout.h"

#include <stdlib.h>
#include <string.h>

#define STS_NS "https://sts.amazonaws.com/doc/2011-06-15/"

static void get_caller_identity(struct emu_request *req)
{
    struct emu_xml x;
    emu_xml_begin(&x, "GetCallerIdentity", STS_NS, true);
    emu_xml_text(&x, "Arn", req->principal.arn);
    emu_xml_text(&x, "UserId", req->principal.user_id);
    emu_xml_text(&x, "Account", emu_server_account(req->server));
    emu_xml_send(&x, req, true);
}

static void get_session_token(struct emu_request *req)
{
    if (req->principal.session) {
        emu_reply_error(req, 403, "AccessDenied",
                        "Cannot call GetSessionToken with session credentials");
        return;
    }
    const char *d = emu_form_get(req, "DurationSeconds");
    long dur = d != NULL ? strtol(d, NULL, 10) : 43200;
    long max = req->principal.is_root ? 3600 : 129600;
    const struct emu_options *o = emu_server_options(req->server);
    long min = o != NULL && o->min_session_s > 0 ? o->min_session_s : 900;
    if (dur < min || dur > max) {
        emu_reply_error(req, 400, "ValidationError",
                        "1 validation error detected: Value '%ld' at 'durationSeconds' failed to "
                        "satisfy constraint: Member must have value between %ld and %ld",
                        dur, min, max);
        return;
    }
    /* As on AWS, GetSessionToken needs no permission. */
    char akid[32], secret[41], token[361];
    emu_store_random_id("ASIA", 16, akid, sizeof(akid));
    emu_store_random_secret(secret, sizeof(secret));
    emu_store_random_secret(token, sizeof(token));
    memcpy(token, "IQoJb3JpZ2luX2VjE", 17);
    time_t exp = req->now_s + dur;
    int rc = emu_store_exec(emu_server_store(req->server),
                            "INSERT INTO access_keys(id,user,secret,status,created,session_token,"
                            "expires) VALUES(?,?,?,'Active',?,?,?)",
                            "sssisi", akid, req->principal.user_name, secret, (long long)req->now_s,
                            token, (long long)exp);
    if (rc != SQLITE_DONE) {
        emu_reply_error(req, 500, "InternalFailure", "state write failed");
    } else {
        struct emu_xml x;
        emu_xml_begin(&x, "GetSessionToken", STS_NS, true);
        x.b.secret = true;
        emu_xml_open(&x, "Credentials");
        emu_xml_text(&x, "AccessKeyId", akid);
        emu_xml_text(&x, "SecretAccessKey", secret);
        emu_xml_text(&x, "SessionToken", token);
        emu_xml_time(&x, "Expiration", exp);
        emu_xml_close(&x, "Credentials");
        emu_xml_send(&x, req, true);
    }
    brk_wipe(secret, sizeof(secret));
    brk_wipe(token, sizeof(token));
}

void emu_svc_sts(struct emu_request *req)
{
    if (strcmp(req->operation, "GetCallerIdentity") == 0) {
        get_caller_identity(req);
    } else if (strcmp(req->operation, "GetSessionToken") == 0) {
        get_session_token(req);
    } else {
        emu_reply_error(req, 400, "InvalidAction",
                        "Could not find operation %s for version 2011-06-15", req->operation);
    }
}
