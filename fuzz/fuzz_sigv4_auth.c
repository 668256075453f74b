/*
 * fuzz/fuzz_sigv4_auth.c - the SigV4 parsers over arbitrary bytes: the Authorization header
 * parser (as the emulator sees it), then the canonical query, canonical URI and percent
 * decoder over the same input as a C string. Invariants checked: success implies every slice
 * lies inside the input and the signature is 64 bytes; buffers stay valid (brk_buf_ok).
 */
#include "core/alloc.h"
#include "core/limits.h"
#include "crypto/sigv4.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_slice(struct brk_slice s, const char *base, size_t size)
{
    if (s.ptr < base || s.ptr + s.len > base + size) {
        abort();
    }
}

static void fuzz_auth(const char *p, size_t size)
{
    struct brk_sigv4_auth a;
    if (brk_sigv4_parse_authorization(p, size, &a) == BEDROCK_OK) {
        check_slice(a.access_key_id, p, size);
        check_slice(a.date, p, size);
        check_slice(a.region, p, size);
        check_slice(a.service, p, size);
        check_slice(a.signed_headers, p, size);
        check_slice(a.signature, p, size);
        if (a.signature.len != 64 || a.date.len != 8) {
            abort();
        }
    }
}

/* The only outcomes a parser may report for bad input. */
static void check_rc(bedrock_code rc)
{
    if (rc != BEDROCK_OK && rc != BEDROCK_E_PARSE && rc != BEDROCK_E_LIMIT) {
        abort();
    }
}

static void fuzz_canon(const char *s, size_t size)
{
    static const char *const skip[] = { "X-Amz-Signature", NULL };
    struct brk_buf b = BRK_BUF(BRK_MAX_SIGV4_BYTES);
    check_rc(brk_sigv4_canonical_query(&b, s, skip));
    if (!brk_buf_ok(&b)) {
        abort();
    }
    brk_buf_reset(&b);
    check_rc(brk_sigv4_canonical_uri(&b, s, true));
    check_rc(brk_sigv4_canonical_uri(&b, s, false));
    check_rc(brk_uri_decode(&b, s, size, true));
    if (!brk_buf_ok(&b)) {
        abort();
    }
    brk_buf_cleanup(&b);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fuzz_auth((const char *)data, size);
    char *s = malloc(size + 1);
    if (s == NULL) {
        return 0;
    }
    memcpy(s, data, size);
    s[size] = '\0';
    fuzz_canon(s, strlen(s));
    free(s);
    return 0;
}
