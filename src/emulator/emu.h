/*
 * emulator/emu.h - the emulator's internal interface, shared by the server, the router and the
 * service handlers.
 *
 * Request flow: server.c (libevent evhttp) reads a request -> struct emu_request ->
 * router.c picks the service (credential scope + path / X-Amz-Target / Action) -> verify.c
 * authenticates (SigV4 header or presigned query, or Bearer on Bedrock) -> the handler
 * authorises the action with emu_authorize() (policy.c) and answers through emu_reply*().
 * State lives in store.c (SQLite; ":memory:" without --state).
 */
#ifndef BRK_EMULATOR_EMU_H
#define BRK_EMULATOR_EMU_H

#include "core/buf.h"
#include "crypto/sigv4.h"

#include <bedrock/bedrock.h>

#include <stdbool.h>
#include <stdint.h>
#include <time.h>

struct emu_server; /* server.c */
struct emu_store;  /* store.c */
struct evhttp_request;
struct event_base;

struct emu_options {
    const char *listen; /* "127.0.0.1:0" */
    const char *port_file;
    const char *region;     /* default "eu-central-1" */
    const char *account_id; /* default "123456789012" */
    const char *root_access_key_id;
    const char *root_secret_access_key;
    const char *state_file;   /* NULL = in memory */
    double tokens_per_second; /* 0 = as fast as possible */
    long first_token_ms;
    const char *tls_cert, *tls_key;
    bool log_requests;
    const char *deny_model_access[32];
    size_t n_deny_model_access;
    const char *fault_rate; /* "throttle=0.1,http-503=0.05" */
    size_t max_body_bytes;  /* default 8 MiB, 413 beyond */
    long min_session_s;     /* shortest STS session (AWS: 900); lower only in tests */
};

/* Who made the request, after verification. */
struct emu_principal {
    bool authenticated;
    bool is_root;        /* the account root (the emulator's root key) */
    char user_name[128]; /* "" for root */
    char user_id[32];    /* AIDA... (root: account id) */
    char arn[256];       /* arn:aws:iam::ACCOUNT:user/NAME or :root */
    char access_key_id[32];
    bool via_bearer; /* Bedrock API key */
    bool session;    /* temporary credentials (STS) */
};

/* Wire protocol of the routed service: decides the shape of emu_reply_error(). */
enum emu_protocol {
    EMU_PROTO_REST_JSON = 0, /* bedrock, bedrock-runtime */
    EMU_PROTO_JSON10,        /* monitoring with X-Amz-Target (awsJson1_0) */
    EMU_PROTO_JSON11,        /* budgets (awsJson1_1) */
    EMU_PROTO_QUERY,         /* iam, sts, monitoring query */
    EMU_PROTO_CBOR,          /* monitoring rpc-v2-cbor */
};
struct emu_req_priv; /* server.c: reply headers, form cache, stream state */

struct emu_request {
    struct emu_server *server;
    struct evhttp_request *evreq; /* for streaming replies */
    char method[8];
    char *path;                 /* raw wire path, no query (as sent: %3A stays) */
    char *query;                /* raw query, "" when none */
    struct brk_header *headers; /* owned copies */
    size_t n_headers;
    const uint8_t *body;
    size_t body_len;
    /* set by the router / verifier */
    char service[32]; /* signing name from the scope: bedrock, sts, iam, monitoring,
                       * budgets */
    char region[32];
    char operation[64]; /* "InvokeModel", "GetCallerIdentity", ... */
    struct emu_principal principal;
    time_t now_s;
    char request_id[40];        /* uuid, sent back as x-amzn-RequestId */
    char fault[128];            /* x-emulator-fault value ("" when none) */
    enum emu_protocol protocol; /* set by the router before any reply */
    struct emu_req_priv *priv;  /* server.c only */
};

const char *emu_header(const struct emu_request *req, const char *name); /* NULL if absent */

/* --- replies (server.c) --- */
/* Queue a response header for the reply about to be sent. */
void emu_reply_header(struct emu_request *req, const char *name, const char *value);
/* Complete reply; adds x-amzn-RequestId and Content-Type. */
void emu_reply(struct emu_request *req, int status, const char *content_type, const void *body,
               size_t len);
/* Errors in the shape of the request's protocol:
 *   rest-json / json (bedrock, budgets, monitoring json): {"message": msg} (+ "__type" for
 *   json 1.0/1.1), header x-amzn-ErrorType: code;
 *   query (iam, sts, monitoring query): <ErrorResponse><Error><Type>Sender</Type><Code>code
 *   </Code><Message>msg</Message></Error><RequestId>id</RequestId></ErrorResponse>;
 *   cbor (monitoring rpc-v2-cbor): {"__type": code, "message": msg} in CBOR, smithy-protocol
 *   header. */
void emu_reply_error(struct emu_request *req, int status, const char *code, const char *fmt, ...)
    BEDROCK_PRINTF(4, 5);

/* Streaming (event-stream) replies: start with 200 + headers, then frames, then end.
 * on_tick is called after delay_ms (0 = next loop turn) until it returns false; the request
 * object stays alive until emu_stream_end(). If the client goes away, on_close runs. */
typedef bool emu_tick_fn(struct emu_request *req, void *ctx);
typedef void emu_close_fn(struct emu_request *req, void *ctx);
void emu_stream_start(struct emu_request *req, const char *content_type);
void emu_stream_write(struct emu_request *req, const void *p, size_t n);
void emu_stream_schedule(struct emu_request *req, long delay_ms, emu_tick_fn *tick,
                         emu_close_fn *on_close, void *ctx);
void emu_stream_end(struct emu_request *req);
/* Drop the connection without a complete reply (fault "drop"). */
void emu_stream_abort(struct emu_request *req);

/* --- server accessors --- */
const struct emu_options *emu_server_options(const struct emu_server *s);
struct emu_store *emu_server_store(struct emu_server *s);
const char *emu_server_account(const struct emu_server *s);
const char *emu_server_region(const struct emu_server *s);
struct event_base *emu_server_base(struct emu_server *s);

/* --- authorisation (policy.c) --- */
struct emu_cond_kv {
    const char *key; /* "bedrock:InferenceProfileArn", "aws:RequestedRegion" */
    const char *value;
};
/* Evaluate the principal's identity policies (attached managed + inline) for action/resource.
 * Root is always allowed. On deny, fills msg with AWS's text:
 *   "User: arn:aws:iam::123456789012:user/bob is not authorized to perform:
 *    bedrock:InvokeModel on resource: arn:aws:bedrock:... because no identity-based policy
 *    allows the bedrock:InvokeModel action"  (or "with an explicit deny in an identity-based
 *    policy"). */
bool emu_authorize(struct emu_request *req, const char *action, const char *resource,
                   const struct emu_cond_kv *ctx, size_t n_ctx, char *msg, size_t msglen);
/* Convenience: authorise and on deny send the protocol's AccessDenied error; returns allowed. */
bool emu_authorize_or_reply(struct emu_request *req, const char *action, const char *resource,
                            const struct emu_cond_kv *ctx, size_t n_ctx);
/* Policy document evaluation on its own (fuzzed): returns 1 allow, -1 explicit deny, 0 none;
 * E_PARSE / E_VALIDATION on a malformed document. */
BEDROCK_MUST_USE bedrock_code emu_policy_eval(const char *doc, size_t len, const char *action,
                                              const char *resource, const struct emu_cond_kv *ctx,
                                              size_t n_ctx, int *decision);
BEDROCK_MUST_USE bedrock_code emu_policy_validate(const char *doc, size_t len, char *msg,
                                                  size_t msglen);

/* --- usage records (store.c), read by CloudWatch, written by the runtime --- */
struct emu_usage {
    time_t at_s;
    char model_id[160]; /* as CloudWatch's ModelId dimension shows it */
    char operation[40];
    long input_tokens, output_tokens;
    long latency_ms, first_token_ms;
    int outcome; /* 0 ok, 1 throttled, 2 client error, 3 server error */
};
void emu_usage_record(struct emu_server *s, const struct emu_usage *u);
typedef void emu_usage_fn(void *ctx, const struct emu_usage *u);
void emu_usage_each(struct emu_server *s, time_t from_s, time_t to_s, emu_usage_fn *fn, void *ctx);

/* Model access (the guide's "Enable Model Access"): false when denied for this account. */
bool emu_model_access_granted(struct emu_server *s, const char *model_id);
void emu_model_access_set(struct emu_server *s, const char *model_id, bool granted);

/* --- service handlers (svc_*.c); each returns after replying (or scheduling a stream) --- */
void emu_svc_sts(struct emu_request *req);     /* svc_sts.c */
void emu_svc_iam(struct emu_request *req);     /* svc_iam.c */
void emu_svc_bedrock(struct emu_request *req); /* svc_bedrock.c: control plane */
void emu_svc_runtime(struct emu_request *req); /* svc_runtime.c */
/* A central fault answered a runtime call: count it in CloudWatch as the service would
 * (outcome 1 throttled, 3 server error). No-op for other paths or unknown models. */
void emu_runtime_record_fault(struct emu_request *req, int outcome);
void emu_svc_cloudwatch(struct emu_request *req); /* svc_cloudwatch.c: json, query, cbor */
void emu_svc_budgets(struct emu_request *req);    /* svc_budgets.c */
void emu_svc_admin(struct emu_request *req);      /* emulator-only admin (root only) */

/* Form parsing for query protocol bodies: value of key, decoded; NULL when absent. Owned by
 * the request until it ends. */
const char *emu_form_get(struct emu_request *req, const char *key);

/* The model catalogue (catalog.c). */
struct emu_model {
    const char *model_id;          /* "anthropic.claude-3-5-sonnet-20240620-v1:0" */
    const char *name;              /* "Claude 3.5 Sonnet" */
    const char *provider;          /* "Anthropic" */
    const char *input_modalities;  /* "TEXT,IMAGE" */
    const char *output_modalities; /* "TEXT" */
    bool streaming;
    const char *inference_types; /* "ON_DEMAND" | "INFERENCE_PROFILE" | "ON_DEMAND,PROVISIONED" */
    const char *lifecycle;       /* "ACTIVE" | "LEGACY" */
    const char *regions;         /* comma list where offered */
    const char *kind;            /* "anthropic" | "titan" | "llama" | "nova" | ... body format */
    const char *customizations;  /* "" | "FINE_TUNING,CONTINUED_PRE_TRAINING" (added: emusvc) */
};
struct emu_profile {
    const char *profile_id; /* "eu.anthropic.claude-sonnet-4-5-20250929-v1:0" */
    const char *name;
    const char *model_id;
    const char *source_region_set; /* regions that may call it (comma list) */
    const char *dest_regions;      /* where it routes (comma list); "" for global: "*" */
};
const struct emu_model *emu_catalog_models(size_t *n);
const struct emu_profile *emu_catalog_profiles(size_t *n);
const struct emu_model *emu_catalog_find_model(const char *model_id);
const struct emu_profile *emu_catalog_find_profile(const char *profile_id);
bool emu_model_in_region(const struct emu_model *m, const char *region);
/* (added: emusvc) True when the comma list has item (exact match; "*" matches anything). */
bool emu_list_has(const char *list, const char *item);

#endif
