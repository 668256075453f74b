/*
 * services/guide/rotate.c - the key-rotation state machine and its journal (see rotate.h).
 * brk_rotate_decide is pure; the journal is a small JSON file written atomically, 0600.
 */
#include "rotate.h"

#include "core/buf.h"
#include "core/fileio.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

const char *brk_rotate_step_name(enum brk_rotate_step s)
{
    switch (s) {
    case BRK_ROT_JOURNAL:
        return "journal";
    case BRK_ROT_DELETE_ORPHAN:
        return "delete-orphan";
    case BRK_ROT_CREATE:
        return "create";
    case BRK_ROT_VERIFY:
        return "verify";
    case BRK_ROT_DEACTIVATE:
        return "deactivate";
    case BRK_ROT_WAIT_GRACE:
        return "wait-grace";
    case BRK_ROT_DELETE_OLD:
        return "delete";
    case BRK_ROT_DONE:
        return "done";
    case BRK_ROT_TOO_MANY:
        return "too-many-keys";
    }
    return "?";
}

static const struct brk_rotate_key *find_key(const struct brk_rotate_state *st, const char *id)
{
    for (size_t i = 0; id != NULL && id[0] != '\0' && i < st->n_keys; i++) {
        if (strcmp(st->keys[i].id, id) == 0) {
            return &st->keys[i];
        }
    }
    return NULL;
}

static bool in_before(const struct brk_rotate_journal *j, const char *id)
{
    for (size_t i = 0; i < j->n_before; i++) {
        if (strcmp(j->before[i], id) == 0) {
            return true;
        }
    }
    return false;
}

static struct brk_rotate_next next(enum brk_rotate_step s, const char *id)
{
    struct brk_rotate_next n;
    memset(&n, 0, sizeof(n));
    n.step = s;
    snprintf(n.key_id, sizeof(n.key_id), "%s", id != NULL ? id : "");
    return n;
}

/* No journal: start a rotation unless the user already has two keys. */
static struct brk_rotate_next decide_fresh(const struct brk_rotate_state *st)
{
    if (st->n_keys >= 2) {
        /* name the key that is not the application's */
        for (size_t i = 0; i < st->n_keys; i++) {
            if (strcmp(st->keys[i].id, st->stored_id) != 0) {
                return next(BRK_ROT_TOO_MANY, st->keys[i].id);
            }
        }
        return next(BRK_ROT_TOO_MANY, st->keys[0].id);
    }
    return next(BRK_ROT_JOURNAL, st->stored_id);
}

struct brk_rotate_next brk_rotate_decide(const struct brk_rotate_state *st)
{
    const struct brk_rotate_journal *j = &st->journal;
    if (!j->present) {
        return decide_fresh(st);
    }
    bool new_stored = st->stored_id[0] != '\0' && strcmp(st->stored_id, j->old_id) != 0 &&
                      find_key(st, st->stored_id) != NULL;
    if (!new_stored) {
        /* the new key was not stored: any key created since the journal is an orphan */
        for (size_t i = 0; i < st->n_keys; i++) {
            if (!in_before(j, st->keys[i].id) && strcmp(st->keys[i].id, st->stored_id) != 0) {
                return next(BRK_ROT_DELETE_ORPHAN, st->keys[i].id);
            }
        }
        if (st->n_keys >= 2) {
            return decide_fresh(st);
        }
        return next(BRK_ROT_CREATE, NULL);
    }
    if (!j->verified) {
        return next(BRK_ROT_VERIFY, st->stored_id);
    }
    const struct brk_rotate_key *old = find_key(st, j->old_id);
    if (old == NULL) {
        return next(BRK_ROT_DONE, st->stored_id);
    }
    if (old->active) {
        return next(BRK_ROT_DEACTIVATE, old->id);
    }
    if (st->delete_old || (j->deactivated_at != 0 && st->now - j->deactivated_at >= st->grace_s)) {
        return next(BRK_ROT_DELETE_OLD, old->id);
    }
    return next(BRK_ROT_WAIT_GRACE, old->id);
}

static void copy_str(json_t *o, const char *k, char *out, size_t len)
{
    const char *v = json_string_value(json_object_get(o, k));
    snprintf(out, len, "%s", v != NULL ? v : "");
}

bedrock_code brk_rotate_journal_load(const char *path, struct brk_rotate_journal *j,
                                     struct bedrock_error *err)
{
    memset(j, 0, sizeof(*j));
    struct brk_buf b = BRK_BUF(65536);
    bedrock_code rc = brk_file_read(path, 65536, &b);
    if (rc == BEDROCK_E_IO && errno == ENOENT) {
        return BEDROCK_OK;
    }
    if (rc != BEDROCK_OK) {
        bedrock_error_set(err, rc, "cannot read the rotation journal %s", path);
        return rc;
    }
    json_error_t je;
    json_t *o = json_loadb(b.data != NULL ? b.data : "", b.len, 0, &je);
    brk_buf_cleanup(&b);
    if (!json_is_object(o)) {
        json_decref(o);
        bedrock_error_set(err, BEDROCK_E_PARSE, "the rotation journal %s is not valid", path);
        return BEDROCK_E_PARSE;
    }
    j->present = true;
    copy_str(o, "user", j->user, sizeof(j->user));
    copy_str(o, "old", j->old_id, sizeof(j->old_id));
    json_t *before = json_object_get(o, "before");
    size_t i;
    json_t *v;
    json_array_foreach(before, i, v)
    {
        if (j->n_before < BRK_ROTATE_MAX_KEYS && json_is_string(v)) {
            snprintf(j->before[j->n_before++], sizeof(j->before[0]), "%s", json_string_value(v));
        }
    }
    j->verified = json_is_true(json_object_get(o, "verified"));
    j->deactivated_at = (time_t)json_integer_value(json_object_get(o, "deactivated_at"));
    json_decref(o);
    return BEDROCK_OK;
}

bedrock_code brk_rotate_journal_save(const char *path, const struct brk_rotate_journal *j,
                                     struct bedrock_error *err)
{
    json_t *before = json_array();
    for (size_t i = 0; before != NULL && i < j->n_before; i++) {
        json_array_append_new(before, json_string(j->before[i]));
    }
    json_t *o =
        json_pack("{s:s,s:s,s:o,s:b,s:I}", "user", j->user, "old", j->old_id, "before", before,
                  "verified", j->verified, "deactivated_at", (json_int_t)j->deactivated_at);
    char *text = o != NULL ? json_dumps(o, JSON_INDENT(2)) : NULL;
    json_decref(o);
    if (text == NULL) {
        bedrock_error_set(err, BEDROCK_E_NOMEM, "out of memory");
        return BEDROCK_E_NOMEM;
    }
    bedrock_code rc = brk_file_write_atomic(path, text, strlen(text), 0600);
    free(text);
    if (rc != BEDROCK_OK) {
        bedrock_error_set(err, rc, "cannot write the rotation journal %s: %s", path,
                          strerror(errno));
    }
    return rc;
}

bedrock_code brk_rotate_journal_remove(const char *path, struct bedrock_error *err)
{
    if (unlink(path) != 0 && errno != ENOENT) {
        bedrock_error_set(err, BEDROCK_E_IO, "cannot remove %s: %s", path, strerror(errno));
        return BEDROCK_E_IO;
    }
    return BEDROCK_OK;
}

void brk_rotate_crash_point(const char *step)
{
    const char *v = getenv("BEDROCKCTL_TEST_CRASH_AFTER");
    if (v != NULL && strcmp(v, step) == 0) {
        fflush(NULL);
        _exit(99);
    }
}
