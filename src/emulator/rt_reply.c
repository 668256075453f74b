/*
 * emulator/rt_reply.c - non-streaming response documents of the simulated models:
 * Anthropic Messages, Titan text, Titan embeddings, Llama, Nova, Mistral, Cohere (InvokeModel)
 * and the Converse response.
 *
 * Invariants: token counts in every document equal the emu_sim's input_tokens / n_tokens;
 * stop reasons follow each provider's vocabulary (end_turn/max_tokens, FINISH/LENGTH,
 * stop/length, COMPLETE/MAX_TOKENS); embeddings are a deterministic function of the prompt.
 */
#include "emulator/rt.h"

#include <stdio.h>
#include <string.h>

long rt_sim_latency_ms(const struct rt_call *c, long out_tokens)
{
    long lat = c->first_token_ms;
    if (c->tokens_per_second > 0) {
        lat += (long)((double)out_tokens * 1000.0 / c->tokens_per_second);
    }
    return lat > 0 ? lat : 1 + out_tokens / 8;
}

static const char *reply_text(const struct emu_sim *s)
{
    return s->reply.data != NULL ? s->reply.data : "";
}

static json_t *anthropic_body(const struct rt_call *c, const struct emu_sim *s, const char *rid)
{
    char model[128], id[64];
    emu_sim_anthropic_model(c->model->model_id, model, sizeof(model));
    size_t j = 0;
    for (size_t i = 0; rid[i] != '\0' && j < 24; i++) {
        if (rid[i] != '-') {
            id[j++] = rid[i];
        }
    }
    id[j] = '\0';
    char mid[96];
    snprintf(mid, sizeof(mid), "msg_bdrk_01%s", id);
    return json_pack("{s:s,s:s,s:s,s:s,s:[{s:s,s:s}],s:s,s:n,s:{s:I,s:I}}", "id", mid, "type",
                     "message", "role", "assistant", "model", model, "content", "type", "text",
                     "text", reply_text(s), "stop_reason", s->hit_max ? "max_tokens" : "end_turn",
                     "stop_sequence", "usage", "input_tokens", (json_int_t)s->input_tokens,
                     "output_tokens", (json_int_t)s->n_tokens);
}

/* 1024 floats in [-0.1, 0.1] from an FNV-1a walk over the prompt. */
static json_t *embed_body(const struct emu_sim *s)
{
    json_t *v = json_array();
    uint32_t h = 2166136261u;
    const char *p = s->last_user.data != NULL ? s->last_user.data : "";
    for (size_t i = 0; p[i] != '\0'; i++) {
        h = (h ^ (uint8_t)p[i]) * 16777619u;
    }
    for (int i = 0; i < 1024; i++) {
        h = h * 1103515245u + 12345u;
        json_array_append_new(v, json_real(((double)(h >> 8 & 0xffff) / 65535.0 - 0.5) / 5.0));
    }
    return json_pack("{s:o,s:I,s:[s]}", "embedding", v, "inputTextTokenCount",
                     (json_int_t)s->input_tokens, "embeddingsByType", "float");
}

json_t *rt_invoke_body(const struct rt_call *c, const struct emu_sim *s, const char *req_id)
{
    const char *kind = c->model->kind;
    json_int_t in = s->input_tokens, out = (json_int_t)s->n_tokens;
    if (strcmp(kind, "anthropic") == 0) {
        return anthropic_body(c, s, req_id);
    }
    if (strcmp(kind, "titan-embed") == 0) {
        json_t *e = embed_body(s);
        json_object_del(e, "embeddingsByType");
        return e;
    }
    if (strcmp(kind, "titan") == 0) {
        return json_pack("{s:I,s:[{s:I,s:s,s:s}]}", "inputTextTokenCount", in, "results",
                         "tokenCount", out, "outputText", reply_text(s), "completionReason",
                         s->hit_max ? "LENGTH" : "FINISH");
    }
    if (strcmp(kind, "llama") == 0) {
        return json_pack("{s:s,s:I,s:I,s:s}", "generation", reply_text(s), "prompt_token_count", in,
                         "generation_token_count", out, "stop_reason",
                         s->hit_max ? "length" : "stop");
    }
    if (strcmp(kind, "nova") == 0) {
        return json_pack("{s:{s:{s:s,s:[{s:s}]}},s:s,s:{s:I,s:I,s:I}}", "output", "message", "role",
                         "assistant", "content", "text", reply_text(s), "stopReason",
                         s->hit_max ? "max_tokens" : "end_turn", "usage", "inputTokens", in,
                         "outputTokens", out, "totalTokens", in + out);
    }
    if (strcmp(kind, "mistral") == 0) {
        return json_pack("{s:[{s:s,s:s}]}", "outputs", "text", reply_text(s), "stop_reason",
                         s->hit_max ? "length" : "stop");
    }
    return json_pack("{s:s,s:s,s:s}", "text", reply_text(s), "generation_id", req_id,
                     "finish_reason", s->hit_max ? "MAX_TOKENS" : "COMPLETE");
}

json_t *rt_converse_body(const struct rt_call *c, const struct emu_sim *s, long latency_ms)
{
    (void)c;
    json_int_t in = s->input_tokens, out = (json_int_t)s->n_tokens;
    return json_pack("{s:{s:{s:s,s:[{s:s}]}},s:s,s:{s:I,s:I,s:I},s:{s:I}}", "output", "message",
                     "role", "assistant", "content", "text", reply_text(s), "stopReason",
                     s->hit_max ? "max_tokens" : "end_turn", "usage", "inputTokens", in,
                     "outputTokens", out, "totalTokens", in + out, "metrics", "latencyMs",
                     (json_int_t)latency_ms);
}
