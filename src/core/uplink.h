/* Is this node an internet gateway of the mesh? The one answer every component gives
 * (limed's UI, path and /metrics, respondd, shared-state's node_info): a default route of
 * its own in the kernel (read through the kernel seam, nl.h; babeld's routes, protocol
 * 42, lead to another node and do not count), or, when babeld answers, a default route
 * babeld exports. */
#ifndef LIME_UPLINK_H
#define LIME_UPLINK_H

#include <stdbool.h>

struct lime_babel_state;

/* A default route of this family in the kernel (any table but local) that babeld did
 * not install: the node's own way out. */
bool lime_uplink_own_default(bool v6);
/* The node is a gateway: an own default route of either family, or b (may be NULL)
 * answers and exports 0.0.0.0/0 or ::/0. */
bool lime_uplink_gateway(const struct lime_babel_state *b);

#endif
