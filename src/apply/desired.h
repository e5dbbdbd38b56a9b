/* The desired kernel state of a node: the links, addresses, policy rules, routes and
 * batman-adv settings the linux backend keeps in place, derived from the plan. The same struct, written to
 * ROOT/var/run/lime/applied after a successful apply, is the record of what lime-apply
 * owns, so the next apply removes what the new plan no longer wants (and nothing else). */
#ifndef LR_DESIRED_H
#define LR_DESIRED_H

#include <net/if.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "nl80211.h"

struct plan;

#define LR_MAX_LINKS 64
#define LR_MAX_ADDRS 64
#define LR_MAX_RULES 8
#define LR_MAX_ROUTES 8
#define LR_MAX_BATADV 24
#define LR_MAX_WIFI 16

struct lr_want_link {
    char name[IFNAMSIZ];
    char kind[16];         /* bridge, macvlan, vlan, tap, batadv; "" = an existing device we
                            * only configure */
    char parent[IFNAMSIZ]; /* macvlan/vlan lower device */
    uint16_t vlan_id, vlan_proto;
    uint32_t macvlan_mode;
    bool has_mac;
    uint8_t mac[6];
    unsigned mtu;               /* 0 = leave as is */
    char master[IFNAMSIZ];      /* "" = leave as is */
    bool up;                    /* bring it up */
    char algo[16];              /* batadv: routing algorithm, set at creation ("" = default) */
};

/* One batman-adv setting (kernel batman-adv, generic netlink): on the mesh interface
 * mesh, or on its hard interface hard. */
struct lr_want_batadv {
    char mesh[IFNAMSIZ];
    char hard[IFNAMSIZ];        /* "" = a mesh setting */
    int setting;                /* enum lime_batadv_setting (core/nl.h) */
    uint32_t value;
};

struct lr_want_addr {
    char ifname[IFNAMSIZ];
    int family;
    uint8_t addr[16];
    uint8_t prefixlen;
    uint32_t rt_priority;
};

struct lr_want_rule {
    int family;
    uint32_t priority;
    uint32_t table;
    uint8_t src[16];
    uint8_t src_len;
};

struct lr_want_route {
    int family;
    uint32_t table;
    uint8_t dst[16];
    uint8_t dst_len;
    char oif[IFNAMSIZ];
    uint32_t metric;
};

/* A Wi-Fi interface lime-apply creates on a phy (nl80211), and how it joins its network:
 * lime-apply itself joins an open 802.11s mesh or an IBSS; an AP is hostapd's to start,
 * an SAE mesh and a client wpa_supplicant's (daemon: they may also flip the interface
 * type back to managed when they stop). Its link entry (MTU, up) is in links[] as an
 * existing device. */
struct lr_want_wifi {
    char name[IFNAMSIZ];
    char phy[32];              /* phy name, as the record keeps it */
    uint32_t wiphy;            /* its index now (not recorded: looked up by name) */
    uint32_t iftype;           /* LIME_WIFI_* */
    bool has_mac;
    uint8_t mac[6];
    bool daemon;               /* hostapd / wpa_supplicant drives it */
    char join;                 /* 'm' mesh, 'i' IBSS (lime-apply joins), 0 none */
    struct lime_nl_wifi_join j;/* with join */
};

struct lr_desired {
    struct lr_want_link links[LR_MAX_LINKS]; /* in creation order (parents first) */
    unsigned n_links;
    struct lr_want_addr addrs[LR_MAX_ADDRS];
    unsigned n_addrs;
    struct lr_want_rule rules[LR_MAX_RULES];
    unsigned n_rules;
    struct lr_want_route routes[LR_MAX_ROUTES];
    unsigned n_routes;
    struct lr_want_batadv batadv[LR_MAX_BATADV];
    unsigned n_batadv;
    struct lr_want_wifi wifi[LR_MAX_WIFI];     /* in plan order */
    unsigned n_wifi;
    char country[3];                           /* regulatory domain to set, "" = leave */
};

/* How the daemons run, decided together with the desired links. */
struct lr_daemon_links {
    /* batd hard interfaces (kernel VLAN devices, or raw links + bat_vid when !kernel_vlans) */
    char bat_ifs[16][IFNAMSIZ];
    unsigned n_bat_ifs;
    uint16_t bat_vid;      /* 0 = batd does no tagging */
    uint16_t bat_vproto;   /* 0x88a8 / 0x8100 */
    /* babeld interfaces (VLAN devices, or the raw links when !kernel_vlans) */
    char babel_ifs[32][IFNAMSIZ];
    char babel_types[32][16];
    unsigned n_babel_ifs;
};

/* Rule priority lime-apply uses for the anygw rules ("from <anygw> lookup 170"). */
#define LR_RULE_PRIORITY 170
/* Protocol number of the routes lime-apply installs. */
#define LR_ROUTE_PROTO 4 /* RTPROT_STATIC */

/* Fills *d and *dl from the plan. kernel_vlans=false maps every VLAN device onto its
 * raw link (batd tags; babel runs untagged). kernel_batman=true makes bat0 the kernel's
 * batman-adv (kind batadv, the plan's routing algorithm and settings, the hard interfaces
 * enslaved to it) instead of a TAP for batd; it needs kernel_vlans when a hard interface
 * is a VLAN. Returns 0, or -1 with a message in err. */
int lr_desired_from_plan(const struct plan *p, bool kernel_vlans, bool kernel_batman,
                         struct lr_desired *d, struct lr_daemon_links *dl, char *err,
                         unsigned errlen);

/* The batman-adv settings upstream's lime-proto-batadv gives bat0 (spec §2.5), as
 * lime-apply sets them on the kernel module: orig_interval, bridge_loop_avoidance,
 * multicast_mode 0 (= multicast_forceflood 1) and, with anygw, distributed_arp_table 0
 * and gw_mode client. Appends to d; -1 if d is full. */
int lr_desired_batadv_settings(const struct plan *p, const char *mesh, struct lr_desired *d);

/* Text form (one object per line) for the ownership record; load of a missing file
 * gives an empty state. 0 or -1 (err filled, "file:line: ..."). */
int lr_desired_save(const struct lr_desired *d, const char *path);
int lr_desired_load(struct lr_desired *d, const char *path, char *err, unsigned errlen);

/* Equality keys used by the diff. */
bool lr_link_same(const struct lr_want_link *a, const struct lr_want_link *b); /* name */
bool lr_addr_same(const struct lr_want_addr *a, const struct lr_want_addr *b);
bool lr_rule_same(const struct lr_want_rule *a, const struct lr_want_rule *b);
bool lr_route_same(const struct lr_want_route *a, const struct lr_want_route *b);
bool lr_batadv_same(const struct lr_want_batadv *a, const struct lr_want_batadv *b); /* not value */

/* Address text of the record and the logs: "10.0.0.1" / "fd00::1" → family + bytes
 * (0 or -EINVAL); family/bytes → text in buf (INET6_ADDRSTRLEN is enough), returns buf. */
int lr_addr_parse(const char *text, int *family, uint8_t out[16]);
const char *lr_addr_str(int family, const uint8_t *addr, char *buf, size_t len);

#endif
