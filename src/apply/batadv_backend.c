/* batd or kernel batman-adv (batadv_backend.h). */
#include "batadv_backend.h"

#include "log.h"
#include "nl.h"
#include "run.h"

#include <stdio.h>
#include <string.h>

enum lr_batman_impl lr_batman_choose(const char *backend, bool has_module, bool needs_vlans,
                                     bool kernel_vlans, char *why, size_t len)
{
    bool forced_kernel = backend && !strcmp(backend, "kernel");
    if (backend && !strcmp(backend, "batd")) {
        snprintf(why, len, "batd (network.batadv_backend batd)");
        return LR_BATMAN_BATD;
    }
    const char *lack = !has_module                   ? "this kernel has no batman-adv module"
                       : needs_vlans && !kernel_vlans ? "this kernel has no 802.1ad/802.1Q VLANs"
                                                      : NULL;
    if (!lack) {
        snprintf(why, len, "the kernel's batman-adv (%s)",
                 forced_kernel ? "network.batadv_backend kernel" : "module present");
        return LR_BATMAN_KERNEL;
    }
    if (forced_kernel) {
        snprintf(why, len, "network.batadv_backend is kernel, but %s", lack);
        return LR_BATMAN_ERROR;
    }
    snprintf(why, len, "batd (%s)", lack);
    return LR_BATMAN_BATD;
}

static int modprobe(bool dry_run, char *out, size_t len)
{
    char *argv[] = {"modprobe", dry_run ? "-n" : "-q", "batman-adv", NULL};
    struct lime_run_opts o = {.capture = true, .capture_stderr = true, .out_max = 4096,
                              .timeout_ms = 10000};
    struct lime_run_result res;
    int rc = lime_run(argv, &o, &res);
    if (rc != 0) {
        char d[128];
        const char *text = res.out && res.out[0] ? res.out : lime_run_describe(&res, d, sizeof(d));
        snprintf(out, len, "%.*s", (int)strcspn(text, "\n"), text);
    }
    lime_run_result_free(&res);
    return rc;
}

bool lr_batman_module(struct lime_nl *nl, bool dry_run, char *why, size_t len)
{
    if (lime_nl_batadv_available(nl) == 0) {
        snprintf(why, len, "batadv generic netlink family present");
        return true;
    }
    char err[200] = "";
    if (modprobe(dry_run, err, sizeof(err)) != 0) {
        snprintf(why, len, "modprobe batman-adv failed: %s", err[0] ? err : "?");
        return false;
    }
    if (dry_run) {
        snprintf(why, len, "modprobe -n batman-adv: it would load");
        return true;
    }
    if (lime_nl_batadv_available(nl) == 0) {
        snprintf(why, len, "loaded by modprobe batman-adv");
        return true;
    }
    snprintf(why, len, "modprobe batman-adv ran, but the batadv family is still missing");
    return false;
}
