/* The shared radio medium, built the way meshnet-lab builds it: a namespace ls-medium
 * holds, per node, a hub bridge r<i> (ageing 0: floods every frame) with the node's radio
 * port n<i> (eth0 inside the node), and per link a-b a veth pair l<a>_<b> / l<b>_<a>
 * whose ends sit, "isolated", in r<a> and r<b>. A frame a node sends thus reaches every
 * neighbour's eth0 and no one else: isolated ports never forward to each other.
 * Per-link loss is an nftables bridge rule (random drop) on each direction; a link goes
 * down by setting its veth down. The medium also holds each node's access-point bridge
 * a<i> with port p<i> (eth1 in the node), where clients' wlan0 ports are attached. */
#ifndef LIME_SIM_MEDIUM_H
#define LIME_SIM_MEDIUM_H

#include "sim.h"

/* Creates ls-medium, the radio/AP bridges and the node ports (eth0/eth1 appear in the
 * already created node namespaces) and every link. 0 or -1. */
int sim_medium_up(const struct sim_state *st);
/* Applies links[i].down and loss to the running medium. */
int sim_medium_link_apply(const struct sim_state *st, int i);
/* Rewrites the whole loss table from st. */
int sim_medium_loss_apply(const struct sim_state *st);

#endif
