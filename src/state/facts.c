/* Node facts for the built-in publishers (see facts.h). */
#include "facts.h"

#include "babel.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <stdbool.h>
#include <dirent.h>
#include <ifaddrs.h>
#include <net/if.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

static int read_line(const char *path, char *buf, size_t len)
{
    FILE *f = fopen(path, "r");
    if (!f)
        return -1;
    if (!fgets(buf, (int)len, f)) {
        fclose(f);
        return -1;
    }
    fclose(f);
    buf[strcspn(buf, "\n")] = 0;
    return 0;
}

static int iface_mac(const char *sys, const char *ifn, char *mac, size_t len)
{
    char path[512];
    snprintf(path, sizeof path, "%s/%s/address", sys, ifn);
    if (read_line(path, mac, len) < 0 || strlen(mac) != 17 || !strcmp(mac, "00:00:00:00:00:00"))
        return -1;
    for (char *p = mac; *p; p++)
        *p = (char)tolower((unsigned char)*p);
    return 0;
}

static void sanitize(const char *in, char *out, size_t len)
{
    size_t i = 0;
    for (; in[i] && i + 1 < len; i++)
        out[i] = isalnum((unsigned char)in[i]) ? in[i] : '_';
    out[i] = 0;
}

struct json_object *ss_facts_bat_hosts(const char *sys, const char *host)
{
    struct json_object *o = json_object_new_object();
    DIR *d = opendir(sys);
    if (!d)
        return o;
    char h[128];
    sanitize(host, h, sizeof h);
    struct dirent *de;
    while ((de = readdir(d))) {
        if (de->d_name[0] == '.' || !strcmp(de->d_name, "lo") || strstr(de->d_name, "anygw"))
            continue;
        char mac[32], ifn[64], val[200];
        if (iface_mac(sys, de->d_name, mac, sizeof mac) < 0)
            continue;
        sanitize(de->d_name, ifn, sizeof ifn);
        snprintf(val, sizeof val, "%s_%s", h, ifn);
        json_object_object_add(o, mac, json_object_new_string(val));
    }
    closedir(d);
    return o;
}

struct json_object *ss_facts_babeld_hosts(const struct lime_babel_state *b, const char *host)
{
    struct json_object *o = json_object_new_object();
    if (b && b->my_id[0])
        json_object_object_add(o, b->my_id, json_object_new_string(host));
    return o;
}

void ss_facts_link_key(const char *a, const char *b, char *out, unsigned len)
{
    char x[80], y[80];
    size_t i = 0;
    for (const char *p = a; *p && i + 1 < sizeof x; p++)
        if (*p != ':')
            x[i++] = (char)tolower((unsigned char)*p);
    x[i] = 0;
    i = 0;
    for (const char *p = b; *p && i + 1 < sizeof y; p++)
        if (*p != ':')
            y[i++] = (char)tolower((unsigned char)*p);
    y[i] = 0;
    if (strcmp(x, y) <= 0)
        snprintf(out, len, "%s%s", x, y);
    else
        snprintf(out, len, "%s%s", y, x);
}

static struct json_object *fixme_loc(const char *lon_name)
{
    struct json_object *l = json_object_new_object();
    json_object_object_add(l, "lat", json_object_new_string("FIXME"));
    json_object_object_add(l, lon_name, json_object_new_string("FIXME"));
    return l;
}

static int link_local_of(const char *ifn, char *out, size_t len)
{
    struct ifaddrs *ifa, *p;
    if (getifaddrs(&ifa) < 0)
        return -1;
    int r = -1;
    for (p = ifa; p; p = p->ifa_next) {
        if (!p->ifa_addr || p->ifa_addr->sa_family != AF_INET6 || strcmp(p->ifa_name, ifn))
            continue;
        struct sockaddr_in6 *a = (struct sockaddr_in6 *)p->ifa_addr;
        if (IN6_IS_ADDR_LINKLOCAL(&a->sin6_addr)) {
            inet_ntop(AF_INET6, &a->sin6_addr, out, (socklen_t)len);
            r = 0;
            break;
        }
    }
    freeifaddrs(ifa);
    return r;
}

static void babel_link(const struct lime_babel_neigh *n, struct json_object *links)
{
    char src[INET6_ADDRSTRLEN] = "";
    link_local_of(n->iface, src, sizeof src);
    char key[200];
    ss_facts_link_key(src, n->address, key, sizeof key);
    struct json_object *l = json_object_new_object();
    json_object_object_add(l, "src_ip", json_object_new_string(src));
    json_object_object_add(l, "dst_ip", json_object_new_string(n->address));
    json_object_object_add(l, "iface", json_object_new_string(n->iface));
    if (n->cost > 0) { /* babeld's link cost (LiMe-C: the mesh picture rates links by it) */
        json_object_object_add(l, "cost", json_object_new_int(n->cost));
        json_object_object_add(l, "rxcost", json_object_new_int(n->rxcost));
    }
    json_object_object_add(links, key, l);
}

static struct json_object *links_wrapper(const char *host, struct json_object *links)
{
    struct json_object *v = json_object_new_object(), *o = json_object_new_object();
    json_object_object_add(v, "src_loc", fixme_loc("long"));
    json_object_object_add(v, "links", links);
    json_object_object_add(o, host, v);
    return o;
}

struct json_object *ss_facts_babel_links(const struct lime_babel_state *b, const char *host)
{
    struct json_object *links = json_object_new_object();
    for (int i = 0; b && i < b->n_neigh; i++)
        babel_link(&b->neigh[i], links);
    return links_wrapper(host, links);
}

/* Iterates batd's neighbour JSON: cb(neigh_mac, iface, entry). */
static void each_bat_neighbour(const char *json,
                               void (*cb)(const char *mac, const char *ifn,
                                          struct json_object *el, void *arg),
                               void *arg)
{
    struct json_object *arr = json ? json_tokener_parse(json) : NULL;
    if (json_object_is_type(arr, json_type_array)) {
        for (size_t i = 0; i < json_object_array_length(arr); i++) {
            struct json_object *el = json_object_array_get_idx(arr, i), *mac, *ifn;
            if (json_object_object_get_ex(el, "neigh_address", &mac) &&
                json_object_object_get_ex(el, "hard_ifname", &ifn))
                cb(json_object_get_string(mac), json_object_get_string(ifn), el, arg);
        }
    }
    json_object_put(arr);
}

struct bat_ctx {
    const char *sys;
    struct json_object *out;
};

static void bat_link(const char *mac, const char *ifn, struct json_object *el, void *arg)
{
    struct bat_ctx *c = arg;
    char src[32] = "", key[200];
    iface_mac(c->sys, ifn, src, sizeof src);
    ss_facts_link_key(src, mac, key, sizeof key);
    struct json_object *l = json_object_new_object(), *seen;
    json_object_object_add(l, "src_mac", json_object_new_string(src));
    json_object_object_add(l, "dst_mac", json_object_new_string(mac));
    json_object_object_add(l, "iface", json_object_new_string(ifn));
    if (json_object_object_get_ex(el, "last_seen_msecs", &seen))
        json_object_object_add(l, "last_seen_msecs", json_object_get(seen));
    json_object_object_add(c->out, key, l);
}

struct json_object *ss_facts_bat_links(const char *sys, const char *batd_json, const char *host)
{
    struct bat_ctx c = {sys, json_object_new_object()};
    each_bat_neighbour(batd_json, bat_link, &c);
    return links_wrapper(host, c.out);
}

static void add_mac(const char *mac, const char *ifn, struct json_object *el, void *arg)
{
    char low[32];
    snprintf(low, sizeof low, "%s", mac);
    for (char *p = low; *p; p++)
        *p = (char)tolower((unsigned char)*p);
    json_object_array_add(arg, json_object_new_string(low));
}

static struct json_object *macs_of(const char *sys, const char *prefix)
{
    struct json_object *a = json_object_new_array();
    DIR *d = opendir(sys);
    if (!d)
        return a;
    struct dirent *de;
    while ((de = readdir(d))) {
        char mac[32];
        if (de->d_name[0] == '.' || !strcmp(de->d_name, "lo") ||
            (prefix && strncmp(de->d_name, prefix, strlen(prefix))) ||
            iface_mac(sys, de->d_name, mac, sizeof mac) < 0)
            continue;
        bool dup = false;
        for (size_t i = 0; i < json_object_array_length(a); i++)
            dup |= !strcmp(json_object_get_string(json_object_array_get_idx(a, i)), mac);
        if (!dup)
            json_object_array_add(a, json_object_new_string(mac));
    }
    closedir(d);
    return a;
}

struct json_object *ss_facts_nodes_and_links(const char *sys, const char *batd_json,
                                             const char *host)
{
    struct json_object *v = json_object_new_object(), *o = json_object_new_object();
    struct json_object *links = json_object_new_array();
    each_bat_neighbour(batd_json, add_mac, links);
    json_object_object_add(v, "hostname", json_object_new_string(host));
    json_object_object_add(v, "macs", macs_of(sys, "wlan"));
    json_object_object_add(v, "coordinates", fixme_loc("lon"));
    json_object_object_add(v, "links", links);
    json_object_object_add(o, host, v);
    return o;
}

static bool usable(const struct ifaddrs *p, int family)
{
    if (!p->ifa_addr || p->ifa_addr->sa_family != family || (p->ifa_flags & IFF_LOOPBACK) ||
        strstr(p->ifa_name, "anygw"))
        return false;
    return family == AF_INET || !IN6_IS_ADDR_LINKLOCAL(&((const struct sockaddr_in6 *)p->ifa_addr)->sin6_addr);
}

void ss_facts_pick_addr(const struct ifaddrs *list, int family, char *out, size_t len)
{
    const struct ifaddrs *pick = NULL;
    for (const struct ifaddrs *p = list; p; p = p->ifa_next)
        if (usable(p, family) && (!pick || (!strcmp(p->ifa_name, "br-lan") && strcmp(pick->ifa_name, "br-lan"))))
            pick = p;
    out[0] = 0;
    if (!pick)
        return;
    if (family == AF_INET)
        inet_ntop(AF_INET, &((const struct sockaddr_in *)pick->ifa_addr)->sin_addr, out, (socklen_t)len);
    else
        inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)pick->ifa_addr)->sin6_addr, out, (socklen_t)len);
}

static void first_addr(int family, char *out, size_t len)
{
    struct ifaddrs *ifa;
    out[0] = 0;
    if (getifaddrs(&ifa) < 0)
        return;
    ss_facts_pick_addr(ifa, family, out, len);
    freeifaddrs(ifa);
}

struct json_object *ss_facts_node_info(const char *sys, const char *host, long long uptime_s,
                                       const char *ap_ssid, int gateway)
{
    double up = uptime_s >= 0 ? (double)uptime_s : 0;
    FILE *f = uptime_s < 0 ? fopen("/proc/uptime", "r") : NULL;
    if (f) {
        if (fscanf(f, "%lf", &up) != 1)
            up = 0;
        fclose(f);
    }
    char board[128] = "", v4[INET_ADDRSTRLEN], v6[INET6_ADDRSTRLEN];
    if (read_line("/tmp/sysinfo/board_name", board, sizeof board) < 0)
        snprintf(board, sizeof board, "unknown");
    first_addr(AF_INET, v4, sizeof v4);
    first_addr(AF_INET6, v6, sizeof v6);
    struct json_object *v = json_object_new_object(), *o = json_object_new_object();
    json_object_object_add(v, "hostname", json_object_new_string(host));
    json_object_object_add(v, "firmware_version", json_object_new_string("LiMe-C"));
    json_object_object_add(v, "board", json_object_new_string(board));
    json_object_object_add(v, "ipv4", json_object_new_string(v4));
    json_object_object_add(v, "ipv6", json_object_new_string(v6));
    json_object_object_add(v, "coordinates", fixme_loc("long"));
    json_object_object_add(v, "macs", macs_of(sys, NULL));
    json_object_object_add(v, "uptime", json_object_new_int64((int64_t)up));
    json_object_object_add(v, "device", json_object_new_string("Router"));
    if (ap_ssid && ap_ssid[0])
        json_object_object_add(v, "ap_ssid", json_object_new_string(ap_ssid));
    if (gateway >= 0)
        json_object_object_add(v, "gateway", json_object_new_boolean(gateway));
    json_object_object_add(o, host, v);
    return o;
}
