/*
 * http/proxy_env.c - the proxy the environment selects for a URL, mirroring libcurl 7.88+
 * (lib/url.c detect_proxy, lib/noproxy.c): <scheme>_proxy, then <SCHEME>_PROXY except for http,
 * then all_proxy, ALL_PROXY; a set-but-empty variable means "no proxy"; no_proxy / NO_PROXY
 * ("*", or host names matching exactly or as a domain suffix, or IPv4/IPv6 addresses with an
 * optional /bits) wins over all. Added on top: uppercase HTTP_PROXY for http:// when
 * http_proxy is unset and REQUEST_METHOD is not (CGI "httpoxy" guard, as Python and Go do).
 *
 * Invariants: pure lookups, no allocation; the result points into the environment.
 */
#include "proxy_env.h"

#include <arpa/inet.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define BRK_PROXY_HOST_MAX 256

/* Compare the first `bits` bits of two addresses of len bytes. */
static bool prefix_eq(const unsigned char *a, const unsigned char *b, size_t len, long bits)
{
    long full = bits / 8, rest = bits % 8;
    if (bits < 0 || (size_t)full > len || ((size_t)full == len && rest != 0)) {
        return false;
    }
    if (memcmp(a, b, (size_t)full) != 0) {
        return false;
    }
    if (rest == 0) {
        return true;
    }
    unsigned char mask = (unsigned char)(0xffu << (8 - rest));
    return (a[full] & mask) == (b[full] & mask);
}

/* token is "addr" or "addr/bits"; host is an address of family af. */
static bool ip_token_match(int af, const unsigned char *host_addr, const char *tok, size_t n)
{
    char buf[128];
    unsigned char net[16];
    size_t len = af == AF_INET ? 4 : 16;
    if (n >= sizeof(buf)) {
        return false;
    }
    memcpy(buf, tok, n);
    buf[n] = '\0';
    long bits = (long)len * 8;
    char *slash = strchr(buf, '/');
    if (slash != NULL) {
        char *end = NULL;
        bits = strtol(slash + 1, &end, 10);
        *slash = '\0';
        if (end == slash + 1 || *end != '\0' || bits == 0) {
            bits = (long)len * 8; /* libcurl: 0 or junk = the whole address */
        }
    }
    return inet_pton(af, buf, net) == 1 && prefix_eq(host_addr, net, len, bits);
}

static bool name_token_match(const char *name, size_t namelen, const char *tok, size_t n)
{
    if (n > 0 && tok[n - 1] == '.') {
        n--;
    }
    if (n > 0 && tok[0] == '.') {
        tok++;
        n--;
    }
    if (n == 0 || n > namelen) {
        return false;
    }
    if (n == namelen) {
        return strncasecmp(tok, name, n) == 0;
    }
    return name[namelen - n - 1] == '.' && strncasecmp(tok, name + namelen - n, n) == 0;
}

bool brk_http_noproxy_match(const char *host, const char *no_proxy)
{
    if (host == NULL || no_proxy == NULL || no_proxy[0] == '\0') {
        return false;
    }
    if (strcmp(no_proxy, "*") == 0) {
        return true;
    }
    unsigned char addr[16];
    int af = 0;
    size_t namelen = strlen(host);
    if (inet_pton(AF_INET, host, addr) == 1) {
        af = AF_INET;
    } else if (inet_pton(AF_INET6, host, addr) == 1) {
        af = AF_INET6;
    } else if (namelen > 0 && host[namelen - 1] == '.') {
        namelen--;
    }
    const char *p = no_proxy;
    while (*p != '\0') {
        p += strspn(p, " \t,");
        size_t n = strcspn(p, " \t,");
        if (n > 0) {
            bool m =
                af != 0 ? ip_token_match(af, addr, p, n) : name_token_match(host, namelen, p, n);
            if (m) {
                return true;
            }
        }
        p += n;
    }
    return false;
}

/* Scheme (lowercase, "http" or "https") and host (no brackets, no port) of url. */
static bool split_url(const char *url, char *scheme, size_t slen, char *host, size_t hlen)
{
    const char *sep = strstr(url, "://");
    scheme[0] = '\0';
    if (sep == NULL || (size_t)(sep - url) >= slen) {
        return false;
    }
    for (size_t i = 0; url + i < sep; i++) {
        char c = url[i];
        scheme[i] = (char)(c >= 'A' && c <= 'Z' ? c + ('a' - 'A') : c);
        scheme[i + 1] = '\0';
    }
    const char *p = sep + 3;
    size_t n = strcspn(p, "/?#");
    for (size_t i = n; i > 0; i--) {
        if (p[i - 1] == '@') {
            p += i;
            n -= i;
            break;
        }
    }
    const char *end = p + n;
    if (n > 0 && p[0] == '[') {
        const char *rb = memchr(p, ']', n);
        if (rb == NULL) {
            return false;
        }
        p++;
        end = rb;
    } else {
        const char *colon = memchr(p, ':', n);
        end = colon != NULL ? colon : end;
    }
    if ((size_t)(end - p) >= hlen) {
        return false;
    }
    memcpy(host, p, (size_t)(end - p));
    host[end - p] = '\0';
    return true;
}

static const char *env2(const char *a, const char *b, const char **var)
{
    const char *v = getenv(a);
    *var = a;
    if (v == NULL && b != NULL) {
        v = getenv(b);
        *var = b;
    }
    return v;
}

void brk_http_proxy_for(const char *url, struct brk_proxy_choice *out)
{
    char scheme[8], host[BRK_PROXY_HOST_MAX];
    *out = (struct brk_proxy_choice){ NULL, NULL, false };
    if (url == NULL || !split_url(url, scheme, sizeof(scheme), host, sizeof(host))) {
        return;
    }
    const char *nvar = NULL;
    if (brk_http_noproxy_match(host, env2("no_proxy", "NO_PROXY", &nvar))) {
        return;
    }
    const char *var = NULL, *v = NULL;
    bool fallback = false;
    if (strcmp(scheme, "http") == 0) {
        v = env2("http_proxy", NULL, &var);
        if (v == NULL && getenv("REQUEST_METHOD") == NULL) {
            v = env2("HTTP_PROXY", NULL, &var);
            fallback = v != NULL;
        }
    } else if (strcmp(scheme, "https") == 0) {
        v = env2("https_proxy", "HTTPS_PROXY", &var);
    }
    if (v == NULL) {
        v = env2("all_proxy", "ALL_PROXY", &var);
    }
    if (v == NULL || v[0] == '\0') {
        return;
    }
    *out = (struct brk_proxy_choice){ v, var, fallback };
}
