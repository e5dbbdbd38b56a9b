#include "procs.h"

#include <dirent.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "run.h"

int sim_ns_pids(const char *ns, pid_t *out, int max)
{
    char path[300];
    struct stat want, st;
    snprintf(path, sizeof(path), "/run/netns/%s", ns);
    if (stat(path, &want) < 0)
        return 0;
    DIR *d = opendir("/proc");
    if (!d)
        return 0;
    int n = 0;
    pid_t self = getpid();
    for (struct dirent *e; (e = readdir(d)) && n < max;) {
        char *end;
        long pid = strtol(e->d_name, &end, 10);
        if (*end || pid <= 0 || pid == self)
            continue;
        snprintf(path, sizeof(path), "/proc/%ld/ns/net", pid);
        if (stat(path, &st) == 0 && st.st_ino == want.st_ino && st.st_dev == want.st_dev)
            out[n++] = (pid_t)pid;
    }
    closedir(d);
    return n;
}

pid_t sim_ns_find(const char *ns, const char *name)
{
    pid_t pids[256];
    int n = sim_ns_pids(ns, pids, 256);
    for (int i = 0; i < n; i++) {
        char path[64], comm[64] = "";
        snprintf(path, sizeof(path), "/proc/%d/comm", (int)pids[i]);
        FILE *f = fopen(path, "r");
        if (!f)
            continue;
        if (fgets(comm, sizeof(comm), f))
            comm[strcspn(comm, "\n")] = 0;
        fclose(f);
        if (strcmp(comm, name) == 0 && lime_run_alive(pids[i]))
            return pids[i];
    }
    return 0;
}

void sim_ns_kill(const char *ns, pid_t first_pid, int ms)
{
    if (first_pid > 0)
        lime_run_stop(&first_pid, 1, (unsigned)ms);
    pid_t pids[1024];
    int n = sim_ns_pids(ns, pids, 1024);
    lime_run_stop(pids, (size_t)n, (unsigned)ms);
}
