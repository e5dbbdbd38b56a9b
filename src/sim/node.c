#include "node.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "inet.h"
#include "log.h"
#include "netid.h"
#include "procs.h"
#include "spawn.h"
#include "sysctl.h"

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
                                          {"lime-sim", "sim"}};
    static char found[8][PATH_MAX];
    const char *comp = NULL;
    int slot = 0;
    for (int k = 0; k < 5; k++)
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

/* True if name can be run (a full path, or found in PATH). */
static int have_program(const char *path)
{
    if (strchr(path, '/'))
        return access(path, X_OK) == 0;
    const char *env = getenv("PATH");
    char dir[PATH_MAX];
    for (const char *p = env ? env : "/usr/bin:/bin"; *p;) {
        size_t l = strcspn(p, ":");
        snprintf(dir, sizeof(dir), "%.*s/%s", (int)l, p, path);
        if (access(dir, X_OK) == 0)
            return 1;
        p += l + (p[l] == ':');
    }
    return 0;
}

const char *sim_dhcp_script(void)
{
    static char path[128];
    snprintf(path, sizeof(path), "%s/udhcpc.script", sim_run_dir());
    static const char text[] =
        "#!/bin/sh\n"
        "# udhcpc hook written by lime-sim: applies the lease to $interface and records it.\n"
        "# On a gateway's WAN (eth2) the default route gets proto $LIME_SIM_WAN_PROTO (7 = announced).\n"
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
        "            if [ \"$LIME_SIM_WAN_PROTO\" = 7 ]; then\n"
        "                ip route replace default via \"$gw\" dev \"$interface\" proto 7 metric 10\n"
        "            else\n"
        "                ip route replace default via \"$gw\" dev \"$interface\" proto static\n"
        "            fi\n"
        "        else\n"
        "            ip route replace default via \"$gw\" dev \"$interface\"\n"
        "        fi\n"
        "    fi\n"
        "    echo \"ip=$ip mask=$mask router=$gw server=$serverid lease=$lease\" > \"$state\" ;;\n"
        "esac\n"
        "exit 0\n";
    sim_mkdirs(sim_run_dir());
    struct sim_buf b = {0};
    sim_buf_printf(&b, "#!/bin/sh\nLIME_SIM_RUN_DIR=%s\n%s", sim_run_dir(), text + strlen("#!/bin/sh\n"));
    sim_write_file(path, b.s);
    sim_buf_free(&b);
    chmod(path, 0755);
    return path;
}

int sim_nodes_create(const struct sim_state *st)
{
    struct sim_buf b = {0};
    char ns[64];
    for (int i = 0; i < st->n_nodes; i++) {
        sim_node_ns(st, i, ns);
        sim_buf_printf(&b, "netns add %s\n", ns);
    }
    int rc = sim_ip_batch(NULL, b.s ? b.s : "");
    sim_buf_free(&b);
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
    static const char *const sub[] = {"etc/config", "var/run/lime", "var/lib", "var/log", "tmp"};
    for (int k = 0; k < 5; k++) {
        snprintf(path, sizeof(path), "%s/%s", root, sub[k]);
        if (sim_mkdirs(path) < 0) {
            log_err("%s: %s", path, strerror(errno));
            return -1;
        }
    }
    struct sim_buf b = {0};
    sim_buf_printf(&b,
                   "# Written by lime-sim: the community settings of this virtual node's cloud.\n"
                   "config lime 'wifi'\n\toption ap_ssid '%s'\n\toption apname_ssid '%s/%%H'\n",
                   n->ssid, n->ssid);
    if (st->dhcp_limit > 0)
        sim_buf_printf(&b, "\nconfig lime 'network'\n\toption anygw_dhcp_limit '%d'\n", st->dhcp_limit);
    snprintf(path, sizeof(path), "%s/etc/config/lime-community", root);
    int rc = sim_write_file(path, b.s);
    sim_buf_free(&b);
    sim_buf_printf(&b,
                   "# Written by lime-sim. eth0 is the radio (the shared medium), eth1 the access\n"
                   "# point where clients attach, eth2 (gateways only) the WAN into the internet.\n"
                   "config lime 'system'\n\toption hostname '%s'\n\n"
                   "config lime 'network'\n\toption primary_interface 'eth0'\n",
                   n->name);
    /* The gateway watcher checks the internet namespace's target, not the real internet. */
    sim_buf_printf(&b, "\toption internet_check_url 'http://" SIM_INET_TARGET "/success.txt'\n");
    int g = n->prefer_gw[0] ? sim_node_find(st, n->prefer_gw) : -1;
    if (g >= 0) {
        struct sim_cloud gc;
        char gip[16];
        sim_cloud_of(st->nodes[g].ssid, &gc);
        sim_node_ipv4(&gc, g, gip);
        sim_buf_printf(&b, "\toption preferred_gateway '%s'\n", gip);
    }
    sim_buf_printf(&b, "\nconfig net 'radio'\n\toption linux_name 'eth0'\n"
                       "\tlist protocols 'batadv:%%N1'\n\tlist protocols 'babeld:17'\n\n"
                       "config net 'ap'\n\toption linux_name 'eth1'\n\tlist protocols 'lan'\n");
    if (n->gateway)
        sim_buf_printf(&b, "\nconfig net 'wan'\n\toption linux_name 'eth2'\n\tlist protocols 'wan'\n");
    snprintf(path, sizeof(path), "%s/etc/config/lime-node", root);
    rc |= sim_write_file(path, b.s);
    sim_buf_free(&b);
    sim_buf_printf(&b,
                   "{\n  \"model\": {\"id\": \"lime-sim\", \"name\": \"lime-sim virtual node\"},\n"
                   "  \"network\": {\n    \"lan\": {\"device\": \"eth1\", \"protocol\": \"static\"}\n  }\n}\n");
    snprintf(path, sizeof(path), "%s/etc/board.json", root);
    rc |= sim_write_file(path, b.s);
    sim_buf_free(&b);
    return rc ? -1 : 0;
}

/* ---- starting the daemons a node's plan asks for ---- */

/* R/var/run/lime/daemons: one daemon per line, TAB-separated: name, stamp, argv...
 * lime-apply writes it (and, in the direct stack, lime-sim does); limed's supervisor
 * reads it. Without limed, lime-sim starts each line itself. */
static int start_daemons_file(const struct sim_state *st, int i)
{
    char ns[64], root[300], path[400];
    sim_node_ns(st, i, ns);
    sim_node_root(st, i, root);
    snprintf(path, sizeof(path), "%s/var/run/lime/daemons", root);
    FILE *f = fopen(path, "r");
    if (!f) {
        log_err("%s: %s", path, strerror(errno));
        return -1;
    }
    char line[4096];
    int rc = 0;
    while (fgets(line, sizeof(line), f)) {
        line[strcspn(line, "\r\n")] = 0;
        char *argv[64];
        int n = 0;
        for (char *save = NULL, *t = strtok_r(line, "\t", &save); t && n < 63; t = strtok_r(NULL, "\t", &save))
            argv[n++] = t;
        argv[n] = NULL;
        if (n < 3 || line[0] == '#')
            continue;
        char logp[400];
        snprintf(logp, sizeof(logp), "%s/var/log/%s.log", root, argv[0]);
        /* The program named in the file may be a LiMe-C one built next to lime-sim. */
        argv[2] = (char *)sim_program(argv[2]);
        if (sim_daemon(ns, logp, argv + 2) < 0) {
            log_warn("%s: %s did not start", st->nodes[i].name, argv[0]);
            rc = -1;
        }
    }
    fclose(f);
    return rc;
}

/* The gateway's WAN takes its address from the internet namespace's DHCP server. Without
 * limed there is no gateway watcher, so the default route is announced (proto 7) at once;
 * with limed it is a plain route and limed's watcher adds the proto-7 one while the
 * internet check passes. */
static int start_wan(const struct sim_state *st, int i, const char *proto)
{
    char ns[64], root[300], logp[400], env[64];
    sim_node_ns(st, i, ns);
    sim_node_root(st, i, root);
    snprintf(logp, sizeof(logp), "%s/var/log/wan-dhcp.log", root);
    char env_ns[96];
    snprintf(env, sizeof(env), "LIME_SIM_WAN_PROTO=%s", proto);
    snprintf(env_ns, sizeof(env_ns), "LIME_SIM_NS=%s", ns);
    sim_cmd(ns, 1, "ip", "link", "set", "eth2", "up", NULL);
    char *argv[] = {"env", env, env_ns, "udhcpc", "-f", "-i", "eth2", "-s", (char *)sim_dhcp_script(),
                    "-t", "20", "-T", "1", "-A", "2", NULL};
    if (sim_daemon(ns, logp, argv) < 0) {
        log_warn("%s: WAN DHCP client did not start", st->nodes[i].name);
        return -1;
    }
    return 0;
}

/* ---- stack "direct": lime-sim applies the node itself ---- */

static int direct_apply(const struct sim_state *st, int i)
{
    const struct sim_node *n = &st->nodes[i];
    char ns[64], root[300], path[400];
    char ip4[16], ip6[48];
    struct sim_cloud c;
    sim_node_ns(st, i, ns);
    sim_node_root(st, i, root);
    sim_cloud_of(n->ssid, &c);
    sim_node_ipv4(&c, i, ip4);
    sim_node_ipv6(&c, i, ip6);

    /* A restarted node starts from its bare interfaces again. */
    struct sim_buf b = {0};
    sim_buf_printf(&b, "link del anygw\nlink del br-lan\nlink del bat0\naddr flush dev eth0\n"
                       "rule del lookup 170\nrule del lookup 170\nroute flush table 170\n");
    sim_ip_batch_quiet(ns, b.s);
    sim_cmd(ns, 1, "ip", "-6", "rule", "del", "lookup", "170", NULL);
    sim_cmd(ns, 1, "ip", "-6", "route", "flush", "table", "170", NULL);
    sim_cmd(ns, 1, "nft", "flush", "ruleset", NULL);
    sim_buf_free(&b);
    sim_buf_printf(&b, "link set lo up\nlink set eth0 up\nlink set eth1 up\n"
                       "link add br-lan type bridge forward_delay 0 stp_state 0 mcast_snooping 0\n"
                       "link set eth1 master br-lan\nlink set br-lan up\n"
                       "tuntap add bat0 mode tap\nlink set bat0 master br-lan\nlink set bat0 up\n");
    sim_buf_printf(&b, "addr add %s/16 dev br-lan\naddr add %s/64 dev br-lan nodad\n", ip4, ip6);
    sim_buf_printf(&b, "link add anygw link br-lan address %s type macvlan mode private\n", c.anygw_mac);
    sim_buf_printf(&b, "addr add %s/16 dev anygw metric 2147483647\n", c.anygw4);
    sim_buf_printf(&b, "addr add %s/64 dev anygw metric 2147483647 nodad\nlink set anygw up\n", c.anygw6);
    sim_buf_printf(&b, "rule add from %s/32 lookup 170\nroute add %s dev anygw table 170\n", c.anygw4, c.prefix4);
    sim_buf_printf(&b, "addr add %s/32 dev eth0\n", ip4);
    int rc = sim_ip_batch(ns, b.s);
    sim_buf_free(&b);
    char anygw6[64];
    snprintf(anygw6, sizeof(anygw6), "%s/128", c.anygw6);
    rc |= sim_cmd(ns, 0, "ip", "-6", "rule", "add", "from", anygw6, "lookup", "170", NULL);
    rc |= sim_cmd(ns, 0, "ip", "-6", "route", "add", c.prefix6, "dev", "anygw", "table", "170", NULL);
    if (rc != 0) {
        log_err("%s: configuring interfaces failed", n->name);
        return -1;
    }
    /* The anycast rules of lime-proto-anygw (lime-spec §2.4). */
    sim_buf_printf(&b,
                   "table bridge lime_anygw {\n"
                   " chain forward_anygw {\n  type filter hook forward priority 0; policy accept;\n"
                   "  ether daddr & ff:ff:ff:00:00:00 == aa:aa:aa:00:00:00 counter drop\n }\n"
                   " chain postrouting_anygw {\n  type filter hook postrouting priority 0; policy accept;\n"
                   "  oifname \"bat0\" ether saddr & ff:ff:ff:00:00:00 == aa:aa:aa:00:00:00 counter drop\n"
                   "  oifname \"bat0\" icmpv6 type { nd-router-solicit, nd-router-advert } counter drop\n }\n}\n");
    if (n->gateway)
        sim_buf_printf(&b, "table ip lime_nat {\n chain postrouting {\n"
                           "  type nat hook postrouting priority 100; policy accept;\n"
                           "  oifname \"eth2\" masquerade\n }\n}\n");
    rc = sim_nft(ns, b.s);
    sim_buf_free(&b);
    if (rc != 0)
        log_warn("%s: nftables rules failed", n->name);

    /* babeld, with the filters of lime-proto-babeld and babeld-auto-gw-mode (§2.6, §4). */
    sim_buf_printf(&b,
                   "# Written by lime-sim (direct stack).\n"
                   "local-path-readwrite %s/var/run/babeld.sock\n"
                   "interface eth0 type wireless hello-interval 1 update-interval 4\n"
                   "redistribute ip fc00::/7 allow\nredistribute ip 2000::/3 allow\n"
                   "redistribute ip ::/0 le 0 proto 7 allow\nredistribute ip 10.0.0.0/8 allow\n"
                   "redistribute ip 172.16.0.0/12 allow\nredistribute ip 0.0.0.0/0 le 0 proto 7 allow\n"
                   "redistribute local deny\nredistribute deny\n",
                   root);
    snprintf(path, sizeof(path), "%s/var/run/lime/babeld.conf", root);
    sim_write_file(path, b.s);
    sim_buf_free(&b);

    /* dnsmasq answers DHCP on the anycast interface only; pool from start 2 (lime-spec §2.4). */
    unsigned last = st->dhcp_limit > 0 && st->dhcp_limit < 65533 ? 2u + (unsigned)st->dhcp_limit - 1u : 0xfffeu;
    sim_buf_printf(&b,
                   "# Written by lime-sim (direct stack).\n"
                   "interface=anygw\nbind-interfaces\nexcept-interface=lo\nport=0\nuser=root\n"
                   "dhcp-range=10.%u.0.2,10.%u.%u.%u,255.255.0.0,1h\n"
                   "dhcp-option=option:router,%s\ndhcp-option=option:mtu,1350\n"
                   "dhcp-authoritative\ndhcp-leasefile=%s/var/lib/dnsmasq.leases\n"
                   "dhcp-hostsfile=%s/tmp/dhcp.hosts_remote\npid-file=%s/var/run/dnsmasq.pid\nlog-dhcp\n",
                   c.n[0], c.n[0], last >> 8, last & 0xff, c.anygw4, root, root, root);
    snprintf(path, sizeof(path), "%s/var/run/lime/dnsmasq.conf", root);
    sim_write_file(path, b.s);
    sim_buf_free(&b);
    snprintf(path, sizeof(path), "%s/tmp/dhcp.hosts_remote", root);
    if (access(path, F_OK) != 0)
        sim_write_file(path, "");

    /* The daemons, in the format lime-apply writes. */
    const char *batd = sim_program("batd");
    if (have_program(batd))
        sim_buf_printf(&b, "batd\t0\tbatd\t--soft-if\tbat0\t--vlan\t8021ad:%d\t--orig-interval\t1000\t"
                           "--ctl\t%s/var/run/batd.sock\teth0\n", c.vlan, root);
    else
        log_warn("%s: batd not built: nodes of one cloud share no layer 2", n->name);
    sim_buf_printf(&b, "babeld\t0\tbabeld\t-c\t%s/var/run/lime/babeld.conf\t-I\t%s/var/run/babeld.pid\t"
                       "-S\t%s/var/lib/babeld.state\n", root, root, root);
    sim_buf_printf(&b, "dnsmasq\t0\tdnsmasq\t--keep-in-foreground\t--log-facility=-\t"
                       "--conf-file=%s/var/run/lime/dnsmasq.conf\n", root);
    snprintf(path, sizeof(path), "%s/var/run/lime/daemons", root);
    rc = sim_write_file(path, b.s);
    sim_buf_free(&b);
    return rc;
}

/* ---- the real LiMe-C programs ---- */

/* On OpenWrt firewall4 masquerades the wan zone; lime-apply's linux backend should too.
 * Until it does, lime-sim adds the rule (and says so) so the gateway works. */
static void ensure_wan_nat(const struct sim_state *st, int i)
{
    static char buf[1 << 16];
    char ns[64];
    sim_node_ns(st, i, ns);
    char *argv[] = {"nft", "list", "ruleset", NULL};
    if (sim_capture(ns, buf, sizeof(buf), argv) == 0 && strstr(buf, "masquerade"))
        return;
    log_warn("%s: lime-apply set no masquerade on the WAN; lime-sim adds it", st->nodes[i].name);
    sim_nft(ns, "table ip lime_sim_nat {\n chain postrouting {\n"
                "  type nat hook postrouting priority 100; policy accept;\n"
                "  oifname \"eth2\" masquerade\n }\n}\n");
}

static int lime_apply(const struct sim_state *st, int i)
{
    char ns[64], root[300];
    sim_node_ns(st, i, ns);
    sim_node_root(st, i, root);
    sim_cmd(ns, 1, "ip", "link", "set", "lo", "up", NULL);
    sim_cmd(ns, 1, "ip", "link", "set", "eth0", "up", NULL);
    char *argv[] = {(char *)sim_program("lime-apply"), "--root", root, "--sysfs", "/sys", NULL};
    if (sim_run_ns(ns, argv, 0) != 0) {
        log_err("%s: lime-apply --root %s failed", st->nodes[i].name, root);
        return -1;
    }
    return 0;
}

int sim_node_start(const struct sim_state *st, int i)
{
    if (sim_node_write_root(st, i) < 0)
        return -1;
    bool direct = strcmp(st->stack, "direct") == 0;
    /* Without limed there is no gateway watcher: the WAN's default route is announced as is. */
    bool watcher = strcmp(st->stack, "lime") == 0;
    if (st->nodes[i].gateway && start_wan(st, i, watcher ? "static" : "7") < 0)
        return -1;
    if ((direct ? direct_apply(st, i) : lime_apply(st, i)) < 0)
        return -1;
    if (!direct && st->nodes[i].gateway)
        ensure_wan_nat(st, i);
    if (strcmp(st->stack, "lime") != 0)
        return start_daemons_file(st, i);
    char ns[64], root[300], logp[400];
    sim_node_ns(st, i, ns);
    sim_node_root(st, i, root);
    snprintf(logp, sizeof(logp), "%s/var/log/limed.log", root);
    char www[300], batd_sock[400];
    const char *src = getenv("LIME_SOURCE_DIR");
    snprintf(www, sizeof(www), "%s/www", src ? src : LIME_SIM_SOURCE_DIR);
    snprintf(batd_sock, sizeof(batd_sock), "%s/var/run/batd.sock", root);
    char *argv[] = {(char *)sim_program("limed"), "--root", root, "--www", www, "--batd-socket", batd_sock, NULL};
    if (sim_daemon(ns, logp, argv) < 0) {
        log_err("%s: limed did not start", st->nodes[i].name);
        return -1;
    }
    return 0;
}

void sim_node_stop(const struct sim_state *st, int i)
{
    char ns[64];
    sim_node_ns(st, i, ns);
    sim_ns_kill(ns, sim_ns_find(ns, "limed"), 3000);
    /* A node switched off is silent on the radio too. */
    sim_cmd(ns, 1, "ip", "link", "set", "eth0", "down", NULL);
}
