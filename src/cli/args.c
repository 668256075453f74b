/*
 * cli/args.c - the option parser behind every bedrockctl command (see cli.h).
 *
 * Accepts `--name value`, `--name=value`, `-x value` (short names), flags, repeated list
 * options, and `--` to end options. Several tables are searched in order (the command's own,
 * then the global options), so global flags work before and after the command.
 * Invariants: on failure nothing stays allocated and err says what was wrong (with a
 * "did you mean" hint when an option name is close to a known one); values are pointers into
 * argv, never copies.
 */
#include "../core/alloc.h"
#include "cli.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

/* The global options, accepted by every command (fields of struct brk_cli_globals). */
#define G(f) offsetof(struct brk_cli_globals, f)
const struct brk_opt brk_cli_global_opts[] = {
    { "--profile", 0, BRK_OPT_KIND_STR, G(profile), "NAME", "use this profile from ~/.aws/config" },
    { "--region", 0, BRK_OPT_KIND_STR, G(region), "REGION", "AWS region (e.g. eu-central-1)" },
    { "--endpoint-url", 0, BRK_OPT_KIND_STR, G(endpoint_url), "URL",
      "send every request to this URL" },
    { "--output", 'o', BRK_OPT_KIND_STR, G(output), "FMT", "json | text | table" },
    { "--debug", 0, BRK_OPT_KIND_FLAG, G(debug), NULL,
      "log credential source, endpoints, canonical requests (never secrets) to stderr" },
    { "--no-color", 0, BRK_OPT_KIND_FLAG, G(no_color), NULL, "no colours (also NO_COLOR=1)" },
    { "--env-file", 0, BRK_OPT_KIND_STR, G(env_file), "FILE",
      "read AWS_* settings from this .env" },
    { "--read-timeout", 0, BRK_OPT_KIND_LONG, G(read_timeout), "SEC",
      "max idle seconds while reading (0 = none)" },
    { "--connect-timeout", 0, BRK_OPT_KIND_LONG, G(connect_timeout), "SEC",
      "max seconds to connect" },
    { "--max-attempts", 0, BRK_OPT_KIND_LONG, G(max_attempts), "N",
      "attempts per request incl. retries" },
    { "--version", 0, BRK_OPT_KIND_FLAG, G(version), NULL, "print versions and exit" },
    { "--help", 'h', BRK_OPT_KIND_FLAG, G(help), NULL, "show help" },
    BRK_OPT_END,
};
#undef G

bedrock_code brk_parse_long(const char *s, long *out)
{
    if (s == NULL || *s == '\0') {
        return BEDROCK_E_INVALID_ARG;
    }
    char *end = NULL;
    errno = 0;
    long v = strtol(s, &end, 10);
    if (errno != 0 || end == s || *end != '\0') {
        return BEDROCK_E_INVALID_ARG;
    }
    *out = v;
    return BEDROCK_OK;
}

bedrock_code brk_parse_double(const char *s, double *out)
{
    if (s == NULL || *s == '\0') {
        return BEDROCK_E_INVALID_ARG;
    }
    char *end = NULL;
    errno = 0;
    double v = strtod(s, &end);
    if (errno != 0 || end == s || *end != '\0' || !isfinite(v)) {
        return BEDROCK_E_INVALID_ARG;
    }
    *out = v;
    return BEDROCK_OK;
}

static size_t edit_distance(const char *a, const char *b)
{
    size_t la = strlen(a);
    size_t lb = strlen(b);
    if (la > 63 || lb > 63) {
        return 64;
    }
    size_t prev[64];
    size_t cur[64];
    for (size_t j = 0; j <= lb; j++) {
        prev[j] = j;
    }
    for (size_t i = 1; i <= la; i++) {
        cur[0] = i;
        for (size_t j = 1; j <= lb; j++) {
            size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
            size_t best = prev[j - 1] + cost;
            if (prev[j] + 1 < best) {
                best = prev[j] + 1;
            }
            if (cur[j - 1] + 1 < best) {
                best = cur[j - 1] + 1;
            }
            cur[j] = best;
        }
        memcpy(prev, cur, sizeof(prev));
    }
    return prev[lb];
}

const char *brk_suggest(const char *word, const char *const *cands, size_t n)
{
    const char *best = NULL;
    size_t best_d = 3;
    const char *prefix_hit = NULL;
    size_t prefix_hits = 0;
    size_t wl = strlen(word);
    for (size_t i = 0; i < n; i++) {
        if (cands[i] == NULL) {
            continue;
        }
        size_t d = edit_distance(word, cands[i]);
        if (d < best_d) {
            best_d = d;
            best = cands[i];
        }
        if (wl >= 3 && strncmp(cands[i], word, wl) == 0) {
            prefix_hit = cands[i];
            prefix_hits++;
        }
    }
    if (best != NULL) {
        return best;
    }
    return prefix_hits == 1 ? prefix_hit : NULL;
}

/* Finds the option named by arg (name_len bytes); sets *table to its index. */
static const struct brk_opt *find_opt(const struct brk_args_spec *spec, const char *name,
                                      size_t name_len, bool is_short, size_t *table)
{
    for (size_t t = 0; t < spec->n_tables; t++) {
        for (const struct brk_opt *o = spec->tables[t]; o->name != NULL; o++) {
            bool hit = is_short
                           ? (o->short_name != 0 && name_len == 1 && name[0] == o->short_name)
                           : (strlen(o->name) == name_len && strncmp(o->name, name, name_len) == 0);
            if (hit) {
                *table = t;
                return o;
            }
        }
    }
    return NULL;
}

static void unknown_option(const struct brk_args_spec *spec, const char *arg, size_t len,
                           struct bedrock_error *err)
{
    const char *cands[256];
    size_t n = 0;
    for (size_t t = 0; t < spec->n_tables; t++) {
        for (const struct brk_opt *o = spec->tables[t]; o->name != NULL && n < 256; o++) {
            cands[n++] = o->name;
        }
    }
    char word[64];
    size_t wl = len < sizeof(word) - 1 ? len : sizeof(word) - 1;
    memcpy(word, arg, wl);
    word[wl] = '\0';
    bedrock_error_set(err, BEDROCK_E_USAGE, "unknown option '%s'", word);
    const char *s = brk_suggest(word, cands, n);
    if (s != NULL) {
        bedrock_error_hint(err, "did you mean '%s'?", s);
    }
}

static bedrock_code list_push(struct brk_strlist *l, const char *v)
{
    const char **items = brk_realloc(l->items, (l->n + 1) * sizeof(*items));
    if (items == NULL) {
        return BEDROCK_E_NOMEM;
    }
    items[l->n++] = v;
    l->items = items;
    return BEDROCK_OK;
}

static bedrock_code store(const struct brk_opt *o, void *dest, const char *value,
                          struct bedrock_error *err)
{
    char *field = (char *)dest + o->offset;
    switch (o->kind) {
    case BRK_OPT_KIND_FLAG:
        *(bool *)(void *)field = true;
        return BEDROCK_OK;
    case BRK_OPT_KIND_STR:
        *(const char **)(void *)field = value;
        return BEDROCK_OK;
    case BRK_OPT_KIND_LIST:
        return list_push((struct brk_strlist *)(void *)field, value);
    case BRK_OPT_KIND_LONG:
    case BRK_OPT_KIND_DOUBLE: {
        struct brk_num *num = (struct brk_num *)(void *)field;
        bedrock_code rc = o->kind == BRK_OPT_KIND_LONG ? brk_parse_long(value, &num->l)
                                                       : brk_parse_double(value, &num->d);
        if (rc != BEDROCK_OK) {
            bedrock_error_set(err, BEDROCK_E_USAGE, "option %s expects %s, got '%s'", o->name,
                              o->kind == BRK_OPT_KIND_LONG ? "an integer" : "a number", value);
            return BEDROCK_E_USAGE;
        }
        if (o->kind == BRK_OPT_KIND_LONG) {
            num->d = (double)num->l;
        }
        num->set = true;
        return BEDROCK_OK;
    }
    }
    return BEDROCK_E_INTERNAL;
}

/* One option argument at argv[*i]; may consume the next element as its value. */
static bedrock_code parse_option(const struct brk_args_spec *spec, int argc,
                                 const char *const *argv, int *i, struct bedrock_error *err)
{
    const char *arg = argv[*i];
    bool is_short = arg[1] != '-';
    const char *name = is_short ? arg + 1 : arg;
    const char *eq = is_short ? NULL : strchr(arg, '=');
    size_t name_len = eq != NULL ? (size_t)(eq - name) : strlen(name);
    size_t t = 0;
    const struct brk_opt *o = find_opt(spec, name, name_len, is_short, &t);
    if (o == NULL) {
        unknown_option(spec, arg, eq != NULL ? (size_t)(eq - arg) : strlen(arg), err);
        return BEDROCK_E_USAGE;
    }
    const char *value = NULL;
    if (o->kind == BRK_OPT_KIND_FLAG) {
        if (eq != NULL) {
            bedrock_error_set(err, BEDROCK_E_USAGE, "option %s takes no value", o->name);
            return BEDROCK_E_USAGE;
        }
    } else if (eq != NULL) {
        value = eq + 1;
    } else {
        if (*i + 1 >= argc) {
            bedrock_error_set(err, BEDROCK_E_USAGE, "option %s needs a value (%s)", o->name,
                              o->metavar != NULL ? o->metavar : "VALUE");
            return BEDROCK_E_USAGE;
        }
        *i += 1;
        value = argv[*i];
    }
    return store(o, spec->dests[t], value, err);
}

static bool is_option(const char *a)
{
    return a[0] == '-' && a[1] != '\0';
}

bedrock_code brk_args_parse(const struct brk_args_spec *spec, int argc, const char *const *argv,
                            struct brk_args *out, struct bedrock_error *err)
{
    struct brk_args res = { NULL, 0, argc };
    bedrock_code rc = BEDROCK_OK;
    bool only_pos = false;
    if (argc > 0) {
        res.pos = brk_calloc((size_t)argc, sizeof(const char *));
        if (res.pos == NULL) {
            return BEDROCK_E_NOMEM;
        }
    }
    for (int i = 0; i < argc; i++) {
        const char *a = argv[i];
        if (!only_pos && strcmp(a, "--") == 0) {
            only_pos = true;
            continue;
        }
        if (only_pos || !is_option(a)) {
            if (spec->stop_at_positional) {
                res.consumed = i;
                break;
            }
            res.pos[res.npos++] = argv[i];
            continue;
        }
        rc = parse_option(spec, argc, argv, &i, err);
        if (rc != BEDROCK_OK) {
            goto out;
        }
    }
out:
    if (rc != BEDROCK_OK) {
        brk_args_free(spec, &res);
        return rc;
    }
    *out = res;
    return BEDROCK_OK;
}

void brk_args_free(const struct brk_args_spec *spec, struct brk_args *out)
{
    for (size_t t = 0; t < spec->n_tables; t++) {
        for (const struct brk_opt *o = spec->tables[t]; o->name != NULL; o++) {
            if (o->kind != BRK_OPT_KIND_LIST) {
                continue;
            }
            struct brk_strlist *l =
                (struct brk_strlist *)(void *)((char *)spec->dests[t] + o->offset);
            brk_free(l->items);
            l->items = NULL;
            l->n = 0;
        }
    }
    brk_free((void *)out->pos);
    out->pos = NULL;
    out->npos = 0;
}
