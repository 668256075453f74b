/*
 * emulator/form.h - application/x-www-form-urlencoded parsing (query strings and query-protocol
 * bodies). Keys and values are percent-decoded ('+' is a space) and owned by the struct.
 */
#ifndef BRK_EMULATOR_FORM_H
#define BRK_EMULATOR_FORM_H

#include <bedrock/bedrock.h>

#include <stdbool.h>
#include <stddef.h>

#define EMU_FORM_MAX_PAIRS 512

struct emu_form {
    char **keys;
    char **vals;
    size_t n;
};

/* Fails with E_PARSE on a bad %-escape, E_LIMIT past EMU_FORM_MAX_PAIRS; out untouched then. */
BEDROCK_MUST_USE bedrock_code emu_form_parse(const char *s, size_t len, struct emu_form *out);
const char *emu_form_find(const struct emu_form *f, const char *key);
void emu_form_cleanup(struct emu_form *f);
/* Percent-decode s[0..len) into a new string ('+' -> ' ' when plus). NULL on bad escape. */
char *emu_pct_decode(const char *s, size_t len, bool plus);

#endif
