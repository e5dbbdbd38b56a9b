/* The PLAN: one in-memory model of a LibreMesh node's configuration.
 *
 * lime-config's modules (hardware detection, wireless, network + protocols, firewall,
 * system, generic_config; spec lime-spec.md §1.2) read the layered lime-* config and the
 * hardware facts under --root and fill this model. Backends consume it and never look
 * at lime-* config themselves:
 *   - backend "uci" (src/config/backend_uci.c) writes /etc/config/{network,wireless,dhcp,
 *     babeld,system,firewall,uhttpd,lime-autogen} + the nft/dnsmasq files, as upstream does;
 *   - backend "linux" (src/apply/, lime-apply) applies it by netlink + nftables and writes
 *     babeld.conf / dnsmasq.conf.
 *
 * Shape: plain C structs with fixed-capacity arrays (counts beside them) and fixed char
 * buffers, so a backend can walk it without knowing any allocation scheme. Only the two
 * generated text files (nft rules, lime-autogen) are heap strings. Names are kept in both
 * worlds where they differ: the UCI section name ("lm_net_eth0_babeld_if") and the Linux
 * device name ("eth0_17"). A string field that is "" means "not set"; a number that is 0
 * means "not set" unless its comment says otherwise.
 *
 * Ordering is deterministic (upstream iterates Lua tables, i.e. unordered): physical devices
 * sorted by name (strcmp), radios by their number, everything else in creation order, which
 * follows the device order and then the protocol list order.
 */
#ifndef LIME_CONFIG_PLAN_H
#define LIME_CONFIG_PLAN_H

#include <netinet/in.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "nl80211.h"

#define PLAN_IFNAME_MAX 32  /* Linux names are <= 15 chars; room for "@lm_net_..." refs too */
#define PLAN_SECTION_MAX 64 /* UCI section names */
#define PLAN_VALUE_MAX 128  /* free-form option values (ssid, keys, ...) */

#define PLAN_MAX_PHYS 32
#define PLAN_MAX_DEVICES 96
#define PLAN_MAX_IFACES 128
#define PLAN_MAX_PORTS 32
#define PLAN_MAX_RULES 8
#define PLAN_MAX_ROUTES 8
#define PLAN_MAX_BABEL_IFACES 64
#define PLAN_MAX_BABEL_FILTERS 16
#define PLAN_MAX_HARDIFS 64
#define PLAN_MAX_SERVERS 8
#define PLAN_MAX_HOSTRECORDS 4
#define PLAN_MAX_NAMES 8
#define PLAN_MAX_RADIOS 8
#define PLAN_MAX_WIFI_IFACES 48
#define PLAN_MAX_WIFI_OPTS 24
#define PLAN_MAX_ZONE_NETWORKS 128
#define PLAN_MAX_UCI_SET 32
#define PLAN_MAX_PROTOCOLS 16
#define PLAN_MAX_RADIO_ERRORS 8

/* ---------------------------------------------------------------- addresses */

/* An IPv4 or IPv6 address with a prefix length. family 0 = absent. */
struct plan_addr {
    int family; /* AF_INET, AF_INET6 or 0 */
    uint8_t prefix;
    union {
        struct in_addr v4;
        struct in6_addr v6;
    } u;
};

/* "10.13.132.209" / "fd0d:fe46:8ce8::1c:84d1" (no prefix). buf >= INET6_ADDRSTRLEN. "" if absent. */
const char *plan_addr_host(const struct plan_addr *a, char *buf, size_t len);
/* "10.13.132.209/16". buf >= INET6_ADDRSTRLEN + 4. */
const char *plan_addr_cidr(const struct plan_addr *a, char *buf, size_t len);
/* Dotted netmask of an IPv4 prefix ("255.255.0.0"). */
const char *plan_addr_netmask(const struct plan_addr *a, char *buf, size_t len);
/* "aa:aa:aa:0d:fe:aa" (lowercase). buf >= 18. */
const char *plan_mac_str(const uint8_t mac[6], char *buf, size_t len);

/* ---------------------------------------------------------------- hardware facts */

enum plan_phys_kind {
    PLAN_PHYS_ETH,   /* ethernet port, switch port, DSA user port, anything wired */
    PLAN_PHYS_WLAN,  /* a wifi iface lime-config creates (wlan0-mesh, wlan0-ap, ...) */
};

/* A base device found by scandevices() (§2.10 step 2), with the protocols that ran on it. */
struct plan_phys {
    char name[PLAN_IFNAME_MAX];        /* Linux name: eth0, lan1, wlan0-mesh */
    enum plan_phys_kind kind;
    bool dsa;                          /* uevent DEVTYPE=dsa */
    bool specific;                     /* has a `config net` section (linux_name == name) */
    char net_section[PLAN_SECTION_MAX];/* that section's name, "" if none */
    bool has_mac;
    uint8_t mac[6];                    /* /sys/class/net/<name>/address, when readable */
    /* Protocol entries that were configured on it, as written ("batadv:%N1"). */
    char protocols[PLAN_MAX_PROTOCOLS][PLAN_SECTION_MAX];
    int n_protocols;
};

/* ---------------------------------------------------------------- link layer */

enum plan_device_type {
    PLAN_DEV_VLAN,    /* 802.1ad or 802.1Q on top of `link` */
    PLAN_DEV_MACVLAN, /* the anygw macvlan on br-lan */
    PLAN_DEV_BRIDGE,  /* br-lan (exists in OpenWrt's config; lime-config sets its ports) */
    PLAN_DEV_BATADV,  /* reserved: bat0 is not listed in devices[]; see plan.batman */
};

enum plan_vlan_proto {
    PLAN_VLAN_8021AD, /* UCI "8021ad", ip link "proto 802.1ad" (default for mesh protos) */
    PLAN_VLAN_8021Q,  /* UCI "8021q" (default for wan:N) */
};

/* Which lime module created an object (debugging, and backends' special cases). */
enum plan_owner {
    PLAN_OWNER_NONE,
    PLAN_OWNER_LAN,
    PLAN_OWNER_ANYGW,
    PLAN_OWNER_BATADV,
    PLAN_OWNER_BABELD,
    PLAN_OWNER_WAN,
    PLAN_OWNER_STATIC,
    PLAN_OWNER_WIFI, /* ieee80211s/adhoc/apbb/client network of a wifi iface */
};

/* A Linux net device lime-config creates or configures (an OpenWrt `config device`). */
struct plan_device {
    unsigned seq;                   /* creation order among devices/ifaces/rules/routes */
    char section[PLAN_SECTION_MAX]; /* lm_net_eth0_batadv_dev, lm_net_br_lan_anygw_dev, ... */
    enum plan_device_type type;
    enum plan_owner owner;
    char name[PLAN_IFNAME_MAX];     /* Linux name: eth0_29, wlan0-mesh_17, anygw, br-lan, bat0 */
    char link[PLAN_IFNAME_MAX];     /* Linux lower device: eth0, wlan0-mesh, br-lan */
    char uci_link[PLAN_SECTION_MAX];/* what UCI's `ifname` holds: eth0 or @lm_net_wlan0_mesh */
    uint16_t vid;                   /* VLAN only; never 0 here (vid 0 creates no device) */
    enum plan_vlan_proto vlan_proto;
    unsigned mtu;                   /* 0: not set, inherit */
    bool has_mac;
    uint8_t mac[6];
    /* BRIDGE only: ports in order (bat0 first when batadv runs, then devices by name). */
    char ports[PLAN_MAX_PORTS][PLAN_IFNAME_MAX];
    int n_ports;
};

/* ---------------------------------------------------------------- layer 3 */

enum plan_if_proto {
    PLAN_PROTO_NONE,          /* link up, no address from netifd */
    PLAN_PROTO_STATIC,
    PLAN_PROTO_DHCP,
    PLAN_PROTO_BATADV,        /* bat0 itself */
    PLAN_PROTO_BATADV_HARDIF, /* a device enslaved to `master` (bat0) */
};

/* An OpenWrt `config interface`: L3 settings of one Linux device. */
struct plan_iface {
    unsigned seq;                   /* creation order (see plan_device.seq) */
    char section[PLAN_SECTION_MAX]; /* lan, wan, lm_net_eth0_babeld_if, lm_net_wlan0_mesh */
    enum plan_owner owner;
    enum plan_if_proto proto;
    char device[PLAN_IFNAME_MAX];   /* Linux device it configures (always filled) */
    bool uci_device;                /* write `device` in UCI (false: wireless sets it, or
                                       the section already has it, like OpenWrt's lan) */
    char master[PLAN_IFNAME_MAX];   /* BATADV_HARDIF: "bat0" */
    struct plan_addr ip4;           /* with its prefix (babeld links carry the node v4 /32) */
    struct plan_addr ip6;
    struct plan_addr gw4, gw6;      /* static proto gateways; family 0 = none */
    unsigned mtu;                   /* 0: not set */
    bool auto_up;                   /* UCI auto "1" */
    bool has_metric;
    uint32_t metric;                /* anygw: 2147483647 */
};

/* A policy routing rule `from src lookup table` (UCI rule / rule6). */
struct plan_rule {
    unsigned seq;
    char section[PLAN_SECTION_MAX]; /* lm_net_anygw_rule4 / lm_net_anygw_rule6 */
    struct plan_addr src;           /* /32 or /128 */
    uint32_t table;                 /* 170 */
};

/* A route in a table (UCI route / route6). */
struct plan_route {
    unsigned seq;
    char section[PLAN_SECTION_MAX]; /* lm_net_anygw_route4 / lm_net_anygw_route6 */
    char iface[PLAN_SECTION_MAX];   /* UCI interface: lm_net_br_lan_anygw_if */
    char device[PLAN_IFNAME_MAX];   /* Linux device: anygw */
    struct plan_addr target;        /* network address + prefix */
    uint32_t table;
};

/* ---------------------------------------------------------------- daemons */

/* bat0 (lime-proto-batadv §2.5). */
struct plan_batman {
    bool enabled;
    char mesh_iface[PLAN_IFNAME_MAX];  /* "bat0" */
    char routing_algo[32];             /* BATMAN_IV */
    unsigned orig_interval;            /* ms, 2000 */
    int bridge_loop_avoidance;         /* 1 */
    int multicast_mode;                /* 0 */
    int distributed_arp_table;         /* -1 not set (kernel default), else 0/1; 0 with anygw */
    char gw_mode[16];                  /* "" not set, "client" with anygw */
    /* Hard interfaces (Linux VLAN devices) enslaved to bat0, in order. */
    char hardifs[PLAN_MAX_HARDIFS][PLAN_IFNAME_MAX];
    int n_hardifs;
};

struct plan_babel_iface {
    char section[PLAN_SECTION_MAX];    /* lm_net_wlan0_mesh_babeld_if (the UCI iface name) */
    char ifname[PLAN_IFNAME_MAX];      /* wlan0-mesh_17 */
    char type[16];                     /* "wireless" (or "tunnel" for librenet6) */
};

enum plan_babel_action { PLAN_BABEL_ALLOW, PLAN_BABEL_DENY };

/* One babeld `redistribute` filter; order matters (first match wins). */
struct plan_babel_filter {
    char section[PLAN_SECTION_MAX];    /* ula6, public6, default6, mesh4, mptp4, default4, ... */
    char ip[48];                       /* "fc00::/7"; "" = any prefix */
    int le;                            /* -1 not set; "le 0" = exact default route */
    bool local;                        /* `local true` selector */
    int proto;                         /* 0 not set; 7 with babeld-auto-gw-mode */
    enum plan_babel_action action;
};

/* babeld (lime-proto-babeld §2.6). */
struct plan_babeld {
    bool enabled;
    unsigned local_port;               /* 30003 */
    bool ubus_bindings;                /* true (OpenWrt only) */
    struct plan_babel_iface ifaces[PLAN_MAX_BABEL_IFACES];
    int n_ifaces;
    struct plan_babel_filter filters[PLAN_MAX_BABEL_FILTERS];
    int n_filters;
};

struct plan_hostrecord {
    char section[PLAN_SECTION_MAX];    /* node_name_dns, anygw_dns */
    char names[PLAN_MAX_NAMES][PLAN_VALUE_MAX];
    int n_names;
    struct plan_addr ip4, ip6;
};

/* dnsmasq: DNS for every node, DHCP/RA on the anycast gateway (§2.4, §2.10 setup_dns). */
struct plan_dnsmasq {
    char domain[PLAN_VALUE_MAX];       /* thisnode.info (also `local /thisnode.info/`) */
    char servers[PLAN_MAX_SERVERS][64];/* upstream resolvers */
    int n_servers;
    char confdir[64];                  /* /etc/dnsmasq.d */
    bool expandhosts, domainneeded;    /* 1, 1 */
    bool localservice;                 /* 0: answer other clouds too */
    bool anygw;                        /* the fields below are valid */
    bool add_local_fqdn, add_local_hostname; /* 0, 0 with anygw */
    char dhcphostsfile[64];            /* /tmp/dhcp.hosts_remote (shared leases) */
    /* DHCPv4 on the anygw interface */
    char dhcp_section[PLAN_SECTION_MAX];  /* lm_net_br_lan_anygw_if_dhcp */
    char dhcp_iface[PLAN_SECTION_MAX];    /* UCI interface lm_net_br_lan_anygw_if */
    char dhcp_device[PLAN_IFNAME_MAX];    /* Linux device: anygw */
    unsigned dhcp_start;                  /* 2: offset from the network address */
    unsigned dhcp_limit;                  /* 65533 for /16 */
    struct plan_addr pool_first, pool_last; /* 10.13.0.2 .. 10.13.255.254 */
    char leasetime[16];                   /* 1h */
    bool dhcp_force;                      /* 1 */
    unsigned client_mtu;                  /* 1350: DHCP option 26 and RA MTU */
    bool lan_ignore;                      /* dhcp.lan.ignore=1 */
    /* IPv6 RA + DHCPv6 (the /etc/dnsmasq.d/lime-proto-anygw-20-ipv6.conf snippet) */
    unsigned ra_interval;                 /* 120 s */
    struct plan_addr range6;              /* fd0d:fe46:8ce8::/64 (network) */
    char range6_lease[16];                /* 24h */
    char ipv6_conf_path[64];              /* /etc/dnsmasq.d/lime-proto-anygw-20-ipv6.conf */
    struct plan_hostrecord hostrecords[PLAN_MAX_HOSTRECORDS];
    int n_hostrecords;
};

/* The anycast gateway (§2.4). The macvlan device/iface are also in devices[]/ifaces[]. */
struct plan_anygw {
    bool enabled;
    char ifname[PLAN_IFNAME_MAX];      /* anygw */
    char bridge[PLAN_IFNAME_MAX];      /* br-lan */
    uint8_t mac[6];                    /* aa:aa:aa:N1:N2:aa */
    struct plan_addr ip4, ip6;         /* 10.13.0.1/16, fd0d:fe46:8ce8::1/64 */
    uint32_t table;                    /* 170 */
    uint32_t metric;                   /* 2147483647 */
    char nft_path[128];                /* /usr/share/nftables.d/ruleset-post/lime-proto-anygw_anycast-rules.nft */
    char *nft_rules;                   /* complete `nft -f` text (idempotent), heap */
};

/* ---------------------------------------------------------------- wireless */

/* A radio (OpenWrt wifi-device) and the settings lime-config gives it (§2.13). */
struct plan_radio {
    char name[PLAN_IFNAME_MAX];        /* radio0 */
    int index;                         /* number in the name */
    int per_band_index;                /* 0,1,... among radios of the same band */
    bool is_5ghz;
    bool manual;                       /* first mode is manual: left alone, fields unset */
    char channel[16];                  /* "11", "48", "auto" */
    char htmode[16];                   /* HT20/HT40 */
    char distance[16];                 /* "1000", or "auto" with dynack */
    char country[8], txpower[16], legacy_rates[8]; /* "" = not set */
    char phy[PLAN_IFNAME_MAX];         /* its SYSFS/class/ieee80211 phy ("" if not found) */
    bool has_phy_mac;
    uint8_t phy_mac[6];                /* the phy's macaddress */
    /* Live radios (plan_options.live_phys): the phy as nl80211 reports it. */
    bool live;
    uint32_t wiphy;                    /* nl80211 wiphy index */
    uint32_t iftypes;                  /* supported interface types, bit 1 << LIME_WIFI_* */
    uint32_t freq;                     /* MHz of channel ("auto" or unknown: 0) */
};

struct plan_kv {
    char key[48];
    char value[PLAN_VALUE_MAX];
};

/* A wifi-iface section. Extra options (ssid, mesh_id, key, encryption, mcast_rate, ...)
 * are in opts, in a stable order (the order of the merged config's keys). */
struct plan_wifi_iface {
    char section[PLAN_SECTION_MAX];    /* lm_wlan0_mesh_radio0 */
    char radio[PLAN_IFNAME_MAX];       /* radio0 */
    char lime_mode[16];                /* ap, apname, ieee80211s, adhoc, client, apbb, apup */
    char mode[16];                     /* OpenWrt mode: ap, mesh, adhoc, sta */
    char ifname[PLAN_IFNAME_MAX];      /* wlan0-mesh */
    char network[PLAN_SECTION_MAX];    /* lan or lm_net_wlan0_mesh */
    struct plan_kv opts[PLAN_MAX_WIFI_OPTS];
    int n_opts;
};

/* ---------------------------------------------------------------- system, firewall */

struct plan_firewall {
    bool defaults_accept;              /* every `defaults` section: input/output/forward ACCEPT */
    /* The `lan` zone: ACCEPT x3, mtu_fix 1, networks in order: lan, then every lm_*_if. */
    char lan_zone_networks[PLAN_MAX_ZONE_NETWORKS][PLAN_SECTION_MAX];
    int n_lan_zone_networks;
    bool wan_link_local_rule;          /* rule lime_allow_wan_all_link_local (wan proto ran) */
};

/* Root password (lime.system, spec §2.11). Applied by the uci backend to ROOT/etc/shadow. */
enum plan_root_policy {
    PLAN_ROOT_DO_NOTHING,
    PLAN_ROOT_SET_SECRET, /* make root's hash equal root_secret (backup in shadow-) */
    PLAN_ROOT_RANDOM,     /* if root has no password (hash <= 1 char), set a random one */
};

struct plan_wan {
    bool enabled;                      /* the wan proto ran on some device */
    char device[PLAN_IFNAME_MAX];      /* eth1, or the VLAN device eth1_20 with wan:20 */
    char proto[16];                    /* dhcp */
};

/* LiMe-C runtime settings (not upstream options; lime `network` section, defaults in
 * brackets). Read by the linux backend / limed; the uci backend ignores them. */
struct plan_runtime {
    char preferred_gateway[PLAN_VALUE_MAX]; /* [""] hostname or IPv4 of a gateway node */
    char internet_check_url[256];      /* [http://detectportal.firefox.com/success.txt] */
    unsigned internet_check_interval;  /* [10] s */
    unsigned babeld_hello_interval;    /* [1] s */
    unsigned babeld_update_interval;   /* [4] s */
    char batadv_backend[8];            /* [auto] auto | kernel | batd: which batman-adv runs */
};

/* generic_config assets (spec §2.12): files under ROOT/etc/lime-assets/. */
#define PLAN_MAX_ASSETS 16
struct plan_asset {
    char asset[128]; /* "node/collectd.conf" or "community/..." (relative to lime-assets) */
    char dst[256];   /* copy_asset: absolute destination path; "" for run_asset */
    bool at_first_boot; /* run_asset: ATFIRSTBOOT (else ATCONFIG) */
};

/* ---------------------------------------------------------------- the plan */

struct plan {
    /* identity */
    char hostname[64];                 /* LiMe-1c84d1 */
    char primary_if[PLAN_IFNAME_MAX];  /* eth0 */
    uint8_t primary_mac[6];
    char ap_ssid[PLAN_VALUE_MAX];      /* seed of the %N hash */
    uint8_t network_id[16];            /* md5(ap_ssid + "\n"): N1 = network_id[0] */
    struct plan_addr node4, node6;     /* 10.13.132.209/16, fd0d:fe46:8ce8::1c:84d1/64 */

    struct plan_phys phys[PLAN_MAX_PHYS];
    int n_phys;

    struct plan_device devices[PLAN_MAX_DEVICES]; /* VLANs, macvlan, br-lan (ports) */
    int n_devices;
    struct plan_iface ifaces[PLAN_MAX_IFACES];    /* lan, wan, lm_net_* */
    int n_ifaces;
    struct plan_rule rules4[PLAN_MAX_RULES], rules6[PLAN_MAX_RULES];
    int n_rules4, n_rules6;
    struct plan_route routes4[PLAN_MAX_ROUTES], routes6[PLAN_MAX_ROUTES];
    int n_routes4, n_routes6;

    struct plan_batman batman;
    struct plan_babeld babeld;
    struct plan_anygw anygw;
    struct plan_dnsmasq dnsmasq;
    struct plan_wan wan;

    struct plan_radio radios[PLAN_MAX_RADIOS];
    int n_radios;
    struct plan_wifi_iface wifi_ifaces[PLAN_MAX_WIFI_IFACES];
    int n_wifi_ifaces;
    /* What a live radio cannot do, one sentence each naming the radio ("radio0 (phy3):
     * cannot do 802.11s mesh ..."). The modes concerned are left out of the plan; the
     * rest of the node is built. lime-apply reports them and exits 3. */
    char radio_errors[PLAN_MAX_RADIO_ERRORS][256];
    int n_radio_errors;

    struct plan_firewall firewall;

    struct plan_asset copy_assets[PLAN_MAX_ASSETS];
    int n_copy_assets;
    struct plan_asset run_assets[PLAN_MAX_ASSETS];
    int n_run_assets;

    /* generic_uci_config: "pkg.section[.option]=value" in order (uci backend applies them) */
    char uci_set[PLAN_MAX_UCI_SET][256];
    int n_uci_set;

    struct plan_runtime runtime;

    enum plan_root_policy root_policy;
    char root_secret[256];             /* crypt hash for SET_SECRET */

    bool rp_filter_loose;              /* sysctl rp_filter=2 (default and all) */
    bool use_odhcpd;                   /* network.use_odhcpd */

    /* The merged configuration as lime-autogen text (with its DO-NOT-EDIT header), heap. */
    char *autogen;
};

/* ---------------------------------------------------------------- building */

struct plan_options {
    const char *sysfs;  /* sysfs root; NULL = ROOT/sys (fixtures), "/sys" on a live node */
    /* Radios from the running system instead of ROOT/etc/config/wireless (lime-apply on a
     * live node reads them over nl80211): radio<i> is the i-th phy by wiphy index; its
     * band is 2.4 GHz when the phy has usable 2.4 GHz channels, else 5 GHz; what it can
     * do (interface types, combinations, channels) decides which modes it gets. */
    bool live_radios;
    const struct lime_nl_wifi_phy *live_phys;
    size_t n_live_phys;
};

/* A config error: where and what. msg is "file:line: what was expected" when a file is to
 * blame (file relative to the root as given), otherwise a plain sentence. */
struct plan_error {
    char msg[512];
};

/* Reads the lime-* config (ROOT/etc/config/lime-{defaults,community,<mac12>,node}; built-in
 * defaults when lime-defaults is missing) and the hardware facts (ROOT/etc/board.json,
 * ROOT/etc/config/wireless, sysfs) and builds the plan. root NULL or "" means "/"; opt may be
 * NULL. Writes nothing. Returns 0 and *out (free with plan_free), or -1 with *err filled and
 * *out NULL. Unknown protocols (olsr, bmx7, ...) are skipped with one log line each. */
int plan_build(const char *root, const struct plan_options *opt, struct plan **out,
               struct plan_error *err);

void plan_free(struct plan *plan);

/* Lookups for backends; NULL when absent. */
const struct plan_iface *plan_find_iface(const struct plan *plan, const char *section);
const struct plan_device *plan_find_device(const struct plan *plan, const char *name);

/* The plan as JSON (json-c): writes it pretty-printed to out; 0 or -1. */
int plan_print_json(const struct plan *plan, FILE *out);

#endif
