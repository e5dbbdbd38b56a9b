/* Hardware facts under --root (spec §2.2, §2.10): ROOT/etc/board.json (network roles,
 * swconfig switch ports) and SYSFS/class/net/<dev>/{address,uevent,dsa/tagging}; plus
 * lime-hwd-openwrt-wan, the hwd module that meshes over the WAN port. */
#include "ctx.h"

#include <dirent.h>
#include <errno.h>
#include <json-c/json.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "conf.h"
#include "fsutil.h"
#include "log.h"

static const char *json_str(json_object *o, const char *key)
{
    json_object *v;
    if (!o || !json_object_object_get_ex(o, key, &v) || !json_object_is_type(v, json_type_string))
        return NULL;
    return json_object_get_string(v);
}

static int board_load(struct plan_ctx *ctx)
{
    char path[PATH_MAX];
    plan_ctx_path(ctx, "/etc/board.json", path, sizeof path);
    size_t len;
    char *text = lime_read_file(path, 1u << 20, &len);
    if (!text) {
        if (errno == ENOENT) {
            log_info("%s: missing: no WAN detection, devices from sysfs only", path);
            return 0;
        }
        return plan_ctx_fail(ctx, "%s: %s", path, strerror(errno));
    }
    json_tokener *tok = json_tokener_new();
    json_object *board = json_tokener_parse_ex(tok, text, (int)len);
    enum json_tokener_error jerr = json_tokener_get_error(tok);
    size_t end = json_tokener_get_parse_end(tok);
    json_tokener_free(tok);
    if (!board || jerr != json_tokener_success) {
        /* file:line of where the tokenizer stopped; a truncated file ends "continue" */
        unsigned line = 1;
        for (size_t i = 0; i < end && i < len; i++)
            line += text[i] == '\n';
        free(text);
        json_object_put(board);
        return plan_ctx_fail(ctx, "%s:%u: invalid JSON (%s)", path, line,
                        jerr == json_tokener_continue ? "unexpected end of file"
                                                      : json_tokener_error_desc(jerr));
    }
    free(text);
    if (!json_object_is_type(board, json_type_object)) {
        json_object_put(board);
        return plan_ctx_fail(ctx, "%s:1: expected a JSON object (OpenWrt board.json)", path);
    }
    struct plan_hw_facts *hw = &ctx->hw;
    hw->have_board = true;
    json_object *net, *sw;
    if (json_object_object_get_ex(board, "network", &net) &&
        json_object_is_type(net, json_type_object)) {
        json_object_object_foreach(net, role, val)
        {
            if (hw->n_roles >= HW_MAX_ROLES || !json_object_is_type(val, json_type_object))
                continue;
            static const char *const strs[] = {"device", "protocol"};
            for (size_t k = 0; k < 2; k++) {
                json_object *v;
                if (json_object_object_get_ex(val, strs[k], &v) &&
                    !json_object_is_type(v, json_type_string)) {
                    int rc = plan_ctx_fail(ctx, "%s: network.%s.%s: expected a string", path, role,
                                      strs[k]);
                    json_object_put(board); /* after: role points into it */
                    return rc;
                }
            }
            struct plan_hw_role *r = &hw->roles[hw->n_roles++];
            memset(r, 0, sizeof *r);
            COPY(r->name, role);
            const char *s = json_str(val, "device");
            if (s)
                COPY(r->device, s);
            if ((s = json_str(val, "protocol")))
                COPY(r->protocol, s);
            json_object *ports;
            if (json_object_object_get_ex(val, "ports", &ports) &&
                json_object_is_type(ports, json_type_array)) {
                size_t n = json_object_array_length(ports);
                for (size_t i = 0; i < n && r->n_ports < HW_MAX_PORTS; i++) {
                    json_object *p = json_object_array_get_idx(ports, i);
                    if (json_object_is_type(p, json_type_string))
                        COPY(r->ports[r->n_ports++], json_object_get_string(p));
                }
            }
        }
    }
    if (json_object_object_get_ex(board, "switch", &sw) && json_object_is_type(sw, json_type_object)) {
        json_object_object_foreach(sw, swname, swval)
        {
            (void)swname;
            json_object *ports;
            if (!json_object_object_get_ex(swval, "ports", &ports) ||
                !json_object_is_type(ports, json_type_array))
                continue;
            size_t n = json_object_array_length(ports);
            for (size_t i = 0; i < n && hw->n_cpu_ports < HW_MAX_PORTS; i++) {
                const char *dev = json_str(json_object_array_get_idx(ports, i), "device");
                if (dev)
                    COPY(hw->cpu_ports[hw->n_cpu_ports++], dev);
            }
        }
    }
    json_object_put(board);
    return 0;
}

static int netdev_cmp(const void *a, const void *b)
{
    return strcmp(((const struct plan_hw_netdev *)a)->name, ((const struct plan_hw_netdev *)b)->name);
}

static void netdev_read(struct plan_ctx *ctx, struct plan_hw_netdev *d)
{
    char rel[PATH_MAX], path[PATH_MAX];
    snprintf(rel, sizeof rel, "/class/net/%s/address", d->name);
    char *text = lime_read_file(plan_ctx_sys_path(ctx, rel, path, sizeof path), 4096, NULL);
    if (text) {
        text[strcspn(text, "\r\n")] = '\0';
        d->has_mac = lime_mac_parse(text, d->mac) == 0;
        free(text);
    }
    snprintf(rel, sizeof rel, "/class/net/%s/uevent", d->name);
    text = lime_read_file(plan_ctx_sys_path(ctx, rel, path, sizeof path), 65536, NULL);
    if (text) {
        for (char *line = strtok(text, "\n"); line; line = strtok(NULL, "\n"))
            if (!strcmp(line, "DEVTYPE=dsa"))
                d->dsa = true;
        free(text);
    }
    struct stat st;
    snprintf(rel, sizeof rel, "/class/net/%s/dsa/tagging", d->name);
    d->dsa_conduit = stat(plan_ctx_sys_path(ctx, rel, path, sizeof path), &st) == 0 && S_ISREG(st.st_mode);
}

static int sysfs_scan(struct plan_ctx *ctx)
{
    char path[PATH_MAX];
    DIR *dir = opendir(plan_ctx_sys_path(ctx, "/class/net", path, sizeof path));
    if (!dir)
        return 0; /* no sysfs: no devices */
    struct dirent *de;
    struct plan_hw_facts *hw = &ctx->hw;
    while ((de = readdir(dir))) {
        if (de->d_name[0] == '.')
            continue;
        if (hw->n_netdevs >= HW_MAX_NETDEVS) {
            log_warn("more than %d net devices, ignoring %s", HW_MAX_NETDEVS, de->d_name);
            continue;
        }
        struct plan_hw_netdev *d = &hw->netdevs[hw->n_netdevs];
        memset(d, 0, sizeof *d);
        if (COPY(d->name, de->d_name) < 0)
            continue;
        hw->n_netdevs++;
    }
    closedir(dir);
    qsort(hw->netdevs, (size_t)hw->n_netdevs, sizeof hw->netdevs[0], netdev_cmp);
    for (int i = 0; i < hw->n_netdevs; i++)
        netdev_read(ctx, &hw->netdevs[i]);
    return 0;
}

int plan_hw_scan(struct plan_ctx *ctx)
{
    memset(&ctx->hw, 0, sizeof ctx->hw);
    if (board_load(ctx) < 0)
        return -1;
    return sysfs_scan(ctx);
}

const struct plan_hw_netdev *plan_hw_netdev(const struct plan_ctx *ctx, const char *name)
{
    for (int i = 0; i < ctx->hw.n_netdevs; i++)
        if (!strcmp(ctx->hw.netdevs[i].name, name))
            return &ctx->hw.netdevs[i];
    return NULL;
}

const struct plan_hw_role *plan_hw_role(const struct plan_ctx *ctx, const char *name)
{
    for (int i = 0; i < ctx->hw.n_roles; i++)
        if (!strcmp(ctx->hw.roles[i].name, name))
            return &ctx->hw.roles[i];
    return NULL;
}

/* primary_interface_from_board_by_role: device, else ports[1]. */
static const char *board_role_ifname(const struct plan_hw_role *r)
{
    if (!r)
        return NULL;
    if (r->device[0])
        return r->device;
    return r->n_ports ? r->ports[0] : NULL;
}

int plan_hw_primary_interface(struct plan_ctx *ctx, const char *configured, char *out, size_t len,
                         bool *fell_back)
{
    const char *ifname = configured && configured[0] ? configured : "eth0";
    *fell_back = false;
    if (strcmp(ifname, "auto") && !plan_hw_netdev(ctx, ifname)) {
        log_info("network.primary_interface %s does not exist, falling back to auto", ifname);
        ifname = "auto";
        *fell_back = true;
    }
    if (!strcmp(ifname, "auto")) {
        ifname = board_role_ifname(plan_hw_role(ctx, "lan"));
        for (int i = 0; (!ifname || !ifname[0]) && i < ctx->hw.n_roles; i++)
            if (strcmp(ctx->hw.roles[i].name, "lan"))
                ifname = board_role_ifname(&ctx->hw.roles[i]);
    }
    if (!ifname || !ifname[0])
        return plan_ctx_fail(ctx, "network.primary_interface: could not determine the primary "
                             "interface (none in board.json)");
    if (!plan_hw_netdev(ctx, ifname))
        return plan_ctx_fail(ctx, "network.primary_interface: %s does not exist under %s/class/net",
                        ifname, ctx->sysfs);
    return plan_copy_str(out, len, ifname) < 0 ? plan_ctx_fail(ctx, "interface name too long") : 0;
}

/* config.autogenerable(s): missing, or autogenerated=true. */
static bool autogenerable(const struct lime_uci_package *conf, const char *name)
{
    const struct lime_uci_section *s = lime_uci_section_get(conf, name);
    if (!s)
        return true;
    const struct lime_uci_option *o = lime_uci_option_get(s, "autogenerated");
    return o && lime_conf_is_true(lime_uci_option_value(o));
}

int plan_hwd_openwrt_wan(struct plan_ctx *ctx)
{
    static const char sec[] = "lm_hwd_openwrt_wan";
    if (autogenerable(ctx->conf, sec))
        lime_uci_section_delete(ctx->conf, sec); /* clean() */
    if (!autogenerable(ctx->conf, sec))
        return 0;
    const struct plan_hw_role *wan = plan_hw_role(ctx, "wan");
    if (!wan || !wan->device[0])
        return 0;
    const char *const *protos;
    size_t n = plan_cfg_list(ctx, "network", "protocols", &protos);
    const char *list[PLAN_MAX_PROTOCOLS + 1];
    char bmx[PLAN_MAX_PROTOCOLS][PLAN_SECTION_MAX];
    size_t m = 0;
    for (size_t i = 0; i < n && m < PLAN_MAX_PROTOCOLS; i++) {
        struct plan_proto_args a;
        plan_proto_parse(protos[i], &a);
        if (!strcmp(a.name, "lan") || !strcmp(a.name, "wan"))
            continue;
        if (!strcmp(a.name, "bmx7")) { /* bmx7 on the WAN port runs without a VLAN */
            snprintf(bmx[m], sizeof bmx[m], "bmx7:0");
            list[m] = bmx[m];
            m++;
            continue;
        }
        list[m++] = protos[i];
    }
    list[m++] = "wan";
    struct lime_uci_section *s = lime_uci_section_set(ctx->conf, sec, "net");
    if (!s || lime_uci_sec_set(s, "autogenerated", "true") < 0 ||
        lime_uci_sec_set(s, "linux_name", wan->device) < 0 ||
        lime_uci_sec_set_list(s, "protocols", list, m) < 0)
        return plan_ctx_fail(ctx, "lime-autogen: cannot write %s", sec);
    log_info("hwd openwrt_wan: meshing on WAN port %s", wan->device);
    return 0;
}
