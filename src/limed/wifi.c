/* limed's Wi-Fi module (wifi.h). */
#include "wifi.h"

#include "core/loop.h"
#include "core/nl80211.h"
#include "core/strbuf.h"
#include "core/wpactrl.h"
#include "limecfg.h"
#include "limed.h"
#include "log.h"

#include <arpa/inet.h>
#include <dirent.h>
#include <errno.h>
#include <ifaddrs.h>
#include <linux/if_packet.h>
#include <net/ethernet.h>
#include <net/if.h>
#include <netinet/in.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#define MAX_CTL 16
#define SCAN_MS 3000
#define SAE_QUIET_MS (5 * 60 * 1000)
#define ANYGW_IF "anygw"

struct ctl {
    struct lime_wpactrl *c;
    char path[768];
    char ifname[IFNAMSIZ];
    bool hostapd;
};

struct nudge {
    bool used;
    uint8_t mac[6], ip[4];
    int sent;
    struct lime_timer *t;
};

static struct {
    struct ld_ctx *ctx;
    struct ctl ctls[MAX_CTL];
    int n;
    struct lime_timer *scan;
    struct ld_wifi_stats st;
    struct {
        uint8_t mac[6];
        uint64_t at;
    } sae[32];
    struct nudge nudges[8];
    bool nudge_on; /* lime wifi.roam_arp_nudge, default on */
} W;

const struct ld_wifi_stats *ld_wifi_stats(void)
{
    return &W.st;
}

/* ---------------------------------------------------------------- ARP to a phone */

void ld_wifi_arp_frame(uint8_t f[42], const uint8_t gw_mac[6], const uint8_t gw_ip[4],
                       const uint8_t phone_mac[6], const uint8_t phone_ip[4])
{
    memcpy(f, phone_mac, 6);
    memcpy(f + 6, gw_mac, 6);
    f[12] = 0x08, f[13] = 0x06;             /* ARP */
    f[14] = 0, f[15] = 1;                   /* Ethernet */
    f[16] = 0x08, f[17] = 0;                /* IPv4 */
    f[18] = 6, f[19] = 4, f[20] = 0, f[21] = 1; /* request */
    memcpy(f + 22, gw_mac, 6);
    memcpy(f + 28, gw_ip, 4);
    memset(f + 32, 0, 6);
    memcpy(f + 38, phone_ip, 4);
}

int ld_wifi_lease_ip(const char *text, const uint8_t mac[6], uint8_t ip[4])
{
    char want[18];
    snprintf(want, sizeof(want), "%02x:%02x:%02x:%02x:%02x:%02x", mac[0], mac[1], mac[2], mac[3],
             mac[4], mac[5]);
    for (const char *line = text; line && *line;) {
        const char *nl = strchr(line, '\n');
        size_t len = nl ? (size_t)(nl - line) : strlen(line);
        char buf[256], a[64] = "", b[64] = "", c[64] = "";
        if (len < sizeof(buf)) {
            memcpy(buf, line, len);
            buf[len] = 0;
            for (char *p = buf; *p; p++)
                if (*p == ',')
                    *p = ' ';
            int n = sscanf(buf, "%63s %63s %63s", a, b, c);
            /* dnsmasq.leases: expiry mac ip ...; dhcp.hosts_remote: mac,ip */
            const char *m = n >= 3 && !strcasecmp(b, want) ? b : n >= 2 && !strcasecmp(a, want) ? a : NULL;
            const char *addr = m == b ? c : m == a ? b : NULL;
            struct in_addr in;
            if (addr && inet_pton(AF_INET, addr, &in) == 1) {
                memcpy(ip, &in, 4);
                return 0;
            }
        }
        line = nl ? nl + 1 : NULL;
    }
    return -1;
}

static int phone_ip(const uint8_t mac[6], uint8_t ip[4])
{
    static const char *const files[] = {"/var/lib/dnsmasq.leases", "/tmp/dhcp.hosts_remote"};
    for (int i = 0; i < 2; i++) {
        char path[512];
        char *text = lime_read_file(ld_path(W.ctx, files[i], path, sizeof(path)), 1u << 20, NULL);
        int r = text ? ld_wifi_lease_ip(text, mac, ip) : -1;
        free(text);
        if (r == 0)
            return 0;
    }
    return -1;
}

/* The anycast gateway's interface: index, MAC and IPv4. */
static int anygw_of(int *ifindex, uint8_t mac[6], uint8_t ip[4])
{
    *ifindex = (int)if_nametoindex(ANYGW_IF);
    if (!*ifindex)
        return -1;
    int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    struct ifreq r = {0};
    snprintf(r.ifr_name, sizeof(r.ifr_name), "%s", ANYGW_IF);
    int ok = fd >= 0 && ioctl(fd, SIOCGIFHWADDR, &r) == 0;
    if (fd >= 0)
        close(fd);
    if (!ok)
        return -1;
    memcpy(mac, r.ifr_hwaddr.sa_data, 6);
    struct ifaddrs *all, *a;
    int found = -1;
    if (getifaddrs(&all) < 0)
        return -1;
    for (a = all; a && found; a = a->ifa_next)
        if (a->ifa_addr && a->ifa_addr->sa_family == AF_INET && !strcmp(a->ifa_name, ANYGW_IF)) {
            memcpy(ip, &((struct sockaddr_in *)a->ifa_addr)->sin_addr, 4);
            found = 0;
        }
    freeifaddrs(all);
    return found;
}

static void nudge_send(struct nudge *n)
{
    int ifindex;
    uint8_t gw_mac[6], gw_ip[4], f[42];
    if (anygw_of(&ifindex, gw_mac, gw_ip) < 0)
        return;
    ld_wifi_arp_frame(f, gw_mac, gw_ip, n->mac, n->ip);
    int fd = socket(AF_PACKET, SOCK_RAW | SOCK_CLOEXEC, htons(ETH_P_ARP));
    if (fd < 0)
        return;
    struct sockaddr_ll to = {.sll_family = AF_PACKET, .sll_protocol = htons(ETH_P_ARP),
                             .sll_ifindex = ifindex, .sll_halen = 6};
    memcpy(to.sll_addr, n->mac, 6);
    if (sendto(fd, f, sizeof(f), 0, (struct sockaddr *)&to, sizeof(to)) == (ssize_t)sizeof(f))
        W.st.arp_nudges++;
    close(fd);
}

static void nudge_timer(void *arg)
{
    struct nudge *n = arg;
    n->t = NULL;
    nudge_send(n);
    if (++n->sent < 3)
        n->t = lime_timer_add(W.ctx->loop, n->sent == 1 ? 200 : 400, nudge_timer, n);
    else
        n->used = false;
}

static void nudge_start(const uint8_t mac[6])
{
    uint8_t ip[4];
    if (!W.nudge_on)
        return;
    if (phone_ip(mac, ip) < 0) {
        W.st.arp_unknown++; /* a new phone: it asks DHCP first anyway */
        return;
    }
    struct nudge *n = NULL;
    for (int i = 0; i < 8 && !n; i++)
        if (W.nudges[i].used && !memcmp(W.nudges[i].mac, mac, 6))
            n = &W.nudges[i];
    for (int i = 0; i < 8 && !n; i++)
        if (!W.nudges[i].used)
            n = &W.nudges[i];
    if (!n)
        return;
    if (n->t)
        lime_timer_cancel(W.ctx->loop, n->t);
    *n = (struct nudge){.used = true};
    memcpy(n->mac, mac, 6);
    memcpy(n->ip, ip, 4);
    nudge_send(n);
    n->sent = 1;
    n->t = lime_timer_add(W.ctx->loop, 200, nudge_timer, n);
}

/* ---------------------------------------------------------------- events */

static void sae_failure(const struct ctl *c, const uint8_t mac[6])
{
    W.st.sae_failures++;
    uint64_t now = lime_now_ms();
    int slot = 0;
    for (int i = 0; i < 32; i++) {
        if (!memcmp(W.sae[i].mac, mac, 6)) {
            if (now - W.sae[i].at < SAE_QUIET_MS)
                return;
            slot = i;
            break;
        }
        if (W.sae[i].at < W.sae[slot].at)
            slot = i;
    }
    memcpy(W.sae[slot].mac, mac, 6);
    W.sae[slot].at = now;
    log_warn("wifi: %s: mesh neighbour %02x:%02x:%02x:%02x:%02x:%02x failed SAE authentication: "
             "its mesh key differs from this node's (wifi ieee80211s_key): no link with it",
             c->ifname, mac[0], mac[1], mac[2], mac[3], mac[4], mac[5]);
}

static void on_event(struct ctl *c, const char *msg, size_t len)
{
    struct lime_wpactrl_event ev;
    if (lime_wpactrl_parse_event(msg, len, &ev) < 0) {
        if (strncmp(msg, "PONG", 4) && strncmp(msg, "OK", 2))
            W.st.malformed++;
        return;
    }
    W.st.events++;
    if (!strcmp(ev.name, "AP-STA-CONNECTED") && ev.has_mac) {
        W.st.sta_connected++;
        log_info("wifi: %s: %02x:%02x:%02x:%02x:%02x:%02x associated", c->ifname, ev.mac[0],
                 ev.mac[1], ev.mac[2], ev.mac[3], ev.mac[4], ev.mac[5]);
        nudge_start(ev.mac);
    } else if (!strcmp(ev.name, "AP-STA-DISCONNECTED")) {
        W.st.sta_disconnected++;
    } else if (!strcmp(ev.name, "MESH-SAE-AUTH-FAILURE") && ev.has_mac) {
        sae_failure(c, ev.mac);
    }
}

static void on_read(int fd, unsigned events, void *arg)
{
    (void)fd;
    (void)events;
    struct ctl *c = arg;
    char buf[2048];
    for (int i = 0; i < 64; i++) {
        int n = lime_wpactrl_recv(c->c, buf, sizeof(buf));
        if (n <= 0)
            return;
        on_event(c, buf, (size_t)n);
    }
}

static void drop(int i)
{
    lime_loop_del_fd(W.ctx->loop, lime_wpactrl_fd(W.ctls[i].c));
    lime_wpactrl_close(W.ctls[i].c);
    W.ctls[i] = W.ctls[--W.n];
    /* the moved entry's callback argument changed: register it again */
    if (i < W.n) {
        lime_loop_del_fd(W.ctx->loop, lime_wpactrl_fd(W.ctls[i].c));
        lime_loop_add_fd(W.ctx->loop, lime_wpactrl_fd(W.ctls[i].c), LIME_EV_READ, on_read, &W.ctls[i]);
    }
}

static void attach_dir(const char *rel, bool hostapd)
{
    char dir[512];
    ld_path(W.ctx, rel, dir, sizeof(dir));
    DIR *d = opendir(dir);
    for (struct dirent *e; d && (e = readdir(d));) {
        if (e->d_name[0] == '.' || strlen(e->d_name) >= IFNAMSIZ || W.n == MAX_CTL)
            continue;
        char path[768];
        snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
        struct stat sb;
        if (stat(path, &sb) < 0 || !S_ISSOCK(sb.st_mode))
            continue;
        bool known = false;
        for (int i = 0; i < W.n && !known; i++)
            known = !strcmp(W.ctls[i].path, path);
        if (known)
            continue;
        struct lime_wpactrl *c = lime_wpactrl_open(path);
        if (!c)
            continue;
        if (lime_wpactrl_attach(c) < 0) {
            lime_wpactrl_close(c);
            continue;
        }
        struct ctl *x = &W.ctls[W.n++];
        *x = (struct ctl){.c = c, .hostapd = hostapd};
        snprintf(x->path, sizeof(x->path), "%s", path);
        snprintf(x->ifname, sizeof(x->ifname), "%s", e->d_name);
        lime_loop_add_fd(W.ctx->loop, lime_wpactrl_fd(c), LIME_EV_READ, on_read, x);
        W.st.ctrl_attached++;
        log_debug("wifi: following %s %s", hostapd ? "hostapd" : "wpa_supplicant", path);
    }
    if (d)
        closedir(d);
}

static void scan(void *arg)
{
    (void)arg;
    W.scan = NULL;
    /* daemons that went away (or restarted: a new socket, our attachment lost) */
    for (int i = W.n; i-- > 0;) {
        struct stat sb;
        if (stat(W.ctls[i].path, &sb) < 0 || lime_wpactrl_send(W.ctls[i].c, "PING") < 0)
            drop(i);
    }
    attach_dir("/var/run/hostapd", true);
    attach_dir("/var/run/wpa_supplicant", false);
    W.scan = lime_timer_add(W.ctx->loop, SCAN_MS, scan, NULL);
}

int ld_wifi_start(struct ld_ctx *ctx)
{
    memset(&W, 0, sizeof(W));
    W.ctx = ctx;
    char v[16];
    ld_lime_get(ctx, "wifi", "roam_arp_nudge", false, v, sizeof(v));
    W.nudge_on = strcmp(v, "0") && strcmp(v, "false");
    if (!W.nudge_on)
        log_info("wifi: wifi.roam_arp_nudge is off: associating phones get no ARP request");
    scan(NULL);
    return 0;
}

void ld_wifi_stop(struct ld_ctx *ctx)
{
    if (!W.ctx)
        return;
    if (W.scan)
        lime_timer_cancel(ctx->loop, W.scan);
    for (int i = 0; i < 8; i++)
        if (W.nudges[i].t)
            lime_timer_cancel(ctx->loop, W.nudges[i].t);
    while (W.n)
        drop(W.n - 1);
    W.ctx = NULL;
}

/* ---------------------------------------------------------------- /metrics */

static void mac_text(const uint8_t m[6], char out[18])
{
    snprintf(out, 18, "%02x:%02x:%02x:%02x:%02x:%02x", m[0], m[1], m[2], m[3], m[4], m[5]);
}

void ld_wifi_metrics(struct lime_strbuf *o)
{
    const struct ld_wifi_stats *s = &W.st;
    lime_strbuf_printf(o,
        "# HELP lime_wifi_events_total Events of the node's hostapd and wpa_supplicant limed read.\n"
        "# TYPE lime_wifi_events_total counter\n"
        "lime_wifi_events_total{event=\"sta_connected\"} %llu\n"
        "lime_wifi_events_total{event=\"sta_disconnected\"} %llu\n"
        "lime_wifi_events_total{event=\"sae_auth_failure\"} %llu\n"
        "lime_wifi_events_total{event=\"other\"} %llu\n"
        "lime_wifi_events_total{event=\"malformed\"} %llu\n"
        "# HELP lime_wifi_arp_nudges_total ARP requests the anycast gateway sent to associating phones.\n"
        "# TYPE lime_wifi_arp_nudges_total counter\nlime_wifi_arp_nudges_total %llu\n",
        (unsigned long long)s->sta_connected, (unsigned long long)s->sta_disconnected,
        (unsigned long long)s->sae_failures,
        (unsigned long long)(s->events - s->sta_connected - s->sta_disconnected - s->sae_failures),
        (unsigned long long)s->malformed, (unsigned long long)s->arp_nudges);
    struct lime_nl_wifi *w = lime_nl_wifi_open();
    struct lime_nl_wifi_iface *ifs = NULL;
    size_t n = 0;
    if (!w || lime_nl_wifi_ifaces(w, &ifs, &n) < 0) {
        lime_nl_wifi_close(w);
        return;
    }
    struct lime_strbuf st = {0};
    lime_strbuf_printf(o, "# HELP lime_wifi_frequency_mhz Frequency each Wi-Fi interface operates on (0: none).\n"
                          "# TYPE lime_wifi_frequency_mhz gauge\n");
    lime_strbuf_printf(&st, "# HELP lime_wifi_stations Stations of each Wi-Fi interface (mesh peers, AP clients).\n"
                            "# TYPE lime_wifi_stations gauge\n");
    struct lime_strbuf sig = {0}, ina = {0}, est = {0}, rate = {0};
    lime_strbuf_printf(&sig, "# HELP lime_wifi_station_signal_dbm Signal of each station (average).\n"
                             "# TYPE lime_wifi_station_signal_dbm gauge\n");
    lime_strbuf_printf(&ina, "# HELP lime_wifi_station_inactive_ms Since the station was last heard.\n"
                             "# TYPE lime_wifi_station_inactive_ms gauge\n");
    lime_strbuf_printf(&est, "# HELP lime_wifi_mesh_peer_established 1 when the 802.11s peer link is ESTAB.\n"
                             "# TYPE lime_wifi_mesh_peer_established gauge\n");
    lime_strbuf_printf(&rate, "# HELP lime_wifi_station_tx_bitrate_kbps Bitrate of the last frame sent to it.\n"
                              "# TYPE lime_wifi_station_tx_bitrate_kbps gauge\n");
    for (size_t i = 0; i < n; i++) {
        const char *ifn = ifs[i].name;
        lime_strbuf_printf(o, "lime_wifi_frequency_mhz{iface=\"%s\",type=\"%s\",channel=\"%d\"} %u\n", ifn,
                           lime_wifi_iftype_name(ifs[i].iftype), lime_wifi_freq_chan(ifs[i].freq), ifs[i].freq);
        struct lime_nl_wifi_station *sv = NULL;
        size_t ns = 0;
        if (lime_nl_wifi_stations(w, ifs[i].ifindex, &sv, &ns) < 0)
            ns = 0;
        lime_strbuf_printf(&st, "lime_wifi_stations{iface=\"%s\"} %zu\n", ifn, ns);
        for (size_t k = 0; k < ns; k++) {
            char mac[18];
            mac_text(sv[k].mac, mac);
            if (sv[k].has_signal)
                lime_strbuf_printf(&sig, "lime_wifi_station_signal_dbm{iface=\"%s\",mac=\"%s\"} %d\n", ifn,
                                   mac, sv[k].signal_avg);
            lime_strbuf_printf(&ina, "lime_wifi_station_inactive_ms{iface=\"%s\",mac=\"%s\"} %u\n", ifn, mac,
                               sv[k].inactive_ms);
            lime_strbuf_printf(&rate, "lime_wifi_station_tx_bitrate_kbps{iface=\"%s\",mac=\"%s\"} %u\n", ifn,
                               mac, sv[k].tx_rate * 100);
            if (sv[k].has_plink)
                lime_strbuf_printf(&est, "lime_wifi_mesh_peer_established{iface=\"%s\",mac=\"%s\"} %d\n", ifn,
                                   mac, sv[k].plink_state == 4);
        }
        free(sv);
    }
    struct lime_strbuf *parts[] = {&st, &sig, &ina, &rate, &est};
    for (size_t i = 0; i < sizeof(parts) / sizeof(parts[0]); i++) {
        size_t len;
        char *t = lime_strbuf_finish(parts[i], &len);
        if (t)
            lime_strbuf_put(o, t, len);
        free(t);
    }
    free(ifs);
    lime_nl_wifi_close(w);
}
