/*
 * emulator/faults.h - fault injection, shared by every handler.
 *
 * Sources: the request header `x-emulator-fault: name[=arg][,name[=arg]...]` (deterministic)
 * and --fault-rate name=probability,... (random per request, RAND_bytes). Names used so far:
 *   throttle[=ms], http-500, http-503, timeout[=ms]   applied centrally by the router
 *     (faults.c); throttle=ms also sends x-amz-retry-after: ms
 *   drop, stream-error[=n], slow[=ms], ...       taken by the handlers via emu_fault_take()
 */
#ifndef BRK_EMULATOR_FAULTS_H
#define BRK_EMULATOR_FAULTS_H

#include "emu.h"

#include <stdbool.h>

#define EMU_MAX_FAULT_RATES 16

struct emu_fault_rates {
    struct {
        char name[32];
        double rate;
    } r[EMU_MAX_FAULT_RATES];
    size_t n;
};

/* Parse "throttle=0.1,http-503=0.05". E_INVALID_ARG on a bad entry (rate outside [0,1]). */
BEDROCK_MUST_USE bedrock_code emu_fault_rates_parse(const char *spec, struct emu_fault_rates *out);
const struct emu_fault_rates *emu_server_fault_rates(const struct emu_server *s);

/* True when fault `name` applies to this request (named in x-emulator-fault, or drawn from its
 * --fault-rate). arg (may be NULL) gets the "=N" value, or -1 when none. */
bool emu_fault_take(struct emu_request *req, const char *name, long *arg);

/* The central faults (throttle, http-500, http-503, timeout): replies (or holds the request)
 * and returns true when one applied. */
bool emu_faults_apply(struct emu_request *req);

#endif
