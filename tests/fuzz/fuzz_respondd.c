/* libFuzzer harness for limed's respondd request parser (ld_respondd_parse): any
 * datagram is either a request (one to three known types, no repeats) or refused; an
 * accepted GET's answer path is exercised through the raw-DEFLATE encoder, whose output
 * must inflate back to the input. */
#include "respondd.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct ld_respondd_request req;
    if (ld_respondd_parse(data, size, &req) < 0)
        return 0;
    if (req.n < 1 || req.n > LD_RD_COUNT || (!req.multi && req.n != 1))
        abort();
    for (int i = 0; i < req.n; i++) {
        if (req.types[i] >= LD_RD_COUNT)
            abort();
        for (int j = 0; j < i; j++)
            if (req.types[i] == req.types[j])
                abort();
    }
    if (!req.multi)
        return 0;
    size_t clen = 0;
    unsigned char *c = ld_respondd_deflate((const char *)data, size, &clen);
    if (!c)
        abort();
    unsigned char *back = malloc(size + 1);
    z_stream z;
    memset(&z, 0, sizeof(z));
    if (!back || inflateInit2(&z, -15) != Z_OK)
        abort();
    z.next_in = c;
    z.avail_in = (uInt)clen;
    z.next_out = back;
    z.avail_out = (uInt)size + 1;
    if (inflate(&z, Z_FINISH) != Z_STREAM_END || z.total_out != size || memcmp(back, data, size))
        abort();
    inflateEnd(&z);
    free(back);
    free(c);
    return 0;
}
