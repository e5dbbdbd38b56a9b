/* Framing and the auth trailer of the TCP 3490 protocol (see wire.h). */
#include "wire.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "sha256.h"
#include "store.h"

enum ss_frame_status ss_frame_parse(const uint8_t *buf, size_t len, size_t max_json,
                                    struct ss_frame *f, size_t *need)
{
    *need = 1;
    if (len < 1)
        return SS_FRAME_NEED;
    size_t nl = buf[0];
    if (nl == 0 || nl > SS_TYPE_NAME_MAX)
        return SS_FRAME_BAD;
    *need = 1 + nl + 4;
    if (len < *need)
        return SS_FRAME_NEED;
    size_t jl = ss_get_u32(buf + 1 + nl);
    if (jl < SS_JSON_MIN || jl > max_json)
        return SS_FRAME_BAD;
    *need = 1 + nl + 4 + jl;
    if (len < *need)
        return SS_FRAME_NEED;
    f->name = (const char *)buf + 1;
    f->name_len = nl;
    f->json = (const char *)buf + 1 + nl + 4;
    f->json_len = jl;
    f->total = *need;
    return SS_FRAME_OK;
}

uint8_t *ss_frame_encode(const char *name, const char *json, size_t json_len, size_t *out_len)
{
    size_t nl = strlen(name);
    if (nl == 0 || nl > SS_TYPE_NAME_MAX || json_len < SS_JSON_MIN || json_len > UINT32_MAX)
        return NULL;
    uint8_t *b = malloc(1 + nl + 4 + json_len);
    if (!b)
        return NULL;
    b[0] = (uint8_t)nl;
    memcpy(b + 1, name, nl);
    ss_put_u32(b + 1 + nl, (uint32_t)json_len);
    memcpy(b + 1 + nl + 4, json, json_len);
    *out_len = 1 + nl + 4 + json_len;
    return b;
}

static void mac(const void *key, size_t keylen, const char *name, const char *json, size_t len,
                uint8_t out[SS_SHA256_LEN])
{
    struct ss_hmac h;
    uint8_t nl = (uint8_t)strlen(name);
    ss_hmac_init(&h, key, keylen);
    ss_hmac_update(&h, &nl, 1);
    ss_hmac_update(&h, name, nl);
    ss_hmac_update(&h, json, len);
    ss_hmac_final(&h, out);
}

static const char trailer_head[] = ",\"ssHmac\":\"";

char *ss_auth_sign(const void *key, size_t keylen, const char *name, const char *json,
                   size_t json_len, size_t *out_len)
{
    if (json_len < SS_JSON_MIN || json[json_len - 1] != '}')
        return NULL;
    uint8_t d[SS_SHA256_LEN];
    mac(key, keylen, name, json, json_len, d);
    char *out = malloc(json_len - 1 + SS_AUTH_TRAILER_LEN + 1);
    if (!out)
        return NULL;
    memcpy(out, json, json_len - 1);
    char *p = out + json_len - 1;
    memcpy(p, trailer_head, sizeof trailer_head - 1);
    p += sizeof trailer_head - 1;
    static const char hex[] = "0123456789abcdef";
    for (int i = 0; i < SS_SHA256_LEN; i++) {
        *p++ = hex[d[i] >> 4];
        *p++ = hex[d[i] & 15];
    }
    *p++ = '"';
    *p++ = '}';
    *p = 0;
    *out_len = (size_t)(p - out);
    return out;
}

static int unhex(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    return -1;
}

long ss_auth_verify(const void *key, size_t keylen, const char *name, char *json,
                    size_t json_len)
{
    if (json_len < SS_AUTH_TRAILER_LEN + 1)
        return -1;
    char *t = json + json_len - SS_AUTH_TRAILER_LEN;
    if (memcmp(t, trailer_head, sizeof trailer_head - 1) != 0 || json[json_len - 2] != '"' ||
        json[json_len - 1] != '}')
        return -1;
    uint8_t got[SS_SHA256_LEN];
    const char *h = t + sizeof trailer_head - 1;
    for (int i = 0; i < SS_SHA256_LEN; i++) {
        int hi = unhex(h[2 * i]), lo = unhex(h[2 * i + 1]);
        if (hi < 0 || lo < 0)
            return -1;
        got[i] = (uint8_t)(hi << 4 | lo);
    }
    *t = '}';
    size_t plain = json_len - SS_AUTH_TRAILER_LEN + 1;
    uint8_t want[SS_SHA256_LEN];
    mac(key, keylen, name, json, plain, want);
    uint8_t diff = 0;
    for (int i = 0; i < SS_SHA256_LEN; i++)
        diff |= got[i] ^ want[i];
    if (diff) {
        *t = ','; /* leave the buffer as it was */
        return -1;
    }
    return (long)plain;
}
