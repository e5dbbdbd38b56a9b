/* limed's Wi-Fi module. It follows the node's hostapd and wpa_supplicant through their
 * control sockets (ROOT/var/run/hostapd/, ROOT/var/run/wpa_supplicant/, found again every
 * few seconds as the supervisor restarts them) and acts on their events:
 *   AP-STA-CONNECTED  a phone associated to one of the node's access points: the anycast
 *                     gateway sends it an ARP request (from its MAC and IPv4, for the
 *                     phone's address from the leases), so a phone whose ARP cache the
 *                     roam emptied learns the gateway's MAC at once instead of after its
 *                     own ARP retry (1 s). Sent at once, then 0.2 s and 0.6 s later.
 *                     lime `wifi` option `roam_arp_nudge '0'` turns it off.
 *   MESH-SAE-AUTH-FAILURE  a mesh neighbour failed SAE: logged once per peer per five
 *                     minutes, naming the likely cause (the mesh keys differ).
 * Counters for /metrics. The radios' own facts (interfaces, stations) are read over
 * nl80211 when asked (iwinfo RPC, /metrics), never cached. */
#ifndef LD_WIFI_H
#define LD_WIFI_H

#include <stdint.h>

struct ld_ctx;
struct lime_strbuf;

int ld_wifi_start(struct ld_ctx *ctx);
void ld_wifi_stop(struct ld_ctx *ctx);

struct ld_wifi_stats {
    uint64_t ctrl_attached;     /* control sockets attached (daemons seen) */
    uint64_t events;            /* events read */
    uint64_t malformed;         /* datagrams that were not events (dropped) */
    uint64_t sta_connected;     /* AP-STA-CONNECTED */
    uint64_t sta_disconnected;  /* AP-STA-DISCONNECTED */
    uint64_t sae_failures;      /* MESH-SAE-AUTH-FAILURE */
    uint64_t arp_nudges;        /* ARP requests the anycast gateway sent to phones */
    uint64_t arp_unknown;       /* associations of phones with no known address */
};
const struct ld_wifi_stats *ld_wifi_stats(void);

/* The node's radios for /metrics: per interface channel, frequency and station count,
 * per station signal, inactivity and bitrates, and the counters above. */
void ld_wifi_metrics(struct lime_strbuf *out);

/* Builds the anycast gateway's ARP request to a phone (42 bytes into frame): from gw_mac /
 * gw_ip, asking who has phone_ip, sent to phone_mac. Exposed for tests. */
void ld_wifi_arp_frame(uint8_t frame[42], const uint8_t gw_mac[6], const uint8_t gw_ip[4],
                       const uint8_t phone_mac[6], const uint8_t phone_ip[4]);
/* The phone's IPv4 from a dnsmasq lease file text ("expiry mac ip name id" lines) or a
 * shared hosts file ("mac,ip" lines); 0 if found. Exposed for tests. */
int ld_wifi_lease_ip(const char *text, const uint8_t mac[6], uint8_t ip[4]);

#endif
