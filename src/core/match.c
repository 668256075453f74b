/*
 * core/match.c - IAM-style wildcard matching. Invariant: each character of s is compared a
 * bounded number of times per star, so hostile patterns cannot make it exponential.
 */
#include "match.h"

#include <stddef.h>

static char lower(char c)
{
    return (c >= 'A' && c <= 'Z') ? (char)(c - 'A' + 'a') : c;
}

bool brk_wildcard_match(const char *pat, const char *s, bool nocase)
{
    const char *star = NULL, *retry = NULL;
    while (*s != '\0') {
        char pc = nocase ? lower(*pat) : *pat;
        char sc = nocase ? lower(*s) : *s;
        if (*pat == '*') {
            star = pat++;
            retry = s;
        } else if (*pat != '\0' && (*pat == '?' || pc == sc)) {
            pat++;
            s++;
        } else if (star != NULL) {
            pat = star + 1;
            s = ++retry;
        } else {
            return false;
        }
    }
    while (*pat == '*') {
        pat++;
    }
    return *pat == '\0';
}
