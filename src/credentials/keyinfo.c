/*
 * credentials/keyinfo.c - the public access-key helpers of <bedrock/credentials.h>.
 * Invariants: pure functions of the access key id; never given a secret to print.
 */
#include <bedrock/credentials.h>

#include <stdio.h>
#include <string.h>

enum bedrock_key_kind bedrock_access_key_kind(const char *akid)
{
    if (akid == NULL) {
        return BEDROCK_KEY_UNKNOWN;
    }
    size_t n = strlen(akid);
    if (n < 16 || n > 128) {
        return BEDROCK_KEY_UNKNOWN;
    }
    for (size_t i = 0; i < n; i++) {
        char c = akid[i];
        if (!((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'))) {
            return BEDROCK_KEY_UNKNOWN;
        }
    }
    if (strncmp(akid, "AKIA", 4) == 0) {
        return BEDROCK_KEY_LONG_TERM;
    }
    if (strncmp(akid, "ASIA", 4) == 0) {
        return BEDROCK_KEY_TEMPORARY;
    }
    return BEDROCK_KEY_UNKNOWN;
}

bool bedrock_key_has_whitespace(const char *s)
{
    return s != NULL && strpbrk(s, " \t\r\n") != NULL;
}

const char *bedrock_access_key_mask(const char *akid, char *buf, size_t buflen)
{
    if (buf == NULL || buflen == 0) {
        return buf;
    }
    buf[0] = '\0';
    if (akid == NULL) {
        return buf;
    }
    size_t n = strlen(akid);
    size_t o = 0;
    for (size_t i = 0; i < n && o + 1 < buflen; i++) {
        buf[o++] = (i < 4 || i + 4 >= n || n <= 8) ? akid[i] : '*';
    }
    buf[o] = '\0';
    return buf;
}
