/*
 * core/alloc.h - the one allocator: every allocation in the library goes through here so
 * tests can fail the Nth allocation (torture mode) and check that failures leak nothing.
 */
#ifndef BRK_CORE_ALLOC_H
#define BRK_CORE_ALLOC_H

#include <stddef.h>

void *brk_malloc(size_t n);
void *brk_calloc(size_t count, size_t size);
void *brk_realloc(void *p, size_t n);
void brk_free(void *p);
char *brk_strdup(const char *s);
char *brk_strndup(const char *s, size_t n);

/* Test hook: make allocation number n (1-based, counted from now) and every later one fail.
 * n == 0 disables. Returns how many allocations happened since the last call. */
unsigned long brk_alloc_fail_after(unsigned long n);

/* Overwrite with zeros in a way the compiler cannot drop (OPENSSL_cleanse). */
void brk_wipe(void *p, size_t n);
/* Wipe strlen(s) bytes, then free. NULL is fine. For secret strings. */
void brk_secret_free(char *s);

#endif
