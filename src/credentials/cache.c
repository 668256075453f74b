/*
 * credentials/cache.c - the cached provider: resolve once, reuse until `refresh_s` before
 * the expiry of temporary credentials, re-resolve on invalidate (after ExpiredToken).
 *
 * Invariants: the borrowed pointer handed out stays valid until the next get/invalidate/free;
 * when a refresh fails but the old credentials have not yet expired, the old ones are kept
 * (as the SDKs do in their advisory refresh window).
 */
#include "config.h"
#include "core/alloc.h"

#include <string.h>

#define DEFAULT_REFRESH_S 300

struct brk_creds_cache {
    struct brk_config *cfg;
    struct brk_http *http;
    struct brk_credentials creds;
    bool have;
    time_t refresh_s;
};

bedrock_code brk_creds_cache_new(struct brk_config *cfg, struct brk_http *http,
                                 struct brk_creds_cache **out)
{
    if (cfg == NULL || out == NULL) {
        return BEDROCK_E_INVALID_ARG;
    }
    struct brk_creds_cache *c = brk_calloc(1, sizeof *c);
    if (c == NULL) {
        return BEDROCK_E_NOMEM;
    }
    c->cfg = cfg;
    c->http = http;
    c->refresh_s = DEFAULT_REFRESH_S;
    *out = c;
    return BEDROCK_OK;
}

void brk_creds_cache_free(struct brk_creds_cache *c)
{
    if (c == NULL) {
        return;
    }
    brk_credentials_cleanup(&c->creds);
    brk_free(c);
}

void brk_creds_invalidate(struct brk_creds_cache *c)
{
    if (c == NULL) {
        return;
    }
    brk_credentials_cleanup(&c->creds);
    c->have = false;
}

static bool fresh(const struct brk_creds_cache *c, time_t now_s)
{
    return c->have && (c->creds.expires_at_s == 0 || now_s < c->creds.expires_at_s - c->refresh_s);
}

bedrock_code brk_creds_cache_get(struct brk_creds_cache *c, time_t now_s,
                                 const struct brk_credentials **out, struct bedrock_error *err)
{
    if (c == NULL || out == NULL) {
        return BEDROCK_E_INVALID_ARG;
    }
    if (fresh(c, now_s)) {
        *out = &c->creds;
        return BEDROCK_OK;
    }
    struct brk_credentials next;
    memset(&next, 0, sizeof next);
    bedrock_code rc = brk_creds_resolve(c->cfg, c->http, &next, err);
    if (rc != BEDROCK_OK) {
        if (c->have && now_s < c->creds.expires_at_s) {
            *out = &c->creds; /* still valid: refresh again on the next call */
            return BEDROCK_OK;
        }
        return rc;
    }
    brk_credentials_cleanup(&c->creds);
    c->creds = next;
    c->have = true;
    *out = &c->creds;
    return BEDROCK_OK;
}

void brk_creds_cache_set_refresh(struct brk_creds_cache *c, long refresh_s)
{
    if (c != NULL && refresh_s >= 0) {
        c->refresh_s = (time_t)refresh_s;
    }
}
