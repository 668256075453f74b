/*
 * cli/cmd_usage.c - `bedrockctl usage`: the guide's "Monitor Bedrock Usage" from CloudWatch
 * namespace AWS/Bedrock (dimension ModelId): invocations, input/output tokens, latency p50/p90,
 * throttles, client and server errors per model, an estimated cost from the price table, a
 * table and a terminal chart of invocations and tokens over time, --output json, --plot SVG.
 * Invariants: two GetMetricData rounds (totals over [start, end) with one period covering the
 * whole range; the series with hourly or daily periods), several queries per call; the models
 * come from --model, else ListMetrics (plus the priced models when the range is longer than
 * ListMetrics' two weeks); no usage is not an error (exit 0).
 */
#include "../core/alloc.h"
#include "../core/fileio.h"
#include "../services/cloudwatch/cloudwatch.h"
#include "guide.h"
#include "usage.h"

#include <stdio.h>
#include <string.h>
#include <unistd.h>

#define NS       "AWS/Bedrock"
#define N_TOTALS 8
#define N_SERIES 3

struct usage_opts {
    const char *since;
    const char *model;
    const char *by;
    const char *prices;
    const char *plot;
    const char *chart;
};

static const struct brk_opt usage_options[] = {
    BRK_OPT_STR(struct usage_opts, since, "--since", "DURATION",
                "how far back: 24h (default), 7d, 30d, ..."),
    BRK_OPT_STR(struct usage_opts, model, "--model", "ID", "only this model or profile id"),
    BRK_OPT_STR(struct usage_opts, by, "--by", "model|day|hour",
                "table rows per model (default), per day or per hour"),
    BRK_OPT_STR(struct usage_opts, prices, "--prices", "FILE",
                "price table (default: share/bedrock/prices.json next to bedrockctl)"),
    BRK_OPT_STR(struct usage_opts, plot, "--plot", "FILE.svg", "also write the chart as SVG"),
    BRK_OPT_STR(struct usage_opts, chart, "--chart", "auto|unicode|ascii|none",
                "terminal chart style (auto: unicode on a terminal)"),
    BRK_OPT_END,
};

static const char *const g_totals[N_TOTALS][2] = {
    { "Invocations", "Sum" },
    { "InputTokenCount", "Sum" },
    { "OutputTokenCount", "Sum" },
    { "InvocationLatency", "p50" },
    { "InvocationLatency", "p90" },
    { "InvocationThrottles", "Sum" },
    { "InvocationClientErrors", "Sum" },
    { "InvocationServerErrors", "Sum" },
};
static const char *const g_series[N_SERIES] = { "Invocations", "InputTokenCount",
                                                "OutputTokenCount" };

static bool has_model(const struct brk_usage_report *r, const char *id)
{
    for (size_t i = 0; i < r->n_models; i++) {
        if (strcmp(r->models[i].id, id) == 0) {
            return true;
        }
    }
    return false;
}

static bedrock_code add_model(struct brk_usage_report *r, const char *id)
{
    if (has_model(r, id)) {
        return BEDROCK_OK;
    }
    struct brk_usage_model *m = brk_realloc(r->models, (r->n_models + 1) * sizeof(*m));
    if (m == NULL) {
        return BEDROCK_E_NOMEM;
    }
    r->models = m;
    memset(&m[r->n_models], 0, sizeof(*m));
    m[r->n_models].id = brk_strdup(id);
    if (m[r->n_models].id == NULL) {
        return BEDROCK_E_NOMEM;
    }
    r->n_models++;
    return BEDROCK_OK;
}

/* The models to ask about: --model, else ListMetrics (+ priced models for long ranges). */
static bedrock_code find_models(struct bedrock_client *c, const struct usage_opts *o,
                                const json_t *prices, struct brk_usage_report *r,
                                struct bedrock_error *err)
{
    if (o->model != NULL) {
        return add_model(r, o->model);
    }
    char **ids = NULL;
    size_t n = 0;
    bedrock_code rc = brk_cw_list_dimension_values(c, NS, NULL, "ModelId", &ids, &n, err);
    for (size_t i = 0; rc == BEDROCK_OK && i < n; i++) {
        rc = add_model(r, ids[i]);
    }
    brk_cw_strings_free(ids, n);
    if (rc == BEDROCK_OK && r->end - r->start > 14 * 86400) {
        const char *id;
        json_t *unused;
        json_object_foreach(json_object_get(prices, "models"), id, unused)
        {
            if (rc == BEDROCK_OK) {
                rc = add_model(r, id);
            }
        }
    }
    if (rc == BEDROCK_E_NOMEM) {
        bedrock_error_set(err, rc, "out of memory");
    }
    return rc;
}

static void set_query(struct brk_cw_query *q, const char *metric, const char *stat,
                      const char *model, long period)
{
    q->ns = NS;
    q->metric = metric;
    q->dim_name = "ModelId";
    q->dim_value = model;
    q->stat = stat;
    q->period_s = period;
}

static void price_model(struct brk_usage_model *m, const json_t *prices, double unit)
{
    m->priced = brk_usage_price(prices, m->id, &m->in_price, &m->out_price);
    m->cost =
        m->priced ? (m->input_tokens * m->in_price + m->output_tokens * m->out_price) / unit : 0;
}

static bedrock_code fetch_totals(struct bedrock_client *c, struct brk_usage_report *r,
                                 const json_t *prices, struct bedrock_error *err)
{
    size_t n = r->n_models * N_TOTALS;
    struct brk_cw_query *q = brk_calloc(n, sizeof(*q));
    struct brk_cw_series *res = brk_calloc(n, sizeof(*res));
    bedrock_code rc = q != NULL && res != NULL ? BEDROCK_OK : BEDROCK_E_NOMEM;
    for (size_t i = 0; rc == BEDROCK_OK && i < n; i++) {
        set_query(&q[i], g_totals[i % N_TOTALS][0], g_totals[i % N_TOTALS][1],
                  r->models[i / N_TOTALS].id, (long)(r->end - r->start));
    }
    if (rc == BEDROCK_OK) {
        rc = brk_cw_get_metric_data(c, q, n, r->start, r->end, res, err);
    } else {
        bedrock_error_set(err, rc, "out of memory");
    }
    double unit = brk_usage_unit_tokens(prices);
    for (size_t k = 0; rc == BEDROCK_OK && k < r->n_models; k++) {
        struct brk_usage_model *m = &r->models[k];
        const struct brk_cw_series *s = &res[k * N_TOTALS];
        m->invocations = brk_cw_series_sum(&s[0]);
        m->input_tokens = brk_cw_series_sum(&s[1]);
        m->output_tokens = brk_cw_series_sum(&s[2]);
        m->has_latency = s[3].n > 0 && s[4].n > 0;
        m->p50_ms = s[3].n > 0 ? s[3].v[s[3].n - 1] : 0;
        m->p90_ms = s[4].n > 0 ? s[4].v[s[4].n - 1] : 0;
        m->throttles = brk_cw_series_sum(&s[5]);
        m->client_errors = brk_cw_series_sum(&s[6]);
        m->server_errors = brk_cw_series_sum(&s[7]);
        price_model(m, prices, unit);
    }
    for (size_t i = 0; res != NULL && rc == BEDROCK_OK && i < n; i++) {
        brk_cw_series_cleanup(&res[i]);
    }
    brk_free(q);
    brk_free(res);
    return rc;
}

/* Drops models with no activity at all (ListMetrics lists two weeks, the range may be less). */
static void drop_idle(struct brk_usage_report *r)
{
    size_t w = 0;
    for (size_t i = 0; i < r->n_models; i++) {
        struct brk_usage_model *m = &r->models[i];
        if (m->invocations + m->throttles + m->client_errors + m->server_errors > 0) {
            r->models[w++] = *m;
        } else {
            brk_free(m->id);
        }
    }
    r->n_models = w;
}

static void add_point(struct brk_usage_report *r, const struct brk_usage_model *m, int metric,
                      const struct brk_cw_series *s, double unit)
{
    for (size_t j = 0; j < s->n; j++) {
        if (s->t[j] < r->series_start) {
            continue;
        }
        size_t b = (size_t)((s->t[j] - r->series_start) / r->period_s);
        if (b >= r->n_buckets) {
            continue;
        }
        struct brk_usage_bucket *k = &r->buckets[b];
        double v = s->v[j];
        if (metric == 0) {
            k->invocations += v;
        } else if (metric == 1) {
            k->input_tokens += v;
            k->cost += m->priced ? v * m->in_price / unit : 0;
        } else {
            k->output_tokens += v;
            k->cost += m->priced ? v * m->out_price / unit : 0;
        }
    }
}

static bedrock_code fetch_series(struct bedrock_client *c, struct brk_usage_report *r,
                                 const json_t *prices, struct bedrock_error *err)
{
    time_t series_end = (r->end + r->period_s - 1) / r->period_s * r->period_s;
    r->series_start = r->start / r->period_s * r->period_s;
    r->n_buckets = (size_t)((series_end - r->series_start) / r->period_s);
    r->buckets = brk_calloc(r->n_buckets, sizeof(*r->buckets));
    size_t n = r->n_models * N_SERIES;
    struct brk_cw_query *q = brk_calloc(n + 1, sizeof(*q));
    struct brk_cw_series *res = brk_calloc(n + 1, sizeof(*res));
    bedrock_code rc = r->buckets != NULL && q != NULL && res != NULL ? BEDROCK_OK : BEDROCK_E_NOMEM;
    for (size_t i = 0; rc == BEDROCK_OK && i < r->n_buckets; i++) {
        r->buckets[i].t = r->series_start + (time_t)i * r->period_s;
    }
    for (size_t i = 0; rc == BEDROCK_OK && i < n; i++) {
        set_query(&q[i], g_series[i % N_SERIES], "Sum", r->models[i / N_SERIES].id, r->period_s);
    }
    if (rc == BEDROCK_OK && n > 0) {
        rc = brk_cw_get_metric_data(c, q, n, r->series_start, series_end, res, err);
    } else if (rc != BEDROCK_OK) {
        bedrock_error_set(err, rc, "out of memory");
    }
    double unit = brk_usage_unit_tokens(prices);
    for (size_t i = 0; rc == BEDROCK_OK && i < n; i++) {
        add_point(r, &r->models[i / N_SERIES], (int)(i % N_SERIES), &res[i], unit);
        brk_cw_series_cleanup(&res[i]);
    }
    brk_free(q);
    brk_free(res);
    return rc;
}

static void sum_totals(struct brk_usage_report *r)
{
    struct brk_usage_model *t = &r->total;
    memset(t, 0, sizeof(*t));
    t->priced = true;
    for (size_t i = 0; i < r->n_models; i++) {
        const struct brk_usage_model *m = &r->models[i];
        t->invocations += m->invocations;
        t->input_tokens += m->input_tokens;
        t->output_tokens += m->output_tokens;
        t->throttles += m->throttles;
        t->client_errors += m->client_errors;
        t->server_errors += m->server_errors;
        t->cost += m->cost;
        t->priced = t->priced && m->priced;
    }
}

/* Parses the options into the report's time range and bucket period. */
static int parse_range(struct brk_cli *cli, const struct usage_opts *o, struct brk_usage_report *r)
{
    r->since = o->since != NULL ? o->since : "24h";
    long since_s = brk_guide_duration(r->since);
    if (since_s < 3600 || since_s > 455L * 86400) {
        return brk_cli_usage(cli, "--since takes a duration from 1h to 455d, such as 24h, 7d or "
                                  "30d");
    }
    since_s = (since_s + 59) / 60 * 60;
    const char *by = o->by != NULL ? o->by : "model";
    if (strcmp(by, "model") != 0 && strcmp(by, "day") != 0 && strcmp(by, "hour") != 0) {
        return brk_cli_usage(cli, "--by takes model, day or hour");
    }
    if (o->chart != NULL && strcmp(o->chart, "auto") != 0 && strcmp(o->chart, "unicode") != 0 &&
        strcmp(o->chart, "ascii") != 0 && strcmp(o->chart, "none") != 0) {
        return brk_cli_usage(cli, "--chart takes auto, unicode, ascii or none");
    }
    time_t now = time(NULL);
    r->end = (now / 60 + 1) * 60;
    r->start = r->end - since_s;
    r->period_s = by[0] == 'h' ? 3600 : by[0] == 'd' ? 86400 : since_s <= 2 * 86400 ? 3600 : 86400;
    if ((r->end - r->start) / r->period_s > 24 * 100) {
        return brk_cli_usage(cli, "too many hours: use --by day for ranges over 100 days");
    }
    return 0;
}

/* usage_print.c */
int brk_usage_print(struct brk_cli *cli, const struct brk_usage_report *r, const char *by,
                    const char *chart, const char *plot);

static int run_usage(struct brk_cli *cli, void *opts, int argc, const char *const *argv)
{
    (void)argc;
    (void)argv;
    struct usage_opts *o = opts;
    struct brk_usage_report r;
    memset(&r, 0, sizeof(r));
    int st = parse_range(cli, o, &r);
    if (st != 0) {
        return st;
    }
    struct bedrock_error err;
    bedrock_error_clear(&err);
    json_t *prices = brk_usage_load_prices(o->prices, r.prices_path, sizeof(r.prices_path), &err);
    if (prices == NULL && err.code != BEDROCK_OK) {
        return brk_cli_fail(cli, &err);
    }
    r.region = brk_guide_region(cli);
    struct bedrock_client *c = NULL;
    bedrock_code rc = brk_cli_client(cli, &c, &err);
    if (rc == BEDROCK_OK) {
        rc = find_models(c, o, prices, &r, &err);
    }
    if (rc == BEDROCK_OK && r.n_models > 0) {
        rc = fetch_totals(c, &r, prices, &err);
    }
    if (rc == BEDROCK_OK) {
        drop_idle(&r);
        sum_totals(&r);
        rc = fetch_series(c, &r, prices, &err);
    }
    if (rc != BEDROCK_OK) {
        if (err.code == BEDROCK_E_ACCESS_DENIED) {
            snprintf(err.hint, sizeof(err.hint),
                     "usage needs cloudwatch:ListMetrics and cloudwatch:GetMetricData; the "
                     "least-privilege Bedrock key has neither: run it with a monitoring or "
                     "administrator key");
        }
        st = brk_cli_fail(cli, &err);
    } else {
        st = brk_usage_print(cli, &r, o->by != NULL ? o->by : "model", o->chart, o->plot);
    }
    brk_usage_report_cleanup(&r);
    json_decref(prices);
    return st;
}

const struct brk_cli_command brk_cmd_usage = {
    .name = "usage",
    .summary = "invocations, tokens, latency, errors and estimated cost from CloudWatch",
    .usage = "[--since 24h|7d|30d] [--model ID] [--by model|day|hour] [--prices FILE] "
             "[--plot FILE.svg] [--chart auto|unicode|ascii|none]",
    .description =
        "Reads CloudWatch's AWS/Bedrock metrics (Invocations, InputTokenCount, "
        "OutputTokenCount, InvocationLatency p50/p90, InvocationThrottles, "
        "InvocationClientErrors, InvocationServerErrors; dimension ModelId) for the region and "
        "estimates the cost from a price table in USD per 1,000 tokens. Needs "
        "cloudwatch:ListMetrics and cloudwatch:GetMetricData. The cost is an estimate, not a "
        "bill: use `bedrockctl budget` for alerts on the real spend.",
    .opts = usage_options,
    .opts_size = sizeof(struct usage_opts),
    .min_args = 0,
    .max_args = 0,
    .run = run_usage,
};
