/*
 * cli/usage_svg.c - `bedrockctl usage --plot FILE.svg`: the terminal chart as a standalone
 * SVG 1.1 document (no scripts, no external references): invocations per bucket, and input
 * and output tokens stacked, with axes, the maximum and half on each y axis, the first,
 * middle and last bucket times, a legend and a tooltip (<title>) on every bar.
 * Invariants: every text node is XML-escaped; the document is well-formed even with no data;
 * the first write error is kept and returned.
 */
#include "usage.h"

#include <stdarg.h>
#include <string.h>

#define W       900
#define PLOT_X  80
#define PLOT_W  780
#define PANEL_H 170

struct svg {
    struct brk_buf *out;
    bedrock_code rc;
};

static void put(struct svg *s, const char *fmt, ...) BEDROCK_PRINTF(2, 3);

static void put(struct svg *s, const char *fmt, ...)
{
    if (s->rc != BEDROCK_OK) {
        return;
    }
    va_list ap;
    va_start(ap, fmt);
    s->rc = brk_buf_vappendf(s->out, fmt, ap);
    va_end(ap);
}

static void put_text(struct svg *s, const char *text)
{
    for (const char *p = text; *p != '\0' && s->rc == BEDROCK_OK; p++) {
        switch (*p) {
        case '<':
            put(s, "&lt;");
            break;
        case '>':
            put(s, "&gt;");
            break;
        case '&':
            put(s, "&amp;");
            break;
        case '"':
            put(s, "&quot;");
            break;
        default:
            put(s, "%c", *p);
            break;
        }
    }
}

static void label(struct svg *s, double x, double y, const char *anchor, const char *text)
{
    put(s, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"%s\">", x, y, anchor);
    put_text(s, text);
    put(s, "</text>\n");
}

static double bucket_value(const struct brk_usage_bucket *b, int metric)
{
    return metric == 0 ? b->invocations : b->input_tokens + b->output_tokens;
}

static void axes(struct svg *s, const struct brk_usage_report *r, double top, double max,
                 const char *title)
{
    double bottom = top + PANEL_H;
    label(s, PLOT_X, top - 12, "start", title);
    put(s, "<line class=\"axis\" x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\"/>\n", PLOT_X, top,
        PLOT_X, bottom);
    put(s, "<line class=\"axis\" x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\"/>\n", PLOT_X, bottom,
        PLOT_X + PLOT_W, bottom);
    for (int k = 1; k <= 2; k++) {
        double y = bottom - PANEL_H * k / 2.0;
        char v[32];
        snprintf(v, sizeof(v), "%.0f", max * k / 2.0);
        put(s, "<line class=\"grid\" x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\"/>\n", PLOT_X, y,
            PLOT_X + PLOT_W, y);
        label(s, PLOT_X - 6, y + 4, "end", v);
    }
    label(s, PLOT_X - 6, bottom + 4, "end", "0");
    bool hours = r->period_s < 86400;
    size_t idx[3] = { 0, r->n_buckets / 2, r->n_buckets - 1 };
    const char *anchor[3] = { "start", "middle", "end" };
    double bw = (double)PLOT_W / (double)r->n_buckets;
    for (int k = 0; k < 3; k++) {
        char t[32];
        brk_usage_fmt_time(r->buckets[idx[k]].t, hours, t, sizeof(t));
        double x = PLOT_X + bw * (double)idx[k] + (k == 0 ? 0 : k == 2 ? bw : bw / 2);
        label(s, x, bottom + 18, anchor[k], t);
    }
}

static void bar(struct svg *s, double x, double y, double w, double h, const char *cls,
                const char *tip)
{
    put(s, "<rect class=\"%s\" x=\"%.2f\" y=\"%.2f\" width=\"%.2f\" height=\"%.2f\"><title>", cls,
        x, y, w, h);
    put_text(s, tip);
    put(s, "</title></rect>\n");
}

/* metric: 0 invocations, 1 tokens (input below, output stacked on top) */
static void panel(struct svg *s, const struct brk_usage_report *r, double top, int metric)
{
    double max = 0;
    for (size_t i = 0; i < r->n_buckets; i++) {
        double v = bucket_value(&r->buckets[i], metric);
        max = v > max ? v : max;
    }
    axes(s, r, top, max, metric == 0 ? "Invocations" : "Tokens (input + output)");
    double bw = (double)PLOT_W / (double)r->n_buckets;
    double bottom = top + PANEL_H;
    for (size_t i = 0; i < r->n_buckets && max > 0; i++) {
        const struct brk_usage_bucket *b = &r->buckets[i];
        double x = PLOT_X + bw * (double)i + bw * 0.1;
        char t[32], tip[160];
        brk_usage_fmt_time(b->t, r->period_s < 86400, t, sizeof(t));
        if (metric == 0 && b->invocations > 0) {
            double h = b->invocations / max * PANEL_H;
            snprintf(tip, sizeof(tip), "%s UTC: %.0f invocations", t, b->invocations);
            bar(s, x, bottom - h, bw * 0.8, h, "inv", tip);
        } else if (metric == 1 && b->input_tokens + b->output_tokens > 0) {
            double hi = b->input_tokens / max * PANEL_H;
            double ho = b->output_tokens / max * PANEL_H;
            snprintf(tip, sizeof(tip), "%s UTC: %.0f input tokens", t, b->input_tokens);
            bar(s, x, bottom - hi, bw * 0.8, hi, "in", tip);
            snprintf(tip, sizeof(tip), "%s UTC: %.0f output tokens", t, b->output_tokens);
            bar(s, x, bottom - hi - ho, bw * 0.8, ho, "out", tip);
        }
    }
}

static void legend(struct svg *s, double y)
{
    static const char *const cls[3] = { "inv", "in", "out" };
    static const char *const name[3] = { "invocations", "input tokens", "output tokens" };
    for (int k = 0; k < 3; k++) {
        double x = PLOT_X + 160.0 * k;
        put(s, "<rect class=\"%s\" x=\"%.1f\" y=\"%.1f\" width=\"12\" height=\"12\"/>\n", cls[k], x,
            y - 10);
        label(s, x + 18, y, "start", name[k]);
    }
}

bedrock_code brk_usage_svg(const struct brk_usage_report *r, struct brk_buf *out)
{
    struct svg s = { out, BEDROCK_OK };
    int h = 110 + 2 * (PANEL_H + 70);
    char title[256], from[32], to[32], cost[64] = "price unknown";
    brk_usage_fmt_time(r->start, true, from, sizeof(from));
    brk_usage_fmt_time(r->end, true, to, sizeof(to));
    snprintf(title, sizeof(title), "Amazon Bedrock usage, last %s (%s to %s UTC, region %s)",
             r->since, from, to, r->region);
    if (r->total.priced) {
        snprintf(cost, sizeof(cost), "estimated cost $%.4f", r->total.cost);
    }
    put(&s,
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        "<svg xmlns=\"http://www.w3.org/2000/svg\" version=\"1.1\" width=\"%d\" "
        "height=\"%d\" viewBox=\"0 0 %d %d\">\n",
        W, h, W, h);
    put(&s, "<title>");
    put_text(&s, title);
    put(&s,
        "</title>\n<style>\ntext { font: 12px sans-serif; fill: #222; }\n"
        ".head { font-size: 15px; font-weight: bold; }\n"
        ".axis { stroke: #444; stroke-width: 1; }\n"
        ".grid { stroke: #ddd; stroke-width: 1; }\n"
        ".inv { fill: #1f77b4; }\n.in { fill: #2ca02c; }\n.out { fill: #ff7f0e; }\n"
        "</style>\n<rect x=\"0\" y=\"0\" width=\"%d\" height=\"%d\" fill=\"#fff\"/>\n",
        W, h);
    put(&s, "<text class=\"head\" x=\"%d\" y=\"28\">", PLOT_X);
    put_text(&s, title);
    put(&s, "</text>\n");
    char sub[160];
    snprintf(sub, sizeof(sub), "%.0f invocations, %.0f input and %.0f output tokens, %s",
             r->total.invocations, r->total.input_tokens, r->total.output_tokens, cost);
    label(&s, PLOT_X, 48, "start", sub);
    legend(&s, 72);
    if (r->n_buckets > 0) {
        panel(&s, r, 120, 0);
        panel(&s, r, 120 + PANEL_H + 70, 1);
    }
    put(&s, "</svg>\n");
    return s.rc;
}
