/* lime-apply's nftables, in tables of its own:
 *   bridge lime_anygw (spec §2.4)
 *     forward:     drop frames bridged between ports whose destination MAC is aa:aa:aa:*
 *     postrouting: on egress to bat0 drop frames from aa:aa:aa:* and ICMPv6 RS/RA,
 *     so each node's anycast gateway answers only its own clients;
 *   ip lime_nat (what OpenWrt's wan zone does on a gateway): masquerade out of the WAN.
 * Applied with `nft -f` (atomic), compared with `nft -s list table` for idempotency. */
#ifndef LR_NFT_H
#define LR_NFT_H

#include <stddef.h>

#define LR_NFT_TABLE "lime_anygw"
#define LR_NFT_NAT_TABLE "lime_nat"

struct plan;

/* The tables' text for the plan ("" when neither applies). 0, or -1 if buf is too small.
 * wan: the WAN device ("" = none). */
int lr_nft_render(const struct plan *p, const char *wan, char *buf, size_t len);
/* `nft -s list table` of both tables, concatenated (malloc'd; "" when absent), NULL if
 * nft cannot run. */
char *lr_nft_current(void);
/* Replaces both tables with text atomically (absent in text = deleted).
 * tmp_path: where to write the nft -f file. 0 or -1 (nft's message on stderr). */
int lr_nft_apply(const char *text, const char *tmp_path);

#endif
