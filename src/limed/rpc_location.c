/* ubus object "lime-location" (public; `set` is one of the public writes upstream's app
 * needs). The node's position is lime-node system.latitude/longitude, else the
 * community's (then default = true), else "FIXME" as upstream. */
#include "limed.h"
#include "rpc_objects.h"
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

/* Other nodes' positions would come from shared-state; wrapped in `result` as the
 * upstream backend does. */
static int loc_all(struct ld_call *c, json_object *args, json_object **out)
{
    *out = json_object_new_object();
    json_object_object_add(*out, "result", json_object_new_object());
    return LD_UBUS_OK;
}

static const struct ld_method methods[] = {
    {"get", loc_get, ""},
    {"set", loc_set, "lat:string,lon:string"},
    {"all_nodes_and_links", loc_all, ""},
    {NULL, NULL, NULL},
};

const struct ld_object ld_obj_lime_location = {"lime-location", methods};
