/* libFuzzer harness for the babeld seam's parser: any bytes, as lines babeld's local
 * socket could send, applied to a state keep it within its bounds, with every object
 * keyed once and named by non-empty text. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "babel.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static struct lime_babel_state s;
    memset(&s, 0, sizeof(s));
    char line[2048];
    size_t i = 0;
    while (i < size) {
        size_t n = 0;
        while (i < size && data[i] != '\n') {
            if (n < sizeof(line) - 1)
                line[n++] = (char)data[i];
            i++;
        }
        i++;
        line[n] = 0;
        lime_babel_apply_line(&s, line);
    }
    if (s.n_neigh < 0 || s.n_neigh > LIME_BABEL_MAX_NEIGH || s.n_route < 0 ||
        s.n_route > LIME_BABEL_MAX_ROUTES || s.n_xroute < 0 || s.n_xroute > LIME_BABEL_MAX_XROUTES)
        abort();
    for (int a = 0; a < s.n_neigh; a++) {
        if (!s.neigh[a].address[0])
            abort();
        for (int b = a + 1; b < s.n_neigh; b++)
            if (!strcmp(s.neigh[a].key, s.neigh[b].key))
                abort();
    }
    for (int a = 0; a < s.n_route; a++) {
        if (!s.route[a].prefix[0])
            abort();
        for (int b = a + 1; b < s.n_route; b++)
            if (!strcmp(s.route[a].key, s.route[b].key))
                abort();
    }
    lime_babel_installed(&s, "0.0.0.0/0");
    lime_babel_exports_default(&s);
    for (int a = 0; a < s.n_neigh; a++) {
        lime_babel_quality(&s.neigh[a]);
        lime_babel_neigh_id(&s, s.neigh[a].address);
    }
    return 0;
}
