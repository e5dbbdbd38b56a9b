/* Phones in lime-sim's Wi-Fi mode: a namespace ls-c-NAME with its own mac80211_hwsim
 * radio (phy "lsp-NAME", address 02:4c:43:00:HH:LL, managed mode only) whose interface
 * wlan0 is a station run by the real wpa_supplicant, which associates to the community
 * SSID of the node the phone is at (it hears that node only: the node's phone bit of the
 * hwsim group mask, radio.h), then takes its lease from the anycast gateway with udhcpc.
 * Moving it is a roam, as a phone walking between APs of one ESS does: the phone hears
 * both nodes, scans, wpa_supplicant reassociates to the new node's AP (ROAM), and then
 * hears the new node only. Its IP configuration stays; udhcpc renews only when the new
 * node serves another SSID (another cloud). */
#ifndef LIME_SIM_PHONE_H
#define LIME_SIM_PHONE_H

#include <stdbool.h>

#include "sim.h"

/* Adds phone name at node with the AP password key ("" = open) and, with keep_arp, an
 * ARP cache that survives the link going down during a roam (arp_evict_nocarrier=0).
 * Waits up to wait_s for the association and then the lease. 0; 1 if it did not
 * associate or lease in time (why is printed: a wrong key says so); -1 on error. */
int sim_phone_add(struct sim_state *st, const char *name, int node, const char *key, bool keep_arp,
                  int wait_s);
/* Roams phone ci to node's access point; prints the association it got. 0, 1 (did not
 * reassociate in time), -1. */
int sim_phone_move(struct sim_state *st, int ci, int node, int wait_s);
void sim_phone_del(struct sim_state *st, int ci);
/* The BSSID the phone is associated with ("" = none), from its wpa_supplicant. */
void sim_phone_bssid(const struct sim_client *c, char out[18]);

#endif
