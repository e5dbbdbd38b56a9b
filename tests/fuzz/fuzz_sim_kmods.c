/* Fuzzes the lab's reading of a kernel's module index: modules.dep and modules.builtin
 * (split at the first NUL of the input), then the load order of a few modules. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "kmods.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *text = malloc(size + 1);
    if (!text)
        return 0;
    memcpy(text, data, size);
    text[size] = 0;
    size_t first = strlen(text);
    const char *builtin = first < size ? text + first + 1 : NULL;
    struct sim_kmods k;
    if (sim_kmods_parse(&k, text, builtin) == 0) {
        static const char *const names[] = {"batman-adv", "9p", "a", "x_y"};
        const char *order[32];
        int n = 0;
        char err[200];
        for (int i = 0; i < 4; i++) {
            (void)sim_kmods_has(&k, names[i]);
            (void)sim_kmods_order(&k, names[i], order, &n, 32, err, sizeof(err));
        }
        for (int i = 0; i < k.n && i < 8; i++)
            (void)sim_kmods_order(&k, k.m[i].name, order, &n, 32, err, sizeof(err));
        sim_kmods_free(&k);
    }
    free(text);
    return 0;
}
