#include "owner.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fsutil.h"
#include "lab.h"
#include "log.h"
#include "node.h"
#include "run.h"
#include "spawn.h"
#include "state.h"

static const char *pid_file(void)
{
    static char path[160];
    snprintf(path, sizeof(path), "%s/watch.pid", sim_run_dir());
    return path;
}

void sim_owner_start(void)
{
    const char *o = getenv("LIME_SIM_OWNER");
    char *end;
    long owner = o ? strtol(o, &end, 10) : 0;
    if (!o || *end || owner <= 1 || !lime_run_alive((pid_t)owner))
        return;
    char arg[24], logp[200];
    snprintf(arg, sizeof(arg), "%ld", owner);
    snprintf(logp, sizeof(logp), "%s/watch.log", sim_run_dir());
    char *argv[] = {(char *)sim_program("lime-sim"), "_watch", arg, NULL};
    pid_t pid = sim_daemon(NULL, logp, argv);
    char text[24];
    int n = snprintf(text, sizeof(text), "%d\n", (int)pid);
    if (pid < 0 || lime_write_file_atomic(pid_file(), text, (size_t)n, 0644) < 0)
        log_warn("LIME_SIM_OWNER=%ld: the watcher did not start; `down` stays yours", owner);
}

void sim_owner_stop(void)
{
    char *text = lime_read_file(pid_file(), 64, NULL);
    pid_t pid = text ? (pid_t)atoi(text) : 0;
    free(text);
    unlink(pid_file());
    char path[64], cmd[256] = "";
    snprintf(path, sizeof(path), "/proc/%d/cmdline", (int)pid);
    FILE *f = pid > 1 && pid != getpid() ? fopen(path, "r") : NULL;
    if (!f)
        return;
    size_t n = fread(cmd, 1, sizeof(cmd) - 1, f);
    fclose(f);
    for (size_t k = 0; k < n; k++)
        if (!cmd[k])
            cmd[k] = ' ';
    cmd[n] = 0;
    if (strstr(cmd, "_watch")) /* the pid may have been reused since */
        lime_run_stop(&pid, 1, 1000);
}

int sim_owner_main(int owner)
{
    for (;;) {
        sleep(2);
        if (access(sim_state_file(), F_OK) != 0 && !sim_lab_active())
            return 0; /* down ran */
        if (lime_run_alive((pid_t)owner))
            continue;
        log_info("owner %d is gone: down", owner);
        char self[PATH_MAX];
        ssize_t n = readlink("/proc/self/exe", self, sizeof(self) - 1);
        if (n <= 0)
            return 1;
        self[n] = 0;
        char *down[] = {self, "down", NULL};
        lime_run_exec(down); /* returns only if it failed */
        log_err("%s: %s", self, strerror(errno));
        return 1;
    }
}
