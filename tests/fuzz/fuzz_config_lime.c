/* Fuzz harness: a lime-* file (lime-node, lime-community, ...) through lime-config's
 * loader checks (UCI parse, section types, templates, and the raw-text line finder used
 * for file:line messages). Any input must give 0 or an error message, never a crash. */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "ctx.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct plan_error err;
    if (plan_conf_check_text("lime-node", (const char *)data, size, &err) < 0 && !err.msg[0])
        __builtin_trap(); /* an error must say what */
    for (size_t i = 0; i + 1 < size && i < 256; i++) /* templates on arbitrary values */
        if (data[i] == '%') {
            char v[64];
            size_t n = size - i < sizeof v - 1 ? size - i : sizeof v - 1;
            memcpy(v, data + i, n);
            v[n] = '\0';
            (void)plan_template_check(v, data[0] & 1, data[0] & 2);
            break;
        }
    return 0;
}
