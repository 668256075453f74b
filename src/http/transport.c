/*
 * http/transport.c - one HTTP attempt over a reused libcurl easy handle.
 *
 * The easy handle is reset (options only) before every call, which keeps its connection
 * cache, so consecutive calls to one host reuse the connection (keep-alive / HTTP/2).
 * Redirects are never followed (signed headers must not travel to another URL), Expect:
 * 100-continue is off, signals are never used, and proxies come from libcurl's own
 * https_proxy / HTTPS_PROXY / http_proxy / ALL_PROXY / NO_PROXY handling; the one addition is
 * uppercase HTTP_PROXY for http:// (libcurl reads only http_proxy; the AWS SDKs read both), set
 * as CURLOPT_PROXY (see proxy_env.h). Transport errors name the proxy in use (never its userinfo).
 *
 * Idle timeout: the transfer callbacks stamp the time of the last byte (either direction);
 * the progress callback, which libcurl calls at least about once a second, aborts when the
 * gap exceeds idle_timeout_ms. The clock starts when the connection is ready (PREREQ), so
 * the connect phase is governed by the connect timeout alone.
 *
 * Bodies are never logged: request bodies of signed calls may carry credentials.
 */
#include "core/alloc.h"
#include "core/limits.h"
#include "core/log.h"
#include "http_internal.h"
#include "proxy_env.h"

#include <curl/curl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

struct brk_http {
    CURL *curl;
    struct brk_http_options opts;
    char *ca_bundle;
    char errbuf[CURL_ERROR_SIZE];
};

/* State of one transfer, shared by the callbacks. */
struct xfer {
    struct brk_http_response *resp;
    brk_http_data_fn *on_data;
    void *ctx;
    long idle_ms;
    bedrock_code cb_rc; /* a callback stopped the transfer with this code */
    bool idle_fired;
    bool connected;
    uint64_t last_ms;
    curl_off_t last_dl;
    curl_off_t last_ul;
    struct brk_proxy_choice proxy; /* what the environment selects for this URL */
};

static uint64_t now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

bedrock_code brk_http_new(const struct brk_http_options *opts, struct brk_http **out)
{
    struct brk_http *h = brk_calloc(1, sizeof(*h));
    if (h == NULL) {
        return BEDROCK_E_NOMEM;
    }
    if (opts != NULL) {
        h->opts = *opts;
    }
    if (h->opts.connect_timeout_ms <= 0) {
        h->opts.connect_timeout_ms = 10000;
    }
    if (h->opts.idle_timeout_ms <= 0) {
        h->opts.idle_timeout_ms = 300000;
    }
    if (h->opts.total_timeout_ms < 0) {
        h->opts.total_timeout_ms = 0;
    }
    if (h->opts.ca_bundle != NULL && h->opts.ca_bundle[0] != '\0') {
        h->ca_bundle = brk_strdup(h->opts.ca_bundle);
        if (h->ca_bundle == NULL) {
            brk_free(h);
            return BEDROCK_E_NOMEM;
        }
    }
    h->opts.ca_bundle = h->ca_bundle;
    h->curl = curl_easy_init();
    if (h->curl == NULL) {
        brk_free(h->ca_bundle);
        brk_free(h);
        return BEDROCK_E_NOMEM;
    }
    *out = h;
    return BEDROCK_OK;
}

void brk_http_free(struct brk_http *h)
{
    if (h == NULL) {
        return;
    }
    curl_easy_cleanup(h->curl);
    brk_free(h->ca_bundle);
    brk_free(h);
}

void brk_http_url_host(const char *url, char *out, size_t outlen)
{
    if (outlen == 0) {
        return;
    }
    out[0] = '\0';
    if (url == NULL) {
        return;
    }
    const char *p = strstr(url, "://");
    p = p != NULL ? p + 3 : url;
    size_t n = strcspn(p, "/?#");
    for (size_t i = n; i > 0; i--) {
        if (p[i - 1] == '@') { /* never show userinfo */
            p += i;
            n -= i;
            break;
        }
    }
    if (n >= outlen) {
        n = outlen - 1;
    }
    memcpy(out, p, n);
    out[n] = '\0';
}

static size_t trim_eol(const char *s, size_t n)
{
    while (n > 0 && (s[n - 1] == '\r' || s[n - 1] == '\n')) {
        n--;
    }
    return n;
}

static bedrock_code on_header_line(struct xfer *x, const char *line, size_t n)
{
    if (n >= 5 && memcmp(line, "HTTP/", 5) == 0) {
        /* a new response (after a 1xx, or the first): start its headers afresh */
        brk_http_response_reset_headers(x->resp);
        const char *sp = memchr(line, ' ', n);
        x->resp->status = 0;
        if (sp != NULL && (size_t)(sp - line) + 4 <= n) {
            int st = 0;
            for (int i = 1; i <= 3; i++) {
                char c = sp[i];
                st = (c >= '0' && c <= '9') ? st * 10 + (c - '0') : -1000;
            }
            x->resp->status = st > 0 ? st : 0;
        }
        brk_log_debug("< %.*s", (int)n, line);
        return BEDROCK_OK;
    }
    if (n == 0 || line[0] == ' ' || line[0] == '\t') {
        return BEDROCK_OK; /* end of headers, or an obsolete folded line */
    }
    const char *colon = memchr(line, ':', n);
    if (colon == NULL) {
        return BEDROCK_OK;
    }
    size_t name_len = (size_t)(colon - line);
    struct brk_slice v = brk_slice_trim((struct brk_slice){ colon + 1, n - name_len - 1 });
    brk_log_http_header("< ", line, name_len, v.ptr, v.len);
    return brk_http_response_add_header(x->resp, line, name_len, v.ptr, v.len);
}

static size_t header_cb(char *buf, size_t size, size_t nitems, void *ud)
{
    struct xfer *x = ud;
    size_t n = size * nitems;
    x->last_ms = now_ms();
    bedrock_code rc = on_header_line(x, buf, trim_eol(buf, n));
    if (rc != BEDROCK_OK) {
        x->cb_rc = rc;
        return 0;
    }
    return n;
}

static size_t write_cb(char *ptr, size_t size, size_t nmemb, void *ud)
{
    struct xfer *x = ud;
    size_t n = size * nmemb;
    x->last_ms = now_ms();
    bedrock_code rc;
    if (x->on_data != NULL && x->resp->status >= 200 && x->resp->status < 300) {
        x->resp->streamed = true;
        rc = x->on_data(x->ctx, ptr, n);
    } else {
        rc = brk_buf_append(&x->resp->body, ptr, n);
    }
    if (rc != BEDROCK_OK) {
        x->cb_rc = rc;
        return n == 0 ? 1 : 0; /* any count other than n aborts */
    }
    return n;
}

static int prereq_cb(void *ud, char *primary_ip, char *local_ip, int primary_port, int local_port)
{
    struct xfer *x = ud;
    (void)primary_ip;
    (void)local_ip;
    (void)primary_port;
    (void)local_port;
    x->connected = true;
    x->last_ms = now_ms();
    return CURL_PREREQFUNC_OK;
}

static int progress_cb(void *ud, curl_off_t dltotal, curl_off_t dlnow, curl_off_t ultotal,
                       curl_off_t ulnow)
{
    struct xfer *x = ud;
    (void)dltotal;
    (void)ultotal;
    if (!x->connected) {
        return 0;
    }
    uint64_t now = now_ms();
    if (dlnow != x->last_dl || ulnow != x->last_ul) {
        x->last_dl = dlnow;
        x->last_ul = ulnow;
        x->last_ms = now;
        return 0;
    }
    if (now > x->last_ms && now - x->last_ms > (uint64_t)x->idle_ms) {
        x->idle_fired = true;
        return 1;
    }
    return 0;
}

static void log_request_block(const char *data, size_t size)
{
    bool first = true;
    while (size > 0) {
        const char *nl = memchr(data, '\n', size);
        size_t len = nl != NULL ? (size_t)(nl - data) + 1 : size;
        size_t n = trim_eol(data, len);
        const char *colon = memchr(data, ':', n);
        if (first) {
            brk_log_debug("> %.*s", (int)n, data);
        } else if (colon != NULL) {
            struct brk_slice v =
                brk_slice_trim((struct brk_slice){ colon + 1, n - (size_t)(colon - data) - 1 });
            brk_log_http_header("> ", data, (size_t)(colon - data), v.ptr, v.len);
        }
        first = false;
        data += len;
        size -= len;
    }
}

static bool text_is_safe(const char *data, size_t size)
{
    static const char *const ok[] = { "Connected to", "Re-using", "Connection #", "SSL connection",
                                      "ALPN",         "  Trying", "Using HTTP2",  "using HTTP/2" };
    for (size_t i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
        size_t n = strlen(ok[i]);
        if (size >= n && memcmp(data, ok[i], n) == 0) {
            return true;
        }
    }
    return false;
}

static int debug_cb(CURL *c, curl_infotype type, char *data, size_t size, void *ud)
{
    (void)c;
    (void)ud;
    if (type == CURLINFO_HEADER_OUT) {
        log_request_block(data, size);
    } else if (type == CURLINFO_TEXT && text_is_safe(data, size)) {
        brk_log_debug("* %.*s", (int)trim_eol(data, size), data);
    }
    return 0;
}

static bool has_ctl(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '\r' || s[i] == '\n' || s[i] == '\0') {
            return true;
        }
    }
    return false;
}

/* "Name: value" lines for curl; rejects CR/LF/NUL (header injection) and ':' in names. */
static bedrock_code build_headers(const struct brk_http_request *req, struct curl_slist **out)
{
    struct brk_buf line = BRK_SECRET_BUF(BRK_MAX_HEADER_BYTES + BRK_MAX_SMALL);
    struct curl_slist *list = NULL;
    bool have_ct = false, have_expect = false;
    bedrock_code rc = BEDROCK_OK;
    for (size_t i = 0; i < req->n_headers && rc == BEDROCK_OK; i++) {
        const struct brk_header *hd = &req->headers[i];
        struct brk_slice name = { hd->name, hd->name_len };
        if (hd->name_len == 0 || memchr(hd->name, ':', hd->name_len) != NULL ||
            has_ctl(hd->name, hd->name_len) || has_ctl(hd->value, hd->value_len)) {
            rc = BEDROCK_E_INVALID_ARG;
            break;
        }
        have_ct = have_ct || brk_slice_ieq_str(name, "content-type");
        have_expect = have_expect || brk_slice_ieq_str(name, "expect");
        brk_buf_reset(&line);
        rc = brk_buf_append(&line, hd->name, hd->name_len);
        if (rc == BEDROCK_OK) {
            /* "Name;" is curl's way to send a header with an empty value */
            rc = hd->value_len == 0
                     ? brk_buf_append_char(&line, ';')
                     : brk_buf_appendf(&line, ": %.*s", (int)hd->value_len, hd->value);
        }
        struct curl_slist *next = rc == BEDROCK_OK ? curl_slist_append(list, line.data) : NULL;
        if (rc == BEDROCK_OK && next == NULL) {
            rc = BEDROCK_E_NOMEM;
        }
        list = next != NULL ? next : list;
    }
    const char *extra[2] = { have_expect ? NULL : "Expect:", have_ct ? NULL : "Content-Type:" };
    for (size_t i = 0; i < 2 && rc == BEDROCK_OK; i++) {
        struct curl_slist *next = extra[i] != NULL ? curl_slist_append(list, extra[i]) : list;
        if (next == NULL) {
            rc = BEDROCK_E_NOMEM;
        }
        list = next != NULL ? next : list;
    }
    brk_buf_cleanup(&line);
    if (rc != BEDROCK_OK) {
        curl_slist_free_all(list);
        return rc;
    }
    *out = list;
    return BEDROCK_OK;
}

/* Header lines may carry signatures and session tokens: wipe before freeing. */
static void free_headers_wiped(struct curl_slist *list)
{
    for (struct curl_slist *s = list; s != NULL; s = s->next) {
        brk_wipe(s->data, strlen(s->data));
    }
    curl_slist_free_all(list);
}

#define SETOPT(cc, c, opt, val)                         \
    do {                                                \
        if ((cc) == CURLE_OK) {                         \
            (cc) = curl_easy_setopt((c), (opt), (val)); \
        }                                               \
    } while (0)

static CURLcode set_method(CURL *c, const struct brk_http_request *req)
{
    CURLcode cc = CURLE_OK;
    const char *m = req->method != NULL ? req->method : "GET";
    bool is_post = strcmp(m, "POST") == 0;
    if (req->body_len > 0 || is_post || strcmp(m, "PUT") == 0 || strcmp(m, "PATCH") == 0) {
        SETOPT(cc, c, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)req->body_len);
        SETOPT(cc, c, CURLOPT_POSTFIELDS, req->body != NULL ? (const char *)req->body : "");
        if (!is_post) {
            SETOPT(cc, c, CURLOPT_CUSTOMREQUEST, m);
        }
    } else if (strcmp(m, "HEAD") == 0) {
        SETOPT(cc, c, CURLOPT_NOBODY, 1L);
    } else if (strcmp(m, "GET") == 0) {
        SETOPT(cc, c, CURLOPT_HTTPGET, 1L);
    } else {
        SETOPT(cc, c, CURLOPT_CUSTOMREQUEST, m);
    }
    return cc;
}

static CURLcode set_options(struct brk_http *h, const struct brk_http_request *req,
                            struct curl_slist *headers, struct xfer *x)
{
    CURL *c = h->curl;
    CURLcode cc = CURLE_OK;
    SETOPT(cc, c, CURLOPT_URL, req->url);
    SETOPT(cc, c, CURLOPT_PROTOCOLS_STR, "http,https");
    SETOPT(cc, c, CURLOPT_NOSIGNAL, 1L);
    SETOPT(cc, c, CURLOPT_FOLLOWLOCATION, 0L);
    SETOPT(cc, c, CURLOPT_TCP_KEEPALIVE, 1L);
    SETOPT(cc, c, CURLOPT_HTTP_VERSION,
           h->opts.no_http2 ? (long)CURL_HTTP_VERSION_1_1 : (long)CURL_HTTP_VERSION_2TLS);
    SETOPT(cc, c, CURLOPT_CONNECTTIMEOUT_MS, h->opts.connect_timeout_ms);
    SETOPT(cc, c, CURLOPT_TIMEOUT_MS, h->opts.total_timeout_ms);
    if (h->ca_bundle != NULL) {
        SETOPT(cc, c, CURLOPT_CAINFO, h->ca_bundle);
    }
    if (x->proxy.need_setopt) {
        SETOPT(cc, c, CURLOPT_PROXY, x->proxy.value); /* NO_PROXY was checked, curl does too */
    }
    SETOPT(cc, c, CURLOPT_ERRORBUFFER, h->errbuf);
    SETOPT(cc, c, CURLOPT_HTTPHEADER, headers);
    SETOPT(cc, c, CURLOPT_HEADERFUNCTION, header_cb);
    SETOPT(cc, c, CURLOPT_HEADERDATA, x);
    SETOPT(cc, c, CURLOPT_WRITEFUNCTION, write_cb);
    SETOPT(cc, c, CURLOPT_WRITEDATA, x);
    SETOPT(cc, c, CURLOPT_NOPROGRESS, 0L);
    SETOPT(cc, c, CURLOPT_XFERINFOFUNCTION, progress_cb);
    SETOPT(cc, c, CURLOPT_XFERINFODATA, x);
    SETOPT(cc, c, CURLOPT_PREREQFUNCTION, prereq_cb);
    SETOPT(cc, c, CURLOPT_PREREQDATA, x);
    if (brk_log_enabled()) {
        SETOPT(cc, c, CURLOPT_DEBUGFUNCTION, debug_cb);
        SETOPT(cc, c, CURLOPT_VERBOSE, 1L);
    }
    if (cc == CURLE_OK) {
        cc = set_method(c, req);
    }
    return cc;
}

static bedrock_code map_curl(CURLcode cc)
{
    switch (cc) {
    case CURLE_OK:
        return BEDROCK_OK;
    case CURLE_OPERATION_TIMEDOUT:
        return BEDROCK_E_TIMEOUT;
    case CURLE_OUT_OF_MEMORY:
        return BEDROCK_E_NOMEM;
    case CURLE_URL_MALFORMAT:
    case CURLE_UNSUPPORTED_PROTOCOL:
        return BEDROCK_E_INVALID_ARG;
    case CURLE_SSL_CONNECT_ERROR:
    case CURLE_PEER_FAILED_VERIFICATION:
    case CURLE_SSL_CERTPROBLEM:
    case CURLE_SSL_CIPHER:
    case CURLE_SSL_CACERT_BADFILE:
    case CURLE_SSL_ENGINE_NOTFOUND:
    case CURLE_SSL_ENGINE_SETFAILED:
    case CURLE_SSL_ENGINE_INITFAILED:
    case CURLE_SSL_SHUTDOWN_FAILED:
    case CURLE_SSL_CRL_BADFILE:
    case CURLE_SSL_ISSUER_ERROR:
    case CURLE_SSL_PINNEDPUBKEYNOTMATCH:
    case CURLE_SSL_INVALIDCERTSTATUS:
    case CURLE_SSL_CLIENTCERT:
    case CURLE_USE_SSL_FAILED:
        return BEDROCK_E_TLS;
    default:
        return BEDROCK_E_NETWORK;
    }
}

static bedrock_code finish(struct brk_http *h, const struct brk_http_request *req, CURLcode cc,
                           struct xfer *x, struct bedrock_error *err)
{
    struct brk_http_response *resp = x->resp;
    double total = 0, conn = 0, first = 0;
    (void)curl_easy_getinfo(h->curl, CURLINFO_TOTAL_TIME, &total);
    (void)curl_easy_getinfo(h->curl, CURLINFO_CONNECT_TIME, &conn);
    (void)curl_easy_getinfo(h->curl, CURLINFO_STARTTRANSFER_TIME, &first);
    resp->total_s = total;
    if (x->cb_rc != BEDROCK_OK) {
        bedrock_error_set(err, x->cb_rc, "transfer from %s stopped: %s", resp->host,
                          bedrock_strerror(x->cb_rc));
        return x->cb_rc;
    }
    if (x->idle_fired) {
        bedrock_error_set(err, BEDROCK_E_TIMEOUT, "no data from %s for %ld ms", resp->host,
                          x->idle_ms);
        return BEDROCK_E_TIMEOUT;
    }
    if (cc != CURLE_OK) {
        bedrock_code rc = map_curl(cc);
        const char *why = h->errbuf[0] != '\0' ? h->errbuf : curl_easy_strerror(cc);
        char via[320] = "";
        if (x->proxy.var != NULL) {
            char phost[256];
            brk_http_url_host(x->proxy.value, phost, sizeof(phost)); /* drops user:password */
            (void)snprintf(via, sizeof(via), " through proxy %s (from %s)", phost, x->proxy.var);
        }
        bedrock_error_set(err, rc, "%s %s%s: %.*s",
                          rc == BEDROCK_E_TIMEOUT ? "timed out talking to" : "cannot reach",
                          resp->host, via, (int)trim_eol(why, strlen(why)), why);
        brk_log_debug("* %s %s failed after %.3f s: %s", req->method, resp->host, total, why);
        return rc;
    }
    if (resp->status == 0) {
        long code = 0;
        (void)curl_easy_getinfo(h->curl, CURLINFO_RESPONSE_CODE, &code);
        resp->status = (int)code;
    }
    brk_log_debug(
        "* HTTP %d from %s in %.3f s (connect %.3f s, first byte %.3f s, %zu body bytes%s)",
        resp->status, resp->host, total, conn, first, resp->body.len,
        resp->streamed ? " plus streamed" : "");
    return BEDROCK_OK;
}

bedrock_code brk_http_perform(struct brk_http *h, const struct brk_http_request *req,
                              brk_http_data_fn *on_data, void *ctx, struct brk_http_response *resp,
                              struct bedrock_error *err)
{
    if (h == NULL || req == NULL || req->url == NULL || resp == NULL ||
        (req->body == NULL && req->body_len > 0)) {
        bedrock_error_set(err, BEDROCK_E_INVALID_ARG, "invalid HTTP request");
        return BEDROCK_E_INVALID_ARG;
    }
    brk_http_response_cleanup(resp);
    brk_http_url_host(req->url, resp->host, sizeof(resp->host));
    struct curl_slist *headers = NULL;
    bedrock_code rc = build_headers(req, &headers);
    if (rc != BEDROCK_OK) {
        bedrock_error_set(err, rc, "cannot build the request headers for %s", resp->host);
        return rc;
    }
    struct brk_proxy_choice proxy;
    brk_http_proxy_for(req->url, &proxy);
    struct xfer x = { resp,       on_data, ctx,   h->opts.idle_timeout_ms,
                      BEDROCK_OK, false,   false, now_ms(),
                      0,          0,       proxy };
    curl_easy_reset(h->curl);
    h->errbuf[0] = '\0';
    CURLcode cc = set_options(h, req, headers, &x);
    if (cc != CURLE_OK) {
        rc = map_curl(cc) == BEDROCK_E_NOMEM ? BEDROCK_E_NOMEM : BEDROCK_E_INTERNAL;
        bedrock_error_set(err, rc, "cannot set up the request to %s: %s", resp->host,
                          curl_easy_strerror(cc));
        goto out;
    }
    if (req->body_len > 0) {
        brk_log_debug("> (%zu body bytes, not logged)", req->body_len);
    }
    cc = curl_easy_perform(h->curl);
    rc = finish(h, req, cc, &x, err);
out:
    /* the handle keeps pointers to our header list and callbacks' state: drop them */
    (void)curl_easy_setopt(h->curl, CURLOPT_HTTPHEADER, NULL);
    free_headers_wiped(headers);
    return rc;
}
