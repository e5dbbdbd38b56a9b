/* One's-complement sums, 8 bytes per step: the sum of 16-bit words is independent of
 * the byte order it is taken in (RFC 1071 §2(B)) as long as the folded result is swapped
 * back, and 64-bit additions with end-around carry equal the 16-bit ones modulo 0xffff. */
#include "csum.h"

#include <string.h>

uint32_t batd_csum_add(uint32_t s, const uint8_t *p, size_t n)
{
    uint64_t acc = 0;
    while (n >= 8) {
        uint64_t w;
        memcpy(&w, p, 8);
        acc += w;
        acc += acc < w; /* end-around carry */
        p += 8;
        n -= 8;
    }
    /* fold to 32 bits so the tail additions cannot overflow */
    acc = (acc & 0xffffffffu) + (acc >> 32);
    acc = (acc & 0xffffffffu) + (acc >> 32);
    while (n >= 2) {
        uint16_t h;
        memcpy(&h, p, 2);
        acc += h;
        p += 2;
        n -= 2;
    }
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
    if (n)
        acc += p[0]; /* big-endian [p,0] read in host (little-endian) order */
    uint16_t f = csum_fold((uint32_t)((acc & 0xffffffffu) + (acc >> 32)));
    f = (uint16_t)(f >> 8 | f << 8);
#else
    if (n)
        acc += (uint32_t)p[0] << 8;
    uint16_t f = csum_fold((uint32_t)((acc & 0xffffffffu) + (acc >> 32)));
#endif
    return s + f;
}
