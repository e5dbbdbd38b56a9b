/* Internet checksum (RFC 1071) helpers shared by the userspace GRO and TSO paths. */
#pragma once

#include <stddef.h>
#include <stdint.h>

/* Adds the 16-bit big-endian words of p[0..n) (an odd last byte padded with zero) to the
 * running one's-complement sum s and returns the new, unfolded sum. The result equals a
 * word-by-word sum modulo 0xffff; it is computed 8 bytes at a time in host order. */
uint32_t batd_csum_add(uint32_t s, const uint8_t *p, size_t n);

/* Folds a running sum to 16 bits (not inverted). */
static inline uint16_t csum_fold(uint32_t s)
{
    while (s >> 16)
        s = (s & 0xffff) + (s >> 16);
    return (uint16_t)s;
}
