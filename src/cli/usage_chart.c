/*
 * cli/usage_chart.c - the terminal chart of `bedrockctl usage`: two bar charts over time
 * (invocations; input + output tokens), one column per bucket (neighbouring buckets merged so
 * at most CHART_COLS columns), CHART_ROWS rows high, drawn with the unicode eighth blocks
 * (▁..█) or plain ASCII ('#', '.'), with the maximum on the axis and the first and last bucket
 * times below.
 * Invariant: any non-zero bucket shows at least the lowest mark, so no activity is hidden.
 */
#include "usage.h"

#include <string.h>

#define CHART_COLS 72
#define CHART_ROWS 6
#define AXIS_W     8

static const char *const g_blocks[9] = { " ",      "\u2581", "\u2582", "\u2583", "\u2584",
                                         "\u2585", "\u2586", "\u2587", "\u2588" };

struct chart {
    FILE *f;
    bool unicode;
    bool color;
    size_t ncols;
    size_t group; /* buckets per column */
    size_t col_w; /* characters per column (the last one a gap when > 1) */
    double v[CHART_COLS];
    double max;
};

static void human(double v, char *buf, size_t len)
{
    if (v >= 1e6) {
        snprintf(buf, len, "%.1fM", v / 1e6);
    } else if (v >= 1e4) {
        snprintf(buf, len, "%.0fk", v / 1e3);
    } else if (v >= 1e3) {
        snprintf(buf, len, "%.1fk", v / 1e3);
    } else {
        snprintf(buf, len, "%.0f", v);
    }
}

/* Eighths of a row filled in row `row` (0 = bottom) for value v. */
static int fill(const struct chart *c, double v, int row)
{
    if (v <= 0 || c->max <= 0) {
        return 0;
    }
    long level = (long)(v / c->max * CHART_ROWS * 8 + 0.5);
    level = level < 1 ? 1 : level;
    long f = level - (long)row * 8;
    return f <= 0 ? 0 : f >= 8 ? 8 : (int)f;
}

static const char *mark(const struct chart *c, int eighths, int row)
{
    if (c->unicode) {
        return g_blocks[eighths];
    }
    if (eighths >= 4) {
        return "#";
    }
    return eighths > 0 && row == 0 ? "." : " ";
}

static void draw_rows(const struct chart *c, const char *hue)
{
    for (int row = CHART_ROWS - 1; row >= 0; row--) {
        char label[32] = "";
        if (row == CHART_ROWS - 1) {
            human(c->max, label, sizeof(label));
        } else if (row == 0) {
            snprintf(label, sizeof(label), "0");
        }
        fprintf(c->f, "%*s %s", AXIS_W, label, c->unicode ? "\u2502" : "|");
        fputs(c->color ? hue : "", c->f);
        for (size_t k = 0; k < c->ncols; k++) {
            const char *m = mark(c, fill(c, c->v[k], row), row);
            for (size_t w = 0; w < (c->col_w > 1 ? c->col_w - 1 : 1); w++) {
                fputs(m, c->f);
            }
            if (c->col_w > 1) {
                fputc(' ', c->f);
            }
        }
        fputs(c->color ? "\033[0m" : "", c->f);
        fputc('\n', c->f);
    }
}

static void draw_axis(const struct chart *c, const struct brk_usage_report *r)
{
    size_t width = c->ncols * c->col_w;
    fprintf(c->f, "%*s %s", AXIS_W, "", c->unicode ? "\u2514" : "+");
    for (size_t i = 0; i < width; i++) {
        fputs(c->unicode ? "\u2500" : "-", c->f);
    }
    fputc('\n', c->f);
    bool hours = r->period_s < 86400;
    char first[32], last[32];
    brk_usage_fmt_time(r->buckets[0].t, hours, first, sizeof(first));
    brk_usage_fmt_time(r->buckets[r->n_buckets - 1].t, hours, last, sizeof(last));
    size_t gap = width > strlen(first) + strlen(last) ? width - strlen(first) - strlen(last) : 1;
    fprintf(c->f, "%*s  %s%*s%s\n", AXIS_W, "", first, (int)gap, "", last);
}

/* metric: 0 invocations, 1 tokens (input + output) */
static void draw(struct chart *c, const struct brk_usage_report *r, int metric, const char *title,
                 const char *hue)
{
    memset(c->v, 0, sizeof(c->v));
    c->max = 0;
    for (size_t i = 0; i < r->n_buckets; i++) {
        const struct brk_usage_bucket *b = &r->buckets[i];
        double v = metric == 0 ? b->invocations : b->input_tokens + b->output_tokens;
        c->v[i / c->group] += v;
    }
    for (size_t k = 0; k < c->ncols; k++) {
        c->max = c->v[k] > c->max ? c->v[k] : c->max;
    }
    const char *unit = r->period_s < 86400 ? "hour" : "day";
    if (c->group > 1) {
        fprintf(c->f, "%s per %zu %ss\n", title, c->group, unit);
    } else {
        fprintf(c->f, "%s per %s\n", title, unit);
    }
    draw_rows(c, hue);
    draw_axis(c, r);
}

void brk_usage_chart(FILE *f, const struct brk_usage_report *r, bool unicode, bool color)
{
    if (r->n_buckets == 0) {
        return;
    }
    struct chart c;
    memset(&c, 0, sizeof(c));
    c.f = f;
    c.unicode = unicode;
    c.color = color;
    c.group = (r->n_buckets + CHART_COLS - 1) / CHART_COLS;
    c.ncols = (r->n_buckets + c.group - 1) / c.group;
    c.col_w = 60 / c.ncols;
    c.col_w = c.col_w < 1 ? 1 : c.col_w > 6 ? 6 : c.col_w;
    draw(&c, r, 0, "Invocations", "\033[36m");
    fputc('\n', f);
    draw(&c, r, 1, "Tokens (input + output)", "\033[32m");
}
