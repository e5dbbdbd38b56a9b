/* ubus object "bat-hosts" (public): MAC → hostname/interface from ROOT/tmp/bat-hosts
 * ("<mac> <hostname>_<iface>" lines, the file upstream's shared-state-bat_hosts writes). */
#include "limed.h"
#include "rpc_objects.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static int get_bathost(struct ld_call *c, json_object *args, json_object **out)
{
    const char *mac = ld_arg_str(args, "mac");
    if (!mac)
        return LD_UBUS_INVALID_ARGUMENT;
    char path[512];
    char *data = ld_read_file(ld_path(c->ctx, "/tmp/bat-hosts", path, sizeof(path)), 1 << 20, NULL);
    for (char *save, *l = data ? strtok_r(data, "\n", &save) : NULL; l;
         l = strtok_r(NULL, "\n", &save)) {
        char m[64], name[128];
        if (sscanf(l, "%63s %127s", m, name) != 2 || strcasecmp(m, mac))
            continue;
        char *us = strchr(name, '_');
        const char *iface = "";
        if (us) {
            *us = 0;
            iface = us + 1;
        }
        json_object *bh = json_object_new_object();
        json_object_object_add(bh, "hostname", json_object_new_string(name));
        json_object_object_add(bh, "iface", json_object_new_string(iface));
        *out = ld_app_ok();
        json_object_object_add(*out, "bathost", bh);
        free(data);
        return LD_UBUS_OK;
    }
    free(data);
    *out = ld_app_error("no known host with this MAC address");
    return LD_UBUS_OK;
}

static const struct ld_method methods[] = {
    {"get_bathost", get_bathost, "mac:string,outgoing_iface:string"},
    {NULL, NULL, NULL},
};

const struct ld_object ld_obj_bat_hosts = {"bat-hosts", methods};
