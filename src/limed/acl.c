/* The ACL tables; see acl.h. Grants are "object.method" globs. */
#include "acl.h"

#include <string.h>

struct grant {
    int group;
    bool write; /* false: granted by the group's read section */
    const char *object, *method;
};

static const char *const group_names[LD_GRP_COUNT] = {"unauthenticated", "lime-app", "root"};

static const struct grant grants[] = {
    {LD_GRP_UNAUTHENTICATED, false, "session", "access"},
    {LD_GRP_UNAUTHENTICATED, false, "session", "login"},
    {LD_GRP_UNAUTHENTICATED, false, "pirania", "show_url"},
    {LD_GRP_UNAUTHENTICATED, false, "pirania", "get_portal_page_content"},

    /* public: read */
    {LD_GRP_LIME_APP, false, "session", "destroy"},
    {LD_GRP_LIME_APP, false, "system", "board"},
    {LD_GRP_LIME_APP, false, "system", "info"},
    {LD_GRP_LIME_APP, false, "lime-utils", "get_*"},
    {LD_GRP_LIME_APP, false, "lime-utils", "hotspot_wwan_get_status"},
    {LD_GRP_LIME_APP, false, "lime-metrics", "get_*"},
    {LD_GRP_LIME_APP, false, "lime-location", "get"},
    {LD_GRP_LIME_APP, false, "lime-location", "all_nodes_and_links"},
    {LD_GRP_LIME_APP, false, "lime-location", "nodes_and_links"},
    {LD_GRP_LIME_APP, false, "bat-hosts", "*"},
    {LD_GRP_LIME_APP, false, "iwinfo", "assoclist"},
    {LD_GRP_LIME_APP, false, "iwinfo", "devices"},
    {LD_GRP_LIME_APP, false, "iwinfo", "info"}, /* LiMe-C: channel, frequency, station count */
    {LD_GRP_LIME_APP, false, "wireless-service", "get_*"},
    {LD_GRP_LIME_APP, false, "lime-fbw", "status"},
    {LD_GRP_LIME_APP, false, "eupgrade", "is_new_version_available"},
    {LD_GRP_LIME_APP, false, "pirania", "get_portal_config"},
    {LD_GRP_LIME_APP, false, "shared-state-async", "get"},
    {LD_GRP_LIME_APP, false, "shared-state-async", "sync"},        /* v3 map refresh */
    {LD_GRP_LIME_APP, false, "shared-state-async", "publish_all"}, /* (own data only) */
    {LD_GRP_LIME_APP, false, "lime-mesh-upgrade", "get_node_status"},
    {LD_GRP_LIME_APP, false, "network-nodes", "get_nodes"},
    /* public: the writes upstream's app needs */
    {LD_GRP_LIME_APP, true, "lime-utils", "set_notes"},
    {LD_GRP_LIME_APP, true, "lime-location", "set"},
    {LD_GRP_LIME_APP, true, "lime-fbw", "dismiss"},

    /* admin */
    {LD_GRP_ROOT, false, "*", "*"},
    {LD_GRP_ROOT, true, "*", "*"},
};

unsigned ld_acl_group_mask(const char *name)
{
    if (!strcmp(name, "*"))
        return LD_GRP_ALL;
    for (int i = 0; i < LD_GRP_COUNT; i++)
        if (!strcmp(group_names[i], name))
            return 1u << i;
    return 0;
}

const char *ld_acl_group_name(int group)
{
    return group >= 0 && group < LD_GRP_COUNT ? group_names[group] : "?";
}

bool ld_acl_glob(const char *p, const char *s)
{
    for (; *p; p++, s++) {
        if (*p == '*') {
            while (p[1] == '*')
                p++;
            if (!p[1])
                return true;
            for (; *s; s++)
                if (ld_acl_glob(p + 1, s))
                    return true;
            return false;
        }
        if (*p != *s)
            return false;
    }
    return !*s;
}

bool ld_acl_allowed(unsigned read_groups, unsigned write_groups, const char *object,
                    const char *method)
{
    for (size_t i = 0; i < sizeof(grants) / sizeof(grants[0]); i++) {
        const struct grant *g = &grants[i];
        unsigned mask = g->write ? write_groups : read_groups;
        if ((mask & (1u << g->group)) && ld_acl_glob(g->object, object) &&
            ld_acl_glob(g->method, method))
            return true;
    }
    return false;
}

json_object *ld_acl_dump(unsigned read_groups, unsigned write_groups)
{
    json_object *out = json_object_new_object();
    json_object *ag = json_object_new_object();
    json_object *ubus = json_object_new_object();
    for (int i = 0; i < LD_GRP_COUNT; i++) {
        unsigned bit = 1u << i;
        if (!((read_groups | write_groups) & bit))
            continue;
        json_object *lv = json_object_new_array();
        if (read_groups & bit)
            json_object_array_add(lv, json_object_new_string("read"));
        if (write_groups & bit)
            json_object_array_add(lv, json_object_new_string("write"));
        json_object_object_add(ag, group_names[i], lv);
    }
    for (size_t i = 0; i < sizeof(grants) / sizeof(grants[0]); i++) {
        const struct grant *g = &grants[i];
        unsigned mask = g->write ? write_groups : read_groups;
        if (!(mask & (1u << g->group)))
            continue;
        json_object *list;
        if (!json_object_object_get_ex(ubus, g->object, &list)) {
            list = json_object_new_array();
            json_object_object_add(ubus, g->object, list);
        }
        bool dup = false;
        for (size_t j = 0; j < json_object_array_length(list); j++)
            if (!strcmp(json_object_get_string(json_object_array_get_idx(list, j)), g->method))
                dup = true;
        if (!dup)
            json_object_array_add(list, json_object_new_string(g->method));
    }
    json_object_object_add(out, "access-group", ag);
    json_object_object_add(out, "ubus", ubus);
    return out;
}
