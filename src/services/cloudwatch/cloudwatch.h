/*
 * services/cloudwatch/cloudwatch.h - CloudWatch reads for `bedrockctl usage`: ListMetrics and
 * GetMetricData over a namespace (AWS/Bedrock), JSON 1.0 (X-Amz-Target
 * GraniteServiceVersion20100801.<Op>, endpoint "monitoring"), following NextToken.
 * Invariants: timestamps are whole seconds since the epoch (UTC); every result is indexed by
 * the query it answers, so callers never depend on the order of the reply; series points are
 * returned in ascending time order.
 */
#ifndef BRK_SERVICES_CLOUDWATCH_H
#define BRK_SERVICES_CLOUDWATCH_H

#include <bedrock/bedrock.h>
#include <bedrock/client.h>

#include <stddef.h>
#include <time.h>

/* GetMetricData accepts at most 500 queries a call; longer lists are split. */
#define BRK_CW_MAX_QUERIES 500

/* One metric statistic: namespace/metric with an optional single dimension. */
struct brk_cw_query {
    const char *ns;        /* "AWS/Bedrock" */
    const char *metric;    /* "Invocations" */
    const char *dim_name;  /* "ModelId", or NULL for no dimension */
    const char *dim_value; /* the model id */
    const char *stat;      /* "Sum", "p50", ... */
    long period_s;         /* multiple of 60 */
};

/* The answer to one query: n points (t ascending, seconds; v the statistic). */
struct brk_cw_series {
    size_t n;
    time_t *t;
    double *v;
};

/* GetMetricData for q[0..n) over [start, end); results[i] answers q[i] (zeroed then filled;
 * release each with brk_cw_series_cleanup). */
BEDROCK_MUST_USE bedrock_code brk_cw_get_metric_data(struct bedrock_client *c,
                                                     const struct brk_cw_query *q, size_t n,
                                                     time_t start, time_t end,
                                                     struct brk_cw_series *results,
                                                     struct bedrock_error *err);
void brk_cw_series_cleanup(struct brk_cw_series *s);
/* Sum of the series' values. */
double brk_cw_series_sum(const struct brk_cw_series *s);

/* ListMetrics(ns, metric or NULL = every metric): the distinct values of dimension dim_name,
 * malloc'd strings in *values (free with brk_cw_strings_free). */
BEDROCK_MUST_USE bedrock_code brk_cw_list_dimension_values(struct bedrock_client *c, const char *ns,
                                                           const char *metric, const char *dim_name,
                                                           char ***values, size_t *n,
                                                           struct bedrock_error *err);
void brk_cw_strings_free(char **values, size_t n);

#endif
