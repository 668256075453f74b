/*
 * crypto/hash.c - SHA-256, HMAC-SHA256 and hex over OpenSSL EVP.
 *
 * HMAC is the RFC 2104 construction over the EVP SHA-256 digest, so the signer can reuse one
 * EVP_MD_CTX for every hash it computes (OpenSSL 3's one-shot HMAC() fetches the algorithm
 * on every call, which costs more than the hashing itself for short inputs).
 * The signer's hot path uses brk_sha256_* / brk_hmac_pads_* instead (see brk_sha256_begin).
 * Invariants: the ipad/opad blocks and the inner digest are wiped before every return;
 * out-parameters are written only on success.
 */
/* the four SHA256_* calls below are deliberate: see brk_sha256_begin */
#define OPENSSL_SUPPRESS_DEPRECATED
#include "hash_internal.h"
#include "sigv4.h"

#include <openssl/crypto.h>
#include <openssl/sha.h>
#include <pthread.h>
#include <string.h>

#define SHA256_BLOCK 64

static pthread_once_t md_once = PTHREAD_ONCE_INIT;
static EVP_MD *md_sha256;

static void fetch_md(void)
{
    md_sha256 = EVP_MD_fetch(NULL, "SHA256", NULL);
}

const EVP_MD *brk_sha256_md(void)
{
    (void)pthread_once(&md_once, fetch_md);
    return md_sha256;
}

bool brk_sha256_init(EVP_MD_CTX *ctx)
{
    const EVP_MD *md = brk_sha256_md();
    if (md == NULL) {
        return false;
    }
    return EVP_DigestInit_ex2(ctx, EVP_MD_CTX_get0_md(ctx) == md ? NULL : md, NULL) == 1;
}

bool brk_sha256_ctx2(EVP_MD_CTX *ctx, const void *a, size_t na, const void *b, size_t nb,
                     uint8_t out[32])
{
    unsigned int outlen = 0;
    if (!brk_sha256_init(ctx)) {
        return false;
    }
    if (na > 0 && EVP_DigestUpdate(ctx, a, na) != 1) {
        return false;
    }
    if (b != NULL && nb > 0 && EVP_DigestUpdate(ctx, b, nb) != 1) {
        return false;
    }
    return EVP_DigestFinal_ex(ctx, out, &outlen) == 1 && outlen == 32;
}

bool brk_hmac_sha256_ctx(EVP_MD_CTX *ctx, const void *key, size_t keylen, const void *data,
                         size_t n, uint8_t out[32])
{
    uint8_t k[SHA256_BLOCK];
    uint8_t pad[SHA256_BLOCK];
    uint8_t inner[32];
    bool ok = false;

    memset(k, 0, sizeof(k));
    if (keylen > SHA256_BLOCK) {
        if (!brk_sha256_ctx2(ctx, key, keylen, NULL, 0, k)) {
            goto out;
        }
    } else if (keylen > 0) {
        memcpy(k, key, keylen);
    }
    for (size_t i = 0; i < SHA256_BLOCK; i++) {
        pad[i] = (uint8_t)(k[i] ^ 0x36);
    }
    if (!brk_sha256_ctx2(ctx, pad, sizeof(pad), data, n, inner)) {
        goto out;
    }
    for (size_t i = 0; i < SHA256_BLOCK; i++) {
        pad[i] = (uint8_t)(k[i] ^ 0x5c);
    }
    ok = brk_sha256_ctx2(ctx, pad, sizeof(pad), inner, sizeof(inner), out);
out:
    OPENSSL_cleanse(k, sizeof(k));
    OPENSSL_cleanse(pad, sizeof(pad));
    OPENSSL_cleanse(inner, sizeof(inner));
    return ok;
}

/*
 * The signer's hot path. OpenSSL 3 deprecates SHA256_Init/Update/Final, but through EVP every
 * hash costs ~50 ns of dispatch (measured: a one-block hash is ~64 ns with SHA256_* and ~115
 * ns with a reused EVP_MD_CTX and EVP_DigestInit_ex2(ctx, NULL, NULL)), and a precomputed HMAC
 * state can only be restored with EVP_MD_CTX_copy_ex, which frees and mallocs the provider
 * context on every copy. With EVP everywhere the 1 KiB InvokeModel bench stayed at ~475k
 * signatures/s; these four calls take it past 500k. They run the same SHA-256 code (SHA-NI
 * where the CPU has it) as the default provider. Everything else here stays on EVP.
 */
_Static_assert(sizeof(SHA256_CTX) <= sizeof(struct brk_sha256_state), "SHA256_CTX size");
_Static_assert(_Alignof(SHA256_CTX) <= _Alignof(struct brk_sha256_state), "SHA256_CTX align");

static SHA256_CTX *raw(struct brk_sha256_state *s)
{
    return (SHA256_CTX *)(void *)s->opaque;
}

void brk_sha256_begin(struct brk_sha256_state *s)
{
    (void)SHA256_Init(raw(s));
}

void brk_sha256_add(struct brk_sha256_state *s, const void *p, size_t n)
{
    if (n > 0) {
        (void)SHA256_Update(raw(s), p, n);
    }
}

void brk_sha256_end(struct brk_sha256_state *s, uint8_t out[32])
{
    (void)SHA256_Final(out, raw(s));
    OPENSSL_cleanse(s, sizeof(*s));
}

void brk_hmac_pads_set(struct brk_hmac_pads *pads, const void *key, size_t keylen)
{
    uint8_t k[SHA256_BLOCK];
    uint8_t pad[SHA256_BLOCK];
    memset(k, 0, sizeof(k));
    if (keylen > SHA256_BLOCK) {
        struct brk_sha256_state t;
        brk_sha256_begin(&t);
        brk_sha256_add(&t, key, keylen);
        brk_sha256_end(&t, k);
    } else if (keylen > 0) {
        memcpy(k, key, keylen);
    }
    for (size_t i = 0; i < SHA256_BLOCK; i++) {
        pad[i] = (uint8_t)(k[i] ^ 0x36);
    }
    brk_sha256_begin(&pads->inner);
    brk_sha256_add(&pads->inner, pad, sizeof(pad));
    for (size_t i = 0; i < SHA256_BLOCK; i++) {
        pad[i] = (uint8_t)(k[i] ^ 0x5c);
    }
    brk_sha256_begin(&pads->outer);
    brk_sha256_add(&pads->outer, pad, sizeof(pad));
    OPENSSL_cleanse(k, sizeof(k));
    OPENSSL_cleanse(pad, sizeof(pad));
}

void brk_hmac_pads_wipe(struct brk_hmac_pads *pads)
{
    OPENSSL_cleanse(pads, sizeof(*pads));
}

void brk_hmac_pads_mac(const struct brk_hmac_pads *pads, const void *data, size_t n,
                       uint8_t out[32])
{
    struct brk_sha256_state s = pads->inner;
    uint8_t ih[32];
    brk_sha256_add(&s, data, n);
    brk_sha256_end(&s, ih); /* wipes s */
    s = pads->outer;
    brk_sha256_add(&s, ih, sizeof(ih));
    brk_sha256_end(&s, out);
    OPENSSL_cleanse(ih, sizeof(ih));
}

/* The void helpers cannot report failure; they fall back to OpenSSL's one-shot API and, if
 * even that fails (out of memory inside OpenSSL), leave an all-zero digest. */
void brk_sha256(const void *data, size_t n, uint8_t out[32])
{
    EVP_MD_CTX *ctx = EVP_MD_CTX_new();
    bool ok = ctx != NULL && brk_sha256_ctx2(ctx, data, n, NULL, 0, out);
    EVP_MD_CTX_free(ctx);
    if (!ok) {
        unsigned int len = 0;
        if (EVP_Digest(data, n, out, &len, EVP_sha256(), NULL) != 1) {
            memset(out, 0, 32);
        }
    }
}

void brk_sha256_hex(const void *data, size_t n, char hex[65])
{
    uint8_t d[32];
    brk_sha256(data, n, d);
    brk_hex_encode(d, sizeof(d), hex);
}

void brk_hmac_sha256(const void *key, size_t keylen, const void *data, size_t n, uint8_t out[32])
{
    EVP_MD_CTX *ctx = EVP_MD_CTX_new();
    bool ok = ctx != NULL && brk_hmac_sha256_ctx(ctx, key, keylen, data, n, out);
    EVP_MD_CTX_free(ctx);
    if (!ok) {
        memset(out, 0, 32);
    }
}

/* "000102...ff": two output bytes per input byte from one load. */
#define HEX_ROW(h) \
    h "0" h "1" h "2" h "3" h "4" h "5" h "6" h "7" h "8" h "9" h "a" h "b" h "c" h "d" h "e" h "f"
static const char hex_pairs[513] = HEX_ROW("0") HEX_ROW("1") HEX_ROW("2") HEX_ROW("3") HEX_ROW("4")
    HEX_ROW("5") HEX_ROW("6") HEX_ROW("7") HEX_ROW("8") HEX_ROW("9") HEX_ROW("a") HEX_ROW("b")
        HEX_ROW("c") HEX_ROW("d") HEX_ROW("e") HEX_ROW("f");
#undef HEX_ROW

void brk_hex_encode(const uint8_t *in, size_t n, char *out)
{
    for (size_t i = 0; i < n; i++) {
        memcpy(out + 2 * i, hex_pairs + 2 * (size_t)in[i], 2);
    }
    out[2 * n] = '\0';
}
