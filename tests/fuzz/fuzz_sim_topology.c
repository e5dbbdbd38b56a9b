/* Fuzzes lime-sim's topology files (meshnet-lab's JSON: links with loss, nodes with ssid
 * and gateway), and the generated forms (line:N, grid:WxH, random:N) when the input
 * starts with no '{'. A parse either fills the state or leaves it empty with a message. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "sim.h"
#include "topology.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > 256 * 1024)
        return 0;
    char *text = malloc(size + 1);
    if (!text)
        return 0;
    memcpy(text, data, size);
    text[size] = 0;
    struct sim_state st = {0};
    char err[512];
    int r;
    if (size && text[0] != '{' && text[0] != '[' && size < 32 && !strchr(text, '/'))
        r = sim_topology_parse(text, 1, &st, err, sizeof(err)); /* line:3, grid:2x2, ... */
    else
        r = sim_topology_parse_json(text, "fuzz.json", &st, err, sizeof(err));
    if (r == 0) {
        for (int i = 0; i < st.n_links; i++)
            if (st.links[i].a < 0 || st.links[i].a >= st.n_nodes || st.links[i].b < 0 ||
                st.links[i].b >= st.n_nodes)
                abort(); /* a link to a node that is not there */
    } else if (st.n_nodes || st.n_links) {
        abort(); /* a failed parse leaves the state empty */
    }
    sim_state_free(&st);
    free(text);
    return 0;
}
