/* First-boot wizard state: scanning nearby networks = asking each babel neighbour's
 * limed for its lime-community (GET /cgi-bin/lime/lime-community over the link-local
 * address), then joining one (its lime-community becomes ours) or creating a new one.
 * The node is "locked" in the wizard while lime-node system.firstbootwizard_configured
 * and ..._dismissed are unset and lime-community has no wifi.ap_ssid of its own. */
#ifndef LD_FBW_H
#define LD_FBW_H

#include <json-c/json.h>
#include <stdbool.h>

struct ld_ctx;

bool ld_fbw_locked(struct ld_ctx *ctx);
/* Starts a scan (restarts if one runs). 0 or -errno. */
int ld_fbw_scan(struct ld_ctx *ctx);
void ld_fbw_stop(struct ld_ctx *ctx);
/* {lock, status: idle|scanning|scanned, networks[], scanned[]} */
json_object *ld_fbw_status(struct ld_ctx *ctx);
/* Content of a fetched lime-community by its file name, NULL if unknown. */
const char *ld_fbw_network(const char *file);

#endif
