/* Addresses and the LibreMesh rules built on them: IPv4/IPv6 prefixes (parse, format,
 * network/broadcast/min/max host arithmetic), the node's primary addresses (§2.3),
 * the anycast gateway (§2.4), batman-adv VLAN id and VLAN-device MAC (§2.5), EUI-64
 * link-local addresses (§5.1 mac2ipv6linklocal) and interface naming (§2.8). */
#ifndef LIME_ADDR_H
#define LIME_ADDR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>

#include "hash.h"

/* An address with a prefix length. IPv4 uses a[0..3]. */
struct lime_addr {
    int family; /* AF_INET or AF_INET6 */
    uint8_t a[16];
    int prefix; /* 0..32 or 0..128 */
};

/* Longest text lime_addr_format() writes, with NUL ("ffff:...:ffff/128"). */
#define LIME_ADDR_STRLEN 64
#define LIME_MAC_STRLEN 18

/* "10.13.0.1/16", "fd0d::1/64", or without "/len" (= full length). 0 or -EINVAL. */
int lime_addr_parse(const char *s, struct lime_addr *out);
/* Text form, IPv6 compressed lowercase (inet_ntop). with_prefix: append "/len".
 * Returns buf (len must be >= LIME_ADDR_STRLEN). */
char *lime_addr_format(const struct lime_addr *addr, bool with_prefix, char *buf, size_t len);
int lime_addr_bits(const struct lime_addr *addr); /* 32 or 128 */

/* Address-only equality (prefix ignored, as upstream's luci.ip ==). */
bool lime_addr_equal(const struct lime_addr *a, const struct lime_addr *b);
/* Host bits cleared / set; the prefix is kept. */
void lime_addr_network(const struct lime_addr *in, struct lime_addr *out);
void lime_addr_broadcast(const struct lime_addr *in, struct lime_addr *out);
/* network+1 and broadcast-1 (for IPv4 /31 and /32 and IPv6 /127, /128 they are the
 * network/broadcast themselves); the prefix is kept. */
void lime_addr_minhost(const struct lime_addr *in, struct lime_addr *out);
void lime_addr_maxhost(const struct lime_addr *in, struct lime_addr *out);
/* Adds n to the address (wrapping modulo 2^bits); the prefix is kept. */
void lime_addr_add(struct lime_addr *addr, uint64_t n);
/* IPv4 netmask of the prefix, e.g. "255.255.0.0" (buf >= 16). Returns buf. */
char *lime_addr_netmask(const struct lime_addr *addr, char *buf, size_t len);

/* generate_host (§2.3 step 4): if tmpl equals its own network address, out = network +
 * (suffix mod 2^(bits-prefix)); otherwise out = tmpl. */
void lime_generate_host(const struct lime_addr *tmpl, uint64_t suffix, struct lime_addr *out);

/* Why the IPv4 result of lime_primary_address() was replaced by maxhost. */
enum lime_addr_fix {
    LIME_ADDR_OK = 0,
    LIME_ADDR_NETWORK,   /* the address was the network address */
    LIME_ADDR_ANYGW,     /* it was network+1 and anygw is enabled */
    LIME_ADDR_BROADCAST, /* it was the broadcast address */
};

/* network.primary_address (§2.3) for one family. tmpl is main_ipv4_address or
 * main_ipv6_address ("10.%N1.0.0/16", "fd%N1:%N2%N3:%N4%N5::/64", also the
 * "A/len1/len2" form). IPv4 uses decimal %M/%m/%N, IPv6 hex. The suffix is
 * M4*65536 + M5*256 + M6. For IPv4 the NETWORK/ANYGW/BROADCAST results are replaced by
 * maxhost (anygw_enabled: lime.proto.anygw installed and `anygw` in protocols); IPv6
 * is never checked. *fix (may be NULL) says what was replaced. 0 or -EINVAL. */
int lime_primary_address(const char *tmpl, int family, const uint8_t mac[6],
                         const struct lime_id *net, bool anygw_enabled, struct lime_addr *out,
                         enum lime_addr_fix *fix);

/* ---- MAC addresses ----------------------------------------------------------- */

/* "aa:bb:cc:dd:ee:ff" (either case). 0 or -EINVAL. */
int lime_mac_parse(const char *s, uint8_t mac[6]);
/* Lowercase "aa:bb:cc:dd:ee:ff"; returns buf (len >= LIME_MAC_STRLEN). */
char *lime_mac_format(const uint8_t mac[6], char *buf, size_t len);

/* ---- anycast gateway (§2.4) -------------------------------------------------- */

/* anygw_mac template (default "aa:aa:aa:%N1:%N2:aa", %N in hex). 0 or -EINVAL. */
int lime_anygw_mac(const char *tmpl, const struct lime_id *net, uint8_t mac[6]);
/* Gateway IPv4: first host of the node's IPv4 prefix, with that prefix. */
void lime_anygw_ipv4(const struct lime_addr *node4, struct lime_addr *out);
/* Gateway IPv6: first host of the node's IPv6 prefix, forced to /64. */
void lime_anygw_ipv6(const struct lime_addr *node6, struct lime_addr *out);

/* EUI-64 link-local of a MAC: flip 0x02 of byte 1, insert ff:fe (prefix 64 is not
 * printed by callers; out->prefix = 128). */
void lime_mac_to_ipv6ll(const uint8_t mac[6], struct lime_addr *out);
/* utils.mac2ipv6linklocal: every MAC (xx:xx:xx:xx:xx:xx, any case) inside text is
 * replaced by its link-local address, e.g. "a8:40:41:1c:84:d1" ->
 * "fe80::aa40:41ff:fe1c:84d1". malloc'd; NULL on ENOMEM. */
char *lime_mac2ipv6ll(const char *text);

/* ---- batman-adv (§2.5) ------------------------------------------------------- */

/* The VLAN id of a `batadv[:arg]` protocol entry: arg NULL means "%N1"; a number is
 * used as is; otherwise %N (decimal) is applied and vid = 29 + ((v - 13) mod 256),
 * floored, i.e. 29..284. Returns the vid, or -EINVAL if arg is not a number after
 * the substitution. */
int lime_batadv_vlan(const char *arg, const struct lime_id *net);
/* The VLAN device MAC: the primary MAC with byte1 = 0x02, byte2 = id[2], byte3 =
 * id[3] of md5(ifname + "\n"). */
void lime_batadv_vlan_mac(const uint8_t primary[6], const char *ifname, uint8_t out[6]);

/* ---- interface naming (§2.8) ------------------------------------------------- */

/* sanitizeIfaceName: "lm_net_" + x with every char outside [A-Za-z0-9_] -> '_'.
 * e.g. "eth0.1" -> "lm_net_eth0_1". malloc'd. */
char *lime_iface_sanitize(const char *x);
/* The Linux name of a VLAN device: base with every char outside [A-Za-z0-9-] -> '-',
 * then "_<vid>", e.g. ("eth0.1", 29) -> "eth0-1_29". malloc'd. */
char *lime_vlan_devname(const char *base, unsigned vid);

#endif
