/* Direct-neighbour discovery without shell scripts. Sources, merged into one set:
 *  - static peers from the configuration;
 *  - link-local IPv6 multicast hellos: every node sends "limess 1 <hostname>" to
 *    ff12::bee (link-local scope, never routed, so only direct neighbours hear it;
 *    the group #1120 proposed) on UDP 3490 of each mesh interface, every hello_ms;
 *    a sender is a neighbour for 3 hello periods;
 *  - babeld's neighbours (address fe80::… on an interface), from the babeld seam
 *    (core/babel.h: one client of its local socket, the unix local-path or the TCP
 *    local-port on ::1), looked at every 10 s;
 *  - batman-adv's neighbours, from the batman seam (core/batman.h: batd's ctl socket,
 *    or the kernel module over generic netlink), asked every 10 s; their MACs become
 *    EUI-64 link-local addresses on the hard interface.
 * Only link-local/static addresses are used, so data spreads hop by hop as upstream. */
#ifndef SS_DISCOVER_H
#define SS_DISCOVER_H

#include <netinet/in.h>
#include <stddef.h>
#include <stdint.h>

struct lime_babel;
struct lime_babel_state;
struct lime_batman;
struct lime_loop;
struct ss_discover;

struct ss_discover_config {
    const char *hostname;
    const char *const *ifaces;
    size_t nifaces;
    const char *const *peers;
    size_t npeers;
    uint16_t port;        /* TCP port of peers and UDP port of hellos */
    unsigned hello_ms;
    struct lime_babel *babel; /* a babeld client the caller runs (limed's), or NULL: */
    uint16_t babeld_port; /* babeld local-port on ::1; 0 = off */
    const char *babeld_socket; /* babeld local-path (unix); NULL = off */
    struct lime_batman *batman; /* a batman-adv client the caller runs (limed's), or NULL: */
    const char *batd_ctl; /* NULL = off */
    const char *batadv_if; /* kernel batman-adv mesh interface (bat0); used without batd_ctl */
};

/* Called when an address becomes a neighbour (also for static peers at start). */
typedef void (*ss_neighbour_cb)(void *arg, const struct sockaddr_in6 *addr);

struct ss_discover *ss_discover_start(struct lime_loop *loop, const struct ss_discover_config *cfg,
                                      ss_neighbour_cb on_new, void *arg);
void ss_discover_stop(struct ss_discover *d);
/* Current neighbours (port set to cfg->port); returns the count, fills up to max. */
size_t ss_discover_list(struct ss_discover *d, struct sockaddr_in6 *out, size_t max);

/* babeld's current state (NULL while babeld does not answer, or without babeld) and
 * batman-adv's latest neighbour table as JSON text (or NULL; valid until the next poll). Publishers read
 * them. */
const struct lime_babel_state *ss_discover_babeld(struct ss_discover *d);
const char *ss_discover_batd_neighbours(struct ss_discover *d);

/* Calls cb with the link-local address (on its interface) of each babeld neighbour. */
void ss_discover_babeld_neighbours(const struct lime_babel_state *b, uint16_t port,
                                   void (*cb)(void *arg, const struct sockaddr_in6 *a), void *arg);
/* Parses `batd ctl neighbors json` output (batctl's neighbour JSON): for each entry,
 * neigh_address on hard_ifname becomes its EUI-64 link-local address. */
void ss_discover_parse_batd(const char *json, uint16_t port,
                            void (*cb)(void *arg, const struct sockaddr_in6 *a), void *arg);
/* MAC "aa:bb:cc:dd:ee:ff" + ifindex -> fe80:: EUI-64 address. 0 or -1. */
int ss_eui64_ll(const char *mac, unsigned ifindex, uint16_t port, struct sockaddr_in6 *out);

#endif
