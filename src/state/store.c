/* Tables, merge and ageing. Entries of a type live in one array sorted by key: tables
 * hold tens to a few thousand entries, lookups are binary searches and a dump comes out
 * in a stable order. */
#include "store.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "log.h"

struct ss_store {
    char *self;
    struct ss_limits limits;
    struct ss_counters counters;
    struct ss_type **types;
    size_t ntypes;
    uint64_t seq;
    uint64_t ver; /* last version given to a local insert */
};

void ss_note(uint64_t count, const char *fmt, ...)
{
    if (count == 0 || (count & (count - 1)) != 0)
        return;
    char msg[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    log_warn("%s (seen %llu times)", msg, (unsigned long long)count);
}

struct ss_store *ss_store_new(const char *self, const struct ss_limits *limits)
{
    struct ss_store *st = calloc(1, sizeof *st);
    if (!st)
        return NULL;
    st->self = strdup(self ? self : "");
    if (!st->self) {
        free(st);
        return NULL;
    }
    st->limits.max_entry_bytes = 16 * 1024;
    st->limits.max_message_bytes = 1024 * 1024;
    st->limits.max_entries = 4096;
    if (limits) {
        if (limits->max_entry_bytes)
            st->limits.max_entry_bytes = limits->max_entry_bytes;
        if (limits->max_message_bytes)
            st->limits.max_message_bytes = limits->max_message_bytes;
        if (limits->max_entries)
            st->limits.max_entries = limits->max_entries;
    }
    st->seq = 1;
    /* Versions must grow across restarts: start from the wall clock in ms (and from the
     * highest version of our own reloaded entries, see store_copy). */
    st->ver = (uint64_t)time(NULL) * 1000u;
    return st;
}

static void entry_clear(struct ss_entry *e)
{
    free(e->key);
    free(e->author);
    free(e->data);
}

void ss_store_free(struct ss_store *st)
{
    if (!st)
        return;
    for (size_t i = 0; i < st->ntypes; i++) {
        struct ss_type *t = st->types[i];
        for (size_t j = 0; j < t->n; j++)
            entry_clear(&t->entries[j]);
        free(t->entries);
        free(t);
    }
    free(st->types);
    free(st->self);
    free(st);
}

const char *ss_store_self(const struct ss_store *st) { return st->self; }

int ss_store_set_self(struct ss_store *st, const char *self)
{
    char *s = strdup(self ? self : "");
    if (!s)
        return -ENOMEM;
    free(st->self);
    st->self = s;
    return 0;
}
const struct ss_limits *ss_store_limits(const struct ss_store *st) { return &st->limits; }
struct ss_counters *ss_store_counters(struct ss_store *st) { return &st->counters; }
uint64_t ss_store_seq(const struct ss_store *st) { return st->seq; }
size_t ss_store_type_count(const struct ss_store *st) { return st->ntypes; }
struct ss_type *ss_store_type_at(struct ss_store *st, size_t i)
{
    return i < st->ntypes ? st->types[i] : NULL;
}

static bool valid_type_name(const char *name)
{
    size_t n = strlen(name);
    if (n == 0 || n > SS_TYPE_NAME_MAX)
        return false;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)name[i];
        if (c <= ' ' || c == '/' || c >= 0x7f)
            return false;
    }
    return name[0] != '.';
}

int ss_store_register(struct ss_store *st, const char *name, const char *scope, uint32_t ttl_s,
                      uint32_t interval_s)
{
    if (!name || !valid_type_name(name) || ttl_s == 0 || interval_s == 0 ||
        ttl_s > 10u * 365 * 86400 || interval_s > 86400)
        return -EINVAL;
    struct ss_type *t = ss_store_type(st, name);
    if (!t && st->ntypes >= SS_MAX_TYPES)
        return -ENOSPC;
    if (!t) {
        struct ss_type **nt = realloc(st->types, (st->ntypes + 1) * sizeof *nt);
        if (!nt)
            return -ENOMEM;
        st->types = nt;
        t = calloc(1, sizeof *t);
        if (!t)
            return -ENOMEM;
        snprintf(t->name, sizeof t->name, "%s", name);
        st->types[st->ntypes++] = t;
    }
    snprintf(t->scope, sizeof t->scope, "%s", scope && *scope ? scope : "community");
    t->ttl_s = ttl_s;
    t->interval_s = interval_s;
    return 0;
}

struct ss_type *ss_store_type(struct ss_store *st, const char *name)
{
    for (size_t i = 0; i < st->ntypes; i++)
        if (strcmp(st->types[i]->name, name) == 0)
            return st->types[i];
    return NULL;
}

int64_t ss_type_max_ttl(const struct ss_type *t)
{
    return (int64_t)t->ttl_s + t->interval_s + 1;
}

/* Index of key, or -(insertion point) - 1. */
static long find_index(const struct ss_type *t, const char *key)
{
    size_t lo = 0, hi = t->n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int c = strcmp(t->entries[mid].key, key);
        if (c == 0)
            return (long)mid;
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return -(long)lo - 1;
}

struct ss_entry *ss_type_find(struct ss_type *t, const char *key)
{
    long i = find_index(t, key);
    return i >= 0 ? &t->entries[i] : NULL;
}

int64_t ss_entry_ttl(const struct ss_entry *e, uint64_t now_ms)
{
    return e->expires_ms > now_ms ? (int64_t)((e->expires_ms - now_ms) / 1000) : 0;
}

static int set_strings(struct ss_entry *e, const char *author, const char *data)
{
    char *a = strdup(author), *d = strdup(data);
    if (!a || !d) {
        free(a);
        free(d);
        return -ENOMEM;
    }
    free(e->author);
    free(e->data);
    e->author = a;
    e->data = d;
    return 0;
}

/* Byte-order comparison of (author, data): the deterministic tie-break. */
static int copy_order(const char *a1, const char *d1, const char *a2, const char *d2)
{
    int c = strcmp(a1, a2);
    return c ? c : strcmp(d1, d2);
}

/* force: a local insert, which replaces whatever is stored. */
static enum ss_merge_outcome store_copy(struct ss_store *st, struct ss_type *t,
                                        const struct ss_copy *c, bool remote, bool force,
                                        uint64_t now_ms)
{
    struct ss_counters *k = &st->counters;
    int64_t ttl = c->ttl_s;
    if (ttl <= 0) {
        k->rejected_ttl++;
        return SS_MERGE_REJECTED;
    }
    int64_t max = ss_type_max_ttl(t);
    if (ttl > max) {
        k->capped_ttl++;
        ss_note(k->capped_ttl, "%s: key '%.64s' by '%.64s' has TTL %lld above the cap %lld; capped",
                t->name, c->key, c->author, (long long)ttl, (long long)max);
        ttl = max;
    }
    if (strlen(c->data) > st->limits.max_entry_bytes) {
        k->rejected_size++;
        ss_note(k->rejected_size, "%s: key '%.64s' data of %zu bytes exceeds the %zu byte cap; dropped",
                t->name, c->key, strlen(c->data), st->limits.max_entry_bytes);
        return SS_MERGE_REJECTED;
    }
    if (strlen(c->key) == 0 || strlen(c->key) > 1024 || strlen(c->author) > 256) {
        k->rejected_size++;
        ss_note(k->rejected_size, "%s: key or author empty or too long; dropped", t->name);
        return SS_MERGE_REJECTED;
    }
    uint64_t expires = now_ms + (uint64_t)ttl * 1000u + (force ? 0 : 500);
    if (c->ver > st->ver && !strcmp(c->author, st->self))
        st->ver = c->ver; /* our own entries came back (reload, neighbours) */
    long i = find_index(t, c->key);
    if (i < 0) {
        if (t->n >= st->limits.max_entries) {
            k->rejected_full++;
            ss_note(k->rejected_full, "%s: table holds the maximum of %zu entries; new key '%.64s' dropped",
                    t->name, st->limits.max_entries, c->key);
            return SS_MERGE_REJECTED;
        }
        if (t->n == t->cap) {
            size_t ncap = t->cap ? t->cap * 2 : 16;
            struct ss_entry *ne = realloc(t->entries, ncap * sizeof *ne);
            if (!ne)
                return SS_MERGE_REJECTED;
            t->entries = ne;
            t->cap = ncap;
        }
        struct ss_entry e = {0};
        e.key = strdup(c->key);
        if (!e.key || set_strings(&e, c->author, c->data) < 0) {
            entry_clear(&e);
            return SS_MERGE_REJECTED;
        }
        size_t at = (size_t)(-i - 1);
        memmove(&t->entries[at + 1], &t->entries[at], (t->n - at) * sizeof *t->entries);
        e.expires_ms = expires;
        e.seq = ++st->seq;
        e.ver = c->ver;
        t->entries[at] = e;
        t->n++;
        t->changed_seq = e.seq;
        k->merged_new++;
        return SS_MERGE_NEW;
    }
    struct ss_entry *e = &t->entries[i];
    int64_t have = ss_entry_ttl(e, now_ms);
    bool same = strcmp(e->author, c->author) == 0 && strcmp(e->data, c->data) == 0;
    bool same_author = strcmp(e->author, c->author) == 0;
    if (!force && same_author && c->ver && e->ver && c->ver != e->ver) {
        /* Two writes by one author: its own counter orders them, whatever their TTLs
         * look like after travelling different paths. */
        if (c->ver < e->ver) {
            k->merged_older++;
            return SS_MERGE_OLDER;
        }
        if (remote && strcmp(e->author, st->self) == 0 && !same) {
            /* "Our" later write that we do not have: from before a restart whose clock
             * went back. We hold the current data: re-issue it above that version. */
            e->ver = ++st->ver;
            e->seq = ++st->seq;
            k->rejected_own++;
            ss_note(k->rejected_own,
                    "%s: key '%.64s': a newer version claims to be ours; re-issued ours "
                    "(clock went back, or another node has our hostname?)",
                    t->name, c->key);
            return SS_MERGE_REJECTED;
        }
    } else if (!force) {
        if (remote && ttl > have && same_author && strcmp(e->author, st->self) == 0) {
            if (same) {
                k->merged_same++; /* our own entry echoed back with drift: nothing to say */
                return SS_MERGE_SAME;
            }
            k->rejected_own++;
            ss_note(k->rejected_own,
                    "%s: remote copy of own key '%.64s' claiming us as author with TTL %lld > ours %lld; kept ours",
                    t->name, c->key, (long long)ttl, (long long)have);
            return SS_MERGE_REJECTED;
        }
        /* Compare in whole seconds, as they travel on the wire. */
        if (ttl < have) {
            k->merged_older++;
            return SS_MERGE_OLDER;
        }
        /* Copies of one version differ in TTL only by rounding (< 1 s per hop): never
         * take such a copy for its TTL, or copies relayed back and forth would keep
         * re-anchoring each other's half second and outlive the author's. */
        if (same && ttl <= have + 1) {
            k->merged_same++;
            return SS_MERGE_SAME;
        }
        if (ttl == have && copy_order(c->author, c->data, e->author, e->data) < 0) {
            k->merged_same++;
            return SS_MERGE_LOST;
        }
    }
    if (same) {
        e->expires_ms = expires;
        e->seq = ++st->seq;
        e->ver = c->ver;
        k->merged_updated++;
        return SS_MERGE_REFRESH;
    }
    if (set_strings(e, c->author, c->data) < 0)
        return SS_MERGE_REJECTED;
    e->expires_ms = expires;
    e->seq = ++st->seq;
    e->ver = c->ver;
    t->changed_seq = e->seq;
    k->merged_updated++;
    return SS_MERGE_UPDATED;
}

enum ss_merge_outcome ss_store_merge(struct ss_store *st, struct ss_type *t,
                                     const struct ss_copy *c, bool remote, uint64_t now_ms)
{
    return store_copy(st, t, c, remote, false, now_ms);
}

enum ss_merge_outcome ss_store_insert(struct ss_store *st, struct ss_type *t, const char *key,
                                      const char *data, uint64_t now_ms)
{
    struct ss_copy c = {.key = key, .author = st->self, .data = data, .ttl_s = ss_type_max_ttl(t),
                        .ver = st->ver + 1};
    enum ss_merge_outcome o = store_copy(st, t, &c, false, true, now_ms);
    if (o != SS_MERGE_REJECTED)
        st->counters.local_inserts++;
    return o;
}

void ss_store_touch(struct ss_store *st, struct ss_entry *e)
{
    e->seq = ++st->seq;
}

size_t ss_store_bleach(struct ss_store *st, uint64_t now_ms)
{
    size_t dropped = 0;
    for (size_t i = 0; i < st->ntypes; i++) {
        struct ss_type *t = st->types[i];
        size_t w = 0;
        for (size_t r = 0; r < t->n; r++) {
            if (t->entries[r].expires_ms <= now_ms) {
                entry_clear(&t->entries[r]);
                dropped++;
                continue;
            }
            t->entries[w++] = t->entries[r];
        }
        if (w != t->n) {
            st->counters.expired += t->n - w;
            t->n = w;
            t->changed_seq = ++st->seq;
        }
    }
    return dropped;
}
