/*
 * credentials/metadata.c - credentials from the ECS/EKS container endpoint and EC2 IMDSv2.
 *
 * Container: AWS_CONTAINER_CREDENTIALS_RELATIVE_URI -> GET http://169.254.170.2<uri>, or
 * AWS_CONTAINER_CREDENTIALS_FULL_URI (http only to loopback or the ECS/EKS link-local hosts),
 * Authorization from AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE, else _TOKEN.
 * IMDSv2: PUT /latest/api/token (X-aws-ec2-metadata-token-ttl-seconds: 21600), then with
 * X-aws-ec2-metadata-token: GET /latest/meta-data/iam/security-credentials/ (role name) and
 * GET .../<role> (JSON). Endpoint AWS_EC2_METADATA_SERVICE_ENDPOINT, else 169.254.169.254.
 * Timeouts 1 s (container 2 s), one retry. Not on EC2 (no answer) = E_NO_CREDENTIALS.
 * Invariants: tokens and answers are secret buffers; a token holding CR/LF is refused.
 */
#include "config.h"
#include "core/alloc.h"
#include "core/fileio.h"
#include "core/limits.h"
#include "creds_internal.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

#define META_MAX (64u * 1024u)

static bedrock_code meta_http(long timeout_ms, struct brk_http **out)
{
    struct brk_http_options o;
    memset(&o, 0, sizeof o);
    o.connect_timeout_ms = timeout_ms;
    o.total_timeout_ms = timeout_ms;
    o.idle_timeout_ms = timeout_ms;
    o.no_http2 = true;
    return brk_http_new(&o, out);
}

/* One request, retried once on a transport failure or 5xx. Body copied into out (secret). */
static bedrock_code fetch(struct brk_http *h, const char *method, const char *url,
                          const struct brk_header *hdr, size_t nh, int *status, struct brk_buf *out,
                          struct bedrock_error *err)
{
    bedrock_code rc = BEDROCK_OK;
    for (int attempt = 0; attempt < 2; attempt++) {
        struct brk_http_response resp;
        brk_http_response_init(&resp);
        resp.body.secret = true;
        resp.body.max = META_MAX;
        struct brk_http_request req = { method, url, hdr, nh, NULL, 0 };
        rc = brk_http_perform(h, &req, NULL, NULL, &resp, err);
        if (rc == BEDROCK_OK) {
            *status = resp.status;
            rc = brk_buf_set(out, resp.body.data != NULL ? resp.body.data : "", resp.body.len);
        }
        bool again = rc == BEDROCK_E_NETWORK || rc == BEDROCK_E_TIMEOUT ||
                     (rc == BEDROCK_OK && *status >= 500);
        brk_http_response_cleanup(&resp);
        if (!again) {
            break;
        }
    }
    return rc;
}

static bool clean_header_value(const char *v)
{
    return strpbrk(v, "\r\n") == NULL;
}

/* http:// allowed only to loopback and the ECS/EKS link-local endpoints. */
static bool full_uri_allowed(const char *uri)
{
    if (strncasecmp(uri, "https://", 8) == 0) {
        return true;
    }
    if (strncasecmp(uri, "http://", 7) != 0) {
        return false;
    }
    const char *h = uri + 7;
    size_t n = strcspn(h, ":/?#");
    if (h[0] == '[') {
        n = strcspn(h, "]") + 1;
    }
    static const char *const ok[] = { "localhost", "[::1]", "169.254.170.2", "169.254.170.23",
                                      "[fd00:ec2::23]" };
    for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++) {
        if (strlen(ok[i]) == n && strncasecmp(h, ok[i], n) == 0) {
            return true;
        }
    }
    return n > 4 && strncmp(h, "127.", 4) == 0;
}

static bedrock_code container_token(struct brk_config *cfg, struct brk_buf *tok,
                                    struct bedrock_error *err)
{
    const char *file = brk_config_getenv(cfg, "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE");
    const char *val = brk_config_getenv(cfg, "AWS_CONTAINER_AUTHORIZATION_TOKEN");
    bedrock_code rc = BEDROCK_OK;
    if (file != NULL) {
        rc = brk_creds_read_token_file(file, tok, err);
    } else if (val != NULL) {
        rc = brk_buf_set(tok, val, strlen(val));
    }
    if (rc == BEDROCK_OK && tok->data != NULL && !clean_header_value(tok->data)) {
        bedrock_error_set(err, BEDROCK_E_CREDENTIALS,
                          "the container authorization token holds a line break");
        rc = BEDROCK_E_CREDENTIALS;
    }
    return rc;
}

static bedrock_code container_url(struct brk_config *cfg, struct brk_buf *url,
                                  struct bedrock_error *err)
{
    const char *rel = brk_config_getenv(cfg, "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI");
    const char *full = brk_config_getenv(cfg, "AWS_CONTAINER_CREDENTIALS_FULL_URI");
    if (rel != NULL) {
        return brk_buf_appendf(url, "http://169.254.170.2%s", rel);
    }
    if (full == NULL) {
        return BEDROCK_E_NO_CREDENTIALS;
    }
    if (!full_uri_allowed(full)) {
        bedrock_error_set(err, BEDROCK_E_CREDENTIALS,
                          "AWS_CONTAINER_CREDENTIALS_FULL_URI must be https, or http to a "
                          "loopback or the ECS/EKS credentials host");
        return BEDROCK_E_CREDENTIALS;
    }
    return brk_buf_set(url, full, strlen(full));
}

bedrock_code brk_creds_from_container(struct brk_config *cfg, struct brk_credentials *out,
                                      struct bedrock_error *err)
{
    struct brk_buf url = BRK_BUF(BRK_MAX_URL_BYTES);
    struct brk_buf tok = BRK_SECRET_BUF(16u * 1024u);
    struct brk_buf body = BRK_SECRET_BUF(META_MAX);
    struct brk_http *h = NULL;
    int status = 0;
    bedrock_code rc = container_url(cfg, &url, err);
    if (rc == BEDROCK_OK) {
        rc = container_token(cfg, &tok, err);
    }
    if (rc == BEDROCK_OK) {
        rc = meta_http(2000, &h);
    }
    if (rc == BEDROCK_OK) {
        struct brk_header hd = { "Authorization", 13, tok.data, tok.len };
        rc = fetch(h, "GET", url.data, &hd, tok.data != NULL ? 1 : 0, &status, &body, err);
    }
    if (rc == BEDROCK_OK && status != 200) {
        bedrock_error_set(err, BEDROCK_E_CREDENTIALS,
                          "container credentials endpoint answered HTTP %d", status);
        if (err != NULL) {
            err->http_status = status;
        }
        rc = BEDROCK_E_CREDENTIALS;
    } else if (rc == BEDROCK_OK) {
        rc = brk_creds_parse_json(body.data, body.len, "container", false, out, err);
    } else if (rc != BEDROCK_E_NO_CREDENTIALS && rc != BEDROCK_E_CREDENTIALS) {
        bedrock_error_set(err, BEDROCK_E_CREDENTIALS,
                          "container credentials endpoint %.200s unreachable (%s)", url.data,
                          bedrock_code_name(rc));
        rc = BEDROCK_E_CREDENTIALS;
    }
    brk_http_free(h);
    brk_buf_cleanup(&body);
    brk_buf_cleanup(&tok);
    brk_buf_cleanup(&url);
    return rc;
}

static bedrock_code imds_get(struct brk_http *h, const char *base, const char *path,
                             const char *token, struct brk_buf *body, struct bedrock_error *err)
{
    char url[1024];
    (void)snprintf(url, sizeof url, "%s%s", base, path);
    struct brk_header hd = { "X-aws-ec2-metadata-token", 24, token, strlen(token) };
    int status = 0;
    bedrock_code rc = fetch(h, "GET", url, &hd, 1, &status, body, err);
    if (rc == BEDROCK_OK && status != 200) {
        bedrock_error_set(err, BEDROCK_E_CREDENTIALS, "IMDS answered HTTP %d for %s", status, path);
        rc = BEDROCK_E_CREDENTIALS;
    }
    return rc;
}

static bedrock_code imds_token(struct brk_http *h, const char *base, struct brk_buf *tok,
                               struct bedrock_error *err)
{
    char url[1024];
    (void)snprintf(url, sizeof url, "%s/latest/api/token", base);
    struct brk_header hd = { "X-aws-ec2-metadata-token-ttl-seconds", 36, "21600", 5 };
    int status = 0;
    bedrock_code rc = fetch(h, "PUT", url, &hd, 1, &status, tok, err);
    if (rc != BEDROCK_OK) {
        return BEDROCK_E_NO_CREDENTIALS; /* nobody there: not on EC2 */
    }
    if (status != 200 || tok->len == 0 || !clean_header_value(tok->data)) {
        bedrock_error_set(err, BEDROCK_E_CREDENTIALS, "IMDS refused a session token (HTTP %d)",
                          status);
        return BEDROCK_E_CREDENTIALS;
    }
    return BEDROCK_OK;
}

static bedrock_code imds_role(struct brk_http *h, const char *base, const char *token, char *role,
                              size_t rolelen, struct bedrock_error *err)
{
    struct brk_buf body = BRK_BUF(META_MAX);
    bedrock_code rc =
        imds_get(h, base, "/latest/meta-data/iam/security-credentials/", token, &body, err);
    if (rc == BEDROCK_OK) {
        size_t n = strcspn(body.data, "\r\n");
        if (n == 0 || n >= rolelen || memchr(body.data, '/', n) != NULL) {
            bedrock_error_set(err, BEDROCK_E_CREDENTIALS,
                              "IMDS: the instance has no usable IAM role attached");
            rc = BEDROCK_E_CREDENTIALS;
        } else {
            memcpy(role, body.data, n);
            role[n] = '\0';
        }
    }
    brk_buf_cleanup(&body);
    return rc;
}

bedrock_code brk_creds_from_imds(struct brk_config *cfg, struct brk_credentials *out,
                                 struct bedrock_error *err)
{
    const char *base = brk_config_getenv(cfg, "AWS_EC2_METADATA_SERVICE_ENDPOINT");
    char basebuf[512];
    (void)snprintf(basebuf, sizeof basebuf, "%s", base != NULL ? base : "http://169.254.169.254");
    size_t bl = strlen(basebuf);
    while (bl > 0 && basebuf[bl - 1] == '/') {
        basebuf[--bl] = '\0';
    }
    struct brk_buf tok = BRK_SECRET_BUF(BRK_MAX_SMALL);
    struct brk_buf body = BRK_SECRET_BUF(META_MAX);
    struct brk_http *h = NULL;
    char role[256];
    char path[400];
    bedrock_code rc = meta_http(1000, &h);
    if (rc == BEDROCK_OK) {
        rc = imds_token(h, basebuf, &tok, err);
    }
    if (rc == BEDROCK_OK) {
        rc = imds_role(h, basebuf, tok.data, role, sizeof role, err);
    }
    if (rc == BEDROCK_OK) {
        (void)snprintf(path, sizeof path, "/latest/meta-data/iam/security-credentials/%s", role);
        rc = imds_get(h, basebuf, path, tok.data, &body, err);
    }
    if (rc == BEDROCK_OK) {
        rc = brk_creds_parse_json(body.data, body.len, "imds", false, out, err);
    }
    brk_http_free(h);
    brk_buf_cleanup(&body);
    brk_buf_cleanup(&tok);
    return rc;
}
