/* The state file /run/lime-sim/state.json: what `lime-sim up` built, so later commands
 * (client, link, node, status, down) know the mesh. `down` also works from the namespace
 * names alone when the file is missing or damaged (after a crash). */
#ifndef LIME_SIM_STATE_H
#define LIME_SIM_STATE_H

#include "sim.h"

const char *sim_state_file(void); /* <run dir>/state.json */

/* Takes the lock serialising lime-sim commands (held until exit). 0 or -1. */
int sim_state_lock(void);
/* 0 and st filled; -1 if there is no usable state (message logged unless quiet). */
int sim_state_load(struct sim_state *st, int quiet);
int sim_state_save(const struct sim_state *st);
void sim_state_remove(void);

#endif
