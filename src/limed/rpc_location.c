/* ubus object "lime-location" (public; `set` is one of the public writes upstream's app
 * needs). The node's position is lime-node system.latitude/longitude, else the
 * community's (then default = true), else "FIXME" as upstream. */
#include "limed.h"
#include "rpc_objects.h"
#include "sharedstate.h"

#include "service.h"
#include "ucifile.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int loc_get(struct ld_call *c, json_object *args, json_object **out)
{
    char path[512], lat[64], lon[64];
    bool dflt = false;
    ld_path(c->ctx, "/etc/config/lime-node", path, sizeof(path));
    ld_uci_read_option(path, "system", "latitude", lat, sizeof(lat));
    ld_uci_read_option(path, "system", "longitude", lon, sizeof(lon));
    if (!lat[0] || !lon[0]) {
        dflt = true;
        ld_path(c->ctx, "/etc/config/lime-community", path, sizeof(path));
        ld_uci_read_option(path, "system", "latitude", lat, sizeof(lat));
        ld_uci_read_option(path, "system", "longitude", lon, sizeof(lon));
    }
    if (!lat[0] || !lon[0]) {
        strcpy(lat, "FIXME");
        strcpy(lon, "FIXME");
    }
    json_object *loc = json_object_new_object();
    json_object_object_add(loc, "lat", json_object_new_string(lat));
    json_object_object_add(loc, "lon", json_object_new_string(lon));
    *out = ld_app_ok();
    json_object_object_add(*out, "location", loc);
    json_object_object_add(*out, "default", json_object_new_boolean(dflt));
    return LD_UBUS_OK;
}

static bool coord_ok(const char *s, double limit)
{
    char *end;
    if (!s || !*s || strlen(s) > 20)
        return false;
    double v = strtod(s, &end);
    return !*end && v >= -limit && v <= limit;
}

static int loc_set(struct ld_call *c, json_object *args, json_object **out)
{
    const char *lat = ld_arg_str(args, "lat"), *lon = ld_arg_str(args, "lon");
    if (!coord_ok(lat, 90) || !coord_ok(lon, 180)) {
        *out = ld_app_error("latitude and longitude must be numbers (-90..90, -180..180)");
        return LD_UBUS_OK;
    }
    char path[512];
    struct ld_uci u;
    ld_path(c->ctx, "/etc/config/lime-node", path, sizeof(path));
    int r = ld_uci_load(path, &u, NULL, 0);
    if (r == 0 || r == -ENOENT) {
        ld_uci_set(&u, "lime", "system", "latitude", lat);
        ld_uci_set(&u, "lime", "system", "longitude", lon);
        r = ld_uci_save(&u, path);
    }
    ld_uci_free(&u);
    if (r < 0) {
        *out = ld_app_error("cannot save the location");
        return LD_UBUS_OK;
    }
    *out = ld_app_ok();
    json_object_object_add(*out, "lat", json_object_new_string(lat));
    json_object_object_add(*out, "lon", json_object_new_string(lon));
    return LD_UBUS_OK;
}

/* Every node's position and links: shared-state's nodes_and_links table in upstream's
 * shape {result: {host: {bleachTTL, author, data: {hostname, coordinates, macs, links}}}}
 * ({} without shared-state). */
static int loc_all(struct ld_call *c, json_object *args, json_object **out)
{
    json_object *result = json_object_new_object();
    struct ss_service *ss = ld_state_current();
    int err = 0;
    json_object *dump = ss ? ss_service_dump(ss, "nodes_and_links", &err) : NULL;
    for (size_t i = 0; dump && json_object_is_type(dump, json_type_array) &&
                       i < json_object_array_length(dump); i++) {
        json_object *e = json_object_array_get_idx(dump, i), *v, *ttl, *n, *data;
        const char *key = ld_arg_str(e, "key");
        if (!key || !json_object_object_get_ex(e, "value", &v) ||
            !json_object_object_get_ex(v, "mData", &data))
            continue;
        json_object *o = json_object_new_object();
        if (json_object_object_get_ex(v, "mTtl", &ttl) && json_object_object_get_ex(ttl, "xint64", &n))
            json_object_object_add(o, "bleachTTL", json_object_get(n));
        const char *author = ld_arg_str(v, "mAuthor");
        json_object_object_add(o, "author", json_object_new_string(author ? author : ""));
        json_object_object_add(o, "data", json_object_get(data));
        json_object_object_add(result, key, o);
    }
    json_object_put(dump);
    *out = json_object_new_object();
    json_object_object_add(*out, "result", result);
    return LD_UBUS_OK;
}

static const struct ld_method methods[] = {
    {"get", loc_get, ""},
    {"set", loc_set, "lat:string,lon:string"},
    {"all_nodes_and_links", loc_all, ""},
    {NULL, NULL, NULL},
};

const struct ld_object ld_obj_lime_location = {"lime-location", methods};
