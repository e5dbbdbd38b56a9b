/* respondd's three answers, built from the facts limed's UI and API show (see
 * respondd.h). Field names and types are those yanic reads (data/nodeinfo.go,
 * statistics.go, neighbours.go) and gluon's providers write:
 *   nodeinfo    node_id (the primary MAC, 12 hex digits: yanic drops other ids),
 *               hostname, network.mac/addresses, network.mesh.bat0.interfaces and
 *               network.mesh.babel.interfaces (hard-interface MACs and link-local
 *               addresses, which is how yanic ties a neighbour entry to a node), system
 *               .site_code (the community's SSID), location, software, hardware, vpn
 *               (true on an internet gateway: meshviewer shows it as a gateway).
 *   statistics  clients (DHCP leases of this node), uptime, load, memory, processes,
 *               rootfs_usage, traffic on the mesh interfaces, gateway (IPv4 of the
 *               gateway in use) and gateway_nexthop (link-local address of the next hop).
 *   neighbours  batadv {own hard-if MAC: {neighbours: {MAC: {tq, lastseen, best}}}} and
 *               babel {iface: {ll-addr, neighbours: {ll-addr: {rxcost, txcost, cost,
 *               reachability}}}}. */
#include "respondd.h"

#include "core/babel.h"
#include "core/uplink.h"
#include "core/batman.h"
#include "gwpath.h"
#include "limecfg.h"
#include "limed.h"
#include "core/fsutil.h"
#include "meshnames.h"
#include "metrics.h"
#include "rpc.h"

#include <arpa/inet.h>
#include <dirent.h>
#include <glob.h>
#include <ifaddrs.h>
#include <net/if.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/statvfs.h>
#include <unistd.h>

static bool read_line(const char *path, char *buf, size_t len)
{
    char *t = lime_read_file(path, 4096, NULL);
    buf[0] = 0;
    if (!t)
        return false;
    ld_strlcpy(buf, t, len);
    buf[strcspn(buf, "\n")] = 0;
    free(t);
    return buf[0] != 0;
}

static bool iface_mac(const char *ifn, char *mac, size_t len)
{
    char path[128];
    snprintf(path, sizeof(path), "/sys/class/net/%s/address", ifn);
    return read_line(path, mac, len) && strlen(mac) == 17 && strcmp(mac, "00:00:00:00:00:00");
}

/* The node's primary MAC: its primary interface's (lime network.primary_interface, as
 * LibreMesh derives the node's ids from it), else the first interface's by name. */
static void primary_mac(struct ld_ctx *ctx, char *mac, size_t len)
{
    char ifn[32];
    if (!ld_lime_get(ctx, "network", "primary_interface", false, ifn, sizeof(ifn))[0])
        ld_strlcpy(ifn, "eth0", sizeof(ifn));
    if (iface_mac(ifn, mac, len))
        return;
    mac[0] = 0;
    struct dirent **list;
    int n = scandir("/sys/class/net", &list, NULL, alphasort);
    for (int i = 0; i < n; i++) {
        if (!mac[0] && list[i]->d_name[0] != '.' && strcmp(list[i]->d_name, "lo"))
            iface_mac(list[i]->d_name, mac, len);
        free(list[i]);
    }
    if (n >= 0)
        free(list);
}

static void node_id(struct ld_ctx *ctx, char id[13])
{
    char mac[32];
    size_t k = 0;
    primary_mac(ctx, mac, sizeof(mac));
    for (const char *p = mac; *p && k < 12; p++)
        if (*p != ':')
            id[k++] = *p;
    id[k] = 0;
}

static void add_unique(char out[][16], int *n, int max, const char *name)
{
    if (!name[0] || strlen(name) >= 16 || *n >= max)
        return;
    for (int i = 0; i < *n; i++)
        if (!strcmp(out[i], name))
            return;
    ld_strlcpy(out[(*n)++], name, 16);
}

/* Babel's interfaces (lime-apply's babeld.conf, and where babel has neighbours). */
static int babel_ifaces(struct ld_ctx *ctx, char out[][16], int max)
{
    int n = 0;
    char path[512];
    char *conf = lime_read_file(ld_path(ctx, "/var/run/lime/babeld.conf", path, sizeof(path)),
                              1 << 16, NULL);
    for (char *save, *l = conf ? strtok_r(conf, "\n", &save) : NULL; l;
         l = strtok_r(NULL, "\n", &save)) {
        char ifn[32];
        if (sscanf(l, "interface %31s", ifn) == 1)
            add_unique(out, &n, max, ifn);
    }
    free(conf);
    const struct lime_babel_state *b = lime_babel_state(ctx->babel);
    for (int i = 0; i < b->n_neigh; i++)
        add_unique(out, &n, max, b->neigh[i].iface);
    return n;
}

/* batman-adv's hard interfaces: batd's, else the kernel module's (bat0's lower_*). */
static int batman_ifaces(struct ld_ctx *ctx, char out[][16], int max)
{
    int n = 0;
    json_object *ifs = lime_batman_get(ctx->batman, LIME_BATMAN_INTERFACES, 1000);
    for (size_t i = 0; ifs && json_object_is_type(ifs, json_type_array) &&
                       i < json_object_array_length(ifs); i++) {
        json_object *name;
        if (json_object_object_get_ex(json_object_array_get_idx(ifs, i), "hard_ifname", &name))
            add_unique(out, &n, max, json_object_get_string(name));
    }
    json_object_put(ifs);
    glob_t g;
    if (glob("/sys/class/net/bat0/lower_*", GLOB_NOSORT, NULL, &g) == 0) {
        for (size_t i = 0; i < g.gl_pathc; i++)
            add_unique(out, &n, max, strrchr(g.gl_pathv[i], '_') + 1);
        globfree(&g);
    }
    return n;
}

int ld_respondd_mesh_ifaces(struct ld_ctx *ctx, char out[][16], int max)
{
    int n = babel_ifaces(ctx, out, max);
    char bat[16][16];
    int nb = batman_ifaces(ctx, bat, 16);
    for (int i = 0; i < nb; i++)
        add_unique(out, &n, max, bat[i]);
    return n;
}

/* gluon's interface classes: a radio (or a VLAN on one) is wireless, tun/tap/wg a tunnel. */
static const char *iface_class(const char *ifn)
{
    char lower[32], path[160];
    ld_strlcpy(lower, ifn, sizeof(lower));
    lower[strcspn(lower, ".")] = 0;
    snprintf(path, sizeof(path), "/sys/class/net/%s/phy80211", lower);
    if (access(path, F_OK) == 0)
        return "wireless";
    snprintf(path, sizeof(path), "/sys/class/net/%s/tun_flags", lower);
    if (access(path, F_OK) == 0 || !strncmp(lower, "wg", 2))
        return "tunnel";
    return "other";
}

static bool linklocal_of(const char *ifn, char *buf, size_t len)
{
    struct ifaddrs *all, *a;
    bool found = false;
    if (getifaddrs(&all) < 0)
        return false;
    for (a = all; a && !found; a = a->ifa_next)
        if (a->ifa_addr && a->ifa_addr->sa_family == AF_INET6 && !strcmp(a->ifa_name, ifn) &&
            IN6_IS_ADDR_LINKLOCAL(&((struct sockaddr_in6 *)a->ifa_addr)->sin6_addr))
            found = inet_ntop(AF_INET6, &((struct sockaddr_in6 *)a->ifa_addr)->sin6_addr, buf,
                              (socklen_t)len) != NULL;
    freeifaddrs(all);
    return found;
}

static void class_add(json_object *classes, const char *cls, const char *value)
{
    json_object *arr;
    if (!json_object_object_get_ex(classes, cls, &arr)) {
        arr = json_object_new_array();
        json_object_object_add(classes, cls, arr);
    }
    json_object_array_add(arr, json_object_new_string(value));
}

/* {"bat0": {"interfaces": {class: [MAC]}}, "babel": {"interfaces": {class: [ll-addr]}}} */
static json_object *mesh_json(struct ld_ctx *ctx)
{
    json_object *mesh = json_object_new_object();
    char ifs[16][16], v[64];
    int n = batman_ifaces(ctx, ifs, 16);
    if (n > 0) {
        json_object *cls = json_object_new_object(), *o = json_object_new_object();
        for (int i = 0; i < n; i++)
            if (iface_mac(ifs[i], v, sizeof(v)))
                class_add(cls, iface_class(ifs[i]), v);
        json_object_object_add(o, "interfaces", cls);
        json_object_object_add(mesh, "bat0", o);
    }
    n = babel_ifaces(ctx, ifs, 16);
    if (n > 0) {
        json_object *cls = json_object_new_object(), *o = json_object_new_object();
        for (int i = 0; i < n; i++)
            if (linklocal_of(ifs[i], v, sizeof(v)))
                class_add(cls, iface_class(ifs[i]), v);
        json_object_object_add(o, "interfaces", cls);
        json_object_object_add(mesh, "babel", o);
    }
    return mesh;
}

/* The node's addresses on its LAN bridge (what the UI's Status shows first), without
 * link-local ones. */
static json_object *addresses_json(void)
{
    json_object *arr = json_object_new_array();
    struct ifaddrs *all, *a;
    if (getifaddrs(&all) < 0)
        return arr;
    for (int fam = 0; fam < 2; fam++)
        for (a = all; a; a = a->ifa_next) {
            char buf[INET6_ADDRSTRLEN];
            if (!a->ifa_addr || strcmp(a->ifa_name, "br-lan"))
                continue;
            if (fam == 0 && a->ifa_addr->sa_family == AF_INET6 &&
                !IN6_IS_ADDR_LINKLOCAL(&((struct sockaddr_in6 *)a->ifa_addr)->sin6_addr))
                inet_ntop(AF_INET6, &((struct sockaddr_in6 *)a->ifa_addr)->sin6_addr, buf, sizeof(buf));
            else if (fam == 1 && a->ifa_addr->sa_family == AF_INET)
                inet_ntop(AF_INET, &((struct sockaddr_in *)a->ifa_addr)->sin_addr, buf, sizeof(buf));
            else
                continue;
            json_object_array_add(arr, json_object_new_string(buf));
        }
    freeifaddrs(all);
    return arr;
}

static bool coord(struct ld_ctx *ctx, const char *opt, double lim, double *out)
{
    char v[64], *end;
    if (!ld_lime_get(ctx, "system", opt, false, v, sizeof(v))[0])
        return false;
    *out = strtod(v, &end);
    return end != v && !*end && *out >= -lim && *out <= lim;
}

json_object *ld_respondd_nodeinfo(struct ld_ctx *ctx)
{
    char id[13], mac[32], host[128], v[256];
    node_id(ctx, id);
    primary_mac(ctx, mac, sizeof(mac));
    json_object *o = json_object_new_object();
    json_object_object_add(o, "node_id", json_object_new_string(id));
    json_object_object_add(o, "hostname",
                           json_object_new_string(ld_rpc_hostname(ctx, host, sizeof(host))));

    json_object *net = json_object_new_object();
    json_object_object_add(net, "mac", json_object_new_string(mac));
    json_object_object_add(net, "addresses", addresses_json());
    json_object_object_add(net, "mesh", mesh_json(ctx));
    json_object_object_add(o, "network", net);

    json_object *sys = json_object_new_object();
    if (ld_lime_get(ctx, "wifi", "ap_ssid", false, v, sizeof(v))[0])
        json_object_object_add(sys, "site_code", json_object_new_string(v));
    json_object_object_add(o, "system", sys);

    double lat, lon;
    if (coord(ctx, "latitude", 90, &lat) && coord(ctx, "longitude", 180, &lon)) {
        json_object *loc = json_object_new_object();
        json_object_object_add(loc, "latitude", json_object_new_double(lat));
        json_object_object_add(loc, "longitude", json_object_new_double(lon));
        json_object_object_add(o, "location", loc);
    }

    json_object *sw = json_object_new_object(), *fw = json_object_new_object();
    json_object_object_add(fw, "base", json_object_new_string("LiMe-C"));
    json_object_object_add(fw, "release", json_object_new_string(LIMED_VERSION));
    json_object_object_add(sw, "firmware", fw);
    char bif[16][16];
    if (batman_ifaces(ctx, bif, 16) > 0) {
        json_object *bat = json_object_new_object();
        if (!read_line("/sys/module/batman_adv/version", v, sizeof(v)))
            ld_strlcpy(v, "batd", sizeof(v)); /* LiMe-C's userspace batman-adv */
        json_object_object_add(bat, "version", json_object_new_string(v));
        json_object_object_add(bat, "compat", json_object_new_int(15));
        json_object_object_add(sw, "batman-adv", bat);
    }
    if (lime_babel_state(ctx->babel)->ok) {
        json_object *bab = json_object_new_object();
        json_object_object_add(bab, "version", json_object_new_string("babeld"));
        json_object_object_add(sw, "babeld", bab);
    }
    json_object_object_add(o, "software", sw);

    json_object *hw = json_object_new_object();
    char path[512];
    json_object *board = json_object_from_file(ld_path(ctx, "/etc/board.json", path, sizeof(path)));
    json_object *model = NULL, *name = NULL;
    if (board && json_object_object_get_ex(board, "model", &model) &&
        json_object_object_get_ex(model, "name", &name) && json_object_is_type(name, json_type_string))
        json_object_object_add(hw, "model", json_object_new_string(json_object_get_string(name)));
    json_object_put(board);
    json_object_object_add(hw, "nproc", json_object_new_int((int)sysconf(_SC_NPROCESSORS_ONLN)));
    json_object_object_add(o, "hardware", hw);

    json_object_object_add(o, "vpn",
                           json_object_new_boolean(lime_uplink_gateway(lime_babel_state(ctx->babel))));
    return o;
}

static json_object *traffic_of(const char *dir, char ifs[][16], int n)
{
    static const char *const names[] = {"bytes", "packets", "dropped"};
    json_object *t = json_object_new_object();
    for (int k = 0; k < 3; k++) {
        unsigned long long sum = 0;
        for (int i = 0; i < n; i++) {
            char path[160], v[64];
            snprintf(path, sizeof(path), "/sys/class/net/%s/statistics/%s_%s", ifs[i], dir, names[k]);
            if (read_line(path, v, sizeof(v)))
                sum += strtoull(v, NULL, 10);
        }
        json_object_object_add(t, names[k], json_object_new_int64((int64_t)sum));
    }
    return t;
}

static long long meminfo(const char *text, const char *key)
{
    const char *p = text ? strstr(text, key) : NULL;
    return p ? strtoll(p + strlen(key), NULL, 10) : 0;
}

json_object *ld_respondd_statistics(struct ld_ctx *ctx)
{
    char id[13], v[256];
    node_id(ctx, id);
    json_object *o = json_object_new_object();
    json_object_object_add(o, "node_id", json_object_new_string(id));

    int leases = ld_metrics_clients(ctx);
    json_object *cl = json_object_new_object();
    json_object_object_add(cl, "total", json_object_new_int(leases > 0 ? leases : 0));
    json_object_object_add(cl, "wifi", json_object_new_int(0));
    json_object_object_add(cl, "wifi24", json_object_new_int(0));
    json_object_object_add(cl, "wifi5", json_object_new_int(0));
    json_object_object_add(o, "clients", cl);

    double up = 0, idle = 0;
    if (read_line("/proc/uptime", v, sizeof(v)))
        sscanf(v, "%lf %lf", &up, &idle);
    up = ld_uptime(ctx); /* the node's own, as the UI shows it (limed.h) */
    json_object_object_add(o, "uptime", json_object_new_double(up));
    json_object_object_add(o, "idletime", json_object_new_double(idle));
    double load = 0;
    unsigned running = 0, total = 0;
    if (read_line("/proc/loadavg", v, sizeof(v)))
        sscanf(v, "%lf %*f %*f %u/%u", &load, &running, &total);
    json_object_object_add(o, "loadavg", json_object_new_double(load));
    json_object *pr = json_object_new_object();
    json_object_object_add(pr, "total", json_object_new_int64(total));
    json_object_object_add(pr, "running", json_object_new_int64(running));
    json_object_object_add(o, "processes", pr);

    char *mi = lime_read_file("/proc/meminfo", 1 << 16, NULL);
    json_object *mem = json_object_new_object();
    json_object_object_add(mem, "total", json_object_new_int64(meminfo(mi, "MemTotal:")));
    json_object_object_add(mem, "free", json_object_new_int64(meminfo(mi, "MemFree:")));
    json_object_object_add(mem, "buffers", json_object_new_int64(meminfo(mi, "Buffers:")));
    json_object_object_add(mem, "cached", json_object_new_int64(meminfo(mi, "\nCached:")));
    json_object_object_add(mem, "available", json_object_new_int64(meminfo(mi, "MemAvailable:")));
    free(mi);
    json_object_object_add(o, "memory", mem);

    struct statvfs fs;
    if (statvfs(ctx->root, &fs) == 0 && fs.f_blocks)
        json_object_object_add(o, "rootfs_usage",
                               json_object_new_double(1.0 - (double)fs.f_bfree / (double)fs.f_blocks));

    char ifs[16][16];
    int n = ld_respondd_mesh_ifaces(ctx, ifs, 16);
    json_object *tr = json_object_new_object();
    json_object_object_add(tr, "rx", traffic_of("rx", ifs, n));
    json_object_object_add(tr, "tx", traffic_of("tx", ifs, n));
    json_object_object_add(o, "traffic", tr);

    /* the gateway in use: the last hop of the followed path, else babel's default route */
    const struct lime_babel_state *b = lime_babel_state(ctx->babel);
    const struct lime_babel_route *def = lime_babel_installed(b, "0.0.0.0/0");
    if (def && !lime_uplink_gateway(b)) {
        char hops[LD_GWPATH_MAX][64], gw[64] = "";
        int h = ld_gwpath_get(hops);
        if (h > 0) {
            ld_strlcpy(gw, hops[h - 1], sizeof(gw));
        } else {
            const struct lime_babel_route *hr = lime_babel_host_route(b, def->id);
            if (hr)
                snprintf(gw, sizeof(gw), "%.*s", (int)(strlen(hr->prefix) - 3), hr->prefix);
            else if (!ld_meshaddr_by_id(def->id, gw, sizeof(gw)))
                gw[0] = 0;
        }
        if (gw[0])
            json_object_object_add(o, "gateway", json_object_new_string(gw));
        json_object_object_add(o, "gateway_nexthop", json_object_new_string(def->via));
    }
    return o;
}

json_object *ld_respondd_neighbours(struct ld_ctx *ctx)
{
    char id[13], v[64];
    node_id(ctx, id);
    json_object *o = json_object_new_object();
    json_object_object_add(o, "node_id", json_object_new_string(id));

    /* batman-adv: direct neighbours are the originators heard through themselves */
    json_object *bat = json_object_new_object();
    json_object *origs = lime_batman_get(ctx->batman, LIME_BATMAN_ORIGINATORS, 1000);
    for (size_t i = 0; origs && json_object_is_type(origs, json_type_array) &&
                       i < json_object_array_length(origs); i++) {
        json_object *r = json_object_array_get_idx(origs, i), *x;
        const char *orig = NULL, *via = NULL, *ifn = NULL;
        if (json_object_object_get_ex(r, "orig_address", &x))
            orig = json_object_get_string(x);
        if (json_object_object_get_ex(r, "neigh_address", &x))
            via = json_object_get_string(x);
        if (json_object_object_get_ex(r, "hard_ifname", &x))
            ifn = json_object_get_string(x);
        if (!orig || !via || !ifn || strcmp(orig, via) || !iface_mac(ifn, v, sizeof(v)))
            continue;
        json_object *hard, *nb;
        if (!json_object_object_get_ex(bat, v, &hard)) {
            hard = json_object_new_object();
            json_object_object_add(hard, "neighbours", json_object_new_object());
            json_object_object_add(bat, v, hard);
        }
        json_object_object_get_ex(hard, "neighbours", &nb);
        json_object *link = json_object_new_object();
        int tq = json_object_object_get_ex(r, "tq", &x) ? json_object_get_int(x) : 0;
        int seen = json_object_object_get_ex(r, "last_seen_msecs", &x) ? json_object_get_int(x) : 0;
        bool best = json_object_object_get_ex(r, "best", &x) && json_object_get_boolean(x);
        json_object_object_add(link, "tq", json_object_new_int(tq));
        json_object_object_add(link, "lastseen", json_object_new_double(seen / 1000.0));
        json_object_object_add(link, "best", json_object_new_boolean(best));
        json_object_object_add(nb, orig, link);
    }
    json_object_put(origs);
    json_object_object_add(o, "batadv", bat);

    json_object *babel = json_object_new_object();
    const struct lime_babel_state *b = lime_babel_state(ctx->babel);
    for (int i = 0; i < b->n_neigh; i++) {
        const struct lime_babel_neigh *n = &b->neigh[i];
        json_object *ifo, *nb;
        if (!json_object_object_get_ex(babel, n->iface, &ifo)) {
            ifo = json_object_new_object();
            json_object_object_add(ifo, "protocol", json_object_new_string("babel"));
            if (linklocal_of(n->iface, v, sizeof(v)))
                json_object_object_add(ifo, "ll-addr", json_object_new_string(v));
            json_object_object_add(ifo, "neighbours", json_object_new_object());
            json_object_object_add(babel, n->iface, ifo);
        }
        json_object_object_get_ex(ifo, "neighbours", &nb);
        json_object *link = json_object_new_object();
        json_object_object_add(link, "rxcost", json_object_new_int(n->rxcost));
        json_object_object_add(link, "txcost", json_object_new_int(n->txcost));
        json_object_object_add(link, "cost", json_object_new_int(n->cost));
        json_object_object_add(link, "reachability", json_object_new_int((int)n->reach));
        json_object_object_add(nb, n->address, link);
    }
    json_object_object_add(o, "babel", babel);
    return o;
}
