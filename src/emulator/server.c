/*
 * emulator/server.c - the HTTP server: libevent evhttp on 127.0.0.1 (optionally TLS), request
 * intake (limits, header copies, raw path), graceful shutdown, accessors.
 *
 * Invariants: the URL is the first stdout line and is written atomically to --port-file;
 * SIGINT/SIGTERM stop accepting, let in-flight requests finish for at most ~2 s, exit 0.
 * Bodies above --max-body-bytes get an AWS-shaped 413 (libevent's own hard cap sits at
 * twice the limit, plus 64 KiB, to bound memory).
 */
#include "server.h"

#include "core/alloc.h"
#include "faults.h"
#include "store.h"

#include <event2/buffer.h>
#include <event2/bufferevent.h>
#include <event2/bufferevent_ssl.h>
#include <event2/event.h>
#include <event2/http.h>
#include <event2/keyvalq_struct.h>
#include <netinet/in.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#define EMU_LISTEN_BACKLOG 4096

struct emu_server {
    struct emu_options opt;
    struct event_base *base;
    struct evhttp *http;
    struct evhttp_bound_socket *bound;
    struct emu_store *store;
    struct emu_fault_rates faults;
    SSL_CTX *ssl;
    struct event *sigint, *sigterm, *drain;
    long inflight;
    int drain_ticks;
};

const struct emu_options *emu_server_options(const struct emu_server *s)
{
    return &s->opt;
}
struct emu_store *emu_server_store(struct emu_server *s)
{
    return s->store;
}
const char *emu_server_account(const struct emu_server *s)
{
    return s->opt.account_id;
}
const char *emu_server_region(const struct emu_server *s)
{
    return s->opt.region;
}
struct event_base *emu_server_base(struct emu_server *s)
{
    return s->base;
}
const struct emu_fault_rates *emu_server_fault_rates(const struct emu_server *s)
{
    return &s->faults;
}

void emu_server_request_done(struct emu_server *s, const struct emu_request *req);
void emu_server_request_done(struct emu_server *s, const struct emu_request *req)
{
    if (req->priv->counted && s->inflight > 0) {
        s->inflight--;
    }
    if (!s->opt.log_requests) {
        return;
    }
    struct timespec t1;
    clock_gettime(CLOCK_MONOTONIC, &t1);
    long ms = (long)((t1.tv_sec - req->priv->t0.tv_sec) * 1000 +
                     (t1.tv_nsec - req->priv->t0.tv_nsec) / 1000000);
    fprintf(stderr, "%s %s %d %ldms %s %s\n", req->method, req->path, req->priv->status, ms,
            req->operation[0] != '\0' ? req->operation : "-",
            req->principal.authenticated ? req->principal.arn : "-");
}

static void on_request(struct evhttp_request *evreq, void *arg)
{
    struct emu_server *s = arg;
    static const char *const METHODS[] = { "GET",     "POST",  "HEAD",    "PUT",  "DELETE",
                                           "OPTIONS", "TRACE", "CONNECT", "PATCH" };
    enum evhttp_cmd_type cmd = evhttp_request_get_command(evreq);
    const char *method = "GET";
    for (unsigned i = 0; i < 9; i++) {
        if (cmd == (enum evhttp_cmd_type)(1 << i)) {
            method = METHODS[i];
        }
    }
    struct evkeyvalq *in = evhttp_request_get_input_headers(evreq);
    size_t nh = 0;
    for (struct evkeyval *kv = in->tqh_first; kv != NULL; kv = kv->next.tqe_next) {
        nh++;
    }
    struct brk_header small[48];
    struct brk_header *hs = nh < 48 ? small : brk_calloc(nh + 1, sizeof(*hs));
    size_t i = 0;
    for (struct evkeyval *kv = in->tqh_first; hs != NULL && kv != NULL; kv = kv->next.tqe_next) {
        hs[i].name = kv->key;
        hs[i].name_len = strlen(kv->key);
        hs[i].value = kv->value;
        hs[i].value_len = strlen(kv->value);
        i++;
    }
    struct evbuffer *body = evhttp_request_get_input_buffer(evreq);
    size_t blen = evbuffer_get_length(body);
    const uint8_t *bp = blen > 0 ? evbuffer_pullup(body, -1) : NULL;
    const char *uri = evhttp_request_get_uri(evreq);
    struct emu_request *req = hs == NULL
                                  ? NULL
                                  : emu_request_new(s, method, uri != NULL ? uri : "/", hs, nh,
                                                    blen > s->opt.max_body_bytes ? NULL : bp,
                                                    blen > s->opt.max_body_bytes ? 0 : blen);
    if (hs != small) {
        brk_free(hs);
    }
    if (req == NULL) {
        evhttp_send_error(evreq, 500, "out of memory");
        return;
    }
    req->evreq = evreq;
    req->priv->counted = true;
    s->inflight++;
    if (blen > s->opt.max_body_bytes) {
        emu_route_protocol_only(req);
        emu_reply_error(req, 413,
                        req->protocol == EMU_PROTO_QUERY ? "RequestEntityTooLarge"
                                                         : "ValidationException",
                        "Request body of %zu bytes exceeds the maximum of %zu bytes "
                        "(--max-body-bytes).",
                        blen, s->opt.max_body_bytes);
        emu_request_free(req);
        return;
    }
    emu_request_dispatch(req);
}

static struct bufferevent *make_ssl_bev(struct event_base *base, void *arg)
{
    struct emu_server *s = arg;
    SSL *ssl = SSL_new(s->ssl);
    if (ssl == NULL) {
        return NULL;
    }
    return bufferevent_openssl_socket_new(base, -1, ssl, BUFFEREVENT_SSL_ACCEPTING,
                                          BEV_OPT_CLOSE_ON_FREE);
}

bedrock_code emu_server_new(const struct emu_options *o, struct emu_server **out)
{
    struct emu_server *s = brk_calloc(1, sizeof(*s));
    if (s == NULL) {
        return BEDROCK_E_NOMEM;
    }
    s->opt = *o;
    if (s->opt.max_body_bytes == 0) {
        s->opt.max_body_bytes = 8u * 1024u * 1024u;
    }
    bedrock_code rc = emu_fault_rates_parse(o->fault_rate, &s->faults);
    if (rc != BEDROCK_OK) {
        fprintf(stderr, "bedrock-emulator: bad --fault-rate (want name=0.1,...)\n");
        brk_free(s);
        return rc;
    }
    s->base = event_base_new();
    if (s->base == NULL) {
        brk_free(s);
        return BEDROCK_E_NOMEM;
    }
    rc = emu_store_open(o->state_file, o->account_id, &s->store);
    if (rc != BEDROCK_OK) {
        emu_server_free(s);
        return rc;
    }
    for (size_t i = 0; i < o->n_deny_model_access; i++) {
        emu_store_model_set(s->store, o->deny_model_access[i], false);
    }
    *out = s;
    return BEDROCK_OK;
}

void emu_server_free(struct emu_server *s)
{
    if (s == NULL) {
        return;
    }
    if (s->http != NULL) {
        evhttp_free(s->http);
    }
    if (s->sigint != NULL) {
        event_free(s->sigint);
    }
    if (s->sigterm != NULL) {
        event_free(s->sigterm);
    }
    if (s->drain != NULL) {
        event_free(s->drain);
    }
    if (s->ssl != NULL) {
        SSL_CTX_free(s->ssl);
    }
    emu_store_close(s->store);
    emu_policy_cache_clear();
    if (s->base != NULL) {
        event_base_free(s->base);
    }
    brk_free(s);
}

static void on_drain(evutil_socket_t fd, short what, void *arg)
{
    struct emu_server *s = arg;
    (void)fd;
    (void)what;
    s->drain_ticks++;
    if (s->inflight == 0 || s->drain_ticks >= 40) {
        event_base_loopexit(s->base, NULL);
        return;
    }
    struct timeval tv = { 0, 50000 };
    evtimer_add(s->drain, &tv);
}

static void on_signal(evutil_socket_t fd, short what, void *arg)
{
    struct emu_server *s = arg;
    (void)fd;
    (void)what;
    if (s->bound != NULL) {
        evhttp_del_accept_socket(s->http, s->bound);
        s->bound = NULL;
    }
    if (s->drain == NULL) {
        s->drain = evtimer_new(s->base, on_drain, s);
        if (s->drain == NULL) {
            event_base_loopexit(s->base, NULL);
            return;
        }
        struct timeval tv = { 0, 0 };
        evtimer_add(s->drain, &tv);
    }
}

static int write_port_file(const char *path, const char *url)
{
    char tmp[4096];
    snprintf(tmp, sizeof(tmp), "%s.tmp.%ld", path, (long)getpid());
    FILE *f = fopen(tmp, "w");
    if (f == NULL) {
        return -1;
    }
    int ok = fprintf(f, "%s\n", url) > 0;
    ok = (fclose(f) == 0) && ok;
    if (!ok || rename(tmp, path) != 0) {
        unlink(tmp);
        return -1;
    }
    return 0;
}

static int setup_tls(struct emu_server *s)
{
    s->ssl = SSL_CTX_new(TLS_server_method());
    if (s->ssl == NULL || SSL_CTX_use_certificate_chain_file(s->ssl, s->opt.tls_cert) != 1 ||
        SSL_CTX_use_PrivateKey_file(s->ssl, s->opt.tls_key, SSL_FILETYPE_PEM) != 1) {
        fprintf(stderr, "bedrock-emulator: cannot load TLS certificate/key\n");
        return -1;
    }
    evhttp_set_bevcb(s->http, make_ssl_bev, s);
    return 0;
}

static int bind_listen(struct emu_server *s, char *url, size_t urllen)
{
    char host[256] = "127.0.0.1";
    long port = 0;
    const char *spec = s->opt.listen != NULL ? s->opt.listen : "127.0.0.1:0";
    const char *colon = strrchr(spec, ':');
    if (colon != NULL) {
        snprintf(host, sizeof(host), "%.*s", (int)(colon - spec), spec);
        port = strtol(colon + 1, NULL, 10);
    } else {
        port = strtol(spec, NULL, 10);
    }
    if (port < 0 || port > 65535) {
        fprintf(stderr, "bedrock-emulator: bad --listen %s\n", spec);
        return -1;
    }
    s->bound = evhttp_bind_socket_with_handle(s->http, host, (ev_uint16_t)port);
    if (s->bound == NULL) {
        fprintf(stderr, "bedrock-emulator: cannot listen on %s\n", spec);
        return -1;
    }
    struct sockaddr_storage ss;
    socklen_t sl = sizeof(ss);
    evutil_socket_t fd = evhttp_bound_socket_get_fd(s->bound);
    /* libevent listens with a backlog of 128: a burst of 1,000 connects would overflow it and
     * stall clients in SYN retransmits. Listening again only raises the backlog (Linux; the
     * kernel caps it at net.core.somaxconn). */
    (void)listen(fd, EMU_LISTEN_BACKLOG);
    if (getsockname(fd, (struct sockaddr *)&ss, &sl) != 0) {
        return -1;
    }
    int real = ss.ss_family == AF_INET6 ? ntohs(((struct sockaddr_in6 *)&ss)->sin6_port)
                                        : ntohs(((struct sockaddr_in *)&ss)->sin_port);
    snprintf(url, urllen, "%s://%s:%d", s->ssl != NULL ? "https" : "http", host, real);
    return 0;
}

/* One descriptor per connection: raise the soft open-files limit to the hard one so a few
 * thousand concurrent streams are not refused at 1,024. */
static void raise_nofile(void)
{
    struct rlimit rl;
    if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < rl.rlim_max) {
        rl.rlim_cur = rl.rlim_max;
        (void)setrlimit(RLIMIT_NOFILE, &rl);
    }
}

int emu_server_run(struct emu_server *s)
{
    raise_nofile();
    s->http = evhttp_new(s->base);
    if (s->http == NULL) {
        return 1;
    }
    evhttp_set_max_headers_size(s->http, 64 * 1024);
    evhttp_set_max_body_size(s->http, (ev_ssize_t)(s->opt.max_body_bytes * 2 + 65536));
    evhttp_set_timeout(s->http, 60);
    evhttp_set_allowed_methods(s->http, EVHTTP_REQ_GET | EVHTTP_REQ_POST | EVHTTP_REQ_PUT |
                                            EVHTTP_REQ_DELETE | EVHTTP_REQ_HEAD | EVHTTP_REQ_PATCH);
    evhttp_set_gencb(s->http, on_request, s);
    if (s->opt.tls_cert != NULL && s->opt.tls_key != NULL && setup_tls(s) != 0) {
        return 1;
    }
    char url[512];
    if (bind_listen(s, url, sizeof(url)) != 0) {
        return 1;
    }
    signal(SIGPIPE, SIG_IGN);
    s->sigint = evsignal_new(s->base, SIGINT, on_signal, s);
    s->sigterm = evsignal_new(s->base, SIGTERM, on_signal, s);
    if (s->sigint == NULL || s->sigterm == NULL || evsignal_add(s->sigint, NULL) != 0 ||
        evsignal_add(s->sigterm, NULL) != 0) {
        return 1;
    }
    if (s->opt.port_file != NULL && write_port_file(s->opt.port_file, url) != 0) {
        fprintf(stderr, "bedrock-emulator: cannot write --port-file %s\n", s->opt.port_file);
        return 1;
    }
    printf("%s\n", url);
    printf("region: %s account: %s\n", s->opt.region, s->opt.account_id);
    printf("root access key id: %s\nroot secret access key: %s\n", s->opt.root_access_key_id,
           s->opt.root_secret_access_key);
    fflush(stdout);
    event_base_dispatch(s->base);
    return 0;
}
