/* Inside the in-memory kernel (nl_mock.c, nl_mock_batadv.c, nl80211_mock.c): what the
 * batman-adv and Wi-Fi parts need from the model of links, and the hooks the link code
 * calls. Not for tests (nl_mock.h). */
#ifndef LIME_NL_MOCK_INT_H
#define LIME_NL_MOCK_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct lime_nl_link;

/* nl_mock.c */
struct lime_nl_link *nlm_link(int ifindex); /* NULL = none */
const char *nlm_name(int ifindex);          /* "-" for 0, "?" for unknown */
int nlm_change(const char *what);           /* counts/logs a change; the injected error or 0 */
int nlm_done(int r);                        /* ends the change's log line; returns r */
/* A plain link (what a Wi-Fi interface is to rtnetlink), down; ifindex or -errno. */
int nlm_link_new(const char *name, const uint8_t *mac);
/* By ifindex, or by name when name is not NULL. */
struct lime_nl_link *nlm_link_find(int ifindex, const char *name);
/* Removes the link and what dies with it (addresses, routes, VLANs on it). */
void nlm_link_remove(int ifindex);

/* nl_mock_batadv.c */
void nlm_batadv_reset(void);
/* The algorithm a new mesh gets for the requested one ("" = default), NULL if unknown. */
const char *nlm_batadv_algo(const char *requested);
void nlm_batadv_created(int ifindex, const char *algo);
void nlm_batadv_forget(int ifindex);
size_t nlm_batadv_lines(void);             /* snapshot lines it may add */
size_t nlm_batadv_snapshot(char **lines);  /* adds them (malloc'd); returns how many */

/* nl80211_mock.c */
void nlm_wifi_reset(void);
void nlm_wifi_forget(int ifindex);
bool nlm_wifi_is(int ifindex);
char *nlm_wifi_snapshot(void); /* malloc'd lines, NULL if none */

#endif
