/* ubus object "system" (procd): board, info, reboot. Facts from ROOT/etc/board.json,
 * the node's config and the running kernel. */
#include "pending.h"
#include "limed.h"
#include "rpc_objects.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/sysinfo.h>
#include <sys/utsname.h>
#include <time.h>

static json_object *board_json(struct ld_ctx *ctx)
{
    char path[512];
    return json_object_from_file(ld_path(ctx, "/etc/board.json", path, sizeof(path)));
}

static const char *get_str(json_object *o, const char *a, const char *b)
{
    json_object *x;
    if (!o || !json_object_object_get_ex(o, a, &x))
        return NULL;
    if (b && !json_object_object_get_ex(x, b, &x))
        return NULL;
    return json_object_is_type(x, json_type_string) ? json_object_get_string(x) : NULL;
}

static int sys_board(struct ld_call *c, json_object *args, json_object **out)
{
    struct utsname u;
    uname(&u);
    char host[128];
    ld_rpc_hostname(c->ctx, host, sizeof(host));
    json_object *bj = board_json(c->ctx);
    const char *model = get_str(bj, "model", "name");
    const char *board = get_str(bj, "model", "id");
    json_object *o = json_object_new_object();
    json_object_object_add(o, "kernel", json_object_new_string(u.release));
    json_object_object_add(o, "hostname", json_object_new_string(host));
    json_object_object_add(o, "system", json_object_new_string(u.machine));
    json_object_object_add(o, "model", json_object_new_string(model ? model : "Generic Linux"));
    json_object_object_add(o, "board_name", json_object_new_string(board ? board : "generic"));
    json_object *rel = json_object_new_object();
    json_object_object_add(rel, "distribution", json_object_new_string("LiMe-C"));
    json_object_object_add(rel, "version", json_object_new_string(LIMED_VERSION));
    json_object_object_add(rel, "revision", json_object_new_string(LIMED_VERSION));
    json_object_object_add(rel, "target", json_object_new_string(u.machine));
    json_object_object_add(rel, "description",
                           json_object_new_string("LiMe-C " LIMED_VERSION));
    json_object_object_add(o, "release", rel);
    json_object_put(bj);
    *out = o;
    return LD_UBUS_OK;
}

static int sys_info(struct ld_call *c, json_object *args, json_object **out)
{
    struct sysinfo si;
    if (sysinfo(&si) < 0)
        return LD_UBUS_UNKNOWN_ERROR;
    json_object *o = json_object_new_object();
    json_object_object_add(o, "localtime", json_object_new_int64((int64_t)time(NULL)));
    json_object_object_add(o, "uptime", json_object_new_int64((int64_t)ld_uptime(c->ctx))); /* the node's own */
    json_object *load = json_object_new_array();
    for (int i = 0; i < 3; i++)
        json_object_array_add(load, json_object_new_int64((int64_t)si.loads[i]));
    json_object_object_add(o, "load", load);
    json_object *mem = json_object_new_object();
    json_object_object_add(mem, "total", json_object_new_int64((int64_t)si.totalram * si.mem_unit));
    json_object_object_add(mem, "free", json_object_new_int64((int64_t)si.freeram * si.mem_unit));
    json_object_object_add(mem, "shared",
                           json_object_new_int64((int64_t)si.sharedram * si.mem_unit));
    json_object_object_add(mem, "buffered",
                           json_object_new_int64((int64_t)si.bufferram * si.mem_unit));
    json_object_object_add(o, "memory", mem);
    json_object *swap = json_object_new_object();
    json_object_object_add(swap, "total", json_object_new_int64((int64_t)si.totalswap * si.mem_unit));
    json_object_object_add(swap, "free", json_object_new_int64((int64_t)si.freeswap * si.mem_unit));
    json_object_object_add(o, "swap", swap);
    *out = o;
    return LD_UBUS_OK;
}

/* LiMe-App applies staged settings (node name, Wi-Fi password, roaming AP) by asking
 * for a reboot, as upstream needs one. LiMe-C brings the running node to its new
 * configuration without rebooting: reboot applies the pending changes the way
 * lime-utils-admin.apply does (lime-config, then lime-apply on the linux backend;
 * restored when that fails, see apply.h) and answers at once, as procd does before it
 * reboots. Nothing pending, or an apply already running: nothing more to do. The
 * machine itself is never rebooted by limed. */
static int sys_reboot(struct ld_call *c, json_object *args, json_object **out)
{
    char msg[512] = "";
    int r = ld_pending_apply(c->ctx, msg, sizeof(msg));
    if (r < 0 && r != -ENODATA && r != -EBUSY) {
        *out = ld_app_error(msg[0] ? msg : "the changes could not be applied");
        return LD_UBUS_OK;
    }
    return LD_UBUS_OK;
}

static const struct ld_method methods[] = {
    {"board", sys_board, ""},
    {"info", sys_info, ""},
    {"reboot", sys_reboot, ""},
    {NULL, NULL, NULL},
};

const struct ld_object ld_obj_system = {"system", methods};
