/* lime-apply: build the plan from ROOT's lime-* config and apply it to this host (linux
 * backend). Prints "N changes" on stdout; exit 0 = applied (or nothing to do), 1 = config
 * error (nothing changed), 2 = apply failed (rolled back). */
#include "backend_linux.h"
#include "fsutil.h"
#include "log.h"
#include "paths.h"
#include "plan.h"

#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void usage(FILE *f)
{
    fputs("usage: lime-apply [--root DIR] [--sysfs DIR] [--dry-run] [--reload] [--batd PATH]\n"
          "                  [--shared-state PATH] [--no-kernel-vlans] [--fail-after N] [-v]\n"
          "  --root DIR         node root: config in DIR/etc/config, generated files in\n"
          "                     DIR/var/run/lime (default /)\n"
          "  --sysfs DIR        hardware facts from DIR (default ROOT/sys; /sys on a live node)\n"
          "  --dry-run          print what would change, change nothing\n"
          "  --reload           after applying, send SIGHUP to limed (ROOT/var/run/limed.pid)\n"
          "  --batd PATH        batd binary written into the daemons file\n"
          "  --shared-state PATH  dnsmasq's dhcp-script, publishes leases (default:\n"
          "                     shared-state-async beside lime-apply or in PATH; \"\" = none)\n"
          "  --no-kernel-vlans  act as if the kernel had no VLANs (batd tags, babel untagged)\n"
          "  --fail-after N     tests: make the (N+1)th change fail, to exercise rollback\n",
          f);
}

static void reload_limed(const char *pidfile)
{
    pid_t pid = lime_read_pid_file(pidfile);
    if (!pid || kill(pid, SIGHUP) != 0)
        log_warn("--reload: no running limed found via %s", pidfile);
}

int main(int argc, char **argv)
{
    lime_log_init("lime-apply", LIME_LOG_INFO);
    static const struct option longopts[] = {
        {"root", required_argument, NULL, 'r'},   {"sysfs", required_argument, NULL, 's'},
        {"dry-run", no_argument, NULL, 'n'},      {"reload", no_argument, NULL, 'R'},
        {"batd", required_argument, NULL, 'b'},   {"no-kernel-vlans", no_argument, NULL, 'V'},
        {"shared-state", required_argument, NULL, 'S'},
        {"fail-after", required_argument, NULL, 'f'}, {"verbose", no_argument, NULL, 'v'},
        {"help", no_argument, NULL, 'h'},         {NULL, 0, NULL, 0},
    };
    const char *root = "/", *sysfs = NULL;
    bool reload = false;
    struct lr_apply_opts o = {.fail_after = -1, .force_kernel_vlans = -1};
    int c;
    while ((c = getopt_long(argc, argv, "vh", longopts, NULL)) != -1) {
        switch (c) {
        case 'r': root = optarg; break;
        case 's': sysfs = optarg; break;
        case 'n': o.dry_run = true; break;
        case 'R': reload = true; break;
        case 'b': o.batd_path = optarg; break;
        case 'S': o.lease_script = optarg; break;
        case 'V': o.force_kernel_vlans = 0; break;
        case 'f': o.fail_after = atoi(optarg); break;
        case 'v': lime_log_set_level(LIME_LOG_DEBUG); break;
        case 'h': usage(stdout); return 0;
        default: usage(stderr); return 1;
        }
    }
    if (optind != argc) {
        usage(stderr);
        return 1;
    }
    o.root = root;

    struct plan *plan = NULL;
    struct plan_error err = {0};
    struct plan_options popts = {.sysfs = sysfs};
    if (plan_build(root, &popts, &plan, &err) != 0) {
        log_err("%s", err.msg[0] ? err.msg : "building the plan failed");
        return 1;
    }
    struct lr_apply_result res;
    int rc = lr_apply_plan(plan, &o, &res);
    plan_free(plan);
    if (rc != 0) {
        printf("0 changes%s\n", res.rolled_back ? " (failed, rolled back)" : " (failed)");
        return 2;
    }
    printf("%u change%s%s\n", res.changes, res.changes == 1 ? "" : "s",
           o.dry_run ? " (dry run)" : "");
    if (reload && !o.dry_run) {
        struct lr_paths paths;
        lr_paths_init(&paths, root);
        reload_limed(paths.limed_pid);
    }
    return 0;
}
