/* A node's world: what makes a lime-sim node a machine you can log into.
 *
 * Each running node has, besides its network namespace, a mount namespace and a UTS
 * namespace of its own, held by the node's init (`lime-sim _init`, comm "lime-sim-init",
 * the node's procd): inside, the node's root directory R is what a router's paths are
 *
 *   /etc         an overlay: R/etc (the node's files, where writes go) over the host's /etc
 *   /etc/config  R/etc/config          /tmp      R/tmp
 *   /run         R/var/run (Debian's /var/run and /var/lock lead there; real ones get it too)
 *   /var/lib     R/var/lib             /var/log  R/var/log        /root  R/root
 *   /sys         the network namespace's own sysfs (as `ip netns exec` mounts it)
 *
 * the hostname is the node's name, and PATH starts with the directories of the project's
 * programs. Everything else (/usr, /proc, /dev, the build tree) is the host's. The init
 * runs `lime-apply` there, then `limed` (both with the router's paths, --root /), and
 * restarts limed when it dies, as procd would; `lime-sim exec NODE` and `lime-sim shell
 * NODE` join the same three namespaces, so a daemon and a user see the same files.
 *
 * Host paths the node's stack is handed (the build tree, the source tree, lime-sim's own
 * directory, --nodes-dir, --app, any absolute path in the programs' argv) stay visible at
 * their own paths inside, also where a router's path covers them (a clone under /tmp or
 * /root): they are bound back over the node's directories, onto mount points made in R
 * (R/tmp/x for /tmp/x). A path that is itself one of the router's paths (/tmp, /run ...)
 * or under /etc/config cannot be: `up` refuses it, naming it.
 *
 * Nothing of this is on the host: the mounts live only in the node's mount namespace,
 * which the kernel frees with its last process, so `node stop`, `down` and a crash leave
 * no mount behind. See docs/sim.md ("A node you can log into"). */
#ifndef LIME_SIM_WORLD_H
#define LIME_SIM_WORLD_H

#include <limits.h>
#include <stddef.h>
#include <sys/types.h>

#include "sim.h"

/* Starts node i's init: builds the world, runs apply_argv inside it (waits; its output
 * goes to R/var/log/lime-apply.log) and, when that succeeded, leaves the init running
 * daemon_argv (limed) there. 0, or -1 (logged) when the world or lime-apply failed. */
int sim_world_start(const struct sim_state *st, int i, char *const apply_argv[], char *const daemon_argv[]);
/* The host directories node worlds must keep visible (see above), canonical, at most max,
 * none under another: those a router's path would cover. Their count, or -1 with err
 * set ("the source tree /tmp cannot be seen inside a node: ...") when one cannot be. */
#define SIM_WORLD_KEEP_MAX 24
int sim_world_paths(const struct sim_state *st, char *const apply_argv[], char *const daemon_argv[],
                    char (*out)[PATH_MAX], int max, char *err, size_t errlen);
/* The pid of node i's init, or 0 when the node's world is not running. */
pid_t sim_world_pid(const struct sim_state *st, int i);
/* Joins node i's world (network, UTS and mount namespaces) and sets the world's
 * environment (PATH, HOME). 0, or -1 (logged) when the world is not running. */
int sim_world_enter(const struct sim_state *st, int i);
/* The environment of a process in a world: PATH with the project's programs first, HOME
 * /root, host-only variables removed. */
void sim_world_env(void);
/* `lime-sim _init NS NAME ROOT -- APPLY... -- DAEMON...` (internal): builds the world,
 * runs APPLY, starts the init and returns once it runs. */
int sim_world_main(int argc, char **argv);
/* `lime-sim _initd NAME -- DAEMON...` (internal): the node's init, in the world it
 * inherits (comm SIM_WORLD_COMM). */
int sim_world_init_main(int argc, char **argv);

/* The comm of a node's init. */
#define SIM_WORLD_COMM "lime-sim-init"

#endif
