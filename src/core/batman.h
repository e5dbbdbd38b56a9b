/* The batman seam: batman-adv's tables (neighbours, originators, local clients, hard
 * interfaces) in
 * batctl's JSON shapes, from whichever batman-adv the node runs, through one asynchronous
 * client shared by every reader (limed's neighbours, /metrics and UI; shared-state's
 * discovery and publishers):
 *   - batd (userspace batman-adv): its control socket, one "<table> json" question per
 *     connection, the JSON answer until EOF (batd's ctl.c); non-blocking on the loop,
 *     3 s deadline;
 *   - the kernel module: its generic netlink tables through the kernel seam (nl.h,
 *     lime_nl_batadv_dump), rendered in the same shapes; asked where batd's socket
 *     does not answer a connect.
 * Answers are kept: a reader gets the latest one at once and never waits. A reader that
 * wants an answer at most max_age_ms old asks lime_batman_get(), which questions the
 * source again in the background when the answer is older, and keeps refreshing that
 * table every max_age_ms for 30 s after the last read, so a page polled every few
 * seconds always sees a fresh table. */
#ifndef LIME_BATMAN_H
#define LIME_BATMAN_H

#include <stddef.h>

struct json_object;
struct lime_loop;
struct lime_nl_batadv_entry;

enum lime_batman_table {
    LIME_BATMAN_NEIGHBOURS,  /* batctl n: neigh_address, hard_ifname, last_seen_msecs … */
    LIME_BATMAN_ORIGINATORS, /* batctl o: orig_address, neigh_address, tq, best … */
    LIME_BATMAN_TRANSLOCAL,  /* batctl tl: client_address, vid, flags … (this node's clients) */
    LIME_BATMAN_INTERFACES,  /* batctl if: hard_ifname, hard_ifindex, hard_address, active */
    LIME_BATMAN_TABLES
};

struct lime_batman;

/* A client of batd's control socket at batd_ctl and of the kernel module's mesh
 * interface mesh_if (bat0), either may be NULL. With both, every question goes to batd
 * while it listens at batd_ctl, and to the kernel where nothing does (a node lime-apply
 * put on the kernel's batman-adv runs no batd; one switched at run time is followed).
 * Asks for every table at once. NULL only without memory. */
struct lime_batman *lime_batman_open(struct lime_loop *loop, const char *batd_ctl,
                                     const char *mesh_if);
void lime_batman_close(struct lime_batman *c);

/* The latest answer for table t, a JSON array (a new reference: json_object_put() it),
 * or NULL (no answer yet, batman-adv absent, or a table the source does not have).
 * Older than max_age_ms: asked again in the background (see above). */
struct json_object *lime_batman_get(struct lime_batman *c, enum lime_batman_table t,
                                    unsigned max_age_ms);
/* The latest answer for t as it is (new reference or NULL): no question, no interest. */
struct json_object *lime_batman_latest(struct lime_batman *c, enum lime_batman_table t);
/* Asks for table t now, unless a question for it is out. */
void lime_batman_refresh(struct lime_batman *c, enum lime_batman_table t);
/* cb(arg, t) runs when an answer for t arrived (or the question failed: then the table
 * is NULL); at most 8 listeners. 0 or -ENOSPC. */
int lime_batman_listen(struct lime_batman *c,
                       void (*cb)(void *arg, enum lime_batman_table t), void *arg);
void lime_batman_unlisten(struct lime_batman *c,
                          void (*cb)(void *arg, enum lime_batman_table t), void *arg);

/* A table the kernel dumped (lime_nl_batadv_dump) in the JSON shape batd answers, as
 * above. New reference. */
struct json_object *lime_batman_json(enum lime_batman_table t,
                                     const struct lime_nl_batadv_entry *v, size_t n);

#endif
