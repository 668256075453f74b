/*
 * credentials/ini.c - the INI dialect of ~/.aws/config and ~/.aws/credentials, read as the AWS
 * CLI reads it (Python configparser + botocore's nested sections).
 *
 * Line kinds (after an optional UTF-8 BOM; CRLF and LF both end a line):
 *   blank                        skipped
 *   '#' or ';' first non-blank   comment, skipped
 *   [name]                       section header (name trimmed; a repeated header merges)
 *   key = value  /  key: value   option; key trimmed and lower-cased, value trimmed, an inline
 *                                " #" / " ;" starts a comment; a repeated key: last wins
 *   indented text after a key    continuation (more indented than the key line): appended to
 *                                the value as "\n<text>", so "s3 =\n  a = 1" keeps the nested
 *                                block as raw text starting with '\n' (as botocore sees it)
 * Anything else (text before any section, a line without '=' or ':', an empty key, an
 * unclosed '[', a NUL byte) is E_PARSE with "line N: ..." in err.
 * Invariants: values may be secrets and are wiped on free; lookups are exact (section names
 * are case-sensitive, keys are stored lower-case and looked up case-insensitively).
 */
#include "config.h"
#include "core/alloc.h"
#include "core/limits.h"

#include <ctype.h>
#include <string.h>
#include <strings.h>

struct ini_kv {
    char *key;
    char *value;
    size_t indent; /* of the key line: continuation lines must be deeper */
};

struct ini_section {
    char *name;
    struct ini_kv *kv;
    size_t n, cap;
};

struct brk_ini {
    struct ini_section *sec;
    size_t n, cap;
};

static void section_cleanup(struct ini_section *s)
{
    for (size_t i = 0; i < s->n; i++) {
        brk_free(s->kv[i].key);
        brk_secret_free(s->kv[i].value);
    }
    brk_free(s->kv);
    brk_free(s->name);
}

void brk_ini_free(struct brk_ini *ini)
{
    if (ini == NULL) {
        return;
    }
    for (size_t i = 0; i < ini->n; i++) {
        section_cleanup(&ini->sec[i]);
    }
    brk_free(ini->sec);
    brk_free(ini);
}

static bool grow(void **arr, size_t *cap, size_t n, size_t elem)
{
    if (n < *cap) {
        return true;
    }
    size_t ncap = *cap == 0 ? 8 : *cap * 2;
    void *p = brk_realloc(*arr, ncap * elem);
    if (p == NULL) {
        return false;
    }
    *arr = p;
    *cap = ncap;
    return true;
}

static struct ini_section *find_section(const struct brk_ini *ini, const char *name, size_t len)
{
    for (size_t i = 0; i < ini->n; i++) {
        if (strlen(ini->sec[i].name) == len && memcmp(ini->sec[i].name, name, len) == 0) {
            return &ini->sec[i];
        }
    }
    return NULL;
}

static struct ini_kv *find_kv(const struct ini_section *s, const char *key, size_t len)
{
    for (size_t i = 0; i < s->n; i++) {
        if (strlen(s->kv[i].key) == len && strncasecmp(s->kv[i].key, key, len) == 0) {
            return &s->kv[i];
        }
    }
    return NULL;
}

struct ini_parser {
    struct brk_ini *ini;
    struct ini_section *cur; /* current section, NULL before the first header */
    struct ini_kv *last;     /* option continuation lines attach to, NULL if none */
    size_t lineno;
    struct bedrock_error *err;
};

static bedrock_code fail(struct ini_parser *p, const char *what)
{
    bedrock_error_set(p->err, BEDROCK_E_PARSE, "line %zu: %s", p->lineno, what);
    return BEDROCK_E_PARSE;
}

static bedrock_code on_section(struct ini_parser *p, struct brk_slice line)
{
    const char *close = memchr(line.ptr, ']', line.len);
    if (close == NULL) {
        return fail(p, "section header without a closing ']'");
    }
    struct brk_slice rest = { close + 1, line.len - (size_t)(close + 1 - line.ptr) };
    rest = brk_slice_trim(rest);
    if (rest.len > 0 && rest.ptr[0] != '#' && rest.ptr[0] != ';') {
        return fail(p, "text after a section header");
    }
    struct brk_slice name = { line.ptr + 1, (size_t)(close - line.ptr - 1) };
    name = brk_slice_trim(name);
    if (name.len == 0) {
        return fail(p, "empty section name");
    }
    p->last = NULL;
    p->cur = find_section(p->ini, name.ptr, name.len);
    if (p->cur != NULL) {
        return BEDROCK_OK;
    }
    struct brk_ini *ini = p->ini;
    if (!grow((void **)&ini->sec, &ini->cap, ini->n, sizeof *ini->sec)) {
        return BEDROCK_E_NOMEM;
    }
    struct ini_section *s = &ini->sec[ini->n];
    memset(s, 0, sizeof *s);
    s->name = brk_slice_dup(name);
    if (s->name == NULL) {
        return BEDROCK_E_NOMEM;
    }
    ini->n++;
    p->cur = s;
    return BEDROCK_OK;
}

/* Cut an inline comment: '#' or ';' preceded by a blank. */
static struct brk_slice strip_inline_comment(struct brk_slice v)
{
    for (size_t i = 1; i < v.len; i++) {
        if ((v.ptr[i] == '#' || v.ptr[i] == ';') && (v.ptr[i - 1] == ' ' || v.ptr[i - 1] == '\t')) {
            v.len = i;
            break;
        }
    }
    return brk_slice_trim(v);
}

static bedrock_code set_kv(struct ini_parser *p, struct brk_slice key, struct brk_slice val,
                           size_t indent)
{
    char *v = brk_slice_dup(val);
    if (v == NULL) {
        return BEDROCK_E_NOMEM;
    }
    struct ini_kv *kv = find_kv(p->cur, key.ptr, key.len);
    if (kv != NULL) {
        brk_secret_free(kv->value);
        kv->value = v;
        kv->indent = indent;
        p->last = kv;
        return BEDROCK_OK;
    }
    struct ini_section *s = p->cur;
    char *k = brk_slice_dup(key);
    if (k == NULL || !grow((void **)&s->kv, &s->cap, s->n, sizeof *s->kv)) {
        brk_free(k);
        brk_secret_free(v);
        return BEDROCK_E_NOMEM;
    }
    for (char *c = k; *c != '\0'; c++) {
        *c = (char)tolower((unsigned char)*c);
    }
    s->kv[s->n] = (struct ini_kv){ k, v, indent };
    p->last = &s->kv[s->n];
    s->n++;
    return BEDROCK_OK;
}

static bedrock_code on_option(struct ini_parser *p, struct brk_slice line, size_t indent)
{
    if (p->cur == NULL) {
        return fail(p, "key = value before any [section] header");
    }
    size_t i = 0;
    while (i < line.len && line.ptr[i] != '=' && line.ptr[i] != ':') {
        i++;
    }
    if (i == line.len) {
        return fail(p, "expected 'key = value'");
    }
    struct brk_slice key = brk_slice_trim((struct brk_slice){ line.ptr, i });
    if (key.len == 0) {
        return fail(p, "empty key before '='");
    }
    struct brk_slice val = { line.ptr + i + 1, line.len - i - 1 };
    return set_kv(p, key, strip_inline_comment(val), indent);
}

static bedrock_code on_continuation(struct ini_parser *p, struct brk_slice text)
{
    struct ini_kv *kv = p->last;
    size_t old = strlen(kv->value);
    text = strip_inline_comment(text);
    char *v = brk_malloc(old + 1 + text.len + 1);
    if (v == NULL) {
        return BEDROCK_E_NOMEM;
    }
    memcpy(v, kv->value, old);
    v[old] = '\n';
    memcpy(v + old + 1, text.ptr, text.len);
    v[old + 1 + text.len] = '\0';
    brk_secret_free(kv->value);
    kv->value = v;
    return BEDROCK_OK;
}

static bedrock_code on_line(struct ini_parser *p, struct brk_slice line)
{
    size_t indent = 0;
    while (indent < line.len && (line.ptr[indent] == ' ' || line.ptr[indent] == '\t')) {
        indent++;
    }
    struct brk_slice body = brk_slice_trim(line);
    if (body.len == 0 || body.ptr[0] == '#' || body.ptr[0] == ';') {
        return BEDROCK_OK;
    }
    if (indent > 0 && p->last != NULL && indent > p->last->indent) {
        return on_continuation(p, body);
    }
    if (body.ptr[0] == '[') {
        return on_section(p, body);
    }
    return on_option(p, body, indent);
}

bedrock_code brk_ini_parse(const char *data, size_t len, struct brk_ini **out,
                           struct bedrock_error *err)
{
    if (out == NULL || (data == NULL && len > 0)) {
        return BEDROCK_E_INVALID_ARG;
    }
    if (len > BRK_MAX_CONFIG_FILE) {
        bedrock_error_set(err, BEDROCK_E_LIMIT, "file is larger than %u bytes",
                          BRK_MAX_CONFIG_FILE);
        return BEDROCK_E_LIMIT;
    }
    struct ini_parser p = { brk_calloc(1, sizeof(struct brk_ini)), NULL, NULL, 0, err };
    if (p.ini == NULL) {
        return BEDROCK_E_NOMEM;
    }
    bedrock_code rc = BEDROCK_OK;
    size_t pos = 0;
    if (len >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0) {
        pos = 3;
    }
    while (pos < len && rc == BEDROCK_OK) {
        const char *nl = memchr(data + pos, '\n', len - pos);
        size_t end = nl == NULL ? len : (size_t)(nl - data);
        struct brk_slice line = { data + pos, end - pos };
        p.lineno++;
        if (memchr(line.ptr, '\0', line.len) != NULL) {
            rc = fail(&p, "NUL byte in line");
            break;
        }
        rc = on_line(&p, line);
        pos = end + 1;
    }
    if (rc != BEDROCK_OK) {
        if (rc == BEDROCK_E_NOMEM) {
            bedrock_error_set(err, rc, "out of memory reading INI data");
        }
        brk_ini_free(p.ini);
        return rc;
    }
    *out = p.ini;
    return BEDROCK_OK;
}

const char *brk_ini_get(const struct brk_ini *ini, const char *section, const char *key)
{
    if (ini == NULL || section == NULL || key == NULL) {
        return NULL;
    }
    const struct ini_section *s = find_section(ini, section, strlen(section));
    if (s == NULL) {
        return NULL;
    }
    const struct ini_kv *kv = find_kv(s, key, strlen(key));
    return kv == NULL ? NULL : kv->value;
}

bool brk_ini_has_section(const struct brk_ini *ini, const char *section)
{
    return ini != NULL && section != NULL && find_section(ini, section, strlen(section)) != NULL;
}
