/* lime-sim: many LiMe-C nodes in network namespaces, joined by a simulated radio medium.
 * See docs/sim.md. Each command is one short run that reads and writes the state file;
 * the nodes' daemons keep running in their namespaces between commands. */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "agent.h"
#include "client.h"
#include "fsutil.h"
#include "guest.h"
#include "inet.h"
#include "lab.h"
#include "log.h"
#include "medium.h"
#include "node.h"
#include "owner.h"
#include "phone.h"
#include "procs.h"
#include "radio.h"
#include "run.h"
#include "spawn.h"
#include "state.h"
#include "status.h"
#include "strbuf.h"
#include "sysctl.h"
#include "topology.h"
#include "uiproxy.h"
#include "world.h"

static void usage(FILE *f)
{
    fprintf(f,
            "usage: lime-sim [-v] COMMAND ...\n"
            "  up [--kernel [--module NAME]... [--share DIR]... | --wifi] TOPOLOGY [--nodes-dir DIR] [--seed N]\n"
            "              [--gateway NODE]... [--ssid NODE=SSID]... [--prefer NODE=GATEWAY]...\n"
            "              [--dhcp-limit N]  (anygw DHCP pool size, lime-community)\n"
            "              [--app DIR]       (upstream LiMe-App build, served at /app/)\n"
            "              [--option NODE:SECTION.OPTION=VALUE]...  (one more lime-node option)\n"
            "              [--radio NODE=TYPES]...  (--wifi: what NODE's radio can do, e.g.\n"
            "                                managed,ap: a radio without mesh)\n"
            "     TOPOLOGY: line:N ring:N grid:WxH random:N or a meshnet-lab JSON file\n"
            "     --kernel: the nodes run inside a qemu guest with Debian's kernel (batman-adv,\n"
            "     802.1ad, mac80211_hwsim); --module loads one more module there at boot;\n"
            "     --share gives it a host directory to write, at the same path\n"
            "     --wifi: kernel mode with a mac80211_hwsim radio per node; links are radios\n"
            "     that hear each other; phones are Wi-Fi stations\n"
            "  kernel [--update] [--json]        download/cache the lab's kernel, show it\n"
            "  down                              remove everything lime-sim created\n"
            "  status [--json]                   nodes, links, routes, leases\n"
            "  client add NAME --at NODE [--wait S] [--key KEY] [--keep-arp]  a phone-like DHCP\n"
            "                                    client (--wifi: a station; KEY its AP password,\n"
            "                                    --keep-arp: arp_evict_nocarrier=0)\n"
            "  client move NAME --to NODE [--wait S]  (--wifi: a roam to NODE's access point)\n"
            "  client del NAME\n"
            "  link down|up A B                  cut or restore the radio link A-B\n"
            "  link loss A B PCT                 random frame loss on A-B, each direction\n"
            "  node stop|start NODE              switch a node off/on\n"
            "  uplink down|up NODE               cut/restore a gateway's WAN\n"
            "  prefer NODE GATEWAY|-             user-preferred gateway (restarts NODE)\n"
            "  ui [BASE]                         forward 127.0.0.1:BASE+i to node i's web UI\n"
            "                                    (default BASE 18400; prints the list)\n"
            "  exec NODE -- CMD...               run CMD logged into NODE: its network, its\n"
            "                                    hostname, its /etc/config, /var/run, /tmp...\n"
            "  shell NODE                        an interactive shell logged into NODE\n"
            "  exec CLIENT|inet|medium -- CMD... run CMD in that namespace\n"
            "  exec guest -- CMD...              kernel mode: run CMD in the guest itself\n");
}

static int list_ls_namespaces(char names[][64], int max)
{
    DIR *d = opendir("/run/netns");
    int n = 0;
    if (!d)
        return 0;
    for (struct dirent *e; (e = readdir(d)) && n < max;)
        if (sim_ns_owned(e->d_name) && strlen(e->d_name) < 64)
            memcpy(names[n++], e->d_name, strlen(e->d_name) + 1); /* gcc -Os: no truncation warning */
    closedir(d);
    return n;
}

/* Removes every ls-* namespace (after ending its processes), the state and the default
 * node roots. Works without a state file. */
static int cmd_down(void)
{
    struct sim_state st;
    int have = sim_state_load(&st, 1) == 0;
    sim_uiproxy_stop();
    sim_owner_stop();
    /* Kernel mode: the nodes live inside the guest; ending qemu ends them all. */
    int guests = sim_lab_down();
    static char names[4096][64];
    int n = list_ls_namespaces(names, 4096);
    /* Nodes first: each node's init stops limed, which stops its daemons (limed itself
     * when the init is gone). */
    for (int i = 0; i < n; i++)
        if (strncmp(names[i] + strlen(sim_prefix()), "n-", 2) == 0) {
            pid_t first = sim_ns_find(names[i], SIM_WORLD_COMM);
            sim_ns_kill(names[i], first > 0 ? first : sim_ns_find(names[i], "limed"), 5000);
        }
    for (int i = 0; i < n; i++)
        sim_ns_kill(names[i], 0, 2000);
    struct lime_strbuf b = {0};
    for (int i = 0; i < n; i++)
        lime_strbuf_printf(&b, "netns del %s\n", names[i]);
    char *text = lime_strbuf_finish(&b, NULL);
    if (n > 0)
        sim_ip_batch_quiet(NULL, text);
    free(text);
    char dir[128];
    snprintf(dir, sizeof(dir), "%s/nodes", sim_run_dir());
    if (have && strcmp(st.nodes_dir, dir) == 0) {
        char *argv[] = {"rm", "-rf", dir, NULL};
        sim_run(argv, 0);
    }
    snprintf(dir, sizeof(dir), "%s/leases", sim_run_dir());
    char *argv[] = {"rm", "-rf", dir, NULL};
    sim_run(argv, 0);
    /* The logs and files of the run dir too (not the lock, nor other instances' dirs). */
    DIR *d = opendir(sim_run_dir());
    for (struct dirent *e; d && (e = readdir(d));) {
        if (e->d_type != DT_REG || !strcmp(e->d_name, "lock"))
            continue;
        char file[400];
        snprintf(file, sizeof(file), "%s/%s", sim_run_dir(), e->d_name);
        unlink(file);
    }
    if (d)
        closedir(d);
    sim_state_remove();
    if (have)
        sim_state_free(&st);
    int left = list_ls_namespaces(names, 4096);
    if (left) {
        log_err("%d namespaces could not be removed (first: %s)", left, names[0]);
        return 1;
    }
    /* Last, the lock and the (now empty) instance directory: nothing of this mesh is left.
     * A command that was waiting for the lock finds no mesh and says so. */
    char lock[160];
    snprintf(lock, sizeof(lock), "%s/lock", sim_run_dir());
    unlink(lock);
    rmdir(sim_run_dir());
    if (guests)
        printf("lime-sim: down (guest stopped, %d host namespaces removed)\n", n);
    else
        printf("lime-sim: down (%d namespaces removed)\n", n);
    return 0;
}

static int node_arg(const struct sim_state *st, const char *name)
{
    int i = sim_node_find(st, name);
    if (i < 0)
        log_err("no node named '%s'", name);
    return i;
}

static int cmd_up(int argc, char **argv)
{
    const char *spec = NULL;
    unsigned seed = 1;
    struct sim_state st = {0};
    snprintf(st.nodes_dir, sizeof(st.nodes_dir), "%s/nodes", sim_run_dir());
    /* Options naming nodes are applied after the topology is known. */
    const char *later[256];
    int n_later = 0;
    bool kernel = false, wifi = false;
    char modules[512] = "", shares[SIM_GUEST_MAX_SHARES][PATH_MAX];
    struct sim_guest_opts gopts = {.modules = modules};
    /* In the guest (kernel mode's agent sets LIME_SIM_MODE=kernel) --wifi builds radios;
     * on the host it means: kernel mode, with radios. */
    const char *lab_mode = getenv("LIME_SIM_MODE");
    bool in_guest = lab_mode && !strcmp(lab_mode, "kernel");
    for (int i = 0; i < argc; i++) {
        const char *a = argv[i];
        if (!strcmp(a, "--kernel")) {
            kernel = true;
            continue;
        }
        if (!strcmp(a, "--wifi")) {
            wifi = true;
            if (!in_guest)
                kernel = true;
            continue;
        }
        if (!strcmp(a, "--share") && i + 1 < argc) {
            /* A host directory the guest may write, at the same path (qemu's option syntax
             * takes no ',' in it). */
            const char *d = argv[++i];
            char *dst = gopts.n_shares < SIM_GUEST_MAX_SHARES ? shares[gopts.n_shares] : NULL;
            struct stat sb;
            if (!dst || !realpath(d, dst) || stat(dst, &sb) < 0 || !S_ISDIR(sb.st_mode) || strchr(dst, ',') ||
                strchr(dst, '\n') || sim_guest_hidden(dst) || !strcmp(dst, "/")) {
                log_err("--share: expected an existing directory (at most %d, no ',', not / or under /run, "
                        "/proc, /sys, /dev), got '%s'", SIM_GUEST_MAX_SHARES, d);
                return 2;
            }
            gopts.shares[gopts.n_shares++] = dst;
            continue;
        }
        if (!strcmp(a, "--module") && i + 1 < argc) {
            const char *m = argv[++i];
            bool ok = *m && strlen(m) < 56 && strlen(modules) + strlen(m) + 2 < sizeof(modules);
            for (const char *c = m; *c; c++)
                ok = ok && (isalnum((unsigned char)*c) || *c == '_' || *c == '-');
            if (!ok) {
                log_err("--module: expected a module name ([A-Za-z0-9_-]), got '%s'", m);
                return 2;
            }
            snprintf(modules + strlen(modules), sizeof(modules) - strlen(modules), "%s%s", *modules ? " " : "", m);
            continue;
        }
        if (!strcmp(a, "--nodes-dir") && i + 1 < argc) {
            const char *d = argv[++i];
            if (d[0] != '/') {
                log_err("--nodes-dir: expected an absolute path, got '%s'", d);
                return 2;
            }
            snprintf(st.nodes_dir, sizeof(st.nodes_dir), "%s", d);
        } else if (!strcmp(a, "--dhcp-limit") && i + 1 < argc) {
            st.dhcp_limit = atoi(argv[++i]);
            if (st.dhcp_limit < 1 || st.dhcp_limit > 65533) {
                log_err("--dhcp-limit: expected 1..65533, got '%s'", argv[i]);
                return 2;
            }
        } else if (!strcmp(a, "--app") && i + 1 < argc) {
            const char *d = argv[++i];
            if (d[0] != '/' || strlen(d) >= sizeof(st.app_dir)) {
                log_err("--app: expected an absolute path (a LiMe-App build), got '%s'", d);
                return 2;
            }
            snprintf(st.app_dir, sizeof(st.app_dir), "%s", d);
        } else if (!strcmp(a, "--seed") && i + 1 < argc) {
            seed = (unsigned)strtoul(argv[++i], NULL, 10);
        } else if ((!strcmp(a, "--gateway") || !strcmp(a, "--ssid") || !strcmp(a, "--prefer") ||
                    !strcmp(a, "--option") || !strcmp(a, "--radio")) &&
                   i + 1 < argc && n_later < 254) {
            later[n_later++] = a;
            later[n_later++] = argv[++i];
        } else if (a[0] != '-' && !spec) {
            spec = a;
        } else {
            log_err("up: unexpected argument '%s'", a);
            usage(stderr);
            return 2;
        }
    }
    if (!spec) {
        usage(stderr);
        return 2;
    }
    if ((*modules || gopts.n_shares) && !kernel) {
        log_err("%s: only with --kernel", *modules ? "--module" : "--share");
        return 2;
    }
    char err[512];
    if (sim_topology_parse(spec, seed, &st, err, sizeof(err)) < 0) {
        log_err("%s", err);
        return 2;
    }
    for (int k = 0; k < n_later; k += 2) {
        char buf[256];
        snprintf(buf, sizeof(buf), "%s", later[k + 1]);
        if (!strcmp(later[k], "--option")) {
            /* NODE:SECTION.OPTION=VALUE */
            char *colon = strchr(buf, ':'), *dot = colon ? strchr(colon, '.') : NULL,
                 *eqv = dot ? strchr(dot, '=') : NULL;
            if (!colon || !dot || !eqv || dot == colon + 1 || eqv == dot + 1 ||
                strlen(colon + 1) >= SIM_OPT_MAX || strpbrk(colon + 1, "'\n\r\\")) {
                log_err("--option: expected NODE:SECTION.OPTION=VALUE (no quote, backslash or "
                        "line break), got '%s'", later[k + 1]);
                goto bad;
            }
            *colon = 0;
            int i = node_arg(&st, buf);
            if (i < 0)
                goto bad;
            for (const char *c = colon + 1; c < eqv; c++)
                if (!isalnum((unsigned char)*c) && *c != '_' && *c != '.') {
                    log_err("--option %s: SECTION.OPTION must be [A-Za-z0-9_]", later[k + 1]);
                    goto bad;
                }
            if (st.nodes[i].n_opts == SIM_MAX_NODE_OPTS) {
                log_err("--option: at most %d per node", SIM_MAX_NODE_OPTS);
                goto bad;
            }
            snprintf(st.nodes[i].opts[st.nodes[i].n_opts++], SIM_OPT_MAX, "%s", colon + 1);
            continue;
        }
        char *eq = strchr(buf, '=');
        if (!strcmp(later[k], "--gateway")) {
            int i = node_arg(&st, buf);
            if (i < 0)
                goto bad;
            st.nodes[i].gateway = true;
            continue;
        }
        if (!eq) {
            log_err("%s: expected NODE=VALUE, got '%s'", later[k], buf);
            goto bad;
        }
        *eq = 0;
        int i = node_arg(&st, buf);
        if (i < 0)
            goto bad;
        if (!strcmp(later[k], "--ssid")) {
            if (!eq[1] || strlen(eq + 1) >= SIM_SSID_MAX) {
                log_err("--ssid: expected 1-32 bytes");
                goto bad;
            }
            snprintf(st.nodes[i].ssid, SIM_SSID_MAX, "%s", eq + 1);
        } else if (!strcmp(later[k], "--radio")) {
            if (!wifi) {
                log_err("--radio: only with --wifi");
                goto bad;
            }
            snprintf(st.nodes[i].radio_types, sizeof(st.nodes[i].radio_types), "%.47s", eq + 1);
        } else {
            if (node_arg(&st, eq + 1) < 0)
                goto bad;
            snprintf(st.nodes[i].prefer_gw, SIM_NAME_MAX, "%s", eq + 1);
        }
    }
    if (wifi && sim_radio_check(&st, err, sizeof(err)) < 0) {
        log_err("%s", err);
        goto bad;
    }
    st.wifi = wifi && in_guest;
    /* The nodes run the real stack: refuse early when part of it is not built. */
    static const char *const progs[] = {"lime-apply", "limed", "batd"};
    for (int k = 0; k < 3; k++)
        if (!strchr(sim_program(progs[k]), '/')) {
            log_err("%s is not built (looked next to lime-sim and in $LIME_BINARY_DIR)", progs[k]);
            goto bad;
        }
    /* ... or when a node could not see part of it (a tree under /tmp is fine, /tmp is not). */
    if (sim_nodes_check_paths(&st) < 0)
        goto bad;
    {
        struct sim_state old;
        char names[4][64];
        int up = sim_state_load(&old, 1) == 0;
        if (up)
            sim_state_free(&old);
        if (up || list_ls_namespaces(names, 4) || sim_lab_active() || sim_guest_count()) {
            log_err("a simulated mesh is already up (or left over); run `lime-sim down` first");
            goto bad;
        }
    }
    if (kernel) {
        /* The guest runs `lime-sim up` with the same arguments, minus the kernel mode's own;
         * a topology file by its absolute path (the guest sees the host's files there). */
        char *fwd[260] = {"up"}, topo[PATH_MAX];
        int n = 1;
        for (int i = 0; i < argc && n < 258; i++) {
            if (!strcmp(argv[i], "--kernel"))
                continue;
            if ((!strcmp(argv[i], "--module") || !strcmp(argv[i], "--share")) && i + 1 < argc) {
                i++;
                continue;
            }
            bool generated = !strncmp(spec, "line:", 5) || !strncmp(spec, "ring:", 5) ||
                             !strncmp(spec, "grid:", 5) || !strncmp(spec, "random:", 7);
            if (argv[i] == spec && !generated && realpath(spec, topo)) {
                if (sim_guest_hidden(topo)) {
                    log_err("%s: the guest cannot see %s (it mounts its own there); put it elsewhere",
                            topo, sim_guest_hidden(topo));
                    goto bad;
                }
                fwd[n++] = topo;
            } else {
                fwd[n++] = argv[i];
            }
        }
        fwd[n] = NULL;
        int rc = sim_lab_up(&st, fwd, &gopts);
        sim_state_free(&st);
        if (rc == 0)
            sim_owner_start();
        return rc;
    }
    int made = lime_mkdir_p(st.nodes_dir, 0755);
    if (made < 0) {
        log_err("%s: %s", st.nodes_dir, strerror(-made));
        goto bad;
    }
    sim_neigh_room(st.n_nodes);
    /* Saved first, so `down` finds everything even if a later step fails. */
    if (sim_state_save(&st) < 0 || sim_nodes_create(&st) < 0 ||
        (st.wifi ? sim_radio_up(&st) : sim_medium_up(&st)) < 0 || sim_inet_up(&st) < 0)
        goto fail;
    for (int i = 0; i < st.n_nodes; i++)
        if (sim_node_start(&st, i) < 0)
            goto fail;
    /* Gateways are only useful once their WAN has an address. */
    for (int i = 0; i < st.n_nodes; i++) {
        if (!st.nodes[i].gateway)
            continue;
        char lease[300];
        snprintf(lease, sizeof(lease), "%s/leases/%sn-%s.eth2", sim_run_dir(), sim_prefix(), st.nodes[i].name);
        int waited = 0;
        while (access(lease, F_OK) != 0 && waited++ < 200)
            usleep(100 * 1000);
        if (access(lease, F_OK) != 0)
            log_warn("%s: no WAN lease from the internet namespace after 20 s", st.nodes[i].name);
    }
    sim_owner_start();
    printf("lime-sim: %d nodes, %d links up\n", st.n_nodes, st.n_links);
    sim_state_free(&st);
    return 0;
fail:
    log_err("up failed; removing what was created");
    sim_state_free(&st);
    cmd_down();
    return 1;
bad:
    sim_state_free(&st);
    return 2;
}

static int opt_int(int argc, char **argv, const char *name, int def)
{
    for (int i = 0; i + 1 < argc; i++)
        if (!strcmp(argv[i], name))
            return atoi(argv[i + 1]);
    return def;
}

static const char *opt_str(int argc, char **argv, const char *name)
{
    for (int i = 0; i + 1 < argc; i++)
        if (!strcmp(argv[i], name))
            return argv[i + 1];
    return NULL;
}

static int cmd_client(struct sim_state *st, int argc, char **argv)
{
    if (argc < 2) {
        usage(stderr);
        return 2;
    }
    const char *verb = argv[0], *name = argv[1];
    int ci = sim_client_find(st, name), wait_s = opt_int(argc, argv, "--wait", 60);
    if (!strcmp(verb, "add")) {
        const char *at = opt_str(argc, argv, "--at");
        if (!sim_name_valid(name) || ci >= 0 || !at) {
            log_err("client add: expected a new NAME (1-23 letters/digits) and --at NODE");
            return 2;
        }
        int node = node_arg(st, at);
        if (node < 0)
            return 2;
        const char *key = opt_str(argc, argv, "--key");
        bool keep_arp = false;
        for (int i = 2; i < argc; i++)
            keep_arp |= !strcmp(argv[i], "--keep-arp");
        if ((key || keep_arp) && !st->wifi) {
            log_err("client add: --key and --keep-arp only in Wi-Fi mode (`up --wifi`)");
            return 2;
        }
        if (key && (strlen(key) < 8 || strlen(key) > 63 || strchr(key, '"') || strchr(key, '\n'))) {
            log_err("client add: --key: a WPA passphrase has 8 to 63 characters (no '\"')");
            return 2;
        }
        int rc = st->wifi ? sim_phone_add(st, name, node, key, keep_arp, wait_s)
                          : sim_client_add(st, name, node, wait_s);
        sim_state_save(st);
        return rc < 0 ? 1 : rc;
    }
    if (ci < 0) {
        log_err("no client named '%s'", name);
        return 2;
    }
    if (!strcmp(verb, "move")) {
        const char *to = opt_str(argc, argv, "--to");
        int node = to ? node_arg(st, to) : -1;
        if (node < 0) {
            log_err("client move: expected --to NODE");
            return 2;
        }
        int rc = st->wifi ? sim_phone_move(st, ci, node, wait_s) : sim_client_move(st, ci, node, wait_s);
        sim_state_save(st);
        return rc < 0 ? 1 : rc;
    }
    if (!strcmp(verb, "del")) {
        if (st->wifi)
            sim_phone_del(st, ci);
        else
            sim_client_del(st, ci);
        return sim_state_save(st) < 0;
    }
    usage(stderr);
    return 2;
}

static int cmd_link(struct sim_state *st, int argc, char **argv)
{
    if (argc < 3) {
        usage(stderr);
        return 2;
    }
    int a = node_arg(st, argv[1]), b = node_arg(st, argv[2]);
    if (a < 0 || b < 0)
        return 2;
    int k = sim_link_find(st, a, b);
    if (k < 0) {
        log_err("no link between %s and %s", argv[1], argv[2]);
        return 2;
    }
    if (!strcmp(argv[0], "down") || !strcmp(argv[0], "up")) {
        st->links[k].down = argv[0][0] == 'd';
    } else if (!strcmp(argv[0], "loss") && argc >= 4 && st->wifi) {
        log_err("link loss: not in Wi-Fi mode (hwsim's group mask says who hears whom, not how "
                "well)");
        return 2;
    } else if (!strcmp(argv[0], "loss") && argc >= 4) {
        char *end;
        long pct = strtol(argv[3], &end, 10);
        if (*end || pct < 0 || pct > 100) {
            log_err("link loss: expected a percentage 0..100, got '%s'", argv[3]);
            return 2;
        }
        st->links[k].loss_pct = (int)pct;
    } else {
        usage(stderr);
        return 2;
    }
    if ((st->wifi ? sim_radio_groups(st) : sim_medium_link_apply(st, k)) < 0)
        return 1;
    return sim_state_save(st) < 0;
}

static int cmd_node(struct sim_state *st, int argc, char **argv)
{
    if (argc < 2) {
        usage(stderr);
        return 2;
    }
    int i = node_arg(st, argv[1]);
    if (i < 0)
        return 2;
    if (!strcmp(argv[0], "stop")) {
        sim_node_stop(st, i);
        st->nodes[i].stopped = true;
        if (st->wifi)
            sim_radio_groups(st); /* its radio falls silent */
    } else if (!strcmp(argv[0], "start")) {
        sim_node_stop(st, i);
        st->nodes[i].stopped = false;
        if (st->wifi)
            sim_radio_groups(st);
        if (sim_node_start(st, i) < 0)
            return 1;
    } else {
        usage(stderr);
        return 2;
    }
    return sim_state_save(st) < 0;
}

/* exec NODE -- CMD and shell NODE: into the node's world (world.h). A node that is
 * switched off has no world: its network namespace only, said on stderr. */
static int cmd_exec(struct sim_state *st, int argc, char **argv, bool shell)
{
    if (shell ? argc != 1 : (argc < 3 || strcmp(argv[1], "--"))) {
        usage(stderr);
        return 2;
    }
    char ns[64];
    int i = sim_node_find(st, argv[0]), c = sim_client_find(st, argv[0]);
    static char *sh[] = {"bash", "-i", NULL}, *sh_plain[] = {"sh", "-i", NULL};
    char **cmd = shell ? sh : argv + 2;
    if (i >= 0 && sim_world_pid(st, i) > 0) {
        if (sim_world_enter(st, i) < 0)
            return 1;
        if (shell) {
            if (chdir("/root") < 0 && chdir("/") < 0)
                return 1;
            lime_run_exec(sh);
            cmd = sh_plain;
        }
        lime_run_exec(cmd); /* returns only if it failed */
        log_err("%s: %s", cmd[0], strerror(errno));
        return 127;
    }
    if (i >= 0) {
        log_warn("%s is switched off: %s runs in its network namespace only", argv[0],
                 shell ? "the shell" : "the command");
        sim_node_ns(st, i, ns);
    } else if (shell) {
        log_err("no node named '%s'", argv[0]);
        return 2;
    } else if (c >= 0)
        sim_client_ns(&st->clients[c], ns);
    else if (!strcmp(argv[0], "inet") || !strcmp(argv[0], "medium"))
        snprintf(ns, sizeof(ns), "%s%s", sim_prefix(), argv[0]);
    else if (!strcmp(argv[0], "guest")) {
        /* Kernel mode: the guest's own root namespace (modules, debugfs, hwsim radios). */
        const char *mode = getenv("LIME_SIM_MODE");
        if (!mode || strcmp(mode, "kernel")) {
            log_err("exec guest: only in kernel mode (`up --kernel`)");
            return 2;
        }
        lime_run_exec(argv + 2); /* returns only if it failed */
        log_err("%s: %s", argv[2], strerror(errno));
        return 127;
    } else {
        log_err("no node or client named '%s'", argv[0]);
        return 2;
    }
    char *full[128] = {"ip", "netns", "exec", ns};
    int k = 4;
    for (int j = 0; cmd[j] && k < 127; j++)
        full[k++] = cmd[j];
    full[k] = NULL;
    lime_run_exec(full); /* returns only if it failed */
    log_err("ip: %s", strerror(errno));
    return 1;
}

int main(int argc, char **argv)
{
    lime_log_init("lime-sim", LIME_LOG_INFO);
    int a = 1;
    if (a < argc && !strcmp(argv[a], "-v")) {
        lime_log_set_level(LIME_LOG_DEBUG);
        a++;
    }
    if (a >= argc || !strcmp(argv[a], "-h") || !strcmp(argv[a], "--help")) {
        usage(a >= argc ? stderr : stdout);
        return a >= argc ? 2 : 0;
    }
    const char *cmd = argv[a++];
    if (!strcmp(cmd, "_httpd"))
        return sim_httpd_main();
    if (!strcmp(cmd, "__agent") && a < argc)
        return sim_agent_main(argv[a]);
    if (!strcmp(cmd, "__serve") && a + 1 < argc)
        return sim_agent_serve_main(argv[a], argv[a + 1]);
    if (!strcmp(cmd, "_init"))
        return sim_world_main(argc - a, argv + a);
    if (!strcmp(cmd, "_initd"))
        return sim_world_init_main(argc - a, argv + a);
    if (sim_instance_init() < 0)
        return 2;
    if (geteuid() != 0) {
        log_err("must run as root (it creates network namespaces)");
        return 1;
    }
    if (!strcmp(cmd, "_watch") && a < argc)
        return sim_owner_main(atoi(argv[a]));
    if (!strcmp(cmd, "kernel")) {
        int json = 0, update = 0;
        for (int i = a; i < argc; i++) {
            if (!strcmp(argv[i], "--json"))
                json = 1;
            else if (!strcmp(argv[i], "--update"))
                update = 1;
            else {
                usage(stderr);
                return 2;
            }
        }
        return sim_lab_kernel(json, update);
    }
    /* exec runs for as long as its command does: no lock, read-only use of the state. */
    if (strcmp(cmd, "exec") && strcmp(cmd, "shell") && strcmp(cmd, "_uiproxy") && sim_state_lock() < 0)
        return 1;
    if (!strcmp(cmd, "up"))
        return cmd_up(argc - a, argv + a);
    if (!strcmp(cmd, "down"))
        return cmd_down();
    struct sim_state st;
    if (sim_lab_active()) {
        /* Kernel mode: the mesh lives in the guest. ui forwards from here; the rest runs there. */
        if (!strcmp(cmd, "status"))
            return sim_lab_status(a < argc && !strcmp(argv[a], "--json"));
        if (strcmp(cmd, "ui") && strcmp(cmd, "_uiproxy")) {
            char *fwd[260];
            int n = 0;
            if (lime_log_get_level() >= LIME_LOG_DEBUG)
                fwd[n++] = "-v";
            for (int i = a - 1; i < argc && n < 258; i++)
                fwd[n++] = argv[i];
            fwd[n] = NULL;
            return sim_lab_forward(fwd, !strcmp(cmd, "exec") || !strcmp(cmd, "shell"));
        }
        if (sim_lab_nodes(&st) < 0)
            return 1;
    } else if (sim_state_load(&st, 0) < 0)
        return 1;
    int rc = 2;
    if (!strcmp(cmd, "status"))
        rc = sim_status(&st, a < argc && !strcmp(argv[a], "--json"));
    else if (!strcmp(cmd, "client"))
        rc = cmd_client(&st, argc - a, argv + a);
    else if (!strcmp(cmd, "link"))
        rc = cmd_link(&st, argc - a, argv + a);
    else if (!strcmp(cmd, "node"))
        rc = cmd_node(&st, argc - a, argv + a);
    else if (!strcmp(cmd, "exec") || !strcmp(cmd, "shell"))
        rc = cmd_exec(&st, argc - a, argv + a, !strcmp(cmd, "shell"));
    else if (!strcmp(cmd, "_uiproxy") && a < argc)
        rc = sim_uiproxy_main(&st, atoi(argv[a]));
    else if (!strcmp(cmd, "ui")) {
        int base = a < argc ? atoi(argv[a]) : 18400;
        if (base < 1024 || base + st.n_nodes > 65535) {
            log_err("ui: expected a base port 1024..%d", 65535 - st.n_nodes);
        } else {
            sim_uiproxy_stop();
            rc = sim_uiproxy_start(base) < 0;
            for (int i = 0; !rc && i < st.n_nodes; i++)
                printf("  %-8s http://127.0.0.1:%d/\n", st.nodes[i].name, base + i);
        }
    }
    else if (!strcmp(cmd, "uplink") && argc - a >= 2) {
        int i = node_arg(&st, argv[a + 1]);
        if (i >= 0 && !st.nodes[i].gateway)
            log_err("%s is not a gateway", argv[a + 1]);
        else if (i >= 0)
            rc = sim_inet_uplink(&st, i, !strcmp(argv[a], "up")) < 0;
    } else if (!strcmp(cmd, "prefer") && argc - a >= 2) {
        int i = node_arg(&st, argv[a]);
        int g = strcmp(argv[a + 1], "-") ? node_arg(&st, argv[a + 1]) : -2;
        if (i >= 0 && g != -1) {
            snprintf(st.nodes[i].prefer_gw, SIM_NAME_MAX, "%s", g >= 0 ? argv[a + 1] : "");
            sim_node_stop(&st, i);
            rc = sim_node_start(&st, i) < 0;
            st.nodes[i].stopped = false;
            sim_state_save(&st);
        }
    } else
        usage(stderr);
    sim_state_free(&st);
    return rc;
}
