/*
 * emulator/verify.c - authentication: SigV4 Authorization header, SigV4 presigned query, and
 * Bedrock API keys (Bearer: short-term presigned token, long-term ABSK service credential).
 *
 * Invariants: the canonical request is rebuilt from the WIRE path and raw query with exactly the
 * SignedHeaders listed (host must be one); signatures are compared with CRYPTO_memcmp; secrets
 * and derived keys are wiped; error messages never contain a secret (a signed
 * x-amz-security-token value is masked in the canonical string we echo). Errors use each
 * protocol's AWS codes (query: InvalidClientTokenId...; json: UnrecognizedClientException...).
 */
#include "core/alloc.h"
#include "core/base64.h"
#include "core/limits.h"
#include "crypto/sigv4.h"
#include "server.h"
#include "store.h"
#include "xmlout.h"

#include <openssl/crypto.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define MSG_BAD_TOKEN "The security token included in the request is invalid."
#define MSG_EXPIRED   "The security token included in the request is expired"
#define MSG_SIG_MISMATCH                                                                    \
    "The request signature we calculated does not match the signature you provided. Check " \
    "your AWS Secret Access Key and signing method. Consult the service documentation for " \
    "details."

static bool q(const struct emu_request *req)
{
    return req->protocol == EMU_PROTO_QUERY;
}

static bool fail_unknown_key(struct emu_request *req)
{
    emu_reply_error(req, 403, q(req) ? "InvalidClientTokenId" : "UnrecognizedClientException", "%s",
                    MSG_BAD_TOKEN);
    return false;
}

static bool fail_sig(struct emu_request *req, const char *msg)
{
    emu_reply_error(req, 403, q(req) ? "SignatureDoesNotMatch" : "InvalidSignatureException", "%s",
                    msg);
    return false;
}

static bool fail_incomplete(struct emu_request *req, const char *msg)
{
    emu_reply_error(req, 400, q(req) ? "IncompleteSignature" : "IncompleteSignatureException", "%s",
                    msg);
    return false;
}

/* What a signed request claims, from the header or the presigned query. */
struct claim {
    char akid[64], date8[16], region[32], service[32];
    char amz_date[32];
    char signed_headers[1024];
    char signature[80];
    char token[1024];
    long expires_s; /* presigned only */
    bool presigned;
    const char *method, *path, *query, *host_override;
    const struct brk_header *headers;
    size_t n_headers;
    const void *body;
    size_t body_len;
    const char *const *skip;
};

static void slice_copy(char *out, size_t outlen, struct brk_slice s)
{
    snprintf(out, outlen, "%.*s", (int)s.len, s.ptr != NULL ? s.ptr : "");
}

/* Parse "AKID/date/region/service/aws4_request". */
static bool parse_credential(const char *cred, struct claim *c)
{
    char tmp[256];
    snprintf(tmp, sizeof(tmp), "%s", cred);
    char *parts[5];
    int n = 0;
    char *p = tmp;
    while (n < 5) {
        parts[n++] = p;
        char *slash = strchr(p, '/');
        if (slash == NULL) {
            break;
        }
        *slash = '\0';
        p = slash + 1;
    }
    if (n != 5 || strcmp(parts[4], "aws4_request") != 0) {
        return false;
    }
    snprintf(c->akid, sizeof(c->akid), "%s", parts[0]);
    snprintf(c->date8, sizeof(c->date8), "%s", parts[1]);
    snprintf(c->region, sizeof(c->region), "%s", parts[2]);
    snprintf(c->service, sizeof(c->service), "%s", parts[3]);
    return true;
}

static void mask_token(struct brk_buf *canon)
{
    char *p = canon->data != NULL ? strstr(canon->data, "\nx-amz-security-token:") : NULL;
    if (p == NULL) {
        return;
    }
    p += strlen("\nx-amz-security-token:");
    while (*p != '\0' && *p != '\n') {
        *p++ = '*';
    }
}

/* Rebuild and compare; on mismatch reply with AWS's message (canonical string included). */
static bool check_signature(struct emu_request *req, const struct claim *c, const char *secret)
{
    struct brk_buf cq = BRK_BUF(BRK_MAX_SIGV4_BYTES), cr = BRK_BUF(BRK_MAX_SIGV4_BYTES);
    struct brk_buf sts = BRK_BUF(BRK_MAX_SIGV4_BYTES);
    uint8_t key[32];
    char sig[65], scope[160], hash[65];
    bool ok = false;
    const char *payload = emu_header(req, "x-amz-content-sha256");
    if (payload == NULL || c->host_override != NULL) {
        brk_sha256_hex(c->body, c->body_len, hash);
        payload = hash;
    }
    snprintf(scope, sizeof(scope), "%s/%s/%s/aws4_request", c->date8, c->region, c->service);
    bedrock_code rc = brk_sigv4_canonical_query(&cq, c->query, c->skip);
    if (rc == BEDROCK_OK) {
        rc =
            brk_sigv4_canonical_request(&cr, c->method, c->path, cq.data != NULL ? cq.data : "",
                                        c->headers, c->n_headers, c->signed_headers, payload, true);
    }
    if (rc == BEDROCK_OK) {
        rc = brk_sigv4_string_to_sign(&sts, c->amz_date, scope, &cr);
    }
    if (rc == BEDROCK_OK) {
        rc = brk_sigv4_signing_key(secret, c->date8, c->region, c->service, key);
    }
    if (rc != BEDROCK_OK) {
        fail_sig(req, MSG_SIG_MISMATCH);
        goto out;
    }
    brk_sigv4_signature(key, &sts, sig);
    ok = strlen(c->signature) == 64 && CRYPTO_memcmp(sig, c->signature, 64) == 0;
    if (!ok) {
        mask_token(&cr);
        emu_reply_error(req, 403, q(req) ? "SignatureDoesNotMatch" : "InvalidSignatureException",
                        "%s\n\nThe Canonical String for this request should have been\n'%s'\n\n"
                        "The String-to-Sign should have been\n'%s'\n",
                        MSG_SIG_MISMATCH, cr.data != NULL ? cr.data : "",
                        sts.data != NULL ? sts.data : "");
    }
out:
    brk_wipe(key, sizeof(key));
    brk_wipe(sig, sizeof(sig));
    brk_buf_cleanup(&cq);
    brk_buf_cleanup(&cr);
    brk_buf_cleanup(&sts);
    return ok;
}

static bool region_ok(const struct emu_request *req, const char *region)
{
    const char *mine = emu_server_region(req->server);
    if (strcmp(region, mine) == 0) {
        return true;
    }
    bool global = strcmp(req->service, "iam") == 0 || strcmp(req->service, "budgets") == 0 ||
                  strcmp(req->service, "sts") == 0;
    return global && strcmp(region, "us-east-1") == 0;
}

/* Time rules: header auth within 5 min (15 for STS); presigned within its expiry. */
static bool check_time(struct emu_request *req, const struct claim *c)
{
    time_t t = 0;
    if (brk_parse_amz_date(c->amz_date, &t) != BEDROCK_OK) {
        return fail_incomplete(req, "Invalid X-Amz-Date: must be in ISO8601 basic format "
                                    "(YYYYMMDD'T'HHMMSS'Z').");
    }
    if (strncmp(c->amz_date, c->date8, 8) != 0 || strlen(c->date8) != 8) {
        char msg[256];
        snprintf(msg, sizeof(msg),
                 "Date in Credential scope does not match YYYYMMDD from ISO-8601 version of "
                 "date from HTTP: '%s' != '%.8s', from 'X-Amz-Date'.",
                 c->date8, c->amz_date);
        return fail_sig(req, msg);
    }
    long window = strcmp(req->service, "sts") == 0 ? 900 : 300;
    char now_s[17], edge[17], msg[256];
    brk_amz_date(req->now_s, now_s);
    /* a date in the future is refused the same way for header and presigned auth */
    if (t > req->now_s + window) {
        brk_amz_date(req->now_s + window, edge);
        snprintf(msg, sizeof(msg),
                 "Signature not yet current: %s is still later than %s "
                 "(%s + %ld min.)",
                 c->amz_date, edge, now_s, window / 60);
        return fail_sig(req, msg);
    }
    if (c->presigned && req->now_s > t + c->expires_s) {
        brk_amz_date(req->now_s - c->expires_s, edge);
        snprintf(msg, sizeof(msg), "Signature expired: %s is now earlier than %s (%s - %ld sec.)",
                 c->amz_date, edge, now_s, c->expires_s);
        return fail_sig(req, msg);
    }
    if (!c->presigned && t < req->now_s - window) {
        brk_amz_date(req->now_s - window, edge);
        snprintf(msg, sizeof(msg), "Signature expired: %s is now earlier than %s (%s - %ld min.)",
                 c->amz_date, edge, now_s, window / 60);
        return fail_sig(req, msg);
    }
    return true;
}

static void principal_root(struct emu_request *req, const char *akid)
{
    struct emu_principal *p = &req->principal;
    const char *acct = emu_server_account(req->server);
    p->authenticated = true;
    p->is_root = true;
    p->user_name[0] = '\0';
    snprintf(p->user_id, sizeof(p->user_id), "%s", acct);
    snprintf(p->arn, sizeof(p->arn), "arn:aws:iam::%s:root", acct);
    snprintf(p->access_key_id, sizeof(p->access_key_id), "%s", akid);
}

bool emu_principal_user(struct emu_request *req, const char *user, const char *akid)
{
    struct emu_principal *p = &req->principal;
    char id[sizeof(p->user_id)], path[232];
    if (emu_store_user_get(emu_server_store(req->server), user, id, sizeof(id), path,
                           sizeof(path)) != BEDROCK_OK) {
        return false;
    }
    p->authenticated = true;
    p->is_root = false;
    snprintf(p->user_name, sizeof(p->user_name), "%s", user);
    snprintf(p->user_id, sizeof(p->user_id), "%s", id);
    snprintf(p->arn, sizeof(p->arn), "arn:aws:iam::%s:user%s%s", emu_server_account(req->server),
             path[0] != '\0' ? path : "/", user);
    snprintf(p->access_key_id, sizeof(p->access_key_id), "%s", akid);
    return true;
}

/* Find the secret for c->akid and fill the principal; replies on failure. */
static bool resolve_key(struct emu_request *req, const struct claim *c, char *secret,
                        size_t secretlen)
{
    const struct emu_options *o = emu_server_options(req->server);
    if (strcmp(c->akid, o->root_access_key_id) == 0) {
        if (c->token[0] != '\0') {
            /* a session token with a long-term key: AWS rejects the token as invalid */
            return fail_unknown_key(req);
        }
        snprintf(secret, secretlen, "%s", o->root_secret_access_key);
        principal_root(req, c->akid);
        return true;
    }
    struct emu_key k;
    if (emu_store_key_get(emu_server_store(req->server), c->akid, &k) != BEDROCK_OK ||
        strcmp(k.status, "Active") != 0) {
        return fail_unknown_key(req);
    }
    bool ok = true;
    if (k.session_token[0] == '\0' && c->token[0] != '\0') {
        ok = fail_unknown_key(req); /* long-term key sent with a session token */
    } else if (k.session_token[0] != '\0') {
        size_t tl = strlen(k.session_token);
        if (strlen(c->token) != tl || CRYPTO_memcmp(c->token, k.session_token, tl) != 0) {
            ok = fail_unknown_key(req);
        } else if (k.expires_s != 0 && req->now_s >= k.expires_s) {
            emu_reply_error(req, 403, q(req) ? "ExpiredToken" : "ExpiredTokenException", "%s",
                            MSG_EXPIRED);
            ok = false;
        }
    }
    if (ok && k.user[0] == '\0') {
        principal_root(req, c->akid);
    } else if (ok && !emu_principal_user(req, k.user, c->akid)) {
        ok = fail_unknown_key(req);
    }
    req->principal.session = k.session_token[0] != '\0';
    if (ok) {
        snprintf(secret, secretlen, "%s", k.secret);
    }
    brk_wipe(&k, sizeof(k));
    return ok;
}

static bool verify_claim(struct emu_request *req, struct claim *c)
{
    if (strcmp(c->service, req->service) != 0 && !(c->host_override != NULL)) {
        char msg[160];
        snprintf(msg, sizeof(msg), "Credential should be scoped to correct service: '%s'. ",
                 req->service);
        return fail_sig(req, msg);
    }
    if (!region_ok(req, c->region)) {
        return fail_sig(req, "Credential should be scoped to a valid region. ");
    }
    bool host = false;
    for (const char *p = c->signed_headers; *p != '\0';) {
        size_t n = strcspn(p, ";");
        host = host || (n == 4 && strncmp(p, "host", 4) == 0);
        p += n + (p[n] == ';' ? 1 : 0);
    }
    if (!host) {
        return fail_sig(req, "'Host' or ':authority' must be a 'SignedHeader' in the AWS "
                             "Authorization.");
    }
    char secret[160];
    bool ok = resolve_key(req, c, secret, sizeof(secret)) && check_time(req, c) &&
              check_signature(req, c, secret);
    brk_wipe(secret, sizeof(secret));
    if (!ok) {
        memset(&req->principal, 0, sizeof(req->principal));
        return false;
    }
    snprintf(req->region, sizeof(req->region), "%s", c->region);
    if (!req->principal.is_root ||
        strcmp(c->akid, emu_server_options(req->server)->root_access_key_id) != 0) {
        emu_store_key_used(emu_server_store(req->server), c->akid, req->now_s, c->service,
                           c->region);
    }
    return true;
}

static void base_claim(struct emu_request *req, struct claim *c)
{
    memset(c, 0, sizeof(*c));
    c->method = req->method;
    c->path = req->path;
    c->query = req->query;
    c->headers = req->headers;
    c->n_headers = req->n_headers;
    c->body = req->body;
    c->body_len = req->body_len;
}

static bool verify_header(struct emu_request *req, const char *auth)
{
    struct brk_sigv4_auth a;
    if (brk_sigv4_parse_authorization(auth, strlen(auth), &a) != BEDROCK_OK) {
        return fail_incomplete(req, "Authorization header requires 'Credential', "
                                    "'Signature' and 'SignedHeaders' parameters.");
    }
    struct claim c;
    base_claim(req, &c);
    slice_copy(c.akid, sizeof(c.akid), a.access_key_id);
    slice_copy(c.date8, sizeof(c.date8), a.date);
    slice_copy(c.region, sizeof(c.region), a.region);
    slice_copy(c.service, sizeof(c.service), a.service);
    slice_copy(c.signed_headers, sizeof(c.signed_headers), a.signed_headers);
    slice_copy(c.signature, sizeof(c.signature), a.signature);
    const char *date = emu_header(req, "x-amz-date");
    if (date == NULL) {
        return fail_incomplete(req, "Authorization header requires existence of either a "
                                    "'X-Amz-Date' or a 'Date' header.");
    }
    snprintf(c.amz_date, sizeof(c.amz_date), "%s", date);
    const char *tok = emu_header(req, "x-amz-security-token");
    snprintf(c.token, sizeof(c.token), "%s", tok != NULL ? tok : "");
    bool ok = verify_claim(req, &c);
    brk_wipe(&c, sizeof(c));
    return ok;
}

/* Presigned query auth over (query); skip lists parameters outside the signature. */
static bool verify_presigned(struct emu_request *req, struct claim *c, const char *query)
{
    struct emu_form f;
    if (emu_form_parse(query, strlen(query), &f) != BEDROCK_OK) {
        return fail_incomplete(req, "Malformed query string.");
    }
    const char *alg = emu_form_find(&f, "X-Amz-Algorithm");
    const char *cred = emu_form_find(&f, "X-Amz-Credential");
    const char *date = emu_form_find(&f, "X-Amz-Date");
    const char *exp = emu_form_find(&f, "X-Amz-Expires");
    const char *sh = emu_form_find(&f, "X-Amz-SignedHeaders");
    const char *sig = emu_form_find(&f, "X-Amz-Signature");
    const char *tok = emu_form_find(&f, "X-Amz-Security-Token");
    bool ok = false;
    if (alg == NULL || cred == NULL || date == NULL || sh == NULL || sig == NULL) {
        fail_incomplete(req, "AWS query-string parameters must include 'X-Amz-Algorithm', "
                             "'X-Amz-Credential', 'X-Amz-Signature', 'X-Amz-Date', "
                             "'X-Amz-SignedHeaders'. Re-examine the query-string parameters.");
        goto out;
    }
    if (strcmp(alg, "AWS4-HMAC-SHA256") != 0 || !parse_credential(cred, c)) {
        fail_incomplete(req, "Invalid X-Amz-Algorithm or X-Amz-Credential.");
        goto out;
    }
    char *end = NULL;
    c->expires_s = exp != NULL ? strtol(exp, &end, 10) : 900;
    if ((exp != NULL && (end == exp || *end != '\0')) || c->expires_s < 1 ||
        c->expires_s > 604800) {
        fail_incomplete(req, "X-Amz-Expires must be between 1 and 604800 seconds.");
        goto out;
    }
    c->presigned = true;
    snprintf(c->amz_date, sizeof(c->amz_date), "%s", date);
    snprintf(c->signed_headers, sizeof(c->signed_headers), "%s", sh);
    snprintf(c->signature, sizeof(c->signature), "%s", sig);
    snprintf(c->token, sizeof(c->token), "%s", tok != NULL ? tok : "");
    ok = verify_claim(req, c);
out:
    emu_form_cleanup(&f);
    return ok;
}

static const char *const SKIP_SIG[] = { "X-Amz-Signature", NULL };

bool emu_verify(struct emu_request *req)
{
    memset(&req->principal, 0, sizeof(req->principal));
    const char *auth = emu_header(req, "authorization");
    if (auth != NULL && strncasecmp(auth, "Bearer ", 7) == 0) {
        return emu_verify_bearer(req, auth + 7);
    }
    if (auth != NULL) {
        if (strncmp(auth, "AWS4-HMAC-SHA256 ", 17) != 0) {
            return fail_incomplete(req, "Authorization header requires 'Credential' parameter. "
                                        "Authorization header requires 'Signature' parameter.");
        }
        return verify_header(req, auth);
    }
    if (strstr(req->query, "X-Amz-Algorithm=") != NULL ||
        strstr(req->query, "X-Amz-Credential=") != NULL) {
        struct claim c;
        base_claim(req, &c);
        c.skip = SKIP_SIG;
        bool ok = verify_presigned(req, &c, req->query);
        brk_wipe(&c, sizeof(c));
        return ok;
    }
    if (q(req)) {
        emu_reply_error(req, 403, "MissingAuthenticationToken",
                        "Request is missing Authentication Token");
    } else {
        emu_reply_error(req, 403, "MissingAuthenticationTokenException",
                        "Missing Authentication Token");
    }
    return false;
}

bool emu_verify_presigned_token(struct emu_request *req, const char *host, const char *query)
{
    static const char *const SKIP[] = { "X-Amz-Signature", "Version", NULL };
    struct brk_header h = { "host", 4, host, strlen(host) };
    struct claim c;
    memset(&c, 0, sizeof(c));
    c.method = "GET";
    c.path = "/";
    c.query = query;
    c.headers = &h;
    c.n_headers = 1;
    c.body = "";
    c.body_len = 0;
    c.host_override = host;
    c.skip = SKIP;
    bool ok = verify_presigned(req, &c, query);
    brk_wipe(&c, sizeof(c));
    return ok;
}
