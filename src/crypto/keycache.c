/*
 * crypto/keycache.c - SigV4 signing-key derivation with a small process-wide cache.
 *
 * kSigning = HMAC(HMAC(HMAC(HMAC("AWS4" + secret, date8), region), service), "aws4_request").
 * The cache holds at most KEYCACHE_SLOTS keys, found by (secret, date, region, service). The
 * secret is kept in the slot (compared with CRYPTO_memcmp) rather than hashed, because hashing
 * it on every lookup costs as much as the rest of the lookup; so a slot is as sensitive as
 * the secret: a slot that is evicted, or whose date is older than the day before the newest
 * date inserted, is wiped with OPENSSL_cleanse, as is every slot on brk_sigv4_key_cache_clear.
 * All stack scratch that held key material is wiped before return. A mutex guards the table.
 * Each slot also keeps the key's HMAC pad states (struct brk_hmac_pads: SHA-256 after key^ipad
 * and key^opad), so a signature costs two struct copies instead of two extra compressions;
 * they are plain memory inside the slot and are wiped with it.
 */
#include "../core/alloc.h"
#include "hash_internal.h"
#include "sigv4_internal.h"

#include <openssl/crypto.h>
#include <pthread.h>
#include <string.h>

#define KEYCACHE_SLOTS 8
#define FIELD_MAX      64
#define SECRET_MAX     128

struct key_slot {
    bool used;
    uint64_t last_use;
    size_t secret_len;
    char secret[SECRET_MAX];
    char date8[9];
    char region[FIELD_MAX];
    char service[FIELD_MAX];
    uint8_t key[32];
    struct brk_hmac_pads pads;
};

static pthread_mutex_t cache_lock = PTHREAD_MUTEX_INITIALIZER;
static struct key_slot cache[KEYCACHE_SLOTS];
static uint64_t use_clock;
static unsigned long stat_hits, stat_misses;

static void wipe_slot(struct key_slot *s)
{
    OPENSSL_cleanse(s, sizeof(*s)); /* key, secret and pads */
    s->used = false;
}

static bedrock_code derive(EVP_MD_CTX *ctx, const char *secret, const char *date8,
                           const char *region, const char *service, uint8_t key[32])
{
    char stack_k[260];
    size_t sl = strlen(secret);
    char *k = sl + 4 <= sizeof(stack_k) ? stack_k : brk_malloc(sl + 4);
    uint8_t a[32], b[32];
    bedrock_code rc = BEDROCK_E_INTERNAL;
    if (k == NULL) {
        return BEDROCK_E_NOMEM;
    }
    memcpy(k, "AWS4", 4);
    memcpy(k + 4, secret, sl);
    if (brk_hmac_sha256_ctx(ctx, k, sl + 4, date8, strlen(date8), a) &&
        brk_hmac_sha256_ctx(ctx, a, 32, region, strlen(region), b) &&
        brk_hmac_sha256_ctx(ctx, b, 32, service, strlen(service), a) &&
        brk_hmac_sha256_ctx(ctx, a, 32, "aws4_request", 12, b)) {
        memcpy(key, b, 32);
        rc = BEDROCK_OK;
    }
    OPENSSL_cleanse(k, sl + 4);
    if (k != stack_k) {
        brk_free(k);
    }
    OPENSSL_cleanse(a, sizeof(a));
    OPENSSL_cleanse(b, sizeof(b));
    return rc;
}

static bool slot_matches(const struct key_slot *s, const char *secret, size_t sl, const char *date8,
                         const char *region, const char *service)
{
    return s->used && s->secret_len == sl && strcmp(s->date8, date8) == 0 &&
           strcmp(s->region, region) == 0 && strcmp(s->service, service) == 0 &&
           CRYPTO_memcmp(s->secret, secret, sl) == 0;
}

/* Wipes slots dated before the day preceding date8 (keys that no request can still use). */
static void expire_old(const char *date8)
{
    char stamp[17];
    time_t t = 0;
    memcpy(stamp, date8, 8);
    memcpy(stamp + 8, "T000000Z", 9);
    if (brk_parse_amz_date(stamp, &t) != BEDROCK_OK) {
        return;
    }
    brk_amz_date(t - 86400, stamp);
    stamp[8] = '\0';
    for (size_t i = 0; i < KEYCACHE_SLOTS; i++) {
        if (cache[i].used && strcmp(cache[i].date8, stamp) < 0) {
            wipe_slot(&cache[i]);
        }
    }
}

static struct key_slot *insert(const char *secret, size_t sl, const char *date8, const char *region,
                               const char *service, const uint8_t key[32])
{
    expire_old(date8);
    struct key_slot *victim = &cache[0];
    for (size_t i = 0; i < KEYCACHE_SLOTS; i++) {
        if (!cache[i].used) {
            victim = &cache[i];
            break;
        }
        if (cache[i].last_use < victim->last_use) {
            victim = &cache[i];
        }
    }
    wipe_slot(victim);
    victim->used = true;
    victim->last_use = ++use_clock;
    victim->secret_len = sl;
    memcpy(victim->secret, secret, sl);
    memcpy(victim->date8, date8, 9);
    memcpy(victim->region, region, strlen(region) + 1);
    memcpy(victim->service, service, strlen(service) + 1);
    memcpy(victim->key, key, 32);
    brk_hmac_pads_set(&victim->pads, key, 32);
    return victim;
}

static bool valid_date8(const char *d)
{
    if (strlen(d) != 8) {
        return false;
    }
    for (size_t i = 0; i < 8; i++) {
        if (d[i] < '0' || d[i] > '9') {
            return false;
        }
    }
    return true;
}

static bool args_ok(const char *secret, const char *date8, const char *region, const char *service)
{
    return secret != NULL && date8 != NULL && region != NULL && service != NULL &&
           valid_date8(date8);
}

static bool cacheable(size_t sl, const char *region, const char *service)
{
    return strlen(region) < FIELD_MAX && strlen(service) < FIELD_MAX && sl <= SECRET_MAX;
}

/* The matching slot or NULL. Call with cache_lock held. */
static struct key_slot *find(const char *secret, size_t sl, const char *date8, const char *region,
                             const char *service)
{
    for (size_t i = 0; i < KEYCACHE_SLOTS; i++) {
        if (slot_matches(&cache[i], secret, sl, date8, region, service)) {
            return &cache[i];
        }
    }
    return NULL;
}

/* find, refreshing the slot's last_use and counting the hit or miss. */
static struct key_slot *lookup(const char *secret, size_t sl, const char *date8, const char *region,
                               const char *service)
{
    struct key_slot *s = find(secret, sl, date8, region, service);
    if (s != NULL) {
        s->last_use = ++use_clock;
        stat_hits++;
    } else {
        stat_misses++;
    }
    return s;
}

/* The signing key and/or its HMAC pad states (either out may be NULL), from the cache when
 * possible, else derived and cached. The one path both public entry points share. */
static bedrock_code material(EVP_MD_CTX *ctx, const char *secret, const char *date8,
                             const char *region, const char *service, uint8_t *key,
                             struct brk_hmac_pads *pads)
{
    if (!args_ok(secret, date8, region, service)) {
        return BEDROCK_E_INVALID_ARG;
    }
    size_t sl = strlen(secret);
    bool use_cache = cacheable(sl, region, service);
    uint8_t derived[32];
    bedrock_code rc = BEDROCK_OK;
    if (use_cache) {
        pthread_mutex_lock(&cache_lock);
        struct key_slot *s = lookup(secret, sl, date8, region, service);
        if (s != NULL) {
            if (key != NULL) {
                memcpy(key, s->key, 32);
            }
            if (pads != NULL) {
                *pads = s->pads;
            }
        }
        pthread_mutex_unlock(&cache_lock);
        if (s != NULL) {
            return BEDROCK_OK;
        }
    }
    rc = derive(ctx, secret, date8, region, service, derived);
    if (rc != BEDROCK_OK) {
        goto out;
    }
    if (use_cache) {
        pthread_mutex_lock(&cache_lock);
        if (find(secret, sl, date8, region, service) == NULL) { /* another thread may have */
            (void)insert(secret, sl, date8, region, service, derived);
        }
        pthread_mutex_unlock(&cache_lock);
    }
    if (key != NULL) {
        memcpy(key, derived, 32);
    }
    if (pads != NULL) {
        brk_hmac_pads_set(pads, derived, sizeof(derived));
    }
out:
    OPENSSL_cleanse(derived, sizeof(derived));
    return rc;
}

bedrock_code brk_sigv4_signing_key_ctx(EVP_MD_CTX *ctx, const char *secret, const char *date8,
                                       const char *region, const char *service, uint8_t key[32])
{
    return material(ctx, secret, date8, region, service, key, NULL);
}

bedrock_code brk_sigv4_signing_pads_ctx(EVP_MD_CTX *ctx, struct brk_hmac_pads *pads,
                                        const char *secret, const char *date8, const char *region,
                                        const char *service)
{
    return material(ctx, secret, date8, region, service, NULL, pads);
}

bedrock_code brk_sigv4_signing_key(const char *secret, const char *date8, const char *region,
                                   const char *service, uint8_t key[32])
{
    EVP_MD_CTX *ctx = EVP_MD_CTX_new();
    if (ctx == NULL) {
        return BEDROCK_E_NOMEM;
    }
    bedrock_code rc = brk_sigv4_signing_key_ctx(ctx, secret, date8, region, service, key);
    EVP_MD_CTX_free(ctx);
    return rc;
}

bedrock_code brk_sigv4_signing_key_uncached(const char *secret, const char *date8,
                                            const char *region, const char *service,
                                            uint8_t key[32])
{
    if (!args_ok(secret, date8, region, service)) {
        return BEDROCK_E_INVALID_ARG;
    }
    EVP_MD_CTX *ctx = EVP_MD_CTX_new();
    if (ctx == NULL) {
        return BEDROCK_E_NOMEM;
    }
    bedrock_code rc = derive(ctx, secret, date8, region, service, key);
    EVP_MD_CTX_free(ctx);
    return rc;
}

void brk_sigv4_key_cache_clear(void)
{
    pthread_mutex_lock(&cache_lock);
    for (size_t i = 0; i < KEYCACHE_SLOTS; i++) {
        wipe_slot(&cache[i]);
    }
    stat_hits = 0;
    stat_misses = 0;
    pthread_mutex_unlock(&cache_lock);
}

void brk_sigv4_key_cache_stats(unsigned long *hits, unsigned long *misses, size_t *entries)
{
    pthread_mutex_lock(&cache_lock);
    size_t used = 0;
    for (size_t i = 0; i < KEYCACHE_SLOTS; i++) {
        used += cache[i].used ? 1 : 0;
    }
    if (hits != NULL) {
        *hits = stat_hits;
    }
    if (misses != NULL) {
        *misses = stat_misses;
    }
    if (entries != NULL) {
        *entries = used;
    }
    pthread_mutex_unlock(&cache_lock);
}
