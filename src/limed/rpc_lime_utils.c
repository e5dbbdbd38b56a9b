/* ubus object "lime-utils" (public): node status, notes, community settings, and the
 * LiMe-C additions the phone UI uses (neighbours, nodes, gateways, pending changes). */
#include "pending.h"
#include "core/babel.h"
#include "core/uplink.h"
#include "core/batman.h"
#include "gwpath.h"
#include "limecfg.h"
#include "limed.h"
#include "core/fsutil.h"
#include "meshnames.h"
#include "nodes.h"
#include "rpc_bat_hosts.h"
#include "rpc_objects.h"
#include "wifi_info.h"
#include "sharedstate.h"
#include "ucifile.h"
#include "uci.h"

#include "service.h"

#include <arpa/inet.h>
#include <dirent.h>
#include <ifaddrs.h>
#include <net/if.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define NOTES_MAX (32 * 1024)

static void add_ip(json_object *ips, const struct ifaddrs *a)
{
    char addr[INET6_ADDRSTRLEN], buf[80];
    int plen = 0;
    if (a->ifa_addr->sa_family == AF_INET) {
        inet_ntop(AF_INET, &((struct sockaddr_in *)a->ifa_addr)->sin_addr, addr, sizeof(addr));
        uint32_t m = a->ifa_netmask ? ntohl(((struct sockaddr_in *)a->ifa_netmask)->sin_addr.s_addr) : 0;
        plen = __builtin_popcount(m);
    } else {
        const struct in6_addr *in6 = &((struct sockaddr_in6 *)a->ifa_addr)->sin6_addr;
        if (IN6_IS_ADDR_LINKLOCAL(in6))
            return;
        inet_ntop(AF_INET6, in6, addr, sizeof(addr));
        if (a->ifa_netmask) {
            const uint8_t *m = ((struct sockaddr_in6 *)a->ifa_netmask)->sin6_addr.s6_addr;
            for (int i = 0; i < 16; i++)
                plen += __builtin_popcount(m[i]);
        }
    }
    snprintf(buf, sizeof(buf), "%s/%d", addr, plen);
    json_object *o = json_object_new_object();
    json_object_object_add(o, "version",
                           json_object_new_string(a->ifa_addr->sa_family == AF_INET ? "4" : "6"));
    json_object_object_add(o, "address", json_object_new_string(buf));
    json_object_array_add(ips, o);
}

/* Addresses of br-lan first (the app highlights the first), then of other interfaces. */
static json_object *node_ips(void)
{
    json_object *ips = json_object_new_array();
    struct ifaddrs *all;
    if (getifaddrs(&all) < 0)
        return ips;
    for (int pass = 0; pass < 2; pass++)
        for (struct ifaddrs *a = all; a; a = a->ifa_next) {
            if (!a->ifa_addr || (a->ifa_flags & IFF_LOOPBACK) ||
                (a->ifa_addr->sa_family != AF_INET && a->ifa_addr->sa_family != AF_INET6))
                continue;
            bool lan = !strcmp(a->ifa_name, "br-lan");
            if ((pass == 0) != lan)
                continue;
            add_ip(ips, a);
        }
    freeifaddrs(all);
    return ips;
}

static json_object *most_active(void)
{
    struct ld_wifi_view v = {0};
    json_object *best = NULL;
    uint64_t best_rx = 0;
    if (ld_wifi_view_open(&v) < 0) {
        ld_wifi_view_close(&v);
        return NULL;
    }
    for (size_t i = 0; i < v.n_ifs; i++) {
        if (v.ifs[i].iftype != LIME_WIFI_MESH)
            continue;
        struct lime_nl_wifi_station *sv = NULL;
        size_t n = 0;
        if (ld_wifi_view_stations(&v, &v.ifs[i], &sv, &n) == 0)
            for (size_t k = 0; k < n; k++) {
                if (best && sv[k].rx_bytes <= best_rx)
                    continue;
                json_object_put(best);
                best = ld_iwinfo_station(&sv[k]);
                best_rx = sv[k].rx_bytes;
                char mac[18];
                const uint8_t *m = sv[k].mac;
                snprintf(mac, sizeof(mac), "%02x:%02x:%02x:%02x:%02x:%02x", m[0], m[1], m[2], m[3], m[4], m[5]);
                json_object_object_add(best, "iface", json_object_new_string(v.ifs[i].name));
                json_object_object_add(best, "station_mac", json_object_new_string(mac));
                json_object_object_add(best, "rx_bytes", json_object_new_int64((int64_t)sv[k].rx_bytes));
                json_object_object_add(best, "tx_bytes", json_object_new_int64((int64_t)sv[k].tx_bytes));
            }
        free(sv);
    }
    ld_wifi_view_close(&v);
    return best;
}

static int get_node_status(struct ld_call *c, json_object *args, json_object **out)
{
    char host[128], up[32];
    /* the node's own uptime (limed.h), a string as upstream's */
    snprintf(up, sizeof(up), "%.2f", ld_uptime(c->ctx));
    json_object *o = ld_app_ok();
    json_object_object_add(o, "hostname",
                           json_object_new_string(ld_rpc_hostname(c->ctx, host, sizeof(host))));
    json_object_object_add(o, "uptime", json_object_new_string(up));
    json_object_object_add(o, "ips", node_ips());
    /* most_active is the 802.11s station with most traffic (upstream: iwinfo's assoclist
     * entry with the most rx bytes, plus iface, station_mac, rx/tx_bytes); without mesh
     * stations it is left out: LiMe-App's Status page (rxPage.js MostActiveBox) asks
     * bat-hosts for the name of most_active.station_mac whenever most_active is present,
     * even empty, and retries three times. */
    json_object *ma = most_active();
    if (ma)
        json_object_object_add(o, "most_active", ma);
    json_object_object_add(o, "switch_status", json_object_new_array());
    *out = o;
    return LD_UBUS_OK;
}

static int get_mesh_ifaces(struct ld_call *c, json_object *args, json_object **out)
{
    json_object *list = json_object_new_array();
    DIR *d = opendir("/sys/class/net");
    struct dirent *e;
    while (d && (e = readdir(d))) {
        size_t n = strlen(e->d_name);
        if (n > 5 && !strcmp(e->d_name + n - 5, "-mesh"))
            json_object_array_add(list, json_object_new_string(e->d_name));
    }
    if (d)
        closedir(d);
    *out = json_object_new_object();
    json_object_object_add(*out, "ifaces", list);
    return LD_UBUS_OK;
}

static void add_unique(json_object *list, const char *name)
{
    if (!name[0])
        return;
    for (size_t i = 0; i < json_object_array_length(list); i++)
        if (!strcmp(json_object_get_string(json_object_array_get_idx(list, i)), name))
            return;
    json_object_array_add(list, json_object_new_string(name));
}

/* A bat-hosts value "<host>_<iface>" of a node's bat0 (its cloud interface) gives the
 * node's name: upstream writes hostnames with '_' for '-' there. "" otherwise. */
static void bat0_host(const char *val, char *out, size_t len)
{
    size_t n = strlen(val);
    out[0] = 0;
    if (n <= 5 || strcmp(val + n - 5, "_bat0") || n - 5 >= len)
        return;
    memcpy(out, val, n - 5);
    out[n - 5] = 0;
    for (char *p = out; *p; p++)
        if (*p == '_')
            *p = '-';
}

/* Hostnames of the mesh's nodes, as upstream: every bat0 in bat-hosts (shared-state's
 * table, which holds every node, and ROOT/tmp/bat-hosts if something writes it), plus
 * this node. LiMe-App's "Visit a neighbouring node" lists them. */
static int get_cloud_nodes(struct ld_call *c, json_object *args, json_object **out)
{
    json_object *list = json_object_new_array();
    char host[128], path[512], name[128];
    add_unique(list, ld_rpc_hostname(c->ctx, host, sizeof(host)));
    struct ss_service *ss = ld_state_current();
    int err = 0;
    json_object *t = ss ? ss_service_get(ss, "bat-hosts", &err) : NULL;
    if (t && json_object_is_type(t, json_type_object)) {
        json_object_object_foreach(t, mac, val) {
            (void)mac;
            if (json_object_is_type(val, json_type_string)) {
                bat0_host(json_object_get_string(val), name, sizeof(name));
                add_unique(list, name);
            }
        }
    }
    json_object_put(t);
    char *data = lime_read_file(ld_path(c->ctx, "/tmp/bat-hosts", path, sizeof(path)), 1 << 20, NULL);
    for (char *save, *line = data ? strtok_r(data, "\n", &save) : NULL; line;
         line = strtok_r(NULL, "\n", &save)) {
        char mac[64], val[128];
        if (sscanf(line, "%63s %127s", mac, val) == 2) {
            bat0_host(val, name, sizeof(name));
            add_unique(list, name);
        }
    }
    free(data);
    *out = ld_app_ok();
    json_object_object_add(*out, "nodes", list);
    return LD_UBUS_OK;
}

static json_object *notes_reply(struct ld_ctx *ctx)
{
    char path[512];
    /* NOTES_MAX bounds what set_notes writes; a file put there otherwise is shown whole
     * up to 1 MiB (beyond: no notes) */
    char *n = lime_read_file(ld_path(ctx, "/etc/banner.notes", path, sizeof(path)), 1 << 20, NULL);
    json_object *o = ld_app_ok();
    json_object_object_add(o, "notes", json_object_new_string(n ? n : ""));
    free(n);
    return o;
}

static int get_notes(struct ld_call *c, json_object *args, json_object **out)
{
    *out = notes_reply(c->ctx);
    return LD_UBUS_OK;
}

static int set_notes(struct ld_call *c, json_object *args, json_object **out)
{
    const char *text = ld_arg_str(args, "text");
    if (!text)
        return LD_UBUS_INVALID_ARGUMENT;
    if (strlen(text) > NOTES_MAX) {
        *out = ld_app_error("notes are too long (at most 32 KiB)");
        return LD_UBUS_OK;
    }
    char path[512];
    if (lime_write_file_atomic(ld_path(c->ctx, "/etc/banner.notes", path, sizeof(path)), text,
                      strlen(text), 0644) < 0) {
        *out = ld_app_error("cannot save the notes");
        return LD_UBUS_OK;
    }
    *out = notes_reply(c->ctx);
    return LD_UBUS_OK;
}

/* First section of ROOT/etc/config/lime-app, with the app's built-in defaults. */
static int get_community_settings(struct ld_call *c, json_object *args, json_object **out)
{
    static const char *const keys[][2] = {
        {"good_signal", "-65"}, {"bad_signal", "-82"}, {"good_bandwidth", "5"},
        {"bad_bandwidth", "1"}, {"acceptable_loss", "20"},
    };
    char path[512];
    struct ld_uci u;
    ld_uci_load(ld_path(c->ctx, "/etc/config/lime-app", path, sizeof(path)), &u, NULL, 0);
    const struct lime_uci_section *s = lime_uci_section_first(u.pkg, NULL);
    json_object *o = ld_app_ok();
    for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
        const char *v = ld_uci_sec_get(s, keys[i][0]);
        json_object_object_add(o, keys[i][0], json_object_new_string(v ? v : keys[i][1]));
    }
    ld_uci_free(&u);
    *out = o;
    return LD_UBUS_OK;
}

/* The wifi settings the node runs with (merged lime config). */
static int get_config(struct ld_call *c, json_object *args, json_object **out)
{
    static const char *const keys[] = {"ap_ssid", "apname_ssid", "mode", "channel_2ghz",
                                       "channel_5ghz", "country", "distance", "modes"};
    char v[256];
    json_object *cfg = json_object_new_object();
    for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
        if (ld_lime_get(c->ctx, "wifi", keys[i], false, v, sizeof(v))[0])
            json_object_object_add(cfg, keys[i], json_object_new_string(v));
    *out = ld_app_ok();
    json_object_object_add(*out, "config", cfg);
    return LD_UBUS_OK;
}

static int get_upgrade_info(struct ld_call *c, json_object *args, json_object **out)
{
    *out = ld_app_ok();
    json_object_object_add(*out, "is_upgrade_confirm_supported", json_object_new_boolean(0));
    json_object_object_add(*out, "safe_upgrade_confirm_remaining_s", json_object_new_int(-1));
    return LD_UBUS_OK;
}

/* The mobile-hotspot client (lime-utils-admin.hotspot_wwan_enable): enabled while
 * lime-node holds its generic_uci_config; connected when its station interface
 * (client-wwan) is up with a carrier. No signal figure without iwinfo. */
static int hotspot_wwan_get_status(struct ld_call *c, json_object *args, json_object **out)
{
    char path[512];
    struct ld_uci u;
    ld_uci_load(ld_path(c->ctx, "/etc/config/lime-node", path, sizeof(path)), &u, NULL, 0);
    const char *items[2];
    bool enabled = ld_uci_get_list(&u, "hotspot_wwan", "uci_set", items, 2) > 0;
    ld_uci_free(&u);
    char *oper = lime_read_file("/sys/class/net/client-wwan/operstate", 64, NULL);
    bool connected = enabled && oper && !strncmp(oper, "up", 2);
    free(oper);
    *out = ld_app_ok();
    json_object_object_add(*out, "enabled", json_object_new_boolean(enabled));
    json_object_object_add(*out, "connected", json_object_new_boolean(connected));
    json_object_object_add(*out, "signal", NULL);
    return LD_UBUS_OK;
}

/* Is addr the EUI-64 link-local address of mac (fe80::, MAC with the U/L bit flipped
 * and ff:fe in the middle)? */
static bool eui64_matches(const char *addr, const char *mac)
{
    unsigned m[6];
    struct in6_addr a, want = {{{0xfe, 0x80}}};
    if (!addr || sscanf(mac, "%2x:%2x:%2x:%2x:%2x:%2x", &m[0], &m[1], &m[2], &m[3], &m[4],
                        &m[5]) != 6 ||
        inet_pton(AF_INET6, addr, &a) != 1)
        return false;
    uint8_t *w = want.s6_addr;
    w[8] = (uint8_t)(m[0] ^ 2);
    w[9] = (uint8_t)m[1];
    w[10] = (uint8_t)m[2];
    w[11] = 0xff;
    w[12] = 0xfe;
    w[13] = (uint8_t)m[3];
    w[14] = (uint8_t)m[4];
    w[15] = (uint8_t)m[5];
    return memcmp(&a, &want, sizeof(a)) == 0;
}

/* Neighbours as babeld sees them, with a 0..100 quality and the node behind each. */
static int get_neighbors(struct ld_call *c, json_object *args, json_object **out)
{
    const struct lime_babel_state *b = lime_babel_state(c->ctx->babel);
    json_object *list = json_object_new_array();
    for (int i = 0; i < b->n_neigh; i++) {
        const struct lime_babel_neigh *n = &b->neigh[i];
        const char *id = lime_babel_neigh_id(b, n->address);
        const struct lime_babel_route *hr = id[0] ? lime_babel_host_route(b, id) : NULL;
        char ip[64] = "";
        if (hr)
            snprintf(ip, sizeof(ip), "%.*s", (int)(strlen(hr->prefix) - 3), hr->prefix);
        const char *host = ip[0] ? ld_nodes_hostname(c->ctx, ip) : NULL;
        char name[128];
        /* inside one cloud there is no /32 per node: shared-state names the neighbour */
        if (!host)
            host = ld_meshname_by_id(id, name, sizeof(name));
        if (!host)
            host = ld_meshname_by_addr(c->ctx, n->address, name, sizeof(name));
        json_object *o = json_object_new_object();
        json_object_object_add(o, "protocol", json_object_new_string("babel"));
        json_object_object_add(o, "address", json_object_new_string(n->address));
        json_object_object_add(o, "iface", json_object_new_string(n->iface));
        json_object_object_add(o, "id", json_object_new_string(id));
        json_object_object_add(o, "ip", json_object_new_string(ip));
        json_object_object_add(o, "hostname", json_object_new_string(host ? host : ""));
        json_object_object_add(o, "quality", json_object_new_int(lime_babel_quality(n)));
        json_object_object_add(o, "cost", json_object_new_int(n->cost));
        json_object_object_add(o, "rxcost", json_object_new_int(n->rxcost));
        json_object_object_add(o, "txcost", json_object_new_int(n->txcost));
        char reach[8];
        snprintf(reach, sizeof(reach), "%04x", n->reach);
        json_object_object_add(o, "reach", json_object_new_string(reach));
        json_object_object_add(o, "cloud", json_object_new_boolean(0));
        json_object_array_add(list, o);
    }
    /* batman-adv neighbours (layer 2: this node's cloud) from the batman seam (batd or the
     * kernel's batman-adv). A batman neighbour that is a babel neighbour's node (below)
     * marks that row "cloud"; others get a row of their own, named through bat-hosts.
     * Quality: TQ of the neighbour as originator (255 = perfect). */
    json_object *nbs = lime_batman_get(c->ctx->batman, LIME_BATMAN_NEIGHBOURS, 1000);
    json_object *origs = nbs ? lime_batman_get(c->ctx->batman, LIME_BATMAN_ORIGINATORS, 1000) : NULL;
    size_t n_babel = json_object_array_length(list);
    for (size_t i = 0; nbs && json_object_is_type(nbs, json_type_array) &&
                       i < json_object_array_length(nbs); i++) {
        json_object *n = json_object_array_get_idx(nbs, i);
        const char *mac = ld_arg_str(n, "neigh_address"), *ifn = ld_arg_str(n, "hard_ifname");
        if (!mac)
            continue;
        int tq = 0;
        for (size_t j = 0; origs && json_object_is_type(origs, json_type_array) &&
                           j < json_object_array_length(origs); j++) {
            json_object *r = json_object_array_get_idx(origs, j), *jtq;
            const char *o = ld_arg_str(r, "orig_address"), *via = ld_arg_str(r, "neigh_address");
            if (o && via && !strcmp(o, mac) && !strcmp(via, mac) &&
                json_object_object_get_ex(r, "tq", &jtq))
                tq = json_object_get_int(jtq);
        }
        /* The same node: babel's link-local is the EUI-64 of batman's MAC (batd on the raw
         * link), or, with kernel VLANs (batman on <dev>_29 with its own MAC, babel on
         * <dev>_17), both rows name the same host through shared-state. */
        char bname[128];
        const char *bhost = ld_meshname_by_mac(c->ctx, mac, bname, sizeof(bname));
        json_object *same = NULL;
        for (size_t j = 0; j < n_babel && !same; j++) {
            json_object *row = json_object_array_get_idx(list, j);
            const char *h = ld_arg_str(row, "hostname");
            if (eui64_matches(ld_arg_str(row, "address"), mac) ||
                (bhost && h && h[0] && !strcmp(h, bhost) && !json_object_get_boolean(
                     json_object_object_get(row, "cloud"))))
                same = row;
        }
        if (same) {
            json_object_object_add(same, "cloud", json_object_new_boolean(1));
            json_object_object_add(same, "mac", json_object_new_string(mac));
            json_object_object_add(same, "tq", json_object_new_int(tq));
            continue;
        }
        const char *host = bhost;
        json_object *o = json_object_new_object();
        json_object_object_add(o, "protocol", json_object_new_string("batman-adv"));
        json_object_object_add(o, "address", json_object_new_string(mac));
        json_object_object_add(o, "iface", json_object_new_string(ifn ? ifn : ""));
        json_object_object_add(o, "id", json_object_new_string(mac));
        json_object_object_add(o, "ip", json_object_new_string(""));
        json_object_object_add(o, "hostname", json_object_new_string(host ? host : ""));
        json_object_object_add(o, "quality", json_object_new_int(tq * 100 / 255));
        json_object_object_add(o, "cloud", json_object_new_boolean(1));
        json_object_object_add(o, "mac", json_object_new_string(mac));
        json_object_object_add(o, "tq", json_object_new_int(tq));
        json_object_array_add(list, o);
    }
    json_object_put(nbs);
    json_object_put(origs);
    ld_wifi_annotate_neighbors(list); /* over a radio: the peer's signal and channel */
    *out = ld_app_ok();
    json_object_object_add(*out, "neighbors", list);
    json_object_object_add(*out, "babeld", json_object_new_boolean(b->ok));
    return LD_UBUS_OK;
}

static int get_nodes(struct ld_call *c, json_object *args, json_object **out)
{
    ld_nodes_refresh(c->ctx);
    char host[128];
    *out = ld_app_ok();
    json_object_object_add(*out, "this_node",
                           json_object_new_string(ld_rpc_hostname(c->ctx, host, sizeof(host))));
    json_object_object_add(*out, "nodes", ld_nodes_json(c->ctx));
    return LD_UBUS_OK;
}

/* Is route a better than b toward one gateway? Installed first, then IPv4, then cheaper. */
static bool better_route(const struct lime_babel_route *a, const struct lime_babel_route *b)
{
    bool v4a = !strchr(a->prefix, ':'), v4b = !strchr(b->prefix, ':');
    if (a->installed != b->installed && v4a == v4b)
        return a->installed;
    if (v4a != v4b)
        return v4a;
    return a->metric < b->metric;
}

/* Links to the gateway at ip: the path traced hop by hop when it ends there (the route
 * really taken), else the cheapest path of the mesh picture (nodes.h); -1 unknown. */
static int gateway_hops(const char *ip, const char *id, const char *host)
{
    char hops[LD_GWPATH_MAX][64];
    int n = ld_gwpath_get(hops);
    if (n > 0 && ip[0] && !strcmp(hops[n - 1], ip))
        return n;
    int h = ld_nodes_hops(ip);
    if (h < 0)
        h = ld_nodes_hops(id);
    if (h < 0 && host)
        h = ld_nodes_hops(host);
    return h;
}

/* The gateways, one entry per node: those babeld knows (by router id, with their best
 * route: babeld holds a route per neighbour that offers one, so a gateway is usually
 * heard several times), then those known only from their node_info (metric: the cost of
 * the cheapest path of the mesh picture); which one is used, and the preferred gateway
 * set by the user (lime-node network.preferred_gateway). */
static int get_gateways(struct ld_call *c, json_object *args, json_object **out)
{
    const struct lime_babel_state *b = lime_babel_state(c->ctx->babel);
    json_object *list = json_object_new_array();
    bool self = lime_uplink_gateway(b);
    const struct lime_babel_route *best[LIME_BABEL_MAX_ROUTES];
    int n_best = 0, heard[LIME_BABEL_MAX_ROUTES] = {0};
    bool v4_in_use[LIME_BABEL_MAX_ROUTES] = {false};
    for (int i = 0; i < b->n_route; i++) {
        const struct lime_babel_route *r = &b->route[i];
        if (strcmp(r->prefix, "0.0.0.0/0") && strcmp(r->prefix, "::/0"))
            continue;
        int j = 0;
        while (j < n_best && strcmp(best[j]->id, r->id))
            j++;
        if (j == n_best)
            best[n_best++] = r;
        else if (better_route(r, best[j]))
            best[j] = r;
        heard[j]++;
        v4_in_use[j] |= r->installed && !strchr(r->prefix, ':');
    }
    for (int j = 0; j < n_best; j++) {
        const struct lime_babel_route *r = best[j];
        const struct lime_babel_route *hr = lime_babel_host_route(b, r->id);
        char ip[64] = "";
        if (hr)
            snprintf(ip, sizeof(ip), "%.*s", (int)(strlen(hr->prefix) - 3), hr->prefix);
        const char *host = ip[0] ? ld_nodes_hostname(c->ctx, ip) : NULL;
        char name[128];
        if (!host)
            host = ld_meshname_by_id(r->id, name, sizeof(name));
        /* inside one cloud there is no /32: the address it publishes in node_info */
        if (!ip[0] && host && ld_nodes_ip(host))
            ld_strlcpy(ip, ld_nodes_ip(host), sizeof(ip));
        json_object *o = json_object_new_object();
        json_object_object_add(o, "family", json_object_new_string(strchr(r->prefix, ':') ? "6" : "4"));
        json_object_object_add(o, "id", json_object_new_string(r->id));
        json_object_object_add(o, "ip", json_object_new_string(ip));
        json_object_object_add(o, "hostname", json_object_new_string(host ? host : ""));
        json_object_object_add(o, "metric", json_object_new_int(r->metric));
        json_object_object_add(o, "hops", json_object_new_int(gateway_hops(ip, r->id, host)));
        json_object_object_add(o, "via", json_object_new_string(r->via));
        json_object_object_add(o, "routes", json_object_new_int(heard[j]));
        json_object_object_add(o, "in_use", json_object_new_boolean(v4_in_use[j] || (r->installed && strchr(r->prefix, ':'))));
        json_object_array_add(list, o);
    }
    /* Gateways babel does not tell us about (our neighbours pass on only the route they
     * chose), from their node_info: reachable, so they can be preferred. */
    ld_nodes_refresh(c->ctx);
    json_object *others = ld_nodes_json(c->ctx);
    for (size_t i = 0; i < json_object_array_length(others); i++) {
        json_object *n = json_object_array_get_idx(others, i), *v;
        const char *host = ld_arg_str(n, "hostname");
        if (!host || !host[0] || !json_object_object_get_ex(n, "gateway", &v) ||
            !json_object_get_boolean(v) || !json_object_object_get_ex(n, "online", &v) ||
            !json_object_get_boolean(v))
            continue;
        bool listed = false;
        for (size_t j = 0; j < json_object_array_length(list) && !listed; j++)
            listed = !strcmp(ld_arg_str(json_object_array_get_idx(list, j), "hostname"), host);
        if (listed)
            continue;
        json_object *o = json_object_new_object(), *cost = NULL, *hops = NULL;
        json_object_object_get_ex(n, "cost", &cost);
        json_object_object_get_ex(n, "hops", &hops);
        json_object_object_add(o, "family", json_object_new_string("4"));
        json_object_object_add(o, "id", json_object_new_string(""));
        json_object_object_add(o, "ip", json_object_new_string(ld_arg_str(n, "ip") ? ld_arg_str(n, "ip") : ""));
        json_object_object_add(o, "hostname", json_object_new_string(host));
        json_object_object_add(o, "metric", json_object_get(cost));
        json_object_object_add(o, "hops", json_object_get(hops));
        json_object_object_add(o, "via", json_object_new_string(""));
        json_object_object_add(o, "routes", json_object_new_int(0));
        json_object_object_add(o, "in_use", json_object_new_boolean(0));
        json_object_array_add(list, o);
    }
    json_object_put(others);
    char pref[128], staged[128];
    ld_lime_get(c->ctx, "network", "preferred_gateway", false, pref, sizeof(pref));
    ld_lime_get(c->ctx, "network", "preferred_gateway", true, staged, sizeof(staged));
    *out = ld_app_ok();
    json_object_object_add(*out, "gateways", list);
    json_object_object_add(*out, "this_node_is_gateway", json_object_new_boolean(self));
    json_object_object_add(*out, "preferred", json_object_new_string(pref));
    json_object_object_add(*out, "preferred_pending", json_object_new_string(staged));
    return LD_UBUS_OK;
}

/* The whole mesh in one answer (LiMe-C, the My mesh and Nodes pages): nodes.h. */
static int get_mesh(struct ld_call *c, json_object *args, json_object **out)
{
    ld_nodes_refresh(c->ctx);
    json_object *m = ld_mesh_json(c->ctx);
    *out = ld_app_ok();
    json_object_object_foreach(m, k, v) json_object_object_add(*out, k, json_object_get(v));
    json_object_put(m);
    return LD_UBUS_OK;
}

static int get_pending_changes(struct ld_call *c, json_object *args, json_object **out)
{
    *out = ld_pending_json(c->ctx);
    return LD_UBUS_OK;
}

static const struct ld_method methods[] = {
    {"get_node_status", get_node_status, ""},
    {"get_mesh_ifaces", get_mesh_ifaces, ""},
    {"get_cloud_nodes", get_cloud_nodes, ""},
    {"get_notes", get_notes, ""},
    {"set_notes", set_notes, "text:string"},
    {"get_community_settings", get_community_settings, ""},
    {"get_config", get_config, ""},
    {"get_upgrade_info", get_upgrade_info, ""},
    {"hotspot_wwan_get_status", hotspot_wwan_get_status, "radio:string"},
    {"get_neighbors", get_neighbors, ""},
    {"get_nodes", get_nodes, ""},
    {"get_gateways", get_gateways, ""},
    {"get_mesh", get_mesh, ""},
    {"get_pending_changes", get_pending_changes, ""},
    {NULL, NULL, NULL},
};

const struct ld_object ld_obj_lime_utils = {"lime-utils", methods};
