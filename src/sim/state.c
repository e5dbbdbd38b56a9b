#include "fsutil.h"
#include "state.h"

#include <errno.h>
#include <fcntl.h>
#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <unistd.h>

#include "log.h"
#include "spawn.h"

const char *sim_state_file(void)
{
    static char path[128];
    snprintf(path, sizeof(path), "%s/state.json", sim_run_dir());
    return path;
}

int sim_state_lock(void)
{
    char path[128];
    int r = lime_mkdir_p(sim_run_dir(), 0755);
    if (r < 0) {
        log_err("%s: %s", sim_run_dir(), strerror(-r));
        return -1;
    }
    snprintf(path, sizeof(path), "%s/lock", sim_run_dir());
    int fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0644); /* kept open until exit */
    if (fd < 0 || flock(fd, LOCK_EX) < 0) {
        log_err("%s: %s", path, strerror(errno));
        return -1;
    }
    return 0;
}

int sim_state_save(const struct sim_state *st)
{
    json_object *root = json_object_new_object(), *nodes = json_object_new_array(),
                *links = json_object_new_array(), *clients = json_object_new_array();
    json_object_object_add(root, "nodes_dir", json_object_new_string(st->nodes_dir));
    json_object_object_add(root, "next_client_id", json_object_new_int(st->next_client_id));
    json_object_object_add(root, "dhcp_limit", json_object_new_int(st->dhcp_limit));
    json_object_object_add(root, "app_dir", json_object_new_string(st->app_dir));
    json_object_object_add(root, "wifi", json_object_new_boolean(st->wifi));
    for (int i = 0; i < st->n_nodes; i++) {
        const struct sim_node *n = &st->nodes[i];
        json_object *o = json_object_new_object();
        json_object_object_add(o, "name", json_object_new_string(n->name));
        json_object_object_add(o, "ssid", json_object_new_string(n->ssid));
        json_object_object_add(o, "gateway", json_object_new_boolean(n->gateway));
        json_object_object_add(o, "prefer_gw", json_object_new_string(n->prefer_gw));
        json_object_object_add(o, "stopped", json_object_new_boolean(n->stopped));
        json_object *opts = json_object_new_array();
        for (int k = 0; k < n->n_opts; k++)
            json_object_array_add(opts, json_object_new_string(n->opts[k]));
        json_object_object_add(o, "options", opts);
        json_object_object_add(o, "radio_types", json_object_new_string(n->radio_types));
        json_object_object_add(o, "ap_bit", json_object_new_int(n->ap_bit));
        json_object_array_add(nodes, o);
    }
    for (int i = 0; i < st->n_links; i++) {
        const struct sim_link *l = &st->links[i];
        json_object *o = json_object_new_object();
        json_object_object_add(o, "a", json_object_new_int(l->a));
        json_object_object_add(o, "b", json_object_new_int(l->b));
        json_object_object_add(o, "loss", json_object_new_int(l->loss_pct));
        json_object_object_add(o, "down", json_object_new_boolean(l->down));
        json_object_array_add(links, o);
    }
    for (int i = 0; i < st->n_clients; i++) {
        const struct sim_client *c = &st->clients[i];
        json_object *o = json_object_new_object();
        json_object_object_add(o, "name", json_object_new_string(c->name));
        json_object_object_add(o, "at", json_object_new_int(c->at));
        json_object_object_add(o, "id", json_object_new_int(c->id));
        json_object_object_add(o, "key", json_object_new_string(c->key));
        json_object_object_add(o, "keep_arp", json_object_new_boolean(c->keep_arp));
        json_object_array_add(clients, o);
    }
    json_object_object_add(root, "nodes", nodes);
    json_object_object_add(root, "links", links);
    json_object_object_add(root, "clients", clients);
    const char *text = json_object_to_json_string_ext(root, JSON_C_TO_STRING_PRETTY);
    int rc = lime_write_file_atomic(sim_state_file(), text, strlen(text), 0644) < 0 ? -1 : 0;
    json_object_put(root);
    return rc;
}

static const char *jstr(json_object *o, const char *key)
{
    json_object *v;
    return json_object_object_get_ex(o, key, &v) ? json_object_get_string(v) : "";
}

static int jint(json_object *o, const char *key)
{
    json_object *v;
    return json_object_object_get_ex(o, key, &v) ? json_object_get_int(v) : 0;
}

int sim_state_load(struct sim_state *st, int quiet)
{
    memset(st, 0, sizeof(*st));
    json_object *root = json_object_from_file(sim_state_file()), *arr;
    if (!root || !json_object_is_type(root, json_type_object)) {
        if (!quiet)
            log_err("no simulated mesh is up (%s missing or unreadable); run `lime-sim up` first",
                    sim_state_file());
        json_object_put(root);
        return -1;
    }
    snprintf(st->nodes_dir, sizeof(st->nodes_dir), "%s", jstr(root, "nodes_dir"));
    st->next_client_id = jint(root, "next_client_id");
    st->dhcp_limit = jint(root, "dhcp_limit");
    snprintf(st->app_dir, sizeof(st->app_dir), "%s", jstr(root, "app_dir"));
    st->wifi = jint(root, "wifi");
    if (json_object_object_get_ex(root, "nodes", &arr)) {
        st->n_nodes = (int)json_object_array_length(arr);
        st->nodes = calloc((size_t)st->n_nodes + 1, sizeof(*st->nodes));
        for (int i = 0; i < st->n_nodes; i++) {
            json_object *o = json_object_array_get_idx(arr, (size_t)i), *v;
            struct sim_node *n = &st->nodes[i];
            snprintf(n->name, sizeof(n->name), "%s", jstr(o, "name"));
            snprintf(n->ssid, sizeof(n->ssid), "%s", jstr(o, "ssid"));
            snprintf(n->prefer_gw, sizeof(n->prefer_gw), "%s", jstr(o, "prefer_gw"));
            n->gateway = jint(o, "gateway");
            n->stopped = jint(o, "stopped");
            snprintf(n->radio_types, sizeof(n->radio_types), "%s", jstr(o, "radio_types"));
            n->ap_bit = json_object_object_get_ex(o, "ap_bit", &v) ? json_object_get_int(v) : -1;
            json_object *opts;
            if (json_object_object_get_ex(o, "options", &opts) && json_object_is_type(opts, json_type_array))
                for (size_t k = 0; k < json_object_array_length(opts) && n->n_opts < SIM_MAX_NODE_OPTS; k++)
                    snprintf(n->opts[n->n_opts++], SIM_OPT_MAX, "%s",
                             json_object_get_string(json_object_array_get_idx(opts, k)));
        }
    }
    if (json_object_object_get_ex(root, "links", &arr)) {
        st->n_links = (int)json_object_array_length(arr);
        st->links = calloc((size_t)st->n_links + 1, sizeof(*st->links));
        for (int i = 0; i < st->n_links; i++) {
            json_object *o = json_object_array_get_idx(arr, (size_t)i);
            st->links[i] = (struct sim_link){jint(o, "a"), jint(o, "b"), jint(o, "loss"), jint(o, "down")};
        }
    }
    if (json_object_object_get_ex(root, "clients", &arr)) {
        st->n_clients = (int)json_object_array_length(arr);
        st->clients = calloc((size_t)st->n_clients + 1, sizeof(*st->clients));
        for (int i = 0; i < st->n_clients; i++) {
            json_object *o = json_object_array_get_idx(arr, (size_t)i);
            struct sim_client *c = &st->clients[i];
            snprintf(c->name, sizeof(c->name), "%s", jstr(o, "name"));
            c->at = jint(o, "at");
            c->id = jint(o, "id");
            snprintf(c->key, sizeof(c->key), "%s", jstr(o, "key"));
            c->keep_arp = jint(o, "keep_arp");
        }
    }
    json_object_put(root);
    for (int i = 0; i < st->n_links; i++)
        if (st->links[i].a < 0 || st->links[i].b >= st->n_nodes || st->links[i].a >= st->links[i].b)
            goto bad;
    for (int i = 0; i < st->n_clients; i++)
        if (st->clients[i].at < 0 || st->clients[i].at >= st->n_nodes)
            goto bad;
    for (int i = 0; i < st->n_nodes; i++)
        if (!sim_name_valid(st->nodes[i].name))
            goto bad;
    return 0;
bad:
    if (!quiet)
        log_err("%s: inconsistent state file; run `lime-sim down`", sim_state_file());
    sim_state_free(st);
    return -1;
}

void sim_state_remove(void) { unlink(sim_state_file()); }
