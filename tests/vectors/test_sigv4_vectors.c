/*
 * tests/vectors/test_sigv4_vectors.c - runs every SigV4 vector in $BRK_SHARED_DIR/testdata:
 *
 *  sigv4/<case>/ (aws-c-auth layout, settings in context.json): header mode and query mode,
 *    each checked stage by stage: canonical request, string to sign, signature, and the
 *    signed request (the headers or query parameters the signer adds, Authorization).
 *  sigv4-classic/ (walked recursively): .creq, .sts and .authz, once through the building
 *    blocks the emulator's verifier uses and once through brk_sigv4_sign; the time comes from
 *    the X-Amz-Date header in .req.
 * Every mismatch is printed with its case name; the test fails if any case fails.
 */
#include "core/alloc.h"
#include "core/limits.h"
#include "crypto/sigv4.h"
#include "vec_request.h"

/* cmocka needs these first */
/* clang-format off */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
/* clang-format on */
#include <dirent.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define EMPTY_SHA256 "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"

static int failures;

/* snprintf that reports truncation, so paths are never silently cut. */
static bool fmt(char *out, size_t outlen, const char *f, ...) BEDROCK_PRINTF(3, 4);
static bool fmt(char *out, size_t outlen, const char *f, ...)
{
    va_list ap;
    va_start(ap, f);
    int n = vsnprintf(out, outlen, f, ap);
    va_end(ap);
    return n >= 0 && (size_t)n < outlen;
}

static const char *shared_dir(void)
{
    const char *d = getenv("BRK_SHARED_DIR");
    return d != NULL ? d : "/work/shared";
}

static char *case_file(const char *dir, const char *name)
{
    char path[4096];
    (void)fmt(path, sizeof(path), "%s/%s", dir, name);
    return vec_read_file(path, NULL);
}

static bool check_str(const char *what, const char *casename, const char *got, const char *want)
{
    if (want == NULL) {
        printf("FAIL %s: %s: expected file missing\n", casename, what);
        failures++;
        return false;
    }
    if (got == NULL || strcmp(got, want) != 0) {
        printf("FAIL %s: %s\n--- got\n%s\n--- want\n%s\n", casename, what, got ? got : "(null)",
               want);
        failures++;
        return false;
    }
    return true;
}

static bool check_file(const char *dir, const char *file, const char *casename, const char *got)
{
    char *want = case_file(dir, file);
    char what[256];
    (void)fmt(what, sizeof(what), "%s", file);
    bool ok = check_str(what, casename, got, want);
    free(want);
    return ok;
}

struct vec_context {
    const char *akid, *secret, *token;
    const char *region, *service;
    time_t time_s;
    long expires_s;
    bool normalize, sign_body, omit_token;
};

static bool load_context(const char *dir, json_t **root, struct vec_context *c)
{
    char path[4096];
    (void)fmt(path, sizeof(path), "%s/context.json", dir);
    *root = json_load_file(path, 0, NULL);
    if (*root == NULL) {
        return false;
    }
    json_t *cred = json_object_get(*root, "credentials");
    memset(c, 0, sizeof(*c));
    c->akid = json_string_value(json_object_get(cred, "access_key_id"));
    c->secret = json_string_value(json_object_get(cred, "secret_access_key"));
    c->token = json_string_value(json_object_get(cred, "token"));
    c->region = json_string_value(json_object_get(*root, "region"));
    c->service = json_string_value(json_object_get(*root, "service"));
    c->expires_s = (long)json_integer_value(json_object_get(*root, "expiration_in_seconds"));
    c->normalize = json_is_true(json_object_get(*root, "normalize"));
    c->sign_body = json_is_true(json_object_get(*root, "sign_body"));
    c->omit_token = json_is_true(json_object_get(*root, "omit_session_token"));
    const char *ts = json_string_value(json_object_get(*root, "timestamp"));
    return c->akid != NULL && c->secret != NULL && c->region != NULL && c->service != NULL &&
           ts != NULL && brk_parse_iso8601(ts, &c->time_s) == BEDROCK_OK;
}

static bool header_is(const struct brk_header *h, const char *name, const char *value)
{
    return h->name_len == strlen(name) && strncmp(h->name, name, h->name_len) == 0 &&
           h->value_len == strlen(value) && strncmp(h->value, value, h->value_len) == 0;
}

static bool same_header(const struct brk_header *a, const struct brk_header *b)
{
    return a->name_len == b->name_len && a->value_len == b->value_len &&
           memcmp(a->name, b->name, a->name_len) == 0 &&
           memcmp(a->value, b->value, a->value_len) == 0;
}

/* The signed request = the original headers (same order) + exactly the headers we add. */
static void check_signed_headers(const char *casename, const struct vec_request *orig,
                                 const struct vec_request *sreq, const struct brk_sigv4_result *res,
                                 const struct vec_context *c)
{
    const char *expect[4][2];
    size_t n_expect = 0;
    expect[n_expect][0] = "X-Amz-Date";
    expect[n_expect++][1] = res->amz_date;
    if (c->token != NULL) {
        expect[n_expect][0] = "X-Amz-Security-Token";
        expect[n_expect++][1] = c->token;
    }
    if (c->sign_body) {
        expect[n_expect][0] = "x-amz-content-sha256";
        expect[n_expect++][1] = res->content_sha256;
    }
    expect[n_expect][0] = "Authorization";
    expect[n_expect++][1] = res->authorization.data;
    bool ok = sreq->n_headers == orig->n_headers + n_expect &&
              strcmp(sreq->target, orig->target) == 0 && sreq->body_len == orig->body_len;
    for (size_t i = 0; ok && i < orig->n_headers; i++) {
        ok = same_header(&sreq->headers[i], &orig->headers[i]);
    }
    for (size_t e = 0; ok && e < n_expect; e++) {
        bool found = false;
        for (size_t i = orig->n_headers; i < sreq->n_headers; i++) {
            found = found || header_is(&sreq->headers[i], expect[e][0], expect[e][1]);
        }
        ok = found;
    }
    if (!ok) {
        printf("FAIL %s: header-signed-request.txt (added headers or Authorization differ: %s)\n",
               casename, res->authorization.data);
        failures++;
    }
}

static void check_presigned_request(const char *casename, const struct vec_request *orig,
                                    const struct vec_request *sreq,
                                    const struct brk_sigv4_result *res)
{
    char want[BRK_MAX_URL_BYTES];
    (void)fmt(want, sizeof(want), "%s?%s", orig->path, res->presigned_query.data);
    bool ok = strcmp(sreq->target, want) == 0 && sreq->n_headers == orig->n_headers &&
              strcmp(sreq->method, orig->method) == 0;
    for (size_t i = 0; ok && i < orig->n_headers; i++) {
        ok = same_header(&sreq->headers[i], &orig->headers[i]);
    }
    if (!ok) {
        printf("FAIL %s: query-signed-request.txt\n--- got\n%s\n--- want\n%s\n", casename, want,
               sreq->target);
        failures++;
    }
}

static void run_mode(const char *dir, const char *casename, const struct vec_request *req,
                     const struct vec_context *c, bool presign)
{
    const char *pfx = presign ? "query" : "header";
    char name[512], file[64];
    (void)fmt(name, sizeof(name), "%s [%s]", casename, pfx);
    struct brk_sigv4_request r = { req->method,    req->path,
                                   req->query,     req->headers,
                                   req->n_headers, req->body,
                                   req->body_len,  c->sign_body ? NULL : EMPTY_SHA256 };
    struct brk_sigv4_params p = { c->akid,
                                  c->secret,
                                  c->token,
                                  c->region,
                                  c->service,
                                  c->time_s,
                                  presign,
                                  c->expires_s,
                                  !c->normalize,
                                  c->omit_token,
                                  c->sign_body && !presign };
    struct brk_sigv4_result res;
    brk_sigv4_result_init(&res);
    bedrock_code rc = brk_sigv4_sign(&r, &p, &res);
    if (rc != BEDROCK_OK) {
        printf("FAIL %s: brk_sigv4_sign returned %s\n", name, bedrock_code_name(rc));
        failures++;
        brk_sigv4_result_cleanup(&res);
        return;
    }
    (void)fmt(file, sizeof(file), "%s-canonical-request.txt", pfx);
    check_file(dir, file, name, res.canonical_request.data);
    (void)fmt(file, sizeof(file), "%s-string-to-sign.txt", pfx);
    check_file(dir, file, name, res.string_to_sign.data);
    (void)fmt(file, sizeof(file), "%s-signature.txt", pfx);
    check_file(dir, file, name, res.signature);
    (void)fmt(file, sizeof(file), "%s-signed-request.txt", pfx);
    size_t slen = 0;
    char path[4096];
    (void)fmt(path, sizeof(path), "%s/%s", dir, file);
    char *stext = vec_read_file(path, &slen);
    struct vec_request sreq;
    if (stext == NULL || !vec_request_parse(&sreq, stext, slen)) {
        printf("FAIL %s: cannot parse %s\n", name, file);
        failures++;
    } else if (presign) {
        check_presigned_request(name, req, &sreq, &res);
    } else {
        check_signed_headers(name, req, &sreq, &res, c);
        struct brk_sigv4_auth a;
        if (brk_sigv4_parse_authorization(res.authorization.data, res.authorization.len, &a) !=
                BEDROCK_OK ||
            !brk_slice_eq_str(a.signature, res.signature)) {
            printf("FAIL %s: our Authorization does not parse back\n", name);
            failures++;
        }
    }
    if (stext != NULL) {
        vec_request_free(&sreq);
    }
    free(stext);
    brk_sigv4_result_cleanup(&res);
}

static int run_aws_case(const char *dir, const char *casename)
{
    json_t *root = NULL;
    struct vec_context c;
    struct vec_request req;
    size_t len = 0;
    char path[4096];
    (void)fmt(path, sizeof(path), "%s/request.txt", dir);
    char *text = vec_read_file(path, &len);
    if (!load_context(dir, &root, &c) || text == NULL || !vec_request_parse(&req, text, len)) {
        printf("FAIL %s: cannot load context.json/request.txt\n", casename);
        failures++;
        json_decref(root);
        free(text);
        return 0;
    }
    run_mode(dir, casename, &req, &c, false);
    run_mode(dir, casename, &req, &c, true);
    vec_request_free(&req);
    free(text);
    json_decref(root);
    return 1;
}

static int cmp_names(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Sorted subdirectory names of dir (malloc'd array of malloc'd strings). */
static size_t list_dirs(const char *dir, char ***out)
{
    DIR *d = opendir(dir);
    size_t n = 0;
    char **names = NULL;
    struct dirent *e;
    while (d != NULL && (e = readdir(d)) != NULL) {
        char path[4096];
        struct stat st;
        (void)fmt(path, sizeof(path), "%s/%s", dir, e->d_name);
        if (e->d_name[0] == '.' || stat(path, &st) != 0 || !S_ISDIR(st.st_mode)) {
            continue;
        }
        names = realloc(names, (n + 1) * sizeof(*names));
        names[n++] = strdup(e->d_name);
    }
    if (d != NULL) {
        closedir(d);
    }
    if (n > 1) {
        qsort(names, n, sizeof(*names), cmp_names);
    }
    *out = names;
    return n;
}

static void free_names(char **names, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        free(names[i]);
    }
    free(names);
}

static void aws_vectors(void **state)
{
    (void)state;
    char root[4096];
    (void)fmt(root, sizeof(root), "%s/testdata/sigv4", shared_dir());
    char **names = NULL;
    size_t n = list_dirs(root, &names);
    int cases = 0, before = failures;
    for (size_t i = 0; i < n; i++) {
        char dir[4096];
        (void)fmt(dir, sizeof(dir), "%s/%s", root, names[i]);
        cases += run_aws_case(dir, names[i]);
    }
    free_names(names, n);
    printf("sigv4: %d cases x 2 modes (header, query), %d failures\n", cases, failures - before);
    assert_int_equal(cases, 38);
    assert_int_equal(failures, before);
}

/* --- classic layout: fixed inputs documented in sigv4-classic/SOURCE.md --- */

#define CLASSIC_AKID    "AKIDEXAMPLE"
#define CLASSIC_SECRET  "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"
#define CLASSIC_REGION  "us-east-1"
#define CLASSIC_SERVICE "service"

static int cmp_cstr(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* "a;b;c" from the request's header names: lower-cased, sorted, unique. */
static void signed_header_list(const struct vec_request *req, char *out, size_t outlen)
{
    char *names[VEC_MAX_HEADERS];
    for (size_t i = 0; i < req->n_headers; i++) {
        names[i] = strndup(req->headers[i].name, req->headers[i].name_len);
        for (char *p = names[i]; *p != '\0'; p++) {
            *p = (char)(*p >= 'A' && *p <= 'Z' ? *p + 32 : *p);
        }
    }
    qsort(names, req->n_headers, sizeof(char *), cmp_cstr);
    out[0] = '\0';
    size_t used = 0;
    for (size_t i = 0; i < req->n_headers; i++) {
        if (i == 0 || strcmp(names[i], names[i - 1]) != 0) {
            int n = snprintf(out + used, outlen - used, "%s%s", used > 0 ? ";" : "", names[i]);
            used += n > 0 ? (size_t)n : 0;
        }
    }
    for (size_t i = 0; i < req->n_headers; i++) {
        free(names[i]);
    }
}

/* The emulator's path: building blocks only, time and token taken from the request. */
static void classic_blocks(const char *dir, const char *base, const struct vec_request *req,
                           const char *amz_date)
{
    char sh[1024], file[512], scope[128], body_hash[65], sig[65];
    struct brk_buf cq = BRK_BUF(BRK_MAX_SIGV4_BYTES);
    struct brk_buf creq = BRK_BUF(BRK_MAX_SIGV4_BYTES);
    struct brk_buf sts = BRK_BUF(BRK_MAX_SIGV4_BYTES);
    struct brk_buf authz = BRK_BUF(BRK_MAX_SIGV4_BYTES);
    uint8_t key[32];
    signed_header_list(req, sh, sizeof(sh));
    brk_sha256_hex(req->body, req->body_len, body_hash);
    (void)fmt(scope, sizeof(scope), "%.8s/%s/%s/aws4_request", amz_date, CLASSIC_REGION,
              CLASSIC_SERVICE);
    char date8[9];
    (void)fmt(date8, sizeof(date8), "%.8s", amz_date);
    if (brk_sigv4_canonical_query(&cq, req->query, NULL) != BEDROCK_OK ||
        brk_sigv4_canonical_request(&creq, req->method, req->path, cq.data, req->headers,
                                    req->n_headers, sh, body_hash, true) != BEDROCK_OK ||
        brk_sigv4_string_to_sign(&sts, amz_date, scope, &creq) != BEDROCK_OK ||
        brk_sigv4_signing_key(CLASSIC_SECRET, date8, CLASSIC_REGION, CLASSIC_SERVICE, key) !=
            BEDROCK_OK) {
        printf("FAIL %s: building blocks failed\n", base);
        failures++;
        goto out;
    }
    (void)fmt(file, sizeof(file), "%s.creq", base);
    check_file(dir, file, base, creq.data);
    (void)fmt(file, sizeof(file), "%s.sts", base);
    check_file(dir, file, base, sts.data);
    brk_sigv4_signature(key, &sts, sig);
    assert_int_equal(brk_buf_appendf(&authz,
                                     "AWS4-HMAC-SHA256 Credential=%s/%s, SignedHeaders=%s, "
                                     "Signature=%s",
                                     CLASSIC_AKID, scope, sh, sig),
                     BEDROCK_OK);
    (void)fmt(file, sizeof(file), "%s.authz", base);
    check_file(dir, file, base, authz.data);
    /* the expected header parses back to the same parts */
    char *want = case_file(dir, file);
    struct brk_sigv4_auth a;
    if (want == NULL || brk_sigv4_parse_authorization(want, strlen(want), &a) != BEDROCK_OK ||
        !brk_slice_eq_str(a.signed_headers, sh) ||
        !brk_slice_eq_str(a.access_key_id, CLASSIC_AKID) ||
        !brk_slice_eq_str(a.region, CLASSIC_REGION) ||
        !brk_slice_eq_str(a.service, CLASSIC_SERVICE) || !brk_slice_eq_str(a.date, date8)) {
        printf("FAIL %s: .authz does not parse into the expected parts\n", base);
        failures++;
    }
    free(want);
out:
    brk_wipe(key, sizeof(key));
    brk_buf_cleanup(&cq);
    brk_buf_cleanup(&creq);
    brk_buf_cleanup(&sts);
    brk_buf_cleanup(&authz);
}

/* The client's path: brk_sigv4_sign adds X-Amz-Date (same value) and the token itself. */
static void classic_sign(const char *dir, const char *base, const struct vec_request *req, time_t t,
                         const char *token, bool omit)
{
    char file[512];
    struct brk_sigv4_request r = { req->method,    req->path, req->query,    req->headers,
                                   req->n_headers, req->body, req->body_len, NULL };
    struct brk_sigv4_params p = {
        CLASSIC_AKID, CLASSIC_SECRET, token, CLASSIC_REGION, CLASSIC_SERVICE, t, false, 0,
        false,        omit,           false
    };
    struct brk_sigv4_result res;
    brk_sigv4_result_init(&res);
    char name[512];
    (void)fmt(name, sizeof(name), "%s [brk_sigv4_sign]", base);
    if (brk_sigv4_sign(&r, &p, &res) != BEDROCK_OK) {
        printf("FAIL %s: sign failed\n", name);
        failures++;
    } else {
        (void)fmt(file, sizeof(file), "%s.creq", base);
        check_file(dir, file, name, res.canonical_request.data);
        (void)fmt(file, sizeof(file), "%s.authz", base);
        check_file(dir, file, name, res.authorization.data);
    }
    brk_sigv4_result_cleanup(&res);
}

/* The suite's session token is a signer input: it is the X-Amz-Security-Token header of
 * .sreq (already in .req for "post-sts-header-before"). post-sts-token/readme.txt says the
 * "-after" case adds it once signed, so there it is not signed. */
static char *classic_token(const char *dir, const char *base, bool *omit)
{
    char path[4096];
    size_t len = 0;
    (void)fmt(path, sizeof(path), "%s/%s.sreq", dir, base);
    char *text = vec_read_file(path, &len);
    struct vec_request sreq;
    char *token = NULL;
    if (text != NULL && vec_request_parse(&sreq, text, len)) {
        token = vec_request_header(&sreq, "X-Amz-Security-Token");
        vec_request_free(&sreq);
    }
    free(text);
    size_t bl = strlen(base);
    *omit = bl > 6 && strcmp(base + bl - 6, "-after") == 0;
    return token;
}

static int run_classic_case(const char *dir, const char *base)
{
    char path[4096];
    size_t len = 0;
    (void)fmt(path, sizeof(path), "%s/%s.req", dir, base);
    char *text = vec_read_file(path, &len);
    struct vec_request req;
    if (text == NULL || !vec_request_parse(&req, text, len)) {
        printf("FAIL %s: cannot parse .req\n", base);
        failures++;
        free(text);
        return 0;
    }
    char *amz_date = vec_request_header(&req, "X-Amz-Date");
    time_t t = 0;
    if (amz_date == NULL || brk_parse_amz_date(amz_date, &t) != BEDROCK_OK) {
        printf("FAIL %s: no usable X-Amz-Date\n", base);
        failures++;
    } else {
        bool omit = false;
        char *token = classic_token(dir, base, &omit);
        char *in_req = vec_request_header(&req, "X-Amz-Security-Token");
        struct vec_request signed_req = req;
        if (token != NULL && !omit && in_req == NULL) {
            struct brk_header *h = &signed_req.headers[signed_req.n_headers++];
            h->name = "X-Amz-Security-Token";
            h->name_len = strlen(h->name);
            h->value = token;
            h->value_len = strlen(token);
        }
        classic_blocks(dir, base, &signed_req, amz_date);
        classic_sign(dir, base, &req, t, token, omit);
        free(in_req);
        free(token);
    }
    free(amz_date);
    vec_request_free(&req);
    free(text);
    return 1;
}

/* A folder X holding X.req is a case; any other folder is walked. */
static int walk_classic(const char *dir, const char *base)
{
    char path[4096];
    struct stat st;
    (void)fmt(path, sizeof(path), "%s/%s.req", dir, base);
    if (stat(path, &st) == 0) {
        return run_classic_case(dir, base);
    }
    char **names = NULL;
    size_t n = list_dirs(dir, &names);
    int cases = 0;
    for (size_t i = 0; i < n; i++) {
        (void)fmt(path, sizeof(path), "%s/%s", dir, names[i]);
        cases += walk_classic(path, names[i]);
    }
    free_names(names, n);
    return cases;
}

static void classic_vectors(void **state)
{
    (void)state;
    char root[4096];
    (void)fmt(root, sizeof(root), "%s/testdata/sigv4-classic", shared_dir());
    int before = failures;
    int cases = walk_classic(root, "sigv4-classic");
    printf("sigv4-classic: %d cases (building blocks + brk_sigv4_sign), %d failures\n", cases,
           failures - before);
    assert_int_equal(cases, 34);
    assert_int_equal(failures, before);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(aws_vectors),
        cmocka_unit_test(classic_vectors),
    };
    int rc = cmocka_run_group_tests(tests, NULL, NULL);
    brk_sigv4_key_cache_clear();
    return rc;
}
