/* rtnetlink helper on libmnl: the few link/address/rule/route operations the linux
 * backend and the gateway watcher need, synchronous (request → ACK) on one socket in
 * the current network namespace. Every call returns 0 or -errno; no call logs, the
 * caller says what it was doing. Dumps allocate an array the caller frees with free(). */
#ifndef LR_NL_H
#define LR_NL_H

#include <net/if.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct lr_nl;

struct lr_nl *lr_nl_open(void);
void lr_nl_close(struct lr_nl *nl);

/* ---- links ---- */
struct lr_link {
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

/* What lr_nl_link_add creates. kind: "bridge", "macvlan", "vlan". */
struct lr_link_spec {
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

int lr_nl_links(struct lr_nl *nl, struct lr_link **out, size_t *n);
/* -ENODEV when no link has that name. */
int lr_nl_link_get(struct lr_nl *nl, const char *name, struct lr_link *out);
int lr_nl_link_add(struct lr_nl *nl, const struct lr_link_spec *spec);
int lr_nl_link_del(struct lr_nl *nl, int ifindex);
int lr_nl_link_set_up(struct lr_nl *nl, int ifindex, bool up);
int lr_nl_link_set_mtu(struct lr_nl *nl, int ifindex, unsigned mtu);
int lr_nl_link_set_mac(struct lr_nl *nl, int ifindex, const uint8_t mac[6]);
/* master 0 = release from its master. */
int lr_nl_link_set_master(struct lr_nl *nl, int ifindex, int master);
/* true if the running kernel knows link kind (probe without creating anything). */
bool lr_nl_kind_supported(struct lr_nl *nl, const char *kind);

/* ---- addresses ---- */
struct lr_addr {
    int family; /* AF_INET / AF_INET6 */
    int ifindex;
    uint8_t addr[16];
    uint8_t prefixlen;
    uint8_t scope;        /* RT_SCOPE_* (dump only) */
    uint32_t flags;       /* IFA_F_* (add: e.g. IFA_F_NODAD) */
    uint32_t rt_priority; /* metric of the prefix route, 0 = default */
};

/* family AF_UNSPEC dumps both. */
int lr_nl_addrs(struct lr_nl *nl, int family, struct lr_addr **out, size_t *n);
int lr_nl_addr_add(struct lr_nl *nl, const struct lr_addr *a);
int lr_nl_addr_del(struct lr_nl *nl, const struct lr_addr *a);

/* ---- policy rules: "from SRC/LEN lookup TABLE" at a priority ---- */
struct lr_rule {
    int family;
    uint32_t priority;
    uint32_t table;
    uint8_t src[16];
    uint8_t src_len;
    uint8_t action; /* FR_ACT_* (dump); add uses FR_ACT_TO_TBL */
};

int lr_nl_rules(struct lr_nl *nl, int family, struct lr_rule **out, size_t *n);
int lr_nl_rule_add(struct lr_nl *nl, const struct lr_rule *r);
int lr_nl_rule_del(struct lr_nl *nl, const struct lr_rule *r);

/* ---- routes (unicast) ---- */
struct lr_route {
    int family;
    uint32_t table;
    uint8_t protocol; /* RTPROT_*; 7 marks a default route babeld announces */
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
int lr_nl_routes(struct lr_nl *nl, int family, uint32_t table, struct lr_route **out, size_t *n);
int lr_nl_route_add(struct lr_nl *nl, const struct lr_route *r);
int lr_nl_route_del(struct lr_nl *nl, const struct lr_route *r);

/* Address text helpers: "10.0.0.1" / "fd00::1" → family + bytes; 0 or -EINVAL. */
int lr_addr_parse(const char *text, int *family, uint8_t out[16]);
/* Formats family/bytes into buf (INET6_ADDRSTRLEN is enough). */
const char *lr_addr_str(int family, const uint8_t *addr, char *buf, size_t len);
int lr_mac_parse(const char *text, uint8_t mac[6]);
const char *lr_mac_str(const uint8_t mac[6], char *buf, size_t len);

#endif
