/* Fuzzes the stateSlice JSON intake: parse, merge, re-encode, and parse the encoding
 * again (it must always parse and hold as many entries as the table). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "slice.h"
#include "store.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    lime_log_init("fuzz", LIME_LOG_ERR);
    struct ss_store *st = ss_store_new("me", NULL);
    ss_store_register(st, "t", NULL, 100, 10);
    struct ss_type *t = ss_store_type(st, "t");
    struct ss_slice s;
    char err[128];
    if (ss_slice_parse((const char *)data, size, &s, err, sizeof err) == 0) {
        for (size_t i = 0; i < s.n; i++)
            ss_store_merge(st, t, &s.copies[i], true, 1000);
        ss_slice_free(&s);
        size_t len, count;
        int trunc;
        char *j = ss_slice_encode(t, 0, 0, 0, 1000, 1u << 24, &len, &count, &trunc);
        if (j) {
            struct ss_slice again;
            if (ss_slice_parse(j, len, &again, err, sizeof err) != 0 || again.n != count ||
                count != t->n)
                abort();
            ss_slice_free(&again);
            free(j);
        }
    }
    ss_store_free(st);
    return 0;
}
