/* UCI for limed over the core library; see ucifile.h. */
#include "ucifile.h"

#include "limed.h"
#include "uci.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *base_name(const char *path)
{
    const char *s = strrchr(path, '/');
    return s ? s + 1 : path;
}

static void set_err(char *err, size_t errlen, const struct lime_uci_error *e)
{
    if (err && errlen)
        lime_uci_error_format(e, err, errlen);
}

int ld_uci_load(const char *path, struct ld_uci *u, char *err, size_t errlen)
{
    struct lime_uci_error e;
    memset(&e, 0, sizeof(e));
    errno = 0;
    u->pkg = lime_uci_load(path, &e);
    if (u->pkg)
        return 0;
    int r = errno == ENOENT ? -ENOENT : -EINVAL;
    set_err(err, errlen, &e);
    u->pkg = lime_uci_new(base_name(path));
    if (!u->pkg)
        abort();
    return r;
}

int ld_uci_parse(const char *name, const char *text, struct ld_uci *u, char *err, size_t errlen)
{
    struct lime_uci_error e;
    memset(&e, 0, sizeof(e));
    u->pkg = lime_uci_parse(name, text, strlen(text), name, &e);
    if (u->pkg)
        return 0;
    set_err(err, errlen, &e);
    u->pkg = lime_uci_new(name);
    if (!u->pkg)
        abort();
    return -EINVAL;
}

void ld_uci_free(struct ld_uci *u)
{
    lime_uci_free(u->pkg);
    u->pkg = NULL;
}

struct lime_uci_section *ld_uci_section(const struct ld_uci *u, const char *sec)
{
    if (!u->pkg)
        return NULL;
    if (sec[0] != '@')
        return lime_uci_section_get(u->pkg, sec);
    char type[64];
    const char *br = strchr(sec, '[');
    size_t tl = br ? (size_t)(br - sec - 1) : strlen(sec + 1);
    if (tl >= sizeof(type))
        return NULL;
    memcpy(type, sec + 1, tl);
    type[tl] = 0;
    int idx = br ? atoi(br + 1) : 0;
    struct lime_uci_section *s;
    lime_uci_foreach_section(u->pkg, type, s)
        if (idx-- == 0)
            return s;
    return NULL;
}

const char *ld_uci_sec_get(const struct lime_uci_section *s, const char *opt)
{
    if (!s)
        return NULL;
    const struct lime_uci_option *o = lime_uci_option_get(s, opt);
    return o ? lime_uci_option_value(o) : NULL;
}

const char *ld_uci_get(const struct ld_uci *u, const char *sec, const char *opt)
{
    return ld_uci_sec_get(ld_uci_section(u, sec), opt);
}

int ld_uci_set(struct ld_uci *u, const char *sectype, const char *sec, const char *opt,
               const char *val)
{
    if (!u->pkg || !lime_uci_valid_name(opt) || !lime_uci_valid_type(sectype) ||
        (sec[0] != '@' && !lime_uci_valid_name(sec)) || (val && strchr(val, '\n')))
        return -EINVAL;
    struct lime_uci_section *s = ld_uci_section(u, sec);
    if (!s) {
        if (!val)
            return 0;
        s = sec[0] == '@' ? lime_uci_section_add(u->pkg, sectype)
                          : lime_uci_section_set(u->pkg, sec, sectype);
        if (!s)
            return -errno ? -errno : -ENOMEM;
    }
    if (!val || !val[0]) {
        int r = lime_uci_sec_delete(s, opt);
        return r == -ENOENT ? 0 : r;
    }
    return lime_uci_sec_set(s, opt, val);
}

int ld_uci_set_list(struct ld_uci *u, const char *sectype, const char *sec, const char *opt,
                    const char *const *items, size_t n)
{
    if (!u->pkg || !lime_uci_valid_name(opt) || !lime_uci_valid_type(sectype) ||
        sec[0] == '@' || !lime_uci_valid_name(sec))
        return -EINVAL;
    for (size_t i = 0; i < n; i++)
        if (strchr(items[i], '\n'))
            return -EINVAL;
    struct lime_uci_section *s = ld_uci_section(u, sec);
    if (!s && !n)
        return 0;
    if (!s && !(s = lime_uci_section_set(u->pkg, sec, sectype)))
        return -errno ? -errno : -ENOMEM;
    return lime_uci_sec_set_list(s, opt, items, n);
}

size_t ld_uci_get_list(const struct ld_uci *u, const char *sec, const char *opt,
                       const char **out, size_t max)
{
    const struct lime_uci_section *s = ld_uci_section(u, sec);
    const struct lime_uci_option *o = s ? lime_uci_option_get(s, opt) : NULL;
    size_t n = 0;
    const char *const *items = o ? lime_uci_option_items(o, &n) : NULL;
    for (size_t i = 0; i < n && i < max; i++)
        out[i] = items[i];
    return n < max ? n : max;
}

char *ld_uci_format(const struct ld_uci *u)
{
    char *s = u->pkg ? lime_uci_write(u->pkg, NULL) : strdup("");
    if (!s)
        abort();
    return s;
}

int ld_uci_save(const struct ld_uci *u, const char *path)
{
    return u->pkg ? lime_uci_save(u->pkg, path, NULL) : -EINVAL;
}

char *ld_uci_read_option(const char *path, const char *sec, const char *opt, char *out,
                         size_t outlen)
{
    struct ld_uci u;
    out[0] = 0;
    if (ld_uci_load(path, &u, NULL, 0) == 0) {
        const char *v = ld_uci_get(&u, sec, opt);
        if (v)
            ld_strlcpy(out, v, outlen);
    }
    ld_uci_free(&u);
    return out;
}
