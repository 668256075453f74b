/*
 * cli/guide_keys.h - `keys` internals shared between cmd_keys.c and keys_rotate.c (and demo).
 */
#ifndef BRK_CLI_GUIDE_KEYS_H
#define BRK_CLI_GUIDE_KEYS_H

#include "guide_setup.h"

/* Runs (or resumes) a rotation; returns the exit status. */
int brk_keys_rotate(struct brk_cli *cli, struct bedrock_client *c, const char *user,
                    const struct brk_keystore *ks, bool delete_old, long grace_s);

#endif
