#include "medium.h"

#include <stdio.h>
#include <stdlib.h>

#include "log.h"
#include "netid.h"
#include "spawn.h"
#include "strbuf.h"
#include "sysctl.h"

int sim_medium_up(const struct sim_state *st)
{
    if (sim_cmd(NULL, 0, "ip", "netns", "add", sim_ns_medium(), NULL) != 0)
        return -1;
    /* The medium only moves frames: no addresses, no IPv6 chatter of its own. */
    sim_sysctl(sim_ns_medium(), "net/ipv6/conf/all/disable_ipv6", "1");
    sim_sysctl(sim_ns_medium(), "net/ipv6/conf/default/disable_ipv6", "1");
    sim_no_bridge_nf(sim_ns_medium());
    struct lime_strbuf b = {0};
    char mac[18];
    for (int i = 0; i < st->n_nodes; i++) {
        const char *name = st->nodes[i].name;
        lime_strbuf_printf(&b, "link add r%d type bridge ageing_time 0 forward_delay 0 stp_state 0 mcast_snooping 0\n", i);
        lime_strbuf_printf(&b, "link add a%d type bridge forward_delay 0 stp_state 0 mcast_snooping 0\n", i);
        sim_mac(SIM_IF_RADIO, i, mac);
        lime_strbuf_printf(&b, "link add n%d type veth peer name eth0 address %s netns %sn-%s\n", i, mac,
                       sim_prefix(), name);
        sim_mac(SIM_IF_AP, i, mac);
        lime_strbuf_printf(&b, "link add p%d type veth peer name eth1 address %s netns %sn-%s\n", i, mac,
                       sim_prefix(), name);
        lime_strbuf_printf(&b, "link set n%d master r%d up\nlink set p%d master a%d up\n", i, i, i, i);
        lime_strbuf_printf(&b, "link set r%d up\nlink set a%d up\n", i, i);
    }
    for (int k = 0; k < st->n_links; k++) {
        int a = st->links[k].a, c = st->links[k].b;
        lime_strbuf_printf(&b, "link add l%d_%d type veth peer name l%d_%d\n", a, c, c, a);
        lime_strbuf_printf(&b, "link set l%d_%d master r%d up\nlink set l%d_%d master r%d up\n", a, c, a, c, a, c);
        lime_strbuf_printf(&b, "link set dev l%d_%d type bridge_slave isolated on\n", a, c);
        lime_strbuf_printf(&b, "link set dev l%d_%d type bridge_slave isolated on\n", c, a);
        if (st->links[k].down)
            lime_strbuf_printf(&b, "link set l%d_%d down\n", a, c);
    }
    char *text = lime_strbuf_finish(&b, NULL);
    int rc = sim_ip_batch(sim_ns_medium(), text);
    free(text);
    if (rc != 0) {
        log_err("building the radio medium failed");
        return -1;
    }
    return sim_medium_loss_apply(st);
}

int sim_medium_loss_apply(const struct sim_state *st)
{
    struct lime_strbuf b = {0};
    /* "add" then "delete" makes the delete succeed whether or not the table exists. */
    lime_strbuf_printf(&b, "table bridge ls_loss\ndelete table bridge ls_loss\n");
    lime_strbuf_printf(&b, "table bridge ls_loss {\n chain forward {\n  type filter hook forward priority 0; policy accept;\n");
    for (int k = 0; k < st->n_links; k++) {
        const struct sim_link *l = &st->links[k];
        if (l->loss_pct <= 0)
            continue;
        /* A frame a->b enters r<b> through l<b>_<a>; b->a enters r<a> through l<a>_<b>. */
        lime_strbuf_printf(&b, "  iifname \"l%d_%d\" numgen random mod 100 lt %d counter drop\n", l->b, l->a, l->loss_pct);
        lime_strbuf_printf(&b, "  iifname \"l%d_%d\" numgen random mod 100 lt %d counter drop\n", l->a, l->b, l->loss_pct);
    }
    lime_strbuf_printf(&b, " }\n}\n");
    char *text = lime_strbuf_finish(&b, NULL);
    int rc = sim_nft(sim_ns_medium(), text);
    free(text);
    return rc == 0 ? 0 : -1;
}

int sim_medium_link_apply(const struct sim_state *st, int i)
{
    const struct sim_link *l = &st->links[i];
    char dev[32];
    snprintf(dev, sizeof(dev), "l%d_%d", l->a, l->b);
    if (sim_cmd(sim_ns_medium(), 0, "ip", "link", "set", dev, l->down ? "down" : "up", NULL) != 0)
        return -1;
    return sim_medium_loss_apply(st);
}
