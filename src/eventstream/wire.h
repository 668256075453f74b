/*
 * eventstream/wire.h - private helpers shared by the decoder and encoder: big-endian loads
 * and stores, and the fixed sizes of the frame layout.
 */
#ifndef BRK_ES_WIRE_H
#define BRK_ES_WIRE_H

#include <stdint.h>

#define ES_PRELUDE_LEN 12u /* total_len, headers_len, prelude_crc */
#define ES_TRAILER_LEN 4u  /* message_crc */
#define ES_MIN_FRAME   (ES_PRELUDE_LEN + ES_TRAILER_LEN)

static inline uint32_t es_be32(const uint8_t *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static inline uint16_t es_be16(const uint8_t *p)
{
    return (uint16_t)((unsigned)p[0] << 8 | p[1]);
}

static inline uint64_t es_be64(const uint8_t *p)
{
    return (uint64_t)es_be32(p) << 32 | es_be32(p + 4);
}

static inline void es_put32(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)(v >> 24);
    p[1] = (uint8_t)(v >> 16);
    p[2] = (uint8_t)(v >> 8);
    p[3] = (uint8_t)v;
}

static inline void es_put16(uint8_t *p, uint16_t v)
{
    p[0] = (uint8_t)(v >> 8);
    p[1] = (uint8_t)v;
}

static inline void es_put64(uint8_t *p, uint64_t v)
{
    es_put32(p, (uint32_t)(v >> 32));
    es_put32(p + 4, (uint32_t)v);
}

#endif
