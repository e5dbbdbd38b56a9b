/* lime-apply: build the plan from ROOT's lime-* config and apply it to this host (linux
 * backend). Prints "N changes" on stdout; exit 0 = applied (or nothing to do), 1 = config
 * error (nothing changed), 2 = apply failed (rolled back), 3 = applied, but a radio could
 * not do what the config asks of it (each such mode was left out with an error line
 * naming the radio; the rest of the node is up). */
#include "backend_linux.h"
#include "fsutil.h"
#include "log.h"
#include "paths.h"
#include "plan.h"

#include <errno.h>
#include <getopt.h>
#include <limits.h>
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
          "  --sysfs DIR        hardware facts from DIR (default ROOT/sys; /sys on a live node,\n"
          "                     where the radios come from the kernel over nl80211)\n"
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
    /* A live node (hardware facts from the running system's /sys): its radios are the
     * phys nl80211 reports, not a wireless config file. */
    char eff[PATH_MAX + 8], real[PATH_MAX];
    snprintf(eff, sizeof(eff), "%s", sysfs ? sysfs : strcmp(root, "/") ? root : "");
    if (!sysfs)
        snprintf(eff + strlen(eff), sizeof(eff) - strlen(eff), "/sys");
    struct lime_nl_wifi_phy *phys = NULL;
    size_t n_phys = 0;
    if (realpath(eff, real) && !strcmp(real, "/sys")) {
        popts.live_radios = true;
        struct lime_nl_wifi *w = lime_nl_wifi_open();
        int r = w ? lime_nl_wifi_phys(w, &phys, &n_phys) : (errno == ENOENT ? 0 : -errno);
        if (r < 0)
            log_warn("reading the radios (nl80211): %s", strerror(-r));
        lime_nl_wifi_close(w);
        popts.live_phys = phys;
        popts.n_live_phys = n_phys;
    }
    int built = plan_build(root, &popts, &plan, &err);
    free(phys);
    if (built != 0) {
        log_err("%s", err.msg[0] ? err.msg : "building the plan failed");
        return 1;
    }
    struct lr_apply_result res;
    int rc = lr_apply_plan(plan, &o, &res);
    int radio_errors = plan->n_radio_errors;
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
    if (radio_errors) {
        log_err("%d radio setting%s could not be applied (see above); the rest is up",
                radio_errors, radio_errors == 1 ? "" : "s");
        return 3;
    }
    return 0;
}
