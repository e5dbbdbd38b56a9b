#include "inet.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include "log.h"
#include "netid.h"
#include "node.h"
#include "spawn.h"
#include "strbuf.h"
#include "sysctl.h"

int sim_inet_up(const struct sim_state *st)
{
    int gateways = 0;
    for (int i = 0; i < st->n_nodes; i++)
        gateways += st->nodes[i].gateway;
    if (!gateways)
        return 0;
    if (sim_cmd(NULL, 0, "ip", "netns", "add", sim_ns_inet(), NULL) != 0)
        return -1;
    sim_no_bridge_nf(sim_ns_inet());
    struct lime_strbuf b = {0};
    lime_strbuf_printf(&b, "link set lo up\naddr add " SIM_INET_TARGET "/32 dev lo\n"
                       "link add wan type bridge forward_delay 0 stp_state 0\n"
                       "addr add " SIM_INET_ADDR "/24 dev wan\nlink set wan up\n");
    char mac[18], ns[64];
    for (int i = 0; i < st->n_nodes; i++) {
        if (!st->nodes[i].gateway)
            continue;
        sim_mac(SIM_IF_WAN, i, mac);
        sim_node_ns(st, i, ns);
        lime_strbuf_printf(&b, "link add g%d type veth peer name eth2 address %s netns %s\n", i, mac, ns);
        lime_strbuf_printf(&b, "link set g%d master wan up\n", i);
    }
    char *text = lime_strbuf_finish(&b, NULL);
    int rc = sim_ip_batch(sim_ns_inet(), text);
    free(text);
    if (rc != 0)
        return -1;
    char leasef[128], pidf[128], logd[128], logh[128];
    snprintf(leasef, sizeof(leasef), "--dhcp-leasefile=%s/inet.leases", sim_run_dir());
    snprintf(pidf, sizeof(pidf), "--pid-file=%s/inet-dnsmasq.pid", sim_run_dir());
    snprintf(logd, sizeof(logd), "%s/inet-dnsmasq.log", sim_run_dir());
    snprintf(logh, sizeof(logh), "%s/inet-httpd.log", sim_run_dir());
    char *dns[] = {"dnsmasq", "--keep-in-foreground", "--log-facility=-", "--conf-file=/dev/null",
                   "--interface=wan", "--bind-interfaces", "--port=0", "--user=root",
                   "--dhcp-range=100.64.0.100,100.64.0.199,255.255.255.0,1h",
                   "--dhcp-option=option:router," SIM_INET_ADDR, "--dhcp-authoritative",
                   leasef, pidf, NULL};
    if (sim_daemon(sim_ns_inet(), logd, dns) < 0)
        return -1;
    char *httpd[] = {(char *)sim_program("lime-sim"), "_httpd", NULL};
    if (sim_daemon(sim_ns_inet(), logh, httpd) < 0)
        return -1;
    return 0;
}

int sim_inet_uplink(const struct sim_state *st, int i, int up)
{
    char dev[16];
    snprintf(dev, sizeof(dev), "g%d", i);
    (void)st;
    return sim_cmd(sim_ns_inet(), 0, "ip", "link", "set", dev, up ? "up" : "down", NULL) == 0 ? 0 : -1;
}

int sim_httpd_main(void)
{
    int s = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    int one = 1;
    setsockopt(s, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons(80)};
    if (s < 0 || bind(s, (struct sockaddr *)&a, sizeof(a)) < 0 || listen(s, 64) < 0) {
        log_err("httpd: port 80: %s", strerror(errno));
        return 1;
    }
    for (;;) {
        struct sockaddr_in peer;
        socklen_t pl = sizeof(peer);
        int c = accept4(s, (struct sockaddr *)&peer, &pl, SOCK_CLOEXEC);
        if (c < 0)
            continue;
        struct timeval tv = {2, 0};
        setsockopt(c, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
        setsockopt(c, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
        char req[2048];
        size_t n = 0;
        while (n < sizeof(req) - 1) {
            ssize_t r = read(c, req + n, sizeof(req) - 1 - n);
            if (r <= 0)
                break;
            n += (size_t)r;
            req[n] = 0;
            if (strstr(req, "\r\n\r\n") || strstr(req, "\n\n"))
                break;
        }
        req[n] = 0;
        char body[128], who[INET_ADDRSTRLEN] = "?";
        inet_ntop(AF_INET, &peer.sin_addr, who, sizeof(who));
        if (strncmp(req, "GET /whoami", 11) == 0)
            snprintf(body, sizeof(body), "%s\n", who);
        else if (strncmp(req, "GET /success.txt", 16) == 0)
            snprintf(body, sizeof(body), "success\n");
        else
            snprintf(body, sizeof(body), "lime-sim internet\n");
        char resp[512];
        int len = snprintf(resp, sizeof(resp),
                           "HTTP/1.0 200 OK\r\nContent-Type: text/plain\r\nContent-Length: %zu\r\n"
                           "Connection: close\r\n\r\n%s",
                           strlen(body), body);
        ssize_t w = write(c, resp, (size_t)len);
        (void)w;
        close(c);
    }
}
