/* lr-apply-fixture: lime-apply on the hand-built worked-example plan (tests/unit/
 * apply_fixture.c) instead of plan_build, so the linux backend's scenarios do not depend
 * on lime-config. Same output and exit codes as lime-apply. */
#include "apply_fixture.h"
#include "backend_linux.h"
#include "log.h"
#include "plan.h"

#include <arpa/inet.h>
#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>

int main(int argc, char **argv)
{
    lime_log_init("lime-apply", LIME_LOG_INFO);
    static const struct option longopts[] = {
        {"root", required_argument, NULL, 'r'},     {"mesh", required_argument, NULL, 'm'},
        {"lan", required_argument, NULL, 'l'},      {"wan", required_argument, NULL, 'w'},
        {"node4", required_argument, NULL, '4'},    {"hello", required_argument, NULL, 'H'},
        {"preferred", required_argument, NULL, 'p'}, {"check-url", required_argument, NULL, 'u'},
        {"fail-after", required_argument, NULL, 'f'}, {"no-kernel-vlans", no_argument, NULL, 'V'},
        {"dry-run", no_argument, NULL, 'n'},        {"batd", required_argument, NULL, 'b'},
        {"verbose", no_argument, NULL, 'v'},        {"no-batman", no_argument, NULL, 'B'},
        {"no-anygw", no_argument, NULL, 'A'},
        {NULL, 0, NULL, 0},
    };
    struct lr_fixture fx = {"eth0", "eth1", "", {10, 13, 132, 209}, 1, "", ""};
    bool no_batman = false, no_anygw = false;
    struct lr_apply_opts o = {.root = "/", .fail_after = -1, .force_kernel_vlans = -1};
    int c;
    while ((c = getopt_long(argc, argv, "v", longopts, NULL)) != -1) {
        switch (c) {
        case 'r': o.root = optarg; break;
        case 'm': fx.mesh_if = optarg; break;
        case 'l': fx.lan_port = optarg; break;
        case 'w': fx.wan_if = optarg; break;
        case '4':
            if (inet_pton(AF_INET, optarg, fx.node4) != 1) {
                fprintf(stderr, "--node4: not an IPv4 address: %s\n", optarg);
                return 1;
            }
            break;
        case 'H': fx.hello_s = (unsigned)atoi(optarg); break;
        case 'p': fx.preferred_gateway = optarg; break;
        case 'u': fx.check_url = optarg; break;
        case 'f': o.fail_after = atoi(optarg); break;
        case 'V': o.force_kernel_vlans = 0; break;
        case 'n': o.dry_run = true; break;
        case 'b': o.batd_path = optarg; break;
        case 'v': lime_log_set_level(LIME_LOG_DEBUG); break;
        case 'B': no_batman = true; break;
        case 'A': no_anygw = true; break;
        default: return 1;
        }
    }
    struct plan *p = lr_fixture_plan(&fx);
    if (!p)
        return 1;
    if (no_batman) /* runtime scenarios without batd: babel only */
        p->batman.enabled = false;
    if (no_anygw) { /* the plan without lime-proto-anygw: macvlan, rules, routes, DHCP go */
        p->anygw.enabled = false;
        p->dnsmasq.anygw = false;
        p->n_rules4 = p->n_rules6 = p->n_routes4 = p->n_routes6 = 0;
        int j = 0;
        for (int i = 0; i < p->n_devices; i++)
            if (p->devices[i].type != PLAN_DEV_MACVLAN)
                p->devices[j++] = p->devices[i];
        p->n_devices = j;
        j = 0;
        for (int i = 0; i < p->n_ifaces; i++)
            if (p->ifaces[i].owner != PLAN_OWNER_ANYGW)
                p->ifaces[j++] = p->ifaces[i];
        p->n_ifaces = j;
    }
    struct lr_apply_result res;
    int rc = lr_apply_plan(p, &o, &res);
    plan_free(p);
    if (rc) {
        printf("0 changes%s\n", res.rolled_back ? " (failed, rolled back)" : " (failed)");
        return 2;
    }
    printf("%u change%s\n", res.changes, res.changes == 1 ? "" : "s");
    return 0;
}
