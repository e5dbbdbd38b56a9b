/* libFuzzer harness for the UCI reader/writer: any bytes either fail to parse cleanly
 * or round-trip: parse(write(parse(x))) == parse(x), and writing is stable. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "uci.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct lime_uci_error err;
    struct lime_uci_package *p = lime_uci_parse("fuzz", (const char *)data, size, "fuzz", &err);
    if (!p)
        return 0;
    size_t len;
    char *text = lime_uci_write(p, &len);
    if (!text)
        abort();
    struct lime_uci_package *q = lime_uci_parse("fuzz", text, len, "written", &err);
    if (!q) {
        char buf[512];
        fprintf(stderr, "written text does not parse: %s\n---\n%s---\n",
                lime_uci_error_format(&err, buf, sizeof buf), text);
        abort();
    }
    if (!lime_uci_equal(p, q)) {
        fprintf(stderr, "round trip changed the package:\n---\n%s---\n", text);
        abort();
    }
    char *again = lime_uci_write(q, NULL);
    if (!again || strcmp(again, text)) {
        fprintf(stderr, "writer not stable\n");
        abort();
    }
    free(again);
    free(text);
    lime_uci_free(q);
    lime_uci_free(p);
    return 0;
}
