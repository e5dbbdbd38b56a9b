/* An in-memory kernel behind the kernel seam (nl.h), for unit tests: link
 * limecore_nlmock and every lime_nl_* call works on one process-wide model of a network
 * namespace instead of the kernel, so code above the seam runs without root.
 *
 * The model keeps what the seam exposes (links with kind, parent, master, up, MTU, MAC,
 * VLAN/macvlan data; addresses; policy rules; routes) and the kernel's rules that code
 * above the seam relies on: names and addresses are unique (EEXIST), a missing device is
 * ENODEV, deleting a link also deletes its addresses, routes and the macvlan/VLAN devices
 * on it and releases its bridge ports, new links are down with a MAC the kernel picks
 * (a VLAN device: its lower device's).
 *
 * batman-adv (nl_mock_batadv.c): the module is loaded while the link kind "batadv" is
 * supported; a link of that kind is a mesh interface with an algorithm (BATMAN_IV by
 * default, BATMAN_V; anything else EINVAL) and every mesh setting at the kernel's default;
 * a link whose master is a mesh is its hard interface, with the hard-interface settings
 * at their defaults; a setting outside its range is EINVAL (orig_interval below 40 too).
 * Its tables are empty unless a test fills them (lime_nl_mock_batadv_table).
 *
 * Every change (link/address/rule/route add, delete or set; TAP create/delete; a batadv
 * setting) is counted and logged as one line; lime_nl_mock_fail_at() makes the Nth
 * change fail.
 * Reads (dumps, lookups, probes) are neither counted nor logged. */
#ifndef LIME_NL_MOCK_H
#define LIME_NL_MOCK_H

#include <stdbool.h>

#include "nl.h"

/* Empties the model (every link, address, rule and route), the log and the counters;
 * "lo" (ifindex 1, up) exists afterwards, and every link kind is supported. */
void lime_nl_mock_reset(void);
/* A device that exists before anything runs (an Ethernet port, a veth): no kind, down,
 * MTU 1500. Returns its ifindex (> 0), or -EEXIST. Not counted as a change. */
int lime_nl_mock_device(const char *name);
/* lime_nl_kind_supported(kind) answers supported; link_add of an unsupported kind fails
 * with -EOPNOTSUPP. */
void lime_nl_mock_kind(const char *kind, bool supported);

/* ---- Wi-Fi (nl80211.h) ----
 * There is no nl80211 (lime_nl_wifi_open fails with ENOENT, as on a kernel without
 * cfg80211) until a test declares a phy. A Wi-Fi interface is a plain link of the model
 * plus its phy, type and join state; rtnetlink cannot delete it (EOPNOTSUPP), nl80211
 * can. Joining needs the right type, the link up, a channel of the phy that is enabled,
 * and no other interface of the phy on another channel (EBUSY). Interface add/delete,
 * joins, leaves and the country are changes (counted, logged, fail_at applies). */
struct lime_nl_wifi_phy;
/* Declares a phy (copied). 0, or -EEXIST for an index already declared. */
int lime_nl_mock_phy(const struct lime_nl_wifi_phy *phy);
/* A radio like mac80211_hwsim's: 2.4 GHz channels 1-13 and 5 GHz 36-64 (HT40, VHT),
 * the given iftypes (bit 1 << LIME_WIFI_*), one combination: up to 8 interfaces of
 * those types on one channel. */
void lime_nl_mock_phy_std(struct lime_nl_wifi_phy *out, uint32_t index, const char *name,
                          uint32_t iftypes);
/* Stations the next lime_nl_wifi_stations(ifindex of name) returns (copied, max 16). */
struct lime_nl_wifi_station;
void lime_nl_mock_stations(const char *ifname, const struct lime_nl_wifi_station *st, int n);

/* The nth change from now (1 = the next one) fails with err (a negative errno) and
 * changes nothing; 0 turns it off. */
void lime_nl_mock_fail_at(unsigned nth, int err);
/* Changes attempted since the last reset / lime_nl_mock_log_clear() (failed ones too). */
unsigned lime_nl_mock_changes(void);
/* One line per change attempted, e.g. "link_add anygw macvlan parent=br-lan",
 * "addr_del 10.0.0.1/16 dev br-lan", "route_add 10.13.0.0/16 dev anygw table 170
 * metric 0", "batadv_set bat0 orig_interval 2000", "batadv_set bat0 eth0_29
 * hop_penalty 10"; a failed one ends in " -> error N". Valid until the next change. */
const char *lime_nl_mock_log(void);
void lime_nl_mock_log_clear(void);

/* The whole model as sorted text lines that name devices by name, never by ifindex
 * (so a link deleted and re-created compares equal when everything else is): compare
 * two snapshots to assert that a state came back. malloc'd; free() it. */
char *lime_nl_mock_snapshot(void);

/* What lime_nl_batadv_dump(mesh, t) returns from now on (copied). 0, or -ENODEV when
 * mesh is not a mesh interface. */
int lime_nl_mock_batadv_table(const char *mesh, enum lime_batadv_table t,
                              const struct lime_nl_batadv_entry *v, size_t n);

#endif
