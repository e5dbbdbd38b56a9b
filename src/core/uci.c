/* UCI in-memory model and writer. The reader is uci_read.c.
 *
 * Why our own: libuci is not packaged in Debian (nor in most distributions), and
 * LiMe-C must build and be tested on plain Debian as well as on OpenWrt. What we need
 * is small: parse the /etc/config syntax exactly as libuci does, hold packages in
 * order, and write them back byte for byte as `uci commit` does. No delta/savedir
 * machinery, no plugins: a tool loads what it needs, changes it, and saves atomically.
 *
 * Semantics copied from libuci (list.c uci_set/uci_add_list/uci_add_section) so that a
 * sequence of sets ends with the same option order as on OpenWrt; see uci.h. */
#include "uci.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fsutil.h"
#include "strbuf.h"

struct lime_uci_option {
    struct lime_uci_option *prev, *next;
    struct lime_uci_section *sec;
    char *name;
    bool is_list;
    char **items; /* a string option has exactly one item */
    size_t n, cap;
};

struct lime_uci_section {
    struct lime_uci_section *prev, *next;
    struct lime_uci_package *pkg;
    char *name;
    char *type;
    bool anonymous;
    struct lime_uci_option *first, *last;
    size_t n_options;
};

struct lime_uci_package {
    char *name;
    struct lime_uci_section *first, *last;
    size_t n_sections;
    unsigned created; /* sections ever created: the NN of cfgNNhhhh */
};

const char *lime_uci_error_format(const struct lime_uci_error *err, char *buf, size_t len)
{
    if (err->line > 0)
        snprintf(buf, len, "%s:%d: %s", err->file, err->line, err->msg);
    else
        snprintf(buf, len, "%s: %s", err->file, err->msg);
    return buf;
}

bool lime_uci_valid_name(const char *s)
{
    if (!s || !*s)
        return false;
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '_'))
            return false;
    }
    return true;
}

bool lime_uci_valid_type(const char *s)
{
    if (!s || !*s)
        return false;
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (c < 33 || c > 126)
            return false;
    }
    return true;
}

/* ---- packages ---------------------------------------------------------------- */

struct lime_uci_package *lime_uci_new(const char *name)
{
    struct lime_uci_package *pkg = calloc(1, sizeof *pkg);
    if (!pkg)
        return NULL;
    pkg->name = strdup(name ? name : "");
    if (!pkg->name) {
        free(pkg);
        return NULL;
    }
    return pkg;
}

static void option_free(struct lime_uci_option *opt)
{
    for (size_t i = 0; i < opt->n; i++)
        free(opt->items[i]);
    free(opt->items);
    free(opt->name);
    free(opt);
}

static void option_unlink(struct lime_uci_option *opt)
{
    struct lime_uci_section *sec = opt->sec;
    if (opt->prev)
        opt->prev->next = opt->next;
    else
        sec->first = opt->next;
    if (opt->next)
        opt->next->prev = opt->prev;
    else
        sec->last = opt->prev;
    sec->n_options--;
}

static void section_free(struct lime_uci_section *sec)
{
    struct lime_uci_option *o = sec->first, *next;
    for (; o; o = next) {
        next = o->next;
        option_free(o);
    }
    free(sec->name);
    free(sec->type);
    free(sec);
}

void lime_uci_free(struct lime_uci_package *pkg)
{
    if (!pkg)
        return;
    struct lime_uci_section *s = pkg->first, *next;
    for (; s; s = next) {
        next = s->next;
        section_free(s);
    }
    free(pkg->name);
    free(pkg);
}

const char *lime_uci_package_name(const struct lime_uci_package *pkg)
{
    return pkg->name;
}

size_t lime_uci_section_count(const struct lime_uci_package *pkg)
{
    return pkg->n_sections;
}

/* ---- sections ---------------------------------------------------------------- */

struct lime_uci_section *lime_uci_section_get(const struct lime_uci_package *pkg,
                                              const char *name)
{
    if (!name)
        return NULL;
    for (struct lime_uci_section *s = pkg->first; s; s = s->next)
        if (!strcmp(s->name, name))
            return s;
    return NULL;
}

static struct lime_uci_section *section_append(struct lime_uci_package *pkg, const char *name,
                                               const char *type, bool anonymous)
{
    struct lime_uci_section *sec = calloc(1, sizeof *sec);
    if (!sec)
        return NULL;
    sec->name = strdup(name);
    sec->type = strdup(type);
    if (!sec->name || !sec->type) {
        free(sec->name);
        free(sec->type);
        free(sec);
        errno = ENOMEM;
        return NULL;
    }
    sec->anonymous = anonymous;
    sec->pkg = pkg;
    sec->prev = pkg->last;
    if (pkg->last)
        pkg->last->next = sec;
    else
        pkg->first = sec;
    pkg->last = sec;
    pkg->n_sections++;
    return sec;
}

struct lime_uci_section *lime_uci_section_set(struct lime_uci_package *pkg, const char *name,
                                              const char *type)
{
    if (!lime_uci_valid_name(name) || !lime_uci_valid_type(type)) {
        errno = EINVAL;
        return NULL;
    }
    struct lime_uci_section *sec = lime_uci_section_get(pkg, name);
    if (sec) {
        if (strcmp(sec->type, type)) {
            char *t = strdup(type);
            if (!t) {
                errno = ENOMEM;
                return NULL;
            }
            free(sec->type);
            sec->type = t;
        }
        return sec;
    }
    sec = section_append(pkg, name, type, false);
    if (sec)
        pkg->created++;
    return sec;
}

/* libuci's djbhash over the type (char is signed there on x86/MIPS). */
static unsigned type_hash(const char *type)
{
    unsigned h = 5381;
    for (const char *p = type; *p; p++)
        h = h * 33u + (unsigned)(int)(signed char)*p;
    return h & 0x7fffffffu;
}

struct lime_uci_section *lime_uci_section_add(struct lime_uci_package *pkg, const char *type)
{
    if (!lime_uci_valid_type(type)) {
        errno = EINVAL;
        return NULL;
    }
    char name[32];
    snprintf(name, sizeof name, "cfg%02x%04x", pkg->created + 1, type_hash(type) & 0xffffu);
    struct lime_uci_section *sec = section_append(pkg, name, type, true);
    if (sec)
        pkg->created++;
    return sec;
}

static void section_unlink(struct lime_uci_section *sec)
{
    struct lime_uci_package *pkg = sec->pkg;
    if (sec->prev)
        sec->prev->next = sec->next;
    else
        pkg->first = sec->next;
    if (sec->next)
        sec->next->prev = sec->prev;
    else
        pkg->last = sec->prev;
    pkg->n_sections--;
}

int lime_uci_section_delete(struct lime_uci_package *pkg, const char *name)
{
    struct lime_uci_section *sec = lime_uci_section_get(pkg, name);
    if (!sec)
        return -ENOENT;
    section_unlink(sec);
    section_free(sec);
    return 0;
}

int lime_uci_section_rename(struct lime_uci_package *pkg, const char *name,
                            const char *new_name)
{
    if (!lime_uci_valid_name(new_name))
        return -EINVAL;
    struct lime_uci_section *sec = lime_uci_section_get(pkg, name);
    if (!sec)
        return -ENOENT;
    struct lime_uci_section *other = lime_uci_section_get(pkg, new_name);
    if (other && other != sec)
        return -EEXIST;
    char *n = strdup(new_name);
    if (!n)
        return -ENOMEM;
    free(sec->name);
    sec->name = n;
    sec->anonymous = false;
    return 0;
}

static struct lime_uci_section *skip_to_type(struct lime_uci_section *s, const char *type)
{
    while (s && type && strcmp(s->type, type))
        s = s->next;
    return s;
}

struct lime_uci_section *lime_uci_section_first(const struct lime_uci_package *pkg,
                                                const char *type)
{
    return skip_to_type(pkg->first, type);
}

struct lime_uci_section *lime_uci_section_next(const struct lime_uci_section *sec,
                                               const char *type)
{
    return skip_to_type(sec->next, type);
}

const char *lime_uci_section_name(const struct lime_uci_section *sec)
{
    return sec->name;
}

const char *lime_uci_section_type(const struct lime_uci_section *sec)
{
    return sec->type;
}

bool lime_uci_section_anonymous(const struct lime_uci_section *sec)
{
    return sec->anonymous;
}

size_t lime_uci_section_option_count(const struct lime_uci_section *sec)
{
    return sec->n_options;
}

/* ---- options ----------------------------------------------------------------- */

struct lime_uci_option *lime_uci_option_get(const struct lime_uci_section *sec,
                                            const char *name)
{
    if (!sec || !name)
        return NULL;
    for (struct lime_uci_option *o = sec->first; o; o = o->next)
        if (!strcmp(o->name, name))
            return o;
    return NULL;
}

struct lime_uci_option *lime_uci_option_first(const struct lime_uci_section *sec)
{
    return sec->first;
}

struct lime_uci_option *lime_uci_option_next(const struct lime_uci_option *opt)
{
    return opt->next;
}

const char *lime_uci_option_name(const struct lime_uci_option *opt)
{
    return opt->name;
}

bool lime_uci_option_is_list(const struct lime_uci_option *opt)
{
    return opt->is_list;
}

const char *lime_uci_option_value(const struct lime_uci_option *opt)
{
    return opt->n ? opt->items[0] : NULL;
}

size_t lime_uci_option_count(const struct lime_uci_option *opt)
{
    return opt->n;
}

const char *lime_uci_option_item(const struct lime_uci_option *opt, size_t i)
{
    return i < opt->n ? opt->items[i] : NULL;
}

const char *const *lime_uci_option_items(const struct lime_uci_option *opt, size_t *count)
{
    if (count)
        *count = opt->n;
    return (const char *const *)opt->items;
}

static int option_push(struct lime_uci_option *opt, const char *value)
{
    if (opt->n == opt->cap) {
        size_t ncap = opt->cap ? opt->cap * 2 : 2;
        char **ni = realloc(opt->items, ncap * sizeof *ni);
        if (!ni)
            return -ENOMEM;
        opt->items = ni;
        opt->cap = ncap;
    }
    char *v = strdup(value);
    if (!v)
        return -ENOMEM;
    opt->items[opt->n++] = v;
    return 0;
}

/* A new option with one item, appended at the end of sec. */
static struct lime_uci_option *option_append(struct lime_uci_section *sec, const char *name,
                                             const char *value, bool is_list)
{
    struct lime_uci_option *opt = calloc(1, sizeof *opt);
    if (!opt)
        return NULL;
    opt->name = strdup(name);
    if (!opt->name || option_push(opt, value) < 0) {
        option_free(opt);
        return NULL;
    }
    opt->is_list = is_list;
    opt->sec = sec;
    opt->prev = sec->last;
    if (sec->last)
        sec->last->next = opt;
    else
        sec->first = opt;
    sec->last = opt;
    sec->n_options++;
    return opt;
}

int lime_uci_sec_set(struct lime_uci_section *sec, const char *option, const char *value)
{
    if (!sec || !value || !lime_uci_valid_name(option))
        return -EINVAL;
    struct lime_uci_option *old = lime_uci_option_get(sec, option);
    if (!*value) {
        if (old) {
            option_unlink(old);
            option_free(old);
        }
        return 0;
    }
    if (old && !old->is_list && !strcmp(old->items[0], value))
        return 0;
    /* libuci frees the old option and allocates a new one at the end */
    if (!option_append(sec, option, value, false))
        return -ENOMEM;
    if (old) {
        option_unlink(old);
        option_free(old);
    }
    return 0;
}

int lime_uci_sec_add_list(struct lime_uci_section *sec, const char *option, const char *value)
{
    if (!sec || !value || !lime_uci_valid_name(option))
        return -EINVAL;
    struct lime_uci_option *old = lime_uci_option_get(sec, option);
    if (old && old->is_list)
        return option_push(old, value);
    /* a string option becomes the list [old, value], at the end */
    struct lime_uci_option *opt = option_append(sec, option, old ? old->items[0] : value, true);
    if (!opt)
        return -ENOMEM;
    if (old) {
        if (option_push(opt, value) < 0) {
            option_unlink(opt);
            option_free(opt);
            return -ENOMEM;
        }
        option_unlink(old);
        option_free(old);
    }
    return 0;
}

int lime_uci_sec_copy_option(struct lime_uci_section *sec, const struct lime_uci_option *src)
{
    struct lime_uci_option *opt = option_append(sec, src->name, src->items[0], src->is_list);
    if (!opt)
        return -ENOMEM;
    for (size_t i = 1; i < src->n; i++) {
        if (option_push(opt, src->items[i]) < 0) {
            option_unlink(opt);
            option_free(opt);
            return -ENOMEM;
        }
    }
    struct lime_uci_option *old = lime_uci_option_get(sec, src->name);
    if (old != opt) {
        /* move the new one into the old one's place */
        option_unlink(opt);
        opt->prev = old->prev;
        opt->next = old->next;
        if (old->prev)
            old->prev->next = opt;
        else
            sec->first = opt;
        if (old->next)
            old->next->prev = opt;
        else
            sec->last = opt;
        option_free(old);
    }
    return 0;
}

int lime_uci_sec_delete(struct lime_uci_section *sec, const char *option)
{
    struct lime_uci_option *old = lime_uci_option_get(sec, option);
    if (!old)
        return -ENOENT;
    option_unlink(old);
    option_free(old);
    return 0;
}

int lime_uci_sec_set_list(struct lime_uci_section *sec, const char *option,
                          const char *const *values, size_t n)
{
    if (!sec || !lime_uci_valid_name(option))
        return -EINVAL;
    lime_uci_sec_delete(sec, option);
    for (size_t i = 0; i < n; i++) {
        int r = lime_uci_sec_add_list(sec, option, values[i]);
        if (r < 0)
            return r;
    }
    return 0;
}

const char *lime_uci_get(const struct lime_uci_package *pkg, const char *section,
                         const char *option)
{
    struct lime_uci_option *o = lime_uci_option_get(lime_uci_section_get(pkg, section), option);
    return o ? lime_uci_option_value(o) : NULL;
}

int lime_uci_set(struct lime_uci_package *pkg, const char *section, const char *option,
                 const char *value)
{
    struct lime_uci_section *sec = lime_uci_section_get(pkg, section);
    return sec ? lime_uci_sec_set(sec, option, value) : -ENOENT;
}

int lime_uci_add_list(struct lime_uci_package *pkg, const char *section, const char *option,
                      const char *value)
{
    struct lime_uci_section *sec = lime_uci_section_get(pkg, section);
    return sec ? lime_uci_sec_add_list(sec, option, value) : -ENOENT;
}

int lime_uci_set_list(struct lime_uci_package *pkg, const char *section, const char *option,
                      const char *const *values, size_t n)
{
    struct lime_uci_section *sec = lime_uci_section_get(pkg, section);
    return sec ? lime_uci_sec_set_list(sec, option, values, n) : -ENOENT;
}

int lime_uci_delete(struct lime_uci_package *pkg, const char *section, const char *option)
{
    struct lime_uci_section *sec = lime_uci_section_get(pkg, section);
    return sec ? lime_uci_sec_delete(sec, option) : -ENOENT;
}

/* ---- copy and compare -------------------------------------------------------- */

struct lime_uci_package *lime_uci_dup(const struct lime_uci_package *pkg)
{
    struct lime_uci_package *copy = lime_uci_new(pkg->name);
    if (!copy)
        return NULL;
    for (const struct lime_uci_section *s = pkg->first; s; s = s->next) {
        struct lime_uci_section *cs = section_append(copy, s->name, s->type, s->anonymous);
        if (!cs)
            goto fail;
        for (const struct lime_uci_option *o = s->first; o; o = o->next) {
            struct lime_uci_option *co = option_append(cs, o->name, o->items[0], o->is_list);
            if (!co)
                goto fail;
            for (size_t i = 1; i < o->n; i++)
                if (option_push(co, o->items[i]) < 0)
                    goto fail;
        }
    }
    copy->created = pkg->created;
    return copy;
fail:
    lime_uci_free(copy);
    return NULL;
}

bool lime_uci_equal(const struct lime_uci_package *a, const struct lime_uci_package *b)
{
    const struct lime_uci_section *sa = a->first, *sb = b->first;
    for (; sa && sb; sa = sa->next, sb = sb->next) {
        if (strcmp(sa->name, sb->name) || strcmp(sa->type, sb->type) ||
            sa->anonymous != sb->anonymous || sa->n_options != sb->n_options)
            return false;
        const struct lime_uci_option *oa = sa->first, *ob = sb->first;
        for (; oa && ob; oa = oa->next, ob = ob->next) {
            if (strcmp(oa->name, ob->name) || oa->is_list != ob->is_list || oa->n != ob->n)
                return false;
            for (size_t i = 0; i < oa->n; i++)
                if (strcmp(oa->items[i], ob->items[i]))
                    return false;
        }
        if (oa || ob)
            return false;
    }
    return !sa && !sb;
}

/* ---- writer ------------------------------------------------------------------ */

/* libuci's uci_escape: every ' becomes '\'' (the caller adds the outer quotes). */
static void sb_escaped(struct lime_strbuf *b, const char *s)
{
    for (const char *q; (q = strchr(s, '\'')); s = q + 1) {
        lime_strbuf_put(b, s, (size_t)(q - s));
        lime_strbuf_puts(b, "'\\''");
    }
    lime_strbuf_puts(b, s);
}

/* A type that libuci would write unquoted and read back unchanged. Types with quote,
 * backslash, '#' or ';' (legal but never used) are single-quoted so they round-trip;
 * libuci writes them bare and misreads them. */
static bool type_is_bare(const char *t)
{
    return !strpbrk(t, "'\"\\#;");
}

char *lime_uci_write(const struct lime_uci_package *pkg, size_t *len)
{
    struct lime_strbuf b = {0};
    for (const struct lime_uci_section *s = pkg->first; s; s = s->next) {
        lime_strbuf_puts(&b, "\nconfig ");
        if (type_is_bare(s->type)) {
            lime_strbuf_puts(&b, s->type);
        } else {
            lime_strbuf_puts(&b, "'");
            sb_escaped(&b, s->type);
            lime_strbuf_puts(&b, "'");
        }
        if (!s->anonymous) {
            lime_strbuf_puts(&b, " '");
            sb_escaped(&b, s->name);
            lime_strbuf_puts(&b, "'");
        }
        lime_strbuf_puts(&b, "\n");
        for (const struct lime_uci_option *o = s->first; o; o = o->next) {
            for (size_t i = 0; i < o->n; i++) {
                lime_strbuf_puts(&b, o->is_list ? "\tlist " : "\toption ");
                lime_strbuf_puts(&b, o->name);
                lime_strbuf_puts(&b, " '");
                sb_escaped(&b, o->items[i]);
                lime_strbuf_puts(&b, "'\n");
            }
        }
    }
    lime_strbuf_puts(&b, "\n");
    return lime_strbuf_finish(&b, len);
}

int lime_uci_save(const struct lime_uci_package *pkg, const char *path, const char *header)
{
    size_t len;
    char *text = lime_uci_write(pkg, &len);
    if (!text)
        return -ENOMEM;
    int r;
    if (header && *header) {
        size_t hl = strlen(header);
        char *all = malloc(hl + len + 1);
        if (!all) {
            free(text);
            return -ENOMEM;
        }
        memcpy(all, header, hl);
        memcpy(all + hl, text, len + 1);
        r = lime_write_file_atomic(path, all, hl + len, 0644);
        free(all);
    } else {
        r = lime_write_file_atomic(path, text, len, 0644);
    }
    free(text);
    return r;
}
