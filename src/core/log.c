/*
 * core/log.c - debug logging with redaction of signatures, session tokens and bearer tokens.
 */
#include "log.h"

#include "alloc.h"

#include <stdarg.h>
#include <string.h>
#include <strings.h>

int brk_log_level;
static FILE *log_stream;

void brk_log_set_level(int level)
{
    brk_log_level = level;
}

void brk_log_set_stream(FILE *f)
{
    log_stream = f;
}

bool brk_log_enabled(void)
{
    return brk_log_level > 0;
}

void brk_log_debug(const char *fmt, ...)
{
    if (brk_log_level <= 0) {
        return;
    }
    FILE *f = log_stream != NULL ? log_stream : stderr;
    va_list ap;
    va_start(ap, fmt);
    fputs("debug: ", f);
    vfprintf(f, fmt, ap);
    fputc('\n', f);
    va_end(ap);
}

static bool name_is(const char *name, size_t n, const char *want)
{
    return strlen(want) == n && strncasecmp(name, want, n) == 0;
}

static bool name_mentions(const char *name, size_t n, const char *word)
{
    size_t w = strlen(word);
    for (size_t i = 0; i + w <= n; i++) {
        if (strncasecmp(name + i, word, w) == 0) {
            return true;
        }
    }
    return false;
}

char *brk_log_redact_header(const char *name, size_t name_len, const char *value, size_t value_len,
                            char *out, size_t outlen)
{
    if (outlen == 0) {
        return out;
    }
    size_t keep = value_len;
    const char *mask = NULL;
    if (name_is(name, name_len, "authorization")) {
        const char *sig = NULL;
        for (size_t i = 0; i + 10 <= value_len; i++) {
            if (strncmp(value + i, "Signature=", 10) == 0) {
                sig = value + i + 10;
                break;
            }
        }
        if (sig != NULL) {
            keep = (size_t)(sig - value);
            mask = "<redacted>";
        } else {
            /* Bearer or anything else: keep the scheme only */
            keep = 0;
            while (keep < value_len && value[keep] != ' ') {
                keep++;
            }
            mask = keep < value_len ? " <redacted>" : "<redacted>";
            if (keep == value_len) {
                keep = 0;
            }
        }
    } else if (name_mentions(name, name_len, "token") || name_mentions(name, name_len, "secret") ||
               name_mentions(name, name_len, "signature") ||
               name_mentions(name, name_len, "credential-process")) {
        keep = 0;
        mask = "<redacted>";
    }
    size_t n = keep < outlen - 1 ? keep : outlen - 1;
    memcpy(out, value, n);
    out[n] = '\0';
    if (mask != NULL) {
        size_t m = strlen(mask);
        if (n + m < outlen) {
            memcpy(out + n, mask, m + 1);
        }
    }
    return out;
}

void brk_log_http_header(const char *prefix, const char *name, size_t name_len, const char *value,
                         size_t value_len)
{
    if (brk_log_level <= 0) {
        return;
    }
    char red[2048];
    brk_log_redact_header(name, name_len, value, value_len, red, sizeof(red));
    brk_log_debug("%s%.*s: %s", prefix, (int)name_len, name, red);
}

/* SigV4-style percent-encoding of s into out (unreserved kept); returns length, 0 if too long. */
static size_t pct_encode(const char *s, char *out, size_t outlen)
{
    static const char hex[] = "0123456789ABCDEF";
    size_t n = 0;
    for (const unsigned char *p = (const unsigned char *)s; *p != '\0'; p++) {
        bool unreserved = (*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') ||
                          (*p >= '0' && *p <= '9') || *p == '-' || *p == '_' || *p == '.' ||
                          *p == '~';
        if (n + 4 >= outlen) {
            return 0;
        }
        if (unreserved) {
            out[n++] = (char)*p;
        } else {
            out[n++] = '%';
            out[n++] = hex[*p >> 4];
            out[n++] = hex[*p & 15];
        }
    }
    out[n] = '\0';
    return n;
}

#define MASK_MAX 4 /* secrets per call */

/* Length of the secret form (raw or encoded) starting at text[i], or 0. */
static size_t secret_at(const char *text, size_t len, size_t i, const char *const *secrets,
                        size_t n, char enc[][4096])
{
    for (size_t k = 0; k < n; k++) {
        if (secrets[k] == NULL) {
            continue;
        }
        const char *forms[2] = { secrets[k], enc[k] };
        for (int f = 0; f < 2; f++) {
            size_t m = strlen(forms[f]);
            if (m >= 8 && m <= len - i && memcmp(text + i, forms[f], m) == 0) {
                return m;
            }
        }
    }
    return 0;
}

void brk_write_masked(FILE *f, const char *text, size_t len, const char *const *secrets, size_t n,
                      const char *mask)
{
    char enc[MASK_MAX][4096];
    n = n < MASK_MAX ? n : MASK_MAX;
    for (size_t k = 0; k < n; k++) {
        if (secrets[k] == NULL || secrets[k][0] == '\0' ||
            pct_encode(secrets[k], enc[k], sizeof(enc[k])) == 0) {
            enc[k][0] = '\0';
        }
    }
    size_t start = 0;
    for (size_t i = 0; text != NULL && i < len;) {
        size_t m = secret_at(text, len, i, secrets, n, enc);
        if (m == 0) {
            i++;
            continue;
        }
        fwrite(text + start, 1, i - start, f);
        fputs(mask, f);
        i += m;
        start = i;
    }
    if (text != NULL) {
        fwrite(text + start, 1, len - start, f);
    }
    brk_wipe(enc, sizeof(enc));
}

void brk_log_debug_masked(const char *label, const char *text, size_t len,
                          const char *const *secrets, size_t n)
{
    if (brk_log_level <= 0) {
        return;
    }
    FILE *f = log_stream != NULL ? log_stream : stderr;
    fprintf(f, "debug: %s\n", label);
    brk_write_masked(f, text, len, secrets, n, "<redacted>");
    fputc('\n', f);
}
