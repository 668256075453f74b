/*
 * emulator/svc_cloudwatch.c - CloudWatch GetMetricStatistics, GetMetricData and ListMetrics
 * over namespace AWS/Bedrock, computed from the runtime's usage records, in three protocols:
 * JSON 1.0 (X-Amz-Target GraniteServiceVersion20100801.<Op>), query/XML (Action=<Op>) and
 * smithy-rpc-v2-cbor (POST /service/GraniteServiceVersion20100801/operation/<Op>).
 *
 * Metrics (dimension ModelId, or none = all models): Invocations, InputTokenCount,
 * OutputTokenCount, InvocationLatency, TimeToFirstToken (streams only) from successful calls;
 * InvocationThrottles / InvocationClientErrors / InvocationServerErrors count 1 per failed
 * call. Buckets are [start + k*period, start + (k+1)*period) with start rounded down to whole
 * seconds; only buckets with samples produce datapoints. Percentiles use the nearest rank.
 */
#include "core/alloc.h"
#include "crypto/sigv4.h"
#include "emulator/cw.h"
#include "emulator/svc_util.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CW_TARGET      "GraniteServiceVersion20100801."
#define CW_CBOR_PATH   "/service/GraniteServiceVersion20100801/operation/"
#define CW_NS          "AWS/Bedrock"
#define CW_MAX_BUCKETS 100800

enum cw_proto { CW_JSON, CW_QUERY, CW_CBOR };

struct cw_series {
    const char *metric;
    const char *model; /* NULL = all models */
    time_t start, end;
    long period;
    size_t nb;
    double **vals;
    size_t *n, *cap;
};

static const char *const g_metrics[] = {
    "Invocations",      "InputTokenCount",     "OutputTokenCount",       "InvocationLatency",
    "TimeToFirstToken", "InvocationThrottles", "InvocationClientErrors", "InvocationServerErrors"
};

static bool known_metric(const char *m)
{
    for (size_t i = 0; i < sizeof(g_metrics) / sizeof(g_metrics[0]); i++) {
        if (strcmp(g_metrics[i], m) == 0) {
            return true;
        }
    }
    return false;
}

static const char *metric_unit(const char *m)
{
    return strcmp(m, "InvocationLatency") == 0 || strcmp(m, "TimeToFirstToken") == 0
               ? "Milliseconds"
               : "Count";
}

static bool sample_of(const char *m, const struct emu_usage *u, double *v)
{
    bool ok = u->outcome == 0 && strcmp(u->operation, "CountTokens") != 0;
    if (strcmp(m, "InvocationThrottles") == 0 || strcmp(m, "InvocationClientErrors") == 0 ||
        strcmp(m, "InvocationServerErrors") == 0) {
        int want = m[10] == 'T' ? 1 : m[10] == 'C' ? 2 : 3;
        *v = 1;
        return u->outcome == want && strcmp(u->operation, "CountTokens") != 0;
    }
    if (strcmp(m, "Invocations") == 0) {
        *v = 1;
    } else if (strcmp(m, "InputTokenCount") == 0) {
        *v = (double)u->input_tokens;
    } else if (strcmp(m, "OutputTokenCount") == 0) {
        *v = (double)u->output_tokens;
    } else if (strcmp(m, "InvocationLatency") == 0) {
        *v = (double)u->latency_ms;
    } else if (strcmp(m, "TimeToFirstToken") == 0) {
        *v = (double)u->first_token_ms;
        ok = ok && strstr(u->operation, "Stream") != NULL;
    } else {
        return false;
    }
    return ok;
}

static void collect(void *ctx, const struct emu_usage *u)
{
    struct cw_series *s = ctx;
    double v;
    if (u->at_s < s->start || u->at_s >= s->end ||
        (s->model != NULL && strcmp(s->model, u->model_id) != 0) || !sample_of(s->metric, u, &v)) {
        return;
    }
    size_t b = (size_t)((u->at_s - s->start) / s->period);
    if (b >= s->nb) {
        return;
    }
    if (s->n[b] == s->cap[b]) {
        size_t nc = s->cap[b] != 0 ? s->cap[b] * 2 : 16;
        double *nv = brk_realloc(s->vals[b], nc * sizeof(double));
        if (nv == NULL) {
            return;
        }
        s->vals[b] = nv;
        s->cap[b] = nc;
    }
    s->vals[b][s->n[b]++] = v;
}

static void series_free(struct cw_series *s)
{
    for (size_t i = 0; s->vals != NULL && i < s->nb; i++) {
        brk_free(s->vals[i]);
    }
    brk_free(s->vals);
    brk_free(s->n);
    brk_free(s->cap);
}

static bool series_fill(struct emu_request *req, struct cw_series *s)
{
    s->nb = (size_t)((s->end - s->start + s->period - 1) / s->period);
    s->vals = brk_calloc(s->nb, sizeof(double *));
    s->n = brk_calloc(s->nb, sizeof(size_t));
    s->cap = brk_calloc(s->nb, sizeof(size_t));
    if (s->vals == NULL || s->n == NULL || s->cap == NULL) {
        return false;
    }
    emu_usage_each(req->server, s->start, s->end, collect, s);
    return true;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* Statistic over v[0..n); false for an unknown statistic name. */
static bool stat_of(const char *stat, double *v, size_t n, double *out)
{
    double sum = 0, mn = INFINITY, mx = -INFINITY;
    for (size_t i = 0; i < n; i++) {
        sum += v[i];
        mn = v[i] < mn ? v[i] : mn;
        mx = v[i] > mx ? v[i] : mx;
    }
    if (strcmp(stat, "Sum") == 0) {
        *out = sum;
    } else if (strcmp(stat, "Average") == 0) {
        *out = sum / (double)n;
    } else if (strcmp(stat, "Minimum") == 0) {
        *out = mn;
    } else if (strcmp(stat, "Maximum") == 0) {
        *out = mx;
    } else if (strcmp(stat, "SampleCount") == 0) {
        *out = (double)n;
    } else if (stat[0] == 'p' && stat[1] != '\0') {
        char *end = NULL;
        double p = strtod(stat + 1, &end);
        if (end == stat + 1 || *end != '\0' || p < 0 || p > 100) {
            return false;
        }
        qsort(v, n, sizeof(double), cmp_double);
        size_t rank = (size_t)ceil(p / 100.0 * (double)n);
        *out = v[rank > 0 ? rank - 1 : 0];
    } else {
        return false;
    }
    return true;
}

static bool parse_time(json_t *v, time_t *out)
{
    if (json_is_number(v)) {
        *out = (time_t)json_number_value(v);
        return true;
    }
    const char *s = json_string_value(v);
    return s != NULL && brk_parse_iso8601(s, out) == BEDROCK_OK;
}

/* ModelId dimension value from a Dimensions list; *ok false on other dimension names. */
static const char *model_dim(json_t *dims, bool *ok)
{
    size_t i;
    json_t *d;
    const char *model = NULL;
    *ok = true;
    json_array_foreach(dims, i, d)
    {
        const char *name = json_string_value(json_object_get(d, "Name"));
        if (name == NULL || strcmp(name, "ModelId") != 0) {
            *ok = false;
        } else {
            model = json_string_value(json_object_get(d, "Value"));
        }
    }
    return model;
}

static bool bad(struct emu_request *req, const char *code, const char *msg)
{
    emu_reply_error(req, 400, code, "%s", msg);
    return false;
}

/* Validates and sets up a series for (metric, dims, period) over the document's time range. */
static bool series_init(struct emu_request *req, json_t *in, json_t *metric_doc, long period,
                        struct cw_series *s, bool *empty)
{
    bool dims_ok = true;
    memset(s, 0, sizeof(*s));
    const char *ns = json_string_value(json_object_get(metric_doc, "Namespace"));
    s->metric = json_string_value(json_object_get(metric_doc, "MetricName"));
    if (s->metric == NULL) {
        return bad(req, "MissingParameter", "The parameter MetricName is required.");
    }
    if (!parse_time(json_object_get(in, "StartTime"), &s->start)) {
        return bad(req, "MissingParameter", "The parameter StartTime is required.");
    }
    if (!parse_time(json_object_get(in, "EndTime"), &s->end)) {
        return bad(req, "MissingParameter", "The parameter EndTime is required.");
    }
    if (period <= 0 || (period >= 60 && period % 60 != 0) || (period < 60 && 60 % period != 0)) {
        return bad(req, "InvalidParameterValue",
                   "The parameter Period must be a multiple of 60 (or 1, 5, 10, 30).");
    }
    if (s->end <= s->start) {
        return bad(req, "InvalidParameterValue",
                   "The parameter StartTime must be less than the parameter EndTime.");
    }
    s->period = period;
    s->model = model_dim(json_object_get(metric_doc, "Dimensions"), &dims_ok);
    *empty = ns == NULL || strcmp(ns, CW_NS) != 0 || !known_metric(s->metric) || !dims_ok;
    if ((s->end - s->start) / period > CW_MAX_BUCKETS) {
        return bad(req, "InvalidParameterCombination",
                   "You have requested too many datapoints; increase the period.");
    }
    return true;
}

static json_t *op_get_metric_statistics(struct emu_request *req, json_t *in)
{
    struct cw_series s;
    bool empty = false;
    json_t *stats = json_object_get(in, "Statistics");
    json_t *ext = json_object_get(in, "ExtendedStatistics");
    if (json_array_size(stats) == 0 && json_array_size(ext) == 0) {
        bad(req, "MissingParameter", "Must specify either Statistics or ExtendedStatistics.");
        return NULL;
    }
    if (!json_is_string(json_object_get(in, "Namespace"))) {
        bad(req, "MissingParameter", "The parameter Namespace is required.");
        return NULL;
    }
    json_t *per = json_object_get(in, "Period");
    if (!series_init(req, in, in, json_is_integer(per) ? (long)json_integer_value(per) : 0, &s,
                     &empty)) {
        return NULL;
    }
    if (!empty && (s.end - s.start) / s.period > 1440) {
        bad(req, "InvalidParameterCombination",
            "You have requested up to more than 1,440 datapoints, which exceeds the limit of "
            "1,440. You may reduce the datapoints requested by increasing Period, or decreasing "
            "the time range.");
        return NULL;
    }
    const char *unit = json_string_value(json_object_get(in, "Unit"));
    empty = empty || (unit != NULL && strcmp(unit, metric_unit(s.metric)) != 0);
    json_t *dps = json_array();
    if (!empty && series_fill(req, &s)) {
        for (size_t b = 0; b < s.nb; b++) {
            if (s.n[b] == 0) {
                continue;
            }
            json_t *dp =
                json_pack("{s:I,s:s}", "Timestamp", (json_int_t)(s.start + (time_t)b * s.period),
                          "Unit", metric_unit(s.metric));
            size_t i;
            json_t *st;
            double v;
            json_array_foreach(stats, i, st)
            {
                if (json_is_string(st) && stat_of(json_string_value(st), s.vals[b], s.n[b], &v)) {
                    json_object_set_new(dp, json_string_value(st), json_real(v));
                }
            }
            json_t *eo = json_object();
            json_array_foreach(ext, i, st)
            {
                if (json_is_string(st) && json_string_value(st)[0] == 'p' &&
                    stat_of(json_string_value(st), s.vals[b], s.n[b], &v)) {
                    json_object_set_new(eo, json_string_value(st), json_real(v));
                }
            }
            if (json_object_size(eo) > 0) {
                json_object_set_new(dp, "ExtendedStatistics", eo);
            } else {
                json_decref(eo);
            }
            json_array_append_new(dps, dp);
        }
    }
    series_free(&s);
    return json_pack("{s:s,s:o}", "Label", s.metric, "Datapoints", dps);
}

static json_t *data_result(struct emu_request *req, json_t *in, json_t *q, bool asc, bool *fail)
{
    struct cw_series s;
    bool empty = false;
    json_t *ms = json_object_get(q, "MetricStat");
    const char *id = json_string_value(json_object_get(q, "Id"));
    const char *stat = json_string_value(json_object_get(ms, "Stat"));
    json_t *per = json_object_get(ms, "Period");
    *fail = true;
    if (id == NULL || ms == NULL || stat == NULL) {
        bad(req, "InvalidParameterValue",
            "Each MetricDataQuery needs an Id and a MetricStat with Stat (expressions are not "
            "supported by the emulator).");
        return NULL;
    }
    if (!series_init(req, in, json_object_get(ms, "Metric"),
                     json_is_integer(per) ? (long)json_integer_value(per) : 0, &s, &empty)) {
        return NULL;
    }
    double probe[1] = { 0 };
    double v;
    if (!stat_of(stat, probe, 1, &v)) {
        bad(req, "InvalidParameterValue", "The value for the parameter Stat is not valid.");
        return NULL;
    }
    *fail = false;
    json_t *ts = json_array(), *vals = json_array();
    if (!empty && series_fill(req, &s)) {
        for (size_t k = 0; k < s.nb; k++) {
            size_t b = asc ? k : s.nb - 1 - k;
            if (s.n[b] > 0 && stat_of(stat, s.vals[b], s.n[b], &v)) {
                json_array_append_new(ts,
                                      json_integer((json_int_t)(s.start + (time_t)b * s.period)));
                json_array_append_new(vals, json_real(v));
            }
        }
    }
    series_free(&s);
    const char *label = json_string_value(json_object_get(q, "Label"));
    return json_pack("{s:s,s:s,s:o,s:o,s:s}", "Id", id, "Label", label != NULL ? label : s.metric,
                     "Timestamps", ts, "Values", vals, "StatusCode", "Complete");
}

static json_t *op_get_metric_data(struct emu_request *req, json_t *in)
{
    json_t *qs = json_object_get(in, "MetricDataQueries");
    const char *scan = json_string_value(json_object_get(in, "ScanBy"));
    bool asc = scan != NULL && strcmp(scan, "TimestampAscending") == 0;
    if (json_array_size(qs) == 0) {
        bad(req, "MissingParameter", "The parameter MetricDataQueries is required.");
        return NULL;
    }
    json_t *results = json_array();
    size_t i;
    json_t *q;
    json_array_foreach(qs, i, q)
    {
        bool fail = false;
        json_t *r = data_result(req, in, q, asc, &fail);
        if (fail) {
            json_decref(results);
            return NULL;
        }
        if (json_is_false(json_object_get(q, "ReturnData"))) {
            json_decref(r);
            continue;
        }
        json_array_append_new(results, r);
    }
    return json_pack("{s:o,s:[]}", "MetricDataResults", results, "Messages");
}

struct cw_list_ctx {
    json_t *models; /* object used as a set of model ids */
};

static void list_collect(void *ctx, const struct emu_usage *u)
{
    struct cw_list_ctx *c = ctx;
    json_object_set_new(c->models, u->model_id, json_true());
}

static json_t *op_list_metrics(struct emu_request *req, json_t *in)
{
    const char *ns = json_string_value(json_object_get(in, "Namespace"));
    const char *name = json_string_value(json_object_get(in, "MetricName"));
    bool dims_ok = true;
    json_t *dims = json_object_get(in, "Dimensions");
    const char *want_model = model_dim(dims, &dims_ok);
    struct cw_list_ctx c = { json_object() };
    json_t *out = json_array();
    time_t now = req->now_s != 0 ? req->now_s : time(NULL);
    if ((ns == NULL || strcmp(ns, CW_NS) == 0) && dims_ok) {
        emu_usage_each(req->server, now - 15 * 86400, now + 1, list_collect, &c);
    }
    const char *model;
    json_t *unused;
    json_object_foreach(c.models, model, unused)
    {
        if (want_model != NULL && strcmp(want_model, model) != 0) {
            continue;
        }
        for (size_t i = 0; i < sizeof(g_metrics) / sizeof(g_metrics[0]); i++) {
            if (name != NULL && strcmp(name, g_metrics[i]) != 0) {
                continue;
            }
            json_array_append_new(out, json_pack("{s:s,s:s,s:[{s:s,s:s}]}", "Namespace", CW_NS,
                                                 "MetricName", g_metrics[i], "Dimensions", "Name",
                                                 "ModelId", "Value", model));
        }
    }
    json_decref(c.models);
    return json_pack("{s:o}", "Metrics", out);
}

static void reply_doc(struct emu_request *req, enum cw_proto proto, const char *op, json_t *doc)
{
    if (proto == CW_QUERY) {
        cw_reply_xml(req, op, doc);
        return;
    }
    if (proto == CW_JSON) {
        emu_reply_json(req, 200, "application/x-amz-json-1.0", doc);
        return;
    }
    uint8_t *bytes = NULL;
    size_t len = 0;
    bool ok = cw_json_to_cbor(doc, &bytes, &len);
    json_decref(doc);
    if (!ok) {
        emu_reply_error(req, 500, "InternalFailure", "Internal failure");
        return;
    }
    emu_reply_header(req, "smithy-protocol", "rpc-v2-cbor");
    emu_reply(req, 200, "application/cbor", bytes, len);
    free(bytes);
}

static json_t *read_input(struct emu_request *req, enum cw_proto proto, const char *op)
{
    if (proto == CW_QUERY) {
        return cw_form_to_json(req, op);
    }
    if (proto == CW_CBOR) {
        return cw_cbor_to_json(req->body, req->body_len);
    }
    if (req->body_len == 0) {
        return json_object();
    }
    return emu_body_json(req);
}

void emu_svc_cloudwatch(struct emu_request *req)
{
    char op[64];
    enum cw_proto proto = CW_QUERY;
    const char *target = emu_header(req, "x-amz-target");
    const char *action = NULL;
    if (strncmp(req->path, CW_CBOR_PATH, sizeof(CW_CBOR_PATH) - 1) == 0) {
        proto = CW_CBOR;
        snprintf(op, sizeof(op), "%s", req->path + sizeof(CW_CBOR_PATH) - 1);
    } else if (target != NULL && strncmp(target, CW_TARGET, sizeof(CW_TARGET) - 1) == 0) {
        proto = CW_JSON;
        snprintf(op, sizeof(op), "%s", target + sizeof(CW_TARGET) - 1);
    } else if ((action = emu_form_get(req, "Action")) != NULL) {
        snprintf(op, sizeof(op), "%s", action);
    } else {
        emu_reply_error(req, 400, "MissingAction", "Missing Action");
        return;
    }
    static const struct {
        const char *name;
        json_t *(*fn)(struct emu_request *, json_t *);
    } ops[] = { { "GetMetricStatistics", op_get_metric_statistics },
                { "GetMetricData", op_get_metric_data },
                { "ListMetrics", op_list_metrics } };
    for (size_t i = 0; i < sizeof(ops) / sizeof(ops[0]); i++) {
        if (strcmp(op, ops[i].name) != 0) {
            continue;
        }
        char act[96];
        snprintf(act, sizeof(act), "cloudwatch:%s", op);
        if (!emu_authorize_or_reply(req, act, "*", NULL, 0)) {
            return;
        }
        json_t *in = read_input(req, proto, op);
        if (in == NULL) {
            emu_reply_error(req, 400, "SerializationException",
                            "Could not parse the request body.");
            return;
        }
        json_t *out = ops[i].fn(req, in);
        json_decref(in);
        if (out != NULL) {
            reply_doc(req, proto, op, out);
        }
        return;
    }
    emu_reply_error(req, 400, proto == CW_QUERY ? "InvalidAction" : "UnknownOperationException",
                    "The action %s is not valid for this web service.", op);
}
