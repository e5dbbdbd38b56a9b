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
    sim_daemon_stop_file(pid_file(), "_watch");
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
