/* lime-config hooks; see hooks.h. */
#include "hooks.h"

#include <dirent.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "log.h"
#include "run.h"

int plan_run_script(const char *root, const char *path, const char *action, const char **why)
{
    static char reason[160];
    char env_action[64], env_root[PATH_MAX + 16];
    snprintf(env_action, sizeof env_action, "ACTION=%s", action ? action : "");
    snprintf(env_root, sizeof env_root, "LIME_ROOT=%s", root[0] ? root : "/");
    const char *env[] = {env_root, action ? env_action : NULL, NULL};
    char *argv[] = {(char *)path, NULL};
    struct lime_run_opts o = {.env = env, .cwd = root[0] ? root : NULL};
    struct lime_run_result r;
    if (lime_run(argv, &o, &r) == 0)
        return 0;
    *why = lime_run_describe(&r, reason, sizeof reason);
    return -1;
}

static int run_one(const char *root, const char *path, const char *action)
{
    const char *why;
    if (plan_run_script(root, path, action, &why) < 0) {
        log_warn("hook %s (%s) failed (%s)", path, action, why);
        return 1;
    }
    return 0;
}

int plan_hooks_run(const char *root, const char *action)
{
    if (!root || !strcmp(root, "/"))
        root = "";
    char dir[PATH_MAX];
    snprintf(dir, sizeof dir, "%s/etc/hotplug.d/lime-config", root);
    struct dirent **list;
    int n = scandir(dir, &list, NULL, alphasort);
    if (n < 0)
        return 0; /* no hooks */
    int failed = 0;
    for (int i = 0; i < n; i++) {
        char path[PATH_MAX + 256];
        snprintf(path, sizeof path, "%s/%s", dir, list[i]->d_name);
        struct stat st;
        if (list[i]->d_name[0] != '.' && stat(path, &st) == 0 && S_ISREG(st.st_mode)) {
            if (access(path, X_OK) == 0)
                failed += run_one(root, path, action);
            else
                log_info("hook %s is not executable, skipped", path);
        }
        free(list[i]);
    }
    free(list);
    return failed;
}
