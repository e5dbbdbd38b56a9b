/* Internal to lime-config: the context every module works on while the plan is built,
 * and the module entry points (called by build.c in upstream's order, spec §1.2/§1.4).
 * Not for other components: they use plan.h. */
#ifndef LIME_CONFIG_CTX_H
#define LIME_CONFIG_CTX_H

#include <limits.h>
#include <stdbool.h>
#include <stdint.h>

#include "addr.h"
#include "hash.h"
#include "plan.h"
#include "uci.h"

#define HW_MAX_ROLES 8
#define HW_MAX_PORTS 16
#define HW_MAX_NETDEVS 512 /* a host with many veths; only a few are used */

/* One network role of board.json ("lan", "wan", ...), in file order. */
struct plan_hw_role {
    char name[32];
    char device[PLAN_IFNAME_MAX];
    char ports[HW_MAX_PORTS][PLAN_IFNAME_MAX];
    int n_ports;
    char protocol[16];
};

/* A Linux net device under SYSFS/class/net. */
struct plan_hw_netdev {
    char name[PLAN_IFNAME_MAX];
    bool has_mac;
    uint8_t mac[6];
    bool dsa;         /* uevent has DEVTYPE=dsa (a DSA user port) */
    bool dsa_conduit; /* has dsa/tagging (the CPU-facing conduit) */
};

struct plan_hw_facts {
    bool have_board;
    struct plan_hw_role roles[HW_MAX_ROLES];
    int n_roles;
    char cpu_ports[HW_MAX_PORTS][PLAN_IFNAME_MAX]; /* swconfig switch ports[].device */
    int n_cpu_ports;
    struct plan_hw_netdev netdevs[HW_MAX_NETDEVS];      /* sorted by name */
    int n_netdevs;
};

/* Protocol modules LiMe-C has (§1.3); anything else is skipped with one log line. */
enum plan_proto_id {
    PROTO_UNKNOWN = -1,
    PROTO_LAN,
    PROTO_ANYGW,
    PROTO_BATADV,
    PROTO_BABELD,
    PROTO_WAN,
    PROTO_STATIC,
    PROTO_IEEE80211S, /* wifi protos: only make lm_net_wlanN-<mode> (MTU 1536) */
    PROTO_ADHOC,
    PROTO_APBB,
    PROTO_CLIENT,
    PROTO_COUNT,
};

/* A parsed `protocols` entry: "name:vlan:type:suffix" split on ':' (empty fields dropped). */
struct plan_proto_args {
    char raw[PLAN_SECTION_MAX];
    char name[32];
    char vlan[32];   /* "" if absent */
    char type[16];   /* "" if absent */
    char suffix[32]; /* "" if absent */
    int argc;
    /* device flags (§2.10 step 5) */
    bool specific;
    bool dsa;
    const struct lime_uci_section *section; /* the device's `config net` section */
};

struct plan_ctx {
    const struct plan_options *opt; /* never NULL (a zeroed one when the caller gave none) */
    char root[PATH_MAX];   /* "" for "/" (paths are root + "/etc/...") */
    char sysfs[PATH_MAX];
    struct lime_uci_package *conf;        /* the merged lime-autogen */
    struct lime_uci_package *wireless_in; /* ROOT/etc/config/wireless as found (radios) */
    struct plan_hw_facts hw;
    struct plan *plan;
    struct plan_error *err;
    struct lime_id net_id;          /* network id (md5 of ap_ssid) */
    struct lime_addr node4, node6;  /* with the configured prefixes */
    bool proto_configured[PROTO_COUNT];
    unsigned seq;
    char src_paths[4][PATH_MAX]; /* the lime-* files merged, lowest first ("" = built-in) */
    int n_src;
    char unknown_logged[16][32]; /* protocols already reported as unavailable */
    int n_unknown_logged;
};

/* Sets ctx->err to "fmt..." and returns -1 (for `return plan_ctx_fail(...)`). */
int plan_ctx_fail(struct plan_ctx *ctx, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Like plan_ctx_fail, for a bad value of lime option sec.opt: the message is prefixed with
 * "file:line: " of the lime-* file that set it (the highest one), when found. value: the
 * offending item of a list option (to find its line), or NULL. */
int plan_ctx_fail_opt(struct plan_ctx *ctx, const char *sec, const char *opt, const char *value,
                 const char *fmt, ...) __attribute__((format(printf, 5, 6)));
/* root + rel ("/etc/config/network") into buf; returns buf. */
const char *plan_ctx_path(const struct plan_ctx *ctx, const char *rel, char *buf, size_t len);
const char *plan_ctx_sys_path(const struct plan_ctx *ctx, const char *rel, char *buf, size_t len);

/* Bounded copy (always NUL-terminated); returns -1 if truncated. */
int plan_copy_str(char *dst, size_t len, const char *src);
#define COPY(dst, src) plan_copy_str((dst), sizeof(dst), (src))

/* Config lookups on the merged config. */
const char *plan_cfg_get(const struct plan_ctx *ctx, const char *sec, const char *opt, const char *fb);
size_t plan_cfg_list(const struct plan_ctx *ctx, const char *sec, const char *opt,
                const char *const **items);

/* ---- config loading (confload.c) ---- */
/* Built-in copy of upstream's lime-defaults (spec §3), used when ROOT has none. */
extern const char PLAN_BUILTIN_DEFAULTS[];
/* Validates and merges the lime-* files into ctx->conf (§1.1). mac12 may be NULL. */
int plan_conf_load(struct plan_ctx *ctx, const char *mac12);
/* Parses lime-* text and checks it as plan_conf_load does (section types, templates), without
 * merging: 0, or -1 with err "label:line: ...". For tests and the fuzz harness. */
int plan_conf_check_text(const char *label, const char *text, size_t len, struct plan_error *err);
/* Checks a template value: '%' must start %M1..6, %m1..6, %N1..6 (if allow_net) or %H
 * (if allow_host). Returns NULL if fine, else a static description. */
const char *plan_template_check(const char *value, bool allow_net, bool allow_host);

/* ---- hardware (hwd.c) ---- */
int plan_hw_scan(struct plan_ctx *ctx);
const struct plan_hw_netdev *plan_hw_netdev(const struct plan_ctx *ctx, const char *name);
const struct plan_hw_role *plan_hw_role(const struct plan_ctx *ctx, const char *name);
/* network.primary_interface() (§2.2) given the configured value. */
int plan_hw_primary_interface(struct plan_ctx *ctx, const char *configured, char *out, size_t len,
                         bool *fell_back);
/* lime-hwd-openwrt-wan clean + detect_hardware on ctx->conf. */
int plan_hwd_openwrt_wan(struct plan_ctx *ctx);

/* ---- modules ---- */
int plan_wireless_configure(struct plan_ctx *ctx);
int plan_network_configure(struct plan_ctx *ctx);
int plan_firewall_configure(struct plan_ctx *ctx);
int plan_system_configure(struct plan_ctx *ctx);
int plan_generic_config_configure(struct plan_ctx *ctx);

/* ---- wireless helpers (wireless.c), exposed for tests ---- */
/* Records a live radio's problem in plan->radio_errors and logs it (error level). */
void plan_radio_error(struct plan_ctx *ctx, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* is5Ghz from an iwinfo hwmodelist ({"a"}, {"ac","n"} ...). */
bool plan_wireless_hwmodes_5ghz(const char *const *modes, size_t n);

/* ---- network helpers (network.c) ---- */
enum plan_proto_id plan_proto_lookup(const char *name);
/* utils.split(entry, ":") into args (§1.3). */
void plan_proto_parse(const char *entry, struct plan_proto_args *args);
/* plan object constructors; NULL (and ctx->err) when a capacity is exceeded. */
struct plan_device *plan_add_device(struct plan_ctx *ctx);
struct plan_iface *plan_add_iface(struct plan_ctx *ctx);
struct plan_iface *plan_iface_get(struct plan_ctx *ctx, const char *section); /* find or NULL */
/* createVlanIface (§2.8): the device (vid != 0) and the interface. out_if gets the
 * interface; out_dev the device or NULL for vid 0. */
int plan_network_create_vlan(struct plan_ctx *ctx, const char *base, unsigned vid, const char *suffix,
                        enum plan_vlan_proto proto, enum plan_owner owner,
                        struct plan_iface **out_if, struct plan_device **out_dev);
/* Adds a port to br-lan (once). */
int plan_network_bridge_add_port(struct plan_ctx *ctx, const char *port);
/* ^wlan%d+.ap (ap, apname, apbb, apup): batadv and babeld skip these unless the device
 * has a specific net section. */
bool plan_network_is_wifi_ap(const char *dev);
struct plan_device *plan_network_bridge(struct plan_ctx *ctx);
int plan_parse_vlan_proto(const char *s, enum plan_vlan_proto def, enum plan_vlan_proto *out);

/* ---- protocol modules: configure once, then per device ---- */
int plan_proto_lan_configure(struct plan_ctx *ctx, const struct plan_proto_args *a);
int plan_proto_lan_setup(struct plan_ctx *ctx, const char *dev, const struct plan_proto_args *a);
int plan_proto_anygw_configure(struct plan_ctx *ctx, const struct plan_proto_args *a);
int plan_proto_batadv_configure(struct plan_ctx *ctx, const struct plan_proto_args *a);
int plan_proto_batadv_setup(struct plan_ctx *ctx, const char *dev, const struct plan_proto_args *a);
int plan_proto_babeld_configure(struct plan_ctx *ctx, const struct plan_proto_args *a);
int plan_proto_babeld_setup(struct plan_ctx *ctx, const char *dev, const struct plan_proto_args *a);
int plan_proto_wan_configure(struct plan_ctx *ctx, const struct plan_proto_args *a);
int plan_proto_wan_setup(struct plan_ctx *ctx, const char *dev, const struct plan_proto_args *a);
int plan_proto_static_setup(struct plan_ctx *ctx, const char *dev, const struct plan_proto_args *a);
int plan_proto_wifi_setup(struct plan_ctx *ctx, const char *dev, const struct plan_proto_args *a);

/* The lime section a protocol entry came from (for error messages). */
#define PROTO_SEC(a) ((a)->section ? lime_uci_section_name((a)->section) : "network")
/* A protocol entry's numeric VLAN (args[2]; def when absent) and VLAN type (args[3]; def
 * when absent). 0, or -1 with a "<file>:<line>: protocol '...': ..." error. */
int plan_proto_arg_vid(struct plan_ctx *ctx, const struct plan_proto_args *a, unsigned def, unsigned *vid);
int plan_proto_arg_vlan_type(struct plan_ctx *ctx, const struct plan_proto_args *a, enum plan_vlan_proto def,
                        enum plan_vlan_proto *vp);

/* The node's IPv4/IPv6 as plan addresses. */
void plan_addr_from_lime(const struct lime_addr *in, struct plan_addr *out);

#endif
