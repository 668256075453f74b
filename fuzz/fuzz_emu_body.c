/*
 * fuzz/fuzz_emu_body.c - the simulated model's request body parsers (model_sim.c): the first
 * byte picks the API (Anthropic Messages, Converse, Nova, Titan, Llama), the rest is the body.
 * Invariants checked: a parse either fails with a message or yields input_tokens >= 1, and
 * generation never emits more than max_tokens tokens.
 */
#include "emulator/emu_sim.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const char *const kinds[] = { "anthropic", "nova",    "titan",      "llama",
                                         "cohere",    "mistral", "titan-embed" };
    if (size < 1) {
        return 0;
    }
    struct emu_sim s;
    char msg[512];
    emu_sim_init(&s);
    enum emu_sim_api api = (data[0] & 0x80) != 0 ? EMU_API_CONVERSE : EMU_API_INVOKE;
    const char *kind = kinds[data[0] % (sizeof(kinds) / sizeof(kinds[0]))];
    msg[0] = '\0';
    if (emu_sim_parse(&s, api, kind, data + 1, size - 1, msg, sizeof(msg))) {
        if (s.input_tokens < 1) {
            abort();
        }
        emu_sim_generate(&s, "Fuzz Model");
        if ((long)s.n_tokens > s.max_tokens || !brk_buf_ok(&s.reply)) {
            abort();
        }
    } else if (msg[0] == '\0') {
        abort(); /* every failure explains itself */
    }
    emu_sim_cleanup(&s);
    return 0;
}
