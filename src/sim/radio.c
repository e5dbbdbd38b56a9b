/* The Wi-Fi medium (radio.h). */
#include "radio.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "hwsim.h"
#include "log.h"
#include "netid.h"
#include "nl80211.h"
#include "node.h"
#include "spawn.h"
#include "strbuf.h"

#define SIM_IF_WIFI 0x77 /* 'w': the second byte of a node radio's address is 4c, the third 77 */

void sim_radio_node_phy(const struct sim_state *st, int i, char out[32])
{
    snprintf(out, 32, "lsr-%s", st->nodes[i].name);
}

void sim_radio_phone_phy(const struct sim_client *c, char out[32])
{
    snprintf(out, 32, "lsp-%s", c->name);
}

void sim_radio_node_mac(int i, uint8_t out[6])
{
    unsigned v = 0x0101u + (unsigned)i;
    uint8_t m[6] = {0x02, 0x4c, SIM_IF_WIFI, 0x00, (uint8_t)(v >> 8), (uint8_t)v};
    memcpy(out, m, 6);
}

int sim_radio_node_of_mac(const struct sim_state *st, const uint8_t mac[6])
{
    if (mac[1] != 0x4c || mac[2] != SIM_IF_WIFI || mac[3] != 0)
        return -1;
    int i = (int)((unsigned)mac[4] << 8 | mac[5]) - 0x0101;
    return i >= 0 && i < st->n_nodes ? i : -1;
}

int sim_radio_check(const struct sim_state *st, char *err, size_t len)
{
    if (st->n_links > SIM_RADIO_BITS - 4) {
        snprintf(err, len, "--wifi: %d links, at most %d (each link is a bit of hwsim's 64-bit "
                 "group mask, and phones need a few)", st->n_links, SIM_RADIO_BITS - 4);
        return -1;
    }
    for (int i = 0; i < st->n_nodes; i++)
        if (st->nodes[i].radio_types[0] && sim_hwsim_iftypes(st->nodes[i].radio_types) < 0) {
            snprintf(err, len, "--radio %s=%s: expected interface types among managed, ap, mesh, "
                     "adhoc (comma-separated)", st->nodes[i].name, st->nodes[i].radio_types);
            return -1;
        }
    return 0;
}

static uint64_t node_mask(const struct sim_state *st, int i)
{
    if (st->nodes[i].stopped)
        return 0;
    uint64_t m = 0;
    for (int k = 0; k < st->n_links && k < SIM_RADIO_BITS; k++) {
        const struct sim_link *l = &st->links[k];
        if (!l->down && (l->a == i || l->b == i) && !st->nodes[l->a].stopped && !st->nodes[l->b].stopped)
            m |= 1ull << k;
    }
    if (st->nodes[i].ap_bit >= 0)
        m |= 1ull << st->nodes[i].ap_bit;
    return m;
}

int sim_radio_groups(const struct sim_state *st)
{
    int rc = 0;
    for (int i = 0; i < st->n_nodes; i++) {
        char phy[32];
        sim_radio_node_phy(st, i, phy);
        int r = sim_hwsim_group(phy, node_mask(st, i));
        if (r < 0) {
            log_err("%s: setting its hwsim group: %s", phy, strerror(-r));
            rc = -1;
        }
    }
    return rc;
}

int sim_radio_ap_bit(struct sim_state *st, int node)
{
    if (st->nodes[node].ap_bit >= 0)
        return st->nodes[node].ap_bit;
    int next = st->n_links;
    for (int i = 0; i < st->n_nodes; i++)
        if (st->nodes[i].ap_bit >= next)
            next = st->nodes[i].ap_bit + 1;
    if (next >= SIM_RADIO_BITS)
        return -1;
    st->nodes[node].ap_bit = next;
    return next;
}

/* Radios lime-sim did not make (mac80211_hwsim's own, loaded by hand) hear nothing. */
static void silence_others(void)
{
    DIR *d = opendir("/sys/kernel/debug/ieee80211");
    for (struct dirent *e; d && (e = readdir(d));)
        if (e->d_name[0] != '.' && strncmp(e->d_name, "lsr-", 4) && strncmp(e->d_name, "lsp-", 4))
            sim_hwsim_group(e->d_name, 0);
    if (d)
        closedir(d);
}

int sim_radio_up(struct sim_state *st)
{
    if (access("/sys/module/mac80211_hwsim", F_OK) != 0 &&
        sim_cmd(NULL, 0, "modprobe", "mac80211_hwsim", "radios=0", NULL) != 0) {
        log_err("--wifi: mac80211_hwsim cannot be loaded");
        return -1;
    }
    silence_others();
    struct lime_strbuf b = {0};
    for (int i = 0; i < st->n_nodes; i++) {
        char phy[32], ns[64], mac[18];
        uint8_t addr[6];
        sim_radio_node_phy(st, i, phy);
        sim_node_ns(st, i, ns);
        sim_radio_node_mac(i, addr);
        int64_t types = st->nodes[i].radio_types[0] ? sim_hwsim_iftypes(st->nodes[i].radio_types)
                                                    : (int64_t)SIM_HWSIM_ALL;
        int id, r = sim_hwsim_new(phy, addr, (uint32_t)types, &id);
        if (r == 0)
            r = sim_hwsim_to_netns(phy, ns);
        if (r < 0) {
            log_err("%s: radio %s: %s", st->nodes[i].name, phy, strerror(-r));
            lime_strbuf_free(&b);
            return -1;
        }
        /* eth0 carries no traffic: its address is the one LiMe-C derives the node's from.
         * Made as lsd<i> (the guest has an eth0 of its own) and renamed in the node. */
        sim_mac(SIM_IF_RADIO, i, mac);
        lime_strbuf_printf(&b, "link add lsd%d address %s netns %s type dummy\n", i, mac, ns);
    }
    char *text = lime_strbuf_finish(&b, NULL);
    int rc = text ? sim_ip_batch(NULL, text) : -1;
    free(text);
    if (rc != 0) {
        log_err("--wifi: making the nodes' eth0 failed");
        return -1;
    }
    return sim_radio_groups(st);
}

void sim_radio_down(const struct sim_state *st)
{
    for (int i = 0; i < st->n_nodes; i++) {
        char phy[32];
        sim_radio_node_phy(st, i, phy);
        sim_hwsim_del(phy);
    }
    for (int i = 0; i < st->n_clients; i++) {
        char phy[32];
        sim_radio_phone_phy(&st->clients[i], phy);
        sim_hwsim_del(phy);
    }
}

int sim_in_netns(const char *ns, void (*fn)(void *), void *arg)
{
    char path[128];
    snprintf(path, sizeof(path), "/run/netns/%s", ns);
    int self = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC);
    int target = open(path, O_RDONLY | O_CLOEXEC);
    int rc = -1;
    if (self >= 0 && target >= 0 && setns(target, CLONE_NEWNET) == 0) {
        fn(arg);
        if (setns(self, CLONE_NEWNET) != 0) {
            log_err("cannot return to lime-sim's own network namespace: %s", strerror(errno));
            abort(); /* never go on in a node's namespace */
        }
        rc = 0;
    }
    if (self >= 0)
        close(self);
    if (target >= 0)
        close(target);
    return rc;
}

struct status_arg {
    const struct sim_state *st;
    json_object *out;
};

static void mac_text(const uint8_t m[6], char out[18])
{
    snprintf(out, 18, "%02x:%02x:%02x:%02x:%02x:%02x", m[0], m[1], m[2], m[3], m[4], m[5]);
}

static void status_here(void *p)
{
    struct status_arg *a = p;
    struct lime_nl_wifi *w = lime_nl_wifi_open();
    if (!w)
        return;
    struct lime_nl_wifi_iface *ifs = NULL;
    size_t n = 0;
    if (lime_nl_wifi_ifaces(w, &ifs, &n) == 0) {
        json_object *arr = json_object_new_array();
        for (size_t i = 0; i < n; i++) {
            json_object *o = json_object_new_object(), *stas = json_object_new_array();
            char mac[18];
            mac_text(ifs[i].mac, mac);
            json_object_object_add(o, "name", json_object_new_string(ifs[i].name));
            json_object_object_add(o, "type", json_object_new_string(lime_wifi_iftype_name(ifs[i].iftype)));
            json_object_object_add(o, "mac", json_object_new_string(mac));
            json_object_object_add(o, "frequency", json_object_new_int((int)ifs[i].freq));
            json_object_object_add(o, "channel", json_object_new_int(lime_wifi_freq_chan(ifs[i].freq)));
            json_object_object_add(o, "ssid", json_object_new_string(ifs[i].ssid));
            struct lime_nl_wifi_station *sv = NULL;
            size_t ns = 0;
            if (lime_nl_wifi_stations(w, ifs[i].ifindex, &sv, &ns) == 0)
                for (size_t k = 0; k < ns; k++) {
                    json_object *s = json_object_new_object();
                    mac_text(sv[k].mac, mac);
                    json_object_object_add(s, "mac", json_object_new_string(mac));
                    int node = sim_radio_node_of_mac(a->st, sv[k].mac);
                    if (node >= 0)
                        json_object_object_add(s, "node", json_object_new_string(a->st->nodes[node].name));
                    for (int c = 0; c < a->st->n_clients; c++) {
                        char cm[18];
                        sim_mac(SIM_IF_CLIENT, a->st->clients[c].id, cm);
                        if (!strcmp(cm, mac))
                            json_object_object_add(s, "client", json_object_new_string(a->st->clients[c].name));
                    }
                    if (sv[k].has_plink)
                        json_object_object_add(s, "plink", json_object_new_string(lime_wifi_plink_name(sv[k].plink_state)));
                    if (sv[k].has_signal)
                        json_object_object_add(s, "signal", json_object_new_int(sv[k].signal));
                    json_object_object_add(s, "inactive_ms", json_object_new_int64(sv[k].inactive_ms));
                    json_object_array_add(stas, s);
                }
            free(sv);
            json_object_object_add(o, "stations", stas);
            json_object_array_add(arr, o);
        }
        a->out = arr;
    }
    free(ifs);
    lime_nl_wifi_close(w);
}

json_object *sim_radio_status(const struct sim_state *st, const char *ns)
{
    struct status_arg a = {st, NULL};
    if (sim_in_netns(ns, status_here, &a) < 0)
        return NULL;
    return a.out;
}

struct freq_arg {
    const char *ssid;
    unsigned freq;
};

static void freq_here(void *p)
{
    struct freq_arg *a = p;
    struct lime_nl_wifi *w = lime_nl_wifi_open();
    struct lime_nl_wifi_iface *ifs = NULL;
    size_t n = 0;
    if (w && lime_nl_wifi_ifaces(w, &ifs, &n) == 0)
        for (size_t i = 0; i < n; i++)
            if (ifs[i].iftype == LIME_WIFI_AP && ifs[i].freq && !strcmp(ifs[i].ssid, a->ssid))
                a->freq = ifs[i].freq;
    free(ifs);
    lime_nl_wifi_close(w);
}

unsigned sim_radio_ap_freq(const struct sim_state *st, int i, const char *ssid)
{
    char ns[64];
    struct freq_arg a = {ssid, 0};
    sim_node_ns(st, i, ns);
    sim_in_netns(ns, freq_here, &a);
    return a.freq;
}
