/*
 * cli/cmd_sign.c - `bedrockctl sign URL`: SigV4-sign a request and print what to add to it.
 *
 * Signs exactly: host (from the URL, with the port when it is not the scheme's default),
 * x-amz-date, x-amz-security-token when the credentials carry one, and every --header. The
 * URL's path is the wire path (already percent-encoded, e.g. ".../model/a%3A0/invoke").
 * stdout: one `Name: value` per line (Authorization, X-Amz-Date, X-Amz-Security-Token), or the
 * presigned URL. --verbose writes the canonical request and string to sign to stderr between
 * marker lines, to set beside what AWS returns in InvalidSignatureException.
 * Invariants: the secret key is used only by the signer and wiped with the credentials; the
 * session token is printed only on stdout, only because the request needs it (the user asked
 * for it); nothing secret reaches stderr.
 */
#include "../core/alloc.h"
#include "../core/limits.h"
#include "../core/log.h"
#include "../credentials/config.h"
#include "../crypto/sigv4.h"
#include "cli.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#define SIGN_MAX_HEADERS 64

struct sign_opts {
    const char *method;
    struct brk_strlist headers;
    const char *data;
    const char *data_file;
    const char *service;
    const char *date;
    bool presign;
    struct brk_num expires;
    bool verbose;
};

static const struct brk_opt sign_options[] = {
    BRK_OPT_STR(struct sign_opts, method, "--method", "M", "HTTP method (GET, or POST with data)"),
    BRK_OPT_LIST(struct sign_opts, headers, "--header", "'Name: value'",
                 "sign this header too (repeatable)"),
    BRK_OPT_STR(struct sign_opts, data, "--data", "S", "request body"),
    BRK_OPT_STR(struct sign_opts, data_file, "--data-file", "F", "request body from a file"),
    BRK_OPT_STR(struct sign_opts, service, "--service", "S",
                "signing name (default from the host: bedrock-runtime.* -> bedrock)"),
    BRK_OPT_STR(struct sign_opts, date, "--date", "YYYYMMDDTHHMMSSZ", "signing time (default now)"),
    BRK_OPT_FLAG(struct sign_opts, presign, "--presign", "print a presigned URL instead"),
    BRK_OPT_LONG(struct sign_opts, expires, "--expires", "N", "presigned URL lifetime (s, 900)"),
    BRK_OPT_FLAG(struct sign_opts, verbose, "--verbose",
                 "also print the canonical request and string to sign (stderr)"),
    BRK_OPT_END,
};

struct url_parts {
    char scheme[8];
    char host[300]; /* Host header value (port only when not default) */
    char hostname[300];
    char path[BRK_MAX_SMALL];
    const char *query; /* into the URL */
};

static bedrock_code parse_url(const char *url, struct url_parts *u, struct bedrock_error *err)
{
    memset(u, 0, sizeof(*u));
    const char *p = strstr(url, "://");
    if (p == NULL || (size_t)(p - url) >= sizeof(u->scheme)) {
        bedrock_error_set(err, BEDROCK_E_USAGE, "URL must start with https:// or http://: %s", url);
        return BEDROCK_E_USAGE;
    }
    memcpy(u->scheme, url, (size_t)(p - url));
    for (char *c = u->scheme; *c; c++) {
        *c = (char)(*c >= 'A' && *c <= 'Z' ? *c + 32 : *c);
    }
    const char *h = p + 3;
    size_t hl = strcspn(h, "/?#");
    const char *rest = h + hl;
    if (hl == 0 || hl >= sizeof(u->host)) {
        bedrock_error_set(err, BEDROCK_E_USAGE, "URL has no host: %s", url);
        return BEDROCK_E_USAGE;
    }
    memcpy(u->host, h, hl);
    const char *bracket = strrchr(u->host, ']');
    char *colon = strrchr(u->host, ':');
    if (colon != NULL && (bracket == NULL || colon > bracket)) {
        const char *port = colon + 1;
        bool dflt = (strcmp(u->scheme, "https") == 0 && strcmp(port, "443") == 0) ||
                    (strcmp(u->scheme, "http") == 0 && strcmp(port, "80") == 0) || *port == '\0';
        memcpy(u->hostname, u->host, (size_t)(colon - u->host));
        if (dflt) {
            *colon = '\0';
        }
    } else {
        memcpy(u->hostname, u->host, strlen(u->host));
    }
    size_t pl = strcspn(rest, "?#");
    if (pl >= sizeof(u->path)) {
        bedrock_error_set(err, BEDROCK_E_USAGE, "URL path too long");
        return BEDROCK_E_USAGE;
    }
    memcpy(u->path, rest, pl);
    if (pl == 0) {
        u->path[0] = '/';
    }
    u->query = rest[pl] == '?' ? rest + pl + 1 : NULL;
    return BEDROCK_OK;
}

static bool ends_with(const char *s, const char *suffix)
{
    size_t a = strlen(s);
    size_t b = strlen(suffix);
    return a >= b && strcasecmp(s + a - b, suffix) == 0;
}

/* "bedrock-runtime.eu-west-1.amazonaws.com" -> service "bedrock", region "eu-west-1". */
static void from_host(const char *host, char *service, size_t slen, char *region, size_t rlen)
{
    service[0] = '\0';
    region[0] = '\0';
    if (!ends_with(host, ".amazonaws.com") && !ends_with(host, ".amazonaws.com.cn") &&
        !ends_with(host, ".api.aws")) {
        return;
    }
    size_t l1 = strcspn(host, ".");
    char first[64];
    snprintf(first, sizeof(first), "%.*s", (int)(l1 < 63 ? l1 : 63), host);
    char *fips = strstr(first, "-fips");
    if (fips != NULL) {
        *fips = '\0';
    }
    snprintf(service, slen, "%s", strncmp(first, "bedrock", 7) == 0 ? "bedrock" : first);
    const char *r = host + l1 + 1;
    size_t l2 = strcspn(r, ".");
    /* a region has dashes and ends in a digit: eu-central-1 (not "amazonaws") */
    if (l2 > 0 && memchr(r, '-', l2) != NULL && r[l2 - 1] >= '0' && r[l2 - 1] <= '9') {
        snprintf(region, rlen, "%.*s", (int)l2, r);
    }
}

struct sign_input {
    struct url_parts url;
    char service[64];
    char region[64];
    time_t when;
    struct brk_header hdrs[SIGN_MAX_HEADERS];
    size_t n_hdrs;
    char *body;
    size_t body_len;
};

static bedrock_code parse_headers(const struct sign_opts *o, struct sign_input *in,
                                  struct bedrock_error *err)
{
    bool have_host = false;
    for (size_t i = 0; i < o->headers.n; i++) {
        const char *h = o->headers.items[i];
        const char *colon = strchr(h, ':');
        if (colon == NULL || colon == h || in->n_hdrs + 1 >= SIGN_MAX_HEADERS) {
            bedrock_error_set(err, BEDROCK_E_USAGE, "--header must look like 'Name: value': %s", h);
            return BEDROCK_E_USAGE;
        }
        const char *v = colon + 1;
        while (*v == ' ' || *v == '\t') {
            v++;
        }
        struct brk_header *x = &in->hdrs[in->n_hdrs++];
        x->name = h;
        x->name_len = (size_t)(colon - h);
        x->value = v;
        x->value_len = strlen(v);
        have_host = have_host || (x->name_len == 4 && strncasecmp(h, "host", 4) == 0);
    }
    if (!have_host) {
        struct brk_header *x = &in->hdrs[in->n_hdrs++];
        x->name = "Host";
        x->name_len = 4;
        x->value = in->url.host;
        x->value_len = strlen(in->url.host);
    }
    return BEDROCK_OK;
}

static bedrock_code prepare(struct brk_cli *cli, const struct sign_opts *o, const char *url,
                            struct sign_input *in, struct bedrock_error *err)
{
    bedrock_code rc = parse_url(url, &in->url, err);
    if (rc != BEDROCK_OK) {
        return rc;
    }
    char host_region[64];
    from_host(in->url.hostname, in->service, sizeof(in->service), host_region, sizeof(host_region));
    if (o->service != NULL) {
        snprintf(in->service, sizeof(in->service), "%s", o->service);
    }
    if (in->service[0] == '\0') {
        bedrock_error_set(err, BEDROCK_E_USAGE,
                          "cannot tell the service from host '%s': pass --service (e.g. bedrock, "
                          "sts)",
                          in->url.hostname);
        return BEDROCK_E_USAGE;
    }
    const char *region = cli->g.region != NULL ? cli->g.region : host_region;
    struct brk_config *cfg = NULL;
    if (region[0] == '\0' && brk_cli_get_config(cli, &cfg, err) == BEDROCK_OK) {
        region = brk_config_region(cfg) != NULL ? brk_config_region(cfg) : "";
    }
    if (region[0] == '\0') {
        bedrock_error_set(err, BEDROCK_E_NO_REGION, "no region to sign for: pass --region");
        return BEDROCK_E_NO_REGION;
    }
    snprintf(in->region, sizeof(in->region), "%s", region);
    in->when = time(NULL);
    if (o->date != NULL && brk_parse_amz_date(o->date, &in->when) != BEDROCK_OK) {
        bedrock_error_set(err, BEDROCK_E_USAGE, "--date must be YYYYMMDDTHHMMSSZ, not '%s'",
                          o->date);
        return BEDROCK_E_USAGE;
    }
    if (o->data != NULL && o->data_file != NULL) {
        bedrock_error_set(err, BEDROCK_E_USAGE, "use --data or --data-file, not both");
        return BEDROCK_E_USAGE;
    }
    if (o->data_file != NULL) {
        rc = brk_cli_read_file(o->data_file, BRK_MAX_REQUEST_BYTES, &in->body, &in->body_len, err);
        if (rc != BEDROCK_OK) {
            return rc;
        }
    }
    return parse_headers(o, in, err);
}

/* The canonical request carries the session token (x-amz-security-token, or percent-encoded in
 * a presigned query), and stderr must never show it. */
static void put_masked(FILE *f, const char *text, const char *token)
{
    const char *const secrets[] = { token };
    brk_write_masked(f, text, text != NULL ? strlen(text) : 0, secrets, 1, "<session token>");
}

static void print_result(struct brk_cli *cli, const struct sign_opts *o,
                         const struct sign_input *in, const struct brk_credentials *c,
                         const struct brk_sigv4_result *res)
{
    if (o->verbose) {
        fputs("----- canonical request -----\n", cli->err);
        put_masked(cli->err, res->canonical_request.data, c->session_token);
        fputs("\n----- end canonical request -----\n----- string to sign -----\n", cli->err);
        fputs(res->string_to_sign.data ? res->string_to_sign.data : "", cli->err);
        fputs("\n----- end string to sign -----\n", cli->err);
    }
    if (o->presign) {
        fprintf(cli->out, "%s://%s%s?%s\n", in->url.scheme, in->url.host, in->url.path,
                res->presigned_query.data ? res->presigned_query.data : "");
        return;
    }
    fprintf(cli->out, "Authorization: %s\n", res->authorization.data);
    fprintf(cli->out, "X-Amz-Date: %s\n", res->amz_date);
    if (c->session_token != NULL && c->session_token[0] != '\0') {
        fprintf(cli->out, "X-Amz-Security-Token: %s\n", c->session_token);
    }
}

static bedrock_code resolve_creds(struct brk_cli *cli, struct brk_credentials *c,
                                  struct bedrock_error *err)
{
    struct brk_config *cfg = NULL;
    bedrock_code rc = brk_cli_get_config(cli, &cfg, err);
    if (rc != BEDROCK_OK) {
        return rc;
    }
    struct brk_http *http = NULL;
    struct brk_http_options ho;
    memset(&ho, 0, sizeof(ho));
    rc = brk_http_new(&ho, &http);
    if (rc != BEDROCK_OK) {
        bedrock_error_set(err, rc, "cannot set up HTTP");
        return rc;
    }
    rc = brk_creds_resolve(cfg, http, c, err);
    brk_http_free(http);
    if (rc == BEDROCK_OK && (c->access_key_id == NULL || c->secret_access_key == NULL)) {
        bedrock_error_set(err, BEDROCK_E_CREDENTIALS,
                          "the credentials found (%s) cannot sign requests", c->source);
        rc = BEDROCK_E_CREDENTIALS;
    }
    if (rc == BEDROCK_OK) {
        brk_log_debug("sign: credentials from %s, access key id %s", c->source, c->access_key_id);
    }
    return rc;
}

static int run_sign(struct brk_cli *cli, void *vopts, int argc, const char *const *argv)
{
    (void)argc;
    const struct sign_opts *o = vopts;
    struct sign_input in;
    memset(&in, 0, sizeof(in));
    struct brk_credentials creds;
    memset(&creds, 0, sizeof(creds));
    struct brk_sigv4_result res;
    brk_sigv4_result_init(&res);
    struct bedrock_error err;
    bedrock_error_clear(&err);
    int status = 0;
    bedrock_code rc = prepare(cli, o, argv[0], &in, &err);
    if (rc == BEDROCK_OK) {
        rc = resolve_creds(cli, &creds, &err);
    }
    if (rc != BEDROCK_OK) {
        status = brk_cli_fail(cli, &err);
        goto out;
    }
    const char *body = o->data != NULL ? o->data : in.body;
    size_t body_len = o->data != NULL ? strlen(o->data) : in.body_len;
    struct brk_sigv4_request req = { o->method != NULL ? o->method
                                                       : (body != NULL ? "POST" : "GET"),
                                     in.url.path,
                                     in.url.query,
                                     in.hdrs,
                                     in.n_hdrs,
                                     body,
                                     body_len,
                                     NULL };
    struct brk_sigv4_params p;
    memset(&p, 0, sizeof(p));
    p.access_key_id = creds.access_key_id;
    p.secret_access_key = creds.secret_access_key;
    p.session_token = creds.session_token;
    p.region = in.region;
    p.service = in.service;
    p.time_s = in.when;
    p.presign = o->presign;
    p.expires_s = o->expires.set ? o->expires.l : 0;
    rc = brk_sigv4_sign(&req, &p, &res);
    if (rc != BEDROCK_OK) {
        bedrock_error_set(&err, rc,
                          "cannot sign: %s (check --header names and --expires, "
                          "1..604800)",
                          bedrock_strerror(rc));
        status = brk_cli_fail(cli, &err);
        goto out;
    }
    brk_log_debug("sign: service %s, region %s, signed headers %s", in.service, in.region,
                  res.signed_headers.data ? res.signed_headers.data : "");
    if (brk_log_enabled()) {
        fputs("debug: sign: canonical request:\n", stderr);
        put_masked(stderr, res.canonical_request.data, creds.session_token);
        fputc('\n', stderr);
    }
    print_result(cli, o, &in, &creds, &res);
out:
    brk_sigv4_result_cleanup(&res);
    brk_credentials_cleanup(&creds);
    brk_free(in.body);
    return status;
}

const struct brk_cli_command brk_cmd_sign = {
    .name = "sign",
    .summary = "SigV4-sign a request and print the headers (or presigned URL) to send",
    .usage = "[--method M] [--header 'Name: value']... [--data S | --data-file F] "
             "[--service S] [--region R] [--date YYYYMMDDTHHMMSSZ] [--presign [--expires N]] "
             "[--verbose] URL",
    .description =
        "Signs host (with the port when not the default), x-amz-date, x-amz-security-token\n"
        "when the credentials have one, and each --header. The URL's path is sent as is, so\n"
        "write it percent-encoded (a model id 'a:0' is 'a%3A0'). Prints one 'Name: value' per\n"
        "line, ready for curl -H @file, e.g.\n"
        "  bedrockctl sign --data \"$BODY\" URL > h.txt && curl -H @h.txt --data \"$BODY\" URL\n"
        "The service is taken from the host (bedrock-runtime.* and bedrock.* -> bedrock,\n"
        "sts.* -> sts, ...) unless --service is given; the region from --region, the host, or\n"
        "your configuration. --verbose prints the canonical request and string to sign on\n"
        "stderr, to compare with the ones in an InvalidSignatureException message (the\n"
        "session token's value shows as <session token> there).\n"
        "The secret key is never printed; the session token is, in X-Amz-Security-Token,\n"
        "because the request needs it.",
    .opts = sign_options,
    .opts_size = sizeof(struct sign_opts),
    .run = run_sign,
    .min_args = 1,
    .max_args = 1,
};
