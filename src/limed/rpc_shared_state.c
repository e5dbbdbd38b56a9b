/* ubus object "shared-state-async": the shared-state tables (v3 app's mesh map), through
 * the service limed runs (sharedstate.h). get answers {data, error}: error 0 with the
 * table, 404 when the table is empty or unknown (the app tolerates 404). Without the
 * service every table reads as 404 and writes answer 503. sync is started and answered
 * at once ({error:0}); its outcome shows in the next get. insert is root-only in limed
 * (upstream lets the public group write any table; see docs/differences.md). */
#include "limed.h"
#include "rpc_objects.h"
#include "sharedstate.h"

#include <ctype.h>
#include <string.h>

#include "service.h"

static bool type_ok(const char *t)
{
    if (!t || !*t || strlen(t) > 64)
        return false;
    for (; *t; t++)
        if (!isalnum((unsigned char)*t) && *t != '_' && *t != '-')
            return false;
    return true;
}

static json_object *reply(json_object *data, int error)
{
    json_object *o = json_object_new_object();
    if (data)
        json_object_object_add(o, "data", data);
    json_object_object_add(o, "error", json_object_new_int(error));
    if (error == 503)
        json_object_object_add(o, "message", json_object_new_string("shared-state is not running"));
    return o;
}

static int ss_get(struct ld_call *c, json_object *args, json_object **out)
{
    const char *type = ld_arg_str(args, "data_type");
    if (!type_ok(type))
        return LD_UBUS_INVALID_ARGUMENT;
    json_object *data = NULL;
    struct ss_service *ss = ld_state_current();
    int err = 0;
    if (ss)
        data = ss_service_get(ss, type, &err);
    if (data && json_object_is_type(data, json_type_object) && json_object_object_length(data)) {
        *out = reply(data, 0);
    } else {
        json_object_put(data);
        *out = reply(json_object_new_object(), 404);
    }
    return LD_UBUS_OK;
}

static int ss_insert(struct ld_call *c, json_object *args, json_object **out)
{
    const char *type = ld_arg_str(args, "data_type");
    json_object *obj;
    if (!type_ok(type) || !json_object_object_get_ex(args, "json", &obj) ||
        !json_object_is_type(obj, json_type_object))
        return LD_UBUS_INVALID_ARGUMENT;
    struct ss_service *ss = ld_state_current();
    if (ss) {
        *out = reply(NULL, ss_service_insert(ss, type, obj));
        return LD_UBUS_OK;
    }
    *out = reply(NULL, 503);
    return LD_UBUS_OK;
}

static void sync_done(void *arg, int failed, int total)
{
}

/* {data_type, peers_ip:[ip...]} (peers optional: the current neighbours). */
static int ss_sync(struct ld_call *c, json_object *args, json_object **out)
{
    const char *type = ld_arg_str(args, "data_type");
    json_object *jp = NULL;
    if (!type_ok(type))
        return LD_UBUS_INVALID_ARGUMENT;
    json_object_object_get_ex(args, "peers_ip", &jp);
    if (jp && !json_object_is_type(jp, json_type_array))
        return LD_UBUS_INVALID_ARGUMENT;
    const char *peers[16];
    size_t n = 0;
    for (size_t i = 0; jp && i < json_object_array_length(jp) && n < 16; i++) {
        json_object *p = json_object_array_get_idx(jp, i);
        if (!json_object_is_type(p, json_type_string) || json_object_get_string_len(p) > 63)
            return LD_UBUS_INVALID_ARGUMENT;
        peers[n++] = json_object_get_string(p);
    }
    struct ss_service *ss = ld_state_current();
    if (ss) {
        *out = reply(NULL, ss_service_sync(ss, type, n ? peers : NULL, n, sync_done, NULL));
        return LD_UBUS_OK;
    }
    (void)peers;
    *out = reply(NULL, 503);
    return LD_UBUS_OK;
}

/* Runs every built-in publisher now (node_info, bat-hosts, links, ...); the service then
 * syncs the changes with its neighbours. */
static int ss_publish_all(struct ld_call *c, json_object *args, json_object **out)
{
    struct ss_service *ss = ld_state_current();
    if (ss) {
        ss_service_publish_all(ss);
        *out = reply(NULL, 0);
        return LD_UBUS_OK;
    }
    *out = reply(NULL, 503);
    return LD_UBUS_OK;
}

static const struct ld_method methods[] = {
    {"get", ss_get, "data_type:string"},
    {"insert", ss_insert, "data_type:string,json:object"},
    {"sync", ss_sync, "data_type:string,peers_ip:array"},
    {"publish_all", ss_publish_all, ""},
    {NULL, NULL, NULL},
};

const struct ld_object ld_obj_shared_state = {"shared-state-async", methods};
