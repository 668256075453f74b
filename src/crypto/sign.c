/*
 * crypto/sign.c - brk_sigv4_sign: one request, one time, one set of credentials -> signature.
 *
 * Header mode signs the caller's headers plus X-Amz-Date, X-Amz-Security-Token (unless
 * omit_session_token) and x-amz-content-sha256 (when asked); presign mode signs the caller's
 * headers and moves the auth parameters into the query. The signer never reads the clock.
 * Invariants: the result's buffers are reused across calls (no allocation on the hot path
 * once they have grown); on failure every result buffer is emptied; the signing key and
 * every stack copy of it are wiped before return.
 * Hot path (bench/bench_sign.c): the canonical request is written once by sign_canon.c and
 * hashed in one call (many small digest updates cost more than the memcpy); SHA-256 and the
 * HMAC run on hash.c's plain-memory states with the key's cached ipad/opad states; the
 * formatted X-Amz-Date of the last second is kept on the result.
 */
#include "../core/alloc.h"
#include "../core/limits.h"
#include "hash_internal.h"
#include "sigv4_internal.h"

#include <openssl/crypto.h>
#include <string.h>

#define STACK_HEADERS 32
#define SCOPE_MAX     256

/* What res->md_ctx points to: the digest contexts reused across calls on one result. */
struct sign_scratch {
    EVP_MD_CTX *md; /* signing-key derivation on a key-cache miss */
    bool have_date; /* date_for was formatted into date */
    time_t date_for;
    char date[17];
};

struct sign_state {
    const struct brk_sigv4_request *req;
    const struct brk_sigv4_params *params;
    struct brk_sigv4_result *out;
    EVP_MD_CTX *ctx;
    struct sign_scratch *scratch;
    const char *token; /* NULL when there is none */
    char scope[SCOPE_MAX];
    struct brk_header *hdrs; /* caller's headers plus the ones we add */
    size_t n_hdrs;
    size_t *order; /* hdrs indices sorted by lower-case name */
};

void brk_sigv4_result_init(struct brk_sigv4_result *res)
{
    memset(res, 0, sizeof(*res));
    brk_buf_init(&res->canonical_request, BRK_MAX_SIGV4_BYTES);
    brk_buf_init(&res->string_to_sign, BRK_MAX_SIGV4_BYTES);
    brk_buf_init(&res->authorization, BRK_MAX_HEADER_BYTES);
    brk_buf_init(&res->signed_headers, BRK_MAX_HEADER_BYTES);
    brk_buf_init(&res->presigned_query, BRK_MAX_URL_BYTES + BRK_MAX_HEADER_BYTES);
}

void brk_sigv4_result_cleanup(struct brk_sigv4_result *res)
{
    brk_buf_cleanup(&res->canonical_request);
    brk_buf_cleanup(&res->string_to_sign);
    brk_buf_cleanup(&res->authorization);
    brk_buf_cleanup(&res->signed_headers);
    brk_buf_cleanup(&res->presigned_query);
    struct sign_scratch *sc = res->md_ctx;
    if (sc != NULL) {
        /* EVP_MD_CTX_free -> provider freectx -> OPENSSL_clear_free of the SHA-256 state */
        EVP_MD_CTX_free(sc->md);
        brk_free(sc);
    }
    res->md_ctx = NULL;
    OPENSSL_cleanse(res->signature, sizeof(res->signature));
}

static void reset_result(struct brk_sigv4_result *res)
{
    brk_buf_reset(&res->canonical_request);
    brk_buf_reset(&res->string_to_sign);
    brk_buf_reset(&res->authorization);
    brk_buf_reset(&res->signed_headers);
    brk_buf_reset(&res->presigned_query);
    res->signature[0] = '\0';
}

static bool signature_from_ctx(EVP_MD_CTX *ctx, const uint8_t key[32], const struct brk_buf *sts,
                               char sig_hex[65])
{
    uint8_t mac[32];
    const char *data = sts->data != NULL ? sts->data : "";
    bool ok = brk_hmac_sha256_ctx(ctx, key, 32, data, sts->len, mac);
    if (ok) {
        brk_hex_encode(mac, sizeof(mac), sig_hex);
    }
    OPENSSL_cleanse(mac, sizeof(mac));
    return ok;
}

void brk_sigv4_signature(const uint8_t key[32], const struct brk_buf *string_to_sign,
                         char sig_hex[65])
{
    EVP_MD_CTX *ctx = EVP_MD_CTX_new();
    if (ctx == NULL || !signature_from_ctx(ctx, key, string_to_sign, sig_hex)) {
        sig_hex[0] = '\0';
    }
    EVP_MD_CTX_free(ctx);
}

static char lower(char c)
{
    return c >= 'A' && c <= 'Z' ? (char)(c + 32) : c;
}

static int name_cmp(const struct brk_header *a, const struct brk_header *b)
{
    size_t n = a->name_len < b->name_len ? a->name_len : b->name_len;
    for (size_t i = 0; i < n; i++) {
        unsigned char x = (unsigned char)lower(a->name[i]);
        unsigned char y = (unsigned char)lower(b->name[i]);
        if (x != y) {
            return x < y ? -1 : 1;
        }
    }
    return a->name_len < b->name_len ? -1 : (a->name_len > b->name_len ? 1 : 0);
}

static bool name_is(const struct brk_header *h, const char *lower_name)
{
    size_t n = strlen(lower_name);
    if (h->name_len != n) {
        return false;
    }
    for (size_t i = 0; i < n; i++) {
        if (lower(h->name[i]) != lower_name[i]) {
            return false;
        }
    }
    return true;
}

static bool header_name_ok(const struct brk_header *h)
{
    if (h->name == NULL || h->name_len == 0 || (h->value == NULL && h->value_len > 0)) {
        return false;
    }
    for (size_t i = 0; i < h->name_len; i++) {
        unsigned char c = (unsigned char)h->name[i];
        if (c <= ' ' || c == ':' || c == ';' || c >= 0x7f) {
            return false;
        }
    }
    return true;
}

/* Is this caller header replaced by one the signer adds itself? */
static bool superseded(const struct sign_state *st, const struct brk_header *h)
{
    const struct brk_sigv4_params *p = st->params;
    if (name_is(h, "authorization")) {
        return true;
    }
    if (p->presign) {
        return false;
    }
    return name_is(h, "x-amz-date") ||
           (st->token != NULL && !p->omit_session_token && name_is(h, "x-amz-security-token")) ||
           (p->add_content_sha256 && name_is(h, "x-amz-content-sha256"));
}

static void add_header(struct sign_state *st, const char *name, const char *value)
{
    struct brk_header *h = &st->hdrs[st->n_hdrs++];
    h->name = name;
    h->name_len = strlen(name);
    h->value = value;
    h->value_len = strlen(value);
}

static bedrock_code collect_headers(struct sign_state *st)
{
    const struct brk_sigv4_request *req = st->req;
    for (size_t i = 0; i < req->n_headers; i++) {
        if (!header_name_ok(&req->headers[i])) {
            return BEDROCK_E_INVALID_ARG;
        }
        if (!superseded(st, &req->headers[i])) {
            st->hdrs[st->n_hdrs++] = req->headers[i];
        }
    }
    if (!st->params->presign) {
        add_header(st, "X-Amz-Date", st->out->amz_date);
        if (st->token != NULL && !st->params->omit_session_token) {
            add_header(st, "X-Amz-Security-Token", st->token);
        }
        if (st->params->add_content_sha256) {
            add_header(st, "x-amz-content-sha256", st->out->content_sha256);
        }
    }
    /* insertion sort: a request has a handful of headers */
    for (size_t i = 0; i < st->n_hdrs; i++) {
        size_t j = i;
        st->order[i] = i;
        while (j > 0 && name_cmp(&st->hdrs[st->order[j - 1]], &st->hdrs[i]) > 0) {
            st->order[j] = st->order[j - 1];
            j--;
        }
        st->order[j] = i;
    }
    return BEDROCK_OK;
}

/* The auth parameters of a presigned URL, appended to the request's own raw query in the
 * order the AWS vectors use. The session token is left out when it will not be signed. */
static bedrock_code append_presign_params(struct sign_state *st, struct brk_buf *q, bool with_token)
{
    const struct brk_sigv4_params *p = st->params;
    long expires = p->expires_s == 0 ? 900 : p->expires_s;
    bedrock_code rc = BEDROCK_OK;
    if (st->req->query != NULL && st->req->query[0] != '\0') {
        rc = brk_buf_append_str(q, st->req->query);
        if (rc == BEDROCK_OK) {
            rc = brk_buf_append_char(q, '&');
        }
    }
    if (rc == BEDROCK_OK) {
        rc = brk_buf_append_str(q, "X-Amz-Algorithm=" BRK_SIGV4_ALGORITHM "&X-Amz-Credential=");
    }
    if (rc == BEDROCK_OK) {
        rc = brk_uri_encode(q, p->access_key_id, strlen(p->access_key_id), false);
    }
    if (rc == BEDROCK_OK) {
        rc = brk_buf_append_str(q, "%2F");
    }
    if (rc == BEDROCK_OK) {
        rc = brk_uri_encode(q, st->scope, strlen(st->scope), false);
    }
    if (rc == BEDROCK_OK) {
        rc = brk_buf_appendf(q, "&X-Amz-Date=%s&X-Amz-SignedHeaders=", st->out->amz_date);
    }
    if (rc == BEDROCK_OK) {
        rc = brk_uri_encode(q, st->out->signed_headers.data, st->out->signed_headers.len, false);
    }
    if (rc == BEDROCK_OK) {
        rc = brk_buf_appendf(q, "&X-Amz-Expires=%ld", expires);
    }
    if (rc == BEDROCK_OK && with_token) {
        rc = brk_buf_append_str(q, "&X-Amz-Security-Token=");
        if (rc == BEDROCK_OK) {
            rc = brk_uri_encode(q, st->token, strlen(st->token), false);
        }
    }
    return rc;
}

/* Canonical query of the request (header mode) or of the request plus auth parameters
 * (presign) into cq. In header mode cq is the (otherwise unused) presigned_query buffer, so
 * the hot path reuses its memory; the caller empties it afterwards. */
static bedrock_code canonical_query(struct sign_state *st, struct brk_buf *cq)
{
    if (!st->params->presign) {
        if (st->req->query == NULL || st->req->query[0] == '\0') {
            return BEDROCK_OK;
        }
        return brk_sigv4_canonical_query(cq, st->req->query, NULL);
    }
    struct brk_buf *q = &st->out->presigned_query;
    bool signed_token = st->token != NULL && !st->params->omit_session_token;
    bedrock_code rc = append_presign_params(st, q, signed_token);
    if (rc == BEDROCK_OK) {
        rc = brk_sigv4_canonical_query(cq, q->data, NULL);
    }
    return rc;
}

static bedrock_code finish_presign(struct sign_state *st)
{
    struct brk_buf *q = &st->out->presigned_query;
    bedrock_code rc = BEDROCK_OK;
    if (st->token != NULL && st->params->omit_session_token) {
        /* added after signing, so not covered by the signature */
        rc = brk_buf_append_str(q, "&X-Amz-Security-Token=");
        if (rc == BEDROCK_OK) {
            rc = brk_uri_encode(q, st->token, strlen(st->token), false);
        }
    }
    if (rc == BEDROCK_OK) {
        rc = brk_buf_appendf(q, "&X-Amz-Signature=%s", st->out->signature);
    }
    return rc;
}

static bedrock_code finish_header(struct sign_state *st)
{
    struct brk_sigv4_result *out = st->out;
    const char *const parts[] = { BRK_SIGV4_ALGORITHM " Credential=",
                                  st->params->access_key_id,
                                  "/",
                                  st->scope,
                                  ", SignedHeaders=",
                                  out->signed_headers.data,
                                  ", Signature=",
                                  out->signature,
                                  NULL };
    return brk_sigv4_append_all(&out->authorization, parts);
}

static bedrock_code payload_hash(struct sign_state *st)
{
    const struct brk_sigv4_request *req = st->req;
    if (req->payload_hash != NULL) {
        size_t n = strlen(req->payload_hash);
        if (n == 0 || n > 64) {
            return BEDROCK_E_INVALID_ARG;
        }
        memcpy(st->out->content_sha256, req->payload_hash, n + 1);
        return BEDROCK_OK;
    }
    uint8_t d[32];
    struct brk_sha256_state h;
    brk_sha256_begin(&h);
    brk_sha256_add(&h, req->body, req->body_len);
    brk_sha256_end(&h, d);
    brk_hex_encode(d, sizeof(d), st->out->content_sha256);
    return BEDROCK_OK;
}

static bedrock_code check_args(const struct brk_sigv4_request *req,
                               const struct brk_sigv4_params *p)
{
    if (req == NULL || p == NULL || req->method == NULL || req->method[0] == '\0' ||
        p->access_key_id == NULL || p->access_key_id[0] == '\0' || p->secret_access_key == NULL ||
        p->region == NULL || p->region[0] == '\0' || p->service == NULL || p->service[0] == '\0' ||
        (req->headers == NULL && req->n_headers > 0) || (req->body == NULL && req->body_len > 0)) {
        return BEDROCK_E_INVALID_ARG;
    }
    if (p->presign && (p->expires_s < 0 || p->expires_s > 604800)) {
        return BEDROCK_E_INVALID_ARG;
    }
    if (req->n_headers > SIZE_MAX / 2 - 8) {
        return BEDROCK_E_LIMIT;
    }
    return BEDROCK_OK;
}

/* "AWS4-HMAC-SHA256\n" amz_date "\n" scope "\n" hex(SHA-256(canonical request)). */
static bedrock_code string_to_sign(struct sign_state *st)
{
    struct brk_sigv4_result *out = st->out;
    uint8_t digest[32];
    struct brk_sha256_state h;
    brk_sha256_begin(&h);
    brk_sha256_add(&h, out->canonical_request.data, out->canonical_request.len);
    brk_sha256_end(&h, digest);
    static const char alg[] = BRK_SIGV4_ALGORITHM "\n";
    size_t sl = strlen(st->scope), al = sizeof(alg) - 1;
    struct brk_buf *b = &out->string_to_sign;
    bedrock_code rc = brk_buf_reserve(b, al + 16 + 1 + sl + 1 + 64);
    if (rc != BEDROCK_OK) {
        return rc;
    }
    char *p = b->data + b->len;
    memcpy(p, alg, al);
    p += al;
    memcpy(p, out->amz_date, 16);
    p += 16;
    *p++ = '\n';
    memcpy(p, st->scope, sl);
    p += sl;
    *p++ = '\n';
    brk_hex_encode(digest, sizeof(digest), p); /* writes the NUL */
    b->len = (size_t)(p + 64 - b->data);
    return BEDROCK_OK;
}

/* HMAC(kSigning, string to sign) from the key's cached pad states. */
static bedrock_code signature(struct sign_state *st)
{
    struct brk_sigv4_result *out = st->out;
    struct brk_hmac_pads pads;
    char date8[9];
    uint8_t mac[32];
    memcpy(date8, out->amz_date, 8);
    date8[8] = '\0';
    bedrock_code rc = brk_sigv4_signing_pads_ctx(st->ctx, &pads, st->params->secret_access_key,
                                                 date8, st->params->region, st->params->service);
    if (rc == BEDROCK_OK) {
        brk_hmac_pads_mac(&pads, out->string_to_sign.data, out->string_to_sign.len, mac);
        brk_hex_encode(mac, sizeof(mac), out->signature);
    }
    brk_hmac_pads_wipe(&pads);
    OPENSSL_cleanse(mac, sizeof(mac));
    return rc;
}

/* Everything after the header list is known: canonical request, string to sign, signature. */
static bedrock_code sign_core(struct sign_state *st)
{
    struct brk_sigv4_result *out = st->out;
    struct brk_buf local_cq = BRK_BUF(BRK_MAX_SIGV4_BYTES);
    struct brk_buf *cq = st->params->presign ? &local_cq : &out->presigned_query;
    struct brk_sign_canon in = { st->req->method,
                                 st->req->path != NULL ? st->req->path : "",
                                 !st->params->no_normalize_path,
                                 NULL,
                                 0,
                                 st->hdrs,
                                 st->order,
                                 0,
                                 out->content_sha256 };
    bedrock_code rc = payload_hash(st);
    if (rc == BEDROCK_OK) {
        rc = collect_headers(st);
    }
    if (rc == BEDROCK_OK) {
        in.n = st->n_hdrs;
        rc = brk_sigv4_sign_signed_headers(&out->signed_headers, &in);
    }
    if (rc == BEDROCK_OK) {
        rc = canonical_query(st, cq); /* presign: needs the signed-header list */
    }
    if (rc == BEDROCK_OK) {
        in.query = cq->data;
        in.query_len = cq->len;
        rc = brk_sigv4_sign_canonical(&out->canonical_request, &in, &out->signed_headers);
    }
    if (rc == BEDROCK_OK) {
        rc = string_to_sign(st);
    }
    if (rc == BEDROCK_OK) {
        rc = signature(st);
    }
    brk_buf_cleanup(&local_cq);
    return rc;
}

/* The result's digest contexts, created on first use. */
static bedrock_code scratch(struct brk_sigv4_result *out, struct sign_scratch **sc)
{
    if (out->md_ctx == NULL) {
        struct sign_scratch *n = brk_calloc(1, sizeof(*n));
        if (n == NULL) {
            return BEDROCK_E_NOMEM;
        }
        out->md_ctx = n;
    }
    struct sign_scratch *s = out->md_ctx;
    if (s->md == NULL) {
        s->md = EVP_MD_CTX_new();
    }
    if (s->md == NULL) {
        return BEDROCK_E_NOMEM;
    }
    *sc = s;
    return BEDROCK_OK;
}

/* brk_amz_date, remembering the last second formatted on this result (a client signs many
 * requests within one second). */
static void amz_date(struct sign_scratch *sc, time_t t, char out[17])
{
    if (!sc->have_date || sc->date_for != t) {
        brk_amz_date(t, sc->date);
        sc->date_for = t;
        sc->have_date = true;
    }
    memcpy(out, sc->date, 17);
}

/* "YYYYMMDD/region/service/aws4_request" into scope[SCOPE_MAX]; false if it does not fit. */
static bool build_scope(char *scope, const char *amz_date, const char *region, const char *service)
{
    size_t rl = strlen(region), sl = strlen(service);
    if (rl > SCOPE_MAX - 32 || sl > SCOPE_MAX - 32 - rl) {
        return false;
    }
    char *p = scope;
    memcpy(p, amz_date, 8);
    p += 8;
    *p++ = '/';
    memcpy(p, region, rl);
    p += rl;
    *p++ = '/';
    memcpy(p, service, sl);
    p += sl;
    memcpy(p, "/aws4_request", 14);
    return true;
}

bedrock_code brk_sigv4_sign(const struct brk_sigv4_request *req,
                            const struct brk_sigv4_params *params, struct brk_sigv4_result *out)
{
    struct brk_header stack_hdrs[STACK_HEADERS];
    size_t stack_order[STACK_HEADERS];
    struct sign_state st;
    if (out == NULL) {
        return BEDROCK_E_INVALID_ARG;
    }
    reset_result(out);
    bedrock_code rc = check_args(req, params);
    if (rc != BEDROCK_OK) {
        return rc;
    }
    st.scope[0] = '\0'; /* no memset: scope is 256 bytes and fully written below */
    st.n_hdrs = 0;
    st.req = req;
    st.params = params;
    st.out = out;
    st.token = params->session_token != NULL && params->session_token[0] != '\0'
                   ? params->session_token
                   : NULL;
    st.hdrs = stack_hdrs;
    st.order = stack_order;
    rc = scratch(out, &st.scratch);
    if (rc != BEDROCK_OK) {
        return rc;
    }
    amz_date(st.scratch, params->time_s, out->amz_date);
    if (!build_scope(st.scope, out->amz_date, params->region, params->service)) {
        return BEDROCK_E_INVALID_ARG;
    }
    st.ctx = st.scratch->md;
    if (req->n_headers + 3 > STACK_HEADERS) {
        st.hdrs = brk_calloc(req->n_headers + 3, sizeof(*st.hdrs));
        st.order = brk_calloc(req->n_headers + 3, sizeof(*st.order));
        if (st.hdrs == NULL || st.order == NULL) {
            rc = BEDROCK_E_NOMEM;
            goto out;
        }
    }
    rc = sign_core(&st);
    if (rc == BEDROCK_OK) {
        rc = params->presign ? finish_presign(&st) : finish_header(&st);
    }
    if (rc == BEDROCK_OK && !params->presign) {
        brk_buf_reset(&out->presigned_query);
    }
out:
    if (st.hdrs != stack_hdrs) {
        brk_free(st.hdrs);
        brk_free(st.order);
    }
    if (rc != BEDROCK_OK) {
        reset_result(out);
    }
    return rc;
}
