/*
 * emulator/stream.c - streaming replies (event-stream over chunked HTTP) and held requests.
 *
 * Invariants: between emu_stream_start() and the end, the connection's close callback points
 * at the request, so a client going away runs on_close exactly once and frees the request;
 * emu_stream_end()/emu_stream_abort() clear it first. Without a socket (fuzz/tests) ticks are
 * not run: on_close is called at schedule time so handlers still free their context.
 * The terminating chunk is sent only once the frames before it have left the output buffer
 * (see end_reply): evhttp_send_reply_end() must not run while a write callback may be queued.
 */
#include "server.h"

#include <event2/buffer.h>
#include <event2/bufferevent.h>
#include <event2/event.h>
#include <event2/http.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <string.h>
#include <sys/socket.h>

static void on_conn_close(struct evhttp_connection *c, void *arg)
{
    struct emu_request *req = arg;
    struct emu_req_priv *p = req->priv;
    (void)c;
    evhttp_connection_set_closecb(c, NULL, NULL);
    struct evhttp_request *evreq = req->evreq;
    bool detached = evreq != NULL && evhttp_request_get_connection(evreq) == NULL;
    if (p->on_close != NULL) {
        emu_close_fn *fn = p->on_close;
        p->on_close = NULL;
        fn(req, p->ctx);
    }
    req->evreq = NULL;
    p->finished = true;
    if (!p->in_dispatch) {
        emu_request_free(req);
    }
    if (detached) {
        evhttp_request_free(evreq);
    }
}

/* Event-stream frames are small writes spaced by the pacing: without TCP_NODELAY Nagle would
 * hold each one until the previous is acknowledged (up to the peer's delayed-ACK timer). */
static void no_delay(struct emu_request *req)
{
    struct evhttp_connection *c = evhttp_request_get_connection(req->evreq);
    struct bufferevent *bev = c != NULL ? evhttp_connection_get_bufferevent(c) : NULL;
    evutil_socket_t fd = bev != NULL ? bufferevent_getfd(bev) : -1;
    int one = 1;
    if (fd >= 0) {
        (void)setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
    }
}

static void watch_close(struct emu_request *req)
{
    struct evhttp_connection *c = evhttp_request_get_connection(req->evreq);
    if (c != NULL) {
        evhttp_connection_set_closecb(c, on_conn_close, req);
    }
}

void emu_stream_start(struct emu_request *req, const char *content_type)
{
    struct emu_req_priv *p = req->priv;
    if (p->replied || p->streaming) {
        return;
    }
    p->streaming = true;
    p->status = 200;
    if (req->evreq == NULL) {
        return;
    }
    struct evkeyvalq *out = evhttp_request_get_output_headers(req->evreq);
    evhttp_add_header(out, "x-amzn-RequestId", req->request_id);
    evhttp_add_header(out, "Content-Type", content_type);
    evhttp_send_reply_start(req->evreq, 200, "OK");
    no_delay(req);
    watch_close(req);
}

void emu_stream_write(struct emu_request *req, const void *data, size_t n)
{
    if (req->evreq == NULL || !req->priv->streaming || n == 0) {
        return;
    }
    struct evbuffer *b = evbuffer_new();
    if (b == NULL) {
        return;
    }
    evbuffer_add(b, data, n);
    evhttp_send_reply_chunk(req->evreq, b);
    evbuffer_free(b);
}

static void on_tick(evutil_socket_t fd, short what, void *arg)
{
    struct emu_request *req = arg;
    struct emu_req_priv *p = req->priv;
    (void)fd;
    (void)what;
    if (p->tick == NULL) {
        return;
    }
    emu_tick_fn *fn = p->tick;
    if (!fn(req, p->ctx)) {
        return; /* the handler ended, aborted, or rescheduled the stream itself */
    }
    /* true: run again after the same delay */
    struct timeval tv = { p->delay_ms / 1000, (p->delay_ms % 1000) * 1000 };
    evtimer_add(p->timer, &tv);
}

void emu_stream_schedule(struct emu_request *req, long delay_ms, emu_tick_fn *tick,
                         emu_close_fn *on_close, void *ctx)
{
    struct emu_req_priv *p = req->priv;
    p->tick = tick;
    p->on_close = on_close;
    p->ctx = ctx;
    p->delay_ms = delay_ms > 0 ? delay_ms : 0;
    if (req->evreq == NULL) {
        p->on_close = NULL;
        if (on_close != NULL) {
            on_close(req, ctx);
        }
        p->finished = true;
        return;
    }
    if (p->timer == NULL) {
        p->timer = evtimer_new(emu_server_base(req->server), on_tick, req);
    }
    if (p->timer == NULL) {
        return;
    }
    struct timeval tv = { p->delay_ms / 1000, (p->delay_ms % 1000) * 1000 };
    evtimer_add(p->timer, &tv);
}

static void finish(struct emu_request *req)
{
    struct emu_req_priv *p = req->priv;
    p->finished = true;
    p->on_close = NULL;
    if (p->timer != NULL) {
        evtimer_del(p->timer);
    }
    if (req->evreq != NULL) {
        struct evhttp_connection *c = evhttp_request_get_connection(req->evreq);
        if (c != NULL) {
            evhttp_connection_set_closecb(c, NULL, NULL);
        }
    }
}

/* Runs (synchronously, from the drain inside libevent's write step) each time the output buffer
 * shrinks; once it is empty the frames are all out and the chunked reply can be terminated. */
static void end_when_drained(struct evbuffer *out, const struct evbuffer_cb_info *info, void *arg)
{
    struct evhttp_request *evreq = arg;
    if (info->n_deleted == 0 || evbuffer_get_length(out) != 0) {
        return;
    }
    evbuffer_remove_cb(out, end_when_drained, evreq);
    struct evhttp_connection *c = evhttp_request_get_connection(evreq);
    if (c != NULL) {
        evhttp_connection_set_closecb(c, NULL, NULL);
    }
    evhttp_send_reply_end(evreq);
}

/* The client went away before the frames drained: evhttp detaches a request whose reply was
 * not ended instead of freeing it, so it is freed here. */
static void on_close_before_end(struct evhttp_connection *c, void *arg)
{
    struct evhttp_request *evreq = arg;
    evhttp_connection_set_closecb(c, NULL, NULL);
    struct bufferevent *bev = evhttp_connection_get_bufferevent(c);
    if (bev != NULL) {
        evbuffer_remove_cb(bufferevent_get_output(bev), end_when_drained, evreq);
    }
    if (evhttp_request_get_connection(evreq) == NULL) {
        evhttp_request_free(evreq);
    }
}

/* libevent 2.1's bufferevent_openssl runs its write callback deferred (do_write triggers it with
 * BEV_OPT_DEFER_CALLBACKS), and evhttp's write callback runs evcon->cb without looking at the
 * output buffer. If the buffer drained (e.g. the headers went out) and a tick then queued frames
 * plus evhttp_send_reply_end() before that deferred callback ran, it ran evhttp_send_done() with
 * the frames still buffered: the connection went back to reading with EV_WRITE disabled and the
 * frames never left (TLS streams stalled after the headers). So while frames are still buffered,
 * the end waits for the buffer to drain; the drain happens inside the write step, before it
 * decides whether to fire the write callback, so the terminator joins that same write. */
static void end_reply(struct evhttp_request *evreq)
{
    struct evhttp_connection *c = evhttp_request_get_connection(evreq);
    struct bufferevent *bev = c != NULL ? evhttp_connection_get_bufferevent(c) : NULL;
    struct evbuffer *out = bev != NULL ? bufferevent_get_output(bev) : NULL;
    if (out != NULL && evbuffer_get_length(out) > 0 &&
        evbuffer_add_cb(out, end_when_drained, evreq) != NULL) {
        evhttp_connection_set_closecb(c, on_close_before_end, evreq);
        return;
    }
    evhttp_send_reply_end(evreq);
}

void emu_stream_end(struct emu_request *req)
{
    struct emu_req_priv *p = req->priv;
    if (p->finished) {
        return;
    }
    struct evhttp_request *evreq = req->evreq;
    finish(req);
    req->evreq = NULL;
    if (!p->in_dispatch) {
        emu_request_free(req);
    }
    if (evreq != NULL) {
        end_reply(evreq);
    }
}

void emu_stream_abort(struct emu_request *req)
{
    struct emu_req_priv *p = req->priv;
    if (p->finished) {
        return;
    }
    struct evhttp_request *evreq = req->evreq;
    finish(req);
    req->evreq = NULL;
    p->replied = true;
    if (p->status == 0) {
        p->status = 499;
    }
    if (!p->in_dispatch) {
        emu_request_free(req);
    }
    if (evreq != NULL) {
        struct evhttp_connection *c = evhttp_request_get_connection(evreq);
        if (c != NULL) {
            evhttp_connection_free(c);
        } else {
            evhttp_request_free(evreq);
        }
    }
}

static void on_hold_expired(evutil_socket_t fd, short what, void *arg)
{
    (void)fd;
    (void)what;
    emu_stream_abort(arg);
}

void emu_request_hold(struct emu_request *req, long ms)
{
    struct emu_req_priv *p = req->priv;
    p->held = true;
    if (req->evreq == NULL) {
        p->replied = true;
        p->finished = true;
        return;
    }
    if (p->timer == NULL) {
        p->timer = evtimer_new(emu_server_base(req->server), on_hold_expired, req);
    }
    struct timeval tv = { ms / 1000, (ms % 1000) * 1000 };
    if (p->timer != NULL) {
        evtimer_add(p->timer, &tv);
    }
    watch_close(req);
}
