/*
 * core/alloc.c - allocation wrappers with a fail-after-N switch for out-of-memory tests.
 * The counter is process-wide and not thread-safe; it is only armed by single-threaded tests.
 */
#include "alloc.h"

#include <openssl/crypto.h>
#include <stdlib.h>
#include <string.h>

static unsigned long fail_at;    /* 0 = never fail */
static unsigned long alloc_seen; /* allocations since arming */

static int should_fail(void)
{
    alloc_seen++;
    return fail_at != 0 && alloc_seen >= fail_at;
}

unsigned long brk_alloc_fail_after(unsigned long n)
{
    unsigned long seen = alloc_seen;
    fail_at = n;
    alloc_seen = 0;
    return seen;
}

void *brk_malloc(size_t n)
{
    if (should_fail()) {
        return NULL;
    }
    return malloc(n == 0 ? 1 : n);
}

void *brk_calloc(size_t count, size_t size)
{
    if (should_fail()) {
        return NULL;
    }
    return calloc(count == 0 ? 1 : count, size == 0 ? 1 : size);
}

void *brk_realloc(void *p, size_t n)
{
    if (should_fail()) {
        return NULL;
    }
    return realloc(p, n == 0 ? 1 : n);
}

void brk_free(void *p)
{
    free(p);
}

char *brk_strndup(const char *s, size_t n)
{
    char *d = brk_malloc(n + 1);
    if (d == NULL) {
        return NULL;
    }
    memcpy(d, s, n);
    d[n] = '\0';
    return d;
}

char *brk_strdup(const char *s)
{
    return brk_strndup(s, strlen(s));
}

void brk_wipe(void *p, size_t n)
{
    if (p != NULL && n > 0) {
        OPENSSL_cleanse(p, n);
    }
}

void brk_secret_free(char *s)
{
    if (s == NULL) {
        return;
    }
    brk_wipe(s, strlen(s));
    brk_free(s);
}
