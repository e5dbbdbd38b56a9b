/* lime-sim's ways of running programs, over the core's runner (see spawn.h). */
#include "spawn.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fsutil.h"
#include "log.h"
#include "run.h"

#define MAX_ARGS 64

/* Builds "ip netns exec NS argv..." in out (room for MAX_ARGS). */
static void wrap_ns(const char *ns, char *const argv[], char **out)
{
    int k = 0;
    if (ns) {
        out[k++] = "ip";
        out[k++] = "netns";
        out[k++] = "exec";
        out[k++] = (char *)ns;
    }
    for (int i = 0; argv[i] && k < MAX_ARGS - 1; i++)
        out[k++] = argv[i];
    out[k] = NULL;
    if (lime_log_get_level() < LIME_LOG_DEBUG)
        return;
    char line[512];
    size_t n = 0;
    for (int i = 0; out[i] && n < sizeof(line) - 2; i++)
        n += (size_t)snprintf(line + n, sizeof(line) - n, "%s%s", i ? " " : "", out[i]);
    log_debug("run: %s", line);
}

/* Runs argv in ns with o; logs a program that could not be started. */
static int run(const char *ns, char *const argv[], const struct lime_run_opts *o,
               struct lime_run_result *res)
{
    char *full[MAX_ARGS];
    wrap_ns(ns, argv, full);
    struct lime_run_result r;
    int rc = lime_run(full, o, &r);
    if (r.end == LIME_RUN_NOT_STARTED)
        log_err("cannot run %s: %s", full[0], strerror(r.code));
    if (res)
        *res = r;
    else
        lime_run_result_free(&r);
    return rc;
}

int sim_run_ns(const char *ns, char *const argv[], int quiet)
{
    struct lime_run_opts o = {.quiet = quiet};
    return run(ns, argv, &o, NULL);
}

int sim_run(char *const argv[], int quiet) { return sim_run_ns(NULL, argv, quiet); }

int sim_run_ns_log(const char *ns, char *const argv[], const char *logpath)
{
    struct lime_run_opts o = {.log = logpath};
    return run(ns, argv, &o, NULL);
}

int sim_cmd(const char *ns, int quiet, ...)
{
    char *argv[MAX_ARGS];
    va_list ap;
    va_start(ap, quiet);
    int k = 0;
    for (char *a; (a = va_arg(ap, char *)) && k < MAX_ARGS - 1;)
        argv[k++] = a;
    argv[k] = NULL;
    va_end(ap);
    return sim_run_ns(ns, argv, quiet);
}

char *sim_capture(const char *ns, char *const argv[])
{
    struct lime_run_opts o = {.capture = true, .quiet = true};
    struct lime_run_result r;
    if (run(ns, argv, &o, &r) != 0) {
        lime_run_result_free(&r);
        return NULL;
    }
    return r.out;
}

static int feed(const char *ns, char *const argv[], const char *text, int quiet)
{
    if (!text)
        return -1; /* the text could not be built */
    struct lime_run_opts o = {.input = text, .input_len = strlen(text), .quiet = quiet};
    if (!o.input_len) /* nothing to feed: still run, on an empty stdin */
        o.input = NULL;
    return run(ns, argv, &o, NULL);
}

int sim_ip_batch(const char *ns, const char *text)
{
    char *argv[] = {"ip", "-force", "-batch", "-", NULL};
    return feed(ns, argv, text, 0);
}

int sim_ip_batch_quiet(const char *ns, const char *text)
{
    char *argv[] = {"ip", "-force", "-batch", "-", NULL};
    return feed(ns, argv, text, 1);
}

int sim_nft(const char *ns, const char *text)
{
    char *argv[] = {"nft", "-f", "-", NULL};
    return feed(ns, argv, text, 0);
}

pid_t sim_daemon(const char *ns, const char *logpath, char *const argv[])
{
    char *full[MAX_ARGS];
    wrap_ns(ns, argv, full);
    struct lime_run_opts o = {.log = logpath, .quiet = !logpath};
    pid_t pid = lime_run_detached(full, &o);
    if (pid < 0)
        log_err("cannot start %s: %s", full[0], strerror(errno));
    return pid;
}

void sim_daemon_stop_file(const char *pid_file, const char *marker)
{
    pid_t pid = lime_read_pid_file(pid_file);
    unlink(pid_file);
    if (!pid || pid == getpid())
        return;
    char path[64];
    snprintf(path, sizeof(path), "/proc/%d/cmdline", (int)pid);
    size_t n = 0;
    char *cmd = lime_read_file(path, 64 * 1024, &n);
    if (!cmd)
        return;
    for (size_t k = 0; k < n; k++)
        if (!cmd[k])
            cmd[k] = ' ';
    if (n && strstr(cmd, marker))
        lime_run_stop(&pid, 1, 1000);
    free(cmd);
}
