/* The functions limed (and the control socket) call: read, insert, register, sync. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "discover.h"
#include "log.h"
#include "loop.h"
#include "persist.h"
#include "publish.h"
#include "service_int.h"

static struct json_object *parse_data(const char *text)
{
    struct json_object *o = json_tokener_parse(text);
    return o; /* "null" parses to NULL, which json-c treats as JSON null */
}

struct json_object *ss_service_get(struct ss_service *ss, const char *type, int *err)
{
    struct ss_type *t = ss && type ? ss_store_type(ss->st, type) : NULL;
    if (!t) {
        *err = SS_ERR_TYPE;
        return NULL;
    }
    uint64_t now = lime_now_ms();
    struct json_object *o = json_object_new_object();
    for (size_t i = 0; i < t->n; i++)
        if (t->entries[i].expires_ms > now)
            json_object_object_add(o, t->entries[i].key, parse_data(t->entries[i].data));
    *err = SS_OK;
    return o;
}

struct json_object *ss_service_dump(struct ss_service *ss, const char *type, int *err)
{
    struct ss_type *t = ss && type ? ss_store_type(ss->st, type) : NULL;
    if (!t) {
        *err = SS_ERR_TYPE;
        return NULL;
    }
    uint64_t now = lime_now_ms();
    struct json_object *a = json_object_new_array();
    for (size_t i = 0; i < t->n; i++) {
        struct ss_entry *e = &t->entries[i];
        int64_t ttl = ss_entry_ttl(e, now);
        if (ttl <= 0)
            continue;
        struct json_object *v = json_object_new_object(), *m = json_object_new_object(),
                           *el = json_object_new_object();
        char num[32];
        snprintf(num, sizeof num, "%lld", (long long)ttl);
        json_object_object_add(m, "xint64", json_object_new_int64(ttl));
        json_object_object_add(m, "xstr64", json_object_new_string(num));
        json_object_object_add(v, "mAuthor", json_object_new_string(e->author));
        json_object_object_add(v, "mTtl", m);
        json_object_object_add(v, "mData", parse_data(e->data));
        json_object_object_add(el, "key", json_object_new_string(e->key));
        json_object_object_add(el, "value", v);
        json_object_array_add(a, el);
    }
    *err = SS_OK;
    return a;
}

int ss_service_insert(struct ss_service *ss, const char *type, struct json_object *obj)
{
    struct ss_type *t = ss && type ? ss_store_type(ss->st, type) : NULL;
    if (!t)
        return SS_ERR_TYPE;
    if (!json_object_is_type(obj, json_type_object))
        return SS_ERR_INPUT;
    uint64_t now = lime_now_ms();
    int rc = SS_OK;
    json_object_object_foreach(obj, key, val)
    {
        const char *text = json_object_to_json_string_ext(
            val, JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE);
        if (ss_store_insert(ss->st, t, key, text ? text : "null", now) == SS_MERGE_REJECTED)
            rc = SS_ERR_INPUT;
    }
    long idx = ss_service_type_index(ss, t);
    if (idx >= 0)
        ss_service_type_changed(ss, (size_t)idx);
    return rc;
}

int ss_service_register(struct ss_service *ss, const char *type, const char *scope,
                        uint32_t interval_s, uint32_t ttl_s)
{
    if (!ss || !type || ss_store_register(ss->st, type, scope, ttl_s, interval_s) < 0)
        return SS_ERR_USAGE;
    if (ss_service_ensure_sched(ss) < 0)
        return SS_ERR_INTERNAL;
    long idx = ss_service_type_index(ss, ss_store_type(ss->st, type));
    if (idx >= 0)
        ss_service_arm_periodic(ss, (size_t)idx);
    if (ss->cfg.state_dir)
        ss_persist_save_types(ss->cfg.state_dir, ss->st);
    log_info("registered type %s (ttl %u s, interval %u s)", type, ttl_s, interval_s);
    return SS_OK;
}

int ss_service_sync(struct ss_service *ss, const char *type, const char **peers, size_t npeers,
                    ss_sync_done_cb done, void *arg)
{
    struct ss_type *t = ss && type && done ? ss_store_type(ss->st, type) : NULL;
    if (!t)
        return SS_ERR_TYPE;
    struct sockaddr_in6 addrs[256];
    size_t n = 0;
    if (npeers) {
        for (size_t i = 0; i < npeers && n < 256; i++)
            if (!peers[i] || ss_parse_addr(peers[i], ss->cfg.port, &addrs[n++]) < 0)
                return SS_ERR_USAGE;
    } else {
        n = ss_discover_list(ss->disc, addrs, 256);
        if (n > 256)
            n = 256;
    }
    long idx = ss_service_type_index(ss, t);
    struct sync_round *r = calloc(1, sizeof *r);
    if (!r || idx < 0) {
        free(r);
        return SS_ERR_INTERNAL;
    }
    r->done = done;
    r->arg = arg;
    r->total = (int)n;
    r->pending = (int)n + 1; /* +1 until every sync is started */
    for (size_t i = 0; i < n; i++) {
        struct peer *p = ss_service_peer(ss, &addrs[i]);
        if (!p) {
            r->failed++;
            r->pending--;
            continue;
        }
        ss_service_start_sync(ss, p, (size_t)idx, r);
    }
    if (--r->pending == 0) {
        done(arg, r->failed, r->total);
        free(r);
    }
    return SS_OK;
}

int ss_service_rename(struct ss_service *ss, const char *hostname)
{
    if (!ss || !hostname || !hostname[0])
        return SS_ERR_INPUT;
    char old[256];
    snprintf(old, sizeof old, "%s", ss_store_self(ss->st));
    if (!strcmp(old, hostname))
        return SS_OK;
    uint64_t now = lime_now_ms();
    for (size_t i = 0; i < ss_store_type_count(ss->st); i++) {
        struct ss_type *t = ss_store_type_at(ss->st, i);
        struct ss_entry *e = ss_type_find(t, old);
        if (e && !strcmp(e->author, old) && strcmp(e->data, "null")) {
            ss_store_insert(ss->st, t, old, "null", now);
            long idx = ss_service_type_index(ss, t);
            if (idx >= 0)
                ss_service_type_changed(ss, (size_t)idx);
        }
    }
    if (ss_store_set_self(ss->st, hostname) < 0)
        return SS_ERR_INTERNAL;
    log_info("renamed: %s -> %s (the old name's entries deleted)", old, hostname);
    ss_publish_renamed(ss->publish);
    if (ss->publish)
        ss_publish_tick(ss->publish, now);
    return SS_OK;
}

int ss_service_set_ap_ssid(struct ss_service *ss, const char *ap_ssid)
{
    if (!ss)
        return SS_ERR_INPUT;
    if (ss->publish) {
        ss_publish_set_ap_ssid(ss->publish, ap_ssid);
        ss_publish_tick(ss->publish, lime_now_ms());
    }
    return SS_OK;
}

void ss_service_publish_all(struct ss_service *ss)
{
    if (!ss)
        return;
    ss_publish_force(ss->publish);
    if (ss->publish)
        ss_publish_tick(ss->publish, lime_now_ms());
}

struct json_object *ss_service_neighbours(struct ss_service *ss)
{
    if (!ss)
        return json_object_new_array();
    struct sockaddr_in6 addrs[256];
    size_t n = ss_discover_list(ss->disc, addrs, 256);
    struct json_object *a = json_object_new_array();
    for (size_t i = 0; i < n && i < 256; i++) {
        char txt[96];
        ss_format_addr(&addrs[i], txt, sizeof txt);
        json_object_array_add(a, json_object_new_string(txt));
    }
    return a;
}

void ss_service_counters_foreach(struct ss_service *ss,
                                 void (*cb)(const char *name, uint64_t value, void *arg),
                                 void *arg)
{
    if (!ss)
        return;
    const struct ss_counters *k = ss_store_counters(ss->st);
#define C(f) cb(#f, k->f, arg)
    C(merged_new);
    C(merged_updated);
    C(merged_same);
    C(merged_older);
    C(rejected_own);
    C(rejected_ttl);
    C(capped_ttl);
    C(rejected_size);
    C(rejected_full);
    C(expired);
    C(local_inserts);
    C(frames_in);
    C(frames_out);
    C(frames_malformed);
    C(auth_failed);
    C(unknown_type);
    C(syncs_ok);
    C(syncs_failed);
    C(conns_accepted);
    C(conns_refused);
    C(conns_timed_out);
    C(bytes_in);
    C(bytes_out);
    C(hooks_run);
    C(hooks_failed);
#undef C
    size_t entries = 0;
    for (size_t i = 0; i < ss_store_type_count(ss->st); i++)
        entries += ss_store_type_at(ss->st, i)->n;
    cb("entries", entries, arg);
}
