/* The kernel seam: every read and change LiMe-C makes to the kernel's network state of
 * the current network namespace goes through these functions, and nothing else does
 * (as babeld's kernel.h). Two implementations link against it:
 *   nl.c       the kernel, over netlink on libmnl (rtnetlink: links, addresses, rules,
 *              routes; TAP devices through /dev/net/tun, which rtnetlink cannot create).
 *              Other kernel interfaces (batman-adv's and nl80211's generic netlink) join
 *              here, beside rtnetlink, as their users appear.
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

/* What lime_nl_link_add creates. kind: "bridge", "macvlan", "vlan". */
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

#endif
