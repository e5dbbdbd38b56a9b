/* `lime-sim status [--json]`: nodes (cloud, address, running daemons, default route, the
 * routes in their main table), links (up/down, loss), clients (node, lease). Read from the
 * live namespaces, not only from the state file. */
#ifndef LIME_SIM_STATUS_H
#define LIME_SIM_STATUS_H

#include "sim.h"

int sim_status(const struct sim_state *st, int json);

#endif
