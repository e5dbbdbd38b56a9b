/* Fuzz harness: the kernel seam's batman-adv reply parsers (src/core/nl_batadv_parse.c).
 * Byte 0 picks what the bytes after it are parsed as (a GET_MESH/GET_HARDIF reply, or one
 * of the table dumps); the rest are netlink messages as the kernel would send them. Any
 * bytes must parse or be refused, never crash or read outside the buffer; every entry
 * parsed has its address and a NUL-terminated interface name. */
#include "nl.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    unsigned what = data[0] % (LIME_BATADV_TABLES + 1);
    size--;
    /* the kernel's buffers are aligned; so is this copy (netlink headers are read
     * in place) */
    void *buf = malloc(size ? size : 1);
    if (!buf)
        return 0;
    memcpy(buf, data + 1, size);
    if (what == LIME_BATADV_TABLES) {
        struct lime_nl_batadv_info in;
        if (lime_nl_batadv_parse_info(buf, size, &in) >= 0 &&
            (memchr(in.algo, 0, sizeof(in.algo)) == NULL || memchr(in.version, 0, sizeof(in.version)) == NULL))
            abort();
    } else {
        struct lime_nl_batadv_entry *v = NULL;
        size_t n = 0, cap = 0;
        int r = lime_nl_batadv_parse_dump(buf, size, what, &v, &n, &cap);
        if (r >= 0 && n > (size_t)r)
            abort(); /* at most one entry per message */
        for (size_t i = 0; i < n; i++)
            if (!memchr(v[i].hard_ifname, 0, sizeof(v[i].hard_ifname)) || v[i].tq > 255 ||
                v[i].hard_ifindex < 0)
                abort();
        free(v);
    }
    free(buf);
    return 0;
}
