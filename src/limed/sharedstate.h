/* limed's shared-state module: runs the shared-state service (src/state/,
 * service.h) on limed's loop with the node's paths under ROOT, with limed's babeld and
 * batman-adv clients, unless disabled (--no-shared-state). */
#ifndef LD_SHAREDSTATE_H
#define LD_SHAREDSTATE_H

struct ld_ctx;
struct ss_service;

int ld_state_init(struct ld_ctx *ctx);
void ld_state_stop(struct ld_ctx *ctx);
/* The running service, or NULL (disabled, or failed to start). */
struct ss_service *ld_state_current(void);

struct json_object;
/* The live table `type` as {key: data} (new reference; NULL without the service or the
 * type). With ages, also {key: seconds since its author last published it} (from the
 * TTL left: every copy starts at the type's full TTL). */
struct json_object *ld_state_table(const char *type, struct json_object **ages);
/* Reads the node's hostname and community SSID again (after an apply, or on SIGHUP from
 * lime-apply --reload). A new hostname renames the node in shared-state
 * (ss_service_rename): its entries under the old name go, it publishes under the new. A
 * new ap_ssid (the node moved to another cloud) goes out in node_info at once. */
void ld_state_check_node(struct ld_ctx *ctx);
/* Module start after the supervisor's: checks the node on every SIGHUP too. */
int ld_state_watch_node(struct ld_ctx *ctx);
/* The name this node publishes under (its node_info key); NULL without the service. */
const char *ld_state_self(void);

#endif
