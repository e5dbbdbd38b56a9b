/* Fuzzes what lime-sim's lab agent and client do with received bytes: the control
 * channel's frame decoder, fed in pieces, and the argument lists of run/tunnel frames. */
#include <stdint.h>
#include <stdlib.h>

#include "chan.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct sim_chan_rx rx;
    sim_chan_rx_init(&rx);
    size_t off = 0, step = size ? (size_t)data[0] % 7 + 1 : 1;
    while (off < size) {
        size_t n = size - off < step ? size - off : step;
        if (sim_chan_feed(&rx, data + off, n) < 0)
            break;
        off += n;
        struct sim_frame f;
        int r;
        while ((r = sim_chan_next(&rx, &f)) == 1) {
            char *args[130], *store;
            if (f.type == SIM_F_RUN || f.type == SIM_F_TUNNEL) {
                int argc = sim_chan_split(f.data, f.len, args, 130, &store);
                if (argc >= 0)
                    free(store);
            }
        }
        if (r < 0)
            break;
    }
    const unsigned char *p;
    (void)sim_chan_pending(&rx, &p);
    sim_chan_rx_free(&rx);
    return 0;
}
