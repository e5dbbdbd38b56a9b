/* What limed reads about the node's radios for the API (rpc_iwinfo.c, lime-utils'
 * most_active): one nl80211 look at the interfaces, phys and country, and the facts the
 * kernel does not report, from lime-apply's files (a mesh's ID from the ownership record,
 * an interface's encryption from its daemon's config). */
#ifndef LD_WIFI_INFO_H
#define LD_WIFI_INFO_H

#include <json-c/json.h>
#include <stddef.h>

#include "core/nl80211.h"

struct ld_ctx;

struct ld_wifi_view {
    struct lime_nl_wifi *w;
    struct lime_nl_wifi_iface *ifs;
    size_t n_ifs;
    struct lime_nl_wifi_phy *phys;
    size_t n_phys;
    char country[3];
};

/* 0, or -1 when there is no nl80211 (no radios). Close it in either case. */
int ld_wifi_view_open(struct ld_wifi_view *v);
void ld_wifi_view_close(struct ld_wifi_view *v);
const struct lime_nl_wifi_iface *ld_wifi_view_iface(const struct ld_wifi_view *v, const char *name);
const struct lime_nl_wifi_phy *ld_wifi_view_phy(const struct ld_wifi_view *v, uint32_t index);
int ld_wifi_view_stations(struct ld_wifi_view *v, const struct lime_nl_wifi_iface *f,
                          struct lime_nl_wifi_station **out, size_t *n);

/* The interface's SSID, or for a mesh / IBSS joined by lime-apply the ID it joined. */
void ld_wifi_ssid(struct ld_ctx *ctx, const struct lime_nl_wifi_iface *f, char *out, size_t len);
/* rpcd-iwinfo's "encryption" object of the interface ({enabled, wpa, authentication,
 * ciphers}), from its hostapd / wpa_supplicant config. */
json_object *ld_wifi_encryption(struct ld_ctx *ctx, const struct lime_nl_wifi_iface *f);
/* Neighbours (lime-utils.get_neighbors rows) reached over a radio: a row whose link-local
 * "address" is the EUI-64 address of a mesh station (the VLANs on a mesh interface have
 * its MAC), or whose "mac" is one, gets "signal" (dBm, the station's average), "channel",
 * "frequency" and "radio_iface". */
void ld_wifi_annotate_neighbors(json_object *rows);
/* One station as iwinfo.assoclist gives it. */
json_object *ld_iwinfo_station(const struct lime_nl_wifi_station *s);

#endif
