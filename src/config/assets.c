/* uci backend: generic_config assets (spec §2.12). copy_asset outputs join the atomic
 * write set; run_asset scripts run after the files are written (never on --dry-run), with
 * argv (no shell), cwd ROOT and LIME_ROOT=ROOT in the environment. */
#include "backend_uci.h"

#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fsutil.h"
#include "hooks.h"
#include "log.h"

char *plan_uci_asset_read(const char *root, const struct plan_asset *a, size_t *len, mode_t *mode)
{
    char path[PATH_MAX];
    snprintf(path, sizeof path, "%s/etc/lime-assets/%s", root, a->asset);
    struct stat st;
    if (stat(path, &st) < 0 || !S_ISREG(st.st_mode)) {
        log_warn("copy_asset: %s does not exist, skipped", path);
        return NULL;
    }
    *mode = st.st_mode & 07777;
    char *data = lime_read_file(path, 0, len);
    if (!data)
        log_warn("copy_asset: %s: %s", path, strerror(errno));
    return data;
}

int plan_uci_run_assets(const char *root, const struct plan *plan)
{
    if (!root || !strcmp(root, "/"))
        root = "";
    char marker[PATH_MAX];
    snprintf(marker, sizeof marker, "%s/etc/.cfg_first_boot_already_run", root);
    bool first_boot = access(marker, F_OK) != 0;
    int failed = 0;
    for (int i = 0; i < plan->n_run_assets; i++) {
        const struct plan_asset *a = &plan->run_assets[i];
        if (a->at_first_boot && !first_boot)
            continue;
        char path[PATH_MAX];
        snprintf(path, sizeof path, "%s/etc/lime-assets/%s", root, a->asset);
        if (chmod(path, 0755) < 0) {
            log_warn("run_asset: %s: %s", path, strerror(errno));
            failed++;
            continue;
        }
        const char *why;
        if (plan_run_script(root, path, NULL, &why) < 0) {
            log_warn("run_asset: %s failed (%s)", path, why);
            failed++;
        }
    }
    if (first_boot && plan->n_run_assets) {
        FILE *f = fopen(marker, "w");
        if (f)
            fclose(f);
    }
    return failed ? -1 : 0;
}
