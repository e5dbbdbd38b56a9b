/* lime-config hooks; see hooks.h. */
#include "hooks.h"

#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "log.h"

extern char **environ;

int run_script(const char *root, const char *path, const char *action, const char **why)
{
    char env_action[64], env_root[PATH_MAX + 16];
    snprintf(env_action, sizeof env_action, "ACTION=%s", action ? action : "");
    snprintf(env_root, sizeof env_root, "LIME_ROOT=%s", root[0] ? root : "/");
    char *envp[128];
    int n = 0;
    for (char **e = environ; *e && n < 125; e++)
        if ((!action || strncmp(*e, "ACTION=", 7)) && strncmp(*e, "LIME_ROOT=", 10))
            envp[n++] = *e;
    if (action)
        envp[n++] = env_action;
    envp[n++] = env_root;
    envp[n] = NULL;
    char *argv[] = {(char *)path, NULL};
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    if (root[0])
        posix_spawn_file_actions_addchdir_np(&fa, root);
    pid_t pid;
    int e = posix_spawn(&pid, path, &fa, NULL, argv, envp);
    posix_spawn_file_actions_destroy(&fa);
    if (e) {
        *why = strerror(e);
        return -1;
    }
    int st;
    while (waitpid(pid, &st, 0) < 0)
        if (errno != EINTR) {
            *why = strerror(errno);
            return -1;
        }
    if (!WIFEXITED(st) || WEXITSTATUS(st)) {
        *why = "non-zero exit";
        return -1;
    }
    return 0;
}

static int run_one(const char *root, const char *path, const char *action)
{
    const char *why;
    if (run_script(root, path, action, &why) < 0) {
        log_warn("hook %s (%s) failed (%s)", path, action, why);
        return 1;
    }
    return 0;
}

int hooks_run(const char *root, const char *action)
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
