/* Wi-Fi phones (phone.h). Every wpa_supplicant command goes through its control socket
 * (wpactrl.h) from lime-sim itself: a unix socket is reached by its path whatever network
 * namespace the daemon is in, and no wpa_cli is started (each start costs 50-150 ms in
 * the emulated guest). */
#include "phone.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "addr.h"
#include "client.h"
#include "fsutil.h"
#include "hwsim.h"
#include "log.h"
#include "netid.h"
#include "nl80211.h"
#include "procs.h"
#include "radio.h"
#include "spawn.h"
#include "strbuf.h"
#include "sysctl.h"
#include "wpactrl.h"

static long long now_ms(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (long long)t.tv_sec * 1000 + t.tv_nsec / 1000000;
}

static void sleep_ms(int ms)
{
    nanosleep(&(struct timespec){ms / 1000, (ms % 1000) * 1000000L}, NULL);
}

static void ctrl_dir(const struct sim_client *c, char out[200])
{
    snprintf(out, 200, "%s/wpa-%s", sim_run_dir(), c->name);
}

/* The phone's wpa_supplicant control socket (it may not exist yet: retried until
 * deadline). NULL if it never came. */
static struct lime_wpactrl *ctrl_open(const struct sim_client *c, long long deadline)
{
    char dir[200], path[240];
    ctrl_dir(c, dir);
    snprintf(path, sizeof(path), "%s/wlan0", dir);
    for (;;) {
        struct lime_wpactrl *w = lime_wpactrl_open(path);
        if (w)
            return w;
        if (now_ms() >= deadline)
            return NULL;
        sleep_ms(50);
    }
}

static bool status_of(struct lime_wpactrl *w, char *state, size_t sl, char bssid[18])
{
    char reply[2048];
    if (lime_wpactrl_request(w, "STATUS", reply, sizeof(reply), 2000) < 0)
        return false;
    state[0] = bssid[0] = 0;
    lime_wpactrl_kv(reply, "wpa_state", state, sl);
    lime_wpactrl_kv(reply, "bssid", bssid, 18);
    return true;
}

void sim_phone_bssid(const struct sim_client *c, char out[18])
{
    out[0] = 0;
    struct lime_wpactrl *w = ctrl_open(c, now_ms());
    char state[32];
    if (w && status_of(w, state, sizeof(state), out) && strcmp(state, "COMPLETED"))
        out[0] = 0;
    lime_wpactrl_close(w);
}

/* Why the phone did not associate, from its wpa_supplicant log. */
static const char *why_not(const struct sim_client *c)
{
    char ns[64], path[300];
    sim_client_ns(c, ns);
    snprintf(path, sizeof(path), "%s/%s.wpa_supplicant.log", sim_run_dir(), ns);
    char *text = lime_read_file(path, 1u << 20, NULL);
    const char *why = "no access point of its SSID answered";
    if (text && strstr(text, "WRONG_KEY"))
        why = "the access point refused its password (4-way handshake failed: wrong key)";
    else if (text && strstr(text, "CTRL-EVENT-ASSOC-REJECT"))
        why = "the access point rejected the association";
    else if (text && strstr(text, "Trying to associate"))
        why = "the association did not complete";
    free(text);
    return why;
}

/* Whether the phone's wpa_supplicant gave its network up twice for a wrong key (once can
 * be a 4-way handshake that timed out on the loaded emulated CPU; then it waits 10 s and
 * tries again, and a second failure is the password). */
static bool wrong_key_twice(const struct sim_client *c)
{
    char ns[64], path[300];
    sim_client_ns(c, ns);
    snprintf(path, sizeof(path), "%s/%s.wpa_supplicant.log", sim_run_dir(), ns);
    char *text = lime_read_file(path, 1u << 20, NULL);
    bool yes = false;
    for (const char *l = text; l && *l && !yes;) {
        const char *end = strchr(l, '\n');
        size_t len = end ? (size_t)(end - l) : strlen(l);
        const char *f = memmem(l, len, "auth_failures=", 14);
        yes = memmem(l, len, "reason=WRONG_KEY", 16) && f && atoi(f + 14) >= 2;
        l = end ? end + 1 : l + len;
    }
    free(text);
    return yes;
}

/* Waits until the phone is associated (with bssid want, when not NULL); gives up early when
 * the access point refused its password twice. */
static int wait_assoc(const struct sim_client *c, const char *want, int wait_s, char got[18])
{
    long long deadline = now_ms() + (long long)wait_s * 1000;
    struct lime_wpactrl *w = ctrl_open(c, deadline);
    int rc = 1;
    char state[32] = "";
    got[0] = 0;
    for (int k = 1; w; k++) {
        if (status_of(w, state, sizeof(state), got) && !strcmp(state, "COMPLETED") &&
            (!want || !strcasecmp(got, want))) {
            rc = 0;
            break;
        }
        if (now_ms() >= deadline || (k % 10 == 0 && c->key[0] && wrong_key_twice(c)))
            break;
        sleep_ms(100);
    }
    lime_wpactrl_close(w);
    return rc;
}

static uint64_t bit(int b)
{
    return b >= 0 ? 1ull << b : 0;
}

/* Scanning every band of a hwsim radio takes many seconds in the emulated guest: the
 * phone scans the channel its node's access point is on (freq 0: everything). */
static int write_conf(const struct sim_client *c, const char *ssid, unsigned freq)
{
    char ns[64], path[300], dir[200];
    sim_client_ns(c, ns);
    ctrl_dir(c, dir);
    snprintf(path, sizeof(path), "%s/%s.wpa.conf", sim_run_dir(), ns);
    struct lime_strbuf b = {0};
    /* no background scanning: the phone roams when lime-sim moves it */
    lime_strbuf_printf(&b, "# wpa_supplicant of phone %s, written by lime-sim\nctrl_interface=%s\n"
                       "network={\n\tssid=\"%s\"\n\tscan_ssid=1\n\tbgscan=\"\"\n", c->name, dir, ssid);
    if (freq)
        lime_strbuf_printf(&b, "\tscan_freq=%u\n\tfreq_list=%u\n", freq, freq);
    if (c->key[0])
        lime_strbuf_printf(&b, "\tkey_mgmt=WPA-PSK\n\tpsk=\"%s\"\n", c->key);
    else
        lime_strbuf_printf(&b, "\tkey_mgmt=NONE\n");
    lime_strbuf_printf(&b, "}\n");
    size_t len;
    char *text = lime_strbuf_finish(&b, &len);
    int r = text ? lime_write_file_atomic(path, text, len, 0600) : -ENOMEM;
    free(text);
    if (r < 0)
        log_err("%s: %s", path, strerror(-r));
    return r < 0 ? -1 : 0;
}

int sim_phone_add(struct sim_state *st, const char *name, int node, const char *key, bool keep_arp,
                  int wait_s)
{
    struct sim_client c = {.at = node, .id = st->next_client_id, .keep_arp = keep_arp};
    snprintf(c.name, sizeof(c.name), "%s", name);
    snprintf(c.key, sizeof(c.key), "%s", key ? key : "");
    char ns[64], phy[32], mac[18], path[300];
    sim_client_ns(&c, ns);
    sim_radio_phone_phy(&c, phy);
    snprintf(path, sizeof(path), "%s/leases/%s.wlan0", sim_run_dir(), ns);
    unlink(path);
    int b = sim_radio_ap_bit(st, node);
    if (b < 0) {
        log_err("client add: no hwsim group bit left for %s's phones", st->nodes[node].name);
        return -1;
    }
    if (sim_cmd(NULL, 0, "ip", "netns", "add", ns, NULL) != 0)
        return -1;
    /* Recorded now, so `client del` and `down` find it whatever fails next. */
    struct sim_client *arr = realloc(st->clients, (size_t)(st->n_clients + 1) * sizeof(*arr));
    if (!arr)
        abort();
    st->clients = arr;
    st->clients[st->n_clients++] = c;
    st->next_client_id++;
    uint8_t addr[6];
    sim_mac(SIM_IF_CLIENT, c.id, mac);
    lime_mac_parse(mac, addr);
    int id, r = sim_hwsim_new(phy, addr, 1u << LIME_WIFI_STATION, &id);
    /* wlan0 is made in lime-sim's namespace (no program to start) and moves with the phy */
    struct lime_nl_wifi *w = r == 0 ? lime_nl_wifi_open() : NULL;
    if (r == 0 && !w)
        r = -errno;
    if (w) {
        struct lime_nl_wifi_phy *phys = NULL;
        size_t n = 0;
        r = lime_nl_wifi_phys(w, &phys, &n);
        if (!r) {
            r = -ENODEV;
            for (size_t i = 0; i < n; i++)
                if (!strcmp(phys[i].name, phy))
                    r = lime_nl_wifi_iface_add(w, phys[i].index, "wlan0", LIME_WIFI_STATION, NULL);
        }
        free(phys);
        lime_nl_wifi_close(w);
    }
    if (r == 0)
        r = sim_hwsim_to_netns(phy, ns);
    if (r == 0 && (sim_radio_groups(st) < 0 || sim_hwsim_group(phy, bit(b)) < 0))
        r = -EIO;
    if (r < 0) {
        log_err("%s: its radio: %s", name, strerror(-r));
        return -1;
    }
    if (sim_ip_batch(ns, "link set lo up\nlink set wlan0 up\n") != 0)
        return -1;
    if (keep_arp)
        sim_sysctl(ns, "net/ipv4/conf/wlan0/arp_evict_nocarrier", "0");
    if (write_conf(&c, st->nodes[node].ssid, sim_radio_ap_freq(st, node, st->nodes[node].ssid)) < 0)
        return -1;
    char conf[300], logp[300];
    snprintf(conf, sizeof(conf), "%s/%s.wpa.conf", sim_run_dir(), ns);
    snprintf(logp, sizeof(logp), "%s/%s.wpa_supplicant.log", sim_run_dir(), ns);
    char *argv[] = {"wpa_supplicant", "-t", "-D", "nl80211", "-i", "wlan0", "-c", conf, NULL};
    if (sim_daemon(ns, logp, argv) < 0)
        return -1;
    if (sim_client_dhcp_start(&c) < 0)
        return -1;
    if (wait_s <= 0)
        return 0;
    long long t0 = now_ms();
    char got[18];
    if (wait_assoc(&c, NULL, wait_s, got) != 0) {
        log_err("%s: did not associate with %s's access point (SSID %s) in %.1f s: %s", name,
                st->nodes[node].name, st->nodes[node].ssid, (double)(now_ms() - t0) / 1000, why_not(&c));
        return 1;
    }
    printf("%s: associated with %s (%s) in %.1f s\n", name, st->nodes[node].name, got,
           (double)(now_ms() - t0) / 1000);
    int left = wait_s - (int)((now_ms() - t0) / 1000);
    return sim_client_wait_lease(&c, left > 5 ? left : 5);
}

/* The BSSID of node's access point for ssid, from the phone's scan results. */
static bool find_bss(const struct sim_state *st, struct lime_wpactrl *w, int node, const char *ssid,
                     char out[18])
{
    char reply[8192];
    if (lime_wpactrl_request(w, "SCAN_RESULTS", reply, sizeof(reply), 2000) < 0)
        return false;
    /* bssid / frequency / signal level / flags / ssid, tab-separated, after a header */
    for (char *save = NULL, *line = strtok_r(reply, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
        uint8_t mac[6];
        const char *last = strrchr(line, '\t');
        if (lime_wpactrl_mac(line, strlen(line), mac) < 0 || !last || strcmp(last + 1, ssid))
            continue;
        if (sim_radio_node_of_mac(st, mac) == node) {
            snprintf(out, 18, "%.17s", line);
            return true;
        }
    }
    return false;
}

int sim_phone_move(struct sim_state *st, int ci, int node, int wait_s)
{
    struct sim_client *c = &st->clients[ci];
    int from = c->at;
    char phy[32], ns[64];
    sim_radio_phone_phy(c, phy);
    sim_client_ns(c, ns);
    int bn = sim_radio_ap_bit(st, node), bo = st->nodes[from].ap_bit;
    if (bn < 0) {
        log_err("client move: no hwsim group bit left for %s's phones", st->nodes[node].name);
        return -1;
    }
    /* walking over: it hears both access points for as long as the roam takes */
    if (sim_radio_groups(st) < 0 || sim_hwsim_group(phy, bit(bn) | bit(bo)) < 0)
        return -1;
    long long t0 = now_ms(), deadline = t0 + (long long)(wait_s > 0 ? wait_s : 30) * 1000;
    struct lime_wpactrl *w = ctrl_open(c, deadline);
    if (!w) {
        log_err("%s: its wpa_supplicant does not answer", c->name);
        return -1;
    }
    const char *ssid = st->nodes[node].ssid;
    bool same_ess = !strcmp(ssid, st->nodes[from].ssid);
    char target[18] = "", reply[256], cmd[128], scan[64] = "SCAN TYPE=ONLY";
    int rc = 1;
    unsigned freq = sim_radio_ap_freq(st, node, ssid);
    if (freq) {
        snprintf(scan, sizeof(scan), "SCAN TYPE=ONLY freq=%u", freq);
        snprintf(cmd, sizeof(cmd), "SET_NETWORK 0 scan_freq %u", freq);
        lime_wpactrl_request(w, cmd, reply, sizeof(reply), 2000);
        snprintf(cmd, sizeof(cmd), "SET_NETWORK 0 freq_list %u", freq);
        lime_wpactrl_request(w, cmd, reply, sizeof(reply), 2000);
    }
    if (!same_ess) {
        /* another cloud: another network, a new lease (not a roam) */
        snprintf(cmd, sizeof(cmd), "SET_NETWORK 0 ssid \"%s\"", ssid);
        if (lime_wpactrl_request(w, cmd, reply, sizeof(reply), 2000) < 0 ||
            lime_wpactrl_request(w, "REASSOCIATE", reply, sizeof(reply), 2000) < 0)
            goto out;
    } else {
        /* scan the channel until the new access point shows up, then reassociate to it */
        while (!find_bss(st, w, node, ssid, target) && now_ms() < deadline) {
            lime_wpactrl_request(w, scan, reply, sizeof(reply), 2000);
            for (int i = 0; i < 10 && !find_bss(st, w, node, ssid, target); i++)
                sleep_ms(100);
        }
        if (!target[0]) {
            log_err("%s: %s's access point (SSID %s) is not heard", c->name, st->nodes[node].name, ssid);
            goto out;
        }
        snprintf(cmd, sizeof(cmd), "ROAM %s", target);
        if (lime_wpactrl_request(w, cmd, reply, sizeof(reply), 5000) < 0 || strncmp(reply, "OK", 2)) {
            log_err("%s: ROAM %s: %s", c->name, target, reply);
            goto out;
        }
    }
    char got[18];
    int left = (int)((deadline - now_ms()) / 1000);
    if (wait_assoc(c, target[0] ? target : NULL, left > 1 ? left : 1, got) != 0) {
        log_err("%s: did not reassociate with %s within %d s: %s", c->name, st->nodes[node].name,
                wait_s, why_not(c));
        goto out;
    }
    printf("%s: roamed %s -> %s (%s) in %.2f s\n", c->name, st->nodes[from].name,
           st->nodes[node].name, got, (double)(now_ms() - t0) / 1000);
    c->at = node;
    sim_hwsim_group(phy, bit(bn)); /* and no longer hears the old one */
    rc = 0;
    if (!same_ess) {
        pid_t dhcp = sim_ns_find(ns, "udhcpc");
        if (dhcp > 0)
            kill(dhcp, SIGUSR1);
        sleep_ms(300);
        rc = sim_client_wait_lease(c, wait_s > 0 ? wait_s : 30);
    }
out:
    lime_wpactrl_close(w);
    return rc;
}

struct del_arg {
    const char *phy;
    int r;
};

static void del_here(void *p)
{
    struct del_arg *a = p;
    a->r = sim_hwsim_del(a->phy);
}

void sim_phone_del(struct sim_state *st, int ci)
{
    struct sim_client *c = &st->clients[ci];
    char ns[64], phy[32], path[300], dir[200];
    sim_client_ns(c, ns);
    sim_radio_phone_phy(c, phy);
    sim_ns_kill(ns, 0, 2000);
    /* hwsim deletes a radio only for a caller in the radio's network namespace: from
     * lime-sim's own it is not found, and deleting the namespace would then bring the phy
     * back here with its wlan0, in the way of the next phone's wlan0. */
    struct del_arg a = {phy, -ENODEV};
    if (sim_in_netns(ns, del_here, &a) < 0 || a.r < 0)
        a.r = sim_hwsim_del(phy);
    if (a.r < 0)
        log_warn("%s: its radio %s could not be deleted: %s", c->name, phy, strerror(-a.r));
    sim_cmd(NULL, 1, "ip", "netns", "del", ns, NULL);
    snprintf(path, sizeof(path), "%s/leases/%s.wlan0", sim_run_dir(), ns);
    unlink(path);
    ctrl_dir(c, dir);
    rmdir(dir);
    memmove(c, c + 1, (size_t)(st->n_clients - ci - 1) * sizeof(*c));
    st->n_clients--;
}
