/* The WAN of a gateway node, watched at once and cheaply, for the gateway watcher
 * (gateway.h), which decides what the mesh is told.
 *
 * Two sources, neither of them an HTTP check:
 *   - the kernel's own word, from rtnetlink events (core/nl.h): the WAN link up with
 *     carrier (IFF_UP and IFF_LOWER_UP), a default route of its own through the WAN, and
 *     its next hop not FAILED in the neighbour table (ARP gave up on it). Any of them
 *     lost = DOWN, at once; all back = UP. The kernel keeps IPv4 routes of a link that
 *     lost its carrier (flagged linkdown), so the carrier is watched itself;
 *   - a light probe: one ICMP echo per probe interval (1 s: 84 bytes/s) to the probe
 *     target, out of the WAN device whatever the routing table says. A probe left
 *     unanswered for 500 ms starts fast probes (every 200 ms); when none of them is
 *     answered within a second the target is SILENT (1.5-2.5 s after the uplink died).
 *     The first answer after that (or the first ever) is ANSWERS. A target that never answered is not judged: hosts
 *     that drop ICMP make no verdict, the kernel's and the HTTP check's stand.
 * The target is the check URL's host when it is a numeric IPv4 address, else the WAN's
 * next hop (which catches a dead modem, not a dead ISP). Probes run only while the link
 * is UP. */
#ifndef LD_WAN_H
#define LD_WAN_H

#include <stdbool.h>

struct lime_loop;
struct ld_wan;

enum ld_wan_event {
    LD_WAN_DOWN,    /* the WAN cannot carry traffic: no link/carrier, no default, next hop FAILED */
    LD_WAN_UP,      /* it can again */
    LD_WAN_SILENT,  /* the probe target stopped answering */
    LD_WAN_ANSWERS, /* it answers (first time, or again after SILENT) */
};

/* why: a few words for the log ("eth2 lost its carrier"). */
typedef void (*ld_wan_cb)(enum ld_wan_event ev, const char *why, void *arg);

struct ld_wan_opts {
    const char *wan;       /* the WAN device */
    const char *probe;     /* numeric IPv4 to probe; NULL or "" = the WAN's next hop */
    unsigned probe_ms;     /* probe interval; 0 = 1000 */
};

/* Starts watching (the first state is read at once; no event for it). NULL with errno
 * set when the kernel cannot be reached. */
struct ld_wan *ld_wan_new(struct lime_loop *loop, const struct ld_wan_opts *o,
                                ld_wan_cb cb, void *arg);
void ld_wan_free(struct ld_wan *u);

/* The kernel's view right now: link up with carrier, a default route, next hop not FAILED. */
bool ld_wan_usable(const struct ld_wan *u);
/* Has the probe target answered since the last SILENT (or ever, before one)? */
bool ld_wan_answering(const struct ld_wan *u);

struct ld_wan_counts {
    unsigned probes, replies, silences, downs;
};
void ld_wan_counts(const struct ld_wan *u, struct ld_wan_counts *out);

#endif
