/* Pending changes and applying them. Admin methods stage changes (one UCI option of
 * lime-node / lime-community / ..., or a whole file); the UI lists them; apply writes
 * them into ROOT/etc/config, runs `lime-config --root ROOT` (argv, no shell; with
 * --lime-apply, then `lime-apply --root ROOT --reload`) through the core's runner and
 * waits for it on the loop. If lime-config fails, every touched file is restored, the
 * changes stay pending, and the error (lime-config's own message) is kept to show. */
#ifndef LD_PENDING_H
#define LD_PENDING_H

#include <json-c/json.h>

struct ld_ctx;

enum ld_pending_state { LD_PENDING_NONE, LD_PENDING_RUNNING, LD_PENDING_OK, LD_PENDING_FAILED };

/* Stages file(config name, e.g. "lime-node").sec.opt = val (val NULL deletes);
 * replaces an earlier change of the same option. label says it in plain words.
 * 0 or -EINVAL (bad names), -EBUSY while an apply runs. */
int ld_pending_set(struct ld_ctx *ctx, const char *file, const char *sectype, const char *sec,
                   const char *opt, const char *val, const char *label);
/* Stages file.sec.opt = the list items[0..n) (UCI `list` lines; n == 0 deletes). The
 * staged value (ld_pending_value) is the items joined by '\n'. */
int ld_pending_set_list(struct ld_ctx *ctx, const char *file, const char *sectype,
                        const char *sec, const char *opt, const char *const *items, size_t n,
                        const char *label);
/* Stages a whole config file's new content. */
int ld_pending_file(struct ld_ctx *ctx, const char *file, const char *content,
                    const char *label);
/* Drops every pending change. */
void ld_pending_clear(struct ld_ctx *ctx);
/* Value staged for file.sec.opt, or NULL. */
const char *ld_pending_value(struct ld_ctx *ctx, const char *file, const char *sec,
                             const char *opt);

/* {changes:[{file, section, option, value, label}], apply:{state, message}} */
json_object *ld_pending_json(struct ld_ctx *ctx);

/* Starts applying. 0, -EBUSY (running), -ENODATA (nothing pending), or -errno with
 * msg set (the files are untouched then). */
int ld_pending_apply(struct ld_ctx *ctx, char *msg, size_t msglen);
enum ld_pending_state ld_pending_state(void);

/* Kills a running apply (limed stops) and drops every pending change. */
void ld_pending_stop(struct ld_ctx *ctx);

#endif
