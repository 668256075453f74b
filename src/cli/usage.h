/*
 * cli/usage.h - what `bedrockctl usage` computes (cmd_usage.c, usage_report.c) and draws
 * (usage_chart.c: terminal chart; usage_svg.c: standalone SVG): per-model totals and a time
 * series of invocations and tokens, with costs estimated from the price table.
 * Invariants: the series buckets are contiguous, ascending, period_s apart, starting at
 * series_start; a model without a price has priced == false and contributes no cost.
 */
#ifndef BRK_CLI_USAGE_H
#define BRK_CLI_USAGE_H

#include "../core/buf.h"
#include "cli.h"

#include <stdbool.h>
#include <stdio.h>
#include <time.h>

struct brk_usage_model {
    char *id;
    double invocations, input_tokens, output_tokens;
    double throttles, client_errors, server_errors;
    bool has_latency;
    double p50_ms, p90_ms;
    bool priced;
    double in_price, out_price; /* USD per unit_tokens */
    double cost;
};

struct brk_usage_bucket {
    time_t t;
    double invocations, input_tokens, output_tokens, cost;
};

struct brk_usage_report {
    const char *since; /* as given: "24h" */
    const char *region;
    time_t start, end; /* totals cover [start, end) */
    long period_s;     /* series bucket: 3600 or 86400 */
    time_t series_start;
    size_t n_models;
    struct brk_usage_model *models;
    size_t n_buckets;
    struct brk_usage_bucket *buckets;
    struct brk_usage_model total; /* id NULL; priced = every model with usage priced */
    char prices_path[1024];       /* "" when no price table was found */
};

/* usage_report.c: the price table (found next to the executable, in the source tree, or
 * --prices) as a jansson object; NULL with err set when --prices names a bad file, NULL with
 * err clear when there is none. */
json_t *brk_usage_load_prices(const char *given, char *path, size_t path_len,
                              struct bedrock_error *err);
/* Price of a model id (inference profiles eu./us./apac./global. priced as their model). */
bool brk_usage_price(const json_t *prices, const char *model_id, double *in, double *out);
double brk_usage_unit_tokens(const json_t *prices);
void brk_usage_report_cleanup(struct brk_usage_report *r);
/* The report as JSON (new reference). */
json_t *brk_usage_report_json(const struct brk_usage_report *r);
/* "2024-06-01 13:00" (UTC) into buf. */
void brk_usage_fmt_time(time_t t, bool with_time, char *buf, size_t len);

/* usage_chart.c: bar charts of invocations and tokens over time on f; unicode block
 * characters (and colour when color) or plain ASCII. */
void brk_usage_chart(FILE *f, const struct brk_usage_report *r, bool unicode, bool color);

/* usage_svg.c: the same chart as a standalone SVG document. */
BEDROCK_MUST_USE bedrock_code brk_usage_svg(const struct brk_usage_report *r, struct brk_buf *out);

#endif
