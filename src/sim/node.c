#include "node.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "fsutil.h"
#include "inet.h"
#include "log.h"
#include "netid.h"
#include "procs.h"
#include "run.h"
#include "spawn.h"
#include "strbuf.h"
#include "sysctl.h"
#include "world.h"

/* Ends b's text and writes it to path atomically; logs what went wrong. 0 or -1. */
static int write_text(const char *path, struct lime_strbuf *b, mode_t mode)
{
    size_t len;
    char *text = lime_strbuf_finish(b, &len);
    int r = text ? lime_write_file_atomic(path, text, len, mode) : -ENOMEM;
    free(text);
    if (r < 0)
        log_err("%s: %s", path, strerror(-r));
    return r < 0 ? -1 : 0;
}

void sim_node_ns(const struct sim_state *st, int i, char out[64])
{
    snprintf(out, 64, "%sn-%s", sim_prefix(), st->nodes[i].name);
}

void sim_node_root(const struct sim_state *st, int i, char out[300])
{
    snprintf(out, 300, "%s/%s", st->nodes_dir, st->nodes[i].name);
}

const char *sim_program(const char *name)
{
    /* Built programs live in <build>/src/<component>/<name>; lime-sim in <build>/src/sim/. */
    static const char *const dirs[][2] = {{"batd", "batd"},         {"lime-config", "config"},
                                          {"lime-apply", "apply"},  {"limed", "limed"},
                                          {"lime-sim", "sim"},      {"shared-state-async", "state"}};
    static char found[8][PATH_MAX];
    const char *comp = NULL;
    int slot = 0;
    for (int k = 0; k < 6; k++)
        if (strcmp(dirs[k][0], name) == 0) {
            comp = dirs[k][1];
            slot = k;
        }
    if (!comp)
        return name;
    char exe[PATH_MAX / 2];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
    if (n > 0) {
        exe[n] = 0;
        char *p = strrchr(exe, '/');
        if (p) {
            *p = 0;
            p = strrchr(exe, '/'); /* .../src/sim -> .../src */
            if (p) {
                *p = 0;
                snprintf(found[slot], PATH_MAX, "%s/%s/%s", exe, comp, name);
                if (access(found[slot], X_OK) == 0)
                    return found[slot];
            }
        }
    }
    const char *bin = getenv("LIME_BINARY_DIR");
    if (bin && strlen(bin) < PATH_MAX / 2) {
        snprintf(found[slot], PATH_MAX, "%.2000s/src/%s/%s", bin, comp, name);
        if (access(found[slot], X_OK) == 0)
            return found[slot];
    }
    return name;
}

const char *sim_source_dir(void)
{
    const char *src = getenv("LIME_SOURCE_DIR");
    return src && src[0] ? src : LIME_SIM_SOURCE_DIR;
}

/* The node's stack: lime-apply, then limed with the source tree's UI (and --app). A
 * sim node is a plain-Linux node: limed's apply runs lime-config and then lime-apply
 * --reload (docs/limed.md), so a change made in the UI reaches the kernel and the daemons
 * at once, not at the next start. www holds the UI's path. */
static void stack_argv(const struct sim_state *st, char www[PATH_MAX], char *apply[2], char *limed[8])
{
    snprintf(www, PATH_MAX, "%s/www", sim_source_dir());
    apply[0] = (char *)sim_program("lime-apply");
    apply[1] = NULL;
    char *l[8] = {(char *)sim_program("limed"), "--www", www, "--lime-apply", apply[0],
                  st->app_dir[0] ? "--app" : NULL, (char *)st->app_dir, NULL};
    memcpy(limed, l, sizeof(l));
}

int sim_nodes_check_paths(const struct sim_state *st)
{
    char www[PATH_MAX], err[PATH_MAX + 200], (*keep)[PATH_MAX] = malloc(SIM_WORLD_KEEP_MAX * PATH_MAX);
    char *apply[2], *limed[8];
    stack_argv(st, www, apply, limed);
    int n = keep ? sim_world_paths(st, apply, limed, keep, SIM_WORLD_KEEP_MAX, err, sizeof(err)) : -1;
    free(keep);
    if (n < 0)
        log_err("%s", keep ? err : "out of memory");
    return n < 0 ? -1 : 0;
}

const char *sim_dhcp_script(void)
{
    static char path[128];
    snprintf(path, sizeof(path), "%s/udhcpc.script", sim_run_dir());
    static const char text[] =
        "#!/bin/sh\n"
        "# udhcpc hook written by lime-sim: applies the lease to $interface and records it.\n"
        "# A gateway's WAN (eth2) gets a plain default route; limed announces it (proto 7).\n"
        "action=$1\n"
        "ns=${LIME_SIM_NS:-$(ip netns identify $$ 2>/dev/null)}\n"
        "mkdir -p \"$LIME_SIM_RUN_DIR/leases\"\n"
        "state=$LIME_SIM_RUN_DIR/leases/${ns:-host}.$interface\n"
        "set -- $router\n"
        "gw=$1\n"
        "case \"$action\" in\n"
        "deconfig)\n"
        "    ip -4 addr flush dev \"$interface\"\n"
        "    ip link set \"$interface\" up\n"
        "    rm -f \"$state\" ;;\n"
        "bound|renew)\n"
        "    ip -4 addr replace \"$ip/$mask\" dev \"$interface\"\n"
        "    if [ -n \"$gw\" ]; then\n"
        "        if [ \"$interface\" = eth2 ]; then\n"
        "            ip route replace default via \"$gw\" dev \"$interface\" proto static\n"
        "        else\n"
        "            ip route replace default via \"$gw\" dev \"$interface\"\n"
        "        fi\n"
        "    fi\n"
        "    echo \"ip=$ip mask=$mask router=$gw server=$serverid lease=$lease\" > \"$state\" ;;\n"
        "esac\n"
        "exit 0\n";
    lime_mkdir_p(sim_run_dir(), 0755);
    struct lime_strbuf b = {0};
    lime_strbuf_printf(&b, "#!/bin/sh\nLIME_SIM_RUN_DIR=%s\n%s", sim_run_dir(), text + strlen("#!/bin/sh\n"));
    write_text(path, &b, 0755);
    return path;
}

int sim_nodes_create(const struct sim_state *st)
{
    struct lime_strbuf b = {0};
    char ns[64];
    for (int i = 0; i < st->n_nodes; i++) {
        sim_node_ns(st, i, ns);
        lime_strbuf_printf(&b, "netns add %s\n", ns);
    }
    char *text = lime_strbuf_finish(&b, NULL);
    int rc = sim_ip_batch(NULL, text);
    free(text);
    if (rc != 0)
        return -1;
    for (int i = 0; i < st->n_nodes; i++) {
        sim_node_ns(st, i, ns);
        sim_no_bridge_nf(ns);
        sim_sysctl(ns, "net/ipv4/ip_forward", "1");
        sim_sysctl(ns, "net/ipv6/conf/all/forwarding", "1");
        sim_sysctl(ns, "net/ipv4/conf/all/rp_filter", "0");
        sim_sysctl(ns, "net/ipv4/conf/default/rp_filter", "0");
        /* Interfaces arrive later; no duplicate-address wait on them (babeld needs fe80 at once). */
        sim_sysctl(ns, "net/ipv6/conf/default/accept_dad", "0");
    }
    return 0;
}

int sim_node_write_root(const struct sim_state *st, int i)
{
    const struct sim_node *n = &st->nodes[i];
    char root[300], path[400];
    sim_node_root(st, i, root);
    static const char *const sub[] = {"etc/config", "var/run/lime", "var/lib", "var/log", "tmp", "root"};
    for (int k = 0; k < 6; k++) {
        snprintf(path, sizeof(path), "%s/%s", root, sub[k]);
        int r = lime_mkdir_p(path, 0755);
        if (r < 0) {
            log_err("%s: %s", path, strerror(-r));
            return -1;
        }
    }
    struct lime_strbuf b = {0};
    lime_strbuf_printf(&b,
                   "# Written by lime-sim: the community settings of this virtual node's cloud.\n"
                   "config lime 'wifi'\n\toption ap_ssid '%s'\n\toption apname_ssid '%s/%%H'\n",
                   n->ssid, n->ssid);
    if (st->dhcp_limit > 0)
        lime_strbuf_printf(&b, "\nconfig lime 'network'\n\toption anygw_dhcp_limit '%d'\n", st->dhcp_limit);
    snprintf(path, sizeof(path), "%s/etc/config/lime-community", root);
    int rc = write_text(path, &b, 0644);
    lime_strbuf_printf(&b,
                   "# Written by lime-sim. eth0 is the radio (the shared medium), eth1 the access\n"
                   "# point where clients attach, eth2 (gateways only) the WAN into the internet.\n"
                   "config lime 'system'\n\toption hostname '%s'\n\n"
                   "config lime 'network'\n\toption primary_interface 'eth0'\n",
                   n->name);
    /* The gateway watcher checks the internet namespace's target, not the real internet. */
    lime_strbuf_printf(&b, "\toption internet_check_url 'http://" SIM_INET_TARGET "/success.txt'\n");
    int g = n->prefer_gw[0] ? sim_node_find(st, n->prefer_gw) : -1;
    if (g >= 0) {
        struct sim_cloud gc;
        char gip[16];
        sim_cloud_of(st->nodes[g].ssid, &gc);
        sim_node_ipv4(&gc, g, gip);
        lime_strbuf_printf(&b, "\toption preferred_gateway '%s'\n", gip);
    }
    if (st->wifi) /* the radio is a real one: lime-apply makes wlan0-mesh, wlan0-ap, ... on
                   * it with lime-defaults' protocols; eth0 only gives the node its address */
        lime_strbuf_printf(&b, "\nconfig net 'addr'\n\toption linux_name 'eth0'\n"
                           "\tlist protocols 'manual'\n");
    else
        lime_strbuf_printf(&b, "\nconfig net 'radio'\n\toption linux_name 'eth0'\n"
                           "\tlist protocols 'batadv:%%N1'\n\tlist protocols 'babeld:17'\n\n"
                           "config net 'ap'\n\toption linux_name 'eth1'\n\tlist protocols 'lan'\n");
    if (n->gateway)
        lime_strbuf_printf(&b, "\nconfig net 'wan'\n\toption linux_name 'eth2'\n\tlist protocols 'wan'\n");
    /* --option NODE:SECTION.OPTION=VALUE (a section named again adds to it, as in UCI) */
    for (int k = 0; k < n->n_opts; k++) {
        char sec[SIM_OPT_MAX];
        snprintf(sec, sizeof(sec), "%s", n->opts[k]);
        char *dot = strchr(sec, '.'), *eq = dot ? strchr(dot, '=') : NULL;
        if (!dot || !eq)
            continue;
        *dot = *eq = 0;
        lime_strbuf_printf(&b, "\nconfig lime '%s'\n\toption %s '%s'\n", sec, dot + 1, eq + 1);
    }
    snprintf(path, sizeof(path), "%s/etc/config/lime-node", root);
    rc |= write_text(path, &b, 0644);
    lime_strbuf_printf(&b,
                   "{\n  \"model\": {\"id\": \"lime-sim\", \"name\": \"lime-sim virtual node\"},\n"
                   "  \"network\": {\n    \"lan\": {\"device\": \"%s\", \"protocol\": \"static\"}\n  }\n}\n",
                   st->wifi ? "eth0" : "eth1");
    snprintf(path, sizeof(path), "%s/etc/board.json", root);
    rc |= write_text(path, &b, 0644);
    /* In the node's world (world.h) these are /etc/hostname and /etc/shadow, over the
     * host's; written before the world exists: a running node sees later writes to R/etc
     * only when they are made from inside (docs/sim.md). root's password is
     * SIM_ROOT_PASSWORD (docs/sim.md), so LiMe-App's shared-password login and LiMe-C's
     * Settings work on a sim node; a node keeps a password it was given later (its shadow
     * is left as it is). */
    lime_strbuf_printf(&b, "%s\n", n->name);
    snprintf(path, sizeof(path), "%s/etc/hostname", root);
    rc |= write_text(path, &b, 0644);
    snprintf(path, sizeof(path), "%s/etc/shadow", root);
    if (access(path, F_OK) != 0) {
        static const char line[] = "root:" SIM_ROOT_HASH ":19000:0:99999:7:::\n";
        int w = lime_write_file_atomic(path, line, sizeof(line) - 1, 0600);
        if (w < 0)
            log_err("%s: %s", path, strerror(-w));
        rc |= w < 0;
    }
    return rc ? -1 : 0;
}

/* The gateway's WAN takes its address from the internet namespace's DHCP server; the hook
 * installs a plain default route (proto static), and limed's gateway watcher adds the
 * announced proto-7 one while its internet check passes. */
static int start_wan(const struct sim_state *st, int i)
{
    char ns[64], root[300], logp[400];
    sim_node_ns(st, i, ns);
    sim_node_root(st, i, root);
    snprintf(logp, sizeof(logp), "%s/var/log/wan-dhcp.log", root);
    char env_ns[96];
    snprintf(env_ns, sizeof(env_ns), "LIME_SIM_NS=%s", ns);
    sim_cmd(ns, 1, "ip", "link", "set", "eth2", "up", NULL);
    char *argv[] = {"env", env_ns, "udhcpc", "-f", "-i", "eth2", "-s", (char *)sim_dhcp_script(),
                    "-t", "20", "-T", "1", "-A", "2", NULL};
    if (sim_daemon(ns, logp, argv) < 0) {
        log_warn("%s: WAN DHCP client did not start", st->nodes[i].name);
        return -1;
    }
    return 0;
}

/* ---- the LiMe-C stack ---- */

int sim_node_start(const struct sim_state *st, int i)
{
    if (sim_node_write_root(st, i) < 0)
        return -1;
    char ns[64];
    sim_node_ns(st, i, ns);
    /* one ip for all (a program start costs 50-150 ms in the emulated guest); in Wi-Fi
     * mode eth0 was made as lsd<i> (radio.c) */
    char batch[128] = "";
    if (st->wifi) /* fails harmlessly on a restart: it is eth0 already (ip -force goes on) */
        snprintf(batch, sizeof(batch), "link set lsd%d name eth0\n", i);
    snprintf(batch + strlen(batch), sizeof(batch) - strlen(batch), "link set lo up\nlink set eth0 up\n");
    sim_ip_batch_quiet(ns, batch);
    /* The WAN has its address and a plain default route before lime-apply looks at it. */
    if (st->nodes[i].gateway && start_wan(st, i) < 0)
        return -1;
    /* The stack runs in the node's world (world.h) with a router's paths: no --root, and
     * the hardware is the namespace's own /sys. */
    char www[PATH_MAX];
    char *apply[2], *limed[8];
    stack_argv(st, www, apply, limed);
    return sim_world_start(st, i, apply, limed);
}

void sim_node_stop(const struct sim_state *st, int i)
{
    char ns[64];
    sim_node_ns(st, i, ns);
    /* The init first: it stops limed, which stops its daemons; then whatever is left (the
     * WAN's DHCP client, a shell someone left open). */
    pid_t init = sim_world_pid(st, i);
    sim_ns_kill(ns, init > 0 ? init : sim_ns_find(ns, "limed"), 5000);
    /* A node switched off is silent on the radio too. */
    sim_cmd(ns, 1, "ip", "link", "set", "eth0", "down", NULL);
}
