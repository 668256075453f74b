/*
 * credentials/dotenv.c - .env files (the guide's AWS_ACCESS_KEY_ID=... file).
 *
 * Grammar, one entry a line (LF or CRLF; an optional UTF-8 BOM first):
 *   line   := blank | '#' comment | ['export' blank+] KEY blank* '=' blank* value [comment]
 *   KEY    := [A-Za-z_][A-Za-z0-9_.-]*
 *   value  := "double"  (escapes \n \r \t \" \\ ; other backslashes kept as is)
 *           | 'single'  (literal)
 *           | unquoted  (up to a blank followed by '#', trailing blanks trimmed; '=' allowed)
 * After a closing quote only blanks or a '#' comment may follow. Anything else is E_PARSE
 * with "line N: ..." (the value itself is never quoted back: it may be a secret).
 * Invariants: a repeated KEY: the last wins; values are wiped on free.
 */
#include "config.h"
#include "core/alloc.h"
#include "core/limits.h"

#include <string.h>

struct dotenv_kv {
    char *key;
    char *value;
};

struct brk_dotenv {
    struct dotenv_kv *kv;
    size_t n, cap;
};

void brk_dotenv_free(struct brk_dotenv *env)
{
    if (env == NULL) {
        return;
    }
    for (size_t i = 0; i < env->n; i++) {
        brk_free(env->kv[i].key);
        brk_secret_free(env->kv[i].value);
    }
    brk_free(env->kv);
    brk_free(env);
}

static bool is_blank(char c)
{
    return c == ' ' || c == '\t';
}

static bool key_char(char c, bool first)
{
    if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_') {
        return true;
    }
    return !first && ((c >= '0' && c <= '9') || c == '.' || c == '-');
}

static bedrock_code parse_fail(struct bedrock_error *err, size_t lineno, const char *what)
{
    bedrock_error_set(err, BEDROCK_E_PARSE, "line %zu: %s", lineno, what);
    return BEDROCK_E_PARSE;
}

/* Only blanks or a comment may follow a quoted value. */
static bool tail_ok(const char *p, const char *end)
{
    while (p < end && is_blank(*p)) {
        p++;
    }
    return p == end || *p == '#';
}

static char unescape(char c)
{
    switch (c) {
    case 'n':
        return '\n';
    case 'r':
        return '\r';
    case 't':
        return '\t';
    default:
        return c;
    }
}

static bedrock_code parse_double(const char *p, const char *end, struct brk_buf *v,
                                 const char **after)
{
    for (p++; p < end && *p != '"'; p++) {
        char c = *p;
        if (c == '\\' && p + 1 < end) {
            char n = p[1];
            if (n == 'n' || n == 'r' || n == 't' || n == '"' || n == '\\') {
                c = unescape(n);
                p++;
            }
        }
        if (brk_buf_append_char(v, c) != BEDROCK_OK) {
            return BEDROCK_E_NOMEM;
        }
    }
    if (p == end) {
        return BEDROCK_E_PARSE;
    }
    *after = p + 1;
    return BEDROCK_OK;
}

static bedrock_code parse_value(const char *p, const char *end, struct brk_buf *v, size_t lineno,
                                struct bedrock_error *err)
{
    const char *after = NULL;
    bedrock_code rc = BEDROCK_OK;
    if (p < end && *p == '"') {
        rc = parse_double(p, end, v, &after);
        if (rc == BEDROCK_E_PARSE) {
            return parse_fail(err, lineno, "unterminated double-quoted value");
        }
    } else if (p < end && *p == '\'') {
        const char *q = memchr(p + 1, '\'', (size_t)(end - p - 1));
        if (q == NULL) {
            return parse_fail(err, lineno, "unterminated single-quoted value");
        }
        rc = brk_buf_append(v, p + 1, (size_t)(q - p - 1));
        after = q + 1;
    } else {
        const char *e = p;
        while (e < end && !(*e == '#' && e > p && is_blank(e[-1]))) {
            e++;
        }
        while (e > p && is_blank(e[-1])) {
            e--;
        }
        return brk_buf_append(v, p, (size_t)(e - p)) == BEDROCK_OK ? BEDROCK_OK : BEDROCK_E_NOMEM;
    }
    if (rc != BEDROCK_OK) {
        return BEDROCK_E_NOMEM;
    }
    if (!tail_ok(after, end)) {
        return parse_fail(err, lineno, "unexpected text after a quoted value");
    }
    return BEDROCK_OK;
}

static bedrock_code put(struct brk_dotenv *env, const char *key, size_t klen, struct brk_buf *v)
{
    for (size_t i = 0; i < env->n; i++) {
        if (strlen(env->kv[i].key) == klen && memcmp(env->kv[i].key, key, klen) == 0) {
            char *val = NULL;
            size_t n = 0;
            if (brk_buf_take(v, &val, &n) != BEDROCK_OK) {
                return BEDROCK_E_NOMEM;
            }
            brk_secret_free(env->kv[i].value);
            env->kv[i].value = val;
            return BEDROCK_OK;
        }
    }
    if (env->n == env->cap) {
        size_t ncap = env->cap == 0 ? 8 : env->cap * 2;
        struct dotenv_kv *nkv = brk_realloc(env->kv, ncap * sizeof *nkv);
        if (nkv == NULL) {
            return BEDROCK_E_NOMEM;
        }
        env->kv = nkv;
        env->cap = ncap;
    }
    char *k = brk_strndup(key, klen);
    char *val = NULL;
    size_t n = 0;
    if (k == NULL || brk_buf_take(v, &val, &n) != BEDROCK_OK) {
        brk_free(k);
        return BEDROCK_E_NOMEM;
    }
    env->kv[env->n++] = (struct dotenv_kv){ k, val };
    return BEDROCK_OK;
}

static bedrock_code parse_line(struct brk_dotenv *env, const char *p, const char *end,
                               size_t lineno, struct bedrock_error *err)
{
    while (p < end && is_blank(*p)) {
        p++;
    }
    if (p == end || *p == '#') {
        return BEDROCK_OK;
    }
    if (end - p > 7 && memcmp(p, "export", 6) == 0 && is_blank(p[6])) {
        p += 7;
        while (p < end && is_blank(*p)) {
            p++;
        }
    }
    const char *key = p;
    if (p == end || !key_char(*p, true)) {
        return parse_fail(err, lineno, "expected KEY=VALUE (a name starts with a letter or '_')");
    }
    while (p < end && key_char(*p, false)) {
        p++;
    }
    size_t klen = (size_t)(p - key);
    while (p < end && is_blank(*p)) {
        p++;
    }
    if (p == end || *p != '=') {
        return parse_fail(err, lineno, "expected '=' after the name");
    }
    p++;
    while (p < end && is_blank(*p)) {
        p++;
    }
    struct brk_buf v = BRK_SECRET_BUF(BRK_MAX_CONFIG_FILE);
    bedrock_code rc = parse_value(p, end, &v, lineno, err);
    if (rc == BEDROCK_OK) {
        rc = brk_buf_append(&v, "", 0);
    }
    if (rc == BEDROCK_OK) {
        rc = put(env, key, klen, &v);
    }
    brk_buf_cleanup(&v);
    return rc;
}

bedrock_code brk_dotenv_parse(const char *data, size_t len, struct brk_dotenv **out,
                              struct bedrock_error *err)
{
    if (out == NULL || (data == NULL && len > 0)) {
        return BEDROCK_E_INVALID_ARG;
    }
    if (len > BRK_MAX_CONFIG_FILE) {
        bedrock_error_set(err, BEDROCK_E_LIMIT, ".env is larger than %u bytes",
                          BRK_MAX_CONFIG_FILE);
        return BEDROCK_E_LIMIT;
    }
    struct brk_dotenv *env = brk_calloc(1, sizeof *env);
    if (env == NULL) {
        return BEDROCK_E_NOMEM;
    }
    size_t pos = len >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0 ? 3 : 0;
    size_t lineno = 0;
    bedrock_code rc = BEDROCK_OK;
    while (pos < len && rc == BEDROCK_OK) {
        const char *nl = memchr(data + pos, '\n', len - pos);
        size_t end = nl == NULL ? len : (size_t)(nl - data);
        size_t stop = end;
        if (stop > pos && data[stop - 1] == '\r') {
            stop--;
        }
        lineno++;
        if (memchr(data + pos, '\0', stop - pos) != NULL) {
            rc = parse_fail(err, lineno, "NUL byte in line");
            break;
        }
        rc = parse_line(env, data + pos, data + stop, lineno, err);
        pos = end + 1;
    }
    if (rc != BEDROCK_OK) {
        if (rc == BEDROCK_E_NOMEM) {
            bedrock_error_set(err, rc, "out of memory reading .env data");
        }
        brk_dotenv_free(env);
        return rc;
    }
    *out = env;
    return BEDROCK_OK;
}

const char *brk_dotenv_get(const struct brk_dotenv *env, const char *key)
{
    if (env == NULL || key == NULL) {
        return NULL;
    }
    for (size_t i = 0; i < env->n; i++) {
        if (strcmp(env->kv[i].key, key) == 0) {
            return env->kv[i].value;
        }
    }
    return NULL;
}
