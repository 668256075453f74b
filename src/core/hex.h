/*
 * core/hex.h - the value of one hex digit, shared by every percent-decoder and JSON \u reader.
 */
#ifndef BRK_CORE_HEX_H
#define BRK_CORE_HEX_H

/* 0..15, or -1 when c is not a hex digit. */
static inline int brk_hexval(char c)
{
    if (c >= '0' && c <= '9') {
        return c - '0';
    }
    if (c >= 'a' && c <= 'f') {
        return c - 'a' + 10;
    }
    if (c >= 'A' && c <= 'F') {
        return c - 'A' + 10;
    }
    return -1;
}

#endif
