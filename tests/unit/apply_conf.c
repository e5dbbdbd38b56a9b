/* babeld.conf, dnsmasq.conf and nft text generated from the plan. */
#include "apply_fixture.h"
#include "babeld_conf.h"
#include "desired.h"
#include "dnsmasq_conf.h"
#include "nft.h"
#include "paths.h"
#include "plan.h"
#include "run.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>

static char *babeld_for(struct plan *p, const char *root)
{
    struct lr_desired *d = calloc(1, sizeof(*d));
    struct lr_daemon_links dl;
    struct lr_paths paths;
    char err[256];
    lr_paths_init(&paths, root);
    assert_int_equal(lr_desired_from_plan(p, false, false, d, &dl, err, sizeof(err)), 0);
    char *text = lr_babeld_conf(p, &dl, &paths);
    free(d);
    assert_non_null(text);
    return text;
}

static void test_babeld(void **state)
{
    (void)state;
    struct plan *p = lr_fixture_plan(NULL);
    char *t = babeld_for(p, "/tmp/node1");
    assert_non_null(strstr(t, "\nrouter-id 02:4c:4d:00:0a:0d:84:d1\n"));
    assert_non_null(strstr(t, "\nlocal-port 30003\n"));
    assert_non_null(strstr(t, "\nlocal-path /tmp/node1/var/run/babeld.sock\n"));
    assert_non_null(strstr(t, "\ndefault hello-interval 1 update-interval 4\n"));
    assert_non_null(strstr(t, "\nsmoothing-half-life 0\n"));
    assert_non_null(strstr(t, "\ninterface eth0 type wireless\n"));
    /* a withdrawn gateway's default (proto 6) as unreachable, then the 8 upstream filters,
     * in order, with babeld-auto-gw-mode's proto 7 */
    const char *order[] = {"redistribute ip 0.0.0.0/0 le 0 proto 6 metric 65534\n",
                           "redistribute ip fc00::/7 allow\n", "redistribute ip 2000::/3 allow\n",
                           "redistribute ip ::/0 le 0 proto 7 allow\n",
                           "redistribute ip 10.0.0.0/8 allow\n",
                           "redistribute ip 172.16.0.0/12 allow\n",
                           "redistribute ip 0.0.0.0/0 le 0 proto 7 allow\n",
                           "redistribute local deny\n", "redistribute deny\n"};
    const char *at = t;
    for (unsigned i = 0; i < 9; i++) {
        const char *f = strstr(at, order[i]);
        assert_non_null(f);
        at = f + strlen(order[i]);
    }
    assert_null(strstr(t, "\nin "));
    free(t);
    plan_free(p);
}

static void test_babeld_preferred(void **state)
{
    (void)state;
    struct lr_fixture fx = {"eth0", "eth1", "", {10, 13, 132, 209}, 2, "10.13.0.14", ""};
    struct plan *p = lr_fixture_plan(&fx);
    char *t = babeld_for(p, "");
    assert_non_null(strstr(t, "\ndefault hello-interval 2 update-interval 8\n"));
    const char *allow = strstr(t, "\nin ip 0.0.0.0/0 le 0 id 02:4c:4d:00:0a:0d:00:0e allow\n");
    const char *penalty = strstr(t, "\nin ip 0.0.0.0/0 le 0 metric 1024\n");
    assert_non_null(allow);
    assert_non_null(penalty);
    assert_true(allow < penalty); /* first match wins */
    free(t);
    plan_free(p);

    /* a hostname resolves through ROOT/etc/hosts; an unknown one adds nothing */
    char root[] = "/tmp/lr-unit-root.XXXXXX";
    assert_non_null(mkdtemp(root));
    char path[256];
    snprintf(path, sizeof(path), "%s/etc", root);
    mkdir(path, 0755);
    snprintf(path, sizeof(path), "%s/etc/hosts", root);
    FILE *f = fopen(path, "w");
    fputs("# comment\n10.13.0.20  gw-north gw-north.thisnode.info\n", f);
    fclose(f);
    struct lr_fixture fx2 = {"eth0", "eth1", "", {10, 13, 132, 209}, 1, "gw-north", ""};
    p = lr_fixture_plan(&fx2);
    t = babeld_for(p, root);
    assert_non_null(strstr(t, "id 02:4c:4d:00:0a:0d:00:14 allow"));
    free(t);
    plan_free(p);
    struct lr_fixture fx3 = {"eth0", "eth1", "", {10, 13, 132, 209}, 1, "nobody", ""};
    p = lr_fixture_plan(&fx3);
    t = babeld_for(p, root);
    assert_null(strstr(t, "\nin "));
    free(t);
    plan_free(p);
    unlink(path);
    snprintf(path, sizeof(path), "%s/etc", root);
    rmdir(path);
    rmdir(root);
}

static void test_dnsmasq(void **state)
{
    (void)state;
    struct plan *p = lr_fixture_plan(NULL);
    struct lr_paths paths;
    lr_paths_init(&paths, "/tmp/node1");
    char *t = lr_dnsmasq_conf(p, &paths);
    assert_non_null(t);
    const char *want[] = {
        "pid-file=/tmp/node1/var/run/dnsmasq.pid\n",
        "dhcp-leasefile=/tmp/node1/var/lib/dnsmasq.leases\n",
        "domain=thisnode.info\n", "local=/thisnode.info/\n", "expand-hosts\n", "domain-needed\n",
        "server=4.2.2.2\n", "server=141.1.1.1\n", "server=2001:470:20::2\n",
        "host-record=LiMe-1c84d1,LiMe-1c84d1.thisnode.info,10.13.132.209,fd0d:fe46:8ce8::1c:84d1\n",
        "host-record=anygw,thisnode.info,minodo.info,meuno.info,10.13.0.1,fd0d:fe46:8ce8::1\n",
        "dhcp-hostsfile=/tmp/node1/tmp/dhcp.hosts_remote\n", "interface=anygw\n",
        "dhcp-range=set:anygw,10.13.0.2,10.13.255.254,255.255.0.0,1h\n",
        "dhcp-option=tag:anygw,option:mtu,1350\n", "enable-ra\n", "ra-param=anygw,mtu:1350,120\n",
        "dhcp-range=tag:anygw,fd0d:fe46:8ce8::,ra-names,24h\n",
        "dhcp-option=tag:anygw,option6:domain-search,thisnode.info\n",
    };
    for (unsigned i = 0; i < sizeof(want) / sizeof(want[0]); i++)
        if (!strstr(t, want[i]))
            fail_msg("dnsmasq.conf lacks: %s", want[i]);
    /* dnsmasq itself accepts it */
    if (access("/usr/sbin/dnsmasq", X_OK) == 0) {
        char path[] = "/tmp/lr-unit-dnsmasq.XXXXXX";
        int fd = mkstemp(path);
        assert_true(fd >= 0);
        assert_int_equal(write(fd, t, strlen(t)), (ssize_t)strlen(t));
        close(fd);
        char conf[64];
        snprintf(conf, sizeof(conf), "--conf-file=%s", path);
        char *argv[] = {"/usr/sbin/dnsmasq", "--test", conf, NULL};
        struct lime_run_opts quiet = {.quiet = true};
        assert_int_equal(lime_run(argv, &quiet, NULL), 0);
        unlink(path);
    }
    free(t);
    plan_free(p);
}

static void test_nft(void **state)
{
    (void)state;
    struct plan *p = lr_fixture_plan(NULL);
    char buf[4096];
    assert_int_equal(lr_nft_render(p, "", buf, sizeof(buf)), 0);
    assert_non_null(strstr(buf, "table bridge lime_anygw {\n"));
    assert_non_null(strstr(buf, "type filter hook forward priority filter; policy accept;\n"
                                "\t\tether daddr & ff:ff:ff:00:00:00 == aa:aa:aa:00:00:00 counter drop\n"));
    assert_non_null(strstr(buf, "oifname \"bat0\" ether saddr & ff:ff:ff:00:00:00 == aa:aa:aa:00:00:00 counter drop\n"));
    assert_non_null(strstr(buf, "oifname \"bat0\" icmpv6 type nd-router-solicit counter drop\n"));
    assert_non_null(strstr(buf, "oifname \"bat0\" icmpv6 type nd-router-advert counter drop\n"));
    assert_null(strstr(buf, "lime_nat"));
    assert_int_equal(lr_nft_render(p, "wan0", buf, sizeof(buf)), 0);
    assert_non_null(strstr(buf, "table ip lime_nat {\n"));
    assert_non_null(strstr(buf, "oifname \"wan0\" masquerade\n"));
    assert_int_equal(lr_nft_render(p, "wan0", buf, 64), -1);
    p->anygw.enabled = false;
    assert_int_equal(lr_nft_render(p, "", buf, sizeof(buf)), 0);
    assert_string_equal(buf, "");
    plan_free(p);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_babeld),
        cmocka_unit_test(test_babeld_preferred),
        cmocka_unit_test(test_dnsmasq),
        cmocka_unit_test(test_nft),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
