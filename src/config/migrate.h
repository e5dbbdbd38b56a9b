/* migrate-wifi-bands-cfg (spec §5.5, §6 first boot): moves old per-band wifi options of a
 * lime-community / lime-node file into `lime-wifi-band` sections:
 *   wifi.modes [ap_2ghz, ieee80211s, ...]  ->  2ghz.modes / 5ghz.modes (a mode without a
 *                                              band suffix goes to both; an empty band gets
 *                                              [manual]); wifi.modes is deleted
 *   wifi.<key>_<band> (channel_5ghz, ...)   ->  <band>.<key>; the wifi option is deleted */
#ifndef LIME_CONFIG_MIGRATE_H
#define LIME_CONFIG_MIGRATE_H

#include <stdbool.h>

#include "uci.h"

/* Migrates pkg in place. Returns 1 if it changed, 0 if not, -1 on ENOMEM. */
int plan_migrate_wifi_bands(struct lime_uci_package *pkg);

/* Migrates ROOT/etc/config/lime-community and lime-node (files that exist), writing those
 * that changed atomically. 0, or -1 with a message on stderr. */
int plan_migrate_wifi_bands_root(const char *root);

#endif
