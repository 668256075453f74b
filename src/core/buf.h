/*
 * core/buf.h - owned buffers, borrowed slices, and a parse cursor.
 *
 * struct brk_buf owns its bytes, keeps data[len] == 0 (when data != NULL), and fails with
 * BEDROCK_E_LIMIT rather than grow past max. A pointer into data dies at the next append.
 * struct brk_slice is borrowed, passed by value, never freed by the receiver.
 * struct brk_reader is a cursor over wire data; a failed read does not move it.
 */
#ifndef BRK_CORE_BUF_H
#define BRK_CORE_BUF_H

#include <bedrock/bedrock.h>

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct brk_buf {
    char *data;
    size_t len;
    size_t cap;
    size_t max;
    bool secret; /* wipe on growth and cleanup */
};

struct brk_slice {
    const char *ptr;
    size_t len;
};

struct brk_reader {
    const uint8_t *p;
    size_t left;
};

#define BRK_BUF(limit)             \
    {                              \
        NULL, 0, 0, (limit), false \
    }
#define BRK_SECRET_BUF(limit)     \
    {                             \
        NULL, 0, 0, (limit), true \
    }
#define BRK_SLICE_LIT(s) ((struct brk_slice){ (s), sizeof(s) - 1 })

void brk_buf_init(struct brk_buf *b, size_t max);
void brk_buf_cleanup(struct brk_buf *b); /* frees (wipes if secret), leaves zeroed, max kept */
void brk_buf_reset(struct brk_buf *b);   /* len = 0, keeps memory */
BEDROCK_MUST_USE bedrock_code brk_buf_reserve(struct brk_buf *b, size_t extra);
BEDROCK_MUST_USE bedrock_code brk_buf_append(struct brk_buf *b, const void *p, size_t n);
BEDROCK_MUST_USE bedrock_code brk_buf_append_str(struct brk_buf *b, const char *s);
BEDROCK_MUST_USE bedrock_code brk_buf_append_char(struct brk_buf *b, char c);
BEDROCK_MUST_USE bedrock_code brk_buf_appendf(struct brk_buf *b, const char *fmt, ...)
    BEDROCK_PRINTF(2, 3);
BEDROCK_MUST_USE bedrock_code brk_buf_vappendf(struct brk_buf *b, const char *fmt, va_list ap);
BEDROCK_MUST_USE bedrock_code brk_buf_set(struct brk_buf *b, const void *p, size_t n);
/* Moves the bytes out (caller frees with brk_free); b is left empty. Never NULL on OK. */
BEDROCK_MUST_USE bedrock_code brk_buf_take(struct brk_buf *b, char **out, size_t *len);
bool brk_buf_ok(const struct brk_buf *b);
static inline struct brk_slice brk_buf_slice(const struct brk_buf *b)
{
    struct brk_slice s = { b->data != NULL ? b->data : "", b->len };
    return s;
}

struct brk_slice brk_slice_str(const char *s);
bool brk_slice_eq(struct brk_slice a, struct brk_slice b);
bool brk_slice_eq_str(struct brk_slice a, const char *s);
bool brk_slice_ieq_str(struct brk_slice a, const char *s); /* ASCII case-insensitive */
struct brk_slice brk_slice_trim(struct brk_slice s);       /* spaces and tabs, CR, LF */
char *brk_slice_dup(struct brk_slice s);                   /* NUL-terminated copy or NULL */

void brk_reader_init(struct brk_reader *r, const void *p, size_t n);
BEDROCK_MUST_USE bedrock_code brk_reader_u8(struct brk_reader *r, uint8_t *v);
BEDROCK_MUST_USE bedrock_code brk_reader_u16be(struct brk_reader *r, uint16_t *v);
BEDROCK_MUST_USE bedrock_code brk_reader_u32be(struct brk_reader *r, uint32_t *v);
BEDROCK_MUST_USE bedrock_code brk_reader_u64be(struct brk_reader *r, uint64_t *v);
BEDROCK_MUST_USE bedrock_code brk_reader_bytes(struct brk_reader *r, size_t n, const uint8_t **p);

#endif
