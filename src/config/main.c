/* lime-config: builds the node's plan from the lime-* config and the hardware under
 * --root, and writes the OpenWrt configuration (uci backend). A config error prints
 * "file:line: ...", writes nothing and exits 1.
 *
 *   lime-config [--root DIR] [--sysfs DIR] [--dry-run] [--print-plan [--json]] [-v|-q]
 *   lime-config --rw-only [--root DIR]   (benchmark baseline: read + rewrite the same
 *                                          files through the UCI library, nothing else) */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <sys/file.h>
#include <time.h>
#include <unistd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "backend_uci.h"
#include "fsutil.h"
#include "hooks.h"
#include "log.h"
#include "plan.h"
#include "uci.h"

static void usage(FILE *f)
{
    fputs("usage: lime-config [--root DIR] [--sysfs DIR] [--dry-run] [--print-plan --json]\n"
          "  --root DIR     node file system root (default /): DIR/etc/config, DIR/etc/board.json\n"
          "  --sysfs DIR    sysfs to read devices from (default $LIME_SYSFS, else ROOT/sys)\n"
          "  --dry-run      print a unified diff of what would change, write nothing\n"
          "  --print-plan   print the node plan (--json: as JSON) and write nothing\n"
          "  -v / -q        more / less logging\n"
          "  --no-commit/-n accepted for upstream compatibility (files are written as usual)\n",
          f);
}

/* The benchmark baseline: parse and re-serialise the files lime-config reads and writes,
 * writing them to a scratch copy (ROOT/tmp/rw-only/), with no LibreMesh logic at all. */
static int rw_only(const char *root)
{
    static const char *const files[] = {"lime-defaults", "lime-community", "lime-node",
                                        "wireless", "network", "dhcp", "babeld",
                                        "firewall", "system", "uhttpd", "lime-autogen"};
    char path[4200], out[4096];
    snprintf(out, sizeof out, "%s/tmp/rw-only", root);
    if (lime_mkdir_p(out, 0755) < 0)
        return 1;
    for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
        snprintf(path, sizeof path, "%s/etc/config/%s", root, files[i]);
        struct lime_uci_error err;
        struct lime_uci_package *p = lime_uci_load(path, &err);
        if (!p)
            continue;
        snprintf(path, sizeof path, "%s/%s", out, files[i]);
        int rc = lime_uci_save(p, path, NULL);
        lime_uci_free(p);
        if (rc < 0)
            return 1;
    }
    return 0;
}

/* One writer at a time (upstream: /var/run/lime-config.pid): an flock on
 * ROOT/var/lock/lime-config.lock, waiting up to 10 s. Returns the fd, -1 when another
 * lime-config holds it, -2 (said on stderr) when the lock file cannot be made. */
static int take_lock(const char *root)
{
    char dir[4096], path[4200];
    snprintf(dir, sizeof dir, "%s/var/lock", strcmp(root, "/") ? root : "");
    int r = lime_mkdir_p(dir, 0755);
    if (r < 0) {
        fprintf(stderr, "lime-config: %s: %s; nothing was written\n", dir, strerror(-r));
        return -2;
    }
    snprintf(path, sizeof path, "%s/lime-config.lock", dir);
    int fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
    if (fd < 0) {
        fprintf(stderr, "lime-config: %s: %s; nothing was written\n", path, strerror(errno));
        return -2;
    }
    for (int i = 0; i < 100; i++) {
        if (flock(fd, LOCK_EX | LOCK_NB) == 0)
            return fd;
        if (errno != EWOULDBLOCK)
            break;
        struct timespec ts = {0, 100 * 1000 * 1000};
        nanosleep(&ts, NULL);
    }
    close(fd);
    return -1;
}

int main(int argc, char **argv)
{
    static const struct option longopts[] = {
        {"root", required_argument, NULL, 'r'}, {"sysfs", required_argument, NULL, 's'},
        {"dry-run", no_argument, NULL, 'd'},    {"print-plan", no_argument, NULL, 'p'},
        {"json", no_argument, NULL, 'j'},       {"rw-only", no_argument, NULL, 'R'},
        {"help", no_argument, NULL, 'h'},       {"no-commit", no_argument, NULL, 'N'},
        {NULL, 0, NULL, 0},
    };
    const char *root = "/", *sysfs = NULL;
    bool dry = false, print = false, json = false, rwo = false;
    enum lime_log_level level = LIME_LOG_INFO;
    int c;
    while ((c = getopt_long(argc, argv, "r:s:nvq", longopts, NULL)) != -1) {
        switch (c) {
        case 'r': root = optarg; break;
        case 's': sysfs = optarg; break;
        case 'd': dry = true; break;
        case 'n':
        case 'N': /* upstream's --no-commit / -n leaves UCI deltas for a later `uci commit`;
                   * LiMe-C has no deltas, so it writes as usual (accepted for scripts) */
            break;
        case 'p': print = true; break;
        case 'j': json = true; break;
        case 'R': rwo = true; break;
        case 'v': level = LIME_LOG_DEBUG; break;
        case 'q': level = LIME_LOG_WARN; break;
        case 'h': usage(stdout); return 0;
        default: usage(stderr); return 2;
        }
    }
    if (optind != argc) {
        usage(stderr);
        return 2;
    }
    lime_log_init("lime-config", level);
    if (rwo)
        return rw_only(root);

    if (!sysfs) /* for callers that cannot add flags (limed's apply, lime-sim nodes) */
        sysfs = getenv("LIME_SYSFS");
    struct plan_options opt = {.sysfs = sysfs && sysfs[0] ? sysfs : NULL};
    int lock = -1; /* held from reading to writing, so two runs never interleave */
    if (!dry && !print && (lock = take_lock(root)) < 0) {
        if (lock == -1)
            fprintf(stderr, "lime-config: another lime-config holds %s/var/lock/lime-config.lock; "
                            "nothing was written\n", strcmp(root, "/") ? root : "");
        return 1;
    }
    bool writing = !dry && !print;
    if (writing) {
        char autogen[4200];
        snprintf(autogen, sizeof autogen, "%s/etc/config/lime-autogen", strcmp(root, "/") ? root : "");
        if (access(autogen, F_OK) != 0) /* first run */
            plan_hooks_run(root, "init");
        plan_hooks_run(root, "pre");
    }
    struct plan *plan;
    struct plan_error err;
    if (plan_build(root, &opt, &plan, &err) < 0) {
        fprintf(stderr, "lime-config: %s\n", err.msg);
        fprintf(stderr, "lime-config: nothing was written\n");
        if (lock >= 0)
            close(lock);
        return 1;
    }
    int rc = 0;
    if (print) {
        if (!json)
            log_info("--print-plan prints JSON (the only format)");
        rc = plan_print_json(plan, stdout) < 0;
        plan_free(plan);
        return rc; /* print mode takes no lock */
    }
    if (writing) {
        plan_hooks_run(root, "merged");
        plan_hooks_run(root, "configured");
    }
    struct plan_uci_outputs out;
    if (plan_uci_render(root, plan, &out, &err) < 0) {
        fprintf(stderr, "lime-config: %s\nlime-config: nothing was written\n", err.msg);
        plan_free(plan);
        if (lock >= 0)
            close(lock);
        return 1;
    }
    if (dry) {
        rc = plan_uci_diff(&out, stdout) < 0;
    } else {
        int n = plan_uci_commit(root, &out, &err);
        if (n < 0) {
            fprintf(stderr, "lime-config: %s\n", err.msg);
            rc = 1;
        } else {
            log_info("%s: %d file(s) written, node %s", root, n, plan->hostname);
            /* a failing asset or hook is logged; the configuration is written: exit 0 */
            plan_uci_services(root, plan);
            plan_uci_run_assets(root, plan);
            plan_hooks_run(root, "post");
        }
    }
    if (lock >= 0)
        close(lock);
    plan_uci_outputs_free(&out);
    plan_free(plan);
    return rc;
}
