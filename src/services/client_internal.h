/*
 * services/client_internal.h - the layout of struct bedrock_client, private to src/services.
 * Invariants: cfg, http and cache are non-NULL after bedrock_client_new; extra headers (tests
 * only) are owned copies; the bearer token is a secret (wiped on free) and never logged.
 */
#ifndef BRK_SERVICES_CLIENT_INTERNAL_H
#define BRK_SERVICES_CLIENT_INTERNAL_H

#include "call.h"

#include <string.h>

#define BRK_CLIENT_MAX_EXTRA 8
/* A header from a literal name and a NUL-terminated value. */
#define BRK_HDR(lit, value)  ((struct brk_header){ (lit), sizeof(lit) - 1, (value), strlen(value) })

struct bedrock_client {
    struct brk_config *cfg;
    struct brk_http *http;
    struct brk_creds_cache *cache;
    int max_attempts;
    bool auto_profile;
    bool explicit_keys; /* access keys were given in the options */
    char *bearer_token; /* options, else AWS_BEARER_TOKEN_BEDROCK (secret) */
    long read_timeout_ms;
    struct brk_header extra[BRK_CLIENT_MAX_EXTRA];
    size_t n_extra;
    int last_attempts;     /* attempts made by the last brk_call */
    char cred_source[128]; /* source of the last credentials used */
};

#endif
