/* The node's LibreMesh settings as the UI sees them: an option of the layered config
 * lime-node > lime-community > lime-defaults (per option, as lime-config merges), with
 * staged (pending) changes on top when asked. */
#ifndef LD_LIMECFG_H
#define LD_LIMECFG_H

#include <stdbool.h>
#include <stddef.h>

struct ld_ctx;

/* Merged value of sec.opt into buf ("" when unset). with_pending: staged lime-node /
 * lime-community changes win. Returns buf. */
char *ld_lime_get(struct ld_ctx *ctx, const char *sec, const char *opt, bool with_pending,
                  char *buf, size_t len);
/* "%H" in a template replaced by hostname (e.g. apname_ssid "LibreMesh.org/%H"). */
void ld_lime_expand(const char *tmpl, const char *hostname, char *buf, size_t len);
/* Is name a valid hostname for a node (a-z, 0-9, '-', 3..32 chars, not starting '-')? */
bool ld_hostname_valid(const char *name);

#endif
