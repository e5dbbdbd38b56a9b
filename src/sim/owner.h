/* A mesh that ends with its owner. With LIME_SIM_OWNER=PID in the environment of `up`, a
 * small watcher (`lime-sim _watch PID`, <run dir>/watch.pid) runs `lime-sim down` for the
 * instance as soon as that process is gone. The scenarios set it to their shell's pid:
 * a test that CTest kills on its timeout (SIGKILL: no EXIT trap runs) would otherwise
 * leave its mesh running — in kernel mode a qemu guest using a quarter of a core — until
 * the next scenario's start cleaned it up. */
#ifndef LIME_SIM_OWNER_H
#define LIME_SIM_OWNER_H

/* Starts the watcher if LIME_SIM_OWNER names a running process (else nothing). */
void sim_owner_start(void);
/* Ends this instance's watcher (unless it is the calling process). */
void sim_owner_stop(void);
/* The watcher: polls every 2 s; when the owner is gone, becomes `lime-sim down`; when
 * the mesh is gone (down ran), exits. */
int sim_owner_main(int owner);

#endif
