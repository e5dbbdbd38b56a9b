/* Saving and reloading tables (see persist.h). */
#include "persist.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <json-c/json.h>

#include "fsutil.h"
#include "log.h"
#include "uci.h"
#include "slice.h"

int ss_persist_save_type(const char *dir, struct ss_type *t, uint64_t now_ms)
{
    if (lime_mkdir_p(dir, 0755) < 0)
        return -1;
    size_t len, count;
    int trunc;
    char *json = ss_slice_encode(t, 0, 0, 0, now_ms, SIZE_MAX / 2, &len, &count, &trunc);
    if (!json)
        return -1;
    char head[64];
    int hl = snprintf(head, sizeof head, "{\"savedAt\":%lld,", (long long)time(NULL));
    struct lime_strbuf b = {0};
    lime_strbuf_put(&b, head, (size_t)hl);
    lime_strbuf_put(&b, json + 1, len - 1);
    lime_strbuf_put(&b, "\n", 1);
    free(json);
    char path[PATH_MAX];
    snprintf(path, sizeof path, "%s/%s.json", dir, t->name);
    int r = b.oom ? -ENOMEM : lime_write_file_atomic(path, b.p, b.len, 0644);
    lime_strbuf_free(&b);
    if (r < 0)
        log_warn("%s: cannot save: %s", path, strerror(-r));
    return r;
}

int ss_persist_save_types(const char *dir, struct ss_store *st)
{
    if (lime_mkdir_p(dir, 0755) < 0)
        return -1;
    struct lime_strbuf b = {0};
    lime_strbuf_puts(&b, "{\"mTypeConf\":[");
    for (size_t i = 0; i < ss_store_type_count(st); i++) {
        struct ss_type *t = ss_store_type_at(st, i);
        char num[128];
        if (i)
            lime_strbuf_puts(&b, ",");
        lime_strbuf_puts(&b, "{\"key\":");
        ss_buf_json_string(&b, t->name);
        lime_strbuf_puts(&b, ",\"value\":{\"mName\":");
        ss_buf_json_string(&b, t->name);
        lime_strbuf_puts(&b, ",\"mScope\":");
        ss_buf_json_string(&b, t->scope);
        snprintf(num, sizeof num, ",\"mUpdateInterval\":%u,\"mBleachTTL\":%u}}", t->interval_s,
                 t->ttl_s);
        lime_strbuf_puts(&b, num);
    }
    lime_strbuf_puts(&b, "]}\n");
    char path[PATH_MAX];
    snprintf(path, sizeof path, "%s/types.json", dir);
    int r = b.oom ? -ENOMEM : lime_write_file_atomic(path, b.p, b.len, 0644);
    lime_strbuf_free(&b);
    return r;
}

static void load_types(const char *dir, struct ss_store *st)
{
    char path[PATH_MAX];
    snprintf(path, sizeof path, "%s/types.json", dir);
    size_t len;
    char *text = lime_read_file(path, 0, &len);
    if (!text)
        return;
    struct json_object *root = json_tokener_parse(text), *arr;
    free(text);
    if (!root || !json_object_object_get_ex(root, "mTypeConf", &arr) ||
        !json_object_is_type(arr, json_type_array)) {
        log_warn("%s:1: expected {\"mTypeConf\":[...]}; ignored", path);
        json_object_put(root);
        return;
    }
    for (size_t i = 0; i < json_object_array_length(arr); i++) {
        struct json_object *v, *name, *scope = NULL, *iv, *ttl;
        struct json_object *el = json_object_array_get_idx(arr, i);
        if (!json_object_object_get_ex(el, "value", &v) ||
            !json_object_object_get_ex(v, "mName", &name) ||
            !json_object_object_get_ex(v, "mUpdateInterval", &iv) ||
            !json_object_object_get_ex(v, "mBleachTTL", &ttl)) {
            log_warn("%s: type %zu: expected mName, mUpdateInterval, mBleachTTL; skipped", path, i);
            continue;
        }
        json_object_object_get_ex(v, "mScope", &scope);
        int64_t ivs = json_object_get_int64(iv), ttls = json_object_get_int64(ttl);
        if (ivs <= 0 || ttls <= 0 || ivs > UINT32_MAX || ttls > UINT32_MAX ||
            ss_store_register(st, json_object_get_string(name),
                              scope ? json_object_get_string(scope) : NULL, (uint32_t)ttls,
                              (uint32_t)ivs) < 0)
            log_warn("%s: type %zu: bad name, interval or ttl; skipped", path, i);
    }
    json_object_put(root);
}

int ss_persist_load(const char *dir, struct ss_store *st, uint64_t now_ms)
{
    load_types(dir, st);
    int loaded = 0;
    time_t now = time(NULL);
    for (size_t i = 0; i < ss_store_type_count(st); i++) {
        struct ss_type *t = ss_store_type_at(st, i);
        char path[PATH_MAX];
        snprintf(path, sizeof path, "%s/%s.json", dir, t->name);
        size_t len;
        char *text = lime_read_file(path, 0, &len);
        if (!text)
            continue;
        struct ss_slice s;
        char err[160];
        if (ss_slice_parse(text, len, &s, err, sizeof err) < 0) {
            log_warn("%s: %s; not loaded", path, err);
            free(text);
            continue;
        }
        int64_t age = 0;
        struct json_object *saved;
        if (json_object_object_get_ex(s.root, "savedAt", &saved)) {
            int64_t at = json_object_get_int64(saved);
            if (at > 0 && at <= now)
                age = now - at;
        }
        for (size_t j = 0; j < s.n; j++) {
            struct ss_copy c = s.copies[j];
            c.ttl_s -= age;
            enum ss_merge_outcome o = ss_store_merge(st, t, &c, false, now_ms);
            if (o == SS_MERGE_NEW || o == SS_MERGE_UPDATED)
                loaded++;
        }
        ss_slice_free(&s);
        free(text);
    }
    return loaded;
}

static int uci_u32(const struct lime_uci_section *sec, const char *name, uint32_t *out)
{
    struct lime_uci_option *o = lime_uci_option_get(sec, name);
    const char *v = o ? lime_uci_option_value(o) : NULL;
    char *end;
    if (!v)
        return -1;
    errno = 0;
    unsigned long n = strtoul(v, &end, 10);
    if (errno || end == v || *end || n == 0 || n > UINT32_MAX)
        return -1;
    *out = (uint32_t)n;
    return 0;
}

int ss_load_uci_types(const char *path, struct ss_store *st)
{
    struct lime_uci_error err;
    struct lime_uci_package *pkg = lime_uci_load(path, &err);
    if (!pkg) {
        char msg[300];
        log_warn("%s", lime_uci_error_format(&err, msg, sizeof msg));
        return -1;
    }
    int n = 0;
    struct lime_uci_section *sec;
    lime_uci_foreach_section(pkg, "dataType", sec)
    {
        struct lime_uci_option *name = lime_uci_option_get(sec, "name");
        struct lime_uci_option *scope = lime_uci_option_get(sec, "scope");
        uint32_t ttl, iv;
        const char *nm = name ? lime_uci_option_value(name) : NULL;
        if (!nm || uci_u32(sec, "ttl", &ttl) < 0 || uci_u32(sec, "update_interval", &iv) < 0 ||
            ss_store_register(st, nm, scope ? lime_uci_option_value(scope) : NULL, ttl, iv) < 0) {
            log_warn("%s: dataType '%s': expected name (1-128 chars), positive ttl and "
                     "update_interval; skipped",
                     path, lime_uci_section_name(sec));
            continue;
        }
        n++;
    }
    lime_uci_free(pkg);
    return n;
}
