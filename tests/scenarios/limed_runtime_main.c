/* ld-runtime: limed's runtime modules alone (supervisor + gateway watcher) on one loop,
 * reading ROOT/var/run/lime/{daemons,gateway} like limed does, so the runtime scenarios
 * do not depend on the rest of limed. SIGHUP reloads both files, SIGTERM/SIGINT stop. */
#include "gateway.h"
#include "log.h"
#include "loop.h"
#include "supervise.h"

#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static struct ld_supervisor *sup;
static struct ld_gateway *gw;
static char daemons[4200], gateway[4200];

static void on_hup(int s, void *arg)
{
    (void)s;
    (void)arg;
    ld_supervisor_load(sup, daemons);
    ld_gateway_load(gw, gateway);
}

static void on_term(int s, void *arg)
{
    (void)s;
    lime_loop_stop(arg);
}

int main(int argc, char **argv)
{
    lime_log_init("ld-runtime", LIME_LOG_INFO);
    const char *root = "";
    unsigned backoff = 0;
    int c;
    static const struct option longopts[] = {{"root", required_argument, NULL, 'r'},
                                             {"backoff-ms", required_argument, NULL, 'b'},
                                             {"verbose", no_argument, NULL, 'v'},
                                             {NULL, 0, NULL, 0}};
    while ((c = getopt_long(argc, argv, "v", longopts, NULL)) != -1) {
        if (c == 'r')
            root = optarg;
        else if (c == 'b')
            backoff = (unsigned)atoi(optarg);
        else if (c == 'v')
            lime_log_set_level(LIME_LOG_DEBUG);
        else
            return 1;
    }
    snprintf(daemons, sizeof(daemons), "%s/var/run/lime/daemons", root);
    snprintf(gateway, sizeof(gateway), "%s/var/run/lime/gateway", root);
    char logdir[4200], pidfile[4200];
    snprintf(logdir, sizeof(logdir), "%s/var/log", root);
    snprintf(pidfile, sizeof(pidfile), "%s/var/run/limed.pid", root);
    struct lime_loop *loop = lime_loop_new();
    struct ld_supervisor_opts o = {.log_dir = logdir, .backoff_min_ms = backoff,
                                   .kill_after_ms = 3000};
    sup = ld_supervisor_new(loop, &o);
    gw = ld_gateway_new(loop);
    if (!loop || !sup || !gw)
        return 1;
    lime_loop_add_signal(loop, SIGHUP, on_hup, NULL);
    lime_loop_add_signal(loop, SIGTERM, on_term, loop);
    lime_loop_add_signal(loop, SIGINT, on_term, loop);
    FILE *f = fopen(pidfile, "w");
    if (f) {
        fprintf(f, "%d\n", (int)getpid());
        fclose(f);
    }
    if (ld_supervisor_load(sup, daemons) || ld_gateway_load(gw, gateway))
        return 1;
    lime_loop_run(loop);
    ld_gateway_free(gw);
    ld_supervisor_free(sup);
    lime_loop_free(loop);
    unlink(pidfile);
    log_info("stopped");
    return 0;
}
