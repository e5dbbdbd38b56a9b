/* shared-state-async's TCP 3490 framing (upstream spec §2.2), byte for byte:
 *
 *   client -> server  u32 BE version (1)
 *   server -> client  u32 BE version (1); a mismatch closes silently
 *   client -> server  u32 BE version echo
 *   client -> server  message: u8 name_len | name | u32 BE json_len | json
 *   server -> client  u32 BE ack = bytes of the message read (1 + name_len + 4 + json_len)
 *   server -> client  message (its table)
 *   client -> server  u32 BE ack
 *
 * name_len is 1..128; json_len is 2..max (1 MiB upstream).
 *
 * Optional community key: the JSON's closing brace is replaced by
 * `,"ssHmac":"<64 hex>"}`, the HMAC-SHA256 over (name_len byte, name, JSON as it was
 * before the trailer). Upstream ignores unknown members, so signed messages still parse
 * there; with a key set, messages without a valid trailer are rejected. */
#ifndef SS_WIRE_H
#define SS_WIRE_H

#include <stddef.h>
#include <stdint.h>

#define SS_PROTO_VERSION 1u
#define SS_PORT 3490
#define SS_JSON_MIN 2u
#define SS_AUTH_TRAILER_LEN 77u /* ,"ssHmac":"<64 hex>"} */

static inline void ss_put_u32(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)(v >> 24);
    p[1] = (uint8_t)(v >> 16);
    p[2] = (uint8_t)(v >> 8);
    p[3] = (uint8_t)v;
}

static inline uint32_t ss_get_u32(const uint8_t *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

enum ss_frame_status {
    SS_FRAME_BAD = -1,  /* name length 0 or > 128, JSON shorter than 2 or longer than max */
    SS_FRAME_NEED = 0,  /* incomplete: *need says how many bytes the frame needs at least */
    SS_FRAME_OK = 1,
};

struct ss_frame {
    const char *name; /* not NUL-terminated */
    size_t name_len;
    const char *json; /* not NUL-terminated */
    size_t json_len;
    size_t total; /* bytes of the whole frame = the value of its ack */
};

enum ss_frame_status ss_frame_parse(const uint8_t *buf, size_t len, size_t max_json,
                                    struct ss_frame *f, size_t *need);
/* Encodes a frame into a malloc'ed buffer; NULL if name or json length is out of range. */
uint8_t *ss_frame_encode(const char *name, const char *json, size_t json_len, size_t *out_len);

/* Appends the auth trailer: json (ending in '}') of json_len bytes -> new malloc'ed text. */
char *ss_auth_sign(const void *key, size_t keylen, const char *name, const char *json,
                   size_t json_len, size_t *out_len);
/* Checks and strips the trailer in place (json must be writable). Returns the new
 * length of the JSON without trailer, or -1 if missing or wrong. */
long ss_auth_verify(const void *key, size_t keylen, const char *name, char *json,
                    size_t json_len);

#endif
