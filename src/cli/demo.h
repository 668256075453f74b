/*
 * cli/demo.h - the processes of `bedrockctl demo` (demo_proc.c): its private bedrock-emulator
 * and the bedrockctl commands it runs as children of itself, their output shown as it comes
 * and kept for the step's check.
 * Invariants: the emulator listens on 127.0.0.1 port 0 and is stopped by the PID we started;
 * children get a clean environment (no AWS_* from the caller, no ~/.aws files) plus exactly
 * the variables the step names; a child's output buffer is a secret buffer (wiped on cleanup).
 */
#ifndef BRK_CLI_DEMO_H
#define BRK_CLI_DEMO_H

#include "../core/buf.h"
#include "cli.h"

#include <stdbool.h>
#include <sys/types.h>

struct brk_demo_emu {
    pid_t pid; /* 0 = not running */
    char url[128];
};

/* Starts emu_path in dir (log in dir/emulator.log) and waits for its URL. */
BEDROCK_MUST_USE bedrock_code brk_demo_emu_start(const char *emu_path, const char *dir,
                                                 const char *region, struct brk_demo_emu *emu,
                                                 struct bedrock_error *err);
/* SIGTERM, bounded wait, then SIGKILL. Only our own PID. */
void brk_demo_emu_stop(struct brk_demo_emu *emu);

struct brk_demo_child {
    const char *const *argv; /* after "bedrockctl", NULL-terminated */
    const char *const *env;  /* extra NAME=value, NULL-terminated (may be NULL) */
    const char *cwd;
    bool echo; /* copy the output to out as it arrives */
};

/* Runs /proc/self/exe with c->argv; stdout and stderr together into *output. *status is the
 * exit status (128 + signal when killed). */
BEDROCK_MUST_USE bedrock_code brk_demo_run(const struct brk_demo_child *c, FILE *out,
                                           struct brk_buf *output, int *status,
                                           struct bedrock_error *err);

/* rm -rf of our own temp dir (no symlink is followed). */
void brk_demo_rmtree(const char *dir);

/* Set by SIGINT/SIGTERM while the demo runs. */
bool brk_demo_interrupted(void);
void brk_demo_signals(bool install);

#endif
