/*
 * core/fileio.h - whole-file reads with a ceiling, and atomic 0600 writes for files that hold
 * secrets (credentials, caches).
 *
 * Atomic write: a temp file in the same directory (O_EXCL, random name), fchmod(mode), write,
 * fsync, rename over the target, fsync the directory. On any failure the temp file is removed
 * and the target is untouched: readers see the old content or the new, never half of it.
 * On failure errno tells why (it is preserved across the cleanup).
 */
#ifndef BRK_CORE_FILEIO_H
#define BRK_CORE_FILEIO_H

#include "buf.h"

#include <bedrock/bedrock.h>

#include <stdbool.h>
#include <stddef.h>

/* Read the whole file into out (replacing its content). E_IO when it cannot be opened or read
 * (errno set), E_LIMIT when it is larger than max, E_NOMEM. out is unchanged on failure. */
BEDROCK_MUST_USE bedrock_code brk_file_read(const char *path, size_t max, struct brk_buf *out);

/* Replace path with data (see top of file). mode is e.g. 0600. */
BEDROCK_MUST_USE bedrock_code brk_file_write_atomic(const char *path, const void *data, size_t len,
                                                    unsigned mode);

/* A regular file (after following symlinks) exists at path. */
bool brk_file_exists(const char *path);

/* Test hook: make step n of the next atomic writes fail (1 open, 2 write, 3 fsync, 4 rename);
 * 0 disables. */
enum brk_file_step {
    BRK_FILE_STEP_NONE = 0,
    BRK_FILE_STEP_OPEN = 1,
    BRK_FILE_STEP_WRITE = 2,
    BRK_FILE_STEP_FSYNC = 3,
    BRK_FILE_STEP_RENAME = 4
};
void brk_file_test_fail_step(enum brk_file_step step);

#endif
