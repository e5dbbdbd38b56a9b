/* bat-hosts lookups shared with other objects: MAC → "hostname" (and iface). */
#ifndef LD_RPC_BAT_HOSTS_H
#define LD_RPC_BAT_HOSTS_H

#include <stddef.h>

struct ld_ctx;

/* Hostname of the node owning mac (ROOT/tmp/bat-hosts, then shared-state's bat-hosts)
 * into buf; NULL when unknown. */
const char *ld_bathost_name(struct ld_ctx *ctx, const char *mac, char *buf, size_t len);

#endif
