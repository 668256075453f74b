/*
 * credentials/sts.c - STS AssumeRole (query protocol, SigV4-signed with the source
 * credentials) and AssumeRoleWithWebIdentity (unsigned), for role profiles.
 *
 * Request: POST <sts endpoint>/ with a form body Action=...&Version=2011-06-15&RoleArn=...
 * Response: <AssumeRole[WithWebIdentity]Response><...Result><Credentials><AccessKeyId>,
 * <SecretAccessKey>, <SessionToken>, <Expiration>; <AssumedRoleUser><Arn> gives the account.
 * Invariants: the response body and form (which may hold a web identity token) are secret
 * buffers; STS's own error message is passed on, our request never is.
 */
#include "config.h"
#include "core/alloc.h"
#include "core/limits.h"
#include "creds_internal.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

static bedrock_code build_form(const struct brk_assume_role *ar, struct brk_buf *form)
{
    char session[64];
    const char *name = ar->session_name;
    if (name == NULL) {
        (void)snprintf(session, sizeof session, "bedrockctl-%lld", (long long)time(NULL));
        name = session;
    }
    bool wi = ar->web_identity_token != NULL;
    bedrock_code rc = brk_form_add(form, "Action", wi ? "AssumeRoleWithWebIdentity" : "AssumeRole");
    if (rc == BEDROCK_OK) {
        rc = brk_form_add(form, "Version", "2011-06-15");
    }
    if (rc == BEDROCK_OK) {
        rc = brk_form_add(form, "RoleArn", ar->role_arn);
    }
    if (rc == BEDROCK_OK) {
        rc = brk_form_add(form, "RoleSessionName", name);
    }
    if (rc == BEDROCK_OK && ar->duration_s > 0) {
        char d[32];
        (void)snprintf(d, sizeof d, "%ld", ar->duration_s);
        rc = brk_form_add(form, "DurationSeconds", d);
    }
    if (rc == BEDROCK_OK && ar->external_id != NULL) {
        rc = brk_form_add(form, "ExternalId", ar->external_id);
    }
    if (rc == BEDROCK_OK && wi) {
        rc = brk_form_add(form, "WebIdentityToken", ar->web_identity_token);
    }
    return rc;
}

/* "https://host:port/x" -> "host:port" */
static struct brk_slice url_host(const char *url)
{
    const char *p = strstr(url, "://");
    p = p != NULL ? p + 3 : url;
    size_t n = strcspn(p, "/?#");
    return (struct brk_slice){ p, n };
}

static bedrock_code sts_url(struct brk_config *cfg, struct brk_buf *url, struct bedrock_error *err)
{
    bedrock_code rc = brk_config_endpoint(cfg, "sts", url, NULL, err);
    if (rc == BEDROCK_E_NO_REGION) {
        rc = brk_buf_set(url, "https://sts.amazonaws.com", strlen("https://sts.amazonaws.com"));
    }
    if (rc == BEDROCK_OK) {
        rc = brk_buf_append_char(url, '/');
    }
    return rc;
}

static bedrock_code sts_send(struct brk_config *cfg, struct brk_http *http, const char *url,
                             const struct brk_buf *form, const struct brk_credentials *source,
                             struct brk_http_response *resp, struct bedrock_error *err)
{
    static const char ctype[] = "application/x-www-form-urlencoded; charset=utf-8";
    struct brk_slice host = url_host(url);
    struct brk_header h[6] = {
        { "Host", 4, host.ptr, host.len },
        { "Content-Type", 12, ctype, sizeof ctype - 1 },
    };
    size_t nh = 2;
    struct brk_sigv4_result sig;
    brk_sigv4_result_init(&sig);
    bedrock_code rc = BEDROCK_OK;
    if (source != NULL) {
        struct brk_sigv4_request req = { "POST", "/", NULL, h, 2, form->data, form->len, NULL };
        struct brk_sigv4_params p;
        memset(&p, 0, sizeof p);
        p.access_key_id = source->access_key_id;
        p.secret_access_key = source->secret_access_key;
        p.session_token = source->session_token;
        p.region = brk_config_region_or_default(cfg);
        p.service = "sts";
        p.time_s = time(NULL);
        rc = brk_sigv4_sign(&req, &p, &sig);
        if (rc == BEDROCK_OK) {
            h[nh++] = (struct brk_header){ "X-Amz-Date", 10, sig.amz_date, strlen(sig.amz_date) };
            h[nh++] = (struct brk_header){ "Authorization", 13, sig.authorization.data,
                                           sig.authorization.len };
            if (source->session_token != NULL && *source->session_token != '\0') {
                h[nh++] = (struct brk_header){ "X-Amz-Security-Token", 20, source->session_token,
                                               strlen(source->session_token) };
            }
        } else {
            bedrock_error_set(err, rc, "signing the STS request failed");
        }
    }
    if (rc == BEDROCK_OK) {
        struct brk_http_request hr = { "POST", url, h, nh, form->data, form->len };
        rc = brk_http_perform(http, &hr, NULL, NULL, resp, err);
    }
    brk_sigv4_result_cleanup(&sig);
    return rc;
}

static bedrock_code parse_reply(const struct brk_http_response *resp, bool wi,
                                struct brk_credentials *c, struct bedrock_error *err)
{
    struct brk_xml *root = NULL;
    bedrock_code rc = brk_xml_parse(resp->body.data, resp->body.len, &root);
    if (rc != BEDROCK_OK) {
        bedrock_error_set(err, BEDROCK_E_PROTOCOL, "STS answer is not valid XML");
        return BEDROCK_E_PROTOCOL;
    }
    const char *base = wi ? "AssumeRoleWithWebIdentityResult" : "AssumeRoleResult";
    char path[128];
    const char *vals[5];
    const char *names[] = { "Credentials/AccessKeyId", "Credentials/SecretAccessKey",
                            "Credentials/SessionToken", "Credentials/Expiration",
                            "AssumedRoleUser/Arn" };
    for (size_t i = 0; i < 5; i++) {
        (void)snprintf(path, sizeof path, "%s/%s", base, names[i]);
        vals[i] = brk_xml_text(root, path);
    }
    rc = BEDROCK_E_PROTOCOL;
    if (vals[0] == NULL || vals[1] == NULL || vals[2] == NULL || vals[3] == NULL ||
        brk_parse_iso8601(vals[3], &c->expires_at_s) != BEDROCK_OK) {
        bedrock_error_set(err, rc, "STS answer lacks Credentials");
        goto out;
    }
    rc = brk_creds_set(&c->access_key_id, vals[0]);
    if (rc == BEDROCK_OK) {
        rc = brk_creds_set(&c->secret_access_key, vals[1]);
    }
    if (rc == BEDROCK_OK) {
        rc = brk_creds_set(&c->session_token, vals[2]);
    }
    /* arn:aws:sts::123456789012:assumed-role/x/y: the 5th field is the account */
    const char *arn = vals[4];
    for (int i = 0; rc == BEDROCK_OK && arn != NULL && i < 4; i++) {
        arn = strchr(arn, ':');
        arn = arn != NULL ? arn + 1 : NULL;
    }
    if (rc == BEDROCK_OK && arn != NULL && strchr(arn, ':') != NULL) {
        c->account_id = brk_strndup(arn, (size_t)(strchr(arn, ':') - arn));
        rc = c->account_id == NULL ? BEDROCK_E_NOMEM : BEDROCK_OK;
    }
out:
    brk_xml_free(root);
    return rc;
}

static bedrock_code with_http(struct brk_http **http, struct brk_http **own)
{
    *own = NULL;
    if (*http != NULL) {
        return BEDROCK_OK;
    }
    struct brk_http_options o;
    memset(&o, 0, sizeof o);
    o.total_timeout_ms = 30000;
    bedrock_code rc = brk_http_new(&o, own);
    *http = *own;
    return rc;
}

bedrock_code brk_creds_assume_role(struct brk_config *cfg, struct brk_http *http,
                                   const struct brk_assume_role *ar,
                                   const struct brk_credentials *source,
                                   struct brk_credentials *out, struct bedrock_error *err)
{
    bool wi = ar->web_identity_token != NULL;
    struct brk_buf form = BRK_SECRET_BUF(BRK_MAX_REQUEST_BYTES);
    struct brk_buf url = BRK_BUF(BRK_MAX_URL_BYTES);
    struct brk_http *own = NULL;
    struct brk_http_response resp;
    brk_http_response_init(&resp);
    resp.body.secret = true;
    struct brk_credentials c;
    memset(&c, 0, sizeof c);
    bedrock_code rc = build_form(ar, &form);
    if (rc == BEDROCK_OK) {
        rc = sts_url(cfg, &url, err);
    }
    if (rc == BEDROCK_OK) {
        rc = with_http(&http, &own);
    }
    if (rc == BEDROCK_OK) {
        rc = sts_send(cfg, http, url.data, &form, wi ? NULL : source, &resp, err);
    }
    if (rc == BEDROCK_OK && resp.status != 200) {
        brk_http_parse_error(&resp, err);
        rc = err != NULL && err->code != BEDROCK_OK ? err->code : BEDROCK_E_AWS;
        bedrock_error_hint(err, "%s of %.300s failed; check the role's trust policy",
                           wi ? "AssumeRoleWithWebIdentity" : "AssumeRole", ar->role_arn);
    } else if (rc == BEDROCK_OK) {
        rc = parse_reply(&resp, wi, &c, err);
    }
    if (rc == BEDROCK_OK) {
        (void)snprintf(c.source, sizeof c.source, "%s %.100s", wi ? "web-identity" : "assume-role",
                       ar->role_arn);
        *out = c;
    } else {
        brk_credentials_cleanup(&c);
    }
    brk_http_response_cleanup(&resp);
    brk_http_free(own);
    brk_buf_cleanup(&url);
    brk_buf_cleanup(&form);
    return rc;
}
