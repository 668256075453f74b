/*
 * emulator/rt.h - private interface between the runtime handler (svc_runtime.c), its reply
 * builders (rt_reply.c) and the event-stream writer (stream.c).
 *
 * Invariants: a struct rt_call is filled by svc_runtime.c once the model is resolved and the
 * caller is authorised; record_id is the ModelId dimension CloudWatch shows (the model or
 * profile id as called, without ARN prefix).
 */
#ifndef BRK_EMULATOR_RT_H
#define BRK_EMULATOR_RT_H

#include "emulator/emu.h"
#include "emulator/emu_sim.h"

#include <jansson.h>

enum rt_op { RT_INVOKE, RT_INVOKE_STREAM, RT_CONVERSE, RT_CONVERSE_STREAM, RT_COUNT_TOKENS };

struct rt_call {
    enum rt_op op;
    const struct emu_model *model;
    const struct emu_profile *profile;
    char record_id[160];
    long first_token_ms;
    double tokens_per_second;
};

/* Simulated latency of a whole reply (first token + tokens at the configured rate, >= 1). */
long rt_sim_latency_ms(const struct rt_call *c, long out_tokens);
/* The non-streaming response documents. */
json_t *rt_invoke_body(const struct rt_call *c, const struct emu_sim *s, const char *req_id);
json_t *rt_converse_body(const struct rt_call *c, const struct emu_sim *s, long latency_ms);
/* Record one usage row. */
void rt_record(struct emu_request *req, const struct rt_call *c, long in, long out, long latency_ms,
               long ftl_ms, int outcome);

/* Start a streamed reply (InvokeModelWithResponseStream / ConverseStream); takes over s
 * (cleans it up when the stream ends). */
void rt_stream_start(struct emu_request *req, const struct rt_call *c, struct emu_sim *s);

#endif
