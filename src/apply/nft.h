/* The anygw nftables rules (spec §2.4) in a table of our own, `bridge lime_anygw`:
 *   forward:     drop frames bridged between ports whose destination MAC is aa:aa:aa:*
 *   postrouting: on egress to bat0 drop frames from aa:aa:aa:* and ICMPv6 RS/RA,
 * so each node's anycast gateway answers only its own clients. Applied with `nft -f`
 * (atomic), compared with `nft -s list table` for idempotency. */
#ifndef LR_NFT_H
#define LR_NFT_H

#include <stddef.h>

#define LR_NFT_TABLE "lime_anygw"

struct plan;

/* The table text for the plan ("" when anygw is off). 0, or -1 if buf is too small. */
int lr_nft_render(const struct plan *p, char *buf, size_t len);
/* `nft -s list table bridge lime_anygw` output (malloc'd; "" when the table is absent),
 * NULL if nft cannot run. */
char *lr_nft_current(void);
/* Replaces the table with text atomically, or deletes it when text is "".
 * tmp_path: where to write the nft -f file. 0 or -1 (nft's message on stderr). */
int lr_nft_apply(const char *text, const char *tmp_path);

#endif
