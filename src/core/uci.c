/* stub: implementation follows */
#include "uci.h"
#include <errno.h>
#include <stddef.h>
const char *lime_uci_error_format(const struct lime_uci_error *err, char *buf, size_t len)
{
    return NULL;
}

struct lime_uci_package *lime_uci_new(const char *name)
{
    return NULL;
}

void lime_uci_free(struct lime_uci_package *pkg)
{
    
}

struct lime_uci_package *lime_uci_dup(const struct lime_uci_package *pkg)
{
    return NULL;
}

const char *lime_uci_package_name(const struct lime_uci_package *pkg)
{
    return NULL;
}

struct lime_uci_package *lime_uci_parse(const char *name, const char *text, size_t len, const char *label, struct lime_uci_error *err)
{
    return NULL;
}

struct lime_uci_package *lime_uci_load(const char *path, struct lime_uci_error *err)
{
    return NULL;
}

char *lime_uci_write(const struct lime_uci_package *pkg, size_t *len)
{
    return NULL;
}

int lime_uci_save(const struct lime_uci_package *pkg, const char *path, const char *header)
{
    return -ENOSYS;
}

bool lime_uci_equal(const struct lime_uci_package *a, const struct lime_uci_package *b)
{
    return false;
}

struct lime_uci_section *lime_uci_section_get(const struct lime_uci_package *pkg, const char *name)
{
    return NULL;
}

struct lime_uci_section *lime_uci_section_set(struct lime_uci_package *pkg, const char *name, const char *type)
{
    return NULL;
}

struct lime_uci_section *lime_uci_section_add(struct lime_uci_package *pkg, const char *type)
{
    return NULL;
}

int lime_uci_section_delete(struct lime_uci_package *pkg, const char *name)
{
    return -ENOSYS;
}

int lime_uci_section_rename(struct lime_uci_package *pkg, const char *name, const char *new_name)
{
    return -ENOSYS;
}

struct lime_uci_section *lime_uci_section_first(const struct lime_uci_package *pkg, const char *type)
{
    return NULL;
}

struct lime_uci_section *lime_uci_section_next(const struct lime_uci_section *sec, const char *type)
{
    return NULL;
}

const char *lime_uci_section_name(const struct lime_uci_section *sec)
{
    return NULL;
}

const char *lime_uci_section_type(const struct lime_uci_section *sec)
{
    return NULL;
}

bool lime_uci_section_anonymous(const struct lime_uci_section *sec)
{
    return false;
}

size_t lime_uci_section_count(const struct lime_uci_package *pkg)
{
    return 0;
}

struct lime_uci_option *lime_uci_option_get(const struct lime_uci_section *sec, const char *name)
{
    return NULL;
}

struct lime_uci_option *lime_uci_option_first(const struct lime_uci_section *sec)
{
    return NULL;
}

struct lime_uci_option *lime_uci_option_next(const struct lime_uci_option *opt)
{
    return NULL;
}

const char *lime_uci_option_name(const struct lime_uci_option *opt)
{
    return NULL;
}

bool lime_uci_option_is_list(const struct lime_uci_option *opt)
{
    return false;
}

const char *lime_uci_option_value(const struct lime_uci_option *opt)
{
    return NULL;
}

size_t lime_uci_option_count(const struct lime_uci_option *opt)
{
    return 0;
}

const char *lime_uci_option_item(const struct lime_uci_option *opt, size_t i)
{
    return NULL;
}

const char *const *lime_uci_option_items(const struct lime_uci_option *opt, size_t *count)
{
    return NULL;
}

int lime_uci_sec_set(struct lime_uci_section *sec, const char *option, const char *value)
{
    return -ENOSYS;
}

int lime_uci_sec_add_list(struct lime_uci_section *sec, const char *option, const char *value)
{
    return -ENOSYS;
}

int lime_uci_sec_set_list(struct lime_uci_section *sec, const char *option, const char *const *values, size_t n)
{
    return -ENOSYS;
}

int lime_uci_sec_delete(struct lime_uci_section *sec, const char *option)
{
    return -ENOSYS;
}

const char *lime_uci_get(const struct lime_uci_package *pkg, const char *section, const char *option)
{
    return NULL;
}

int lime_uci_set(struct lime_uci_package *pkg, const char *section, const char *option, const char *value)
{
    return -ENOSYS;
}

int lime_uci_add_list(struct lime_uci_package *pkg, const char *section, const char *option, const char *value)
{
    return -ENOSYS;
}

int lime_uci_set_list(struct lime_uci_package *pkg, const char *section, const char *option, const char *const *values, size_t n)
{
    return -ENOSYS;
}

int lime_uci_delete(struct lime_uci_package *pkg, const char *section, const char *option)
{
    return -ENOSYS;
}

bool lime_uci_valid_name(const char *s)
{
    return false;
}

bool lime_uci_valid_type(const char *s)
{
    return false;
}

