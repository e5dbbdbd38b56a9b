/* The kernel seam, Wi-Fi part: every read and change LiMe-C makes to radios (cfg80211's
 * generic netlink family nl80211) goes through these functions, beside nl.h's rtnetlink
 * ones. Two implementations:
 *   nl80211.c       the kernel, over generic netlink on libmnl;
 *   nl80211_mock.c  part of the in-memory kernel of nl_mock.h (phys the test declares,
 *                   Wi-Fi interfaces that are links of the same model), for unit tests.
 * Like nl.h: synchronous, 0 or -errno, nothing logged, dumps malloc'd (free()).
 *
 * The parsers of what the kernel sends (a wiphy's capabilities, a station) are exposed
 * on their own (lime_nl_wifi_parse_*), so a fuzz harness feeds them any bytes. */
#ifndef LIME_NL80211_H
#define LIME_NL80211_H

#include <net/if.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct lime_nl_wifi;

/* NULL with errno set; ENOENT when the kernel has no nl80211 (no cfg80211 loaded). */
struct lime_nl_wifi *lime_nl_wifi_open(void);
void lime_nl_wifi_close(struct lime_nl_wifi *w);

/* Interface types, as nl80211's enum nl80211_iftype numbers them (a phy's supported
 * types are a bit mask of 1 << type). */
enum lime_wifi_iftype {
    LIME_WIFI_UNSPEC = 0,
    LIME_WIFI_ADHOC = 1,
    LIME_WIFI_STATION = 2,
    LIME_WIFI_AP = 3,
    LIME_WIFI_AP_VLAN = 4,
    LIME_WIFI_MONITOR = 6,
    LIME_WIFI_MESH = 7,
};
/* "IBSS", "managed", "AP", "AP/VLAN", "monitor", "mesh point", or "type N". */
const char *lime_wifi_iftype_name(unsigned type);

/* Channel widths as nl80211's enum nl80211_chan_width. */
enum lime_wifi_width {
    LIME_WIFI_WIDTH_20_NOHT = 0,
    LIME_WIFI_WIDTH_20 = 1,
    LIME_WIFI_WIDTH_40 = 2,
    LIME_WIFI_WIDTH_80 = 3,
    LIME_WIFI_WIDTH_80P80 = 4,
    LIME_WIFI_WIDTH_160 = 5,
};

/* ---- phys (wiphys): what a radio can do ---- */
#define LIME_WIFI_MAX_CHANS 64
#define LIME_WIFI_MAX_COMBS 8
#define LIME_WIFI_MAX_LIMITS 8

struct lime_nl_wifi_chan {
    uint32_t freq;      /* MHz */
    bool disabled;      /* not usable at all (hardware or regulatory) */
    bool no_ir;         /* may not start a network (beacon) here: needs a country */
    bool radar;         /* DFS */
};

struct lime_nl_wifi_band {
    int band;           /* nl80211_band: 0 = 2.4 GHz, 1 = 5 GHz, 3 = 6 GHz, ... */
    bool ht, ht40, vht; /* HT capable (HT40 when its capabilities say so), VHT */
    struct lime_nl_wifi_chan chans[LIME_WIFI_MAX_CHANS];
    int n_chans;        /* channels beyond the array are dropped */
};

/* One valid interface combination: each limit allows up to max interfaces of the types
 * in its mask; at most max_ifaces in all, on num_channels different channels. */
struct lime_nl_wifi_comb {
    uint32_t types[LIME_WIFI_MAX_LIMITS];
    uint16_t max[LIME_WIFI_MAX_LIMITS];
    int n_limits;
    uint32_t max_ifaces;
    uint32_t num_channels;
};

struct lime_nl_wifi_phy {
    uint32_t index;                 /* wiphy index */
    char name[32];                  /* phy0 */
    uint32_t iftypes;               /* supported types: bit (1 << LIME_WIFI_*) */
    struct lime_nl_wifi_band bands[4];
    int n_bands;
    struct lime_nl_wifi_comb combs[LIME_WIFI_MAX_COMBS];
    int n_combs;
    bool user_mpm;                  /* the driver lets userspace run mesh peering (SAE) */
};

/* The phys of this network namespace, sorted by index. */
int lime_nl_wifi_phys(struct lime_nl_wifi *w, struct lime_nl_wifi_phy **out, size_t *n);

/* Merges the attributes of one wiphy message (what follows the generic netlink header)
 * into *phy: a split dump sends a wiphy in several messages. Ignores what it does not
 * know; never reads past len. 0, or -EINVAL when the bytes are not attributes. */
int lime_nl_wifi_parse_phy(const void *attrs, size_t len, struct lime_nl_wifi_phy *phy);

/* true if the phy allows count[t] interfaces of each type t (indexed by LIME_WIFI_*, 16
 * entries) at once on one channel, by some combination; with no combination advertised,
 * one interface of a supported type. */
bool lime_nl_wifi_comb_fits(const struct lime_nl_wifi_phy *phy, const unsigned count[16]);

/* ---- interfaces ---- */
struct lime_nl_wifi_iface {
    int ifindex;
    char name[IFNAMSIZ];
    uint32_t phy;            /* wiphy index */
    uint32_t iftype;         /* LIME_WIFI_* */
    uint8_t mac[6];
    uint32_t freq;           /* MHz the interface operates on, 0 = none (not joined/started) */
    uint32_t width;          /* LIME_WIFI_WIDTH_*, with freq */
    uint32_t center1;        /* MHz */
    char ssid[33];           /* AP/IBSS/station: the SSID as bytes ("" = none) */
    uint8_t ssid_len;
    int32_t txpower_mbm;     /* 0 = unknown */
};

int lime_nl_wifi_ifaces(struct lime_nl_wifi *w, struct lime_nl_wifi_iface **out, size_t *n);
/* One interface message's attributes into *f (ifindex 0 when it names none). */
void lime_nl_wifi_parse_iface(const void *attrs, size_t len, struct lime_nl_wifi_iface *f);
/* A new interface called name of type iftype on wiphy phy; mac NULL = the driver's
 * choice. Created down. */
int lime_nl_wifi_iface_add(struct lime_nl_wifi *w, uint32_t phy, const char *name, uint32_t iftype,
                           const uint8_t *mac);
int lime_nl_wifi_iface_del(struct lime_nl_wifi *w, int ifindex);

/* ---- joining: 802.11s mesh and IBSS ---- */
struct lime_nl_wifi_join {
    char ssid[33];           /* mesh ID or IBSS SSID (bytes) */
    uint8_t ssid_len;
    uint32_t freq, width, center1;   /* chandef */
    uint32_t mcast_rate;     /* 100 kbps units, 0 = driver default */
    uint32_t beacon_interval;/* TU, 0 = default */
    /* mesh only */
    int forwarding;          /* mesh_fwding: -1 = kernel default, else 0/1 */
    int nolearn;             /* mesh_nolearn: -1 = kernel default, else 0/1 */
    /* IBSS only */
    bool has_bssid;
    uint8_t bssid[6];
};

int lime_nl_wifi_mesh_join(struct lime_nl_wifi *w, int ifindex, const struct lime_nl_wifi_join *j);
int lime_nl_wifi_mesh_leave(struct lime_nl_wifi *w, int ifindex);
int lime_nl_wifi_ibss_join(struct lime_nl_wifi *w, int ifindex, const struct lime_nl_wifi_join *j);
int lime_nl_wifi_ibss_leave(struct lime_nl_wifi *w, int ifindex);
/* The mesh's forwarding and nolearn settings now (-1 when the kernel does not say). */
int lime_nl_wifi_mesh_params(struct lime_nl_wifi *w, int ifindex, int *forwarding, int *nolearn);

/* ---- regulatory domain (global, not per namespace) ---- */
/* alpha2: "00" (world), "US", ...; out gets 3 bytes. */
int lime_nl_wifi_reg_get(struct lime_nl_wifi *w, char alpha2[3]);
int lime_nl_wifi_reg_set(struct lime_nl_wifi *w, const char *alpha2);

/* ---- stations (peers of a mesh point, clients of an AP, the AP of a station) ---- */
struct lime_nl_wifi_station {
    uint8_t mac[6];
    bool has_signal;
    int8_t signal, signal_avg;       /* dBm */
    int8_t chains[4];                /* per antenna chain, dBm */
    int n_chains;
    uint32_t inactive_ms;
    uint32_t connected_s;
    uint64_t rx_bytes, tx_bytes;
    uint32_t rx_packets, tx_packets, tx_retries, tx_failed;
    uint32_t tx_rate, rx_rate;       /* 100 kbps units, 0 = unknown */
    int tx_mcs, rx_mcs;              /* -1 = legacy/unknown */
    bool tx_40mhz, rx_40mhz, tx_short_gi, rx_short_gi;
    uint32_t expected_tput;          /* kbps, 0 = unknown */
    bool has_plink;
    uint8_t plink_state;             /* nl80211_plink_state: 4 = ESTAB */
    bool authorized, authenticated, associated;
};

int lime_nl_wifi_stations(struct lime_nl_wifi *w, int ifindex, struct lime_nl_wifi_station **out,
                          size_t *n);
/* One station message's attributes (after the generic netlink header) into *st. 0, or
 * -EINVAL when it has no station address or the bytes are not attributes. */
int lime_nl_wifi_parse_station(const void *attrs, size_t len, struct lime_nl_wifi_station *st);
/* "ESTAB", "LISTEN", ... for a plink state. */
const char *lime_wifi_plink_name(uint8_t state);

/* ---- namespaces (lime-sim moves a radio into a node) ---- */
int lime_nl_wifi_phy_netns(struct lime_nl_wifi *w, uint32_t phy, int netns_fd);

/* ---- channels ---- */
/* Frequency (MHz) of channel chan in the 2.4 GHz (is5 false) or 5 GHz band; 0 if none. */
uint32_t lime_wifi_chan_freq(int chan, bool is5);
/* Channel number of a frequency; 0 if unknown. */
int lime_wifi_freq_chan(uint32_t freq);
/* The chandef of an OpenWrt htmode on a channel: "HT20", "HT40", "HT40+", "HT40-",
 * "VHT20/40/80/160", "HE20/40/80/160", "NOHT", "" (= HT20). -EINVAL for an unknown htmode
 * or a width the channel has no partner for. */
int lime_wifi_chandef(uint32_t freq, const char *htmode, uint32_t *width, uint32_t *center1);

#endif
