/*
 * services/cloudwatch/cloudwatch.c - GetMetricData and ListMetrics over JSON 1.0 (see
 * cloudwatch.h). Query ids are "q<index>" of the caller's array, so pages and chunks land in
 * the right series whatever order the service answers in. Pagination is bounded.
 */
#include "cloudwatch.h"

#include "../call.h"
#include "core/alloc.h"
#include "crypto/sigv4.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CW_TARGET    "GraniteServiceVersion20100801."
#define CW_MAX_PAGES 50

static bedrock_code cw_call(struct bedrock_client *c, const char *op, json_t *body, json_t **out,
                            struct bedrock_error *err)
{
    char target[96];
    snprintf(target, sizeof(target), CW_TARGET "%s", op);
    return brk_json_call(c, "monitoring", "monitoring", "1.0", target, body, out, err);
}

void brk_cw_series_cleanup(struct brk_cw_series *s)
{
    brk_free(s->t);
    brk_free(s->v);
    memset(s, 0, sizeof(*s));
}

double brk_cw_series_sum(const struct brk_cw_series *s)
{
    double sum = 0;
    for (size_t i = 0; i < s->n; i++) {
        sum += s->v[i];
    }
    return sum;
}

/* A JSON 1.0 timestamp: epoch seconds (number) or ISO 8601 text. */
static bool parse_ts(const json_t *v, time_t *out)
{
    if (json_is_number(v)) {
        *out = (time_t)json_number_value(v);
        return true;
    }
    const char *s = json_string_value(v);
    return s != NULL && brk_parse_iso8601(s, out) == BEDROCK_OK;
}

static bedrock_code series_add(struct brk_cw_series *s, time_t t, double v)
{
    time_t *nt = brk_realloc(s->t, (s->n + 1) * sizeof(*nt));
    if (nt == NULL) {
        return BEDROCK_E_NOMEM;
    }
    s->t = nt;
    double *nv = brk_realloc(s->v, (s->n + 1) * sizeof(*nv));
    if (nv == NULL) {
        return BEDROCK_E_NOMEM;
    }
    s->v = nv;
    /* keep ascending order: insert after the last point not later than t */
    size_t i = s->n;
    while (i > 0 && s->t[i - 1] > t) {
        s->t[i] = s->t[i - 1];
        s->v[i] = s->v[i - 1];
        i--;
    }
    s->t[i] = t;
    s->v[i] = v;
    s->n++;
    return BEDROCK_OK;
}

static json_t *query_json(const struct brk_cw_query *q, size_t index)
{
    char id[32];
    snprintf(id, sizeof(id), "q%zu", index);
    json_t *dims = json_array();
    if (q->dim_name != NULL && q->dim_value != NULL) {
        json_array_append_new(dims,
                              json_pack("{ssss}", "Name", q->dim_name, "Value", q->dim_value));
    }
    return json_pack("{s:s,s:{s:{s:s,s:s,s:o},s:I,s:s},s:b}", "Id", id, "MetricStat", "Metric",
                     "Namespace", q->ns, "MetricName", q->metric, "Dimensions", dims, "Period",
                     (json_int_t)q->period_s, "Stat", q->stat, "ReturnData", 1);
}

/* Files one page's MetricDataResults into results (ids q<base..base+n)). */
static bedrock_code take_results(const json_t *reply, size_t n, struct brk_cw_series *results,
                                 struct bedrock_error *err)
{
    size_t i;
    json_t *r;
    json_array_foreach(json_object_get(reply, "MetricDataResults"), i, r)
    {
        const char *id = json_string_value(json_object_get(r, "Id"));
        char *end = NULL;
        unsigned long k = id != NULL && id[0] == 'q' ? strtoul(id + 1, &end, 10) : n;
        json_t *ts = json_object_get(r, "Timestamps");
        json_t *vs = json_object_get(r, "Values");
        if (k >= n || end == NULL || *end != '\0' || json_array_size(ts) != json_array_size(vs)) {
            bedrock_error_set(err, BEDROCK_E_PARSE, "GetMetricData: unexpected result %s",
                              id != NULL ? id : "(no id)");
            return BEDROCK_E_PARSE;
        }
        for (size_t j = 0; j < json_array_size(ts); j++) {
            time_t t = 0;
            json_t *v = json_array_get(vs, j);
            if (!parse_ts(json_array_get(ts, j), &t) || !json_is_number(v)) {
                bedrock_error_set(err, BEDROCK_E_PARSE, "GetMetricData: bad datapoint in %s", id);
                return BEDROCK_E_PARSE;
            }
            if (series_add(&results[k], t, json_number_value(v)) != BEDROCK_OK) {
                bedrock_error_set(err, BEDROCK_E_NOMEM, "out of memory");
                return BEDROCK_E_NOMEM;
            }
        }
    }
    return BEDROCK_OK;
}

/* One chunk of at most BRK_CW_MAX_QUERIES queries, every page. */
static bedrock_code get_chunk(struct bedrock_client *c, const struct brk_cw_query *q, size_t base,
                              size_t n, size_t total, time_t start, time_t end,
                              struct brk_cw_series *results, struct bedrock_error *err)
{
    bedrock_code rc = BEDROCK_OK;
    json_t *qs = json_array();
    json_t *req = NULL;
    json_t *reply = NULL;
    for (size_t i = 0; i < n; i++) {
        json_array_append_new(qs, query_json(&q[base + i], base + i));
    }
    req = json_pack("{sOsIsIss}", "MetricDataQueries", qs, "StartTime", (json_int_t)start,
                    "EndTime", (json_int_t)end, "ScanBy", "TimestampAscending");
    if (req == NULL || json_array_size(qs) != n) {
        rc = BEDROCK_E_NOMEM;
        bedrock_error_set(err, rc, "out of memory");
        goto out;
    }
    for (int page = 0; page < CW_MAX_PAGES; page++) {
        json_decref(reply);
        reply = NULL;
        rc = cw_call(c, "GetMetricData", req, &reply, err);
        if (rc != BEDROCK_OK) {
            goto out;
        }
        rc = take_results(reply, total, results, err);
        if (rc != BEDROCK_OK) {
            goto out;
        }
        json_t *next = json_object_get(reply, "NextToken");
        if (!json_is_string(next) || json_string_length(next) == 0) {
            goto out;
        }
        json_object_set(req, "NextToken", next);
    }
out:
    json_decref(reply);
    json_decref(req);
    json_decref(qs);
    return rc;
}

bedrock_code brk_cw_get_metric_data(struct bedrock_client *c, const struct brk_cw_query *q,
                                    size_t n, time_t start, time_t end,
                                    struct brk_cw_series *results, struct bedrock_error *err)
{
    memset(results, 0, n * sizeof(*results));
    for (size_t base = 0; base < n; base += BRK_CW_MAX_QUERIES) {
        size_t chunk = n - base < BRK_CW_MAX_QUERIES ? n - base : BRK_CW_MAX_QUERIES;
        bedrock_code rc = get_chunk(c, q, base, chunk, n, start, end, results, err);
        if (rc != BEDROCK_OK) {
            for (size_t i = 0; i < n; i++) {
                brk_cw_series_cleanup(&results[i]);
            }
            return rc;
        }
    }
    return BEDROCK_OK;
}

void brk_cw_strings_free(char **values, size_t n)
{
    for (size_t i = 0; values != NULL && i < n; i++) {
        brk_free(values[i]);
    }
    brk_free(values);
}

static bool have(char **values, size_t n, const char *v)
{
    for (size_t i = 0; i < n; i++) {
        if (strcmp(values[i], v) == 0) {
            return true;
        }
    }
    return false;
}

static bedrock_code add_string(char ***values, size_t *n, const char *v)
{
    char **nv = brk_realloc(*values, (*n + 1) * sizeof(*nv));
    if (nv == NULL) {
        return BEDROCK_E_NOMEM;
    }
    *values = nv;
    nv[*n] = brk_strdup(v);
    if (nv[*n] == NULL) {
        return BEDROCK_E_NOMEM;
    }
    (*n)++;
    return BEDROCK_OK;
}

/* Adds the dimension values of one ListMetrics page. */
static bedrock_code take_metrics(const json_t *reply, const char *dim_name, char ***values,
                                 size_t *n, struct bedrock_error *err)
{
    size_t i, j;
    json_t *m, *d;
    json_array_foreach(json_object_get(reply, "Metrics"), i, m)
    {
        json_array_foreach(json_object_get(m, "Dimensions"), j, d)
        {
            const char *name = json_string_value(json_object_get(d, "Name"));
            const char *val = json_string_value(json_object_get(d, "Value"));
            if (name == NULL || val == NULL || strcmp(name, dim_name) != 0 ||
                have(*values, *n, val)) {
                continue;
            }
            if (add_string(values, n, val) != BEDROCK_OK) {
                bedrock_error_set(err, BEDROCK_E_NOMEM, "out of memory");
                return BEDROCK_E_NOMEM;
            }
        }
    }
    return BEDROCK_OK;
}

bedrock_code brk_cw_list_dimension_values(struct bedrock_client *c, const char *ns,
                                          const char *metric, const char *dim_name, char ***values,
                                          size_t *n, struct bedrock_error *err)
{
    *values = NULL;
    *n = 0;
    bedrock_code rc = BEDROCK_OK;
    json_t *reply = NULL;
    json_t *req = json_pack("{ss}", "Namespace", ns);
    if (req != NULL && metric != NULL) {
        json_object_set_new(req, "MetricName", json_string(metric));
    }
    if (req == NULL) {
        rc = BEDROCK_E_NOMEM;
        bedrock_error_set(err, rc, "out of memory");
        goto out;
    }
    for (int page = 0; page < CW_MAX_PAGES; page++) {
        json_decref(reply);
        reply = NULL;
        rc = cw_call(c, "ListMetrics", req, &reply, err);
        if (rc == BEDROCK_OK) {
            rc = take_metrics(reply, dim_name, values, n, err);
        }
        if (rc != BEDROCK_OK) {
            goto out;
        }
        json_t *next = json_object_get(reply, "NextToken");
        if (!json_is_string(next) || json_string_length(next) == 0) {
            goto out;
        }
        json_object_set(req, "NextToken", next);
    }
out:
    if (rc != BEDROCK_OK) {
        brk_cw_strings_free(*values, *n);
        *values = NULL;
        *n = 0;
    }
    json_decref(reply);
    json_decref(req);
    return rc;
}
