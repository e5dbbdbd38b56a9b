/* The mesh's nodes; see nodes.h. */
#include "nodes.h"

#include "core/babel.h"
#include "fetch.h"
#include "limed.h"
#include "meshnames.h"
#include "sharedstate.h"
#include "core/log.h"
#include "core/loop.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#ifdef LIMED_HAVE_STATE
#include "service.h"
#endif

#define MAX_NODES 256
#define REFRESH_MS 5000
#define HOSTNAME_RETRY_S 20 /* a renamed node shows its new name within this */

struct node {
    char ip[64], id[32], hostname[64];
    char via[64]; /* link-local address of the neighbour the route goes through */
    time_t last_seen;    /* wall clock, for "gone since" */
    time_t asked;        /* last hostname request */
    bool online, gateway, pending;
    int metric;
};

static struct node nodes[MAX_NODES];
static int n_nodes;
static struct lime_timer *timer;
static bool dirty;

static struct node *find(const char *ip)
{
    for (int i = 0; i < n_nodes; i++)
        if (!strcmp(nodes[i].ip, ip))
            return &nodes[i];
    return NULL;
}

static void save(struct ld_ctx *ctx)
{
    char dir[512], path[600];
    ld_path(ctx, "/var/lib/limed", dir, sizeof(dir));
    mkdir(ld_path(ctx, "/var", path, sizeof(path)), 0755);
    mkdir(ld_path(ctx, "/var/lib", path, sizeof(path)), 0755);
    mkdir(dir, 0755);
    snprintf(path, sizeof(path), "%s/nodes.json", dir);
    json_object *a = json_object_new_array();
    for (int i = 0; i < n_nodes; i++) {
        json_object *o = json_object_new_object();
        json_object_object_add(o, "ip", json_object_new_string(nodes[i].ip));
        json_object_object_add(o, "id", json_object_new_string(nodes[i].id));
        json_object_object_add(o, "hostname", json_object_new_string(nodes[i].hostname));
        json_object_object_add(o, "last_seen", json_object_new_int64(nodes[i].last_seen));
        json_object_array_add(a, o);
    }
    const char *s = json_object_to_json_string_ext(a, JSON_C_TO_STRING_PLAIN);
    lime_write_file_atomic(path, s, strlen(s), 0644);
    json_object_put(a);
    dirty = false;
}

static void load(struct ld_ctx *ctx)
{
    char path[512];
    json_object *a = json_object_from_file(ld_path(ctx, "/var/lib/limed/nodes.json", path,
                                                   sizeof(path)));
    if (!a || !json_object_is_type(a, json_type_array)) {
        json_object_put(a);
        return;
    }
    for (size_t i = 0; i < json_object_array_length(a) && n_nodes < MAX_NODES; i++) {
        json_object *o = json_object_array_get_idx(a, i), *v;
        struct node *n = &nodes[n_nodes];
        memset(n, 0, sizeof(*n));
        if (json_object_object_get_ex(o, "ip", &v))
            ld_strlcpy(n->ip, json_object_get_string(v), sizeof(n->ip));
        if (json_object_object_get_ex(o, "id", &v))
            ld_strlcpy(n->id, json_object_get_string(v), sizeof(n->id));
        if (json_object_object_get_ex(o, "hostname", &v))
            ld_strlcpy(n->hostname, json_object_get_string(v), sizeof(n->hostname));
        if (json_object_object_get_ex(o, "last_seen", &v))
            n->last_seen = json_object_get_int64(v);
        if (n->ip[0] && !find(n->ip))
            n_nodes++;
    }
    json_object_put(a);
}

struct ask {
    struct ld_ctx *ctx;
    char ip[64];
};

static void on_hostname(int status, const char *body, size_t len, void *arg)
{
    struct ask *a = arg;
    struct node *n = find(a->ip);
    if (n) {
        n->pending = false;
        if (status == 200 && body) {
            char name[64];
            size_t k = 0;
            for (size_t i = 0; i < len && k + 1 < sizeof(name); i++) {
                unsigned char c = (unsigned char)body[i];
                if (c == '\n' || c == '\r')
                    break;
                if (isalnum(c) || c == '-' || c == '_' || c == '.')
                    name[k++] = (char)c;
            }
            name[k] = 0;
            if (k && strcmp(name, n->hostname)) {
                ld_strlcpy(n->hostname, name, sizeof(n->hostname));
                dirty = true;
            }
        }
    }
    free(a);
}

static void ask_hostname(struct ld_ctx *ctx, struct node *n)
{
    time_t now = time(NULL);
    if (n->pending || (n->hostname[0] && now - n->asked < HOSTNAME_RETRY_S) ||
        (!n->hostname[0] && now - n->asked < 5))
        return;
    struct ask *a = calloc(1, sizeof(*a));
    if (!a)
        return;
    a->ctx = ctx;
    ld_strlcpy(a->ip, n->ip, sizeof(a->ip));
    n->asked = now;
    if (ld_fetch(ctx, n->ip, ctx->peer_port, "/cgi-bin/hostname", on_hostname, a) == 0)
        n->pending = true;
    else
        free(a);
}

/* Nodes from shared-state's node_info ({host: {hostname, ipv4 "a.b.c.d/len"}}): inside one
 * cloud nodes have no /32 babel route, so this is how upstream's app lists them. An entry
 * that is still in the table (not aged out) is a node online, unless babeld has routed to
 * it by a /32 (then babeld decides); its name is the one it publishes. */
static void nodes_from_state(time_t now)
{
#ifdef LIMED_HAVE_STATE
    struct ss_service *ss = ld_state_current();
    int err = 0;
    json_object *t = ss ? ss_service_get(ss, "node_info", &err) : NULL;
    if (t && json_object_is_type(t, json_type_object)) {
        json_object_object_foreach(t, key, val) {
            json_object *jip, *jh;
            if (!json_object_object_get_ex(val, "ipv4", &jip) ||
                !json_object_is_type(jip, json_type_string))
                continue;
            const char *h = json_object_object_get_ex(val, "hostname", &jh) &&
                                    json_object_get_string_len(jh) > 0
                                ? json_object_get_string(jh)
                                : key;
            char ip[64];
            ld_strlcpy(ip, json_object_get_string(jip), sizeof(ip));
            char *slash = strchr(ip, '/');
            if (slash)
                *slash = 0;
            if (!ip[0])
                continue;
            struct node *n = find(ip);
            if (!n) {
                if (n_nodes == MAX_NODES)
                    continue;
                n = &nodes[n_nodes++];
                memset(n, 0, sizeof(*n));
                ld_strlcpy(n->ip, ip, sizeof(n->ip));
                n->asked = now; /* it named itself: no need to ask it */
                dirty = true;
            }
            if (strcmp(n->hostname, h)) {
                ld_strlcpy(n->hostname, h, sizeof(n->hostname));
                dirty = true;
            }
            /* babeld is the judge of nodes it routes to by /32 (router id known): their
             * node_info outlives them by up to an hour */
            if (!n->id[0]) {
                n->online = true;
                n->last_seen = now;
            }
        }
    }
    json_object_put(t);
#else
    (void)now;
#endif
}

/* The node(s) announcing a default route, by name when babel has no /32 for them. */
static void gateways_by_name(const struct lime_babel_state *b)
{
    for (int i = 0; i < b->n_route; i++) {
        const struct lime_babel_route *r = &b->route[i];
        char name[128];
        if ((strcmp(r->prefix, "0.0.0.0/0") && strcmp(r->prefix, "::/0")) ||
            !ld_meshname_by_id(r->id, name, sizeof(name)))
            continue;
        for (int j = 0; j < n_nodes; j++)
            if (!strcmp(nodes[j].hostname, name))
                nodes[j].gateway = true;
    }
}

void ld_nodes_refresh(struct ld_ctx *ctx)
{
    const struct lime_babel_state *b = lime_babel_state(ctx->babel);
    time_t now = time(NULL);
    for (int i = 0; i < n_nodes; i++) {
        nodes[i].online = false;
        nodes[i].gateway = false;
    }
    for (int i = 0; i < b->n_route; i++) {
        const struct lime_babel_route *r = &b->route[i];
        size_t pl = strlen(r->prefix);
        if (!r->installed || pl < 4 || strcmp(r->prefix + pl - 3, "/32") || !strchr(r->prefix, '.'))
            continue;
        char ip[64];
        snprintf(ip, sizeof(ip), "%.*s", (int)(pl - 3), r->prefix);
        struct node *n = find(ip);
        if (!n) {
            if (n_nodes == MAX_NODES)
                continue;
            n = &nodes[n_nodes++];
            memset(n, 0, sizeof(*n));
            ld_strlcpy(n->ip, ip, sizeof(n->ip));
            dirty = true;
        }
        if (strcmp(n->id, r->id)) {
            ld_strlcpy(n->id, r->id, sizeof(n->id));
            dirty = true;
        }
        n->online = true;
        n->metric = r->metric;
        ld_strlcpy(n->via, r->via, sizeof(n->via));
        n->last_seen = now;
    }
    for (int i = 0; i < b->n_route; i++) {
        const struct lime_babel_route *r = &b->route[i];
        if (strcmp(r->prefix, "0.0.0.0/0") && strcmp(r->prefix, "::/0"))
            continue;
        for (int j = 0; j < n_nodes; j++)
            if (!strcmp(nodes[j].id, r->id))
                nodes[j].gateway = true;
    }
    nodes_from_state(now);
    gateways_by_name(b);
    for (int i = 0; i < n_nodes; i++)
        if (nodes[i].online)
            ask_hostname(ctx, &nodes[i]);
    if (dirty)
        save(ctx);
}

static void on_timer(void *arg)
{
    struct ld_ctx *ctx = arg;
    timer = NULL;
    ld_nodes_refresh(ctx);
    timer = lime_timer_add(ctx->loop, REFRESH_MS, on_timer, ctx);
}

int ld_nodes_start(struct ld_ctx *ctx)
{
    load(ctx);
    timer = lime_timer_add(ctx->loop, 200, on_timer, ctx);
    return timer ? 0 : -ENOMEM;
}

void ld_nodes_stop(struct ld_ctx *ctx)
{
    if (timer)
        lime_timer_cancel(ctx->loop, timer);
    timer = NULL;
    if (dirty)
        save(ctx);
    n_nodes = 0;
}

json_object *ld_nodes_json(struct ld_ctx *ctx)
{
    json_object *a = json_object_new_array();
    time_t now = time(NULL);
    for (int i = 0; i < n_nodes; i++) {
        const struct node *n = &nodes[i];
        json_object *o = json_object_new_object();
        json_object_object_add(o, "hostname", json_object_new_string(n->hostname));
        json_object_object_add(o, "ip", json_object_new_string(n->ip));
        json_object_object_add(o, "id", json_object_new_string(n->id));
        json_object_object_add(o, "online", json_object_new_boolean(n->online));
        json_object_object_add(o, "last_seen",
                               json_object_new_int64(n->online ? 0 : (int64_t)(now - n->last_seen)));
        json_object_object_add(o, "metric", json_object_new_int(n->online ? n->metric : -1));
        json_object_object_add(o, "gateway", json_object_new_boolean(n->gateway));
        json_object_object_add(o, "via", json_object_new_string(n->online ? n->via : ""));
        json_object_array_add(a, o);
    }
    return a;
}

const char *ld_nodes_hostname(struct ld_ctx *ctx, const char *key)
{
    for (int i = 0; i < n_nodes; i++)
        if ((!strcmp(nodes[i].ip, key) || !strcmp(nodes[i].id, key)) && nodes[i].hostname[0])
            return nodes[i].hostname;
    return NULL;
}

void ld_nodes_count(int *total, int *online)
{
    *total = n_nodes;
    *online = 0;
    for (int i = 0; i < n_nodes; i++)
        *online += nodes[i].online;
}
