/* The kernel mode's qemu guest: record, boot, liveness, kill. See guest.h. */
#include "guest.h"

#include <arpa/inet.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <json-c/json.h>
#include <limits.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "chan.h"
#include "cpio.h"
#include "fsutil.h"
#include "log.h"
#include "node.h"
#include "run.h"
#include "spawn.h"
#include "strbuf.h"

static const char *run_file(const char *name)
{
    static char path[4][200];
    static int slot;
    slot = (slot + 1) % 4;
    snprintf(path[slot], sizeof(path[slot]), "%s/%s", sim_run_dir(), name);
    return path[slot];
}

const char *sim_guest_console(void) { return run_file("console.log"); }

bool sim_guest_recorded(void) { return access(run_file("guest.json"), F_OK) == 0; }

const char *sim_guest_hidden(const char *path)
{
    static const char *const hidden[] = {"/run", "/proc", "/sys", "/dev"};
    for (int i = 0; i < 4; i++) {
        size_t n = strlen(hidden[i]);
        if (!strncmp(path, hidden[i], n) && (path[n] == '/' || !path[n]))
            return hidden[i];
    }
    return NULL;
}

int sim_guest_mem_for(int n_nodes)
{
    int mb = 512 + 32 * n_nodes;
    return mb < 1024 ? 1024 : mb > 8192 ? 8192 : mb;
}

int sim_guest_save(const struct sim_guest *g)
{
    json_object *o = json_object_new_object(), *nodes = json_object_new_array();
    json_object_object_add(o, "mode", json_object_new_string("kernel"));
    json_object_object_add(o, "qemu_pid", json_object_new_int(g->pid));
    json_object_object_add(o, "port", json_object_new_int(g->port));
    json_object_object_add(o, "mem_mb", json_object_new_int(g->mem_mb));
    json_object_object_add(o, "kernel", json_object_new_string(g->kernel));
    json_object_object_add(o, "console", json_object_new_string(sim_guest_console()));
    for (int i = 0; i < g->n_nodes; i++)
        json_object_array_add(nodes, json_object_new_string(g->nodes[i]));
    json_object_object_add(o, "nodes", nodes);
    const char *text = json_object_to_json_string_ext(o, JSON_C_TO_STRING_PRETTY);
    int rc = lime_write_file_atomic(run_file("guest.json"), text, strlen(text), 0644);
    json_object_put(o);
    return rc < 0 ? -1 : 0;
}

int sim_guest_load(struct sim_guest *g, int quiet)
{
    memset(g, 0, sizeof(*g));
    json_object *o = json_object_from_file(run_file("guest.json")), *v;
    if (!o || !json_object_is_type(o, json_type_object)) {
        if (!quiet)
            log_err("%s: missing or unreadable; run `lime-sim down`", run_file("guest.json"));
        json_object_put(o);
        return -1;
    }
    if (json_object_object_get_ex(o, "qemu_pid", &v))
        g->pid = json_object_get_int(v);
    if (json_object_object_get_ex(o, "port", &v))
        g->port = json_object_get_int(v);
    if (json_object_object_get_ex(o, "mem_mb", &v))
        g->mem_mb = json_object_get_int(v);
    if (json_object_object_get_ex(o, "kernel", &v))
        snprintf(g->kernel, sizeof(g->kernel), "%s", json_object_get_string(v));
    if (json_object_object_get_ex(o, "nodes", &v) && json_object_is_type(v, json_type_array))
        for (size_t i = 0; i < json_object_array_length(v) && g->n_nodes < SIM_MAX_NODES; i++) {
            const char *name = json_object_get_string(json_object_array_get_idx(v, i));
            if (name && sim_name_valid(name))
                snprintf(g->nodes[g->n_nodes++], SIM_NAME_MAX, "%s", name);
        }
    json_object_put(o);
    char *tok = lime_read_file(run_file("agent.token"), 256, NULL);
    if (tok) {
        snprintf(g->token, sizeof(g->token), "%s", tok);
        g->token[strcspn(g->token, "\n")] = 0;
        free(tok);
    }
    if (g->pid <= 0 || g->port <= 0 || strlen(g->token) < 32) {
        if (!quiet)
            log_err("%s: incomplete guest record; run `lime-sim down`", run_file("guest.json"));
        return -1;
    }
    return 0;
}

/* Whether pid is a qemu of this instance: its command line names our console log. */
static int is_ours(pid_t pid)
{
    char path[64], buf[8192];
    snprintf(path, sizeof(path), "/proc/%d/cmdline", (int)pid);
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return 0;
    ssize_t n = read(fd, buf, sizeof(buf) - 1);
    close(fd);
    if (n <= 0)
        return 0;
    for (ssize_t i = 0; i < n; i++)
        if (!buf[i])
            buf[i] = ' ';
    buf[n] = 0;
    char want[260];
    snprintf(want, sizeof(want), "path=%s,", sim_guest_console());
    return strstr(buf, want) != NULL;
}

int sim_guest_alive(const struct sim_guest *g) { return lime_run_alive(g->pid) && is_ours(g->pid); }

/* Every running qemu of this instance, found by its command line (up to max). */
static int find_ours(pid_t *out, int max)
{
    int n = 0;
    DIR *d = opendir("/proc");
    for (struct dirent *e; d && (e = readdir(d)) && n < max;) {
        char *end;
        long pid = strtol(e->d_name, &end, 10);
        if (!*end && pid > 1 && pid != getpid() && is_ours((pid_t)pid) && lime_run_alive((pid_t)pid))
            out[n++] = (pid_t)pid;
    }
    if (d)
        closedir(d);
    return n;
}

int sim_guest_count(void)
{
    pid_t pids[16];
    return find_ours(pids, 16);
}

int sim_guest_kill_all(void)
{
    /* The record's pid is among them; a guest whose record was lost is found the same way. */
    pid_t pids[16];
    int n = find_ours(pids, 16);
    lime_run_stop(pids, (size_t)n, 3000);
    return n;
}

/* A port on 127.0.0.1 that is free right now (qemu binds it a moment later; if someone
 * else took it meanwhile, qemu fails and the boot is retried with another). */
static int free_port(void)
{
    int s = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    socklen_t len = sizeof(a);
    int port = -1;
    if (s >= 0 && bind(s, (struct sockaddr *)&a, sizeof(a)) == 0 &&
        getsockname(s, (struct sockaddr *)&a, &len) == 0)
        port = ntohs(a.sin_port);
    if (s >= 0)
        close(s);
    return port;
}

static int make_token(char *out, size_t len)
{
    unsigned char r[32];
    if (len < 65 || getrandom(r, sizeof(r), 0) != (ssize_t)sizeof(r))
        return -1;
    for (int i = 0; i < 32; i++)
        snprintf(out + 2 * i, 3, "%02x", r[i]);
    return 0;
}

/* <run dir>/initrd.img: the cached initramfs followed by a second archive with /lab/
 * (token, port, instance, modules, exe, moddir, source). 0600: it holds the token. */
static int write_initrd(const struct sim_kernel *k, const char *token, const struct sim_guest_opts *o,
                        const char *exe, char *err, size_t errlen)
{
    const char *path = run_file("initrd.img");
    unlink(path);
    int out = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    int in = open(k->initramfs, O_RDONLY | O_CLOEXEC);
    if (out < 0 || in < 0) {
        snprintf(err, errlen, "%s: %s", out < 0 ? path : k->initramfs, strerror(errno));
        goto fail;
    }
    char buf[65536];
    for (;;) {
        ssize_t r = read(in, buf, sizeof(buf));
        if (r < 0 && errno == EINTR)
            continue;
        if (r == 0)
            break;
        if (r < 0 || write(out, buf, (size_t)r) != r) {
            snprintf(err, errlen, "%s: %s", path, strerror(errno));
            goto fail;
        }
    }
    struct sim_cpio c;
    sim_cpio_init(&c, out);
    char port[16], inst[16], line[PATH_MAX + 2];
    snprintf(port, sizeof(port), "%d\n", SIM_GUEST_AGENT_PORT);
    const char *id = getenv("LIME_SIM_INSTANCE");
    snprintf(inst, sizeof(inst), "%s\n", id && *id ? id : "");
    sim_cpio_dir(&c, "lab", 0700);
    sim_cpio_data(&c, "lab/token", 0600, token, strlen(token));
    sim_cpio_data(&c, "lab/port", 0644, port, strlen(port));
    sim_cpio_data(&c, "lab/instance", 0644, inst, strlen(inst));
    snprintf(line, sizeof(line), "%s\n", o->modules ? o->modules : "");
    sim_cpio_data(&c, "lab/modules", 0644, line, strlen(line));
    struct lime_strbuf sh = {0};
    for (int i = 0; i < o->n_shares; i++) { /* share<i>'s mount point, a line each */
        lime_strbuf_puts(&sh, o->shares[i]);
        lime_strbuf_puts(&sh, "\n");
    }
    char *shares = lime_strbuf_finish(&sh, NULL);
    sim_cpio_data(&c, "lab/shares", 0644, shares ? shares : "", shares ? strlen(shares) : 0);
    free(shares);
    snprintf(line, sizeof(line), "%s\n", exe);
    sim_cpio_data(&c, "lab/exe", 0644, line, strlen(line));
    /* The source tree the nodes' limed serve www/ from, as up on the host sees it
     * ($LIME_SOURCE_DIR too): the agent hands it to the guest's lime-sim. */
    char src[PATH_MAX];
    snprintf(line, sizeof(line), "%s\n", realpath(sim_source_dir(), src) ? src : sim_source_dir());
    sim_cpio_data(&c, "lab/source", 0644, line, strlen(line));
    snprintf(line, sizeof(line), "%s\n", k->moddir);
    sim_cpio_data(&c, "lab/moddir", 0644, line, strlen(line));
    int rc = sim_cpio_finish(&c);
    if (rc < 0) {
        snprintf(err, errlen, "%s: %s", path, strerror(-rc));
        goto fail;
    }
    close(in);
    close(out);
    return 0;
fail:
    if (in >= 0)
        close(in);
    if (out >= 0)
        close(out);
    unlink(path);
    return -1;
}

/* The first line of file containing marker, from the marker on ("" if none). */
static void find_line(const char *file, const char *marker, char *out, size_t len)
{
    char *text = lime_read_file(file, 16u << 20, NULL);
    out[0] = 0;
    char *p = text ? strstr(text, marker) : NULL;
    if (p) {
        p[strcspn(p, "\r\n")] = 0;
        snprintf(out, len, "%s", p);
    }
    free(text);
}

static void last_line(const char *file, char *out, size_t len)
{
    char *text = lime_read_file(file, 1u << 20, NULL);
    out[0] = 0;
    if (text) {
        size_t n = strlen(text);
        while (n && (text[n - 1] == '\n' || text[n - 1] == '\r'))
            text[--n] = 0;
        char *p = strrchr(text, '\n');
        snprintf(out, len, "%s", p ? p + 1 : text);
    }
    free(text);
}

static long long now_ms(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (long long)t.tv_sec * 1000 + t.tv_nsec / 1000000;
}

/* Why the guest ended during boot, as one line. 1 if qemu could not bind its port. */
static int why_dead(char *err, size_t errlen)
{
    char line[400];
    find_line(run_file("qemu.log"), "Could not set up host forwarding", line, sizeof(line));
    if (line[0])
        return 1;
    find_line(sim_guest_console(), "LIME-SIM-INIT-FAILED: ", line, sizeof(line));
    if (line[0]) {
        snprintf(err, errlen, "the guest's init failed: %s", line + strlen("LIME-SIM-INIT-FAILED: "));
        return 0;
    }
    find_line(sim_guest_console(), "Kernel panic", line, sizeof(line));
    if (line[0]) {
        snprintf(err, errlen, "the guest kernel panicked: %s", line);
        return 0;
    }
    last_line(run_file("qemu.log"), line, sizeof(line));
    snprintf(err, errlen, "qemu exited during boot: %s", line[0] ? line : "(no message; -v shows the console)");
    return 0;
}

int sim_guest_boot(struct sim_guest *g, const struct sim_kernel *k, const struct sim_guest_opts *o, char *err,
                   size_t errlen)
{
    int timeout_s = o->timeout_s;
    char exe[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
    if (n <= 0) {
        snprintf(err, errlen, "/proc/self/exe: %s", strerror(errno));
        return -1;
    }
    exe[n] = 0;
    const char *const need[] = {exe, k->moddir};
    for (int j = 0; j < 2; j++)
        if (sim_guest_hidden(need[j])) {
            snprintf(err, errlen, "%s: the guest cannot see %s (it mounts its own there); %s", need[j],
                     sim_guest_hidden(need[j]), j ? "set LIME_SIM_CACHE elsewhere" : "build elsewhere");
            return -1;
        }
    if (make_token(g->token, sizeof(g->token)) < 0 ||
        lime_write_file_atomic(run_file("agent.token"), g->token, strlen(g->token), 0600) < 0) {
        snprintf(err, errlen, "cannot write %s", run_file("agent.token"));
        return -1;
    }
    if (write_initrd(k, g->token, o, exe, err, errlen) < 0)
        return -1;
    snprintf(g->kernel, sizeof(g->kernel), "%s", k->version);
    const char *qemu = getenv("LIME_SIM_QEMU");
    long long deadline = now_ms() + (long long)timeout_s * 1000;
    for (int attempt = 0; attempt < 3; attempt++) {
        g->port = free_port();
        if (g->port < 0) {
            snprintf(err, errlen, "no free port on 127.0.0.1: %s", strerror(errno));
            return -1;
        }
        char mem[16], con[260], net[200], fsdev[128], append[200];
        snprintf(mem, sizeof(mem), "%d", g->mem_mb);
        /* is_ours() finds the guest by "path=<console>," in qemu's command line. */
        snprintf(con, sizeof(con), "file,id=con,path=%s,append=off", sim_guest_console());
        snprintf(net, sizeof(net), "user,id=n0,restrict=on,hostfwd=tcp:127.0.0.1:%d-:%d", g->port,
                 SIM_GUEST_AGENT_PORT);
        snprintf(fsdev, sizeof(fsdev), "local,id=hostroot,path=/,readonly=on,security_model=none,multidevs=remap");
        snprintf(append, sizeof(append), "console=ttyS0 quiet panic=-1 mitigations=off");
        char shdev[SIM_GUEST_MAX_SHARES][2][PATH_MAX + 96];
        char *base[] = {(char *)(qemu && *qemu ? qemu : "qemu-system-x86_64"),
                        "-name", "lime-sim-lab",
                        "-accel", "tcg,tb-size=64",
                        "-m", mem, "-smp", "1",
                        "-nodefaults", "-no-user-config", "-display", "none", "-no-reboot",
                        "-kernel", (char *)k->vmlinuz,
                        "-initrd", (char *)run_file("initrd.img"),
                        "-append", append,
                        "-chardev", con, "-serial", "chardev:con",
                        "-fsdev", fsdev, "-device", "virtio-9p-pci,fsdev=hostroot,mount_tag=hostroot",
                        "-netdev", net, "-device", "virtio-net-pci,netdev=n0,romfile=",
                        NULL};
        /* Shared directories: read-write, at the same path (the agent mounts share<i>). */
        char *argv[sizeof(base) / sizeof(*base) + 4 * SIM_GUEST_MAX_SHARES];
        int n_argv = 0;
        for (; base[n_argv]; n_argv++)
            argv[n_argv] = base[n_argv];
        for (int i = 0; i < o->n_shares && i < SIM_GUEST_MAX_SHARES; i++) {
            snprintf(shdev[i][0], sizeof(shdev[i][0]), "local,id=share%d,path=%s,security_model=none,multidevs=remap",
                     i, o->shares[i]);
            snprintf(shdev[i][1], sizeof(shdev[i][1]), "virtio-9p-pci,fsdev=share%d,mount_tag=share%d", i, i);
            argv[n_argv++] = "-fsdev";
            argv[n_argv++] = shdev[i][0];
            argv[n_argv++] = "-device";
            argv[n_argv++] = shdev[i][1];
        }
        argv[n_argv] = NULL;
        unlink(run_file("qemu.log"));
        g->pid = sim_daemon(NULL, run_file("qemu.log"), argv);
        if (g->pid < 0) {
            snprintf(err, errlen, "cannot start %s", argv[0]);
            return -1;
        }
        if (sim_guest_save(g) < 0) { /* from now on `down` finds it */
            snprintf(err, errlen, "cannot write %s", run_file("guest.json"));
            return -1;
        }
        int retry = 0;
        while (!retry) {
            if (!lime_run_alive(g->pid)) {
                retry = why_dead(err, errlen);
                if (!retry)
                    return -1;
                break;
            }
            if (now_ms() > deadline) {
                snprintf(err, errlen, "the guest did not boot within %d s (its agent never answered; -v shows "
                         "its console)", timeout_s);
                lime_run_stop(&g->pid, 1, 2000);
                return -1;
            }
            char reply[400], e2[300];
            int fd = sim_chan_open(g->port, g->token, 1500, reply, sizeof(reply), e2, sizeof(e2));
            if (fd >= 0) {
                close(fd);
                if (strcmp(reply, "ok")) {
                    snprintf(err, errlen, "the guest booted but %s", reply);
                    lime_run_stop(&g->pid, 1, 2000);
                    return -1;
                }
                return 0;
            }
            nanosleep(&(struct timespec){0, 300 * 1000000L}, NULL);
        }
        log_info("qemu could not forward port %d (taken meanwhile); retrying", g->port);
    }
    snprintf(err, errlen, "qemu could not forward a port on 127.0.0.1 three times");
    return -1;
}
