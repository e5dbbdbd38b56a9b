/* MD5 (RFC 1321). LibreMesh derives ids from md5 sums (§2.1); it is not used for
 * security. Our own small implementation so limecore needs no crypto library. */
#ifndef LIME_MD5_H
#define LIME_MD5_H

#include <stddef.h>
#include <stdint.h>

struct lime_md5 {
    uint32_t state[4];
    uint64_t length; /* bytes hashed so far */
    uint8_t block[64];
};

void lime_md5_init(struct lime_md5 *ctx);
void lime_md5_update(struct lime_md5 *ctx, const void *data, size_t len);
void lime_md5_final(struct lime_md5 *ctx, uint8_t digest[16]);

/* One-shot digest, and its 32 lowercase hex chars + NUL. */
void lime_md5(const void *data, size_t len, uint8_t digest[16]);
void lime_md5_hex(const void *data, size_t len, char hex[33]);

#endif
