/* lime-sim's Wi-Fi mode (`up --wifi`, inside the qemu guest): the radio medium made of
 * mac80211_hwsim radios instead of veths. Every node gets one radio (phy "lsr-NAME",
 * address 02:4c:77:00:HH:LL) in its namespace, on which lime-apply makes the node's
 * interfaces (wlan0-ap, wlan0-apname, wlan0-mesh) as on a router; a dummy eth0 keeps the
 * address lime-config derives the node's IPs from. Who hears whom is hwsim's group mask
 * per radio: link k of the topology is bit k, set on both its nodes while the link is up
 * (a node switched off hears nothing); phones (phone.c) hear a node's radio through that
 * node's own bit, given out when its first phone arrives. 64 bits: links plus nodes with
 * phones must fit (a line, ring or grid up to ~50 links). */
#ifndef LIME_SIM_RADIO_H
#define LIME_SIM_RADIO_H

#include <json-c/json.h>
#include <stddef.h>
#include <stdint.h>

#include "sim.h"

#define SIM_RADIO_BITS 64

/* phy names: "lsr-NAME" (node), "lsp-NAME" (phone). */
void sim_radio_node_phy(const struct sim_state *st, int i, char out[32]);
void sim_radio_phone_phy(const struct sim_client *c, char out[32]);
/* The radio address of node i, and the node a Wi-Fi MAC belongs to (any interface of its
 * radio: lime-apply varies the first byte), -1 if none. */
void sim_radio_node_mac(int i, uint8_t out[6]);
int sim_radio_node_of_mac(const struct sim_state *st, const uint8_t mac[6]);

/* Refuses a topology that does not fit the group bits. 0, or -1 with err. */
int sim_radio_check(const struct sim_state *st, char *err, size_t len);
/* Loads mac80211_hwsim (no radios of its own) if needed, makes every node's radio and
 * dummy eth0, moves them into the node namespaces, and sets the group masks. 0 or -1. */
int sim_radio_up(struct sim_state *st);
/* Writes every node's group mask from st (links up/down, stopped nodes, phone bits).
 * Phones' masks are phone.c's. 0 or -1. */
int sim_radio_groups(const struct sim_state *st);
/* The group bit phones hear node i on (given out on first use). -1 when none is left. */
int sim_radio_ap_bit(struct sim_state *st, int node);
/* Removes every radio lime-sim made (node and phone radios), for `down`. */
void sim_radio_down(const struct sim_state *st);

/* The frequency (MHz) of node i's access point for ssid, 0 if it has none running. */
unsigned sim_radio_ap_freq(const struct sim_state *st, int i, const char *ssid);

/* Runs fn inside network namespace ns (this process joins it and comes back): nl80211
 * dumps of a node without starting a program. 0, or -1 if ns cannot be entered. */
int sim_in_netns(const char *ns, void (*fn)(void *), void *arg);
/* The Wi-Fi interfaces of namespace ns with their stations, as status --json shows them
 * ("interfaces": [{name, type, channel, frequency, ssid, stations: [{mac, node|client,
 * plink, signal, inactive_ms}]}]); NULL when there is no nl80211 there. */
json_object *sim_radio_status(const struct sim_state *st, const char *ns);

#endif
