/* Reads batd's state (userspace batman-adv) through its control socket: one line
 * "<command> json\n" (originators, neighbors, translocal, ...), the JSON reply until EOF.
 * Socket: --batd-socket, default ROOT/var/run/batd.sock (where lime-apply starts it).
 * Absent batd = NULL. */
#ifndef LD_BATD_H
#define LD_BATD_H

#include <json-c/json.h>

struct ld_ctx;

/* The reply of command (a JSON array or object, new reference) or NULL. Replies are
 * cached for a second; after a timeout batd is left alone for five. */
json_object *ld_batd_query(struct ld_ctx *ctx, const char *command);

#endif
