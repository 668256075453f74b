/* fuzz/fuzz_emu_common.c - one in-memory emulator shared by the request and auth fuzzers. */
#include "fuzz_emu_common.h"

#include "emulator/server.h"

#include <stdlib.h>
#include <string.h>

struct emu_server *fuzz_emu_server(void)
{
    static struct emu_server *s;
    if (s == NULL) {
        struct emu_options o;
        memset(&o, 0, sizeof(o));
        o.region = "eu-central-1";
        o.account_id = "123456789012";
        o.root_access_key_id = "AKIAIOSFODNN7EXAMPLE";
        o.root_secret_access_key = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
        o.max_body_bytes = 1u << 20;
        if (emu_server_new(&o, &s) != BEDROCK_OK) {
            abort(); /* a fuzz harness, not the library: no server, no run */
        }
    }
    return s;
}
