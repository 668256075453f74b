/*
 * cli/usage_print.c - how `bedrockctl usage` shows its report: --output json (the whole
 * report), text (one tab-separated row per model or bucket), or by default a boxed table, the
 * terminal chart and a footer on the estimate; --plot writes the SVG chart (atomically, 0644).
 * Invariant: "no usage" is a normal answer, printed plainly, exit 0.
 */
#include "../core/fileio.h"
#include "usage.h"

#include <string.h>
#include <unistd.h>

int brk_usage_print(struct brk_cli *cli, const struct brk_usage_report *r, const char *by,
                    const char *chart, const char *plot);

static void money(double v, char *buf, size_t len)
{
    snprintf(buf, len, v >= 0.01 || v == 0 ? "$%.4f" : "$%.6f", v);
}

static json_t *model_row(const struct brk_usage_model *m, const char *name)
{
    char cost[32] = "price unknown";
    if (m->priced) {
        money(m->cost, cost, sizeof(cost));
    }
    char p50[32] = "-", p90[32] = "-";
    if (m->has_latency) {
        snprintf(p50, sizeof(p50), "%.0f", m->p50_ms);
        snprintf(p90, sizeof(p90), "%.0f", m->p90_ms);
    }
    return json_pack("{s:s,s:I,s:I,s:I,s:s,s:s,s:I,s:I,s:I,s:s}", "Model", name, "Invocations",
                     (json_int_t)m->invocations, "Input tokens", (json_int_t)m->input_tokens,
                     "Output tokens", (json_int_t)m->output_tokens, "p50 ms", p50, "p90 ms", p90,
                     "Throttles", (json_int_t)m->throttles, "Client errors",
                     (json_int_t)m->client_errors, "Server errors", (json_int_t)m->server_errors,
                     "Est. cost (USD)", cost);
}

static json_t *bucket_row(const struct brk_usage_report *r, const struct brk_usage_bucket *b)
{
    char t[32], cost[32];
    brk_usage_fmt_time(b->t, r->period_s < 86400, t, sizeof(t));
    money(b->cost, cost, sizeof(cost));
    return json_pack("{s:s,s:I,s:I,s:I,s:s}", r->period_s < 86400 ? "Hour (UTC)" : "Day (UTC)", t,
                     "Invocations", (json_int_t)b->invocations, "Input tokens",
                     (json_int_t)b->input_tokens, "Output tokens", (json_int_t)b->output_tokens,
                     r->total.priced ? "Est. cost (USD)" : "Est. cost (priced models, USD)", cost);
}

static json_t *rows(const struct brk_usage_report *r, bool by_model, bool with_total)
{
    json_t *a = json_array();
    if (by_model) {
        for (size_t i = 0; i < r->n_models; i++) {
            json_array_append_new(a, model_row(&r->models[i], r->models[i].id));
        }
        if (with_total && r->n_models > 1) {
            json_array_append_new(a, model_row(&r->total, "TOTAL"));
        }
        return a;
    }
    for (size_t i = 0; i < r->n_buckets; i++) {
        const struct brk_usage_bucket *b = &r->buckets[i];
        if (b->invocations + b->input_tokens + b->output_tokens > 0) {
            json_array_append_new(a, bucket_row(r, &r->buckets[i]));
        }
    }
    return a;
}

static int write_plot(struct brk_cli *cli, const struct brk_usage_report *r, const char *plot)
{
    struct brk_buf svg = BRK_BUF(16 * 1024 * 1024);
    struct bedrock_error err;
    bedrock_error_clear(&err);
    bedrock_code rc = brk_usage_svg(r, &svg);
    if (rc == BEDROCK_OK) {
        rc = brk_file_write_atomic(plot, svg.data, svg.len, 0644);
    }
    brk_buf_cleanup(&svg);
    if (rc != BEDROCK_OK) {
        bedrock_error_set(&err, rc, "cannot write the chart to %s", plot);
        return brk_cli_fail(cli, &err);
    }
    if (!(cli->output_given && cli->out_fmt != BRK_OUT_TABLE)) {
        fprintf(cli->out, "Chart written to %s (open it in a browser).\n", plot);
    }
    return 0;
}

static void header(struct brk_cli *cli, const struct brk_usage_report *r)
{
    char s[32], e[32];
    brk_usage_fmt_time(r->start, true, s, sizeof(s));
    brk_usage_fmt_time(r->end, true, e, sizeof(e));
    fprintf(cli->out, "%sAmazon Bedrock usage, last %s%s (%s to %s UTC, region %s)\n",
            brk_cli_color(cli, false, "bold"), r->since, brk_cli_color(cli, false, "reset"), s, e,
            r->region);
}

static void footer(struct brk_cli *cli, const struct brk_usage_report *r)
{
    char cost[32];
    money(r->total.cost, cost, sizeof(cost));
    fprintf(cli->out, "Estimated cost: %s%s%s (%s; not a bill)\n",
            brk_cli_color(cli, false, "bold"), cost, brk_cli_color(cli, false, "reset"),
            r->prices_path[0] != '\0' ? r->prices_path : "no price table found: use --prices");
    for (size_t i = 0; i < r->n_models; i++) {
        if (!r->models[i].priced) {
            fprintf(cli->out, "  %s: price unknown (add it to a --prices file)\n", r->models[i].id);
        }
    }
}

static bool chart_unicode(struct brk_cli *cli, const char *chart)
{
    if (chart != NULL && strcmp(chart, "unicode") == 0) {
        return true;
    }
    if (chart != NULL && strcmp(chart, "ascii") == 0) {
        return false;
    }
    return brk_cli_color_allowed(cli->out, cli->g.no_color);
}

int brk_usage_print(struct brk_cli *cli, const struct brk_usage_report *r, const char *by,
                    const char *chart, const char *plot)
{
    bool by_model = strcmp(by, "model") == 0;
    if (cli->output_given && cli->out_fmt == BRK_OUT_JSON) {
        json_t *doc = brk_usage_report_json(r);
        brk_cli_print_json(cli->out, doc);
        json_decref(doc);
    } else if (cli->output_given && cli->out_fmt == BRK_OUT_TEXT) {
        json_t *a = rows(r, by_model, false);
        brk_cli_print(cli, a, "Usage");
        json_decref(a);
    } else {
        header(cli, r);
        if (r->n_models == 0) {
            fprintf(cli->out, "No Amazon Bedrock usage: CloudWatch has no AWS/Bedrock data for "
                              "this range and region.\n");
        } else {
            enum brk_out_fmt saved = cli->out_fmt;
            cli->out_fmt = BRK_OUT_TABLE;
            json_t *a = rows(r, by_model, true);
            brk_cli_print(cli, a, by_model ? "Usage by model" : "Usage over time");
            json_decref(a);
            cli->out_fmt = saved;
            if (chart == NULL || strcmp(chart, "none") != 0) {
                fputc('\n', cli->out);
                brk_usage_chart(cli->out, r, chart_unicode(cli, chart),
                                brk_cli_color_allowed(cli->out, cli->g.no_color));
            }
            footer(cli, r);
        }
    }
    if (plot != NULL) {
        return write_plot(cli, r, plot);
    }
    return 0;
}
