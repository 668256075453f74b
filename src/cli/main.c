/*
 * cli/main.c - bedrockctl entry point. Everything lives in the framework (run.c); main only
 * hands over argv so the framework stays testable.
 */
#include "cli.h"

int main(int argc, char **argv)
{
    return brk_cli_main(argc, argv);
}
