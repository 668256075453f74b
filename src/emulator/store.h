/*
 * emulator/store.h - the emulator's state in SQLite (store.c, store_iam.c).
 *
 * ":memory:" when no --state file; with a file: WAL + synchronous=FULL, so a reply is sent only
 * after its change is durable (kill -9 loses nothing acknowledged). Single-threaded: the event
 * loop is the only user. Strings returned in structs are copies (fixed arrays); secrets are
 * wiped by the caller (brk_wipe) when done.
 */
#ifndef BRK_EMULATOR_STORE_H
#define BRK_EMULATOR_STORE_H

#include <bedrock/bedrock.h>

#include <sqlite3.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

struct emu_store;

BEDROCK_MUST_USE bedrock_code emu_store_open(const char *path, const char *account,
                                             struct emu_store **out);
void emu_store_close(struct emu_store *st);
sqlite3 *emu_store_db(struct emu_store *st);

/* Prepared statement helper: binds args ('s' text, 'i' int64, 'n' NULL) from a format. */
sqlite3_stmt *emu_store_prepare(struct emu_store *st, const char *sql, const char *types, ...);
/* Run a statement with no rows wanted; returns SQLITE_DONE / SQLITE_CONSTRAINT / error. */
int emu_store_exec(struct emu_store *st, const char *sql, const char *types, ...);
/* First column of the first row as int64, or dflt. */
long long emu_store_int(struct emu_store *st, const char *sql, const char *types, ...);

/* Random ids: prefix + n chars of [A-Z2-7] (AKIA..., AIDA..., ASIA..., ANPA...). */
void emu_store_random_id(const char *prefix, size_t n, char *out, size_t outlen);
/* 40-char secret from RAND_bytes (base64 alphabet). */
void emu_store_random_secret(char *out, size_t len);

/* Access keys (user keys and STS session keys). */
struct emu_key {
    char id[32];
    char user[128]; /* "" = account root */
    char secret[64];
    char status[16];         /* Active | Inactive */
    char session_token[512]; /* "" for long-term keys */
    time_t created_s;
    time_t expires_s; /* 0 = never */
};
/* BEDROCK_E_NOT_FOUND when absent. */
BEDROCK_MUST_USE bedrock_code emu_store_key_get(struct emu_store *st, const char *id,
                                                struct emu_key *out);
void emu_store_key_used(struct emu_store *st, const char *id, time_t now_s, const char *service,
                        const char *region);

/* Service-specific credential lookup (Bedrock long-term API keys): by service user name. */
struct emu_ssc {
    char id[32];
    char user[128];
    char service_user_name[160];
    char secret[128];
    char status[16];
};
BEDROCK_MUST_USE bedrock_code emu_store_ssc_find(struct emu_store *st, const char *svc_user,
                                                 struct emu_ssc *out);

/* IAM user lookup: id (AIDA...) by name; E_NOT_FOUND when absent. */
BEDROCK_MUST_USE bedrock_code emu_store_user_id(struct emu_store *st, const char *name, char *id,
                                                size_t idlen);

/* (added: perfemu) IAM user by name: id and path ("/" style); E_NOT_FOUND when absent. */
BEDROCK_MUST_USE bedrock_code emu_store_user_get(struct emu_store *st, const char *name, char *id,
                                                 size_t idlen, char *path, size_t pathlen);
/* (added: perfemu) Bumped by every write to an IAM table (users, policies, versions,
 * attachments, inline policies, access keys, service credentials, model denials); in-memory
 * caches of that state are valid only while it is unchanged. The last-used bookkeeping of
 * emu_store_key_used() does not count as a change. */
uint64_t emu_store_generation(const struct emu_store *st);

/* Policy documents that apply to a user: attached managed (default version) + inline.
 * Calls fn for each; stops early when fn returns false. */
typedef bool emu_doc_fn(void *ctx, const char *doc, size_t len);
void emu_store_user_policies(struct emu_store *st, const char *user, emu_doc_fn *fn, void *ctx);

/* Generic JSON blobs by namespace ("budgets", ...), for the service handlers. */
BEDROCK_MUST_USE bedrock_code emu_store_kv_put(struct emu_store *st, const char *ns,
                                               const char *key, const char *value);
/* Returns a brk_malloc'd copy or NULL when absent. */
char *emu_store_kv_get(struct emu_store *st, const char *ns, const char *key);
bool emu_store_kv_delete(struct emu_store *st, const char *ns, const char *key);
typedef void emu_kv_fn(void *ctx, const char *key, const char *value);
void emu_store_kv_each(struct emu_store *st, const char *ns, emu_kv_fn *fn, void *ctx);

/* Model access denials (the admin API and --deny-model-access). */
bool emu_store_model_denied(struct emu_store *st, const char *model_id);
void emu_store_model_set(struct emu_store *st, const char *model_id, bool granted);

/* Built-in AWS managed policy documents (policy_aws.c). */
struct emu_aws_policy {
    const char *name;
    const char *id;
    const char *path;
    const char *description;
    const char *document;
};
const struct emu_aws_policy *emu_aws_policies(size_t *n);

#endif
