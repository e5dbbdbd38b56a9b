/* LibreMesh ids: md5 of the text plus the newline `echo` adds. */
#include "hash.h"

#include <stdio.h>
#include <string.h>

#include "md5.h"

static void id_fill(struct lime_md5 *ctx, struct lime_id *id)
{
    static const char digits[] = "0123456789abcdef";
    lime_md5_update(ctx, "\n", 1);
    lime_md5_final(ctx, id->byte);
    for (int i = 0; i < 16; i++) {
        id->hex[2 * i] = digits[id->byte[i] >> 4];
        id->hex[2 * i + 1] = digits[id->byte[i] & 15];
    }
    id->hex[32] = 0;
}

void lime_id_of(const char *text, struct lime_id *id)
{
    struct lime_md5 ctx;
    lime_md5_init(&ctx);
    lime_md5_update(&ctx, text, strlen(text));
    id_fill(&ctx, id);
}

void lime_id_of_mac(const uint8_t mac[6], struct lime_id *id)
{
    char mac12[13];
    snprintf(mac12, sizeof mac12, "%02x%02x%02x%02x%02x%02x", mac[0], mac[1], mac[2], mac[3],
             mac[4], mac[5]);
    lime_id_of(mac12, id);
}

const char *lime_id_hex(const struct lime_id *id, int n, char out[3])
{
    if (n < 1 || n > 16) {
        out[0] = 0;
        return out;
    }
    out[0] = id->hex[2 * (n - 1)];
    out[1] = id->hex[2 * (n - 1) + 1];
    out[2] = 0;
    return out;
}

unsigned lime_id_dec(const struct lime_id *id, int n)
{
    return (n < 1 || n > 16) ? 0 : id->byte[n - 1];
}
