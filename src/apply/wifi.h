/* lime-apply's Wi-Fi (issue 11): the plan's wifi ifaces on live radios become
 *   - desired Wi-Fi interfaces (desired.h, lr_want_wifi) that kernel_apply.c creates on
 *     their phy and, for an open 802.11s mesh or an IBSS, joins itself over nl80211;
 *   - daemons for limed's supervisor, each with a config generated from the plan: one
 *     hostapd per access point (ap, apname, apbb, apup), one wpa_supplicant per mesh with
 *     a key (SAE, as OpenWrt does) and per client interface.
 * Why lime-apply joins an open mesh itself rather than through wpa_supplicant: the
 * kernel's own mesh peering needs no process on the node (a router has 32-128 MB), the
 * join is one nl80211 request that is journaled and undone like every other change, and
 * OpenWrt joins an open mesh the same way (iw mesh join). SAE needs a userspace peering
 * manager, so a mesh with a key goes through wpa_supplicant. */
#ifndef LR_WIFI_H
#define LR_WIFI_H

#include <limits.h>
#include <net/if.h>
#include <stdbool.h>
#include <stdint.h>

struct plan;
struct plan_radio;
struct plan_wifi_iface;
struct lr_desired;
struct lr_paths;

/* The 802.11 beacon interval lime-apply uses everywhere (TU): an 802.11s mesh joined
 * with another one makes hostapd on the same radio fail ("Failed to set beacon
 * parameters"). */
#define LR_WIFI_BEACON_INT 100

/* Fills d->wifi (and d->country) from the plan's wifi ifaces whose radio is live (read
 * over nl80211); radios from a fixture or OpenWrt's wireless file have no phy here and are
 * left out. 0, or -1 with a message ("lm_wlan0_mesh_radio0 (wlan0-mesh): ...") for bad
 * settings (a key of the wrong length, an encryption this backend does not have). */
int lr_wifi_desired(const struct plan *p, struct lr_desired *d, char *err, unsigned errlen);

/* true when dev is one of the plan's Wi-Fi interfaces, or a device stacked on one (a VLAN
 * over wlan0-mesh), that will not exist here because d has no such Wi-Fi interface. */
bool lr_wifi_absent(const struct plan *p, const struct lr_desired *d, const char *dev);

/* The MAC lime-apply gives the k-th interface of a radio (k = 0, 1, ... in plan order):
 * the phy's own address for the first, then the same with the locally administered bit
 * set and k in the high nibble of the first byte (a radio's interfaces need distinct
 * addresses: mac80211 refuses to bring up an AP and a mesh point with one address). */
void lr_wifi_mac(const uint8_t phy_mac[6], int k, uint8_t out[6]);

struct lr_wifi_daemon {
    char name[48];         /* supervisor name: hostapd-wlan0-ap, wpa_supplicant-wlan0-mesh */
    char ifname[IFNAMSIZ];
    bool hostapd;          /* else wpa_supplicant */
    char conf[PATH_MAX];   /* ROOT/var/run/lime/<name>.conf */
    char *text;            /* its content, heap */
};

/* The daemons the desired Wi-Fi needs, in plan order, with their config text. bridge is
 * the LAN bridge access points join (br-lan). 0 and *n, or -1 with err. Free the texts
 * with lr_wifi_daemons_free. */
#define LR_MAX_WIFI_DAEMONS 16
int lr_wifi_daemons(const struct plan *p, const struct lr_desired *d, const struct lr_paths *paths,
                    struct lr_wifi_daemon *out, int *n, char *err, unsigned errlen);
void lr_wifi_daemons_free(struct lr_wifi_daemon *v, int n);

/* Config texts (hostapd.conf / wpa_supplicant.conf) of one interface; NULL with err. */
char *lr_hostapd_conf(const struct plan *p, const struct plan_wifi_iface *wi, const struct plan_radio *r,
                      const char *ctrl_dir, const char *bridge, char *err, unsigned errlen);
char *lr_wpa_conf(const struct plan_wifi_iface *wi, const struct plan_radio *r, const char *ctrl_dir,
                  char *err, unsigned errlen);

/* A wifi iface's option ("" when unset). */
const char *lr_wifi_opt(const struct plan_wifi_iface *wi, const char *key);

#endif
