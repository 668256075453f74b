/*
 * services/guide/rotate.h - the key-rotation state machine, a pure function of what exists:
 * the user's keys in IAM, the key id in the application's store, and the journal written
 * before the new key is created. Each run re-derives the next step from that state, so a
 * rotation killed between any two steps is finished by running the same command again, and
 * never creates a third key.
 *
 * Steps: JOURNAL (record the old key and the keys that exist) -> CREATE (+ store, same
 * process) -> VERIFY (a real call with the new key) -> DEACTIVATE old -> DELETE old (with
 * --delete-old, or once the grace has passed) -> DONE (journal removed).
 * A key that is in IAM but neither in the journal's "before" set nor in the store is one this
 * rotation created and never stored (killed between CreateAccessKey and the write): nobody
 * has its secret, so it is deleted (DELETE_ORPHAN) before creating again.
 */
#ifndef BRK_GUIDE_ROTATE_H
#define BRK_GUIDE_ROTATE_H

#include <bedrock/bedrock.h>

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#define BRK_ROTATE_MAX_KEYS 8

struct brk_rotate_key {
    char id[64];
    bool active;
};

struct brk_rotate_journal {
    bool present;
    char user[128];
    char old_id[64];                      /* "" when the store had no key */
    char before[BRK_ROTATE_MAX_KEYS][64]; /* key ids that existed before CREATE */
    size_t n_before;
    bool verified;         /* the new key answered a real call */
    time_t deactivated_at; /* 0 = not yet */
};

struct brk_rotate_state {
    struct brk_rotate_key keys[BRK_ROTATE_MAX_KEYS];
    size_t n_keys;
    const char *stored_id; /* key id in the application's store, "" when none */
    struct brk_rotate_journal journal;
    bool delete_old;
    long grace_s; /* with !delete_old: delete the old key this long after deactivating */
    time_t now;
};

enum brk_rotate_step {
    BRK_ROT_JOURNAL,
    BRK_ROT_DELETE_ORPHAN,
    BRK_ROT_CREATE,
    BRK_ROT_VERIFY,
    BRK_ROT_DEACTIVATE,
    BRK_ROT_WAIT_GRACE,
    BRK_ROT_DELETE_OLD,
    BRK_ROT_DONE,
    BRK_ROT_TOO_MANY /* two keys already and no rotation in progress */
};

struct brk_rotate_next {
    enum brk_rotate_step step;
    char key_id[64]; /* the key the step acts on (orphan, new, old) */
};

const char *brk_rotate_step_name(enum brk_rotate_step s);
/* The next step for a state. */
struct brk_rotate_next brk_rotate_decide(const struct brk_rotate_state *st);

/* Journal (JSON) load/save; a missing file leaves journal->present false. */
BEDROCK_MUST_USE bedrock_code brk_rotate_journal_load(const char *path,
                                                      struct brk_rotate_journal *j,
                                                      struct bedrock_error *err);
BEDROCK_MUST_USE bedrock_code brk_rotate_journal_save(const char *path,
                                                      const struct brk_rotate_journal *j,
                                                      struct bedrock_error *err);
BEDROCK_MUST_USE bedrock_code brk_rotate_journal_remove(const char *path,
                                                        struct bedrock_error *err);

/* Test hook: when BEDROCKCTL_TEST_CRASH_AFTER names this step, _exit(99). */
void brk_rotate_crash_point(const char *step);

#endif
