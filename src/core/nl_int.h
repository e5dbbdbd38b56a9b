/* Inside the kernel seam's real implementation (nl.c, nl_batadv.c, nl_parse.c): the handle,
 * the request/answer loop and the message parsers they share. Not for code above the seam. */
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

/* Sends nlh on sock and runs cb on every reply until ACK/DONE. Returns 0 or -errno;
 * -EINTR for a dump the kernel marked inconsistent (NLM_F_DUMP_INTR: the state changed while
 * it was being read, e.g. a Wi-Fi interface joining its mesh), after the rest of it was read
 * away: the caller may ask again. */
int lime_nl_talk(struct lime_nl *nl, struct mnl_socket *sock, unsigned portid,
                 struct nlmsghdr *nlh, mnl_cb_t cb, void *data);

/* After an interrupted dump (libmnl's EINTR on NLM_F_DUMP_INTR): reads the rest of the
 * answer to seq from sock into buf (len bytes already there) so the socket is clean for
 * the next request. 0, or -errno. Shared with nl80211.c. */
int lime_nl_dump_drain(struct mnl_socket *sock, char *buf, size_t size, ssize_t len, unsigned seq);

/* Message parsers (nl_parse.c) shared by the dumps (nl.c) and the event reader
 * (nl_events.c). 0 or -1. */
struct lime_nl_link;
struct lime_nl_route;
int lime_nl_link_parse(const struct nlmsghdr *nlh, struct lime_nl_link *l);
int lime_nl_route_parse(const struct nlmsghdr *nlh, struct lime_nl_route *r);

/* Attribute callbacks' filter (nl_parse.c): a into tb (max + 1 entries) when its payload
 * is what the parser reads of it (mnl_attr_validate with want: u32, NUL-terminated string,
 * nested...); an attribute of a type we do not read is skipped, a malformed one refuses the
 * message (MNL_CB_ERROR). */
int lime_nl_keep_attr(const struct nlattr *a, const struct nlattr **tb, int max,
                      enum mnl_attr_data_type want);

#endif
