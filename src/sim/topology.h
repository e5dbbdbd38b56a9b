/* TOPOLOGY arguments of `lime-sim up`: line:N, ring:N, grid:WxH, random:N (with a
 * seed), or a JSON file in meshnet-lab's format:
 *   {"links":[{"source":"a","target":"b","loss":5}, ...],
 *    "nodes":[{"id":"a","ssid":"LiMe","gateway":true}, ...]}      ("nodes" optional)
 * "loss" is the percentage (0..100) of frames dropped in each direction. Generated
 * topologies name their nodes n1..nN. */
#ifndef LIME_SIM_TOPOLOGY_H
#define LIME_SIM_TOPOLOGY_H

#include "sim.h"

/* Fills the nodes and links of an empty st. Returns 0, or -1 with a message in err
 * ("FILE:LINE: what was expected" for JSON) and st left empty. */
int sim_topology_parse(const char *spec, unsigned seed, struct sim_state *st, char *err,
                       size_t errlen);
/* The JSON form, from text already read; fname is used in messages only. */
int sim_topology_parse_json(const char *text, const char *fname, struct sim_state *st,
                            char *err, size_t errlen);

#endif
