/* Kernel batman-adv's neighbour table over generic netlink (family "batadv",
 * BATADV_CMD_GET_NEIGHBORS), for nodes that run the kernel module instead of batd. The
 * answer is rendered in batd's `neighbors json` shape, so discovery and the publishers
 * treat both alike. The dump is one local kernel round trip, done on the loop. */
#ifndef SS_BATADV_H
#define SS_BATADV_H

#include <stddef.h>

struct json_object;

/* Returns a malloc'ed JSON array text [{neigh_address, hard_ifname, hard_ifindex,
 * last_seen_msecs}], or NULL (no batman-adv module, no such mesh interface). */
char *ss_batadv_neighbours(const char *mesh_ifname);
/* Adds the neighbours found in one netlink answer buffer to arr; returns libmnl's
 * MNL_CB_* result. (Exposed for tests.) */
int ss_batadv_parse(const void *buf, size_t len, unsigned seq, struct json_object *arr);

#endif
