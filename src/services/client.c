/*
 * services/client.c - bedrock_client: configuration, one HTTP handle, the credential cache,
 * retry settings; accessors for what was resolved and where it came from.
 * Invariants: a client that bedrock_client_new returned is complete; free tolerates NULL and
 * wipes the bearer token.
 */
#include "client_internal.h"
#include "core/alloc.h"
#include "core/limits.h"
#include "core/log.h"

#include <bedrock/runtime.h>

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static int attempts_from(const struct bedrock_client_options *o, const struct brk_config *cfg)
{
    if (o->max_attempts > 0) {
        return o->max_attempts;
    }
    const char *env = brk_config_getenv(cfg, "AWS_MAX_ATTEMPTS");
    if (env == NULL) {
        env = brk_config_profile_value(cfg, "max_attempts");
    }
    if (env != NULL) {
        char *end = NULL;
        errno = 0;
        long v = strtol(env, &end, 10);
        if (errno == 0 && end != env && *end == '\0' && v >= 1 && v <= 20) {
            return (int)v;
        }
    }
    return 3;
}

static bedrock_code setup(struct bedrock_client *c, const struct bedrock_client_options *o,
                          struct bedrock_error *err)
{
    struct brk_config_options co = { o->profile,           o->region,        o->endpoint_url,
                                     o->env_file,          o->no_dotenv,     o->access_key_id,
                                     o->secret_access_key, o->session_token, o->bearer_token };
    bedrock_code rc = brk_config_load(&co, &c->cfg, err);
    if (rc != BEDROCK_OK) {
        return rc;
    }
    struct brk_http_options ho = { 0 };
    ho.connect_timeout_ms = o->connect_timeout_ms > 0 ? o->connect_timeout_ms : 10000;
    ho.idle_timeout_ms = o->read_timeout_ms > 0 ? o->read_timeout_ms : 300000;
    ho.total_timeout_ms = o->total_timeout_ms > 0 ? o->total_timeout_ms : 0;
    ho.ca_bundle = brk_config_getenv(c->cfg, "AWS_CA_BUNDLE");
    c->read_timeout_ms = ho.idle_timeout_ms;
    rc = brk_http_new(&ho, &c->http);
    if (rc != BEDROCK_OK) {
        bedrock_error_set(err, rc, "could not set up the HTTP client");
        return rc;
    }
    rc = brk_creds_cache_new(c->cfg, c->http, &c->cache);
    if (rc != BEDROCK_OK) {
        bedrock_error_set(err, rc, "could not set up the credential cache");
        return rc;
    }
    const char *bearer = o->bearer_token;
    if (bearer == NULL || bearer[0] == '\0') {
        bearer = brk_config_getenv(c->cfg, "AWS_BEARER_TOKEN_BEDROCK");
    }
    if (bearer != NULL && bearer[0] != '\0') {
        c->bearer_token = brk_strdup(bearer);
        if (c->bearer_token == NULL) {
            bedrock_error_set(err, BEDROCK_E_NOMEM, NULL);
            return BEDROCK_E_NOMEM;
        }
    }
    c->explicit_keys = o->access_key_id != NULL && o->access_key_id[0] != '\0';
    c->max_attempts = attempts_from(o, c->cfg);
    return BEDROCK_OK;
}

bedrock_code bedrock_client_new(const struct bedrock_client_options *opts,
                                struct bedrock_client **out, struct bedrock_error *err)
{
    static const struct bedrock_client_options defaults;
    if (out == NULL) {
        bedrock_error_set(err, BEDROCK_E_INVALID_ARG, "bedrock_client_new: out is NULL");
        return BEDROCK_E_INVALID_ARG;
    }
    struct bedrock_client *c = brk_calloc(1, sizeof(*c));
    if (c == NULL) {
        bedrock_error_set(err, BEDROCK_E_NOMEM, NULL);
        return BEDROCK_E_NOMEM;
    }
    bedrock_code rc = setup(c, opts != NULL ? opts : &defaults, err);
    if (rc != BEDROCK_OK) {
        bedrock_client_free(c);
        return rc;
    }
    *out = c;
    return BEDROCK_OK;
}

void bedrock_client_free(struct bedrock_client *client)
{
    if (client == NULL) {
        return;
    }
    brk_creds_cache_free(client->cache);
    brk_http_free(client->http);
    brk_config_free(client->cfg);
    brk_secret_free(client->bearer_token);
    for (size_t i = 0; i < client->n_extra; i++) {
        brk_free((void *)(uintptr_t)client->extra[i].name);
        brk_free((void *)(uintptr_t)client->extra[i].value);
    }
    brk_free(client);
}

const char *bedrock_client_region(const struct bedrock_client *client)
{
    return brk_config_region(client->cfg);
}

const char *bedrock_client_region_source(const struct bedrock_client *client)
{
    return brk_config_region_source(client->cfg);
}

const char *bedrock_client_profile(const struct bedrock_client *client)
{
    return brk_config_profile(client->cfg);
}

const char *bedrock_client_profile_source(const struct bedrock_client *client)
{
    return brk_config_profile_source(client->cfg);
}

bedrock_code bedrock_client_credential_source(struct bedrock_client *client, char *buf,
                                              size_t buflen, struct bedrock_error *err)
{
    const struct brk_credentials *cr = NULL;
    bedrock_code rc = brk_client_credentials(client, &cr, err);
    if (rc == BEDROCK_E_NO_CREDENTIALS && client->bearer_token != NULL) {
        snprintf(buf, buflen, "bearer token (Bedrock API key)");
        bedrock_error_clear(err);
        return BEDROCK_OK;
    }
    if (rc != BEDROCK_OK) {
        return rc;
    }
    snprintf(buf, buflen, "%s", cr->source);
    return BEDROCK_OK;
}

bedrock_code bedrock_client_endpoint(struct bedrock_client *client, const char *service_id,
                                     char *buf, size_t buflen, const char **source,
                                     struct bedrock_error *err)
{
    struct brk_buf url = BRK_BUF(BRK_MAX_URL_BYTES);
    const char *src = NULL;
    bedrock_code rc = brk_config_endpoint(client->cfg, service_id, &url, &src, err);
    if (rc == BEDROCK_OK) {
        snprintf(buf, buflen, "%s", url.data != NULL ? url.data : "");
        if (source != NULL) {
            *source = src;
        }
    }
    brk_buf_cleanup(&url);
    return rc;
}

void bedrock_set_debug(int level)
{
    brk_log_set_level(level);
}

void bedrock_free(void *p)
{
    brk_free(p);
}

void bedrock_client_set_auto_profile(struct bedrock_client *client, bool on)
{
    client->auto_profile = on;
}

struct brk_config *brk_client_config(struct bedrock_client *client)
{
    return client->cfg;
}

struct brk_http *brk_client_http(struct bedrock_client *client)
{
    return client->http;
}

bedrock_code brk_client_credentials(struct bedrock_client *client,
                                    const struct brk_credentials **out, struct bedrock_error *err)
{
    return brk_creds_cache_get(client->cache, time(NULL), out, err);
}

int brk_client_last_attempts(const struct bedrock_client *client)
{
    return client->last_attempts;
}

static bedrock_code set_extra(struct brk_header *h, const char *name, const char *value)
{
    char *n = brk_strdup(name);
    char *v = brk_strdup(value);
    if (n == NULL || v == NULL) {
        brk_free(n);
        brk_free(v);
        return BEDROCK_E_NOMEM;
    }
    brk_free((void *)(uintptr_t)h->name);
    brk_free((void *)(uintptr_t)h->value);
    *h = (struct brk_header){ n, strlen(n), v, strlen(v) };
    return BEDROCK_OK;
}

bedrock_code brk_client_set_extra_header(struct bedrock_client *client, const char *name,
                                         const char *value)
{
    size_t i = 0;
    while (i < client->n_extra && strcasecmp(client->extra[i].name, name) != 0) {
        i++;
    }
    if (value == NULL) {
        if (i < client->n_extra) {
            brk_free((void *)(uintptr_t)client->extra[i].name);
            brk_free((void *)(uintptr_t)client->extra[i].value);
            client->extra[i] = client->extra[--client->n_extra];
        }
        return BEDROCK_OK;
    }
    if (i == client->n_extra) {
        if (client->n_extra == BRK_CLIENT_MAX_EXTRA) {
            return BEDROCK_E_LIMIT;
        }
        client->extra[i] = (struct brk_header){ NULL, 0, NULL, 0 };
        client->n_extra++;
    }
    bedrock_code rc = set_extra(&client->extra[i], name, value);
    if (rc != BEDROCK_OK && client->extra[i].name == NULL) {
        client->n_extra--;
    }
    return rc;
}
