/* MD5 after RFC 1321, written from the RFC's description (little-endian words,
 * four rounds of 16 steps, sine-derived constants). */
#include "md5.h"

#include <stdio.h>
#include <string.h>

static const uint32_t K[64] = {
    0xd76aa478, 0xe8c7b756, 0x242070db, 0xc1bdceee, 0xf57c0faf, 0x4787c62a, 0xa8304613,
    0xfd469501, 0x698098d8, 0x8b44f7af, 0xffff5bb1, 0x895cd7be, 0x6b901122, 0xfd987193,
    0xa679438e, 0x49b40821, 0xf61e2562, 0xc040b340, 0x265e5a51, 0xe9b6c7aa, 0xd62f105d,
    0x02441453, 0xd8a1e681, 0xe7d3fbc8, 0x21e1cde6, 0xc33707d6, 0xf4d50d87, 0x455a14ed,
    0xa9e3e905, 0xfcefa3f8, 0x676f02d9, 0x8d2a4c8a, 0xfffa3942, 0x8771f681, 0x6d9d6122,
    0xfde5380c, 0xa4beea44, 0x4bdecfa9, 0xf6bb4b60, 0xbebfbc70, 0x289b7ec6, 0xeaa127fa,
    0xd4ef3085, 0x04881d05, 0xd9d4d039, 0xe6db99e5, 0x1fa27cf8, 0xc4ac5665, 0xf4292244,
    0x432aff97, 0xab9423a7, 0xfc93a039, 0x655b59c3, 0x8f0ccc92, 0xffeff47d, 0x85845dd1,
    0x6fa87e4f, 0xfe2ce6e0, 0xa3014314, 0x4e0811a1, 0xf7537e82, 0xbd3af235, 0x2ad7d2bb,
    0xeb86d391,
};

/* Left-rotation amounts per round, 4 per round repeated. */
static const uint8_t R[16] = {7, 12, 17, 22, 5, 9, 14, 20, 4, 11, 16, 23, 6, 10, 15, 21};

static uint32_t rotl(uint32_t x, unsigned n)
{
    return (x << n) | (x >> (32 - n));
}

static void md5_block(uint32_t st[4], const uint8_t p[64])
{
    uint32_t w[16];
    for (int i = 0; i < 16; i++)
        w[i] = (uint32_t)p[4 * i] | (uint32_t)p[4 * i + 1] << 8 | (uint32_t)p[4 * i + 2] << 16 |
               (uint32_t)p[4 * i + 3] << 24;
    uint32_t a = st[0], b = st[1], c = st[2], d = st[3];
    for (int i = 0; i < 64; i++) {
        uint32_t f;
        int g;
        switch (i / 16) {
        case 0:
            f = (b & c) | (~b & d);
            g = i;
            break;
        case 1:
            f = (d & b) | (~d & c);
            g = (5 * i + 1) % 16;
            break;
        case 2:
            f = b ^ c ^ d;
            g = (3 * i + 5) % 16;
            break;
        default:
            f = c ^ (b | ~d);
            g = (7 * i) % 16;
            break;
        }
        uint32_t tmp = d;
        d = c;
        c = b;
        b = b + rotl(a + f + K[i] + w[g], R[(i / 16) * 4 + i % 4]);
        a = tmp;
    }
    st[0] += a;
    st[1] += b;
    st[2] += c;
    st[3] += d;
}

void lime_md5_init(struct lime_md5 *ctx)
{
    ctx->state[0] = 0x67452301;
    ctx->state[1] = 0xefcdab89;
    ctx->state[2] = 0x98badcfe;
    ctx->state[3] = 0x10325476;
    ctx->length = 0;
}

void lime_md5_update(struct lime_md5 *ctx, const void *data, size_t len)
{
    const uint8_t *p = data;
    size_t used = ctx->length % 64;
    ctx->length += len;
    if (used) {
        size_t take = 64 - used < len ? 64 - used : len;
        memcpy(ctx->block + used, p, take);
        p += take;
        len -= take;
        if (used + take < 64)
            return;
        md5_block(ctx->state, ctx->block);
    }
    for (; len >= 64; p += 64, len -= 64)
        md5_block(ctx->state, p);
    if (len)
        memcpy(ctx->block, p, len);
}

void lime_md5_final(struct lime_md5 *ctx, uint8_t digest[16])
{
    uint64_t bits = ctx->length * 8;
    static const uint8_t pad[64] = {0x80};
    size_t used = ctx->length % 64;
    lime_md5_update(ctx, pad, used < 56 ? 56 - used : 120 - used);
    uint8_t lenle[8];
    for (int i = 0; i < 8; i++)
        lenle[i] = (uint8_t)(bits >> (8 * i));
    lime_md5_update(ctx, lenle, 8);
    for (int i = 0; i < 4; i++)
        for (int j = 0; j < 4; j++)
            digest[4 * i + j] = (uint8_t)(ctx->state[i] >> (8 * j));
}

void lime_md5(const void *data, size_t len, uint8_t digest[16])
{
    struct lime_md5 ctx;
    lime_md5_init(&ctx);
    lime_md5_update(&ctx, data, len);
    lime_md5_final(&ctx, digest);
}

void lime_md5_hex(const void *data, size_t len, char hex[33])
{
    static const char digits[] = "0123456789abcdef";
    uint8_t d[16];
    lime_md5(data, len, d);
    for (int i = 0; i < 16; i++) {
        hex[2 * i] = digits[d[i] >> 4];
        hex[2 * i + 1] = digits[d[i] & 15];
    }
    hex[32] = 0;
}
