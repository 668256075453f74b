/*
 * emulator/cw_query.c - CloudWatch's query protocol: form parameters (Action=GetMetricStatistics
 * &Namespace=...&Dimensions.member.1.Name=...) to the JSON-shaped input document, and the JSON
 * output document to the XML reply (xmlns http://monitoring.amazonaws.com/doc/2010-08-01/).
 *
 * Invariants: list members are read as X.member.1, X.member.2, ... until the first gap;
 * timestamps stay ISO 8601 strings in the input document (svc_cloudwatch.c parses both forms);
 * in the output, lists become <member> elements, maps (ExtendedStatistics) become
 * <entry><key/><value/></entry>, and the timestamp members are written as ISO 8601.
 */
#include "emulator/cw.h"
#include "emulator/xmlout.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void copy_str(struct emu_request *req, json_t *o, const char *prefix, const char *name)
{
    char key[256];
    snprintf(key, sizeof(key), "%s%s", prefix, name);
    const char *v = emu_form_get(req, key);
    if (v != NULL) {
        json_object_set_new(o, name, json_string(v));
    }
}

static void copy_num(struct emu_request *req, json_t *o, const char *prefix, const char *name)
{
    char key[256];
    snprintf(key, sizeof(key), "%s%s", prefix, name);
    const char *v = emu_form_get(req, key);
    if (v != NULL) {
        char *end = NULL;
        long long n = strtoll(v, &end, 10);
        json_object_set_new(o, name, end != v && *end == '\0' ? json_integer(n) : json_string(v));
    }
}

static json_t *string_list(struct emu_request *req, const char *prefix)
{
    char key[256];
    json_t *a = json_array();
    for (int i = 1; i <= 100; i++) {
        snprintf(key, sizeof(key), "%s.member.%d", prefix, i);
        const char *v = emu_form_get(req, key);
        if (v == NULL) {
            break;
        }
        json_array_append_new(a, json_string(v));
    }
    return a;
}

static json_t *dimensions(struct emu_request *req, const char *prefix)
{
    char key[256];
    json_t *a = json_array();
    for (int i = 1; i <= 30; i++) {
        snprintf(key, sizeof(key), "%sDimensions.member.%d.", prefix, i);
        json_t *d = json_object();
        copy_str(req, d, key, "Name");
        copy_str(req, d, key, "Value");
        if (json_object_size(d) == 0) {
            json_decref(d);
            break;
        }
        json_array_append_new(a, d);
    }
    return a;
}

static json_t *data_queries(struct emu_request *req)
{
    char p[128], ms[160], m[200];
    json_t *a = json_array();
    for (int i = 1; i <= 500; i++) {
        snprintf(p, sizeof(p), "MetricDataQueries.member.%d.", i);
        json_t *q = json_object();
        copy_str(req, q, p, "Id");
        if (json_object_size(q) == 0) {
            json_decref(q);
            break;
        }
        copy_str(req, q, p, "Label");
        copy_str(req, q, p, "Expression");
        copy_num(req, q, p, "Period");
        const char *rd = emu_form_get(req, (snprintf(ms, sizeof(ms), "%sReturnData", p), ms));
        if (rd != NULL) {
            json_object_set_new(q, "ReturnData", json_boolean(strcmp(rd, "true") == 0));
        }
        snprintf(ms, sizeof(ms), "%sMetricStat.", p);
        snprintf(m, sizeof(m), "%sMetric.", ms);
        json_t *stat = json_object();
        json_t *metric = json_object();
        copy_num(req, stat, ms, "Period");
        copy_str(req, stat, ms, "Stat");
        copy_str(req, stat, ms, "Unit");
        copy_str(req, metric, m, "Namespace");
        copy_str(req, metric, m, "MetricName");
        json_object_set_new(metric, "Dimensions", dimensions(req, m));
        json_object_set_new(stat, "Metric", metric);
        json_object_set_new(q, "MetricStat", stat);
        json_array_append_new(a, q);
    }
    return a;
}

json_t *cw_form_to_json(struct emu_request *req, const char *op)
{
    json_t *o = json_object();
    copy_str(req, o, "", "Namespace");
    copy_str(req, o, "", "MetricName");
    copy_str(req, o, "", "StartTime");
    copy_str(req, o, "", "EndTime");
    copy_str(req, o, "", "Unit");
    copy_str(req, o, "", "NextToken");
    copy_str(req, o, "", "ScanBy");
    copy_num(req, o, "", "Period");
    copy_num(req, o, "", "MaxDatapoints");
    json_object_set_new(o, "Dimensions", dimensions(req, ""));
    if (strcmp(op, "GetMetricStatistics") == 0) {
        json_object_set_new(o, "Statistics", string_list(req, "Statistics"));
        json_object_set_new(o, "ExtendedStatistics", string_list(req, "ExtendedStatistics"));
    } else if (strcmp(op, "GetMetricData") == 0) {
        json_object_set_new(o, "MetricDataQueries", data_queries(req));
    }
    return o;
}

static void xml_value(struct emu_xml *x, const char *name, json_t *v, bool time);

static void xml_scalar(struct emu_xml *x, const char *name, json_t *v, bool time)
{
    char num[64];
    if (time && json_is_number(v)) {
        emu_xml_time(x, name, (time_t)json_number_value(v));
    } else if (json_is_integer(v)) {
        emu_xml_long(x, name, (long long)json_integer_value(v));
    } else if (json_is_real(v)) {
        snprintf(num, sizeof(num), "%.15g", json_real_value(v));
        emu_xml_text(x, name, num);
    } else if (json_is_boolean(v)) {
        emu_xml_text(x, name, json_is_true(v) ? "true" : "false");
    } else if (json_is_string(v)) {
        emu_xml_text(x, name, json_string_value(v));
    }
}

static void xml_value(struct emu_xml *x, const char *name, json_t *v, bool time)
{
    const char *k;
    json_t *e;
    size_t i;
    if (json_is_array(v)) {
        emu_xml_open(x, name);
        json_array_foreach(v, i, e)
        {
            xml_value(x, "member", e, time);
        }
        emu_xml_close(x, name);
        return;
    }
    if (json_is_object(v) && strcmp(name, "ExtendedStatistics") == 0) {
        emu_xml_open(x, name);
        json_object_foreach(v, k, e)
        {
            emu_xml_open(x, "entry");
            emu_xml_text(x, "key", k);
            xml_scalar(x, "value", e, false);
            emu_xml_close(x, "entry");
        }
        emu_xml_close(x, name);
        return;
    }
    if (json_is_object(v)) {
        emu_xml_open(x, name);
        json_object_foreach(v, k, e)
        {
            xml_value(x, k, e, strcmp(k, "Timestamp") == 0 || strcmp(k, "Timestamps") == 0);
        }
        emu_xml_close(x, name);
        return;
    }
    xml_scalar(x, name, v, time);
}

void cw_reply_xml(struct emu_request *req, const char *op, json_t *doc)
{
    struct emu_xml x;
    const char *k;
    json_t *e;
    emu_xml_begin(&x, op, CW_XMLNS, true);
    json_object_foreach(doc, k, e)
    {
        xml_value(&x, k, e, false);
    }
    emu_xml_send(&x, req, true);
    json_decref(doc);
}
