/* batd: userspace batman-adv (B.A.T.M.A.N. IV, compat 15). Argument parsing, setup,
 * the event loop, clean shutdown; `batd ctl ...` is the control client; called as
 * `batctl`, it answers batctl's table commands (batctl.h). */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "batctl.h"
#include "batd.h"
#include "ctl.h"
#include "hardif.h"
#include "log.h"
#include "neigh.h"
#include "ogm_iv.h"
#include "originator.h"
#include "privs.h"
#include "rxring.h"
#include "softif.h"
#include "tt.h"

static void usage(FILE *f)
{
    fprintf(f,
            "usage: batd [--soft-if bat0] [--vlan 8021ad:VID|8021q:VID] [--orig-interval MS]\n"
            "            [--hop-penalty N] [--ctl PATH] [--mac XX:XX:XX:XX:XX:XX]\n"
            "            [--orig-mac XX:XX:XX:XX:XX:XX] [--no-aggregation] [--no-tap-offload] [--no-rx-ring] [--bla [0|1]] [--dat [0|1]]\n"
            "            [--gw-mode [off|client|server]] [--multicast-mode [0|1]] [-v] HARDIF...\n"
            "       batd ctl [--ctl PATH] originators|neighbors|interfaces|translocal|transglobal|"
            "statistics [--json]\n");
}

static int parse_mac(const char *s, uint8_t *mac)
{
    unsigned v[6];
    char extra;
    if (sscanf(s, "%2x:%2x:%2x:%2x:%2x:%2x%c", &v[0], &v[1], &v[2], &v[3], &v[4], &v[5], &extra) != 6)
        return -1;
    for (int i = 0; i < 6; i++)
        mac[i] = (uint8_t)v[i];
    return 0;
}

static int parse_uint(const char *s, unsigned long max, unsigned *out)
{
    char *end;
    errno = 0;
    unsigned long v = strtoul(s, &end, 10);
    if (errno || *end || end == s || v > max)
        return -1;
    *out = (unsigned)v;
    return 0;
}

static bool flag_on(const char *s)
{
    return strcmp(s, "0") && strcmp(s, "off") && strcmp(s, "disabled") && strcmp(s, "false");
}

/* --bla/--dat/--gw-mode/--multicast-mode take an optional value: consumed only when it
 * looks like one, so `--bla eth0` still means "bla on, hard interface eth0". */
static bool is_feature_value(const char *v)
{
    static const char *const vals[] = {"0", "1", "on", "off", "enabled", "disabled", "true",
                                       "false", "client", "server"};
    if (!v)
        return false;
    for (unsigned i = 0; i < sizeof vals / sizeof vals[0]; i++)
        if (!strcmp(v, vals[i]))
            return true;
    return false;
}

static bool is_feature_option(const char *a)
{
    return !strcmp(a, "--bla") || !strcmp(a, "--dat") || !strcmp(a, "--gw-mode") ||
           !strcmp(a, "--multicast-mode");
}

static void on_signal(int signo, void *arg)
{
    log_info("signal %d: shutting down", signo);
    lime_loop_stop(arg);
}

static void purge_cb(void *arg)
{
    struct batd *bat = arg;
    batd_orig_purge(bat);
    for (unsigned i = 0; i < bat->n_hardifs; i++) {
        batd_hardif_neigh_purge(bat, &bat->hardifs[i], false);
        batd_hardif_refresh_mtu(bat, &bat->hardifs[i]);
        batd_rxring_tick(bat, &bat->hardifs[i]);
    }
    batd_tt_purge(bat);
    bat->purge_timer = lime_timer_add(bat->loop, 1000, purge_cb, bat);
}

static struct batd the_bat;

int main(int argc, char **argv)
{
    const char *base = strrchr(argv[0], '/');
    if (!strcmp(base ? base + 1 : argv[0], "batctl"))
        return batd_batctl_main(argc, argv);
    lime_log_init("batd", LIME_LOG_INFO);
    static char ctl_default[128];
    const char *soft_if = "bat0";
    /* first pass for --soft-if so `batd ctl` finds the default socket too */
    for (int i = 1; i + 1 < argc; i++)
        if (!strcmp(argv[i], "--soft-if"))
            soft_if = argv[i + 1];
    snprintf(ctl_default, sizeof ctl_default, "/run/batd/%s.sock", soft_if);
    if (argc >= 2 && !strcmp(argv[1], "ctl"))
        return batd_ctl_client(argc - 2, argv + 2, ctl_default);

    struct batd_config cfg = {.soft_if = "bat0", .orig_interval = 1000, .hop_penalty = 30,
                              .aggregation = true};
    const char *hardifs[BATD_MAX_HARDIFS];
    unsigned n_hardifs = 0;
    bool have_orig_mac = false;
    uint8_t orig_mac[6];
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        const char *v = i + 1 < argc ? argv[i + 1] : NULL;
        bool takes = a[0] == '-' && strcmp(a, "-v") && strcmp(a, "-h") && strcmp(a, "--help") &&
                     strcmp(a, "--no-aggregation") && strcmp(a, "--no-tap-offload") &&
                     strcmp(a, "--no-rx-ring");
        if (is_feature_option(a)) {
            takes = is_feature_value(v);
            if (!takes)
                v = "1";
        }
        if (takes && !v) {
            fprintf(stderr, "batd: option %s needs a value\n", a);
            return 2;
        }
        if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
            usage(stdout);
            return 0;
        } else if (!strcmp(a, "-v")) {
            lime_log_set_level(LIME_LOG_DEBUG);
        } else if (!strcmp(a, "--no-aggregation")) {
            cfg.aggregation = false;
        } else if (!strcmp(a, "--no-tap-offload")) {
            cfg.no_tap_offload = true;
        } else if (!strcmp(a, "--no-rx-ring")) {
            cfg.no_rx_ring = true;
        } else if (!strcmp(a, "--soft-if")) {
            if (strlen(v) >= IF_NAMESIZE) {
                fprintf(stderr, "batd: --soft-if %s: name too long\n", v);
                return 2;
            }
            cfg.soft_if = v;
        } else if (!strcmp(a, "--vlan")) {
            unsigned vid;
            const char *colon = strchr(v, ':');
            if (!colon || parse_uint(colon + 1, 4094, &vid) < 0 || vid == 0) {
                fprintf(stderr, "batd: --vlan %s: expected 8021ad:VID or 8021q:VID (1-4094)\n", v);
                return 2;
            }
            if (!strncmp(v, "8021ad:", 7))
                cfg.vlan_tpid = 0x88a8;
            else if (!strncmp(v, "8021q:", 6))
                cfg.vlan_tpid = 0x8100;
            else {
                fprintf(stderr, "batd: --vlan %s: protocol must be 8021ad or 8021q\n", v);
                return 2;
            }
            cfg.vlan_id = (uint16_t)vid;
        } else if (!strcmp(a, "--orig-interval")) {
            if (parse_uint(v, 3600000, &cfg.orig_interval) < 0 || cfg.orig_interval < 50) {
                fprintf(stderr, "batd: --orig-interval %s: expected milliseconds >= 50\n", v);
                return 2;
            }
        } else if (!strcmp(a, "--hop-penalty")) {
            if (parse_uint(v, 255, &cfg.hop_penalty) < 0) {
                fprintf(stderr, "batd: --hop-penalty %s: expected 0-255\n", v);
                return 2;
            }
        } else if (!strcmp(a, "--ctl")) {
            cfg.ctl_path = v;
        } else if (!strcmp(a, "--mac")) {
            if (parse_mac(v, cfg.mac) < 0 || mac_is_multicast(cfg.mac)) {
                fprintf(stderr, "batd: --mac %s: expected a unicast MAC XX:XX:XX:XX:XX:XX\n", v);
                return 2;
            }
            cfg.have_mac = true;
        } else if (!strcmp(a, "--orig-mac")) {
            if (parse_mac(v, orig_mac) < 0 || mac_is_multicast(orig_mac)) {
                fprintf(stderr, "batd: --orig-mac %s: expected a unicast MAC\n", v);
                return 2;
            }
            have_orig_mac = true;
        } else if (!strcmp(a, "--bla")) {
            cfg.bla = flag_on(v);
        } else if (!strcmp(a, "--dat")) {
            cfg.dat = flag_on(v);
        } else if (!strcmp(a, "--gw-mode")) {
            if (!strcmp(v, "server"))
                cfg.gw_mode = BATD_GW_SERVER;
            else
                cfg.gw_mode = flag_on(v) ? BATD_GW_CLIENT : BATD_GW_OFF;
        } else if (!strcmp(a, "--multicast-mode")) {
            cfg.multicast_mode = flag_on(v);
        } else if (a[0] == '-') {
            fprintf(stderr, "batd: unknown option %s\n", a);
            usage(stderr);
            return 2;
        } else {
            if (n_hardifs >= BATD_MAX_HARDIFS) {
                fprintf(stderr, "batd: at most %d hard interfaces\n", BATD_MAX_HARDIFS);
                return 2;
            }
            hardifs[n_hardifs++] = a;
            continue;
        }
        if (takes)
            i++;
    }
    if (!n_hardifs) {
        fprintf(stderr, "batd: no hard interface given\n");
        usage(stderr);
        return 2;
    }
    if (!cfg.ctl_path) {
        snprintf(ctl_default, sizeof ctl_default, "/run/batd/%s.sock", cfg.soft_if);
        cfg.ctl_path = ctl_default;
    }
    if (cfg.bla)
        log_warn("bridge loop avoidance is not supported: ignored");
    if (cfg.dat)
        log_warn("distributed ARP table is not supported: ignored");
    if (cfg.gw_mode)
        log_warn("gateway mode: no gateway announcement or selection; DHCP requests from "
                 "local clients stay out of the mesh");
    if (cfg.multicast_mode)
        log_warn("multicast optimisations are not supported: multicast is flooded");

    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    srandom((unsigned)(ts.tv_nsec ^ ts.tv_sec ^ getpid()));

    /* attaching to an existing (persistent) TAP: keep its MAC unless --mac, so a restarted
     * batd does not change the MAC of the bridge it is a port of (peers' ARP caches) */
    if (!cfg.have_mac && batd_softif_existing_mac(cfg.soft_if, cfg.mac) == 0) {
        cfg.have_mac = true;
        log_info("%s exists: keeping its MAC %02x:%02x:%02x:%02x:%02x:%02x", cfg.soft_if,
                 cfg.mac[0], cfg.mac[1], cfg.mac[2], cfg.mac[3], cfg.mac[4], cfg.mac[5]);
    }

    struct lime_loop *loop = lime_loop_new();
    if (!loop) {
        log_err("cannot create event loop");
        return 1;
    }
    struct batd *bat = &the_bat;
    batd_init(bat, loop, &cfg);
    int rc = 1;
    for (unsigned i = 0; i < n_hardifs; i++) {
        int r = batd_hardif_open(bat, hardifs[i]);
        if (r < 0) {
            log_err("hard interface %s: %s", hardifs[i], strerror(-r));
            goto out;
        }
    }
    if (have_orig_mac)
        memcpy(bat->hardifs[0].mac, orig_mac, 6);
    int r = batd_softif_open(bat);
    if (r < 0) {
        log_err("soft interface %s: %s", cfg.soft_if, strerror(-r));
        goto out;
    }
    r = batd_ctl_open(bat, cfg.ctl_path);
    if (r < 0) {
        log_err("control socket %s: %s", cfg.ctl_path, strerror(-r));
        goto out;
    }
    if (batd_hardif_watch_all(bat) < 0)
        goto out;
    lime_loop_add_signal(loop, SIGTERM, on_signal, loop);
    lime_loop_add_signal(loop, SIGINT, on_signal, loop);
    signal(SIGPIPE, SIG_IGN);
    batd_privs_drop();
    bat->purge_timer = lime_timer_add(loop, 1000, purge_cb, bat);
    batd_ogm_iv_start(bat);
    log_info("%s up: originator %02x:%02x:%02x:%02x:%02x:%02x, %u hard interface(s), control %s",
             cfg.soft_if, bat->hardifs[0].mac[0], bat->hardifs[0].mac[1], bat->hardifs[0].mac[2],
             bat->hardifs[0].mac[3], bat->hardifs[0].mac[4], bat->hardifs[0].mac[5], bat->n_hardifs,
             cfg.ctl_path);
    rc = lime_loop_run(loop) < 0 ? 1 : 0;
    batd_ogm_iv_stop(bat);
out:
    batd_ctl_close(bat, cfg.ctl_path);
    batd_softif_close(bat);
    for (unsigned i = 0; i < bat->n_hardifs; i++)
        batd_hardif_close(bat, &bat->hardifs[i]);
    batd_free_tables(bat);
    lime_loop_free(loop);
    return rc;
}
