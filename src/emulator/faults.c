/*
 * emulator/faults.c - fault injection (see faults.h). Deterministic header faults first, then
 * random rates. Central faults answer in the request's protocol with AWS's codes.
 */
#include "faults.h"

#include "server.h"

#include <openssl/rand.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

bedrock_code emu_fault_rates_parse(const char *spec, struct emu_fault_rates *out)
{
    struct emu_fault_rates r;
    memset(&r, 0, sizeof(r));
    const char *p = spec;
    while (p != NULL && *p != '\0') {
        const char *comma = strchr(p, ',');
        size_t len = comma != NULL ? (size_t)(comma - p) : strlen(p);
        const char *eq = memchr(p, '=', len);
        if (eq == NULL || r.n == EMU_MAX_FAULT_RATES || (size_t)(eq - p) >= sizeof(r.r[0].name) ||
            eq == p) {
            return BEDROCK_E_INVALID_ARG;
        }
        char num[32];
        size_t nlen = len - (size_t)(eq - p) - 1;
        if (nlen == 0 || nlen >= sizeof(num)) {
            return BEDROCK_E_INVALID_ARG;
        }
        memcpy(num, eq + 1, nlen);
        num[nlen] = '\0';
        char *end = NULL;
        double v = strtod(num, &end);
        if (end == num || *end != '\0' || !(v >= 0.0 && v <= 1.0)) {
            return BEDROCK_E_INVALID_ARG;
        }
        memcpy(r.r[r.n].name, p, (size_t)(eq - p));
        r.r[r.n].name[eq - p] = '\0';
        r.r[r.n].rate = v;
        r.n++;
        p = comma != NULL ? comma + 1 : NULL;
    }
    *out = r;
    return BEDROCK_OK;
}

/* Find name in the comma list of the x-emulator-fault header. */
static bool header_has(const char *list, const char *name, long *arg)
{
    size_t nlen = strlen(name);
    const char *p = list;
    while (*p != '\0') {
        while (*p == ' ' || *p == ',') {
            p++;
        }
        if (strncmp(p, name, nlen) == 0 &&
            (p[nlen] == '\0' || p[nlen] == ',' || p[nlen] == '=' || p[nlen] == ' ')) {
            if (arg != NULL) {
                *arg = p[nlen] == '=' ? strtol(p + nlen + 1, NULL, 10) : -1;
            }
            return true;
        }
        const char *comma = strchr(p, ',');
        if (comma == NULL) {
            break;
        }
        p = comma + 1;
    }
    return false;
}

static double draw(void)
{
    uint32_t v = 0;
    if (RAND_bytes((unsigned char *)&v, sizeof(v)) != 1) {
        return 1.0;
    }
    return (double)v / 4294967296.0;
}

bool emu_fault_take(struct emu_request *req, const char *name, long *arg)
{
    if (req->fault[0] != '\0' && header_has(req->fault, name, arg)) {
        return true;
    }
    const struct emu_fault_rates *r = emu_server_fault_rates(req->server);
    for (size_t i = 0; r != NULL && i < r->n; i++) {
        if (strcmp(r->r[i].name, name) == 0 && r->r[i].rate > 0.0 && draw() < r->r[i].rate) {
            if (arg != NULL) {
                *arg = -1;
            }
            return true;
        }
    }
    return false;
}

static bool is_runtime(const struct emu_request *req)
{
    return strcmp(req->service, "bedrock") == 0 && strncmp(req->path, "/model/", 7) == 0;
}

bool emu_faults_apply(struct emu_request *req)
{
    bool query = req->protocol == EMU_PROTO_QUERY;
    long arg = -1;
    if (emu_fault_take(req, "throttle", &arg)) {
        if (arg >= 0) { /* throttle=MS: tell the client when to retry (added: perfemu) */
            char ms[32];
            snprintf(ms, sizeof(ms), "%ld", arg);
            emu_reply_header(req, "x-amz-retry-after", ms);
        }
        if (query) {
            emu_reply_error(req, 400, "Throttling", "Rate exceeded");
        } else {
            emu_reply_error(req, 429, "ThrottlingException",
                            "Too many requests, please wait before trying again.");
        }
        if (is_runtime(req)) {
            emu_runtime_record_fault(req, 1);
        }
        return true;
    }
    if (emu_fault_take(req, "http-500", &arg)) {
        emu_reply_error(req, 500, query ? "InternalFailure" : "InternalServerException",
                        "The request processing has failed because of an unknown error, "
                        "exception or failure.");
        if (is_runtime(req)) {
            emu_runtime_record_fault(req, 3);
        }
        return true;
    }
    if (emu_fault_take(req, "http-503", &arg)) {
        emu_reply_error(req, 503, query ? "ServiceUnavailable" : "ServiceUnavailableException",
                        "Service is temporarily unavailable. Try again later.");
        if (is_runtime(req)) {
            emu_runtime_record_fault(req, 3);
        }
        return true;
    }
    if (emu_fault_take(req, "timeout", &arg)) {
        emu_request_hold(req, arg > 0 ? arg : 60000);
        return true;
    }
    return false;
}
