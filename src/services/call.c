/*
 * services/call.c - one signed AWS call (brk_call): endpoint -> URL and Host -> credentials
 * (cache, or the call's own, or a Bedrock bearer token) -> SigV4 -> HTTP -> error parsing ->
 * standard-mode retries -> hint.
 *
 * Invariants:
 *  - never retried once on_data has handed a byte to the caller (the data tap tracks it);
 *  - an ExpiredToken answer invalidates the credential cache and is retried exactly once;
 *  - secrets (secret key, session token, bearer token) go only into the signer and the
 *    Authorization / X-Amz-Security-Token headers, never into logs or errors;
 *  - resp holds the last attempt's response (the error body on failure).
 */
#include "client_internal.h"
#include "core/alloc.h"
#include "core/errors.h"
#include "core/limits.h"
#include "core/log.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#define BRK_USER_AGENT   "libbedrock/" BEDROCK_VERSION_STRING
#define MAX_SEND_HEADERS (BRK_CLIENT_MAX_EXTRA + 24)

struct data_tap {
    brk_http_data_fn *fn;
    void *ctx;
    bool delivered;
};

static bedrock_code tap_on_data(void *ctx, const void *p, size_t n)
{
    struct data_tap *t = ctx;
    if (n > 0) {
        t->delivered = true;
    }
    return t->fn(t->ctx, p, n);
}

/* "https://user@host:443/x" -> "host" (default port dropped) or "host:8443". */
static void host_of(const char *url, char *out, size_t outlen)
{
    const char *p = strstr(url, "://");
    bool https = strncasecmp(url, "https:", 6) == 0;
    p = p != NULL ? p + 3 : url;
    size_t n = strcspn(p, "/?#");
    const char *at = memchr(p, '@', n);
    if (at != NULL) {
        n -= (size_t)(at + 1 - p);
        p = at + 1;
    }
    const char *colon = n > 0 && p[0] != '[' ? memchr(p, ':', n) : NULL;
    if (p[0] == '[') {
        const char *rb = memchr(p, ']', n);
        colon = rb != NULL && (size_t)(rb + 1 - p) < n && rb[1] == ':' ? rb + 1 : NULL;
    }
    if (colon != NULL) {
        const char *port = colon + 1;
        size_t plen = n - (size_t)(port - p);
        if ((https && plen == 3 && memcmp(port, "443", 3) == 0) ||
            (!https && plen == 2 && memcmp(port, "80", 2) == 0)) {
            n = (size_t)(colon - p);
        }
    }
    snprintf(out, outlen, "%.*s", (int)n, p);
}

static const char *signing_region(struct bedrock_client *c, const struct brk_call *call)
{
    if (call->region != NULL && call->region[0] != '\0') {
        return call->region;
    }
    const char *r = brk_config_region(c->cfg);
    if (r == NULL &&
        (strcmp(call->service_id, "iam") == 0 || strcmp(call->service_id, "budgets") == 0)) {
        return "us-east-1"; /* global services sign in us-east-1 */
    }
    return r;
}

struct attempt {
    struct brk_buf url;
    const char *endpoint_source;
    char host[300];
    struct brk_header hdrs[MAX_SEND_HEADERS];
    size_t n_hdrs;
    struct brk_sigv4_result sig;
    struct brk_buf bearer_hdr; /* secret */
    bool signed_ok;
};

static void add_hdr(struct attempt *a, const char *name, const char *value, size_t vlen)
{
    if (a->n_hdrs < MAX_SEND_HEADERS) {
        a->hdrs[a->n_hdrs++] = (struct brk_header){ name, strlen(name), value, vlen };
    }
}

static bedrock_code build_url(struct bedrock_client *c, const struct brk_call *call,
                              struct attempt *a, struct bedrock_error *err)
{
    bedrock_code rc =
        brk_config_endpoint(c->cfg, call->service_id, &a->url, &a->endpoint_source, err);
    if (rc != BEDROCK_OK) {
        return rc;
    }
    host_of(a->url.data, a->host, sizeof(a->host));
    rc = brk_buf_append_str(&a->url, call->path != NULL ? call->path : "/");
    if (rc == BEDROCK_OK && call->query != NULL && call->query[0] != '\0') {
        rc = brk_buf_appendf(&a->url, "?%s", call->query);
    }
    if (rc != BEDROCK_OK) {
        bedrock_error_set(err, rc, "request URL too long");
    }
    return rc;
}

static void base_headers(struct bedrock_client *c, const struct brk_call *call, struct attempt *a)
{
    a->n_hdrs = 0;
    add_hdr(a, "Host", a->host, strlen(a->host));
    for (size_t i = 0; i < call->n_headers && a->n_hdrs < MAX_SEND_HEADERS; i++) {
        a->hdrs[a->n_hdrs++] = call->headers[i];
    }
    for (size_t i = 0; i < c->n_extra && a->n_hdrs < MAX_SEND_HEADERS; i++) {
        a->hdrs[a->n_hdrs++] = c->extra[i];
    }
}

static bedrock_code sign(struct bedrock_client *c, const struct brk_call *call,
                         const struct brk_credentials *cr, struct attempt *a,
                         struct bedrock_error *err)
{
    const char *region = signing_region(c, call);
    if (region == NULL) {
        bedrock_error_set(err, BEDROCK_E_NO_REGION, "no region configured for %s",
                          call->service_id);
        return BEDROCK_E_NO_REGION;
    }
    const char *path = call->path != NULL ? call->path : "/";
    struct brk_sigv4_request sr = { call->method, path,       call->query,    a->hdrs,
                                    a->n_hdrs,    call->body, call->body_len, NULL };
    struct brk_sigv4_params sp = { 0 };
    sp.access_key_id = cr->access_key_id;
    sp.secret_access_key = cr->secret_access_key;
    sp.session_token = cr->session_token;
    sp.region = region;
    sp.service = call->signing_name;
    sp.time_s = time(NULL);
    brk_sigv4_result_cleanup(&a->sig);
    brk_sigv4_result_init(&a->sig);
    bedrock_code rc = brk_sigv4_sign(&sr, &sp, &a->sig);
    if (rc != BEDROCK_OK) {
        bedrock_error_set(err, rc, "could not sign the %s request", call->service_id);
        return rc;
    }
    if (brk_log_enabled()) {
        const char *const secrets[] = { cr->session_token, cr->secret_access_key };
        brk_log_debug_masked("canonical request:", a->sig.canonical_request.data,
                             a->sig.canonical_request.len, secrets, 2);
        brk_log_debug("string to sign:\n%s", a->sig.string_to_sign.data);
    }
    add_hdr(a, "X-Amz-Date", a->sig.amz_date, strlen(a->sig.amz_date));
    if (cr->session_token != NULL && cr->session_token[0] != '\0') {
        add_hdr(a, "X-Amz-Security-Token", cr->session_token, strlen(cr->session_token));
    }
    add_hdr(a, "Authorization", a->sig.authorization.data, a->sig.authorization.len);
    return BEDROCK_OK;
}

/* Credentials and auth headers for this attempt. */
static bedrock_code authorize(struct bedrock_client *c, const struct brk_call *call,
                              struct attempt *a, struct bedrock_error *err)
{
    const char *bearer = NULL;
    bool may_bearer = call->allow_bearer && call->creds == NULL && !c->explicit_keys;
    const struct brk_credentials *cr = call->creds;
    if (may_bearer && c->bearer_token != NULL) {
        bearer = c->bearer_token;
    } else if (cr == NULL) {
        bedrock_code rc = brk_creds_cache_get(c->cache, time(NULL), &cr, err);
        if (rc != BEDROCK_OK) {
            return rc;
        }
        if (may_bearer && cr->bearer_token != NULL && cr->bearer_token[0] != '\0') {
            bearer = cr->bearer_token;
        }
    }
    if (bearer != NULL) {
        snprintf(c->cred_source, sizeof(c->cred_source), "bearer token (Bedrock API key)");
        brk_log_debug("auth: Bearer token (Bedrock API key), not SigV4");
        brk_buf_reset(&a->bearer_hdr);
        bedrock_code rc = brk_buf_appendf(&a->bearer_hdr, "Bearer %s", bearer);
        if (rc != BEDROCK_OK) {
            bedrock_error_set(err, rc, "bearer token too long");
            return rc;
        }
        add_hdr(a, "Authorization", a->bearer_hdr.data, a->bearer_hdr.len);
        return BEDROCK_OK;
    }
    if (cr->access_key_id == NULL || cr->access_key_id[0] == '\0') {
        /* the chain found only a Bedrock API key: it cannot sign anything (hint in hints.c) */
        bedrock_error_set(err, BEDROCK_E_NO_CREDENTIALS,
                          "no AWS access keys: the only credential found is a Bedrock API key, "
                          "which cannot sign %s requests",
                          call->signing_name != NULL ? call->signing_name : "these");
        return BEDROCK_E_NO_CREDENTIALS;
    }
    snprintf(c->cred_source, sizeof(c->cred_source), "%s", cr->source);
    brk_log_debug("credentials: %s (access key %s)", cr->source,
                  cr->access_key_id != NULL ? cr->access_key_id : "?");
    return sign(c, call, cr, a, err);
}

/* One attempt: OK for 2xx; HTTP errors parsed into err; transport errors as returned. */
static bedrock_code attempt_once(struct bedrock_client *c, const struct brk_call *call,
                                 struct attempt *a, struct data_tap *tap,
                                 struct brk_http_response *resp, bool *transport,
                                 struct bedrock_error *err)
{
    *transport = false;
    brk_http_response_cleanup(resp);
    brk_http_response_init(resp);
    base_headers(c, call, a);
    bedrock_code rc = authorize(c, call, a, err);
    if (rc != BEDROCK_OK) {
        return rc;
    }
    add_hdr(a, "User-Agent", BRK_USER_AGENT, strlen(BRK_USER_AGENT));
    struct brk_http_request req = { call->method, a->url.data, a->hdrs,
                                    a->n_hdrs,    call->body,  call->body_len };
    rc =
        brk_http_perform(c->http, &req, call->on_data != NULL ? tap_on_data : NULL, tap, resp, err);
    if (rc != BEDROCK_OK) {
        *transport = !tap->delivered;
        return rc;
    }
    if (resp->status >= 200 && resp->status < 300) {
        return BEDROCK_OK;
    }
    bedrock_error_clear(err);
    brk_http_parse_error(resp, err);
    if (err->code == BEDROCK_OK) {
        err->code = BEDROCK_E_AWS;
    }
    return err->code;
}

/* Put prefix in front of err->message (truncating the end of the old message). */
static void prefix_message(struct bedrock_error *err, const char *prefix)
{
    size_t pl = strlen(prefix), ml = strlen(err->message), cap = sizeof(err->message) - 1;
    if (pl >= cap) {
        return;
    }
    if (ml > cap - pl) {
        ml = cap - pl;
    }
    memmove(err->message + pl, err->message, ml);
    memcpy(err->message, prefix, pl);
    err->message[pl + ml] = '\0';
}

static void finish_error(struct bedrock_client *c, const struct brk_call *call,
                         const struct brk_http_response *resp, int attempts, bool throttled,
                         struct bedrock_error *err)
{
    if (throttled && attempts > 1) {
        char prefix[64];
        snprintf(prefix, sizeof(prefix), "throttled after %d attempts: ", attempts);
        prefix_message(err, prefix);
    }
    if (err->code == BEDROCK_E_SIGNATURE && brk_log_enabled() && resp->body.len > 0) {
        /* AWS's reply carries the canonical request and string to sign it computed: show it
         * beside ours (logged above) so the difference can be spotted. No secrets in either. */
        const struct brk_credentials *cr = NULL;
        struct bedrock_error ignored;
        const char *tok[] = { NULL };
        if (call->creds != NULL) {
            cr = call->creds;
        } else if (brk_client_credentials(c, &cr, &ignored) != BEDROCK_OK) {
            cr = NULL;
        }
        if (cr != NULL) {
            tok[0] = cr->session_token;
        }
        brk_log_debug_masked("AWS's answer to the signature mismatch:", resp->body.data,
                             resp->body.len, tok, 1);
    }
    brk_hint_fill(c, call->service_id, NULL, err);
}

bedrock_code brk_call(struct bedrock_client *client, const struct brk_call *call,
                      struct brk_http_response *resp, struct bedrock_error *err)
{
    struct attempt a;
    memset(&a, 0, sizeof(a));
    brk_buf_init(&a.url, BRK_MAX_URL_BYTES);
    brk_buf_init(&a.bearer_hdr, BRK_MAX_HEADER_BYTES);
    a.bearer_hdr.secret = true;
    brk_sigv4_result_init(&a.sig);
    struct data_tap tap = { call->on_data, call->ctx, false };
    struct brk_retry retry;
    brk_retry_init(&retry, client->max_attempts);
    bool expired_retried = false, transport = false, throttled = false;
    int attempt = 0;
    bedrock_code rc = build_url(client, call, &a, err);
    if (rc != BEDROCK_OK) {
        brk_hint_fill(client, call->service_id, NULL, err);
        goto out;
    }
    brk_log_debug("endpoint: %s (%s)", a.url.data, a.endpoint_source ? a.endpoint_source : "?");
    for (;;) {
        attempt++;
        rc = attempt_once(client, call, &a, &tap, resp, &transport, err);
        if (rc == BEDROCK_OK || tap.delivered) {
            break;
        }
        if (rc == BEDROCK_E_EXPIRED && call->creds == NULL && !expired_retried) {
            brk_log_debug("expired token: refreshing credentials and retrying once");
            brk_creds_invalidate(client->cache);
            expired_retried = true;
            continue;
        }
        if (!transport && resp->status == 0) {
            break; /* failed before sending: credentials, signing, region */
        }
        throttled = !transport && brk_error_is_throttle(resp->status, err->aws_code);
        long delay = 0;
        if (!brk_retry_should(&retry, attempt, transport ? rc : BEDROCK_OK,
                              transport ? 0 : resp->status, transport ? NULL : err->aws_code,
                              transport ? -1 : brk_http_retry_after_ms(resp), &delay)) {
            break;
        }
        brk_log_debug("attempt %d failed (%s); retrying in %ld ms", attempt, bedrock_code_name(rc),
                      delay);
        brk_sleep_ms(delay);
    }
    if (rc != BEDROCK_OK) {
        if (rc == BEDROCK_E_EXPIRED && expired_retried) {
            prefix_message(err, "the security token is still expired after refreshing "
                                "credentials: ");
        }
        finish_error(client, call, resp, attempt, throttled, err);
    }
out:
    client->last_attempts = attempt;
    brk_sigv4_result_cleanup(&a.sig);
    brk_buf_cleanup(&a.url);
    brk_buf_cleanup(&a.bearer_hdr);
    return rc;
}
