/*
 * credentials/creds.c - struct brk_credentials helpers and the chain itself.
 *
 * Chain (first match wins): explicit options, environment, .env, environment web identity,
 * shared files of the profile, container endpoint, EC2 IMDSv2. A provider answers OK (done),
 * E_NO_CREDENTIALS (not configured there: try the next) or any other code (configured but
 * broken: stop, so a typo never silently falls through to another identity).
 * A Bedrock bearer token (explicit, AWS_BEARER_TOKEN_BEDROCK in env or .env) is attached to
 * whatever SigV4 credentials are found; alone it is a valid result.
 * Invariants: secrets never reach err; *out is written only on success.
 */
#include "config.h"
#include "core/alloc.h"
#include "creds_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void brk_credentials_cleanup(struct brk_credentials *c)
{
    if (c == NULL) {
        return;
    }
    brk_free(c->access_key_id);
    brk_secret_free(c->secret_access_key);
    brk_secret_free(c->session_token);
    brk_secret_free(c->bearer_token);
    brk_free(c->account_id);
    memset(c, 0, sizeof *c);
}

bedrock_code brk_creds_set(char **field, const char *s)
{
    if (s == NULL) {
        *field = NULL;
        return BEDROCK_OK;
    }
    *field = brk_strdup(s);
    return *field == NULL ? BEDROCK_E_NOMEM : BEDROCK_OK;
}

bedrock_code brk_credentials_copy(struct brk_credentials *dst, const struct brk_credentials *src)
{
    struct brk_credentials c;
    memset(&c, 0, sizeof c);
    bedrock_code rc = brk_creds_set(&c.access_key_id, src->access_key_id);
    if (rc == BEDROCK_OK) {
        rc = brk_creds_set(&c.secret_access_key, src->secret_access_key);
    }
    if (rc == BEDROCK_OK) {
        rc = brk_creds_set(&c.session_token, src->session_token);
    }
    if (rc == BEDROCK_OK) {
        rc = brk_creds_set(&c.bearer_token, src->bearer_token);
    }
    if (rc == BEDROCK_OK) {
        rc = brk_creds_set(&c.account_id, src->account_id);
    }
    if (rc != BEDROCK_OK) {
        brk_credentials_cleanup(&c);
        return rc;
    }
    c.expires_at_s = src->expires_at_s;
    memcpy(c.source, src->source, sizeof c.source);
    *dst = c;
    return BEDROCK_OK;
}

static bool has_ws(const char *s)
{
    return s != NULL && strpbrk(s, " \t\r\n") != NULL;
}

bool brk_credentials_has_whitespace(const struct brk_credentials *c)
{
    return c != NULL &&
           (has_ws(c->access_key_id) || has_ws(c->secret_access_key) || has_ws(c->session_token));
}

/* Keys from a name -> value lookup (environment, .env, explicit). */
static bedrock_code keys_from(const char *akid, const char *secret, const char *token,
                              const char *where, struct brk_credentials *out,
                              struct bedrock_error *err)
{
    if (akid == NULL && secret == NULL) {
        return BEDROCK_E_NO_CREDENTIALS;
    }
    if (akid == NULL || secret == NULL) {
        bedrock_error_set(err, BEDROCK_E_CREDENTIALS, "%s has %s but not %s", where,
                          akid != NULL ? "an access key id" : "a secret access key",
                          akid != NULL ? "a secret access key" : "an access key id");
        bedrock_error_hint(err, "set both AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY");
        return BEDROCK_E_CREDENTIALS;
    }
    struct brk_credentials c;
    memset(&c, 0, sizeof c);
    bedrock_code rc = brk_creds_set(&c.access_key_id, akid);
    if (rc == BEDROCK_OK) {
        rc = brk_creds_set(&c.secret_access_key, secret);
    }
    if (rc == BEDROCK_OK && token != NULL && *token != '\0') {
        rc = brk_creds_set(&c.session_token, token);
    }
    if (rc != BEDROCK_OK) {
        brk_credentials_cleanup(&c);
        return rc;
    }
    (void)snprintf(c.source, sizeof c.source, "%s", where);
    *out = c;
    return BEDROCK_OK;
}

static const char *env_ne(const char *name)
{
    const char *v = getenv(name);
    return v != NULL && *v != '\0' ? v : NULL;
}

bedrock_code brk_creds_from_env(struct brk_credentials *out, struct bedrock_error *err)
{
    const char *token = env_ne("AWS_SESSION_TOKEN");
    if (token == NULL) {
        token = env_ne("AWS_SECURITY_TOKEN");
    }
    return keys_from(env_ne("AWS_ACCESS_KEY_ID"), env_ne("AWS_SECRET_ACCESS_KEY"), token,
                     "environment", out, err);
}

static bedrock_code from_explicit(struct brk_config *cfg, struct brk_credentials *out,
                                  struct bedrock_error *err)
{
    const char *akid, *secret, *token, *bearer;
    brk_config_explicit(cfg, &akid, &secret, &token, &bearer);
    return keys_from(akid, secret, token, "explicit", out, err);
}

static bedrock_code from_dotenv(struct brk_config *cfg, struct brk_credentials *out,
                                struct bedrock_error *err)
{
    const char *path = brk_config_dotenv_path(cfg);
    if (path == NULL) {
        return BEDROCK_E_NO_CREDENTIALS;
    }
    char where[128];
    (void)snprintf(where, sizeof where, "env-file %s", path);
    const char *token = brk_config_dotenv_value(cfg, "AWS_SESSION_TOKEN");
    bedrock_code rc =
        keys_from(brk_config_dotenv_value(cfg, "AWS_ACCESS_KEY_ID"),
                  brk_config_dotenv_value(cfg, "AWS_SECRET_ACCESS_KEY"), token, where, out, err);
    const char *account = brk_config_dotenv_value(cfg, "AWS_ACCOUNT_ID");
    if (rc == BEDROCK_OK && account != NULL) {
        rc = brk_creds_set(&out->account_id, account);
        if (rc != BEDROCK_OK) {
            brk_credentials_cleanup(out);
        }
    }
    return rc;
}

static bedrock_code from_container_if_set(struct brk_config *cfg, struct brk_http *http,
                                          struct brk_credentials *out, struct bedrock_error *err)
{
    (void)http;
    return brk_creds_from_container(cfg, out, err);
}

static bedrock_code from_imds_if_enabled(struct brk_config *cfg, struct brk_http *http,
                                         struct brk_credentials *out, struct bedrock_error *err)
{
    (void)http;
    const char *off = brk_config_getenv(cfg, "AWS_EC2_METADATA_DISABLED");
    if (off != NULL && strcmp(off, "true") == 0) {
        return BEDROCK_E_NO_CREDENTIALS;
    }
    return brk_creds_from_imds(cfg, out, err);
}

typedef bedrock_code provider_fn(struct brk_config *cfg, struct brk_http *http,
                                 struct brk_credentials *out, struct bedrock_error *err);

static bedrock_code p_explicit(struct brk_config *cfg, struct brk_http *http,
                               struct brk_credentials *out, struct bedrock_error *err)
{
    (void)http;
    return from_explicit(cfg, out, err);
}

static bedrock_code p_env(struct brk_config *cfg, struct brk_http *http,
                          struct brk_credentials *out, struct bedrock_error *err)
{
    (void)cfg;
    (void)http;
    return brk_creds_from_env(out, err);
}

static bedrock_code p_dotenv(struct brk_config *cfg, struct brk_http *http,
                             struct brk_credentials *out, struct bedrock_error *err)
{
    (void)http;
    return from_dotenv(cfg, out, err);
}

static const struct {
    const char *name;
    provider_fn *fn;
} chain[] = {
    { "explicit options", p_explicit },
    { "environment (AWS_ACCESS_KEY_ID)", p_env },
    { ".env file", p_dotenv },
    { "web identity (AWS_WEB_IDENTITY_TOKEN_FILE)", brk_creds_from_env_web_identity },
    { "shared config/credentials files", brk_creds_from_profile },
    { "container credentials", from_container_if_set },
    { "EC2 instance metadata", from_imds_if_enabled },
};

static const char *find_bearer(struct brk_config *cfg)
{
    const char *akid, *secret, *token, *bearer;
    brk_config_explicit(cfg, &akid, &secret, &token, &bearer);
    return bearer != NULL ? bearer : brk_config_getenv(cfg, "AWS_BEARER_TOKEN_BEDROCK");
}

static bedrock_code bearer_only(const char *bearer, struct brk_credentials *c)
{
    memset(c, 0, sizeof *c);
    (void)snprintf(c->source, sizeof c->source, "bearer token (AWS_BEARER_TOKEN_BEDROCK)");
    return brk_creds_set(&c->bearer_token, bearer);
}

bedrock_code brk_creds_resolve(struct brk_config *cfg, struct brk_http *http,
                               struct brk_credentials *out, struct bedrock_error *err)
{
    if (cfg == NULL || out == NULL) {
        return BEDROCK_E_INVALID_ARG;
    }
    const char *bearer = find_bearer(cfg);
    struct brk_credentials c;
    memset(&c, 0, sizeof c);
    bedrock_code rc = BEDROCK_E_NO_CREDENTIALS;
    for (size_t i = 0; i < sizeof chain / sizeof chain[0] && rc == BEDROCK_E_NO_CREDENTIALS; i++) {
        rc = chain[i].fn(cfg, http, &c, err);
    }
    if (rc == BEDROCK_E_NO_CREDENTIALS && bearer != NULL) {
        rc = bearer_only(bearer, &c);
    } else if (rc == BEDROCK_OK && bearer != NULL) {
        rc = brk_creds_set(&c.bearer_token, bearer);
    }
    if (rc == BEDROCK_E_NO_CREDENTIALS) {
        bedrock_error_set(err, rc,
                          "no credentials found; tried: explicit options, environment, .env file, "
                          "web identity, profile '%.100s' in %s and %s, container endpoint, "
                          "EC2 instance metadata",
                          brk_config_profile(cfg), brk_config_file_display(cfg, BRK_CFG_CONFIG),
                          brk_config_file_display(cfg, BRK_CFG_CREDENTIALS));
        bedrock_error_hint(err, "set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, put them in "
                                "./.env, or run `aws configure`");
    }
    if (rc != BEDROCK_OK) {
        if (rc == BEDROCK_E_NOMEM) {
            bedrock_error_set(err, rc, "out of memory resolving credentials");
        }
        brk_credentials_cleanup(&c);
        return rc;
    }
    *out = c;
    return BEDROCK_OK;
}
