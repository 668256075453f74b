/*
 * emulator/store_priv.h - private to store.c and store_hot.c: the store's struct, its cached
 * statements and in-memory caches (see store.c's header for their rules).
 *
 * Invariants: cached statements are taken with emu_store_acquire() and always given back with
 * emu_store_release() (a re-entrant use gets a fresh statement); every cache entry carries the
 * IAM generation it was filled under and is ignored once it differs.
 */
#ifndef BRK_EMULATOR_STORE_PRIV_H
#define BRK_EMULATOR_STORE_PRIV_H

#include "emu.h"
#include "store.h"

#include <stdint.h>

/* Statements on the per-request path, prepared once and reset after each use. */
enum stmt_slot {
    S_KEY_GET,
    S_KEY_USED,
    S_USER_GET,
    S_USER_POLICIES,
    S_MODEL_DENIED,
    S_USAGE_INSERT,
    S_SSC_FIND,
    S_N
};

/* "Last used" memo: the UPDATE is skipped when it would write the same values again (same
 * key, second, service and region), which under load is nearly every request. */
#define USED_MEMO_N 64
#define USAGE_BATCH 256
struct used_memo {
    char id[32];
    char service[32];
    char region[32];
    time_t at_s;
    uint64_t gen;
};

/* Access keys by id, direct-mapped, valid while gen is unchanged (holds secrets: wiped when
 * replaced and at close). */
#define KEY_CACHE_N 128
struct key_slot {
    bool valid;
    uint64_t gen;
    struct emu_key k;
};

/* IAM users by name: id, path and their policy documents (attached default versions, then
 * inline, in the store's order), direct-mapped, valid while gen is unchanged. */
#define USER_CACHE_N 64
struct user_slot {
    uint64_t gen;
    char name[128];
    bool have_user, found; /* user row looked up; and it exists */
    char id[32];
    char path[232];
    bool have_docs;
    char *docs; /* the documents, each followed by a NUL */
    size_t *lens;
    size_t n_docs;
};

/* Model access answers by model id, valid while gen is unchanged. */
#define MODEL_MEMO_N 32
struct model_memo {
    uint64_t gen;
    bool valid, denied;
    char model_id[160];
};

struct emu_store {
    sqlite3 *db;
    struct model_memo models[MODEL_MEMO_N];
    struct key_slot keys[KEY_CACHE_N];
    struct user_slot users[USER_CACHE_N];
    sqlite3_stmt *stmt[S_N];
    bool stmt_busy[S_N];
    uint64_t gen; /* bumped by every write to an IAM table (update hook) */
    bool quiet;   /* our own last-used bookkeeping does not bump gen */
    struct used_memo used[USED_MEMO_N];
    bool in_memory;            /* no --state file: usage records may be batched */
    struct emu_usage *pending; /* batched usage records, written before any read */
    size_t n_pending;
};

/* A cached statement for slot, bound from types ('s' text, 'i' int64); NULL on error. */
sqlite3_stmt *emu_store_acquire(struct emu_store *st, enum stmt_slot slot, const char *types, ...);
void emu_store_release(struct emu_store *st, enum stmt_slot slot, sqlite3_stmt *stmt);
void emu_store_col_copy(sqlite3_stmt *stmt, int col, char *out, size_t outlen);
uint32_t emu_store_hash(const char *s);
/* Write batched usage records (store_hot.c). */
void emu_store_usage_flush(struct emu_store *st);
void emu_store_user_slot_free(struct user_slot *u);

#endif
