/* Fuzzes limed's mesh graph (meshgraph.h) with shared-state tables as any node of the mesh
 * may publish them: the input is one JSON object {"node_info": …, "babel_links_info": …,
 * "bat_links_info": …, "ages": …, "self": "name"} of whatever shape. The graph must be
 * built without a crash and be consistent: links join two different existing nodes, once
 * each; exactly one node is this node, at 0 hops; every route found ends where asked. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "meshgraph.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static json_object *member(json_object *o, const char *key)
{
    json_object *v = NULL;
    return o && json_object_object_get_ex(o, key, &v) ? v : NULL;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    json_tokener *tok = json_tokener_new();
    json_object *in = json_tokener_parse_ex(tok, (const char *)data, (int)size);
    json_tokener_free(tok);
    if (!in || !json_object_is_type(in, json_type_object)) {
        json_object_put(in);
        return 0;
    }
    const char *self = json_object_get_string(member(in, "self"));
    struct ld_meshgraph *g = calloc(1, sizeof(*g));
    ld_meshgraph_build(g, self && self[0] ? self : "me", "Net", member(in, "node_info"),
                       member(in, "ages"), member(in, "babel_links_info"),
                       member(in, "bat_links_info"));
    int selves = 0;
    for (int i = 0; i < g->n_node; i++)
        if (g->node[i].self) {
            selves++;
            if (g->node[i].hops != 0)
                abort();
        }
    if (selves != 1)
        abort();
    for (int k = 0; k < g->n_link; k++) {
        const struct ld_mg_link *l = &g->link[k];
        if (l->a < 0 || l->b >= g->n_node || l->a >= l->b)
            abort();
        for (int j = 0; j < k; j++)
            if (g->link[j].a == l->a && g->link[j].b == l->b)
                abort();
    }
    int way[16];
    for (int i = 0; i < g->n_node; i++) {
        int n = ld_meshgraph_route(g, 0, i, way, 16);
        if (n > 0 && way[n - 1] != i)
            abort();
    }
    free(g);
    json_object_put(in);
    return 0;
}
