/* ubus object "bat-hosts" (public): MAC → hostname/interface from ROOT/tmp/bat-hosts
 * ("<mac> <hostname>_<iface>" lines, the file upstream's shared-state-bat_hosts writes),
 * else from the shared-state table bat-hosts ({mac: "hostname_iface"}). */
#include "limed.h"
#include "rpc_bat_hosts.h"
#include "rpc_objects.h"
#include "sharedstate.h"

#include "service.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static json_object *bathost(const char *name_iface)
{
    char name[128];
    ld_strlcpy(name, name_iface, sizeof(name));
    char *us = strchr(name, '_');
    const char *iface = "";
    if (us) {
        *us = 0;
        iface = us + 1;
    }
    json_object *bh = json_object_new_object();
    json_object_object_add(bh, "hostname", json_object_new_string(name));
    json_object_object_add(bh, "iface", json_object_new_string(iface));
    return bh;
}

/* "hostname_iface" of mac into buf, or NULL. */
static const char *lookup(struct ld_ctx *ctx, const char *mac, char *buf, size_t len)
{
    char path[512];
    const char *found = NULL;
    char *data = lime_read_file(ld_path(ctx, "/tmp/bat-hosts", path, sizeof(path)), 1 << 20, NULL);
    for (char *save, *l = data ? strtok_r(data, "\n", &save) : NULL; l && !found;
         l = strtok_r(NULL, "\n", &save)) {
        char m[64], name[128];
        if (sscanf(l, "%63s %127s", m, name) == 2 && !strcasecmp(m, mac)) {
            ld_strlcpy(buf, name, len);
            found = buf;
        }
    }
    free(data);
    struct ss_service *ss = found ? NULL : ld_state_current();
    int err = 0;
    json_object *t = ss ? ss_service_get(ss, "bat-hosts", &err) : NULL;
    if (t && json_object_is_type(t, json_type_object)) {
        json_object_object_foreach(t, key, val) {
            if (!found && !strcasecmp(key, mac) && json_object_is_type(val, json_type_string)) {
                ld_strlcpy(buf, json_object_get_string(val), len);
                found = buf;
            }
        }
    }
    json_object_put(t);
    return found;
}

const char *ld_bathost_name(struct ld_ctx *ctx, const char *mac, char *buf, size_t len)
{
    if (!lookup(ctx, mac, buf, len))
        return NULL;
    char *us = strchr(buf, '_');
    if (us)
        *us = 0;
    return buf;
}

static int get_bathost(struct ld_call *c, json_object *args, json_object **out)
{
    const char *mac = ld_arg_str(args, "mac");
    char name[128];
    unsigned m[6];
    char end;
    if (!mac || strlen(mac) != 17 ||
        sscanf(mac, "%2x:%2x:%2x:%2x:%2x:%2x%c", &m[0], &m[1], &m[2], &m[3], &m[4], &m[5],
               &end) != 6) {
        *out = ld_app_error("invalid mac"); /* as upstream's bat-hosts */
        return LD_UBUS_OK;
    }
    if (lookup(c->ctx, mac, name, sizeof(name))) {
        *out = ld_app_ok();
        json_object_object_add(*out, "bathost", bathost(name));
    } else {
        *out = ld_app_error("no known host with this MAC address");
    }
    return LD_UBUS_OK;
}

static const struct ld_method methods[] = {
    {"get_bathost", get_bathost, "mac:string,outgoing_iface:string"},
    {NULL, NULL, NULL},
};

const struct ld_object ld_obj_bat_hosts = {"bat-hosts", methods};
