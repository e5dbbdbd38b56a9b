#include "topology.h"

#include <errno.h>
#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void sim_state_free(struct sim_state *st)
{
    free(st->nodes);
    free(st->links);
    free(st->clients);
    st->nodes = NULL;
    st->links = NULL;
    st->clients = NULL;
    st->n_nodes = st->n_links = st->n_clients = 0;
}

bool sim_name_valid(const char *name)
{
    size_t n = strlen(name);
    if (n == 0 || n >= SIM_NAME_MAX)
        return false;
    for (size_t i = 0; i < n; i++) {
        char c = name[i];
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')))
            return false;
    }
    return true;
}

int sim_node_find(const struct sim_state *st, const char *name)
{
    for (int i = 0; i < st->n_nodes; i++)
        if (strcmp(st->nodes[i].name, name) == 0)
            return i;
    return -1;
}

int sim_client_find(const struct sim_state *st, const char *name)
{
    for (int i = 0; i < st->n_clients; i++)
        if (strcmp(st->clients[i].name, name) == 0)
            return i;
    return -1;
}

int sim_link_find(const struct sim_state *st, int a, int b)
{
    if (a > b) {
        int t = a;
        a = b;
        b = t;
    }
    for (int i = 0; i < st->n_links; i++)
        if (st->links[i].a == a && st->links[i].b == b)
            return i;
    return -1;
}

int sim_link_add(struct sim_state *st, int a, int b, int loss_pct)
{
    if (a == b || sim_link_find(st, a, b) >= 0)
        return -1;
    struct sim_link *l = realloc(st->links, (size_t)(st->n_links + 1) * sizeof(*l));
    if (!l)
        abort();
    st->links = l;
    l[st->n_links] = (struct sim_link){.a = a < b ? a : b, .b = a < b ? b : a, .loss_pct = loss_pct};
    return st->n_links++;
}

static int add_node(struct sim_state *st, const char *name)
{
    int i = sim_node_find(st, name);
    if (i >= 0)
        return i;
    struct sim_node *n = realloc(st->nodes, (size_t)(st->n_nodes + 1) * sizeof(*n));
    if (!n)
        abort();
    st->nodes = n;
    memset(&n[st->n_nodes], 0, sizeof(*n));
    snprintf(n[st->n_nodes].name, SIM_NAME_MAX, "%s", name);
    snprintf(n[st->n_nodes].ssid, SIM_SSID_MAX, "%s", SIM_DEFAULT_SSID);
    n[st->n_nodes].ap_bit = -1;
    return st->n_nodes++;
}

static void add_numbered(struct sim_state *st, int count)
{
    char name[SIM_NAME_MAX];
    for (int i = 1; i <= count; i++) {
        snprintf(name, sizeof(name), "n%d", i);
        add_node(st, name);
    }
}

/* Parses a whole decimal number in [1, max]; -1 otherwise. */
static long parse_count(const char *s, char **end, long max)
{
    errno = 0;
    if (*s < '0' || *s > '9')
        return -1;
    long v = strtol(s, end, 10);
    if (errno || v < 1 || v > max)
        return -1;
    return v;
}

/* A small deterministic generator so random:N is the same on every machine. */
static unsigned next_rand(unsigned *s)
{
    *s = *s * 1103515245u + 12345u;
    return (*s >> 16) & 0x7fff;
}

static int fail(struct sim_state *st, char *err, size_t errlen, const char *msg, const char *arg)
{
    snprintf(err, errlen, "%s: %s", arg, msg);
    sim_state_free(st);
    return -1;
}

int sim_topology_parse(const char *spec, unsigned seed, struct sim_state *st, char *err,
                       size_t errlen)
{
    char *end = NULL;
    long n, w, h;
    if (strncmp(spec, "line:", 5) == 0 || strncmp(spec, "ring:", 5) == 0) {
        bool ring = spec[0] == 'r';
        n = parse_count(spec + 5, &end, SIM_MAX_NODES);
        if (n < 0 || *end)
            return fail(st, err, errlen, "expected a node count 1..1000 after ':'", spec);
        if (ring && n < 3)
            return fail(st, err, errlen, "a ring needs at least 3 nodes", spec);
        add_numbered(st, (int)n);
        for (int i = 0; i + 1 < n; i++)
            sim_link_add(st, i, i + 1, 0);
        if (ring)
            sim_link_add(st, 0, (int)n - 1, 0);
        return 0;
    }
    if (strncmp(spec, "grid:", 5) == 0) {
        w = parse_count(spec + 5, &end, SIM_MAX_NODES);
        if (w < 0 || *end != 'x')
            return fail(st, err, errlen, "expected grid:WxH", spec);
        h = parse_count(end + 1, &end, SIM_MAX_NODES);
        if (h < 0 || *end || w * h > SIM_MAX_NODES)
            return fail(st, err, errlen, "expected grid:WxH with W*H <= 1000", spec);
        add_numbered(st, (int)(w * h));
        for (int y = 0; y < h; y++)
            for (int x = 0; x < w; x++) {
                int i = (int)(y * w + x);
                if (x + 1 < w)
                    sim_link_add(st, i, i + 1, 0);
                if (y + 1 < h)
                    sim_link_add(st, i, i + (int)w, 0);
            }
        return 0;
    }
    if (strncmp(spec, "random:", 7) == 0) {
        n = parse_count(spec + 7, &end, SIM_MAX_NODES);
        if (n < 0 || *end)
            return fail(st, err, errlen, "expected a node count 1..1000 after ':'", spec);
        add_numbered(st, (int)n);
        unsigned s = seed;
        /* A random spanning tree keeps the mesh connected; n/2 extra links add loops. */
        for (int i = 1; i < n; i++)
            sim_link_add(st, i, (int)(next_rand(&s) % (unsigned)i), 0);
        for (int k = 0, tries = 0; k < n / 2 && tries < 20 * n; tries++) {
            int a = (int)(next_rand(&s) % (unsigned)n), b = (int)(next_rand(&s) % (unsigned)n);
            if (sim_link_add(st, a, b, 0) >= 0)
                k++;
        }
        return 0;
    }
    FILE *f = fopen(spec, "r");
    if (!f) {
        snprintf(err, errlen, "%s: not line:N, ring:N, grid:WxH, random:N, nor a readable JSON file (%s)",
                 spec, strerror(errno));
        return -1;
    }
    size_t cap = 1 << 16, len = 0;
    char *text = malloc(cap);
    if (!text)
        abort();
    for (size_t r; (r = fread(text + len, 1, cap - len - 1, f)) > 0;) {
        len += r;
        if (len + 1 == cap) {
            cap *= 2;
            if (!(text = realloc(text, cap)))
                abort();
        }
    }
    fclose(f);
    text[len] = 0;
    int rc = sim_topology_parse_json(text, spec, st, err, errlen);
    free(text);
    return rc;
}

/* Line number (1-based) of byte offset off in text. */
static int line_of(const char *text, size_t off)
{
    int line = 1;
    for (size_t i = 0; i < off && text[i]; i++)
        line += text[i] == '\n';
    return line;
}

/* JSON values lose their position once parsed, so semantic errors name the element:
 * "FILE:1: links[3]: expected ...". */
static int jfail(struct sim_state *st, char *err, size_t errlen, const char *fname,
                 const char *where, int idx, const char *msg)
{
    snprintf(err, errlen, "%s:1: %s[%d]: %s", fname, where, idx, msg);
    sim_state_free(st);
    return -1;
}

static const char *node_id(json_object *o, char *buf, size_t len)
{
    if (json_object_is_type(o, json_type_string))
        return json_object_get_string(o);
    if (json_object_is_type(o, json_type_int)) {
        snprintf(buf, len, "%lld", (long long)json_object_get_int64(o));
        return buf;
    }
    return NULL;
}

int sim_topology_parse_json(const char *text, const char *fname, struct sim_state *st,
                            char *err, size_t errlen)
{
    json_tokener *tok = json_tokener_new();
    json_object *root = json_tokener_parse_ex(tok, text, (int)strlen(text));
    enum json_tokener_error jerr = json_tokener_get_error(tok);
    if (!root || jerr != json_tokener_success) {
        snprintf(err, errlen, "%s:%d: expected JSON: %s", fname,
                 line_of(text, json_tokener_get_parse_end(tok)),
                 jerr == json_tokener_success ? "empty document" : json_tokener_error_desc(jerr));
        json_tokener_free(tok);
        json_object_put(root);
        return -1;
    }
    json_tokener_free(tok);
    int rc = -1;
    json_object *links, *nodes;
    char b1[32], b2[32];
    if (!json_object_is_type(root, json_type_object) ||
        !json_object_object_get_ex(root, "links", &links) ||
        !json_object_is_type(links, json_type_array)) {
        snprintf(err, errlen, "%s:1: expected an object with a \"links\" array", fname);
        goto out;
    }
    /* Nodes listed under "nodes" come first, in their order; then nodes only named by links. */
    if (json_object_object_get_ex(root, "nodes", &nodes)) {
        if (!json_object_is_type(nodes, json_type_array)) {
            snprintf(err, errlen, "%s:1: \"nodes\" must be an array", fname);
            goto out;
        }
        for (size_t i = 0; i < json_object_array_length(nodes); i++) {
            json_object *n = json_object_array_get_idx(nodes, i), *v;
            const char *id = NULL;
            if (json_object_is_type(n, json_type_object) &&
                (json_object_object_get_ex(n, "id", &v) || json_object_object_get_ex(n, "name", &v)))
                id = node_id(v, b1, sizeof(b1));
            if (!id || !sim_name_valid(id) || sim_node_find(st, id) >= 0) {
                rc = jfail(st, err, errlen, fname, "nodes", (int)i,
                           "expected {\"id\": unique name of 1-23 letters/digits, ...}");
                goto out;
            }
            int k = add_node(st, id);
            if (json_object_object_get_ex(n, "ssid", &v)) {
                const char *s = json_object_get_string(v);
                if (!json_object_is_type(v, json_type_string) || !*s || strlen(s) >= SIM_SSID_MAX) {
                    rc = jfail(st, err, errlen, fname, "nodes", (int)i, "\"ssid\": expected a string of 1-32 bytes");
                    goto out;
                }
                snprintf(st->nodes[k].ssid, SIM_SSID_MAX, "%s", s);
            }
            if (json_object_object_get_ex(n, "gateway", &v)) {
                if (!json_object_is_type(v, json_type_boolean)) {
                    rc = jfail(st, err, errlen, fname, "nodes", (int)i, "\"gateway\": expected true or false");
                    goto out;
                }
                st->nodes[k].gateway = json_object_get_boolean(v);
            }
        }
    }
    for (size_t i = 0; i < json_object_array_length(links); i++) {
        json_object *l = json_object_array_get_idx(links, i), *s = NULL, *t = NULL, *v;
        const char *src = NULL, *dst = NULL;
        if (json_object_is_type(l, json_type_object) && json_object_object_get_ex(l, "source", &s) &&
            json_object_object_get_ex(l, "target", &t)) {
            src = node_id(s, b1, sizeof(b1));
            dst = node_id(t, b2, sizeof(b2));
        }
        if (!src || !dst || !sim_name_valid(src) || !sim_name_valid(dst) || !strcmp(src, dst)) {
            rc = jfail(st, err, errlen, fname, "links", (int)i,
                       "expected {\"source\": name, \"target\": other name} (names: 1-23 letters/digits)");
            goto out;
        }
        int loss = 0;
        if (json_object_object_get_ex(l, "loss", &v)) {
            double d = json_object_get_double(v);
            if (!(json_object_is_type(v, json_type_int) || json_object_is_type(v, json_type_double)) ||
                d < 0 || d > 100) {
                rc = jfail(st, err, errlen, fname, "links", (int)i, "\"loss\": expected a percentage 0..100");
                goto out;
            }
            loss = (int)(d + 0.5);
        }
        if (st->n_nodes >= SIM_MAX_NODES - 1) {
            rc = jfail(st, err, errlen, fname, "links", (int)i, "more than 1000 nodes");
            goto out;
        }
        int a = add_node(st, src), b = add_node(st, dst);
        if (sim_link_add(st, a, b, loss) < 0) {
            rc = jfail(st, err, errlen, fname, "links", (int)i, "duplicate link");
            goto out;
        }
    }
    if (st->n_nodes == 0) {
        snprintf(err, errlen, "%s:1: expected at least one node", fname);
        goto out;
    }
    rc = 0;
out:
    if (rc < 0)
        sim_state_free(st);
    json_object_put(root);
    return rc;
}
