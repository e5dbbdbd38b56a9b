/* SHA-256 (FIPS 180-4) and HMAC-SHA256 (RFC 2104): small, so shared-state's optional
 * community key needs no crypto library on 4 MB-flash routers. */
#ifndef SS_SHA256_H
#define SS_SHA256_H

#include <stddef.h>
#include <stdint.h>

#define SS_SHA256_LEN 32

struct ss_sha256 {
    uint32_t h[8];
    uint64_t total; /* bytes hashed so far */
    uint8_t buf[64];
    size_t used;
};

void ss_sha256_init(struct ss_sha256 *c);
void ss_sha256_update(struct ss_sha256 *c, const void *data, size_t len);
void ss_sha256_final(struct ss_sha256 *c, uint8_t out[SS_SHA256_LEN]);
void ss_sha256(const void *data, size_t len, uint8_t out[SS_SHA256_LEN]);

struct ss_hmac {
    struct ss_sha256 inner, outer;
};
void ss_hmac_init(struct ss_hmac *h, const void *key, size_t keylen);
void ss_hmac_update(struct ss_hmac *h, const void *data, size_t len);
void ss_hmac_final(struct ss_hmac *h, uint8_t out[SS_SHA256_LEN]);

#endif
