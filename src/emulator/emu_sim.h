/*
 * emulator/emu_sim.h - the deterministic simulated model behind the runtime: request body
 * parsing/validation (Anthropic Messages, Converse, Titan, Llama, Nova, Mistral, Cohere,
 * Titan embeddings) and reply generation.
 *
 * Invariants: the reply text is a pure function of the prompt and the model; input_tokens =
 * ceil(prompt bytes / 4) (system + all message text, at least 1) whatever the API used, so
 * InvokeModel, Converse, streams and CountTokens agree; the reply is split into tokens (one
 * word with its leading space each) and at most max_tokens are emitted (hit_max then true).
 */
#ifndef BRK_EMULATOR_EMU_SIM_H
#define BRK_EMULATOR_EMU_SIM_H

#include "core/buf.h"

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

#define EMU_SIM_MAX_TOKENS 256

struct emu_sim {
    size_t prompt_bytes; /* text bytes counted for input tokens */
    long input_tokens;
    long max_tokens;
    struct brk_buf last_user;               /* text of the last user message */
    struct brk_buf reply;                   /* emitted text (after the max_tokens cut) */
    size_t tok_off[EMU_SIM_MAX_TOKENS + 1]; /* token i = reply[tok_off[i] .. tok_off[i+1]) */
    size_t n_tokens;
    bool hit_max;
    bool embedding;
};

enum emu_sim_api { EMU_API_INVOKE, EMU_API_CONVERSE };

void emu_sim_init(struct emu_sim *s);
void emu_sim_cleanup(struct emu_sim *s);
/* Parse and validate a body for the model's kind (InvokeModel) or Converse. On a validation
 * failure returns false with AWS's message in msg. */
bool emu_sim_parse(struct emu_sim *s, enum emu_sim_api api, const char *kind, const void *body,
                   size_t len, char *msg, size_t msglen);
/* Same, from an already parsed Converse-shaped object (CountTokens' converse input). */
bool emu_sim_parse_converse(struct emu_sim *s, json_t *doc, char *msg, size_t msglen);
/* Build the reply tokens (call after a successful parse). */
void emu_sim_generate(struct emu_sim *s, const char *model_name);
/* "claude-3-5-sonnet-20240620" for "anthropic.claude-3-5-sonnet-20240620-v1:0". */
void emu_sim_anthropic_model(const char *model_id, char *out, size_t cap);

#endif
