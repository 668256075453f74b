/*
 * credentials.h - small public helpers about AWS access keys, for tools like `doctor` and
 * `whoami`. They look only at the access key id (never a secret).
 */
#ifndef BEDROCK_CREDENTIALS_H
#define BEDROCK_CREDENTIALS_H

#include <bedrock/bedrock.h>

#include <stdbool.h>
#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

enum bedrock_key_kind {
    BEDROCK_KEY_UNKNOWN = 0,   /* not an AWS access key id shape */
    BEDROCK_KEY_LONG_TERM = 1, /* AKIA...: an IAM user's access key */
    BEDROCK_KEY_TEMPORARY = 2  /* ASIA...: STS temporary credentials (need a session token) */
};

/* Kind of an access key id from its prefix and shape (16..128 chars of A-Z 0-9). */
BEDROCK_API enum bedrock_key_kind bedrock_access_key_kind(const char *access_key_id);

/* True when the string holds a space, tab, CR or LF anywhere (a paste mistake). */
BEDROCK_API bool bedrock_key_has_whitespace(const char *s);

/* "AKIA************MPLE": first 4 and last 4 characters kept. Returns buf. */
BEDROCK_API const char *bedrock_access_key_mask(const char *access_key_id, char *buf,
                                                size_t buflen);

#ifdef __cplusplus
}
#endif
#endif
