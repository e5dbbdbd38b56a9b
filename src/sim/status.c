#include "status.h"

#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>

#include "addr.h"
#include "client.h"
#include "netid.h"
#include "node.h"
#include "phone.h"
#include "procs.h"
#include "radio.h"
#include "spawn.h"
#include "world.h"
#include "fsutil.h"

static json_object *routes_of(const char *ns, char *deflt, size_t dlen)
{
    char *argv[] = {"ip", "-j", "-4", "route", "show", NULL};
    json_object *out = json_object_new_array();
    deflt[0] = 0;
    char *text = sim_capture(ns, argv);
    if (!text)
        return out;
    json_object *arr = json_tokener_parse(text);
    free(text);
    if (!arr || !json_object_is_type(arr, json_type_array)) {
        json_object_put(arr);
        return out;
    }
    for (size_t i = 0; i < json_object_array_length(arr); i++) {
        json_object *r = json_object_array_get_idx(arr, i), *v, *o = json_object_new_object();
        const char *keys[][2] = {{"dst", "dst"}, {"gateway", "via"}, {"dev", "dev"}, {"protocol", "proto"}};
        for (int k = 0; k < 4; k++)
            if (json_object_object_get_ex(r, keys[k][0], &v))
                json_object_object_add(o, keys[k][1], json_object_new_string(json_object_get_string(v)));
        if (json_object_object_get_ex(r, "dst", &v) && strcmp(json_object_get_string(v), "default") == 0 &&
            !deflt[0]) {
            json_object *via = NULL, *dev = NULL, *proto = NULL;
            json_object_object_get_ex(r, "gateway", &via);
            json_object_object_get_ex(r, "dev", &dev);
            json_object_object_get_ex(r, "protocol", &proto);
            snprintf(deflt, dlen, "via %s dev %s proto %s", via ? json_object_get_string(via) : "-",
                     dev ? json_object_get_string(dev) : "-", proto ? json_object_get_string(proto) : "-");
        }
        json_object_array_add(out, o);
    }
    json_object_put(arr);
    return out;
}

int sim_status(const struct sim_state *st, int as_json)
{
    json_object *root = json_object_new_object(), *nodes = json_object_new_array(),
                *links = json_object_new_array(), *clients = json_object_new_array();
    /* Kernel mode runs this inside the guest, where the agent sets LIME_SIM_MODE=kernel. */
    const char *mode = getenv("LIME_SIM_MODE");
    struct utsname u;
    mode = mode && !strcmp(mode, "kernel") ? "kernel" : "veth";
    uname(&u);
    json_object_object_add(root, "mode", json_object_new_string(mode));
    json_object_object_add(root, "kernel", json_object_new_string(u.release));
    json_object_object_add(root, "nodes_dir", json_object_new_string(st->nodes_dir));
    json_object_object_add(root, "wifi", json_object_new_boolean(st->wifi));
    static const char *const daemons[] = {"limed", "batd", "babeld", "dnsmasq", "udhcpc", "hostapd",
                                          "wpa_supplicant"};
    for (int i = 0; i < st->n_nodes; i++) {
        const struct sim_node *n = &st->nodes[i];
        struct sim_cloud c;
        char ns[64], ip4[16], deflt[160], root_dir[300];
        sim_cloud_of(n->ssid, &c);
        sim_node_ns(st, i, ns);
        sim_node_ipv4(&c, i, ip4);
        sim_node_root(st, i, root_dir);
        json_object *o = json_object_new_object(), *run = json_object_new_array();
        json_object_object_add(o, "name", json_object_new_string(n->name));
        json_object_object_add(o, "namespace", json_object_new_string(ns));
        json_object_object_add(o, "root", json_object_new_string(root_dir));
        json_object_object_add(o, "ssid", json_object_new_string(n->ssid));
        json_object_object_add(o, "cloud_prefix", json_object_new_string(c.prefix4));
        json_object_object_add(o, "anygw", json_object_new_string(c.anygw4));
        json_object_object_add(o, "batman_vlan", json_object_new_int(c.vlan));
        json_object_object_add(o, "ipv4", json_object_new_string(ip4));
        json_object_object_add(o, "gateway", json_object_new_boolean(n->gateway));
        if (n->prefer_gw[0])
            json_object_object_add(o, "preferred_gateway", json_object_new_string(n->prefer_gw));
        json_object_object_add(o, "stopped", json_object_new_boolean(n->stopped));
        for (int k = 0; k < 7; k++)
            if (sim_ns_find(ns, daemons[k]) > 0)
                json_object_array_add(run, json_object_new_string(daemons[k]));
        json_object_object_add(o, "running", run);
        /* The node's init: is its world up, and how often did it start limed again. */
        json_object_object_add(o, "world", json_object_new_boolean(sim_world_pid(st, i) > 0));
        char rec[400];
        snprintf(rec, sizeof(rec), "%s/var/run/lime-sim-init", root_dir);
        char *record = lime_read_file(rec, 4096, NULL);
        const char *starts = record ? strstr(record, "limed_starts ") : NULL;
        int n_starts = starts ? atoi(starts + 13) : 0;
        json_object_object_add(o, "limed_restarts", json_object_new_int(n_starts > 1 ? n_starts - 1 : 0));
        free(record);
        if (n->gateway) {
            /* The WAN address the internet namespace leased (what /whoami answers). */
            char path[200], text[256] = "", wan[32] = "";
            snprintf(path, sizeof(path), "%s/leases/%s.eth2", sim_run_dir(), ns);
            FILE *f = fopen(path, "r");
            if (f) {
                size_t len = fread(text, 1, sizeof(text) - 1, f);
                text[len] = 0;
                fclose(f);
                sscanf(text, "ip=%31s", wan);
            }
            json_object_object_add(o, "wan_ipv4", json_object_new_string(wan));
        }
        if (st->wifi) {
            json_object *w = sim_radio_status(st, ns);
            json_object_object_add(o, "wifi", w ? w : json_object_new_array());
        }
        json_object *routes = routes_of(ns, deflt, sizeof(deflt));
        json_object_object_add(o, "default_route", json_object_new_string(deflt));
        json_object_object_add(o, "routes", routes);
        json_object_array_add(nodes, o);
    }
    for (int k = 0; k < st->n_links; k++) {
        const struct sim_link *l = &st->links[k];
        json_object *o = json_object_new_object();
        json_object_object_add(o, "a", json_object_new_string(st->nodes[l->a].name));
        json_object_object_add(o, "b", json_object_new_string(st->nodes[l->b].name));
        json_object_object_add(o, "up", json_object_new_boolean(!l->down));
        json_object_object_add(o, "loss", json_object_new_int(l->loss_pct));
        json_object_array_add(links, o);
    }
    for (int k = 0; k < st->n_clients; k++) {
        const struct sim_client *cl = &st->clients[k];
        char ns[64], ip[16], gw[16];
        sim_client_ns(cl, ns);
        sim_client_lease(cl, ip, gw);
        json_object *o = json_object_new_object();
        json_object_object_add(o, "name", json_object_new_string(cl->name));
        json_object_object_add(o, "namespace", json_object_new_string(ns));
        json_object_object_add(o, "at", json_object_new_string(st->nodes[cl->at].name));
        json_object_object_add(o, "ipv4", json_object_new_string(ip));
        json_object_object_add(o, "router", json_object_new_string(gw));
        if (st->wifi) {
            char bssid[18];
            uint8_t mac[6];
            sim_phone_bssid(cl, bssid);
            json_object_object_add(o, "bssid", json_object_new_string(bssid));
            int n = bssid[0] && lime_mac_parse(bssid, mac) == 0 ? sim_radio_node_of_mac(st, mac) : -1;
            json_object_object_add(o, "associated", json_object_new_string(n >= 0 ? st->nodes[n].name : ""));
        }
        json_object_array_add(clients, o);
    }
    json_object_object_add(root, "nodes", nodes);
    json_object_object_add(root, "links", links);
    json_object_object_add(root, "clients", clients);
    if (as_json) {
        puts(json_object_to_json_string_ext(root, JSON_C_TO_STRING_PRETTY));
    } else {
        printf("mode: %s (kernel %s)\nnode roots: %s\nnodes:\n", mode, u.release, st->nodes_dir);
        for (size_t i = 0; i < json_object_array_length(nodes); i++) {
            json_object *o = json_object_array_get_idx(nodes, i), *v;
            char run[128] = "";
            json_object_object_get_ex(o, "running", &v);
            for (size_t k = 0; k < json_object_array_length(v); k++) {
                strncat(run, json_object_get_string(json_object_array_get_idx(v, k)), sizeof(run) - strlen(run) - 2);
                strncat(run, " ", sizeof(run) - strlen(run) - 1);
            }
#define S(key) (json_object_object_get_ex(o, key, &v) ? json_object_get_string(v) : "")
            const struct sim_node *n = &st->nodes[i];
            printf("  %-8s %-14s ssid %-14s %-15s%s%s  [%s]  default: %s\n", n->name, S("ipv4"), n->ssid,
                   S("cloud_prefix"), n->gateway ? " gateway" : "", n->stopped ? " STOPPED" : "", run,
                   *S("default_route") ? S("default_route") : "none");
        }
        printf("links:\n");
        for (int k = 0; k < st->n_links; k++) {
            const struct sim_link *l = &st->links[k];
            printf("  %s - %s  %s  loss %d%%\n", st->nodes[l->a].name, st->nodes[l->b].name,
                   l->down ? "DOWN" : "up", l->loss_pct);
        }
        printf("clients:\n");
        for (size_t i = 0; i < json_object_array_length(clients); i++) {
            json_object *o = json_object_array_get_idx(clients, i), *v;
            printf("  %-8s at %-8s %s via %s\n", S("name"), S("at"), *S("ipv4") ? S("ipv4") : "(no lease)",
                   S("router"));
#undef S
        }
    }
    json_object_put(root);
    return 0;
}
