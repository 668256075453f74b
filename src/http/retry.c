/*
 * http/retry.c - the SDKs' "standard" retry mode: which failures to retry and how long to wait.
 *
 * Retried: transport failures E_NETWORK / E_TIMEOUT, HTTP 429/500/502/503/504 and the AWS
 * codes core/errors.c marks retryable (throttling and transient service errors).
 * Delay: full jitter, uniform in [0, min(max_backoff, base * 2^(attempt-1))]; throttles use
 * a base five times larger; an x-amz-retry-after value (ms) replaces the computed delay,
 * still capped by max_backoff_ms so a server cannot park us for hours.
 * Jitter comes from xorshift32 seeded with OpenSSL RAND_bytes (not the C library PRNG).
 */
#include "core/errors.h"
#include "http.h"

#include <errno.h>
#include <openssl/rand.h>
#include <time.h>

#define THROTTLE_FACTOR 5

static uint32_t seed(void)
{
    uint32_t s = 0;
    if (RAND_bytes((unsigned char *)&s, sizeof(s)) != 1) {
        struct timespec ts;
        clock_gettime(CLOCK_MONOTONIC, &ts);
        s = (uint32_t)ts.tv_nsec ^ (uint32_t)ts.tv_sec;
    }
    return s != 0 ? s : 0x9e3779b9u;
}

static uint32_t next_rand(struct brk_retry *r)
{
    uint32_t x = r->rng_state != 0 ? r->rng_state : seed();
    x ^= x << 13;
    x ^= x >> 17;
    x ^= x << 5;
    r->rng_state = x;
    return x;
}

void brk_retry_init(struct brk_retry *r, int max_attempts)
{
    r->max_attempts = max_attempts > 0 ? max_attempts : 3;
    r->base_delay_ms = 100;
    r->max_backoff_ms = 20000;
    r->rng_state = 0; /* seeded at the first retry: most calls never retry, and seeding
                       * instantiates OpenSSL's DRBG (time and memory on every CLI call) */
}

static bool transport_retryable(bedrock_code rc)
{
    return rc == BEDROCK_E_NETWORK || rc == BEDROCK_E_TIMEOUT;
}

/* min(cap, base * 2^(attempt-1)) without overflow */
static long backoff_ceiling(long base, int attempt, long cap)
{
    long v = base > 0 ? base : 0;
    for (int i = 1; i < attempt && v < cap; i++) {
        v *= 2;
    }
    return v < cap ? v : cap;
}

bool brk_retry_should(struct brk_retry *r, int attempt, bedrock_code transport_rc, int status,
                      const char *aws_code, long retry_after_ms, long *delay_ms)
{
    if (attempt < 1 || attempt >= r->max_attempts) {
        return false;
    }
    bool throttle = false;
    if (transport_rc != BEDROCK_OK) {
        if (!transport_retryable(transport_rc)) {
            return false;
        }
    } else {
        if (status < 300 && (aws_code == NULL || aws_code[0] == '\0')) {
            return false;
        }
        if (!brk_error_is_retryable(status, aws_code)) {
            return false;
        }
        throttle = brk_error_is_throttle(status, aws_code);
    }
    long cap = r->max_backoff_ms > 0 ? r->max_backoff_ms : 0;
    long base = throttle ? r->base_delay_ms * THROTTLE_FACTOR : r->base_delay_ms;
    long delay;
    if (retry_after_ms >= 0) {
        delay = retry_after_ms < cap ? retry_after_ms : cap;
    } else {
        long ceiling = backoff_ceiling(base, attempt, cap);
        delay = ceiling > 0 ? (long)(next_rand(r) % ((uint32_t)ceiling + 1u)) : 0;
    }
    if (delay_ms != NULL) {
        *delay_ms = delay;
    }
    return true;
}

void brk_sleep_ms(long ms)
{
    if (ms <= 0) {
        return;
    }
    struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };
    while (nanosleep(&ts, &ts) != 0 && errno == EINTR) {
    }
}
