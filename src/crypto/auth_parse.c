/*
 * crypto/auth_parse.c - parse an Authorization header value of the SigV4 form:
 *
 *   AWS4-HMAC-SHA256 SP+ Credential=AKID/YYYYMMDD/region/service/aws4_request ,SP*
 *                        SignedHeaders=name;name ,SP* Signature=64-lower-hex
 *
 * The three components may come in any order, each exactly once; spaces or tabs around
 * the commas and at both ends are tolerated. Anything else is BEDROCK_E_PARSE.
 * Invariant: *out is written only on success; its slices point into the caller's value.
 */
#include "sigv4_internal.h"

#include <string.h>

static bool is_sp(char c)
{
    return c == ' ' || c == '\t';
}

static struct brk_slice trim(struct brk_slice s)
{
    while (s.len > 0 && is_sp(s.ptr[0])) {
        s.ptr++;
        s.len--;
    }
    while (s.len > 0 && is_sp(s.ptr[s.len - 1])) {
        s.len--;
    }
    return s;
}

/* Splits s at the first c: head before it, *rest after it. False when c is absent. */
static bool split(struct brk_slice s, char c, struct brk_slice *head, struct brk_slice *rest)
{
    const char *p = s.len > 0 ? memchr(s.ptr, c, s.len) : NULL;
    if (p == NULL) {
        return false;
    }
    head->ptr = s.ptr;
    head->len = (size_t)(p - s.ptr);
    rest->ptr = p + 1;
    rest->len = s.len - head->len - 1;
    return true;
}

static bool all_chars(struct brk_slice s, bool (*ok)(char))
{
    if (s.len == 0) {
        return false;
    }
    for (size_t i = 0; i < s.len; i++) {
        if (!ok(s.ptr[i])) {
            return false;
        }
    }
    return true;
}

static bool cred_char(char c)
{
    return c > ' ' && c < 0x7f && c != '/' && c != ',' && c != '=';
}

static bool digit(char c)
{
    return c >= '0' && c <= '9';
}

static bool lower_hex(char c)
{
    return digit(c) || (c >= 'a' && c <= 'f');
}

static bool header_char(char c)
{
    return (c >= 'a' && c <= 'z') || digit(c) || (c != '\0' && strchr("!#$%&'*+-.^_`|~", c));
}

static bedrock_code parse_credential(struct brk_slice v, struct brk_sigv4_auth *a)
{
    struct brk_slice parts[5];
    struct brk_slice rest = v;
    for (size_t i = 0; i < 4; i++) {
        if (!split(rest, '/', &parts[i], &rest)) {
            return BEDROCK_E_PARSE;
        }
    }
    parts[4] = rest;
    for (size_t i = 0; i < 5; i++) {
        if (!all_chars(parts[i], cred_char)) {
            return BEDROCK_E_PARSE;
        }
    }
    if (parts[1].len != 8 || !all_chars(parts[1], digit) ||
        !brk_slice_eq_str(parts[4], "aws4_request")) {
        return BEDROCK_E_PARSE;
    }
    a->access_key_id = parts[0];
    a->date = parts[1];
    a->region = parts[2];
    a->service = parts[3];
    return BEDROCK_OK;
}

static bedrock_code parse_signed_headers(struct brk_slice v, struct brk_sigv4_auth *a)
{
    struct brk_slice rest = v, item;
    while (split(rest, ';', &item, &rest)) {
        if (!all_chars(item, header_char)) {
            return BEDROCK_E_PARSE;
        }
    }
    if (!all_chars(rest, header_char)) {
        return BEDROCK_E_PARSE;
    }
    a->signed_headers = v;
    return BEDROCK_OK;
}

static bedrock_code parse_component(struct brk_slice c, struct brk_sigv4_auth *a, unsigned *seen)
{
    struct brk_slice name, val;
    if (!split(c, '=', &name, &val)) {
        return BEDROCK_E_PARSE;
    }
    if (brk_slice_eq_str(name, "Credential") && (*seen & 1u) == 0) {
        *seen |= 1u;
        return parse_credential(val, a);
    }
    if (brk_slice_eq_str(name, "SignedHeaders") && (*seen & 2u) == 0) {
        *seen |= 2u;
        return parse_signed_headers(val, a);
    }
    if (brk_slice_eq_str(name, "Signature") && (*seen & 4u) == 0) {
        *seen |= 4u;
        if (val.len != 64 || !all_chars(val, lower_hex)) {
            return BEDROCK_E_PARSE;
        }
        a->signature = val;
        return BEDROCK_OK;
    }
    return BEDROCK_E_PARSE; /* unknown or repeated component */
}

bedrock_code brk_sigv4_parse_authorization(const char *value, size_t len,
                                           struct brk_sigv4_auth *out)
{
    static const char alg[] = BRK_SIGV4_ALGORITHM;
    if (value == NULL || out == NULL) {
        return BEDROCK_E_INVALID_ARG;
    }
    struct brk_slice s = trim((struct brk_slice){ value, len });
    if (s.len <= sizeof(alg) || memcmp(s.ptr, alg, sizeof(alg) - 1) != 0 ||
        !is_sp(s.ptr[sizeof(alg) - 1])) {
        return BEDROCK_E_PARSE;
    }
    struct brk_slice rest = trim((struct brk_slice){ s.ptr + sizeof(alg), s.len - sizeof(alg) });
    struct brk_sigv4_auth a;
    memset(&a, 0, sizeof(a));
    unsigned seen = 0;
    struct brk_slice comp;
    for (;;) {
        bool more = split(rest, ',', &comp, &rest);
        if (!more) {
            comp = rest;
        }
        bedrock_code rc = parse_component(trim(comp), &a, &seen);
        if (rc != BEDROCK_OK) {
            return rc;
        }
        if (!more) {
            break;
        }
    }
    if (seen != 7u) {
        return BEDROCK_E_PARSE;
    }
    *out = a;
    return BEDROCK_OK;
}
