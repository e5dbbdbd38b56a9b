#include "netid.h"

#include <stdio.h>
#include <string.h>

/* MD5 (RFC 1321). Only used on a few short strings; small beats fast here. */
static const uint32_t md5_k[64] = {
    0xd76aa478, 0xe8c7b756, 0x242070db, 0xc1bdceee, 0xf57c0faf, 0x4787c62a, 0xa8304613, 0xfd469501,
    0x698098d8, 0x8b44f7af, 0xffff5bb1, 0x895cd7be, 0x6b901122, 0xfd987193, 0xa679438e, 0x49b40821,
    0xf61e2562, 0xc040b340, 0x265e5a51, 0xe9b6c7aa, 0xd62f105d, 0x02441453, 0xd8a1e681, 0xe7d3fbc8,
    0x21e1cde6, 0xc33707d6, 0xf4d50d87, 0x455a14ed, 0xa9e3e905, 0xfcefa3f8, 0x676f02d9, 0x8d2a4c8a,
    0xfffa3942, 0x8771f681, 0x6d9d6122, 0xfde5380c, 0xa4beea44, 0x4bdecfa9, 0xf6bb4b60, 0xbebfbc70,
    0x289b7ec6, 0xeaa127fa, 0xd4ef3085, 0x04881d05, 0xd9d4d039, 0xe6db99e5, 0x1fa27cf8, 0xc4ac5665,
    0xf4292244, 0x432aff97, 0xab9423a7, 0xfc93a039, 0x655b59c3, 0x8f0ccc92, 0xffeff47d, 0x85845dd1,
    0x6fa87e4f, 0xfe2ce6e0, 0xa3014314, 0x4e0811a1, 0xf7537e82, 0xbd3af235, 0x2ad7d2bb, 0xeb86d391};
static const uint8_t md5_r[64] = {7, 12, 17, 22, 7, 12, 17, 22, 7, 12, 17, 22, 7, 12, 17, 22,
                                  5, 9,  14, 20, 5, 9,  14, 20, 5, 9,  14, 20, 5, 9,  14, 20,
                                  4, 11, 16, 23, 4, 11, 16, 23, 4, 11, 16, 23, 4, 11, 16, 23,
                                  6, 10, 15, 21, 6, 10, 15, 21, 6, 10, 15, 21, 6, 10, 15, 21};

static void md5_block(uint32_t h[4], const uint8_t *p)
{
    uint32_t w[16];
    for (int i = 0; i < 16; i++)
        w[i] = (uint32_t)p[4 * i] | (uint32_t)p[4 * i + 1] << 8 | (uint32_t)p[4 * i + 2] << 16 |
               (uint32_t)p[4 * i + 3] << 24;
    uint32_t a = h[0], b = h[1], c = h[2], d = h[3];
    for (int i = 0; i < 64; i++) {
        uint32_t f;
        int g;
        if (i < 16) {
            f = (b & c) | (~b & d);
            g = i;
        } else if (i < 32) {
            f = (d & b) | (~d & c);
            g = (5 * i + 1) % 16;
        } else if (i < 48) {
            f = b ^ c ^ d;
            g = (3 * i + 5) % 16;
        } else {
            f = c ^ (b | ~d);
            g = (7 * i) % 16;
        }
        uint32_t t = d;
        d = c;
        c = b;
        uint32_t x = a + f + md5_k[i] + w[g];
        b = b + (x << md5_r[i] | x >> (32 - md5_r[i]));
        a = t;
    }
    h[0] += a;
    h[1] += b;
    h[2] += c;
    h[3] += d;
}

void sim_md5(const void *data, size_t len, uint8_t out[16])
{
    uint32_t h[4] = {0x67452301, 0xefcdab89, 0x98badcfe, 0x10325476};
    const uint8_t *p = data;
    size_t i = 0;
    for (; i + 64 <= len; i += 64)
        md5_block(h, p + i);
    uint8_t tail[128] = {0};
    size_t rest = len - i;
    memcpy(tail, p + i, rest);
    tail[rest] = 0x80;
    size_t tl = rest + 9 <= 64 ? 64 : 128;
    uint64_t bits = (uint64_t)len * 8;
    for (int k = 0; k < 8; k++)
        tail[tl - 8 + k] = (uint8_t)(bits >> (8 * k));
    md5_block(h, tail);
    if (tl == 128)
        md5_block(h, tail + 64);
    for (int k = 0; k < 16; k++)
        out[k] = (uint8_t)(h[k / 4] >> (8 * (k % 4)));
}

void sim_cloud_of(const char *ssid, struct sim_cloud *c)
{
    char line[64];
    int n = snprintf(line, sizeof(line), "%s\n", ssid);
    uint8_t d[16];
    sim_md5(line, (size_t)n, d);
    memcpy(c->n, d, 6);
    c->vlan = 29 + ((c->n[0] - 13) % 256 + 256) % 256;
    snprintf(c->prefix4, sizeof(c->prefix4), "10.%u.0.0/16", c->n[0]);
    snprintf(c->anygw4, sizeof(c->anygw4), "10.%u.0.1", c->n[0]);
    snprintf(c->prefix6, sizeof(c->prefix6), "fd%02x:%02x%02x:%02x%02x::/64", c->n[0], c->n[1],
             c->n[2], c->n[3], c->n[4]);
    snprintf(c->anygw6, sizeof(c->anygw6), "fd%02x:%02x%02x:%02x%02x::1", c->n[0], c->n[1],
             c->n[2], c->n[3], c->n[4]);
    snprintf(c->anygw_mac, sizeof(c->anygw_mac), "aa:aa:aa:%02x:%02x:aa", c->n[0], c->n[1]);
}

static unsigned host_suffix(int index) { return 0x0100u + (unsigned)index + 1u; }

void sim_mac(enum sim_if_role role, int index, char out[18])
{
    unsigned s = host_suffix(index);
    snprintf(out, 18, "02:4c:%02x:00:%02x:%02x", (unsigned)role, (s >> 8) & 0xff, s & 0xff);
}

void sim_node_ipv4(const struct sim_cloud *c, int index, char out[16])
{
    unsigned s = host_suffix(index);
    snprintf(out, 16, "10.%u.%u.%u", c->n[0], (s >> 8) & 0xff, s & 0xff);
}

void sim_node_ipv6(const struct sim_cloud *c, int index, char out[48])
{
    /* /64 template: the whole 24-bit M4M5M6 suffix is added; M4 is 0 here. */
    unsigned s = host_suffix(index);
    snprintf(out, 48, "fd%02x:%02x%02x:%02x%02x::%x", c->n[0], c->n[1], c->n[2], c->n[3], c->n[4], s);
}
