#include "kmods.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fsutil.h"

void sim_kmod_name(const char *in, char *out, size_t len)
{
    const char *base = strrchr(in, '/');
    base = base ? base + 1 : in;
    size_t n = strlen(base);
    const char *ko = strstr(base, ".ko");
    if (ko)
        n = (size_t)(ko - base);
    if (n >= len)
        n = len - 1;
    for (size_t i = 0; i < n; i++)
        out[i] = base[i] == '-' ? '_' : base[i];
    out[n] = 0;
}

static char *dup_n(const char *s, size_t n)
{
    char *p = malloc(n + 1);
    if (p) {
        memcpy(p, s, n);
        p[n] = 0;
    }
    return p;
}

static int add_dep(struct sim_kmod *m, const char *s, size_t n)
{
    char **d = realloc(m->deps, sizeof(*d) * (size_t)(m->n_deps + 1));
    if (!d)
        return -1;
    m->deps = d;
    if (!(d[m->n_deps] = dup_n(s, n)))
        return -1;
    m->n_deps++;
    return 0;
}

static int parse_line(struct sim_kmods *k, const char *line, size_t len)
{
    const char *colon = memchr(line, ':', len);
    if (!colon || colon == line || !memchr(line, '.', (size_t)(colon - line)))
        return 0; /* not a module line */
    struct sim_kmod *arr = realloc(k->m, sizeof(*arr) * (size_t)(k->n + 1));
    if (!arr)
        return -1;
    k->m = arr;
    struct sim_kmod *m = &arr[k->n];
    *m = (struct sim_kmod){0};
    if (!(m->path = dup_n(line, (size_t)(colon - line))) || !(m->name = malloc(64)))
        goto oom;
    sim_kmod_name(m->path, m->name, 64);
    k->n++;
    for (const char *p = colon + 1, *end = line + len; p < end;) {
        while (p < end && (*p == ' ' || *p == '\t'))
            p++;
        const char *w = p;
        while (p < end && *p != ' ' && *p != '\t')
            p++;
        if (p > w && add_dep(m, w, (size_t)(p - w)) < 0)
            return -1;
    }
    return 0;
oom:
    free(m->path);
    free(m->name);
    return -1;
}

int sim_kmods_parse(struct sim_kmods *k, const char *dep_text, const char *builtin_text)
{
    *k = (struct sim_kmods){0};
    for (const char *p = dep_text; p && *p;) {
        const char *nl = strchr(p, '\n');
        size_t len = nl ? (size_t)(nl - p) : strlen(p);
        if (parse_line(k, p, len) < 0)
            goto oom;
        p += len + (nl != NULL);
    }
    for (const char *p = builtin_text; p && *p;) {
        const char *nl = strchr(p, '\n');
        size_t len = nl ? (size_t)(nl - p) : strlen(p);
        if (len && len < 256) {
            char path[256], name[64];
            memcpy(path, p, len);
            path[len] = 0;
            sim_kmod_name(path, name, sizeof(name));
            char **b = realloc(k->builtin, sizeof(*b) * (size_t)(k->n_builtin + 1));
            if (!b)
                goto oom;
            k->builtin = b;
            if (!(b[k->n_builtin] = strdup(name)))
                goto oom;
            k->n_builtin++;
        }
        p += len + (nl != NULL);
    }
    return 0;
oom:
    sim_kmods_free(k);
    return -1;
}

int sim_kmods_load(struct sim_kmods *k, const char *moddir, char *err, size_t errlen)
{
    char path[600];
    snprintf(path, sizeof(path), "%s/modules.dep", moddir);
    char *dep = lime_read_file(path, 0, NULL);
    if (!dep) {
        snprintf(err, errlen, "%s: cannot read (not a depmod'ed modules dir)", path);
        return -1;
    }
    snprintf(path, sizeof(path), "%s/modules.builtin", moddir);
    char *builtin = lime_read_file(path, 0, NULL); /* may be missing: nothing built in */
    int rc = sim_kmods_parse(k, dep, builtin);
    free(dep);
    free(builtin);
    if (rc < 0)
        snprintf(err, errlen, "%s: out of memory", moddir);
    return rc;
}

void sim_kmods_free(struct sim_kmods *k)
{
    for (int i = 0; i < k->n; i++) {
        free(k->m[i].path);
        free(k->m[i].name);
        for (int d = 0; d < k->m[i].n_deps; d++)
            free(k->m[i].deps[d]);
        free(k->m[i].deps);
    }
    for (int i = 0; i < k->n_builtin; i++)
        free(k->builtin[i]);
    free(k->m);
    free(k->builtin);
    *k = (struct sim_kmods){0};
}

static const struct sim_kmod *by_name(const struct sim_kmods *k, const char *name)
{
    for (int i = 0; i < k->n; i++)
        if (!strcmp(k->m[i].name, name))
            return &k->m[i];
    return NULL;
}

static const struct sim_kmod *by_path(const struct sim_kmods *k, const char *path)
{
    for (int i = 0; i < k->n; i++)
        if (!strcmp(k->m[i].path, path))
            return &k->m[i];
    return NULL;
}

int sim_kmods_has(const struct sim_kmods *k, const char *name)
{
    char canon[64];
    sim_kmod_name(name, canon, sizeof(canon));
    if (by_name(k, canon))
        return 1;
    for (int i = 0; i < k->n_builtin; i++)
        if (!strcmp(k->builtin[i], canon))
            return 2;
    return 0;
}

/* depth bounds the recursion on a (malformed) cyclic index. */
static int visit(const struct sim_kmods *k, const struct sim_kmod *m, const char **out, int *n, int max,
                 int depth, char *err, size_t errlen)
{
    for (int i = 0; i < *n; i++)
        if (out[i] == m->path)
            return 0;
    if (depth > 64) {
        snprintf(err, errlen, "module %s: dependency chain too deep (cycle in modules.dep?)", m->name);
        return -1;
    }
    for (int d = 0; d < m->n_deps; d++) {
        const struct sim_kmod *dep = by_path(k, m->deps[d]);
        if (!dep) {
            snprintf(err, errlen, "module %s needs %s, which is not in modules.dep", m->name, m->deps[d]);
            return -1;
        }
        if (visit(k, dep, out, n, max, depth + 1, err, errlen) < 0)
            return -1;
    }
    for (int i = 0; i < *n; i++) /* a cycle may have added it meanwhile */
        if (out[i] == m->path)
            return 0;
    if (*n >= max) {
        snprintf(err, errlen, "too many modules to load (more than %d)", max);
        return -1;
    }
    out[(*n)++] = m->path;
    return 0;
}

int sim_kmods_order(const struct sim_kmods *k, const char *name, const char **out, int *n, int max,
                    char *err, size_t errlen)
{
    char canon[64];
    sim_kmod_name(name, canon, sizeof(canon));
    const struct sim_kmod *m = by_name(k, canon);
    if (!m) {
        if (sim_kmods_has(k, canon) == 2)
            return 0;
        snprintf(err, errlen, "the kernel has no module %s", canon);
        return -1;
    }
    return visit(k, m, out, n, max, 0, err, errlen);
}
