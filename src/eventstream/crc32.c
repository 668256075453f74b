/*
 * eventstream/crc32.c - CRC-32/IEEE (zlib's polynomial and running convention) for frames.
 *
 * Backed by libdeflate_crc32, which bench/bench_eventstream.c measured faster than zlib's
 * crc32 on this machine (it folds with PCLMULQDQ where available). Same results as zlib:
 * brk_crc32(brk_crc32(0, a, n), b, m) == CRC of a||b.
 */
#include "eventstream.h"

#include <libdeflate.h>

uint32_t brk_crc32(uint32_t crc, const void *p, size_t n)
{
    if (n == 0) {
        return crc;
    }
    return libdeflate_crc32(crc, p, n);
}
