/*
 * emulator/server.h - private interface between server.c, router.c, verify.c, form.c and the
 * fuzz/test drivers. Not for the service handlers (they use emu.h).
 *
 * Request lifetime: the server builds a request, calls emu_route() and frees it after the
 * reply unless the handler started a stream or the request is held (timeout fault); those end
 * with emu_stream_end() / emu_stream_abort() / the client closing.
 */
#ifndef BRK_EMULATOR_SERVER_H
#define BRK_EMULATOR_SERVER_H

#include "emu.h"
#include "form.h"

#include <time.h>

struct event;

struct emu_req_priv {
    struct emu_form form;
    bool form_parsed;
    bool replied, streaming, held, finished, in_dispatch;
    bool counted; /* counted in the server's in-flight total */
    int status;
    struct event *timer;
    emu_tick_fn *tick;
    emu_close_fn *on_close;
    void *ctx;
    long delay_ms;
    struct timespec t0;
    char *arena;   /* header names/values, path, query */
    uint8_t *body; /* owned copy of the body */
};

BEDROCK_MUST_USE bedrock_code emu_server_new(const struct emu_options *o, struct emu_server **out);
/* Bind, print the URL (first stdout line) and the root key, run until SIGINT/SIGTERM.
 * Returns the process exit status. */
int emu_server_run(struct emu_server *s);
void emu_server_free(struct emu_server *s);

/* Build a request without a socket (fuzzing, unit tests): the replies only set the status. */
struct emu_request *emu_request_new(struct emu_server *s, const char *method, const char *uri,
                                    const struct brk_header *h, size_t nh, const uint8_t *body,
                                    size_t body_len);
/* Route, and free unless a stream or hold keeps it. */
void emu_request_dispatch(struct emu_request *req);
int emu_request_status(const struct emu_request *req);
void emu_request_free(struct emu_request *req);

/* Keep the request unanswered for ms, then drop the connection (fault "timeout"). */
void emu_request_hold(struct emu_request *req, long ms);

/* router.c: picks service/protocol/operation, verifies, applies faults, dispatches. */
void emu_route(struct emu_request *req);
/* router.c: only pick service and protocol (for early errors such as 413). */
void emu_route_protocol_only(struct emu_request *req);
/* verify.c: authenticates the request; on failure replies and returns false. */
bool emu_verify(struct emu_request *req);

/* (added: perfemu) policy.c: free the parsed-document cache emu_authorize() keeps (at exit). */
void emu_policy_cache_clear(void);

/* verify.c / verify_bearer.c internals. */
bool emu_verify_bearer(struct emu_request *req, const char *token);
bool emu_verify_presigned_token(struct emu_request *req, const char *host, const char *query);
/* Fill req->principal for IAM user `user` (false when the user no longer exists). */
bool emu_principal_user(struct emu_request *req, const char *user, const char *akid);

#endif
