/* First-boot wizard scan; see fbw.h. */
#include "fbw.h"

#include "core/babel.h"
#include "fetch.h"
#include "limed.h"
#include "nodes.h"
#include "ucifile.h"
#include "core/log.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_PEERS 16

struct peer {
    char address[64], iface[32], host[64], bssid[64], file[192];
    int quality;
    const char *code; /* downloading_config, downloaded_config, error_... */
    char *content;
    char ap_ssid[64], apname_ssid[64];
    unsigned gen;
};

static struct peer peers[MAX_PEERS];
static int n_peers, outstanding;
static unsigned generation;
static enum { IDLE, SCANNING, SCANNED } scan_state;

bool ld_fbw_locked(struct ld_ctx *ctx)
{
    char path[512], v[64];
    ld_path(ctx, "/etc/config/lime-node", path, sizeof(path));
    if (!strcmp(ld_uci_read_option(path, "system", "firstbootwizard_configured", v, sizeof(v)), "true") ||
        !strcmp(ld_uci_read_option(path, "system", "firstbootwizard_dismissed", v, sizeof(v)), "true"))
        return false;
    ld_path(ctx, "/etc/config/lime-community", path, sizeof(path));
    return !ld_uci_read_option(path, "wifi", "ap_ssid", v, sizeof(v))[0];
}

static void clear(void)
{
    for (int i = 0; i < n_peers; i++)
        free(peers[i].content);
    memset(peers, 0, sizeof(peers));
    n_peers = 0;
}

struct req {
    unsigned gen;
    int idx;
};

/* The joining node's own default AP name template (what it gets when the fetched
 * lime-community has none): ROOT's lime-defaults, else LiMe-C's built-in default. */
static void default_apname(struct ld_ctx *ctx, char *buf, size_t len)
{
    char path[512];
    ld_uci_read_option(ld_path(ctx, "/etc/config/lime-defaults", path, sizeof(path)), "wifi",
                       "apname_ssid", buf, len);
    if (!buf[0])
        ld_strlcpy(buf, "LibreMesh.org/%H", len);
}

/* Upstream's file name for a neighbour's lime-community, which LiMe-App parses
 * (FbwQueries.js _getApName/_getBssid): lime-community__host__<hostname>__<bssid>. The
 * hostname keeps only [A-Za-z0-9-] so it never holds "__". */
static void make_file(struct peer *p)
{
    char hs[64];
    size_t k = 0;
    for (const char *s = p->host; *s && k + 1 < sizeof(hs); s++)
        hs[k++] = isalnum((unsigned char)*s) || *s == '-' ? *s : '-';
    hs[k] = 0;
    snprintf(p->file, sizeof(p->file), "lime-community__host__%s__%s", hs[0] ? hs : "node",
             p->bssid);
}

static struct ld_ctx *scan_ctx;

static void on_config(int status, const char *body, size_t len, void *arg)
{
    struct req *r = arg;
    if (r->gen == generation && r->idx < n_peers) {
        struct peer *p = &peers[r->idx];
        struct ld_uci u;
        char *text = body ? strndup(body, len) : NULL;
        if (status != 200 || !text) {
            p->code = "error_download_lime_community";
        } else if (ld_uci_parse("lime-community", text, &u, NULL, 0) < 0) {
            ld_uci_free(&u);
            p->code = "error_download_lime_community";
        } else {
            const char *s = ld_uci_get(&u, "wifi", "ap_ssid");
            const char *n = ld_uci_get(&u, "wifi", "apname_ssid");
            if (!s) {
                p->code = "error_not_configured";
            } else {
                ld_strlcpy(p->ap_ssid, s, sizeof(p->ap_ssid));
                if (n)
                    ld_strlcpy(p->apname_ssid, n, sizeof(p->apname_ssid));
                else
                    default_apname(scan_ctx, p->apname_ssid, sizeof(p->apname_ssid));
                p->code = "downloaded_config";
                p->content = text;
                text = NULL;
            }
            ld_uci_free(&u);
        }
        free(text);
        if (--outstanding == 0)
            scan_state = SCANNED;
    }
    free(r);
}

/* The neighbour's own name (GET /cgi-bin/hostname, as upstream's wizard asks), then its
 * lime-community. */
static void on_hostname(int status, const char *body, size_t len, void *arg)
{
    struct req *r = arg;
    if (r->gen != generation || r->idx >= n_peers) {
        free(r);
        return;
    }
    struct peer *p = &peers[r->idx];
    if (status == 200 && body && len > 0 && len < sizeof(p->host)) {
        char name[64];
        snprintf(name, sizeof(name), "%.*s", (int)len, body);
        name[strcspn(name, "\r\n")] = 0;
        if (name[0])
            ld_strlcpy(p->host, name, sizeof(p->host));
    }
    make_file(p);
    char host[112];
    snprintf(host, sizeof(host), "%s%%%s", p->address, p->iface);
    if (ld_fetch(scan_ctx, strchr(p->address, ':') ? host : p->address, scan_ctx->peer_port,
                 "/cgi-bin/lime/lime-community", on_config, r) < 0)
        on_config(-EIO, NULL, 0, r);
}

/* The BSSID upstream's wizard shows is the neighbour's radio MAC; here the MAC inside
 * the neighbour's EUI-64 link-local address, else the address itself. */
static void neighbour_bssid(const char *addr, char *out, size_t len)
{
    struct in6_addr a;
    if (inet_pton(AF_INET6, addr, &a) == 1 && a.s6_addr[0] == 0xfe && a.s6_addr[1] == 0x80 &&
        a.s6_addr[11] == 0xff && a.s6_addr[12] == 0xfe) {
        const uint8_t *b = a.s6_addr;
        snprintf(out, len, "%02x:%02x:%02x:%02x:%02x:%02x", b[8] ^ 2, b[9], b[10], b[13], b[14],
                 b[15]);
        return;
    }
    ld_strlcpy(out, addr, len);
}

int ld_fbw_scan(struct ld_ctx *ctx)
{
    generation++;
    clear();
    outstanding = 0;
    scan_ctx = ctx;
    const struct lime_babel_state *b = lime_babel_state(ctx->babel);
    for (int i = 0; i < b->n_neigh && n_peers < MAX_PEERS; i++) {
        struct peer *p = &peers[n_peers];
        memset(p, 0, sizeof(*p));
        ld_strlcpy(p->address, b->neigh[i].address, sizeof(p->address));
        ld_strlcpy(p->iface, b->neigh[i].iface, sizeof(p->iface));
        neighbour_bssid(p->address, p->bssid, sizeof(p->bssid));
        bool dup = false;
        for (int j = 0; j < n_peers; j++)
            dup |= !strcmp(peers[j].bssid, p->bssid);
        if (dup) /* the same neighbour on a second link */
            continue;
        p->quality = lime_babel_quality(&b->neigh[i]);
        const char *id = lime_babel_neigh_id(b, p->address);
        const struct lime_babel_route *hr = id[0] ? lime_babel_host_route(b, id) : NULL;
        char ip[64] = "";
        if (hr)
            snprintf(ip, sizeof(ip), "%.*s", (int)(strlen(hr->prefix) - 3), hr->prefix);
        const char *h = ip[0] ? ld_nodes_hostname(ctx, ip) : NULL;
        ld_strlcpy(p->host, h ? h : (ip[0] ? ip : p->address), sizeof(p->host));
        make_file(p);
        p->code = "downloading_config";
        char host[112];
        snprintf(host, sizeof(host), "%s%%%s", p->address, p->iface);
        struct req *r = calloc(1, sizeof(*r));
        if (!r)
            break;
        r->gen = generation;
        r->idx = n_peers;
        n_peers++;
        if (ld_fetch(ctx, strchr(p->address, ':') ? host : p->address, ctx->peer_port,
                     "/cgi-bin/hostname", on_hostname, r) == 0) {
            outstanding++;
        } else {
            p->code = "error_download_lime_community";
            free(r);
        }
    }
    scan_state = outstanding ? SCANNING : SCANNED;
    log_info("first-boot wizard: asking %d neighbour(s) for their network", outstanding);
    return 0;
}

void ld_fbw_stop(struct ld_ctx *ctx)
{
    generation++;
    outstanding = 0;
    scan_state = IDLE;
    clear();
}

const char *ld_fbw_network(const char *file)
{
    for (int i = 0; i < n_peers; i++)
        if (peers[i].content && !strcmp(peers[i].file, file))
            return peers[i].content;
    return NULL;
}

json_object *ld_fbw_status(struct ld_ctx *ctx)
{
    static const char *const names[] = {"idle", "scanning", "scanned"};
    json_object *o = json_object_new_object();
    json_object_object_add(o, "lock", json_object_new_boolean(ld_fbw_locked(ctx)));
    json_object_object_add(o, "status", json_object_new_string(names[scan_state]));
    json_object *nets = json_object_new_array(), *scanned = json_object_new_array();
    for (int i = 0; i < n_peers; i++) {
        const struct peer *p = &peers[i];
        json_object *s = json_object_new_object(), *st = json_object_new_object();
        json_object_object_add(s, "bssid", json_object_new_string(p->bssid));
        json_object_object_add(s, "channel", json_object_new_string(p->iface));
        json_object_object_add(s, "signal", json_object_new_int(p->quality));
        /* as upstream: retval true while downloading and once downloaded */
        json_object_object_add(st, "retval",
                               json_object_new_boolean(!strcmp(p->code, "downloaded_config") ||
                                                       !strcmp(p->code, "downloading_config")));
        json_object_object_add(st, "code", json_object_new_string(p->code));
        json_object_object_add(s, "status", st);
        json_object_array_add(scanned, s);
        if (!p->content)
            continue;
        json_object *n = json_object_new_object(), *cfg = json_object_new_object(),
                    *wifi = json_object_new_object();
        json_object_object_add(wifi, "ap_ssid", json_object_new_string(p->ap_ssid));
        json_object_object_add(wifi, "apname_ssid", json_object_new_string(p->apname_ssid));
        json_object_object_add(cfg, "wifi", wifi);
        json_object_object_add(n, "file", json_object_new_string(p->file));
        json_object_object_add(n, "host", json_object_new_string(p->host));
        json_object_object_add(n, "signal", json_object_new_int(p->quality));
        json_object_object_add(n, "config", cfg);
        json_object_array_add(nets, n);
    }
    json_object_object_add(o, "networks", nets);
    json_object_object_add(o, "scanned", scanned);
    return o;
}
