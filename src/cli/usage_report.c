/*
 * cli/usage_report.c - the price table and the report's JSON form for `bedrockctl usage`
 * (see usage.h). The price table is data/prices.json: USD per unit_tokens (1,000) input and
 * output tokens per model id.
 * Invariants: a missing table is not an error (costs become "price unknown"); a --prices file
 * that cannot be read or parsed is. Inference-profile ids (a geography prefix such as eu.,
 * us., apac., global.) are priced as the model they route to.
 */
#include "../core/alloc.h"
#include "../crypto/sigv4.h"
#include "usage.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define PRICES_MAX_BYTES (1024 * 1024)

static json_t *load_file(const char *path, json_error_t *je)
{
    json_t *doc = json_load_file(path, 0, je);
    if (doc != NULL && !json_is_object(json_object_get(doc, "models"))) {
        json_decref(doc);
        snprintf(je->text, sizeof(je->text), "no \"models\" object");
        return NULL;
    }
    return doc;
}

/* The directory of the running executable, or "" */
static void exe_dir(char *dir, size_t len)
{
    ssize_t n = readlink("/proc/self/exe", dir, len - 1);
    dir[n > 0 ? n : 0] = '\0';
    char *slash = strrchr(dir, '/');
    if (slash != NULL) {
        *slash = '\0';
    } else {
        dir[0] = '\0';
    }
}

json_t *brk_usage_load_prices(const char *given, char *path, size_t path_len,
                              struct bedrock_error *err)
{
    json_error_t je;
    path[0] = '\0';
    if (given != NULL) {
        json_t *doc = load_file(given, &je);
        if (doc == NULL) {
            bedrock_error_set(err, BEDROCK_E_INVALID_ARG, "--prices %s: %s", given, je.text);
            return NULL;
        }
        snprintf(path, path_len, "%s", given);
        return doc;
    }
    char dir[PATH_MAX];
    exe_dir(dir, sizeof(dir));
    if (dir[0] == '\0') {
        return NULL;
    }
    static const char *const rel[] = { "/../share/bedrock/prices.json", "/../../data/prices.json",
                                       "/../data/prices.json" };
    for (size_t i = 0; i < sizeof(rel) / sizeof(rel[0]); i++) {
        char p[PATH_MAX + 64];
        snprintf(p, sizeof(p), "%s%s", dir, rel[i]);
        if (access(p, R_OK) != 0) {
            continue;
        }
        json_t *doc = load_file(p, &je);
        if (doc != NULL) {
            char *real = realpath(p, NULL);
            snprintf(path, path_len, "%s", real != NULL ? real : p);
            free(real); /* realpath allocates with malloc */
            return doc;
        }
    }
    return NULL;
}

double brk_usage_unit_tokens(const json_t *prices)
{
    json_t *u = json_object_get(prices, "unit_tokens");
    return json_is_number(u) && json_number_value(u) > 0 ? json_number_value(u) : 1000.0;
}

static bool price_of(const json_t *prices, const char *id, double *in, double *out)
{
    json_t *m = json_object_get(json_object_get(prices, "models"), id);
    json_t *i = json_object_get(m, "input");
    json_t *o = json_object_get(m, "output");
    if (!json_is_number(i) || !json_is_number(o)) {
        return false;
    }
    *in = json_number_value(i);
    *out = json_number_value(o);
    return true;
}

bool brk_usage_price(const json_t *prices, const char *model_id, double *in, double *out)
{
    if (prices == NULL || model_id == NULL) {
        return false;
    }
    if (price_of(prices, model_id, in, out)) {
        return true;
    }
    /* an ARN: price its last path segment */
    const char *slash = strrchr(model_id, '/');
    if (strncmp(model_id, "arn:", 4) == 0 && slash != NULL) {
        return brk_usage_price(prices, slash + 1, in, out);
    }
    /* an inference profile: "eu.anthropic.claude-..." -> "anthropic.claude-..." */
    const char *dot = strchr(model_id, '.');
    if (dot != NULL && dot - model_id <= 8 && strchr(dot + 1, '.') != NULL) {
        return price_of(prices, dot + 1, in, out);
    }
    return false;
}

void brk_usage_report_cleanup(struct brk_usage_report *r)
{
    for (size_t i = 0; i < r->n_models; i++) {
        brk_free(r->models[i].id);
    }
    brk_free(r->models);
    brk_free(r->buckets);
    r->models = NULL;
    r->buckets = NULL;
    r->n_models = 0;
    r->n_buckets = 0;
}

void brk_usage_fmt_time(time_t t, bool with_time, char *buf, size_t len)
{
    struct tm tm;
    if (gmtime_r(&t, &tm) == NULL) {
        snprintf(buf, len, "?");
        return;
    }
    strftime(buf, len, with_time ? "%Y-%m-%d %H:%M" : "%Y-%m-%d", &tm);
}

static void iso(time_t t, char *buf, size_t len)
{
    char s[21];
    brk_iso8601(t, s);
    snprintf(buf, len, "%s", s);
}

static json_t *cost_json(const struct brk_usage_model *m)
{
    return m->priced ? json_real(m->cost) : json_null();
}

static json_t *model_json(const struct brk_usage_model *m)
{
    json_t *o = json_pack("{s:s?,s:I,s:I,s:I,s:I,s:I,s:I}", "ModelId", m->id, "Invocations",
                          (json_int_t)m->invocations, "InputTokens", (json_int_t)m->input_tokens,
                          "OutputTokens", (json_int_t)m->output_tokens, "Throttles",
                          (json_int_t)m->throttles, "ClientErrors", (json_int_t)m->client_errors,
                          "ServerErrors", (json_int_t)m->server_errors);
    if (o == NULL) {
        return NULL;
    }
    if (m->id != NULL) {
        json_object_set_new(o, "LatencyP50Ms", m->has_latency ? json_real(m->p50_ms) : json_null());
        json_object_set_new(o, "LatencyP90Ms", m->has_latency ? json_real(m->p90_ms) : json_null());
        json_object_set_new(o, "PriceKnown", json_boolean(m->priced));
        if (m->priced) {
            json_object_set_new(o, "InputPricePerUnit", json_real(m->in_price));
            json_object_set_new(o, "OutputPricePerUnit", json_real(m->out_price));
        }
    }
    json_object_set_new(o, "EstimatedCostUSD", cost_json(m));
    return o;
}

json_t *brk_usage_report_json(const struct brk_usage_report *r)
{
    char s[32], e[32];
    iso(r->start, s, sizeof(s));
    iso(r->end, e, sizeof(e));
    json_t *models = json_array();
    for (size_t i = 0; i < r->n_models; i++) {
        json_array_append_new(models, model_json(&r->models[i]));
    }
    json_t *points = json_array();
    for (size_t i = 0; i < r->n_buckets; i++) {
        const struct brk_usage_bucket *b = &r->buckets[i];
        char t[32];
        iso(b->t, t, sizeof(t));
        json_array_append_new(points,
                              json_pack("{s:s,s:I,s:I,s:I,s:f}", "Time", t, "Invocations",
                                        (json_int_t)b->invocations, "InputTokens",
                                        (json_int_t)b->input_tokens, "OutputTokens",
                                        (json_int_t)b->output_tokens, "EstimatedCostUSD", b->cost));
    }
    return json_pack("{s:s,s:s,s:s,s:s,s:o,s:o,s:{s:I,s:o},s:s?,s:s}", "Since", r->since, "Region",
                     r->region, "Start", s, "End", e, "Models", models, "Total",
                     model_json(&r->total), "Series", "PeriodSeconds", (json_int_t)r->period_s,
                     "Points", points, "PriceTable",
                     r->prices_path[0] != '\0' ? r->prices_path : NULL, "Note",
                     "Estimated from CloudWatch AWS/Bedrock metrics and the price table; "
                     "not a bill.");
}
