/* mac80211_hwsim, the kernel's simulated radios, as lime-sim's Wi-Fi mode uses them (in
 * the qemu guest's root namespace): radios are made and removed over hwsim's generic
 * netlink family (MAC80211_HWSIM), one per node and per phone, each with its own name,
 * address and interface types; which radios hear each other is hwsim's per-radio group
 * mask in debugfs (two radios hear each other when their masks share a bit). The
 * constants are the kernel's (drivers/net/wireless/mac80211_hwsim.h, not exported to
 * userspace). */
#ifndef LIME_SIM_HWSIM_H
#define LIME_SIM_HWSIM_H

#include <stdbool.h>
#include <stdint.h>

/* A new radio called name (also its phy's name) with permanent address mac, supporting
 * the interface types of the mask iftypes (bit 1 << nl80211 type), with no interface of
 * its own. Its radio id into *id. 0 or -errno (-ENOENT: no mac80211_hwsim loaded). */
int sim_hwsim_new(const char *name, const uint8_t mac[6], uint32_t iftypes, int *id);
/* Removes the radio called name (its interfaces go with it). 0 or -errno. */
int sim_hwsim_del(const char *name);
/* The group mask of the phy called name: writes SYSFS-free debugfs
 * /sys/kernel/debug/ieee80211/<name>/hwsim/group. 0 or -errno. */
int sim_hwsim_group(const char *name, uint64_t mask);
/* Moves the phy called name into the network namespace /run/netns/ns (its interfaces
 * go with it). 0 or -errno. */
int sim_hwsim_to_netns(const char *name, const char *ns);

/* Interface types for sim_hwsim_new: IBSS, managed, AP, mesh point (hwsim adds AP/VLAN
 * and monitor itself and refuses them in the mask). */
#define SIM_HWSIM_ALL ((1u << 1) | (1u << 2) | (1u << 3) | (1u << 7))
/* "managed,ap,mesh,adhoc" (any order, any subset) → mask; -1 if a word is unknown. */
int64_t sim_hwsim_iftypes(const char *words);

#endif
