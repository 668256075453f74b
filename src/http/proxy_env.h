/*
 * http/proxy_env.h - which proxy the environment selects for a URL, the way libcurl does.
 *
 * libcurl reads https_proxy/HTTPS_PROXY, all_proxy/ALL_PROXY and no_proxy/NO_PROXY itself, but
 * for http:// it reads only lowercase http_proxy. The AWS CLI and SDKs also honour uppercase
 * HTTP_PROXY, so the transport adds that fallback (unless REQUEST_METHOD is set, i.e. a CGI
 * program, where HTTP_PROXY may come from a request header: "httpoxy"), as Python and Go do.
 * The answer is also used to name the proxy in connection errors. Never returns userinfo.
 */
#ifndef BRK_HTTP_PROXY_ENV_H
#define BRK_HTTP_PROXY_ENV_H

#include <stdbool.h>
#include <stddef.h>

struct brk_proxy_choice {
    const char *value; /* the variable's value (may hold user:password; never print it) */
    const char *var;   /* the variable's name, e.g. "HTTPS_PROXY"; NULL when no proxy */
    bool need_setopt;  /* libcurl would not find it by itself (uppercase HTTP_PROXY) */
};

/* The proxy the environment selects for url, after NO_PROXY; var == NULL when none. */
void brk_http_proxy_for(const char *url, struct brk_proxy_choice *out);

/* true when host (no brackets, no port) matches the NO_PROXY list (libcurl's rules). */
bool brk_http_noproxy_match(const char *host, const char *no_proxy);

#endif
