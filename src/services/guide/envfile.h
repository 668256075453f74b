/*
 * services/guide/envfile.h - merge keys into a .env file or a profile of the AWS shared
 * credentials/config files, leaving every other byte as it was (comments, order, other
 * profiles, line endings). The merge is text in, text out; writing is the caller's job
 * (brk_file_write_atomic, mode 0600).
 */
#ifndef BRK_GUIDE_ENVFILE_H
#define BRK_GUIDE_ENVFILE_H

#include "core/buf.h"

#include <bedrock/bedrock.h>

#include <stdbool.h>

struct brk_kv {
    const char *key;
    const char *value; /* NULL = remove the key */
};

/* .env: each KEY=... line of a key in set is replaced in place (an `export ` prefix is kept;
 * later duplicates of the key are dropped); keys not present are appended at the end. Values
 * that need it are double-quoted. */
BEDROCK_MUST_USE bedrock_code brk_envfile_merge(const char *text, size_t len,
                                                const struct brk_kv *set, size_t n,
                                                struct brk_buf *out);

/* INI: in section `section` ("default", "profile dev", "dev"), set each key (replacing its
 * line in place, or adding it after the section's last key line); the section is appended when
 * absent. Everything outside the changed lines is kept byte for byte. */
BEDROCK_MUST_USE bedrock_code brk_ini_merge(const char *text, size_t len, const char *section,
                                            const struct brk_kv *set, size_t n,
                                            struct brk_buf *out);

/* Is path inside a git work tree and not ignored? (runs `git check-ignore`). *inside says
 * whether it is in a work tree at all. */
bool brk_git_needs_ignore(const char *path, bool *inside);
/* Append the file's name (relative to the work tree top) to the work tree's .gitignore. */
BEDROCK_MUST_USE bedrock_code brk_git_add_ignore(const char *path, char *added, size_t added_len);

#endif
