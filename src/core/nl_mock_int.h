/* Inside the in-memory kernel (nl_mock.c, nl_mock_batadv.c): what the batman-adv part
 * needs from the model of links, and the hooks the link code calls. Not for tests. */
#ifndef LIME_NL_MOCK_INT_H
#define LIME_NL_MOCK_INT_H

#include <stddef.h>

struct lime_nl_link;

/* nl_mock.c */
struct lime_nl_link *nlm_link(int ifindex); /* NULL = none */
const char *nlm_name(int ifindex);          /* "-" for 0, "?" for unknown */
int nlm_change(const char *what);           /* counts/logs a change; the injected error or 0 */
int nlm_done(int r);                        /* ends the change's log line; returns r */

/* nl_mock_batadv.c */
void nlm_batadv_reset(void);
/* The algorithm a new mesh gets for the requested one ("" = default), NULL if unknown. */
const char *nlm_batadv_algo(const char *requested);
void nlm_batadv_created(int ifindex, const char *algo);
void nlm_batadv_forget(int ifindex);
size_t nlm_batadv_lines(void);             /* snapshot lines it may add */
size_t nlm_batadv_snapshot(char **lines);  /* adds them (malloc'd); returns how many */

#endif
