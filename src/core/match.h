/*
 * core/match.h - IAM-style wildcard matching ('*' any run, '?' one character), shared by the
 * emulator's policy engine and the client's policy checker.
 */
#ifndef BRK_CORE_MATCH_H
#define BRK_CORE_MATCH_H

#include <stdbool.h>

/* Iterative with a single backtrack point: linear-ish, no recursion. ASCII case-insensitive
 * when nocase (IAM actions); case-sensitive otherwise (resources). */
bool brk_wildcard_match(const char *pattern, const char *s, bool nocase);

#endif
