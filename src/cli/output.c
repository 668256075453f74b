/*
 * cli/output.c - how bedrockctl prints: error lines, and results as json | text | table.
 *
 * json:  the value with 4-space indent, keys in insertion order (as the AWS CLI prints).
 * text:  AWS CLI style: an object's scalar members on one tab-separated line, then each nested
 *        member with its KEY in upper case as the first field; arrays one line per element.
 * table: boxed; an object is a Key | Value table, an array of objects a table with a column per
 *        key; nested values become sub-tables titled with their key.
 * Colours only on a terminal, never with --no-color, NO_COLOR (non-empty) or TERM=dumb.
 * Invariant: nothing here receives a secret; error messages come from struct bedrock_error,
 * which the library fills without secrets.
 */
#include "cli.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

bool brk_cli_color_allowed(FILE *f, bool no_color)
{
    if (no_color) {
        return false;
    }
    const char *nc = getenv("NO_COLOR");
    if (nc != NULL && nc[0] != '\0') {
        return false;
    }
    const char *term = getenv("TERM");
    if (term != NULL && strcmp(term, "dumb") == 0) {
        return false;
    }
    return isatty(fileno(f)) == 1;
}

const char *brk_cli_color(const struct brk_cli *cli, bool for_stderr, const char *which)
{
    bool on = for_stderr ? cli->color_err : cli->color_out;
    if (!on) {
        return "";
    }
    static const struct {
        const char *name;
        const char *esc;
    } colors[] = { { "red", "\033[31m" }, { "yellow", "\033[33m" }, { "green", "\033[32m" },
                   { "bold", "\033[1m" }, { "dim", "\033[2m" },     { "cyan", "\033[36m" },
                   { "reset", "\033[0m" } };
    for (size_t i = 0; i < sizeof(colors) / sizeof(colors[0]); i++) {
        if (strcmp(colors[i].name, which) == 0) {
            return colors[i].esc;
        }
    }
    return "";
}

/* What to check when the library gave no hint of its own. */
static const char *default_hint(bedrock_code code)
{
    switch (code) {
    case BEDROCK_E_INVALID_KEY:
        return "the access key id is not known to AWS: check AWS_ACCESS_KEY_ID or the profile's "
               "aws_access_key_id (bedrockctl whoami --debug shows which source was used); a "
               "deleted or mistyped key id fails this way";
    case BEDROCK_E_SIGNATURE:
        return "the secret access key does not match the key id, or the request was changed: "
               "check the secret (no stray spaces or newline) and that your clock is correct";
    case BEDROCK_E_EXPIRED:
        return "the session token has expired: get new temporary credentials (or unset "
               "AWS_SESSION_TOKEN when using long-term keys)";
    case BEDROCK_E_CLOCK_SKEW:
        return "your system clock differs from AWS time by more than 5 minutes: sync it "
               "(e.g. timedatectl set-ntp true)";
    case BEDROCK_E_NO_CREDENTIALS:
        return "set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, use --profile, or --env-file";
    case BEDROCK_E_NO_REGION:
        return "pass --region, set AWS_REGION, or add region to the profile";
    case BEDROCK_E_ACCESS_DENIED:
        return "the identity lacks permission for this action: see bedrockctl whoami for "
               "which identity is used";
    default:
        return NULL;
    }
}

int brk_cli_fail(struct brk_cli *cli, const struct bedrock_error *err)
{
    char line[1600];
    bedrock_error_format(err, line, sizeof(line));
    fflush(cli->out);
    fprintf(cli->err, "bedrockctl: %serror:%s %s\n", brk_cli_color(cli, true, "red"),
            brk_cli_color(cli, true, "reset"), line);
    const char *hint = err->hint[0] != '\0' ? err->hint : default_hint(err->code);
    if (hint != NULL) {
        fprintf(cli->err, "hint: %s\n", hint);
    }
    int status = bedrock_exit_status(err->code);
    return status == 0 ? 1 : status;
}

int brk_cli_usage(struct brk_cli *cli, const char *fmt, ...)
{
    char msg[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    fprintf(cli->err, "bedrockctl: %serror:%s %s\n", brk_cli_color(cli, true, "red"),
            brk_cli_color(cli, true, "reset"), msg);
    fprintf(cli->err, "Run 'bedrockctl %s%s--help' for usage.\n", cli->cmd_path,
            cli->cmd_path[0] != '\0' ? " " : "");
    return 2;
}

void brk_cli_print_json(FILE *f, const json_t *value)
{
    char *s = json_dumps(value, JSON_INDENT(4) | JSON_PRESERVE_ORDER | JSON_ENCODE_ANY);
    if (s != NULL) {
        fputs(s, f);
        fputc('\n', f);
        free(s);
    }
}

static bool is_scalar(const json_t *v)
{
    return !json_is_object(v) && !json_is_array(v);
}

/* Scalar as text: strings raw, numbers/bools as JSON, null as "None" (as the AWS CLI). */
static void scalar_str(const json_t *v, char *buf, size_t n)
{
    if (json_is_string(v)) {
        snprintf(buf, n, "%s", json_string_value(v));
    } else if (json_is_integer(v)) {
        snprintf(buf, n, "%lld", (long long)json_integer_value(v));
    } else if (json_is_real(v)) {
        snprintf(buf, n, "%g", json_real_value(v));
    } else if (json_is_boolean(v)) {
        snprintf(buf, n, "%s", json_is_true(v) ? "True" : "False");
    } else {
        snprintf(buf, n, "None");
    }
}

static void upper_key(const char *key, char *out, size_t n)
{
    size_t i = 0;
    for (; key[i] != '\0' && i + 1 < n; i++) {
        out[i] = (char)toupper((unsigned char)key[i]);
    }
    out[i] = '\0';
}

static void text_render(FILE *f, const json_t *v, const char *prefix)
{
    char buf[4096];
    if (is_scalar(v)) {
        scalar_str(v, buf, sizeof(buf));
        fprintf(f, "%s%s%s\n", prefix ? prefix : "", prefix ? "\t" : "", buf);
        return;
    }
    if (json_is_array(v)) {
        size_t i;
        json_t *e;
        bool all_scalar = true;
        json_array_foreach(v, i, e)
        {
            all_scalar = all_scalar && is_scalar(e);
        }
        if (all_scalar && json_array_size(v) > 0) {
            fputs(prefix ? prefix : "", f);
            json_array_foreach(v, i, e)
            {
                scalar_str(e, buf, sizeof(buf));
                fprintf(f, "%s%s", (i > 0 || prefix) ? "\t" : "", buf);
            }
            fputc('\n', f);
            return;
        }
        json_array_foreach(v, i, e)
        {
            text_render(f, e, prefix);
        }
        return;
    }
    const char *key;
    json_t *m;
    bool any = false;
    json_object_foreach((json_t *)(uintptr_t)v, key, m)
    {
        if (!is_scalar(m)) {
            continue;
        }
        if (!any && prefix) {
            fputs(prefix, f);
        }
        scalar_str(m, buf, sizeof(buf));
        fprintf(f, "%s%s", (any || prefix) ? "\t" : "", buf);
        any = true;
    }
    if (any) {
        fputc('\n', f);
    }
    json_object_foreach((json_t *)(uintptr_t)v, key, m)
    {
        if (is_scalar(m)) {
            continue;
        }
        char up[128];
        upper_key(key, up, sizeof(up));
        text_render(f, m, up);
    }
}

/* ---- table ---- */

static void cell_str(const json_t *v, char *buf, size_t n)
{
    if (is_scalar(v)) {
        scalar_str(v, buf, n);
        return;
    }
    if (json_is_array(v)) {
        size_t i;
        json_t *e;
        size_t used = 0;
        buf[0] = '\0';
        json_array_foreach(v, i, e)
        {
            char one[512];
            cell_str(e, one, sizeof(one));
            int w = snprintf(buf + used, n - used, "%s%s", i > 0 ? ", " : "", one);
            if (w < 0 || (size_t)w >= n - used) {
                break;
            }
            used += (size_t)w;
        }
        return;
    }
    char *s = json_dumps(v, JSON_COMPACT | JSON_PRESERVE_ORDER);
    snprintf(buf, n, "%s", s ? s : "");
    free(s);
}

static void rule(FILE *f, const size_t *w, size_t ncol, char corner)
{
    fputc(corner, f);
    for (size_t c = 0; c < ncol; c++) {
        for (size_t i = 0; i < w[c] + 2; i++) {
            fputc('-', f);
        }
        fputc(c + 1 < ncol ? '+' : corner, f);
    }
    fputc('\n', f);
}

static void title_row(struct brk_cli *cli, FILE *f, const char *title, size_t width)
{
    size_t tl = strlen(title);
    size_t left = width > tl ? (width - tl) / 2 : 0;
    size_t right = width > tl + left ? width - tl - left : 0;
    fprintf(f, "|%*s%s%s%s%*s|\n", (int)left, "", brk_cli_color(cli, false, "bold"), title,
            brk_cli_color(cli, false, "reset"), (int)right, "");
}

/* A table of ncol columns with optional header row; cells[r * ncol + c]. */
static void draw(struct brk_cli *cli, FILE *f, const char *title, char **hdr, char **cells,
                 size_t nrow, size_t ncol)
{
    size_t w[32] = { 0 };
    for (size_t c = 0; c < ncol; c++) {
        w[c] = hdr ? strlen(hdr[c]) : 0;
        for (size_t r = 0; r < nrow; r++) {
            size_t l = strlen(cells[r * ncol + c]);
            w[c] = l > w[c] ? l : w[c];
        }
    }
    size_t total = ncol > 0 ? ncol - 1 : 0;
    for (size_t c = 0; c < ncol; c++) {
        total += w[c] + 2;
    }
    if (title != NULL && strlen(title) + 2 > total && ncol > 0) {
        w[ncol - 1] += strlen(title) + 2 - total;
        total = strlen(title) + 2;
    }
    if (title != NULL) {
        fputc('-', f);
        for (size_t i = 0; i < total; i++) {
            fputc('-', f);
        }
        fputs("-\n", f);
        title_row(cli, f, title, total);
    }
    rule(f, w, ncol, '+');
    if (hdr != NULL) {
        fputc('|', f);
        for (size_t c = 0; c < ncol; c++) {
            fprintf(f, " %s%-*s%s |", brk_cli_color(cli, false, "cyan"), (int)w[c], hdr[c],
                    brk_cli_color(cli, false, "reset"));
        }
        fputc('\n', f);
        rule(f, w, ncol, '+');
    }
    for (size_t r = 0; r < nrow; r++) {
        fputc('|', f);
        for (size_t c = 0; c < ncol; c++) {
            fprintf(f, " %-*s |", (int)w[c], cells[r * ncol + c]);
        }
        fputc('\n', f);
    }
    rule(f, w, ncol, '+');
}

static char *dup_cell(const json_t *v)
{
    char buf[2048];
    if (v == NULL) {
        buf[0] = '\0';
    } else {
        cell_str(v, buf, sizeof(buf));
    }
    return strdup(buf);
}

static void free_cells(char **cells, size_t n)
{
    for (size_t i = 0; cells != NULL && i < n; i++) {
        free(cells[i]);
    }
    free(cells);
}

static void table_object(struct brk_cli *cli, FILE *f, const json_t *v, const char *title)
{
    size_t n = json_object_size(v);
    char **cells = calloc(n * 2 + 1, sizeof(char *));
    if (cells == NULL) {
        return;
    }
    size_t r = 0;
    const char *key;
    json_t *m;
    json_object_foreach((json_t *)(uintptr_t)v, key, m)
    {
        if (json_is_object(m) ||
            (json_is_array(m) && json_array_size(m) > 0 && json_is_object(json_array_get(m, 0)))) {
            continue;
        }
        cells[r * 2] = strdup(key);
        cells[r * 2 + 1] = dup_cell(m);
        r++;
    }
    if (r > 0) {
        draw(cli, f, title, NULL, cells, r, 2);
    }
    free_cells(cells, n * 2);
    json_object_foreach((json_t *)(uintptr_t)v, key, m)
    {
        if (json_is_object(m)) {
            table_object(cli, f, m, key);
        } else if (json_is_array(m) && json_array_size(m) > 0 &&
                   json_is_object(json_array_get(m, 0))) {
            brk_cli_print(cli, m, key);
        }
    }
}

static void table_array(struct brk_cli *cli, FILE *f, const json_t *v, const char *title)
{
    const char *cols[32];
    size_t ncol = 0;
    size_t i;
    json_t *e;
    json_array_foreach(v, i, e)
    {
        const char *key;
        json_t *m;
        json_object_foreach(e, key, m)
        {
            bool seen = false;
            for (size_t c = 0; c < ncol; c++) {
                seen = seen || strcmp(cols[c], key) == 0;
            }
            if (!seen && ncol < 32) {
                cols[ncol++] = key;
            }
        }
    }
    size_t nrow = json_array_size(v);
    char **cells = calloc(nrow * ncol + 1, sizeof(char *));
    if (cells == NULL) {
        return;
    }
    json_array_foreach(v, i, e)
    {
        for (size_t c = 0; c < ncol; c++) {
            cells[i * ncol + c] = dup_cell(json_object_get(e, cols[c]));
        }
    }
    draw(cli, f, title, (char **)(uintptr_t)cols, cells, nrow, ncol);
    free_cells(cells, nrow * ncol);
}

void brk_cli_print(struct brk_cli *cli, const json_t *value, const char *title)
{
    FILE *f = cli->out;
    switch (cli->out_fmt) {
    case BRK_OUT_JSON:
        brk_cli_print_json(f, value);
        return;
    case BRK_OUT_TEXT:
        text_render(f, value, NULL);
        return;
    case BRK_OUT_TABLE:
        break;
    }
    if (json_is_object(value)) {
        table_object(cli, f, value, title);
    } else if (json_is_array(value) && json_array_size(value) > 0 &&
               json_is_object(json_array_get(value, 0))) {
        table_array(cli, f, value, title);
    } else {
        json_t *wrap =
            json_pack("{sO}", title != NULL ? title : "Value", (json_t *)(uintptr_t)value);
        if (wrap != NULL) {
            table_object(cli, f, wrap, NULL);
            json_decref(wrap);
        }
    }
}
