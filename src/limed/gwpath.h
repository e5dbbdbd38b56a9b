/* The whole path from this node to its internet gateway, hop by hop. babeld only tells
 * each node its own next hop, so every limed answers GET /cgi-bin/lime/next-hop with
 * "<next-hop IPv4> <gateway IPv4>" (or "self" on the gateway), and every 10 s this node
 * follows the chain: its next hop, that node's next hop, ... up to the gateway (at most
 * 16 hops, loops stopped). The result is cached, as upstream caches its mtr path. */
#ifndef LD_GWPATH_H
#define LD_GWPATH_H

#include <stddef.h>

struct ld_ctx;

int ld_gwpath_start(struct ld_ctx *ctx);
void ld_gwpath_stop(struct ld_ctx *ctx);

/* This node's own answer: "next gw", "self", or "" when no default route. */
void ld_gwpath_local(struct ld_ctx *ctx, char *buf, size_t len);

/* The last complete path as IPv4 strings (hops[0] = next hop ... last = gateway);
 * returns the number of hops, 0 when none is known or it is stale. */
#define LD_GWPATH_MAX 16
int ld_gwpath_get(char hops[][64]);

#endif
