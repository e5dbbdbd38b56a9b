/* Kernel mode, host side. See lab.h. */
#include "lab.h"

#include <errno.h>
#include <json-c/json.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "chan.h"
#include "fsutil.h"
#include "guest.h"
#include "kcache.h"
#include "kmods.h"
#include "log.h"
#include "node.h"
#include "strbuf.h"

/* A forwarded command fails when the guest sends nothing for this long (its agent sends
 * a keepalive every second, so this is a stuck or dead guest, not a slow command). */
#define IDLE_MS 60000

static const struct sim_guest *alive_guest;
static int guest_alive_cb(void) { return sim_guest_alive(alive_guest); }

static long long now_ms(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (long long)t.tv_sec * 1000 + t.tv_nsec / 1000000;
}

bool sim_lab_active(void) { return sim_guest_recorded(); }

static int forward(const struct sim_guest *g, char *const argv[], int fwd_stdin, struct lime_strbuf *capture)
{
    if (!sim_guest_alive(g)) {
        log_err("kernel mode: the guest is not running (qemu pid %d is gone); run `lime-sim down`", (int)g->pid);
        return 1;
    }
    char reply[400], err[400], cwd[PATH_MAX];
    int fd = sim_chan_open(g->port, g->token, 15000, reply, sizeof(reply), err, sizeof(err));
    if (fd < 0) {
        log_err("kernel mode: %s", err);
        return 1;
    }
    if (!getcwd(cwd, sizeof(cwd)))
        snprintf(cwd, sizeof(cwd), "/");
    alive_guest = g;
    int st = sim_chan_run(fd, cwd, argv, fwd_stdin, IDLE_MS, guest_alive_cb, capture, err, sizeof(err));
    close(fd);
    if (st < 0) {
        log_err("kernel mode: %s", err);
        return 1;
    }
    return st;
}

static struct sim_guest *load(void)
{
    struct sim_guest *g = calloc(1, sizeof(*g));
    if (g && sim_guest_load(g, 0) == 0)
        return g;
    free(g);
    return NULL;
}

int sim_lab_forward(char *const argv[], int fwd_stdin)
{
    struct sim_guest *g = load();
    if (!g)
        return 1;
    int rc = forward(g, argv, fwd_stdin, NULL);
    free(g);
    return rc;
}

/* The last lines of the console, for -v after a failed boot (the file is removed). */
static void show_console_tail(void)
{
    if (lime_log_get_level() < LIME_LOG_DEBUG)
        return;
    char *text = lime_read_file(sim_guest_console(), 16u << 20, NULL);
    if (!text)
        return;
    size_t n = strlen(text);
    int lines = 0;
    while (n > 0 && lines < 30)
        if (text[--n] == '\n')
            lines++;
    log_debug("guest console (last lines):\n%s", text + n);
    free(text);
}

int sim_lab_down(void)
{
    int n = sim_guest_kill_all();
    static const char *const files[] = {"guest.json", "agent.token", "initrd.img", "console.log", "qemu.log"};
    for (size_t i = 0; i < sizeof(files) / sizeof(*files); i++) {
        char path[200];
        snprintf(path, sizeof(path), "%s/%s", sim_run_dir(), files[i]);
        unlink(path);
    }
    return n;
}

int sim_lab_up(const struct sim_state *st, char *const fwd[], struct sim_guest_opts *o)
{
    const char *modules = o->modules;
    long long t0 = now_ms();
    char err[800];
    struct sim_kernel k;
    if (sim_guest_hidden(sim_kcache_root())) {
        log_err("kernel mode: LIME_SIM_CACHE=%s: the guest cannot see %s (it mounts its own there)",
                sim_kcache_root(), sim_guest_hidden(sim_kcache_root()));
        return 2;
    }
    if (sim_kcache_get(&k, 0, err, sizeof(err)) < 0) {
        log_err("kernel mode: %s", err);
        return 1;
    }
    if (modules && *modules) {
        struct sim_kmods km;
        if (sim_kmods_load(&km, k.moddir, err, sizeof(err)) < 0) {
            log_err("kernel mode: %s", err);
            return 1;
        }
        char list[512];
        snprintf(list, sizeof(list), "%s", modules);
        int missing = 0;
        for (char *save = NULL, *w = strtok_r(list, " ", &save); w && !missing; w = strtok_r(NULL, " ", &save))
            if (!sim_kmods_has(&km, w)) {
                log_err("--module %s: kernel %s has no such module", w, k.version);
                missing = 1;
            }
        sim_kmods_free(&km);
        if (missing)
            return 2;
    }
    struct sim_guest *g = calloc(1, sizeof(*g));
    if (!g)
        return 1;
    g->mem_mb = sim_guest_mem_for(st->n_nodes);
    for (int i = 0; i < st->n_nodes && i < SIM_MAX_NODES; i++)
        snprintf(g->nodes[g->n_nodes++], SIM_NAME_MAX, "%s", st->nodes[i].name);
    const char *ts = getenv("LIME_SIM_BOOT_TIMEOUT");
    o->timeout_s = ts && atoi(ts) > 0 ? atoi(ts) : 180;
    int rc = 1;
    if (sim_guest_boot(g, &k, o, err, sizeof(err)) < 0) {
        log_err("kernel mode: %s", err);
        show_console_tail();
        goto fail;
    }
    log_info("kernel mode: guest ready in %.1f s (kernel %s, qemu pid %d, %d MiB)", (now_ms() - t0) / 1000.0,
             g->kernel, (int)g->pid, g->mem_mb);
    rc = forward(g, fwd, 0, NULL);
    if (rc == 0) {
        free(g);
        return 0;
    }
    log_err("kernel mode: `up` failed inside the guest; stopping it");
    show_console_tail();
fail:
    sim_lab_down();
    free(g);
    return rc ? rc : 1;
}

int sim_lab_status(int as_json)
{
    struct sim_guest *g = load();
    if (!g)
        return 1;
    char *argv[] = {"status", as_json ? "--json" : NULL, NULL};
    if (!as_json) {
        printf("guest: qemu pid %d%s, kernel %s, %d MiB, agent at 127.0.0.1:%d, console %s\n", (int)g->pid,
               sim_guest_alive(g) ? "" : " (NOT RUNNING)", g->kernel, g->mem_mb, g->port, sim_guest_console());
        fflush(stdout);
        int rc = forward(g, argv, 0, NULL);
        free(g);
        return rc;
    }
    struct lime_strbuf out = {0};
    int rc = forward(g, argv, 0, &out);
    char *text = lime_strbuf_finish(&out, NULL);
    json_object *o = rc == 0 && text ? json_tokener_parse(text) : NULL;
    if (o && json_object_is_type(o, json_type_object)) {
        json_object *gi = json_object_new_object();
        json_object_object_add(gi, "qemu_pid", json_object_new_int(g->pid));
        json_object_object_add(gi, "running", json_object_new_boolean(sim_guest_alive(g)));
        json_object_object_add(gi, "kernel", json_object_new_string(g->kernel));
        json_object_object_add(gi, "mem_mb", json_object_new_int(g->mem_mb));
        json_object_object_add(gi, "agent_port", json_object_new_int(g->port));
        json_object_object_add(gi, "console", json_object_new_string(sim_guest_console()));
        json_object_object_add(o, "guest", gi);
        puts(json_object_to_json_string_ext(o, JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_NOSLASHESCAPE));
    } else if (text) {
        fputs(text, stdout);
    }
    json_object_put(o);
    free(text);
    free(g);
    return rc;
}

int sim_lab_nodes(struct sim_state *st)
{
    struct sim_guest *g = load();
    if (!g)
        return -1;
    memset(st, 0, sizeof(*st));
    st->nodes = calloc((size_t)g->n_nodes + 1, sizeof(*st->nodes));
    if (!st->nodes) {
        free(g);
        return -1;
    }
    for (int i = 0; i < g->n_nodes; i++)
        snprintf(st->nodes[i].name, SIM_NAME_MAX, "%s", g->nodes[i]);
    st->n_nodes = g->n_nodes;
    free(g);
    return 0;
}

int sim_lab_connect(const struct sim_state *st, int i, int port)
{
    struct sim_guest *g = load();
    if (!g)
        return -1;
    char reply[400], err[400], ns[64];
    int fd = sim_chan_open(g->port, g->token, 10000, reply, sizeof(reply), err, sizeof(err));
    sim_node_ns(st, i, ns);
    if (fd >= 0 && sim_chan_tunnel(fd, ns, port, 10000, err, sizeof(err)) < 0) {
        close(fd);
        fd = -1;
    }
    if (fd < 0)
        log_warn("ui: %s: %s", st->nodes[i].name, err);
    free(g);
    return fd;
}

int sim_lab_kernel(int as_json, int update)
{
    char err[800];
    struct sim_kernel k;
    if (sim_kcache_get(&k, update, err, sizeof(err)) < 0) {
        log_err("kernel mode: %s", err);
        return 1;
    }
    if (as_json) {
        json_object *o = json_object_new_object();
        json_object_object_add(o, "version", json_object_new_string(k.version));
        json_object_object_add(o, "dir", json_object_new_string(k.dir));
        json_object_object_add(o, "image", json_object_new_string(k.vmlinuz));
        json_object_object_add(o, "initramfs", json_object_new_string(k.initramfs));
        json_object_object_add(o, "modules", json_object_new_string(k.moddir));
        puts(json_object_to_json_string_ext(o, JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_NOSLASHESCAPE));
        json_object_put(o);
    } else {
        printf("kernel    %s\nimage     %s\ninitramfs %s\nmodules   %s\n", k.version, k.vmlinuz, k.initramfs,
               k.moddir);
    }
    return 0;
}
