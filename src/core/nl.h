/* The kernel seam: every read and change LiMe-C makes to the kernel's network state of
 * the current network namespace goes through these functions, and nothing else does
 * (as babeld's kernel.h). Two implementations link against it:
 *   nl.c       the kernel, over netlink on libmnl (rtnetlink: links, addresses, rules,
 *              routes; TAP devices through /dev/net/tun, which rtnetlink cannot create);
 *   nl_batadv.c  batman-adv's generic netlink (family "batadv": mesh and hard-interface
 *              settings, the originator/neighbour/hardif/translation/gateway tables),
 *              its replies parsed by nl_batadv_parse.c (pure, fuzzed).
 *              nl80211 joins here as its user appears.
 *   nl_mock.c  an in-memory kernel for unit tests (nl_mock.h): it records every call and
 *              can fail the Nth change, so code above the seam (lime-apply's diff and
 *              rollback) is tested without root. Tests link it instead of nl.c.
 * Every call is synchronous (request → ACK) and returns 0 or -errno; no call logs, the
 * caller says what it was doing. Dumps allocate an array the caller frees with free(). */
#ifndef LIME_NL_H
#define LIME_NL_H

#include <net/if.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct lime_nl;

/* NULL with errno set when the kernel cannot be reached. */
struct lime_nl *lime_nl_open(void);
void lime_nl_close(struct lime_nl *nl);

/* ---- links ---- */
struct lime_nl_link {
    int ifindex;
    char name[IFNAMSIZ];
    char kind[16];       /* IFLA_INFO_KIND: "bridge", "macvlan", "vlan", "tun", "" (plain) */
    int master;          /* ifindex of the master (bridge), 0 = none */
    int parent;          /* IFLA_LINK: lower device of macvlan/vlan, 0 = none */
    unsigned flags;      /* IFF_* */
    unsigned mtu;
    uint8_t mac[6];
    bool has_mac;
    uint32_t macvlan_mode; /* MACVLAN_MODE_* for kind macvlan */
    uint16_t vlan_id;      /* kind vlan */
    uint16_t vlan_proto;   /* kind vlan: 0x8100 or 0x88a8, host order */
};

/* What lime_nl_link_add creates. kind: "bridge", "macvlan", "vlan", "batadv". */
struct lime_nl_link_spec {
    char name[IFNAMSIZ];
    char kind[16];
    char parent[IFNAMSIZ]; /* macvlan/vlan lower device */
    uint8_t mac[6];
    bool has_mac;
    unsigned mtu;          /* 0 = kernel default */
    uint32_t macvlan_mode; /* 0 = kernel default (vepa) */
    uint16_t vlan_id;
    uint16_t vlan_proto;   /* host order; 0 = 802.1Q */
    char batadv_algo[16];  /* batadv: routing algorithm ("BATMAN_IV"); "" = the module's default */
};

int lime_nl_links(struct lime_nl *nl, struct lime_nl_link **out, size_t *n);
/* -ENODEV when no link has that name. */
int lime_nl_link_get(struct lime_nl *nl, const char *name, struct lime_nl_link *out);
/* The ifindex of the link called name, 0 when there is none. */
int lime_nl_ifindex(struct lime_nl *nl, const char *name);
int lime_nl_link_add(struct lime_nl *nl, const struct lime_nl_link_spec *spec);
int lime_nl_link_del(struct lime_nl *nl, int ifindex);
int lime_nl_link_set_up(struct lime_nl *nl, int ifindex, bool up);
int lime_nl_link_set_mtu(struct lime_nl *nl, int ifindex, unsigned mtu);
int lime_nl_link_set_mac(struct lime_nl *nl, int ifindex, const uint8_t mac[6]);
/* master 0 = release from its master. */
int lime_nl_link_set_master(struct lime_nl *nl, int ifindex, int master);
/* true if the running kernel knows link kind (probe without creating anything). */
bool lime_nl_kind_supported(struct lime_nl *nl, const char *kind);
/* A persistent TAP device called name (no carrier until a program attaches to it), and
 * its removal (clearing the persist flag). */
int lime_nl_tap_create(struct lime_nl *nl, const char *name);
int lime_nl_tap_delete(struct lime_nl *nl, const char *name);

/* ---- addresses ---- */
struct lime_nl_addr {
    int family; /* AF_INET / AF_INET6 */
    int ifindex;
    uint8_t addr[16];
    uint8_t prefixlen;
    uint8_t scope;        /* RT_SCOPE_* (dump only) */
    uint32_t flags;       /* IFA_F_* (add: e.g. IFA_F_NODAD) */
    uint32_t rt_priority; /* metric of the prefix route, 0 = default */
};

/* family AF_UNSPEC dumps both. */
int lime_nl_addrs(struct lime_nl *nl, int family, struct lime_nl_addr **out, size_t *n);
int lime_nl_addr_add(struct lime_nl *nl, const struct lime_nl_addr *a);
int lime_nl_addr_del(struct lime_nl *nl, const struct lime_nl_addr *a);

/* ---- policy rules: "from SRC/LEN lookup TABLE" at a priority ---- */
struct lime_nl_rule {
    int family;
    uint32_t priority;
    uint32_t table;
    uint8_t src[16];
    uint8_t src_len;
    uint8_t action; /* FR_ACT_* (dump); add uses FR_ACT_TO_TBL */
};

int lime_nl_rules(struct lime_nl *nl, int family, struct lime_nl_rule **out, size_t *n);
int lime_nl_rule_add(struct lime_nl *nl, const struct lime_nl_rule *r);
int lime_nl_rule_del(struct lime_nl *nl, const struct lime_nl_rule *r);

/* ---- routes (unicast, and unreachable/blackhole by type) ---- */
struct lime_nl_route {
    int family;
    uint32_t table;
    uint8_t protocol; /* RTPROT_*; 7 marks a default route babeld announces, 42 babeld's own */
    uint8_t scope;
    uint8_t type;     /* RTN_*; 0 on add = RTN_UNICAST */
    uint8_t dst[16];
    uint8_t dst_len;
    uint8_t gw[16];
    bool has_gw;
    int oif;
    uint32_t metric;
};

/* table 0 = every table. */
int lime_nl_routes(struct lime_nl *nl, int family, uint32_t table, struct lime_nl_route **out,
                   size_t *n);
int lime_nl_route_add(struct lime_nl *nl, const struct lime_nl_route *r);
int lime_nl_route_del(struct lime_nl *nl, const struct lime_nl_route *r);
/* Adds r, or replaces the route with r's table, destination and metric in one step
 * (NLM_F_REPLACE: whoever reads the table never sees it missing). */
int lime_nl_route_replace(struct lime_nl *nl, const struct lime_nl_route *r);

/* ---- events: what the kernel announces on rtnetlink's multicast groups (nl_events.c) ----
 * For a daemon that must react at once (the gateway watcher: the WAN lost its carrier,
 * its default route went, its next hop stopped answering ARP). One socket per reader;
 * its fd goes into the reader's loop, lime_nl_events_read() when it is readable. */
struct lime_nl_neigh {
    int family;
    int ifindex;
    uint8_t addr[16];
    uint16_t state;     /* NUD_* */
};

enum lime_nl_event_type {
    LIME_NL_EV_LINK,      /* new or changed link: ev.link (flags: IFF_UP, IFF_LOWER_UP...) */
    LIME_NL_EV_LINK_DEL,
    LIME_NL_EV_ROUTE,     /* new or replaced route: ev.route */
    LIME_NL_EV_ROUTE_DEL,
    LIME_NL_EV_NEIGH,     /* neighbour entry created or its state changed: ev.neigh */
    LIME_NL_EV_NEIGH_DEL,
    LIME_NL_EV_LOST,      /* the kernel dropped events (socket overrun): re-read by dumps */
};

struct lime_nl_event {
    enum lime_nl_event_type type;
    union {
        struct lime_nl_link link;
        struct lime_nl_route route;
        struct lime_nl_neigh neigh;
    } u;
};

#define LIME_NL_EVENTS_LINK (1u << 0)
#define LIME_NL_EVENTS_ROUTE4 (1u << 1)
#define LIME_NL_EVENTS_NEIGH (1u << 2)

struct lime_nl_events;
/* A non-blocking socket joined to the groups asked (LIME_NL_EVENTS_*). NULL, errno set. */
struct lime_nl_events *lime_nl_events_open(unsigned groups);
void lime_nl_events_close(struct lime_nl_events *ev);
int lime_nl_events_fd(const struct lime_nl_events *ev);
typedef void (*lime_nl_event_cb)(const struct lime_nl_event *e, void *arg);
/* Reads every message waiting and calls cb once per event, in the kernel's order.
 * 0, or -errno (other than EAGAIN). An overrun is reported as one LIME_NL_EV_LOST. */
int lime_nl_events_read(struct lime_nl_events *ev, lime_nl_event_cb cb, void *arg);
/* The events of one netlink message (a buffer as read from the socket), for tests and
 * fuzzing: the parser lime_nl_events_read runs. */
void lime_nl_events_parse(const void *buf, size_t len, lime_nl_event_cb cb, void *arg);

/* ---- batman-adv (generic netlink family "batadv"; a mesh interface is a link of kind
 * "batadv", made with lime_nl_link_add; a hard interface joins it with
 * lime_nl_link_set_master) ---- */

/* 0 when the running kernel has the batadv family (the module is loaded), -ENOENT when
 * not; other -errno when generic netlink cannot be asked. */
int lime_nl_batadv_available(struct lime_nl *nl);

/* The settings batman-adv takes over BATADV_CMD_SET_MESH (mesh) or SET_HARDIF (hard
 * interface), one attribute each. lime_nl_batadv_setting_info() names them as batctl and
 * OpenWrt's batadv proto do and gives the kernel's default. */
enum lime_batadv_setting {
    LIME_BATADV_AGGREGATION,           /* mesh: aggregated_ogms, u8, 1 */
    LIME_BATADV_AP_ISOLATION,          /* mesh: ap_isolation, u8, 0 */
    LIME_BATADV_BONDING,               /* mesh: bonding, u8, 0 */
    LIME_BATADV_BLA,                   /* mesh: bridge_loop_avoidance, u8, 1 */
    LIME_BATADV_DAT,                   /* mesh: distributed_arp_table, u8, 1 */
    LIME_BATADV_FRAGMENTATION,         /* mesh: fragmentation, u8, 1 */
    LIME_BATADV_GW_MODE,               /* mesh: gw_mode, u8 BATADV_GW_MODE_* (0 off, 1 client, 2 server) */
    LIME_BATADV_HOP_PENALTY,           /* mesh: hop_penalty, u8, 30 */
    LIME_BATADV_MCAST_FORCEFLOOD,      /* mesh: multicast_forceflood, u8, 0 (= multicast_mode 1) */
    LIME_BATADV_NETWORK_CODING,        /* mesh: network_coding, u8, 0 */
    LIME_BATADV_ORIG_INTERVAL,         /* mesh: orig_interval, u32 ms, 1000 */
    LIME_BATADV_MULTICAST_FANOUT,      /* mesh: multicast_fanout, u32, 16 */
    LIME_BATADV_HARD_HOP_PENALTY,      /* hard interface: hop_penalty, u8, 0 */
    LIME_BATADV_HARD_ELP_INTERVAL,     /* hard interface: elp_interval, u32 ms, 500 (BATMAN_V) */
    LIME_BATADV_HARD_THROUGHPUT_OVERRIDE, /* hard interface: throughput_override, u32 100 kbit/s, 0 */
    LIME_BATADV_N
};

struct lime_batadv_setting_info {
    const char *name;   /* "orig_interval"; hard-interface ones too ("hop_penalty") */
    uint16_t attr;      /* BATADV_ATTR_* */
    uint8_t bytes;      /* 1 (u8) or 4 (u32) */
    bool hardif;        /* a hard-interface setting (SET_HARDIF), else a mesh one */
    uint32_t kernel_default;
    uint32_t max;       /* largest value the kernel takes */
};
const struct lime_batadv_setting_info *lime_nl_batadv_setting_info(enum lime_batadv_setting s);
/* The setting of that name and scope, or -1. */
int lime_nl_batadv_setting_by_name(const char *name, bool hardif);

/* What BATADV_CMD_GET_MESH / GET_HARDIF report. v[s] = -1: not reported (a setting of the
 * other scope, or one this kernel lacks). */
struct lime_nl_batadv_info {
    char algo[16];        /* mesh: routing algorithm */
    char version[32];     /* mesh: module version */
    uint8_t addr[6];      /* mesh: its MAC; hard interface: the hard interface's MAC */
    bool active;          /* hard interface: BATADV_ATTR_ACTIVE */
    int64_t v[LIME_BATADV_N];
};

/* -ENODEV when mesh_ifindex is not a batman-adv mesh interface (or hard_ifindex not one
 * of its hard interfaces). */
int lime_nl_batadv_mesh_get(struct lime_nl *nl, int mesh_ifindex, struct lime_nl_batadv_info *out);
int lime_nl_batadv_hardif_get(struct lime_nl *nl, int mesh_ifindex, int hard_ifindex,
                              struct lime_nl_batadv_info *out);
/* One setting: a mesh setting on the mesh (hard_ifindex ignored), a hard-interface one on
 * hard_ifindex. -EINVAL for a value above the setting's max. */
int lime_nl_batadv_set(struct lime_nl *nl, int mesh_ifindex, int hard_ifindex,
                       enum lime_batadv_setting s, uint32_t value);

/* The tables batctl shows, one row per entry. */
enum lime_batadv_table {
    LIME_BATADV_ORIGINATORS,  /* batctl o:  addr = originator, neigh = next hop, tq|throughput, best */
    LIME_BATADV_NEIGHBOURS,   /* batctl n:  addr = neighbour, hard interface, last seen */
    LIME_BATADV_HARDIFS,      /* batctl if: hard interface, addr, active */
    LIME_BATADV_TT_LOCAL,     /* batctl tl: addr = client, vid, flags, crc32, last seen */
    LIME_BATADV_TT_GLOBAL,    /* batctl tg: addr = client, neigh = originator, vid, flags, ttvn, best */
    LIME_BATADV_GATEWAYS,     /* batctl gwl: addr = gateway originator, neigh = router, bandwidths */
    LIME_BATADV_TABLES
};

struct lime_nl_batadv_entry {
    uint8_t addr[6];
    uint8_t neigh[6];        /* originators: next hop; tt global: originator; gateways: router */
    bool has_neigh;
    int hard_ifindex;        /* 0 = not reported */
    char hard_ifname[IFNAMSIZ]; /* as reported, else resolved from hard_ifindex, else "" */
    uint32_t last_seen_ms;
    int tq;                  /* 0..255; -1 = not reported (BATMAN_V reports throughput) */
    uint32_t throughput;     /* 100 kbit/s (BATMAN_V) */
    bool best, active;
    int vid;                 /* tt: VLAN id, -1 = untagged (batctl's "-1") */
    uint32_t tt_flags, crc32;
    uint8_t ttvn, last_ttvn;
    uint32_t bw_down, bw_up; /* gateways: 100 kbit/s */
};

/* Dumps one table of the mesh interface. -ENODEV: not a batman-adv mesh interface. */
int lime_nl_batadv_dump(struct lime_nl *nl, int mesh_ifindex, enum lime_batadv_table t,
                        struct lime_nl_batadv_entry **out, size_t *n);

/* The pure parsers behind the calls above (nl_batadv_parse.c; fuzzed by
 * tests/fuzz/fuzz_nl_batadv.c): buf holds netlink messages as the kernel sends them
 * (nlmsghdr + genlmsghdr + attributes, possibly several). Malformed messages and
 * attributes are skipped, never trusted: a short/odd attribute is ignored.
 *   parse_info: the attributes of the last GET_MESH/GET_HARDIF reply into *out (cleared
 *     first: empty strings, settings -1, when buf holds no reply).
 *   parse_dump: every entry message appended to (*v, *n, *cap) (realloc'd; free() it).
 * Both return the number of messages used, or -errno (-ENOMEM; a NLMSG_ERROR's error). */
int lime_nl_batadv_parse_info(const void *buf, size_t len, struct lime_nl_batadv_info *out);
int lime_nl_batadv_parse_dump(const void *buf, size_t len, enum lime_batadv_table t,
                              struct lime_nl_batadv_entry **v, size_t *n, size_t *cap);

#endif
