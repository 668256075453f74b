/*
 * cli/commands.c - the table of top-level bedrockctl commands, generated from
 * BRK_CLI_COMMANDS in cli.h (add X(name) there and write cmd_<name>.c). The order of the list
 * is the order `bedrockctl --help` shows.
 */
#include "cli.h"
#include "guide.h" /* the guide's commands (setup, doctor, keys, policy, ...) */

#include <stddef.h>

const struct brk_cli_command *const brk_cli_commands[] = {
#define BRK_X_(name) &brk_cmd_##name,
    BRK_CLI_COMMANDS(BRK_X_)
#undef BRK_X_
        & brk_cmd_setup,
    &brk_cmd_doctor,
    &brk_cmd_policy,
    &brk_cmd_keys,
    &brk_cmd_token,
    &brk_cmd_budget,
    &brk_cmd_usage,
    &brk_cmd_demo,
    NULL,
};
