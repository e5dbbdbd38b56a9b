/* stub: implementation follows */
#include "conf.h"
#include <errno.h>
#include <stddef.h>
const char LIME_AUTOGEN_HEADER[] = "";
int lime_conf_merge(struct lime_uci_package *low, const struct lime_uci_package *high)
{
    return -ENOSYS;
}

struct lime_uci_package *lime_conf_build(const char *confdir, const char *mac12, struct lime_uci_error *err)
{
    return NULL;
}

int lime_conf_write_autogen(const struct lime_uci_package *pkg, const char *path)
{
    return -ENOSYS;
}

const char *lime_conf_get(const struct lime_uci_package *conf, const char *section, const char *option, const char *fallback)
{
    return NULL;
}

bool lime_conf_get_bool(const struct lime_uci_package *conf, const char *section, const char *option, bool fallback)
{
    return false;
}

bool lime_conf_is_true(const char *value)
{
    return false;
}

size_t lime_conf_get_list(const struct lime_uci_package *conf, const char *section, const char *option, const char *const **items, const char *const *fallback, size_t n_fallback)
{
    return 0;
}

