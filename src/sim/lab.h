/* The kernel mode on the host (`lime-sim up --kernel TOPOLOGY`): one qemu guest per
 * instance (guest.c) booting Debian's kernel (kcache.c), whose agent (agent.c) runs this
 * same lime-sim in veth mode inside it. Every verb but up, down and ui is forwarded to it
 * over the control channel (chan.h) and answers exactly as in veth mode: same output,
 * same exit status. */
#ifndef LIME_SIM_LAB_H
#define LIME_SIM_LAB_H

#include <stdbool.h>

#include "sim.h"

/* True if this instance runs in kernel mode (a guest record exists). */
bool sim_lab_active(void);
struct sim_guest_opts;
/* Boots the guest for the validated mesh st with o (extra modules, shared directories;
 * its timeout is taken from LIME_SIM_BOOT_TIMEOUT), then forwards fwd ("up", TOPOLOGY,
 * options..., NULL) to it. Exit status; on failure nothing is left (guest killed, files
 * removed). */
int sim_lab_up(const struct sim_state *st, char *const fwd[], struct sim_guest_opts *o);
/* Forwards `lime-sim argv...` (verb first), stdin too if fwd_stdin. Exit status. */
int sim_lab_forward(char *const argv[], int fwd_stdin);
/* `status [--json]`: the guest's status plus the guest itself (qemu pid, port, RAM). */
int sim_lab_status(int as_json);
/* Kills this instance's guest (also one whose record is lost) and removes its files.
 * Returns how many qemu processes were ended. */
int sim_lab_down(void);
/* Node names of the running guest's mesh, for `ui` (st->nodes only). 0 or -1. */
int sim_lab_nodes(struct sim_state *st);
/* A connection to 127.0.0.1:port inside node i's namespace in the guest. fd or -1. */
int sim_lab_connect(const struct sim_state *st, int i, int port);
/* `lime-sim kernel [--update] [--json]`: makes sure the kernel is cached (with update:
 * the one linux-image-amd64 depends on now), prints what is there. */
int sim_lab_kernel(int as_json, int update);

#endif
