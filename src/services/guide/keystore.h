/*
 * services/guide/keystore.h - where an application's access key lives: a .env file
 * (AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY / AWS_REGION) or a profile of the shared
 * credentials file (+ region in the config file). Reading and storing, line-preserving
 * (brk_envfile_merge / brk_ini_merge), atomic, mode 0600.
 *
 * Invariants: the secret read back is held in a malloc'd string wiped by
 * brk_keystore_key_cleanup; the file bytes read are held in secret buffers (wiped); a store
 * never leaves a half-written file (brk_file_write_atomic).
 */
#ifndef BRK_GUIDE_KEYSTORE_H
#define BRK_GUIDE_KEYSTORE_H

#include <bedrock/bedrock.h>

#include <stdbool.h>
#include <stddef.h>

struct brk_keystore {
    const char *env_file; /* --write-env FILE, or NULL */
    const char *profile;  /* --write-profile NAME, or NULL */
};

struct brk_keystore_key {
    char id[64];  /* "" when the store holds no key */
    char *secret; /* NULL when none */
};
void brk_keystore_key_cleanup(struct brk_keystore_key *k);

/* The shared files (AWS_SHARED_CREDENTIALS_FILE / AWS_CONFIG_FILE, else ~/.aws/...). */
BEDROCK_MUST_USE bedrock_code brk_keystore_credentials_path(char *out, size_t len);
BEDROCK_MUST_USE bedrock_code brk_keystore_config_path(char *out, size_t len);

/* Human description: ".env file ./app.env" / "profile app in ~/.aws/credentials". */
void brk_keystore_describe(const struct brk_keystore *ks, char *out, size_t len);

/* Reads the stored key (a missing file or key is OK with an empty id). */
BEDROCK_MUST_USE bedrock_code brk_keystore_read(const struct brk_keystore *ks,
                                                struct brk_keystore_key *out,
                                                struct bedrock_error *err);

/* Merges id/secret/region (region may be NULL) into the store. For a .env inside a git work
 * tree that does not ignore it, the file is added to .gitignore and *gitignored names what was
 * added (else gitignored[0] == 0). */
BEDROCK_MUST_USE bedrock_code brk_keystore_write(const struct brk_keystore *ks, const char *id,
                                                 const char *secret, const char *region,
                                                 char *gitignored, size_t gi_len,
                                                 struct bedrock_error *err);

/* Path of the rotation journal belonging to the store (next to the file). */
BEDROCK_MUST_USE bedrock_code brk_keystore_journal_path(const struct brk_keystore *ks, char *out,
                                                        size_t len);

#endif
