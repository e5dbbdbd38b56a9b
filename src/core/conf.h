/* Layered LibreMesh configuration (spec §1.1): lime-defaults < lime-community <
 * lime-<mac12> < lime-node, merged per option into lime-autogen, which is the only
 * file the modules read. */
#ifndef LIME_CONF_H
#define LIME_CONF_H

#include <stdbool.h>
#include <stddef.h>

#include "uci.h"

/* The 3 comment lines upstream lime-config puts in front of lime-autogen. */
extern const char LIME_AUTOGEN_HEADER[];

/* upstream's merge(high, low, out=low), in place: for every section of high, the
 * section in low gets high's type and every option of high (a list replaces the whole
 * option); options only in low stay; sections only in low stay; sections only in high
 * are appended (named, in high's order). An anonymous section of high is merged under
 * its generated cfgNNhhhh name and becomes a named section of low. 0 or -ENOMEM. */
int lime_conf_merge(struct lime_uci_package *low, const struct lime_uci_package *high);

/* Builds lime-autogen from <confdir>/lime-defaults, lime-community, lime-<mac12>,
 * lime-node, in that order, skipping files that do not exist (mac12 may be NULL:
 * then only the other three). Returns a package named "lime-autogen", or NULL with
 * *err filled (a file that exists but does not parse is an error). */
struct lime_uci_package *lime_conf_build(const char *confdir, const char *mac12,
                                         struct lime_uci_error *err);

/* Writes pkg to path atomically, with LIME_AUTOGEN_HEADER in front. 0 or -errno. */
int lime_conf_write_autogen(const struct lime_uci_package *pkg, const char *path);

/* config.get(section, option, fallback) for a string option: its value. A missing
 * section/option gives fallback. Upstream returns a table for a list option; here a
 * list gives its first item (use lime_conf_get_list() for lists). */
const char *lime_conf_get(const struct lime_uci_package *conf, const char *section,
                          const char *option, const char *fallback);

/* config.get_bool: "1", "on", "true", "enabled" are true, any other value false;
 * a missing option gives fallback. */
bool lime_conf_get_bool(const struct lime_uci_package *conf, const char *section,
                        const char *option, bool fallback);
/* The same truth rule for a value already in hand (NULL is false). */
bool lime_conf_is_true(const char *value);

/* The option's items (a string option is a list of one) in *items; returns the count.
 * A missing option returns n_fallback and points *items at fallback (may be NULL/0). */
size_t lime_conf_get_list(const struct lime_uci_package *conf, const char *section,
                          const char *option, const char *const **items,
                          const char *const *fallback, size_t n_fallback);

#endif
