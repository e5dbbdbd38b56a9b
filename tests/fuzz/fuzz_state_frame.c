/* Fuzzes what a TCP 3490 server does with received bytes: frame parsing, the auth
 * trailer check, stateSlice parsing and merging into a store. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "slice.h"
#include "store.h"
#include "wire.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static struct ss_store *st;
    if (!st) {
        lime_log_init("fuzz", LIME_LOG_ERR);
        st = ss_store_new("me", NULL);
        ss_store_register(st, "t", NULL, 100, 10);
    }
    size_t off = 0;
    for (int round = 0; round < 4 && off < size; round++) {
        struct ss_frame f;
        size_t need;
        if (ss_frame_parse(data + off, size - off, 1u << 20, &f, &need) != SS_FRAME_OK)
            break;
        char name[SS_TYPE_NAME_MAX + 1];
        memcpy(name, f.name, f.name_len);
        name[f.name_len] = 0;
        char *json = malloc(f.json_len + 1);
        memcpy(json, f.json, f.json_len);
        json[f.json_len] = 0;
        size_t len = f.json_len;
        if (round & 1) {
            long plain = ss_auth_verify("k", 1, name, json, len);
            if (plain >= 0)
                len = (size_t)plain;
        }
        struct ss_slice s;
        char err[128];
        if (ss_slice_parse(json, len, &s, err, sizeof err) == 0) {
            struct ss_type *t = ss_store_type(st, "t");
            for (size_t i = 0; i < s.n; i++)
                ss_store_merge(st, t, &s.copies[i], round & 2, 1000);
            ss_slice_free(&s);
        }
        free(json);
        off += f.total;
    }
    ss_store_bleach(st, 1000 + 200000); /* keep the store small across runs */
    return 0;
}
