#include "client.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "log.h"
#include "netid.h"
#include "node.h"
#include "procs.h"
#include "spawn.h"
#include "strbuf.h"
#include "sysctl.h"

void sim_client_ns(const struct sim_client *c, char out[64])
{
    snprintf(out, 64, "%sc-%s", sim_prefix(), c->name);
}

static void field(const char *text, const char *key, char *out, size_t len)
{
    out[0] = 0;
    const char *p = strstr(text, key);
    if (!p)
        return;
    p += strlen(key);
    size_t n = strcspn(p, " \n");
    if (n >= len)
        n = len - 1;
    memcpy(out, p, n);
    out[n] = 0;
}

int sim_client_lease(const struct sim_client *c, char ip[16], char router[16])
{
    char ns[64], path[200], text[256] = "";
    sim_client_ns(c, ns);
    snprintf(path, sizeof(path), "%s/leases/%s.wlan0", sim_run_dir(), ns);
    ip[0] = router[0] = 0;
    FILE *f = fopen(path, "r");
    if (!f)
        return -1;
    size_t n = fread(text, 1, sizeof(text) - 1, f);
    fclose(f);
    text[n] = 0;
    field(text, "ip=", ip, 16);
    field(text, "router=", router, 16);
    return ip[0] ? 0 : -1;
}

int sim_client_wait_lease(const struct sim_client *c, int wait_s)
{
    char ip[16], gw[16];
    for (int waited = 0; waited <= wait_s * 10; waited++) {
        if (sim_client_lease(c, ip, gw) == 0) {
            printf("%s: %s via %s\n", c->name, ip, gw);
            return 0;
        }
        nanosleep(&(struct timespec){0, 100 * 1000000L}, NULL);
    }
    log_err("%s: no DHCP lease within %d s", c->name, wait_s);
    return 1;
}

int sim_client_add(struct sim_state *st, const char *name, int node, int wait_s)
{
    struct sim_client c = {.at = node, .id = st->next_client_id};
    snprintf(c.name, sizeof(c.name), "%s", name);
    char ns[64], mac[18], path[200];
    sim_client_ns(&c, ns);
    snprintf(path, sizeof(path), "%s/leases/%s.wlan0", sim_run_dir(), ns);
    unlink(path);
    if (sim_cmd(NULL, 0, "ip", "netns", "add", ns, NULL) != 0)
        return -1;
    sim_mac(SIM_IF_CLIENT, c.id, mac);
    struct lime_strbuf b = {0};
    lime_strbuf_printf(&b, "link add c%d type veth peer name wlan0 address %s netns %s\n", c.id, mac, ns);
    lime_strbuf_printf(&b, "link set c%d master a%d up\n", c.id, node);
    char *text = lime_strbuf_finish(&b, NULL);
    int rc = sim_ip_batch(sim_ns_medium(), text);
    free(text);
    if (rc != 0) {
        sim_cmd(NULL, 1, "ip", "netns", "del", ns, NULL);
        return -1;
    }
    sim_ip_batch(ns, "link set lo up\nlink set wlan0 up\n");
    /* A phone ignores router advertisements of other nodes' anycast: none cross bat0. */
    struct sim_client *arr = realloc(st->clients, (size_t)(st->n_clients + 1) * sizeof(*arr));
    if (!arr)
        abort();
    st->clients = arr;
    st->clients[st->n_clients++] = c;
    st->next_client_id++;
    if (sim_client_dhcp_start(&c) < 0)
        return -1;
    return wait_s > 0 ? sim_client_wait_lease(&c, wait_s) : 0;
}

int sim_client_dhcp_start(const struct sim_client *c)
{
    char ns[64], hostname[64], logp[200];
    sim_client_ns(c, ns);
    snprintf(hostname, sizeof(hostname), "hostname:%s", c->name);
    snprintf(logp, sizeof(logp), "%s/%s.udhcpc.log", sim_run_dir(), ns);
    char env_ns[96];
    snprintf(env_ns, sizeof(env_ns), "LIME_SIM_NS=%s", ns);
    char *argv[] = {"env", env_ns, "udhcpc", "-f", "-i", "wlan0", "-s", (char *)sim_dhcp_script(), "-x", hostname,
                    "-t", "10", "-T", "1", "-A", "1", NULL};
    return sim_daemon(ns, logp, argv) < 0 ? -1 : 0;
}

int sim_client_move(struct sim_state *st, int ci, int node, int wait_s)
{
    struct sim_client *c = &st->clients[ci];
    char ns[64];
    sim_client_ns(c, ns);
    struct lime_strbuf b = {0};
    lime_strbuf_printf(&b, "link set c%d nomaster\nlink set c%d master a%d up\n", c->id, c->id, node);
    char *text = lime_strbuf_finish(&b, NULL);
    int rc = sim_ip_batch(sim_ns_medium(), text);
    free(text);
    if (rc != 0)
        return -1;
    c->at = node;
    pid_t dhcp = sim_ns_find(ns, "udhcpc");
    if (dhcp > 0)
        kill(dhcp, SIGUSR1); /* renew, as after re-association */
    if (wait_s <= 0)
        return 0;
    nanosleep(&(struct timespec){0, 300 * 1000000L}, NULL);
    return sim_client_wait_lease(c, wait_s);
}

void sim_client_del(struct sim_state *st, int ci)
{
    struct sim_client *c = &st->clients[ci];
    char ns[64], dev[32], path[200];
    sim_client_ns(c, ns);
    sim_ns_kill(ns, 0, 2000);
    snprintf(dev, sizeof(dev), "c%d", c->id);
    sim_cmd(sim_ns_medium(), 1, "ip", "link", "del", dev, NULL);
    sim_cmd(NULL, 1, "ip", "netns", "del", ns, NULL);
    snprintf(path, sizeof(path), "%s/leases/%s.wlan0", sim_run_dir(), ns);
    unlink(path);
    memmove(c, c + 1, (size_t)(st->n_clients - ci - 1) * sizeof(*c));
    st->n_clients--;
}
