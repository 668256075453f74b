/*
 * emulator/store_hot.c - the store's per-request path: access keys, "last used", users and
 * their policy documents, model access, usage records; cached in memory (store_priv.h).
 *
 * Invariants: a cached answer is used only while the IAM generation it was read under is
 * current (any IAM write bumps it, see store.c), so results equal a fresh query's; secrets in
 * the key cache are wiped when replaced and when the store closes; usage records batched in
 * memory are flushed before any read of them and at close.
 */
#include "core/alloc.h"
#include "core/buf.h"
#include "store_priv.h"

#include <stdio.h>
#include <string.h>

bedrock_code emu_store_key_get(struct emu_store *st, const char *id, struct emu_key *out)
{
    struct key_slot *slot = &st->keys[emu_store_hash(id) % KEY_CACHE_N];
    if (slot->valid && slot->gen == st->gen && strcmp(slot->k.id, id) == 0) {
        *out = slot->k;
        return BEDROCK_OK;
    }
    sqlite3_stmt *stmt = emu_store_acquire(st, S_KEY_GET, "s", id);
    bedrock_code rc = BEDROCK_E_NOT_FOUND;
    if (stmt != NULL && sqlite3_step(stmt) == SQLITE_ROW) {
        memset(out, 0, sizeof(*out));
        emu_store_col_copy(stmt, 0, out->id, sizeof(out->id));
        emu_store_col_copy(stmt, 1, out->user, sizeof(out->user));
        emu_store_col_copy(stmt, 2, out->secret, sizeof(out->secret));
        emu_store_col_copy(stmt, 3, out->status, sizeof(out->status));
        emu_store_col_copy(stmt, 4, out->session_token, sizeof(out->session_token));
        out->created_s = (time_t)sqlite3_column_int64(stmt, 5);
        out->expires_s = (time_t)sqlite3_column_int64(stmt, 6);
        rc = BEDROCK_OK;
    }
    emu_store_release(st, S_KEY_GET, stmt);
    brk_wipe(&slot->k, sizeof(slot->k));
    slot->valid = false;
    if (rc == BEDROCK_OK && strcmp(out->id, id) == 0) {
        slot->k = *out;
        slot->gen = st->gen;
        slot->valid = true;
    }
    return rc;
}

void emu_store_key_used(struct emu_store *st, const char *id, time_t now_s, const char *service,
                        const char *region)
{
    struct used_memo *m = &st->used[emu_store_hash(id) % USED_MEMO_N];
    if (m->gen == st->gen && m->at_s == now_s && strcmp(m->id, id) == 0 &&
        strcmp(m->service, service) == 0 && strcmp(m->region, region) == 0) {
        return; /* the row already holds exactly these values */
    }
    sqlite3_stmt *stmt =
        emu_store_acquire(st, S_KEY_USED, "isss", (long long)now_s, service, region, id);
    if (stmt == NULL) {
        return;
    }
    st->quiet = true;
    int rc = sqlite3_step(stmt);
    st->quiet = false;
    emu_store_release(st, S_KEY_USED, stmt);
    if (rc != SQLITE_DONE) {
        m->id[0] = '\0';
        return;
    }
    snprintf(m->id, sizeof(m->id), "%s", id);
    snprintf(m->service, sizeof(m->service), "%s", service);
    snprintf(m->region, sizeof(m->region), "%s", region);
    m->at_s = now_s;
    m->gen = st->gen;
}

void emu_store_user_slot_free(struct user_slot *u)
{
    brk_free(u->docs);
    brk_free(u->lens);
    u->docs = NULL;
    u->lens = NULL;
    u->n_docs = 0;
    u->have_docs = false;
}

/* The cache slot for name, emptied when it held another user or an older generation. NULL
 * when the name is too long to cache. */
static struct user_slot *user_slot(struct emu_store *st, const char *name)
{
    if (strlen(name) >= sizeof(st->users[0].name)) {
        return NULL;
    }
    struct user_slot *u = &st->users[emu_store_hash(name) % USER_CACHE_N];
    if (u->gen != st->gen || strcmp(u->name, name) != 0) {
        emu_store_user_slot_free(u);
        memset(u, 0, sizeof(*u));
        u->gen = st->gen;
        snprintf(u->name, sizeof(u->name), "%s", name);
    }
    return u;
}

bedrock_code emu_store_user_get(struct emu_store *st, const char *name, char *id, size_t idlen,
                                char *path, size_t pathlen)
{
    struct user_slot *u = user_slot(st, name);
    if (u == NULL || !u->have_user) {
        char cid[sizeof(u->id)] = "", cpath[sizeof(u->path)] = "";
        sqlite3_stmt *stmt = emu_store_acquire(st, S_USER_GET, "s", name);
        bool found = stmt != NULL && sqlite3_step(stmt) == SQLITE_ROW;
        if (found) {
            emu_store_col_copy(stmt, 0, cid, sizeof(cid));
            emu_store_col_copy(stmt, 1, cpath, sizeof(cpath));
        }
        emu_store_release(st, S_USER_GET, stmt);
        if (u == NULL) {
            snprintf(id, idlen, "%s", cid);
            snprintf(path, pathlen, "%s", cpath);
            return found ? BEDROCK_OK : BEDROCK_E_NOT_FOUND;
        }
        u->have_user = true;
        u->found = found;
        memcpy(u->id, cid, sizeof(cid));
        memcpy(u->path, cpath, sizeof(cpath));
    }
    if (!u->found) {
        return BEDROCK_E_NOT_FOUND;
    }
    snprintf(id, idlen, "%s", u->id);
    snprintf(path, pathlen, "%s", u->path);
    return BEDROCK_OK;
}

static bool user_docs_load(struct emu_store *st, struct user_slot *u)
{
    struct brk_buf all = BRK_BUF(64u * 1024u * 1024u);
    size_t *lens = NULL, n = 0, cap = 0;
    bool ok = true;
    sqlite3_stmt *stmt = emu_store_acquire(st, S_USER_POLICIES, "ss", u->name, u->name);
    while (ok && stmt != NULL && sqlite3_step(stmt) == SQLITE_ROW) {
        const char *doc = (const char *)sqlite3_column_text(stmt, 0);
        size_t len = (size_t)sqlite3_column_bytes(stmt, 0);
        if (doc == NULL) {
            continue;
        }
        if (n == cap) {
            cap = cap == 0 ? 4 : cap * 2;
            size_t *nl = brk_realloc(lens, cap * sizeof(*lens));
            ok = nl != NULL;
            lens = ok ? nl : lens;
        }
        ok = ok && brk_buf_append(&all, doc, len) == BEDROCK_OK &&
             brk_buf_append_char(&all, '\0') == BEDROCK_OK;
        if (ok) {
            lens[n++] = len;
        }
    }
    ok = ok && stmt != NULL;
    emu_store_release(st, S_USER_POLICIES, stmt);
    if (!ok) {
        brk_free(lens);
        brk_buf_cleanup(&all);
        return false;
    }
    u->docs = all.data; /* taken over from the buffer */
    u->lens = lens;
    u->n_docs = n;
    u->have_docs = true;
    return true;
}

void emu_store_user_policies(struct emu_store *st, const char *user, emu_doc_fn *fn, void *ctx)
{
    struct user_slot *u = user_slot(st, user);
    if (u != NULL && (u->have_docs || user_docs_load(st, u))) {
        const char *p = u->docs;
        for (size_t i = 0; i < u->n_docs; i++) {
            if (!fn(ctx, p, u->lens[i])) {
                break;
            }
            p += u->lens[i] + 1;
        }
        return;
    }
    sqlite3_stmt *stmt = emu_store_acquire(st, S_USER_POLICIES, "ss", user, user);
    while (stmt != NULL && sqlite3_step(stmt) == SQLITE_ROW) {
        const char *doc = (const char *)sqlite3_column_text(stmt, 0);
        if (doc != NULL && !fn(ctx, doc, (size_t)sqlite3_column_bytes(stmt, 0))) {
            break;
        }
    }
    emu_store_release(st, S_USER_POLICIES, stmt);
}

bool emu_store_model_denied(struct emu_store *st, const char *model_id)
{
    struct model_memo *m = &st->models[emu_store_hash(model_id) % MODEL_MEMO_N];
    if (m->valid && m->gen == st->gen && strcmp(m->model_id, model_id) == 0) {
        return m->denied;
    }
    sqlite3_stmt *stmt = emu_store_acquire(st, S_MODEL_DENIED, "s", model_id);
    bool ok = stmt != NULL && sqlite3_step(stmt) == SQLITE_ROW;
    bool denied = ok && sqlite3_column_int64(stmt, 0) > 0;
    emu_store_release(st, S_MODEL_DENIED, stmt);
    m->valid = ok && strlen(model_id) < sizeof(m->model_id);
    if (m->valid) {
        m->gen = st->gen;
        m->denied = denied;
        snprintf(m->model_id, sizeof(m->model_id), "%s", model_id);
    }
    return denied;
}

/* Usage records are bounded: CloudWatch keeps its finest data 15 days, and a long load run
 * must not grow the emulator without limit. Checked every USAGE_PRUNE_EVERY inserts. */
#define USAGE_RETENTION_S (15L * 86400L)
#define USAGE_MAX_ROWS    500000L
#define USAGE_PRUNE_EVERY 8192u

static void usage_prune(struct emu_store *st, time_t now)
{
    char sql[256];
    snprintf(sql, sizeof(sql),
             "DELETE FROM usage WHERE at < %lld; DELETE FROM usage WHERE rowid <= "
             "(SELECT max(rowid) FROM usage) - %ld",
             (long long)(now - USAGE_RETENTION_S), USAGE_MAX_ROWS);
    (void)sqlite3_exec(st->db, sql, NULL, NULL, NULL);
}

static void usage_insert(struct emu_store *st, const struct emu_usage *u)
{
    static unsigned inserts;
    if (++inserts % USAGE_PRUNE_EVERY == 0) {
        usage_prune(st, u->at_s);
    }
    sqlite3_stmt *stmt = emu_store_acquire(st, S_USAGE_INSERT, "issiiiii", (long long)u->at_s,
                                           u->model_id, u->operation, (long long)u->input_tokens,
                                           (long long)u->output_tokens, (long long)u->latency_ms,
                                           (long long)u->first_token_ms, (long long)u->outcome);
    if (stmt != NULL && sqlite3_step(stmt) != SQLITE_DONE) {
        fprintf(stderr, "bedrock-emulator: SQL error: %s\n", sqlite3_errmsg(st->db));
    }
    emu_store_release(st, S_USAGE_INSERT, stmt);
}

/* Write the batched usage records in one transaction. */
void emu_store_usage_flush(struct emu_store *st)
{
    if (st->n_pending == 0) {
        return;
    }
    bool tx = sqlite3_exec(st->db, "BEGIN", NULL, NULL, NULL) == SQLITE_OK;
    for (size_t i = 0; i < st->n_pending; i++) {
        usage_insert(st, &st->pending[i]);
    }
    if (tx) {
        (void)sqlite3_exec(st->db, "COMMIT", NULL, NULL, NULL);
    }
    st->n_pending = 0;
}

/* In memory, records are batched (one transaction per USAGE_BATCH instead of one per call)
 * and flushed before emu_usage_each() reads them, so readers see every record. With a state
 * file each record is written at once, keeping "durable before the reply". */
void emu_usage_record(struct emu_server *s, const struct emu_usage *u)
{
    struct emu_store *st = emu_server_store(s);
    if (!st->in_memory) {
        usage_insert(st, u);
        return;
    }
    if (st->pending == NULL) {
        st->pending = brk_calloc(USAGE_BATCH, sizeof(*st->pending));
        if (st->pending == NULL) {
            usage_insert(st, u);
            return;
        }
    }
    st->pending[st->n_pending++] = *u;
    if (st->n_pending == USAGE_BATCH) {
        emu_store_usage_flush(st);
    }
}

void emu_usage_each(struct emu_server *s, time_t from_s, time_t to_s, emu_usage_fn *fn, void *ctx)
{
    emu_store_usage_flush(emu_server_store(s));
    sqlite3_stmt *stmt = emu_store_prepare(
        emu_server_store(s),
        "SELECT at,model_id,operation,input_tokens,output_tokens,latency_ms,first_token_ms,"
        "outcome FROM usage WHERE at>=? AND at<? ORDER BY at",
        "ii", (long long)from_s, (long long)to_s);
    while (stmt != NULL && sqlite3_step(stmt) == SQLITE_ROW) {
        struct emu_usage u;
        memset(&u, 0, sizeof(u));
        u.at_s = (time_t)sqlite3_column_int64(stmt, 0);
        emu_store_col_copy(stmt, 1, u.model_id, sizeof(u.model_id));
        emu_store_col_copy(stmt, 2, u.operation, sizeof(u.operation));
        u.input_tokens = (long)sqlite3_column_int64(stmt, 3);
        u.output_tokens = (long)sqlite3_column_int64(stmt, 4);
        u.latency_ms = (long)sqlite3_column_int64(stmt, 5);
        u.first_token_ms = (long)sqlite3_column_int64(stmt, 6);
        u.outcome = (int)sqlite3_column_int64(stmt, 7);
        fn(ctx, &u);
    }
    sqlite3_finalize(stmt);
}
