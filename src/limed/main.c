/* limed: the node's daemon — HTTP (phone UI, /ubus JSON-RPC, /metrics) and its modules
 * (shared-state service, daemon supervisor, gateway watcher, respondd...), all on one
 * lime_loop. See docs/limed.md. */
#include "pending.h"
#include "fbw.h"
#include "gateway.h"
#include "gwpath.h"
#include "http.h"
#include "limed.h"
#include "fetch.h"
#include "firmware.h"
#include "linktest.h"
#include "memory.h"
#include "respondd.h"
#include "nodes.h"
#include "session.h"
#include "sharedstate.h"
#include "supervise.h"
#include "core/babel.h"
#include "core/batman.h"
#include "wifi.h"
#include "core/log.h"
#include "core/loop.h"

#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* ---- Modules ---------------------------------------------------------------------
 * Each module is started in this order after the context (with its babeld and
 * batman-adv clients) is ready, and stopped in reverse order on exit. init returns 0 or
 * -errno (limed then exits); a module declares its functions in its own header. */
struct ld_module {
    const char *name;
    int (*init)(struct ld_ctx *ctx);
    void (*stop)(struct ld_ctx *ctx);
};

static void pending_stop(struct ld_ctx *ctx)
{
    ld_pending_stop(ctx);
}

static void fbw_stop(struct ld_ctx *ctx)
{
    ld_fbw_stop(ctx);
}

static const struct ld_module modules[] = {
    {"memory", ld_memory_start, ld_memory_stop}, /* first: the allocator's settings */
    {"fetch", NULL, ld_fetch_stop_all}, /* stopped after the modules below: their requests */
    {"linktest", NULL, ld_linktest_stop}, /* get_metrics tests */
    {"firmware", NULL, ld_firmware_stop},
    {"nodes", ld_nodes_start, ld_nodes_stop},
    {"gwpath", ld_gwpath_start, ld_gwpath_stop},
    {"pending", NULL, pending_stop},
    {"fbw", NULL, fbw_stop},
    {"shared-state", ld_state_init, ld_state_stop},
    {"supervise", ld_supervise_init, ld_supervise_stop}, /* before gateway: its reload hook */
    {"gateway", ld_gateway_init, ld_gateway_stop},
    {"shared-state node", ld_state_watch_node, NULL}, /* its reload hook, as gateway's */
    {"respondd", ld_respondd_start, ld_respondd_stop},
    {"wifi", ld_wifi_start, ld_wifi_stop}, /* hostapd / wpa_supplicant events */
    {"http", ld_http_start, ld_http_stop}, /* last: serve once everything is up */
};
#define N_MODULES (sizeof(modules) / sizeof(modules[0]))
/* ---------------------------------------------------------------------------------- */

static void usage(FILE *f)
{
    fprintf(f,
            "usage: limed [options]\n"
            "  --root DIR            node filesystem root (etc/config, etc/shadow...), default /\n"
            "  --listen ADDR:PORT    HTTP address, default [::]:80 (also \"PORT\", \"[ADDR6]:PORT\")\n"
            "  --www DIR             static UI files, default " LIMED_WWW_DEFAULT "\n"
            "  --app DIR             upstream LiMe-App build served at /app/, default WWW/app\n"
            "  --lime-config PATH    lime-config binary for apply (default $LIME_CONFIG or lime-config)\n"
            "  --lime-apply PATH     linux backend: run `lime-apply --root ROOT --reload` after\n"
            "                        lime-config on apply (default $LIME_APPLY; none)\n"
            "  --babeld-socket PATH  babeld local socket, default ROOT/var/run/babeld.sock\n"
            "  --batd-socket PATH    batd control socket, default ROOT/var/run/batd.sock\n"
            "  --batadv-if IF        the kernel's batman-adv mesh interface, read where no batd\n"
            "                        listens on its socket (default bat0; \"\" = never)\n"
            "  --peer-port PORT      port other nodes' limed listen on (default: ours)\n"
            "  --shared-state-port P shared-state TCP port (default 3490)\n"
            "  --no-shared-state     do not run the shared-state service\n"
            "  --respondd-port PORT  respondd (community maps) UDP port, default 1001; 0 = off\n"
            "  -v, --verbose         debug logging\n"
            "  -h, --help\n");
}

/* ROOT/var/run/limed.pid, for `lime-apply --reload` (SIGHUP). */
static void write_pidfile(struct ld_ctx *ctx)
{
    char path[512], pid[32];
    static const char *const dirs[] = {"/var", "/var/run"};
    for (size_t i = 0; i < 2; i++)
        mkdir(ld_path(ctx, dirs[i], path, sizeof(path)), 0755);
    int n = snprintf(pid, sizeof(pid), "%d\n", (int)getpid());
    if (lime_write_file_atomic(ld_path(ctx, "/var/run/limed.pid", path, sizeof(path)), pid, (size_t)n,
                      0644) < 0)
        log_warn("cannot write %s", path);
}

static void on_signal(int signo, void *arg)
{
    struct ld_ctx *ctx = arg;
    log_info("signal %d: stopping", signo);
    lime_loop_stop(ctx->loop);
}

/* "lime-config" when it is on PATH; else the one beside limed (installed: same sbin; build
 * tree: ../config/), so a limed started without PATH/LIME_CONFIG (lime-sim) can apply. */
static const char *default_lime_config(char *buf, size_t len)
{
    const char *path = getenv("PATH");
    char dir[3000];
    for (const char *p = path; p && *p;) {
        size_t n = strcspn(p, ":");
        snprintf(buf, len, "%.*s/lime-config", (int)n, p);
        if (n && access(buf, X_OK) == 0)
            return "lime-config";
        p += n + (p[n] == ':');
    }
    ssize_t k = readlink("/proc/self/exe", dir, sizeof(dir) - 1);
    if (k > 0) {
        dir[k] = 0;
        char *slash = strrchr(dir, '/');
        if (slash)
            *slash = 0;
        static const char *const rel[] = {"/lime-config", "/../config/lime-config"};
        for (size_t i = 0; i < 2; i++) {
            snprintf(buf, len, "%s%s", dir, rel[i]);
            if (access(buf, X_OK) == 0)
                return buf;
        }
    }
    return "lime-config";
}

int main(int argc, char **argv)
{
    static const struct option opts[] = {
        {"root", required_argument, NULL, 'r'},
        {"listen", required_argument, NULL, 'l'},
        {"www", required_argument, NULL, 'w'},
        {"app", required_argument, NULL, 'a'},
        {"lime-config", required_argument, NULL, 'c'},
        {"lime-apply", required_argument, NULL, 'A'},
        {"babeld-socket", required_argument, NULL, 'b'},
        {"batd-socket", required_argument, NULL, 'B'},
        {"batadv-if", required_argument, NULL, 'K'},
        {"peer-port", required_argument, NULL, 'p'},
        {"shared-state-port", required_argument, NULL, 'S'},
        {"no-shared-state", no_argument, NULL, 'N'},
        {"respondd-port", required_argument, NULL, 'R'},
        {"verbose", no_argument, NULL, 'v'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    struct ld_ctx ctx = {0};
    ctx.root = "/";
    ctx.www = LIMED_WWW_DEFAULT;
    ctx.listen_addr = "[::]:80";
    static char lc_buf[4096];
    ctx.lime_config = getenv("LIME_CONFIG") ? getenv("LIME_CONFIG") : default_lime_config(lc_buf, sizeof(lc_buf));
    ctx.lime_apply = getenv("LIME_APPLY") && getenv("LIME_APPLY")[0] ? getenv("LIME_APPLY") : NULL;
    ctx.peer_port = -1;
    ctx.respondd_port = LD_RESPONDD_PORT;
    ctx.batadv_if = "bat0";
    enum lime_log_level level = LIME_LOG_INFO;
    int c;
    lime_log_init("limed", level);
    while ((c = getopt_long(argc, argv, "vh", opts, NULL)) != -1) {
        switch (c) {
        case 'r': ctx.root = optarg; break;
        case 'l': ctx.listen_addr = optarg; break;
        case 'w': ctx.www = optarg; break;
        case 'a': ctx.app = optarg; break;
        case 'c': ctx.lime_config = optarg; break;
        case 'A': ctx.lime_apply = optarg[0] ? optarg : NULL; break;
        case 'b': ctx.babeld_socket = optarg; break;
        case 'B': ctx.batd_socket = optarg; break;
        case 'K': ctx.batadv_if = optarg; break;
        case 'p': ctx.peer_port = atoi(optarg); break;
        case 'S': ctx.state_port = atoi(optarg); break;
        case 'N': ctx.state_port = -1; break;
        case 'R': ctx.respondd_port = atoi(optarg); break;
        case 'v': level = LIME_LOG_DEBUG; break;
        case 'h': usage(stdout); return 0;
        default: usage(stderr); return 2;
        }
    }
    if (optind < argc) {
        fprintf(stderr, "limed: unexpected argument '%s'\n", argv[optind]);
        usage(stderr);
        return 2;
    }
    lime_log_set_level(level);
    if (ctx.peer_port < 0) {
        const char *colon = strrchr(ctx.listen_addr, ':');
        ctx.peer_port = atoi(colon ? colon + 1 : ctx.listen_addr);
    }
    signal(SIGPIPE, SIG_IGN);
    ctx.loop = lime_loop_new();
    ctx.sessions = ld_sessions_new(&ctx);
    char babeld[512];
    if (!ctx.babeld_socket)
        ctx.babeld_socket = ld_path(&ctx, "/var/run/babeld.sock", babeld, sizeof(babeld));
    ctx.babel = ctx.loop ? lime_babel_open(ctx.loop, ctx.babeld_socket, 0) : NULL;
    char batd[512];
    if (!ctx.batd_socket)
        ctx.batd_socket = ld_path(&ctx, "/var/run/batd.sock", batd, sizeof(batd));
    /* batd where it runs, else the kernel's batman-adv (lime-apply chose it) */
    ctx.batman = ctx.loop ? lime_batman_open(ctx.loop, ctx.batd_socket,
                                             ctx.batadv_if[0] ? ctx.batadv_if : NULL) : NULL;
    if (!ctx.loop || !ctx.sessions || !ctx.babel || !ctx.batman) {
        log_err("out of memory");
        return 1;
    }
    lime_loop_add_signal(ctx.loop, SIGINT, on_signal, &ctx);
    lime_loop_add_signal(ctx.loop, SIGTERM, on_signal, &ctx);

    write_pidfile(&ctx);
    size_t started = 0;
    int rc = 0;
    for (; started < N_MODULES; started++) {
        const struct ld_module *m = &modules[started];
        if (m->init && m->init(&ctx) < 0) {
            log_err("module %s failed to start", m->name);
            rc = 1;
            break;
        }
    }
    if (!rc)
        rc = lime_loop_run(ctx.loop) < 0;
    while (started-- > 0)
        if (modules[started].stop)
            modules[started].stop(&ctx);
    ld_sessions_free(ctx.sessions);
    lime_babel_close(ctx.babel);
    lime_batman_close(ctx.batman);
    lime_loop_free(ctx.loop);
    return rc;
}
