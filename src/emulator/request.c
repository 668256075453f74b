/*
 * emulator/request.c - struct emu_request: building it (from libevent or from raw parts),
 * replies (complete, error in the routed protocol, streaming) and freeing.
 *
 * Invariants: every reply carries x-amzn-RequestId; a request is answered at most once;
 * the path and query are the raw wire strings (never decoded here); header strings live in
 * one arena owned by the request; the request is freed exactly once (after the reply, or at
 * stream end / abort / client close).
 */
#include "core/alloc.h"
#include "core/limits.h"
#include "server.h"
#include "xmlout.h"

#include <cbor.h>
#include <event2/buffer.h>
#include <event2/event.h>
#include <event2/http.h>
#include <event2/keyvalq_struct.h>
#include <jansson.h>
#include <openssl/rand.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

void emu_server_request_done(struct emu_server *s, const struct emu_request *req); /* server.c */

const char *emu_header(const struct emu_request *req, const char *name)
{
    for (size_t i = 0; i < req->n_headers; i++) {
        if (strcasecmp(req->headers[i].name, name) == 0) {
            return req->headers[i].value;
        }
    }
    return NULL;
}

/* Random bytes for request ids, drawn from RAND_bytes a pool at a time (one call per 256
 * requests instead of one each). Single-threaded: only the event loop uses it. */
static uint8_t g_id_pool[4096];
static size_t g_id_left;

static void new_request_id(char out[40])
{
    static const char HEX[] = "0123456789abcdef";
    uint8_t r[16];
    if (g_id_left < sizeof(r)) {
        if (RAND_bytes(g_id_pool, (int)sizeof(g_id_pool)) != 1) {
            memset(g_id_pool, 0x42, sizeof(g_id_pool));
        }
        g_id_left = sizeof(g_id_pool);
    }
    memcpy(r, g_id_pool + sizeof(g_id_pool) - g_id_left, sizeof(r));
    g_id_left -= sizeof(r);
    r[6] = (uint8_t)((r[6] & 0x0f) | 0x40);
    r[8] = (uint8_t)((r[8] & 0x3f) | 0x80);
    size_t w = 0;
    for (size_t i = 0; i < sizeof(r); i++) {
        if (i == 4 || i == 6 || i == 8 || i == 10) {
            out[w++] = '-';
        }
        out[w++] = HEX[r[i] >> 4];
        out[w++] = HEX[r[i] & 15];
    }
    out[w] = '\0';
}

struct req_block {
    struct emu_request req; /* first: emu_request_free() frees the block through it */
    struct emu_req_priv priv;
    struct brk_header headers[];
};

/* Split a request-target into path and query (absolute-form: drop scheme and authority). */
static void split_uri(const char *uri, const char **path, size_t *plen, const char **query)
{
    if (strncasecmp(uri, "http://", 7) == 0 || strncasecmp(uri, "https://", 8) == 0) {
        const char *slash = strchr(strstr(uri, "//") + 2, '/');
        uri = slash != NULL ? slash : "/";
    }
    const char *q = strchr(uri, '?');
    *path = uri;
    *plen = q != NULL ? (size_t)(q - uri) : strlen(uri);
    *query = q != NULL ? q + 1 : "";
}

struct emu_request *emu_request_new(struct emu_server *s, const char *method, const char *uri,
                                    const struct brk_header *h, size_t nh, const uint8_t *body,
                                    size_t body_len)
{
    const char *path, *query;
    size_t plen;
    split_uri(uri, &path, &plen, &query);
    size_t qlen = strlen(query);
    size_t total = plen + 1 + qlen + 1;
    for (size_t i = 0; i < nh; i++) {
        total += h[i].name_len + 1 + h[i].value_len + 1;
    }
    /* One allocation per request: the request, its private part, the header table, the body
     * and the strings (freed as one in emu_request_free). */
    size_t head = sizeof(struct req_block) + (nh + 1) * sizeof(struct brk_header);
    if (body_len > SIZE_MAX / 2 || total > SIZE_MAX / 2 || nh > SIZE_MAX / 64) {
        return NULL;
    }
    struct req_block *blk = brk_malloc(head + body_len + 1 + total);
    if (blk == NULL) {
        return NULL;
    }
    memset(blk, 0, head);
    struct emu_request *req = &blk->req;
    struct emu_req_priv *p = &blk->priv;
    struct brk_header *hs = blk->headers;
    uint8_t *b = (uint8_t *)blk + head;
    char *arena = (char *)b + body_len + 1;
    char *w = arena;
    req->path = w;
    memcpy(w, path, plen);
    w[plen] = '\0';
    w += plen + 1;
    req->query = w;
    memcpy(w, query, qlen + 1);
    w += qlen + 1;
    for (size_t i = 0; i < nh; i++) {
        memcpy(w, h[i].name, h[i].name_len);
        w[h[i].name_len] = '\0';
        hs[i].name = w;
        hs[i].name_len = h[i].name_len;
        w += h[i].name_len + 1;
        memcpy(w, h[i].value, h[i].value_len);
        w[h[i].value_len] = '\0';
        hs[i].value = w;
        hs[i].value_len = h[i].value_len;
        w += h[i].value_len + 1;
    }
    if (body_len > 0) {
        memcpy(b, body, body_len);
    }
    b[body_len] = 0;
    p->arena = arena;
    p->body = b;
    clock_gettime(CLOCK_MONOTONIC, &p->t0);
    req->priv = p;
    req->server = s;
    snprintf(req->method, sizeof(req->method), "%s", method);
    req->headers = hs;
    req->n_headers = nh;
    req->body = b;
    req->body_len = body_len;
    req->now_s = time(NULL);
    new_request_id(req->request_id);
    const char *fault = emu_header(req, "x-emulator-fault");
    snprintf(req->fault, sizeof(req->fault), "%s", fault != NULL ? fault : "");
    return req;
}

void emu_request_free(struct emu_request *req)
{
    if (req == NULL) {
        return;
    }
    struct emu_req_priv *p = req->priv;
    if (req->evreq != NULL) {
        struct evhttp_connection *c = evhttp_request_get_connection(req->evreq);
        if (c != NULL) {
            evhttp_connection_set_closecb(c, NULL, NULL);
        }
    }
    emu_server_request_done(req->server, req);
    if (p->timer != NULL) {
        event_free(p->timer);
    }
    emu_form_cleanup(&p->form);
    brk_free(req); /* the whole req_block: private part, headers, body and strings too */
}

int emu_request_status(const struct emu_request *req)
{
    return req->priv->status;
}

void emu_request_dispatch(struct emu_request *req)
{
    struct emu_req_priv *p = req->priv;
    p->in_dispatch = true;
    emu_route(req);
    p->in_dispatch = false;
    if (!p->replied && !p->streaming && !p->held) {
        emu_reply_error(req, 500, "InternalServerException", "The handler did not reply.");
    }
    if (p->finished || (!p->streaming && !p->held)) {
        emu_request_free(req);
    }
}

void emu_reply_header(struct emu_request *req, const char *name, const char *value)
{
    if (req->evreq != NULL) {
        evhttp_add_header(evhttp_request_get_output_headers(req->evreq), name, value);
    }
}

static const char *reason(int status)
{
    switch (status) {
    case 200:
        return "OK";
    case 400:
        return "Bad Request";
    case 403:
        return "Forbidden";
    case 404:
        return "Not Found";
    case 409:
        return "Conflict";
    case 413:
        return "Payload Too Large";
    case 429:
        return "Too Many Requests";
    case 500:
        return "Internal Server Error";
    case 503:
        return "Service Unavailable";
    default:
        return status < 400 ? "OK" : "Error";
    }
}

void emu_reply(struct emu_request *req, int status, const char *content_type, const void *body,
               size_t len)
{
    struct emu_req_priv *p = req->priv;
    if (p->replied || p->streaming) {
        return;
    }
    p->replied = true;
    p->status = status;
    if (req->evreq == NULL) {
        return;
    }
    struct evkeyvalq *out = evhttp_request_get_output_headers(req->evreq);
    evhttp_add_header(out, "x-amzn-RequestId", req->request_id);
    if (content_type != NULL) {
        evhttp_remove_header(out, "Content-Type");
        evhttp_add_header(out, "Content-Type", content_type);
    }
    struct evbuffer *b = evbuffer_new();
    if (b != NULL && len > 0) {
        evbuffer_add(b, body, len);
    }
    evhttp_send_reply(req->evreq, status, reason(status), b);
    if (b != NULL) {
        evbuffer_free(b); /* evbuffer_free(NULL) is not allowed */
    }
}

static const char *query_xmlns(const struct emu_request *req)
{
    if (strcmp(req->service, "sts") == 0) {
        return "https://sts.amazonaws.com/doc/2011-06-15/";
    }
    if (strcmp(req->service, "monitoring") == 0) {
        return "http://monitoring.amazonaws.com/doc/2010-08-01/";
    }
    return "https://iam.amazonaws.com/doc/2010-05-08/";
}

static void reply_error_query(struct emu_request *req, int status, const char *code,
                              const char *msg)
{
    struct brk_buf b = BRK_BUF(BRK_MAX_RESPONSE_BYTES);
    bedrock_code rc = brk_buf_appendf(&b,
                                      "<ErrorResponse xmlns=\"%s\">\n  <Error>\n    <Type>%s"
                                      "</Type>\n    <Code>",
                                      query_xmlns(req), status >= 500 ? "Receiver" : "Sender");
    rc = rc != BEDROCK_OK ? rc : emu_xml_escape_buf(&b, code);
    rc = rc != BEDROCK_OK ? rc : brk_buf_append_str(&b, "</Code>\n    <Message>");
    rc = rc != BEDROCK_OK ? rc : emu_xml_escape_buf(&b, msg);
    rc = rc != BEDROCK_OK ? rc
                          : brk_buf_appendf(&b,
                                            "</Message>\n  </Error>\n  <RequestId>%s"
                                            "</RequestId>\n</ErrorResponse>\n",
                                            req->request_id);
    if (rc == BEDROCK_OK) {
        emu_reply(req, status, "text/xml", b.data, b.len);
    } else {
        emu_reply(req, status, "text/xml", "", 0);
    }
    brk_buf_cleanup(&b);
}

static void reply_error_cbor(struct emu_request *req, int status, const char *code, const char *msg)
{
    cbor_item_t *map = cbor_new_definite_map(2);
    unsigned char *out = NULL;
    size_t out_size = 0, len = 0;
    if (map != NULL) {
        bool ok = cbor_map_add(map, (struct cbor_pair){ cbor_move(cbor_build_string("__type")),
                                                        cbor_move(cbor_build_string(code)) }) &&
                  cbor_map_add(map, (struct cbor_pair){ cbor_move(cbor_build_string("message")),
                                                        cbor_move(cbor_build_string(msg)) });
        len = ok ? cbor_serialize_alloc(map, &out, &out_size) : 0;
        cbor_decref(&map);
    }
    emu_reply_header(req, "smithy-protocol", "rpc-v2-cbor");
    emu_reply(req, status, "application/cbor", out != NULL ? (const void *)out : "", len);
    free(out);
}

void emu_reply_error(struct emu_request *req, int status, const char *code, const char *fmt, ...)
{
    char msg[4096];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    if (req->protocol == EMU_PROTO_QUERY) {
        reply_error_query(req, status, code, msg);
        return;
    }
    if (strcmp(req->service, "monitoring") == 0 &&
        (req->protocol == EMU_PROTO_CBOR || req->protocol == EMU_PROTO_JSON10)) {
        /* CloudWatch is awsQueryCompatible: SDKs take the query error code and type from this
         * header (the JS SDK's error.Code/.Type; botocore's Error.Code). */
        char qe[192];
        snprintf(qe, sizeof(qe), "%s;%s", code, status >= 500 ? "Receiver" : "Sender");
        emu_reply_header(req, "x-amzn-query-error", qe);
    }
    if (req->protocol == EMU_PROTO_CBOR) {
        reply_error_cbor(req, status, code, msg);
        return;
    }
    json_t *j = json_object();
    const char *ctype = "application/json";
    if (req->protocol == EMU_PROTO_JSON10 || req->protocol == EMU_PROTO_JSON11) {
        json_object_set_new(j, "__type", json_string(code));
        ctype = req->protocol == EMU_PROTO_JSON10 ? "application/x-amz-json-1.0"
                                                  : "application/x-amz-json-1.1";
    }
    json_object_set_new(j, "message", json_string(msg));
    char *s = json_dumps(j, JSON_COMPACT);
    json_decref(j);
    emu_reply_header(req, "x-amzn-ErrorType", code);
    emu_reply(req, status, ctype, s != NULL ? s : "{}", s != NULL ? strlen(s) : 2);
    free(s);
}
