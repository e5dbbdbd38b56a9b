/* UCI reader/writer; see ucifile.h. Grammar handled: `config TYPE ['NAME']`,
 * `option NAME VALUE`, `list NAME VALUE`, `package NAME` (ignored), comments, values
 * bare, 'single' or "double" quoted (adjacent quoted parts are joined, \ escapes in
 * double quotes and bare words). */
#include "ucifile.h"
#include "limed.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static void *xrealloc(void *p, size_t n)
{
    void *q = realloc(p, n ? n : 1);
    if (!q)
        abort();
    return q;
}

static char *xstrdup(const char *s)
{
    char *d = strdup(s);
    if (!d)
        abort();
    return d;
}

/* Reads one word starting at *p (skipping blanks). Returns malloc'd word or NULL at end
 * of line; sets *bad on an unterminated quote. */
static char *next_word(const char **p, bool *bad)
{
    const char *s = *p;
    while (*s == ' ' || *s == '\t')
        s++;
    if (!*s || *s == '\n' || *s == '#') {
        *p = s;
        return NULL;
    }
    size_t cap = 32, len = 0;
    char *w = xrealloc(NULL, cap);
    while (*s && *s != ' ' && *s != '\t' && *s != '\n' && *s != '#') {
        char q = 0;
        if (*s == '\'' || *s == '"')
            q = *s++;
        for (;;) {
            char c = *s;
            if (q) {
                if (!c || c == '\n') {
                    *bad = true;
                    free(w);
                    *p = s;
                    return NULL;
                }
                if (c == q) {
                    s++;
                    break;
                }
                if (q == '"' && c == '\\' && s[1] && s[1] != '\n')
                    c = *++s;
            } else {
                if (!c || c == ' ' || c == '\t' || c == '\n' || c == '#' || c == '\'' ||
                    c == '"')
                    break;
                if (c == '\\' && s[1] && s[1] != '\n')
                    c = *++s;
            }
            if (len + 2 > cap)
                w = xrealloc(w, cap *= 2);
            w[len++] = c;
            s++;
        }
        if (!q && (*s == ' ' || *s == '\t' || *s == '\n' || *s == '#' || !*s))
            break;
    }
    w[len] = 0;
    *p = s;
    return w;
}

static bool valid_name(const char *s)
{
    if (!*s)
        return false;
    for (; *s; s++)
        if (!isalnum((unsigned char)*s) && *s != '_' && *s != '-')
            return false;
    return true;
}

static struct ld_uci_sec *add_section(struct ld_uci *u, const char *type, const char *name)
{
    u->secs = xrealloc(u->secs, (size_t)(u->nsecs + 1) * sizeof(*u->secs));
    struct ld_uci_sec *s = &u->secs[u->nsecs++];
    memset(s, 0, sizeof(*s));
    s->type = xstrdup(type);
    s->name = name ? xstrdup(name) : NULL;
    return s;
}

static struct ld_uci_opt *find_opt(const struct ld_uci_sec *s, const char *name)
{
    for (int i = 0; i < s->nopts; i++)
        if (!strcmp(s->opts[i].name, name))
            return &s->opts[i];
    return NULL;
}

static void opt_clear(struct ld_uci_opt *o)
{
    for (int i = 0; i < o->nvals; i++)
        free(o->vals[i]);
    free(o->vals);
    o->vals = NULL;
    o->nvals = 0;
}

static void sec_put(struct ld_uci_sec *s, const char *name, const char *val, bool list)
{
    struct ld_uci_opt *o = find_opt(s, name);
    if (!o) {
        s->opts = xrealloc(s->opts, (size_t)(s->nopts + 1) * sizeof(*s->opts));
        o = &s->opts[s->nopts++];
        memset(o, 0, sizeof(*o));
        o->name = xstrdup(name);
    } else if (!list || !o->is_list) {
        opt_clear(o);
    }
    o->is_list = list;
    o->vals = xrealloc(o->vals, (size_t)(o->nvals + 1) * sizeof(char *));
    o->vals[o->nvals++] = xstrdup(val);
}

int ld_uci_parse(const char *name, const char *text, struct ld_uci *u, char *err, size_t errlen)
{
    struct ld_uci_sec *cur = NULL;
    int lineno = 0;
    memset(u, 0, sizeof(*u));
    const char *p = text;
    while (*p) {
        lineno++;
        bool bad = false;
        char *kw = next_word(&p, &bad);
        char *a = NULL, *b = NULL, *extra = NULL;
        const char *what = NULL;
        if (kw) {
            a = next_word(&p, &bad);
            b = bad ? NULL : next_word(&p, &bad);
            extra = bad ? NULL : next_word(&p, &bad);
        }
        if (bad)
            what = "unterminated quote";
        else if (!kw)
            ;
        else if (extra)
            what = "too many words on the line";
        else if (!strcmp(kw, "package"))
            ;
        else if (!strcmp(kw, "config")) {
            if (!a || !valid_name(a))
                what = "expected `config TYPE [NAME]`";
            else if (b && !valid_name(b))
                what = "invalid section name";
            else {
                struct ld_uci_sec *ex = b ? ld_uci_section(u, b) : NULL;
                cur = ex ? ex : add_section(u, a, b);
            }
        } else if (!strcmp(kw, "option") || !strcmp(kw, "list")) {
            if (!cur)
                what = "option outside a section";
            else if (!a || !b || !valid_name(a))
                what = "expected `option NAME VALUE`";
            else
                sec_put(cur, a, b, kw[0] == 'l');
        } else {
            what = "expected config, option or list";
        }
        free(kw);
        free(a);
        free(b);
        free(extra);
        if (what) {
            if (err)
                snprintf(err, errlen, "%s:%d: %s", name, lineno, what);
            ld_uci_free(u);
            return -EINVAL;
        }
        while (*p && *p != '\n')
            p++;
        if (*p == '\n')
            p++;
    }
    return 0;
}

int ld_uci_load(const char *path, struct ld_uci *u, char *err, size_t errlen)
{
    memset(u, 0, sizeof(*u));
    FILE *f = fopen(path, "r");
    if (!f) {
        if (err)
            snprintf(err, errlen, "%s: %s", path, strerror(errno));
        return -errno;
    }
    size_t cap = 4096, len = 0;
    char *buf = xrealloc(NULL, cap);
    size_t n;
    while ((n = fread(buf + len, 1, cap - len - 1, f)) > 0) {
        len += n;
        if (cap - len < 2) {
            if (cap > (4u << 20))
                break; /* config files are small; refuse pathological ones */
            buf = xrealloc(buf, cap *= 2);
        }
    }
    fclose(f);
    buf[len] = 0;
    int r = ld_uci_parse(path, buf, u, err, errlen); /* starts u empty */
    free(buf);
    return r;
}

void ld_uci_free(struct ld_uci *u)
{
    for (int i = 0; i < u->nsecs; i++) {
        struct ld_uci_sec *s = &u->secs[i];
        for (int j = 0; j < s->nopts; j++) {
            opt_clear(&s->opts[j]);
            free(s->opts[j].name);
        }
        free(s->opts);
        free(s->type);
        free(s->name);
    }
    free(u->secs);
    u->secs = NULL;
    u->nsecs = 0;
}

struct ld_uci_sec *ld_uci_section(const struct ld_uci *u, const char *sec)
{
    if (sec[0] == '@') {
        char type[64];
        int idx = 0;
        const char *br = strchr(sec, '[');
        size_t tl = br ? (size_t)(br - sec - 1) : strlen(sec + 1);
        if (tl >= sizeof(type))
            return NULL;
        memcpy(type, sec + 1, tl);
        type[tl] = 0;
        if (br)
            idx = atoi(br + 1);
        for (int i = 0; i < u->nsecs; i++)
            if (!strcmp(u->secs[i].type, type) && idx-- == 0)
                return &u->secs[i];
        return NULL;
    }
    for (int i = 0; i < u->nsecs; i++)
        if (u->secs[i].name && !strcmp(u->secs[i].name, sec))
            return &u->secs[i];
    return NULL;
}

struct ld_uci_sec *ld_uci_first_of(const struct ld_uci *u, const char *type)
{
    for (int i = 0; i < u->nsecs; i++)
        if (!strcmp(u->secs[i].type, type))
            return &u->secs[i];
    return NULL;
}

const char *ld_uci_sec_get(const struct ld_uci_sec *s, const char *opt)
{
    if (!s)
        return NULL;
    struct ld_uci_opt *o = find_opt(s, opt);
    return o && o->nvals ? o->vals[0] : NULL;
}

const char *ld_uci_get(const struct ld_uci *u, const char *sec, const char *opt)
{
    return ld_uci_sec_get(ld_uci_section(u, sec), opt);
}

int ld_uci_set(struct ld_uci *u, const char *sectype, const char *sec, const char *opt,
               const char *val)
{
    if (!valid_name(opt) || (sec[0] != '@' && !valid_name(sec)) || !valid_name(sectype))
        return -EINVAL;
    if (val && strchr(val, '\n'))
        return -EINVAL;
    struct ld_uci_sec *s = ld_uci_section(u, sec);
    if (!s) {
        if (!val)
            return 0;
        s = add_section(u, sectype, sec[0] == '@' ? NULL : sec);
    }
    if (!val) {
        struct ld_uci_opt *o = find_opt(s, opt);
        if (o) {
            opt_clear(o);
            free(o->name);
            int idx = (int)(o - s->opts);
            memmove(o, o + 1, (size_t)(s->nopts - idx - 1) * sizeof(*o));
            s->nopts--;
        }
        return 0;
    }
    sec_put(s, opt, val, false);
    return 0;
}

static void append(char **buf, size_t *len, size_t *cap, const char *s)
{
    size_t n = strlen(s);
    while (*len + n + 1 > *cap)
        *buf = xrealloc(*buf, *cap *= 2);
    memcpy(*buf + *len, s, n + 1);
    *len += n;
}

static void append_quoted(char **buf, size_t *len, size_t *cap, const char *v)
{
    append(buf, len, cap, "'");
    for (const char *p = v; *p; p++) {
        char c[2] = {*p, 0};
        append(buf, len, cap, *p == '\'' ? "'\\''" : c);
    }
    append(buf, len, cap, "'");
}

char *ld_uci_format(const struct ld_uci *u)
{
    size_t cap = 1024, len = 0;
    char *buf = xrealloc(NULL, cap);
    buf[0] = 0;
    for (int i = 0; i < u->nsecs; i++) {
        const struct ld_uci_sec *s = &u->secs[i];
        if (i)
            append(&buf, &len, &cap, "\n");
        append(&buf, &len, &cap, "config ");
        append(&buf, &len, &cap, s->type);
        if (s->name) {
            append(&buf, &len, &cap, " ");
            append_quoted(&buf, &len, &cap, s->name);
        }
        append(&buf, &len, &cap, "\n");
        for (int j = 0; j < s->nopts; j++)
            for (int k = 0; k < s->opts[j].nvals; k++) {
                append(&buf, &len, &cap, s->opts[j].is_list ? "\tlist " : "\toption ");
                append(&buf, &len, &cap, s->opts[j].name);
                append(&buf, &len, &cap, " ");
                append_quoted(&buf, &len, &cap, s->opts[j].vals[k]);
                append(&buf, &len, &cap, "\n");
            }
    }
    return buf;
}

int ld_uci_save(const struct ld_uci *u, const char *path)
{
    char tmp[4096];
    if (snprintf(tmp, sizeof(tmp), "%s.limed-tmp", path) >= (int)sizeof(tmp))
        return -ENAMETOOLONG;
    char *text = ld_uci_format(u);
    int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0) {
        free(text);
        return -errno;
    }
    size_t len = strlen(text), off = 0;
    while (off < len) {
        ssize_t n = write(fd, text + off, len - off);
        if (n < 0) {
            int e = errno;
            close(fd);
            unlink(tmp);
            free(text);
            return -e;
        }
        off += (size_t)n;
    }
    free(text);
    if (close(fd) < 0 || rename(tmp, path) < 0) {
        int e = errno;
        unlink(tmp);
        return -e;
    }
    return 0;
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
        ld_uci_free(&u);
    }
    return out;
}
