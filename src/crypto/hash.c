/*
 * crypto/hash.c - SHA-256, HMAC-SHA256 and hex over OpenSSL EVP.
 *
 * HMAC is the RFC 2104 construction over the EVP SHA-256 digest, so the signer can reuse one
 * EVP_MD_CTX for every hash it computes (OpenSSL 3's one-shot HMAC() fetches the algorithm
 * on every call, which costs more than the hashing itself for short inputs).
 * Invariants: the ipad/opad blocks and the inner digest are wiped before every return;
 * out-parameters are written only on success.
 */
#include "hash_internal.h"
#include "sigv4.h"

#include <openssl/crypto.h>
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

bool brk_sha256_ctx2(EVP_MD_CTX *ctx, const void *a, size_t na, const void *b, size_t nb,
                     uint8_t out[32])
{
    const EVP_MD *md = brk_sha256_md();
    unsigned int outlen = 0;
    if (md == NULL || EVP_DigestInit_ex(ctx, md, NULL) != 1) {
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

void brk_hex_encode(const uint8_t *in, size_t n, char *out)
{
    static const char digits[] = "0123456789abcdef";
    for (size_t i = 0; i < n; i++) {
        out[2 * i] = digits[in[i] >> 4];
        out[2 * i + 1] = digits[in[i] & 0x0f];
    }
    out[2 * n] = '\0';
}
