/* Inside the kernel seam's real implementation (nl.c, nl_batadv.c): the handle and the
 * request/answer loop they share. Not for code above the seam. */
#ifndef LIME_NL_INT_H
#define LIME_NL_INT_H

#include <libmnl/libmnl.h>

struct lime_nl {
    struct mnl_socket *sock;  /* NETLINK_ROUTE */
    unsigned portid;
    struct mnl_socket *gsock; /* NETLINK_GENERIC, opened on first use */
    unsigned gportid;
    unsigned seq;
    char buf[32768];
};

/* Sends nlh on sock and runs cb on every reply until ACK/DONE. Returns 0 or -errno. */
int lime_nl_talk(struct lime_nl *nl, struct mnl_socket *sock, unsigned portid,
                 struct nlmsghdr *nlh, mnl_cb_t cb, void *data);

/* Message parsers shared by the dumps (nl.c) and the event reader (nl_events.c). 0 or -1. */
struct lime_nl_link;
struct lime_nl_route;
int lime_nl_link_parse(const struct nlmsghdr *nlh, struct lime_nl_link *l);
int lime_nl_route_parse(const struct nlmsghdr *nlh, struct lime_nl_route *r);

#endif
