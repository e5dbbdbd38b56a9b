/* ubus object "shared-state-async": the shared-state tables (v3 app's mesh map).
 * Backed by the shared-state service in src/limed/state/ once it offers its API;
 * until then every table reads as empty (error 404, which the app tolerates) and
 * writes answer that the service is not running. */
#include "limed.h"
#include "rpc_objects.h"

#include <ctype.h>
#include <string.h>

static bool type_ok(const char *t)
{
    if (!t || !*t || strlen(t) > 64)
        return false;
    for (; *t; t++)
        if (!isalnum((unsigned char)*t) && *t != '_' && *t != '-')
            return false;
    return true;
}

static int ss_get(struct ld_call *c, json_object *args, json_object **out)
{
    if (!type_ok(ld_arg_str(args, "data_type")))
        return LD_UBUS_INVALID_ARGUMENT;
    *out = json_object_new_object();
    json_object_object_add(*out, "data", json_object_new_object());
    json_object_object_add(*out, "error", json_object_new_int(404));
    return LD_UBUS_OK;
}

static int ss_write(struct ld_call *c, json_object *args, json_object **out)
{
    *out = json_object_new_object();
    json_object_object_add(*out, "error", json_object_new_int(503));
    json_object_object_add(*out, "message", json_object_new_string("shared-state is not running"));
    return LD_UBUS_OK;
}

static const struct ld_method methods[] = {
    {"get", ss_get, "data_type:string"},
    {"insert", ss_write, "data_type:string,json:object"},
    {"sync", ss_write, "data_type:string,peers_ip:array"},
    {"publish_all", ss_write, ""},
    {NULL, NULL, NULL},
};

const struct ld_object ld_obj_shared_state = {"shared-state-async", methods};
