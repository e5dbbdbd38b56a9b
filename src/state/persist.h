/* Persistence: each type's table in <dir>/<type>.json (upstream's dump shape plus the
 * wall-clock time it was written, so the downtime is aged off on reload), and the type
 * registry in <dir>/types.json. Files are written to a temporary name, fsync'ed and
 * renamed, so a crash leaves either the old or the new file. */
#ifndef SS_PERSIST_H
#define SS_PERSIST_H

#include <stddef.h>
#include <stdint.h>

#include "store.h"

int ss_persist_save_type(const char *dir, struct ss_type *t, uint64_t now_ms);
int ss_persist_save_types(const char *dir, struct ss_store *st);
/* Registers saved types, then loads each type's entries (merged as local copies). Files
 * that do not parse are logged (file: what was expected) and skipped. Returns the number
 * of entries loaded. */
int ss_persist_load(const char *dir, struct ss_store *st, uint64_t now_ms);

/* Registers every `config dataType` section (options name, scope, ttl,
 * update_interval) of a UCI file such as /etc/config/shared-state, as upstream's init
 * script does with `register`. Returns the number registered, -1 if the file does not
 * load (logged as file:line: what was expected); bad sections are logged and skipped. */
int ss_load_uci_types(const char *path, struct ss_store *st);

#endif
