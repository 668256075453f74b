/*
 * emulator/store.c - SQLite state: schema, open/close, statement helpers, random ids, generic
 * JSON blobs, model access and usage records.
 *
 * Invariants: one connection, used only from the event loop thread. With a file: WAL and
 * synchronous=FULL so a change is durable before the reply that acknowledges it. AWS managed
 * policies are seeded at open (INSERT OR IGNORE), so IAM lists them like any other policy.
 *
 * Per-request path (perfemu): its statements are prepared once and reset after use; access
 * keys, users with their policy documents, and model-access answers are cached in memory and
 * valid only while the IAM generation is unchanged (an SQLite update hook bumps it on any row
 * change in an IAM table, whoever wrote it), so the next request after an IAM write sees it.
 * "Last used" updates are skipped when they would write identical values. In-memory stores
 * batch usage records (one transaction per USAGE_BATCH) and flush before any read of them.
 */
#include "core/alloc.h"
#include "emu.h"
#include "store_priv.h"

#include <openssl/rand.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static const char *const STMT_SQL[S_N] = {
    "SELECT id,user,secret,status,session_token,created,expires FROM access_keys WHERE id=?",
    "UPDATE access_keys SET last_used=?, last_service=?, last_region=? WHERE id=?",
    "SELECT id, path FROM users WHERE name=?",
    "SELECT v.document FROM attachments a JOIN policies p ON p.arn=a.arn "
    "JOIN policy_versions v ON v.arn=p.arn AND v.version=p.default_version WHERE a.user=? "
    "UNION ALL SELECT document FROM inline_policies WHERE user=?",
    "SELECT COUNT(*) FROM model_denials WHERE model_id=?",
    "INSERT INTO usage VALUES(?,?,?,?,?,?,?,?)",
    "SELECT id,user,service_user_name,secret,status FROM service_creds "
    "WHERE service_user_name=?",
};

static const char SCHEMA[] =
    "CREATE TABLE IF NOT EXISTS users(name TEXT PRIMARY KEY, id TEXT UNIQUE, path TEXT,"
    " created INTEGER);"
    "CREATE TABLE IF NOT EXISTS policies(arn TEXT PRIMARY KEY, name TEXT, id TEXT, path TEXT,"
    " description TEXT, default_version INTEGER, next_version INTEGER, created INTEGER,"
    " updated INTEGER, aws INTEGER);"
    "CREATE TABLE IF NOT EXISTS policy_versions(arn TEXT, version INTEGER, document TEXT,"
    " created INTEGER, PRIMARY KEY(arn, version));"
    "CREATE TABLE IF NOT EXISTS attachments(user TEXT, arn TEXT, PRIMARY KEY(user, arn));"
    "CREATE TABLE IF NOT EXISTS inline_policies(user TEXT, name TEXT, document TEXT,"
    " PRIMARY KEY(user, name));"
    "CREATE TABLE IF NOT EXISTS access_keys(id TEXT PRIMARY KEY, user TEXT, secret TEXT,"
    " status TEXT, created INTEGER, last_used INTEGER, last_service TEXT, last_region TEXT,"
    " session_token TEXT, expires INTEGER);"
    "CREATE TABLE IF NOT EXISTS service_creds(id TEXT PRIMARY KEY, user TEXT, service TEXT,"
    " service_user_name TEXT UNIQUE, secret TEXT, status TEXT, created INTEGER);"
    "CREATE TABLE IF NOT EXISTS model_denials(model_id TEXT PRIMARY KEY);"
    "CREATE TABLE IF NOT EXISTS kv(ns TEXT, key TEXT, value TEXT, PRIMARY KEY(ns, key));"
    "CREATE TABLE IF NOT EXISTS usage(at INTEGER, model_id TEXT, operation TEXT,"
    " input_tokens INTEGER, output_tokens INTEGER, latency_ms INTEGER, first_token_ms INTEGER,"
    " outcome INTEGER);"
    "CREATE INDEX IF NOT EXISTS usage_at ON usage(at);";

/* Writes to these tables change who a key belongs to, its status, or what it may do. */
static void on_update(void *arg, int op, const char *dbname, const char *table, sqlite3_int64 rowid)
{
    static const char *const IAM_TABLES[] = { "users",         "policies",        "policy_versions",
                                              "attachments",   "inline_policies", "access_keys",
                                              "service_creds", "model_denials" };
    struct emu_store *st = arg;
    (void)op;
    (void)dbname;
    (void)rowid;
    if (st->quiet) {
        return;
    }
    for (size_t i = 0; i < sizeof(IAM_TABLES) / sizeof(IAM_TABLES[0]); i++) {
        if (strcmp(table, IAM_TABLES[i]) == 0) {
            st->gen++;
            return;
        }
    }
}

uint64_t emu_store_generation(const struct emu_store *st)
{
    return st->gen;
}

static void seed_aws_policies(struct emu_store *st)
{
    size_t n = 0;
    const struct emu_aws_policy *p = emu_aws_policies(&n);
    for (size_t i = 0; i < n; i++) {
        char arn[256];
        snprintf(arn, sizeof(arn), "arn:aws:iam::aws:policy%s%s", p[i].path, p[i].name);
        (void)emu_store_exec(st,
                             "INSERT OR IGNORE INTO policies VALUES(?,?,?,?,?,1,2,1423000000,"
                             "1423000000,1)",
                             "sssss", arn, p[i].name, p[i].id, p[i].path, p[i].description);
        (void)emu_store_exec(st, "INSERT OR IGNORE INTO policy_versions VALUES(?,1,?,1423000000)",
                             "ss", arn, p[i].document);
    }
}

bedrock_code emu_store_open(const char *path, const char *account, struct emu_store **out)
{
    (void)account;
    struct emu_store *st = brk_calloc(1, sizeof(*st));
    if (st == NULL) {
        return BEDROCK_E_NOMEM;
    }
    const char *file = path != NULL ? path : ":memory:";
    st->in_memory = path == NULL;
    if (sqlite3_open(file, &st->db) != SQLITE_OK) {
        fprintf(stderr, "bedrock-emulator: cannot open state %s: %s\n", file,
                sqlite3_errmsg(st->db));
        emu_store_close(st);
        return BEDROCK_E_IO;
    }
    sqlite3_busy_timeout(st->db, 2000);
    sqlite3_update_hook(st->db, on_update, st);
    const char *pragmas = path != NULL ? "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;"
                                       : "PRAGMA journal_mode=MEMORY;";
    char *err = NULL;
    if (sqlite3_exec(st->db, pragmas, NULL, NULL, &err) != SQLITE_OK ||
        sqlite3_exec(st->db, SCHEMA, NULL, NULL, &err) != SQLITE_OK) {
        fprintf(stderr, "bedrock-emulator: state %s: %s\n", file, err != NULL ? err : "?");
        sqlite3_free(err);
        emu_store_close(st);
        return BEDROCK_E_IO;
    }
    seed_aws_policies(st);
    *out = st;
    return BEDROCK_OK;
}

void emu_store_close(struct emu_store *st)
{
    if (st == NULL) {
        return;
    }
    emu_store_usage_flush(st);
    brk_free(st->pending);
    for (size_t i = 0; i < USER_CACHE_N; i++) {
        emu_store_user_slot_free(&st->users[i]);
    }
    for (int i = 0; i < S_N; i++) {
        sqlite3_finalize(st->stmt[i]);
    }
    sqlite3_close(st->db);
    brk_wipe(st, sizeof(*st));
    brk_free(st);
}

sqlite3 *emu_store_db(struct emu_store *st)
{
    return st->db;
}

static void vbind(sqlite3_stmt *stmt, const char *types, va_list ap)
{
    for (int i = 0; types != NULL && types[i] != '\0'; i++) {
        if (types[i] == 's') {
            const char *s = va_arg(ap, const char *);
            if (s == NULL) {
                sqlite3_bind_null(stmt, i + 1);
            } else {
                sqlite3_bind_text(stmt, i + 1, s, -1, SQLITE_TRANSIENT);
            }
        } else if (types[i] == 'i') {
            sqlite3_bind_int64(stmt, i + 1, va_arg(ap, long long));
        } else {
            sqlite3_bind_null(stmt, i + 1);
        }
    }
}

static sqlite3_stmt *vprepare(struct emu_store *st, const char *sql, const char *types, va_list ap)
{
    sqlite3_stmt *stmt = NULL;
    if (sqlite3_prepare_v2(st->db, sql, -1, &stmt, NULL) != SQLITE_OK) {
        fprintf(stderr, "bedrock-emulator: SQL error: %s\n", sqlite3_errmsg(st->db));
        return NULL;
    }
    vbind(stmt, types, ap);
    return stmt;
}

/* A cached statement for slot, bound; a fresh one when the cached one is in use (a callback
 * re-entering the store). Give it back with release(). */
sqlite3_stmt *emu_store_acquire(struct emu_store *st, enum stmt_slot slot, const char *types, ...)
{
    va_list ap;
    va_start(ap, types);
    sqlite3_stmt *stmt = NULL;
    if (st->stmt_busy[slot]) {
        stmt = vprepare(st, STMT_SQL[slot], types, ap);
        va_end(ap);
        return stmt;
    }
    if (st->stmt[slot] == NULL &&
        sqlite3_prepare_v3(st->db, STMT_SQL[slot], -1, SQLITE_PREPARE_PERSISTENT, &st->stmt[slot],
                           NULL) != SQLITE_OK) {
        fprintf(stderr, "bedrock-emulator: SQL error: %s\n", sqlite3_errmsg(st->db));
        st->stmt[slot] = NULL;
        va_end(ap);
        return NULL;
    }
    stmt = st->stmt[slot];
    st->stmt_busy[slot] = true;
    vbind(stmt, types, ap);
    va_end(ap);
    return stmt;
}

void emu_store_release(struct emu_store *st, enum stmt_slot slot, sqlite3_stmt *stmt)
{
    if (stmt == NULL) {
        return;
    }
    if (stmt != st->stmt[slot]) {
        sqlite3_finalize(stmt);
        return;
    }
    sqlite3_reset(stmt);
    sqlite3_clear_bindings(stmt);
    st->stmt_busy[slot] = false;
}

sqlite3_stmt *emu_store_prepare(struct emu_store *st, const char *sql, const char *types, ...)
{
    va_list ap;
    va_start(ap, types);
    sqlite3_stmt *stmt = vprepare(st, sql, types, ap);
    va_end(ap);
    return stmt;
}

int emu_store_exec(struct emu_store *st, const char *sql, const char *types, ...)
{
    va_list ap;
    va_start(ap, types);
    sqlite3_stmt *stmt = vprepare(st, sql, types, ap);
    va_end(ap);
    if (stmt == NULL) {
        return SQLITE_ERROR;
    }
    int rc = sqlite3_step(stmt);
    sqlite3_finalize(stmt);
    if (rc == SQLITE_CONSTRAINT) {
        return rc;
    }
    if (rc != SQLITE_DONE && rc != SQLITE_ROW) {
        fprintf(stderr, "bedrock-emulator: SQL error: %s\n", sqlite3_errmsg(st->db));
    }
    return rc == SQLITE_ROW ? SQLITE_DONE : rc;
}

long long emu_store_int(struct emu_store *st, const char *sql, const char *types, ...)
{
    va_list ap;
    va_start(ap, types);
    sqlite3_stmt *stmt = vprepare(st, sql, types, ap);
    va_end(ap);
    long long v = 0;
    if (stmt != NULL && sqlite3_step(stmt) == SQLITE_ROW) {
        v = sqlite3_column_int64(stmt, 0);
    }
    sqlite3_finalize(stmt);
    return v;
}

void emu_store_random_id(const char *prefix, size_t n, char *out, size_t outlen)
{
    static const char B32[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    uint8_t rnd[64];
    size_t plen = strlen(prefix);
    if (n > sizeof(rnd) || plen + n + 1 > outlen) {
        out[0] = '\0';
        return;
    }
    if (RAND_bytes(rnd, (int)n) != 1) {
        memset(rnd, 0x5a, n);
    }
    memcpy(out, prefix, plen);
    for (size_t i = 0; i < n; i++) {
        out[plen + i] = B32[rnd[i] & 31];
    }
    out[plen + n] = '\0';
}

void emu_store_random_secret(char *out, size_t len)
{
    static const char B64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    uint8_t rnd[128];
    if (len == 0 || len - 1 > sizeof(rnd)) {
        return;
    }
    if (RAND_bytes(rnd, (int)(len - 1)) != 1) {
        memset(rnd, 0x33, len - 1);
    }
    for (size_t i = 0; i + 1 < len; i++) {
        out[i] = B64[rnd[i] & 63];
    }
    out[len - 1] = '\0';
    OPENSSL_cleanse(rnd, sizeof(rnd));
}

void emu_store_col_copy(sqlite3_stmt *stmt, int col, char *out, size_t outlen)
{
    const unsigned char *v = sqlite3_column_text(stmt, col);
    snprintf(out, outlen, "%s", v != NULL ? (const char *)v : "");
}

uint32_t emu_store_hash(const char *s)
{
    uint32_t h = 2166136261u;
    for (; *s != '\0'; s++) {
        h = (h ^ (uint8_t)*s) * 16777619u;
    }
    return h;
}

bedrock_code emu_store_ssc_find(struct emu_store *st, const char *svc_user, struct emu_ssc *out)
{
    sqlite3_stmt *stmt = emu_store_acquire(st, S_SSC_FIND, "s", svc_user);
    bedrock_code rc = BEDROCK_E_NOT_FOUND;
    if (stmt != NULL && sqlite3_step(stmt) == SQLITE_ROW) {
        emu_store_col_copy(stmt, 0, out->id, sizeof(out->id));
        emu_store_col_copy(stmt, 1, out->user, sizeof(out->user));
        emu_store_col_copy(stmt, 2, out->service_user_name, sizeof(out->service_user_name));
        emu_store_col_copy(stmt, 3, out->secret, sizeof(out->secret));
        emu_store_col_copy(stmt, 4, out->status, sizeof(out->status));
        rc = BEDROCK_OK;
    }
    emu_store_release(st, S_SSC_FIND, stmt);
    return rc;
}

bedrock_code emu_store_user_id(struct emu_store *st, const char *name, char *id, size_t idlen)
{
    sqlite3_stmt *stmt = emu_store_prepare(st, "SELECT id FROM users WHERE name=?", "s", name);
    bedrock_code rc = BEDROCK_E_NOT_FOUND;
    if (stmt != NULL && sqlite3_step(stmt) == SQLITE_ROW) {
        emu_store_col_copy(stmt, 0, id, idlen);
        rc = BEDROCK_OK;
    }
    sqlite3_finalize(stmt);
    return rc;
}

/* Read the user's documents into the slot; false (slot left without docs) on failure. */
bedrock_code emu_store_kv_put(struct emu_store *st, const char *ns, const char *key,
                              const char *value)
{
    int rc = emu_store_exec(st, "INSERT OR REPLACE INTO kv VALUES(?,?,?)", "sss", ns, key, value);
    return rc == SQLITE_DONE ? BEDROCK_OK : BEDROCK_E_IO;
}

char *emu_store_kv_get(struct emu_store *st, const char *ns, const char *key)
{
    sqlite3_stmt *stmt =
        emu_store_prepare(st, "SELECT value FROM kv WHERE ns=? AND key=?", "ss", ns, key);
    char *v = NULL;
    if (stmt != NULL && sqlite3_step(stmt) == SQLITE_ROW) {
        const char *s = (const char *)sqlite3_column_text(stmt, 0);
        v = brk_strdup(s != NULL ? s : "");
    }
    sqlite3_finalize(stmt);
    return v;
}

bool emu_store_kv_delete(struct emu_store *st, const char *ns, const char *key)
{
    (void)emu_store_exec(st, "DELETE FROM kv WHERE ns=? AND key=?", "ss", ns, key);
    return sqlite3_changes(st->db) > 0;
}

void emu_store_kv_each(struct emu_store *st, const char *ns, emu_kv_fn *fn, void *ctx)
{
    sqlite3_stmt *stmt =
        emu_store_prepare(st, "SELECT key, value FROM kv WHERE ns=? ORDER BY key", "s", ns);
    while (stmt != NULL && sqlite3_step(stmt) == SQLITE_ROW) {
        const char *k = (const char *)sqlite3_column_text(stmt, 0);
        const char *v = (const char *)sqlite3_column_text(stmt, 1);
        fn(ctx, k != NULL ? k : "", v != NULL ? v : "");
    }
    sqlite3_finalize(stmt);
}

void emu_store_model_set(struct emu_store *st, const char *model_id, bool granted)
{
    if (granted) {
        (void)emu_store_exec(st, "DELETE FROM model_denials WHERE model_id=?", "s", model_id);
    } else {
        (void)emu_store_exec(st, "INSERT OR IGNORE INTO model_denials VALUES(?)", "s", model_id);
    }
}

bool emu_model_access_granted(struct emu_server *s, const char *model_id)
{
    return !emu_store_model_denied(emu_server_store(s), model_id);
}

void emu_model_access_set(struct emu_server *s, const char *model_id, bool granted)
{
    emu_store_model_set(emu_server_store(s), model_id, granted);
}
