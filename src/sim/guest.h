/* The qemu guest of the kernel mode (`lime-sim up --kernel`), one per instance: its
 * record <run dir>/guest.json (qemu pid, forwarded port, kernel, node names), its token
 * <run dir>/agent.token (0600), its serial console <run dir>/console.log, qemu's own
 * messages <run dir>/qemu.log and the per-boot initramfs <run dir>/initrd.img.
 *
 * qemu runs under TCG (`-accel tcg`, -smp 1; KVM hangs on this project's hosts) with
 * the host's / read-only over virtio-9p and user-mode networking that forwards
 * 127.0.0.1:PORT (a free port) to the agent's port 7000 in the guest, and nothing else
 * (`restrict=on`: the guest reaches neither the host nor the outside). */
#ifndef LIME_SIM_GUEST_H
#define LIME_SIM_GUEST_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "kcache.h"
#include "sim.h"

#define SIM_GUEST_AGENT_PORT 7000

struct sim_guest {
    pid_t pid;
    int port;                 /* host side: 127.0.0.1:port reaches the agent */
    int mem_mb;
    char kernel[64];
    char token[80];
    char nodes[SIM_MAX_NODES][SIM_NAME_MAX];
    int n_nodes;
};

/* True if this instance has a guest record. */
bool sim_guest_recorded(void);
/* Reads the record and the token. 0, or -1 (message logged unless quiet). */
int sim_guest_load(struct sim_guest *g, int quiet);
int sim_guest_save(const struct sim_guest *g);
#define SIM_GUEST_MAX_SHARES 4

/* What a guest gets beyond the lab's defaults. */
struct sim_guest_opts {
    const char *modules;                        /* loaded at boot: space-separated, checked */
    const char *shares[SIM_GUEST_MAX_SHARES];   /* host dirs, read-write at the same path */
    int n_shares;
    int timeout_s;                              /* boot deadline */
};

/* Boots a guest for g (nodes, mem_mb set) with kernel k and o, and waits up to
 * o->timeout_s for its agent. Fills pid, port, token, kernel and saves the record. 0, or
 * -1 with one line in err (the guest is then killed; the caller removes the files). */
int sim_guest_boot(struct sim_guest *g, const struct sim_kernel *k, const struct sim_guest_opts *o, char *err,
                   size_t errlen);
/* 1 if g's qemu still runs. */
int sim_guest_alive(const struct sim_guest *g);
/* Kills every qemu of this instance (the recorded pid, and any whose command line names
 * this instance's console log: a guest whose record was lost). Returns how many. */
int sim_guest_kill_all(void);
/* How many qemu processes of this instance run (recorded or not). */
int sim_guest_count(void);
/* The guest mounts its own /run, /proc, /sys, /dev over the host's: the one of those
 * path lies under (so the guest cannot see it), or NULL. */
const char *sim_guest_hidden(const char *path);
/* Guest RAM for n nodes, MiB. */
int sim_guest_mem_for(int n_nodes);
/* "<run dir>/console.log" */
const char *sim_guest_console(void);

#endif
