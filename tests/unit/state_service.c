/* shared-state service end to end inside one process: two or three services on one
 * loop, talking TCP over loopback; raw protocol byte exchange; idle connections;
 * community key; persistence; dnsmasq hook files; discovery parsers. */
#include <arpa/inet.h>
#include <ifaddrs.h>
#include <net/if.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>
#include <json-c/json.h>


#include "babel.h"
#include "discover.h"
#include "facts.h"
#include "hooks.h"
#include "persist.h"
#include "loop.h"
#include "publish.h"
#include "service.h"
#include "wire.h"

static struct lime_loop *loop;
static char dir[64];
static uint16_t base_port;

static int setup(void **state)
{
    loop = lime_loop_new();
    snprintf(dir, sizeof dir, "/tmp/ss_unit_XXXXXX");
    assert_non_null(mkdtemp(dir));
    base_port = (uint16_t)(20000 + (getpid() * 7) % 20000);
    return 0;
}

static int teardown(void **state)
{
    lime_loop_free(loop);
    char cmd[128];
    snprintf(cmd, sizeof cmd, "%s", dir);
    /* remove files we made (no shell) */
    const char *names[] = {"key", "key2", "hosts", "addn", "node_info.json", "types.json",
                           "dnsmasq-leases.json", "t.json"};
    for (size_t i = 0; i < sizeof names / sizeof *names; i++) {
        char p[128];
        snprintf(p, sizeof p, "%s/%s", dir, names[i]);
        unlink(p);
    }
    char sd[128];
    snprintf(sd, sizeof sd, "%s/state", dir);
    for (size_t i = 0; i < sizeof names / sizeof *names; i++) {
        char p[160];
        snprintf(p, sizeof p, "%s/%s", sd, names[i]);
        unlink(p);
    }
    rmdir(sd);
    rmdir(dir);
    return 0;
}

static struct ss_service *start(const char *name, uint16_t port, const char *peer,
                                const char *key_file, const char *state_dir)
{
    struct ss_config cfg;
    ss_config_defaults(&cfg);
    cfg.hostname = name;
    cfg.listen_addr = "::1";
    cfg.port = port;
    cfg.no_default_types = true;
    cfg.key_file = key_file;
    cfg.state_dir = state_dir;
    cfg.timeout_ms = 2000;
    if (peer)
        cfg.peers[cfg.npeers++] = peer;
    struct ss_service *ss = ss_service_start(loop, &cfg);
    assert_non_null(ss);
    assert_int_equal(ss_service_register(ss, "t", "community", 60, 600), 0);
    return ss;
}

static bool has_key(struct ss_service *ss, const char *key)
{
    int err;
    struct json_object *o = ss_service_get(ss, "t", &err);
    bool r = o && json_object_object_get_ex(o, key, NULL);
    json_object_put(o);
    return r;
}

static bool run_until(struct ss_service *ss, const char *key, int max_ms)
{
    uint64_t end = lime_now_ms() + (uint64_t)max_ms;
    while (lime_now_ms() < end) {
        if (has_key(ss, key))
            return true;
        lime_loop_run_once(loop, 20);
    }
    return has_key(ss, key);
}

static void insert(struct ss_service *ss, const char *key, const char *json)
{
    struct json_object *o = json_object_new_object();
    json_object_object_add(o, key, json_tokener_parse(json));
    assert_int_equal(ss_service_insert(ss, "t", o), SS_OK);
    json_object_put(o);
}

static void test_insert_propagates(void **state)
{
    char pa[32], pb[32];
    snprintf(pa, sizeof pa, "[::1]:%u", base_port + 1);
    snprintf(pb, sizeof pb, "[::1]:%u", base_port);
    struct ss_service *a = start("a", base_port, pa, NULL, NULL);
    struct ss_service *b = start("b", (uint16_t)(base_port + 1), pb, NULL, NULL);
    insert(a, "from-a", "{\"v\":1}");
    assert_true(run_until(b, "from-a", 3000));
    insert(b, "from-b", "\"x\"");
    assert_true(run_until(a, "from-b", 3000));
    int err;
    struct json_object *d = ss_service_dump(b, "t", &err);
    assert_int_equal(json_object_array_length(d), 2);
    json_object_put(d);
    /* unknown type */
    assert_null(ss_service_get(a, "nope", &err));
    assert_int_equal(err, SS_ERR_TYPE);
    assert_null(ss_service_get(NULL, "t", &err)); /* no service: tables read as unknown */
    assert_int_equal(err, SS_ERR_TYPE);
    assert_int_equal(ss_service_insert(NULL, "t", NULL), SS_ERR_TYPE);
    assert_null(ss_service_get(a, NULL, &err));
        struct json_object *arr = json_tokener_parse("[1]");
    assert_int_equal(ss_service_insert(a, "t", arr), SS_ERR_INPUT);
    json_object_put(arr);
    ss_service_stop(a);
    ss_service_stop(b);
}

static int connect_to(uint16_t port)
{
    int fd = socket(AF_INET6, SOCK_STREAM, 0);
    struct sockaddr_in6 sa = {.sin6_family = AF_INET6, .sin6_port = htons(port),
                              .sin6_addr = IN6ADDR_LOOPBACK_INIT};
    assert_int_equal(connect(fd, (struct sockaddr *)&sa, sizeof sa), 0);
    return fd;
}

/* Reads exactly n bytes while the loop keeps the service going. */
static void read_n(int fd, uint8_t *buf, size_t n)
{
    size_t got = 0;
    uint64_t end = lime_now_ms() + 3000;
    while (got < n && lime_now_ms() < end) {
        lime_loop_run_once(loop, 10);
        ssize_t r = recv(fd, buf + got, n - got, MSG_DONTWAIT);
        if (r > 0)
            got += (size_t)r;
        else if (r == 0)
            break;
    }
    assert_int_equal(got, n);
}

/* A raw upstream-style client, byte by byte, with 10 idle connections open meanwhile. */
static void test_raw_exchange_with_idle_conns(void **state)
{
    struct ss_service *a = start("a", base_port, NULL, NULL, NULL);
    insert(a, "k", "1");
    int idle[10];
    for (int i = 0; i < 10; i++)
        idle[i] = connect_to(base_port);
    lime_loop_run_once(loop, 10);
    int fd = connect_to(base_port);
    uint8_t v[4] = {0, 0, 0, 1};
    assert_int_equal(send(fd, v, 4, 0), 4);
    uint8_t got[4];
    read_n(fd, got, 4);
    assert_memory_equal(got, v, 4);
    const char *json = "{\"stateSlice\":[{\"key\":\"r\",\"value\":{\"mAuthor\":\"raw\","
                       "\"mTtl\":{\"xint64\":30,\"xstr64\":\"30\"},\"mData\":true}}]}";
    size_t flen;
    uint8_t *frame = ss_frame_encode("t", json, strlen(json), &flen);
    assert_int_equal(send(fd, v, 4, 0), 4); /* version echo */
    assert_int_equal(send(fd, frame, flen, 0), (ssize_t)flen);
    free(frame);
    read_n(fd, got, 4);
    assert_int_equal(ss_get_u32(got), flen); /* byte-count ack */
    uint8_t hdr[6];
    read_n(fd, hdr, 1);
    assert_int_equal(hdr[0], 1);
    read_n(fd, hdr + 1, 5);
    assert_int_equal(hdr[1], 't');
    uint32_t jl = ss_get_u32(hdr + 2);
    char *body = calloc(1, jl + 1);
    read_n(fd, (uint8_t *)body, jl);
    assert_non_null(strstr(body, "\"key\":\"k\""));
    assert_non_null(strstr(body, "\"key\":\"r\"")); /* loopback client: full table */
    free(body);
    uint8_t ack[4];
    ss_put_u32(ack, 1 + 1 + 4 + jl);
    assert_int_equal(send(fd, ack, 4, 0), 4);
    close(fd);
    assert_true(has_key(a, "r"));
    /* wrong version: closed without a reply */
    fd = connect_to(base_port);
    uint8_t v2[4] = {0, 0, 0, 2};
    assert_int_equal(send(fd, v2, 4, 0), 4);
    uint64_t end = lime_now_ms() + 2000;
    ssize_t r = -1;
    while (lime_now_ms() < end) {
        lime_loop_run_once(loop, 10);
        r = recv(fd, got, 4, MSG_DONTWAIT);
        if (r >= 0)
            break;
    }
    assert_int_equal(r, 0);
    close(fd);
    for (int i = 0; i < 10; i++)
        close(idle[i]);
    ss_service_stop(a);
}

static void write_file(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
}

static void sync_done(void *arg, int failed, int total) {}

static void test_community_key(void **state)
{
    char k1[96], k2[96], pa[32], pc[32];
    snprintf(k1, sizeof k1, "%s/key", dir);
    snprintf(k2, sizeof k2, "%s/key2", dir);
    write_file(k1, "secret\n");
    write_file(k2, "other\n");
    snprintf(pa, sizeof pa, "[::1]:%u", base_port + 1);
    snprintf(pc, sizeof pc, "[::1]:%u", base_port + 2);
    /* a signs with "secret" and syncs to b ("secret") and c ("other") */
    struct ss_service *b = start("b", (uint16_t)(base_port + 1), NULL, k1, NULL);
    struct ss_service *c = start("c", (uint16_t)(base_port + 2), NULL, k2, NULL);
    struct ss_config cfg;
    ss_config_defaults(&cfg);
    cfg.hostname = "a";
    cfg.listen_addr = NULL;
    cfg.port = base_port;
    cfg.no_default_types = true;
    cfg.key_file = k1;
    cfg.peers[0] = pa;
    cfg.peers[1] = pc;
    cfg.npeers = 2;
    struct ss_service *a = ss_service_start(loop, &cfg);
    assert_non_null(a);
    ss_service_register(a, "t", NULL, 60, 600);
    insert(a, "signed", "1");
    assert_true(run_until(b, "signed", 3000));
    /* c has another key: it rejects a's messages, counts them, and stores nothing */
    assert_false(run_until(c, "signed", 500));
    assert_true(ss_store_counters(ss_service_store(c))->auth_failed >= 1);
    assert_int_equal(ss_store_counters(ss_service_store(b))->auth_failed, 0);
    /* a message signed with another key is rejected by b as well */
    insert(c, "from-c", "1");
    assert_int_equal(ss_service_sync(c, "t", (const char *[]){pa}, 1, sync_done, NULL), SS_OK);
    assert_false(run_until(b, "from-c", 500));
    assert_true(ss_store_counters(ss_service_store(b))->auth_failed >= 1);
    ss_service_stop(a);
    ss_service_stop(b);
    ss_service_stop(c);
}

static void test_persistence(void **state)
{
    char sd[96];
    snprintf(sd, sizeof sd, "%s/state", dir);
    struct ss_service *a = start("a", base_port, NULL, NULL, sd);
    insert(a, "kept", "{\"mac\":\"aa\"}");
    insert(a, "gone", "null");
    ss_service_stop(a);
    a = start("a", base_port, NULL, NULL, sd);
    assert_true(has_key(a, "kept"));
    int err;
    struct json_object *o = ss_service_get(a, "t", &err), *v;
    assert_true(json_object_object_get_ex(o, "kept", &v));
    assert_string_equal(json_object_to_json_string_ext(v, JSON_C_TO_STRING_PLAIN), "{\"mac\":\"aa\"}");
    json_object_put(o);
    ss_service_stop(a);
    /* a corrupt file is logged and skipped, not fatal */
    char p[160];
    snprintf(p, sizeof p, "%s/t.json", sd);
    write_file(p, "{\"stateSlice\":[{\"key\":");
    a = start("a", base_port, NULL, NULL, sd);
    assert_false(has_key(a, "kept"));
    ss_service_stop(a);
}

static void test_dnsmasq_files(void **state)
{
    struct ss_store *st = ss_store_new("me", NULL);
    ss_store_register(st, "dnsmasq-leases", NULL, 100, 10);
    ss_store_register(st, "dnsmasq-hosts", NULL, 100, 10);
    struct ss_type *l = ss_store_type(st, "dnsmasq-leases");
    struct ss_copy c1 = {"10.0.0.5", "other", "{\"hostname\":\"ph\",\"mac\":\"aa:bb:cc:dd:ee:ff\"}", 50, 0};
    struct ss_copy c2 = {"10.0.0.6", "me", "{\"hostname\":\"x\",\"mac\":\"aa:bb:cc:dd:ee:00\"}", 50, 0};
    struct ss_copy c3 = {"10.0.0.7", "other", "null", 50, 0};
    struct ss_copy c4 = {"10.0.0.8", "other", "{\"mac\":\"aa,evil\"}", 50, 0};
    ss_store_merge(st, l, &c1, true, 1000);
    ss_store_merge(st, l, &c2, true, 1000);
    ss_store_merge(st, l, &c3, true, 1000);
    ss_store_merge(st, l, &c4, true, 1000);
    char p[96];
    snprintf(p, sizeof p, "%s/hosts", dir);
    assert_int_equal(ss_hooks_write_dhcp_hosts(p, l, "me", 1000), 0);
    char buf[512] = {0};
    FILE *f = fopen(p, "r");
    assert_non_null(f);
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    fclose(f);
    buf[n] = 0;
    assert_string_equal(buf, "aa:bb:cc:dd:ee:ff,10.0.0.5\n");
    struct ss_type *h = ss_store_type(st, "dnsmasq-hosts");
    struct ss_copy h1 = {"10.0.0.5 ph", "other", "true", 50, 0};
    struct ss_copy h2 = {"10.0.0.9 old", "other", "null", 50, 0};
    ss_store_merge(st, h, &h1, true, 1000);
    ss_store_merge(st, h, &h2, true, 1000);
    snprintf(p, sizeof p, "%s/addn", dir);
    assert_int_equal(ss_hooks_write_addn_hosts(p, h, 1000), 0);
    f = fopen(p, "r");
    n = fread(buf, 1, sizeof buf - 1, f);
    fclose(f);
    buf[n] = 0;
    assert_string_equal(buf, "10.0.0.5 ph\n");
    ss_store_register(st, "dnsmasq-servers", NULL, 100, 10);
    struct ss_type *sv = ss_store_type(st, "dnsmasq-servers");
    struct ss_copy s1 = {"cloud-b.lan", "other", "\"fd0d:fe46::1\"", 50, 0};
    struct ss_copy s2 = {"cloud-a.lan", "me", "\"fd0d:aaaa::1\"", 50, 0};
    struct ss_copy s3 = {"evil/x", "other", "\"1.2.3.4\"", 50, 0};
    struct ss_copy s4 = {"ok.lan", "other", "\"1.2.3.4\\nserver=/x/9.9.9.9\"", 50, 0};
    ss_store_merge(st, sv, &s1, true, 1000);
    ss_store_merge(st, sv, &s2, true, 1000);
    ss_store_merge(st, sv, &s3, true, 1000);
    ss_store_merge(st, sv, &s4, true, 1000);
    assert_int_equal(ss_hooks_write_servers(p, sv, "me", 1000), 0);
    f = fopen(p, "r");
    n = fread(buf, 1, sizeof buf - 1, f);
    fclose(f);
    buf[n] = 0;
    assert_string_equal(buf, "server=/cloud-b.lan/fd0d:fe46::1\n");
    ss_store_free(st);
}

/* babeld's state from local-socket text, as the babeld seam's client builds it. */
static struct lime_babel_state *babel_state(const char *text)
{
    struct lime_babel_state *b = calloc(1, sizeof(*b));
    char line[512];
    for (const char *p = text; *p;) {
        size_t n = strcspn(p, "\n");
        snprintf(line, sizeof line, "%.*s", (int)n, p);
        lime_babel_apply_line(b, line);
        p += n + (p[n] == '\n');
    }
    b->ok = true;
    return b;
}

static void count_cb(void *arg, const struct sockaddr_in6 *a)
{
    char txt[96];
    extern void ss_format_addr(const struct sockaddr_in6 *a, char *buf, size_t len);
    ss_format_addr(a, txt, sizeof txt);
    assert_int_equal(strncmp(txt, "fe80::", 6), 0);
    (*(int *)arg)++;
}

static void test_parsers(void **state)
{
    struct json_object *o = ss_publish_parse_leases(
        "1700000000 aa:bb:cc:dd:ee:ff 10.13.0.50 phone 01:aa:bb:cc:dd:ee:ff\n"
        "1700000000 aa:bb:cc:dd:ee:01 10.13.0.51 * *\n"
        "duid 00:01:00:01\n"
        "1700000000 1234 fd00::5 host6 00:01\n"
        "garbage\n");
    assert_int_equal(json_object_object_length(o), 2);
    struct json_object *v, *m;
    assert_true(json_object_object_get_ex(o, "10.13.0.50", &v));
    assert_true(json_object_object_get_ex(v, "mac", &m));
    assert_string_equal(json_object_get_string(m), "aa:bb:cc:dd:ee:ff");
    json_object_put(o);

    int n = 0;
    struct lime_babel_state *bs = babel_state(
        "BABEL 1.0\nversion babeld-1.12\nhost n1\nmy-id 02:00:00:ff:fe:00:00:01\nok\n"
        "add interface lo up true\n"
        "add neighbour 5581a0 address fe80::2 if lo reach ffff rxcost 96 txcost 96 cost 96\n"
        "add neighbour 5581a1 address fe80::3 if lo reach ff00 rxcost 96 txcost 96\n"
        "add route 1 prefix 10.0.0.0/8 ...\nok\n");
    ss_discover_babeld_neighbours(bs, 3490, count_cb, &n);
    assert_int_equal(n, 2);
    free(bs);

    n = 0;
    ss_discover_parse_batd("[{\"neigh_address\":\"02:00:00:00:00:01\",\"hard_ifname\":\"lo\"},"
                           "{\"neigh_address\":\"bad\",\"hard_ifname\":\"lo\"},"
                           "{\"hard_ifname\":\"lo\"},"
                           "{\"neigh_address\":\"02:00:00:00:00:02\",\"hard_ifname\":\"nonexistent0\"}]",
                           3490, count_cb, &n);
    assert_int_equal(n, 1);
    ss_discover_parse_batd("{not json", 3490, count_cb, &n);
    assert_int_equal(n, 1);

    struct sockaddr_in6 a;
    assert_int_equal(ss_eui64_ll("02:00:00:00:00:01", 1, 3490, &a), 0);
    char txt[INET6_ADDRSTRLEN];
    inet_ntop(AF_INET6, &a.sin6_addr, txt, sizeof txt);
    assert_string_equal(txt, "fe80::ff:fe00:1");
    assert_int_equal(ss_eui64_ll("02:00:00:00:00", 1, 3490, &a), -1);
}

/* An executable in <hooks>/<type>/ runs with the table on stdin after a change and
 * after an expiry. */
static void test_external_hook(void **state)
{
    char hooks[96], tdir[128], script[160], out[160];
    snprintf(hooks, sizeof hooks, "%s/hooks", dir);
    snprintf(tdir, sizeof tdir, "%s/t", hooks);
    snprintf(script, sizeof script, "%s/save", tdir);
    snprintf(out, sizeof out, "%s/hook.out", dir);
    mkdir(hooks, 0755);
    mkdir(tdir, 0755);
    char text[512];
    snprintf(text, sizeof text, "#!/bin/sh\ncat > %s.tmp && mv %s.tmp %s\n", out, out, out);
    write_file(script, text);
    chmod(script, 0755);
    struct ss_config cfg;
    ss_config_defaults(&cfg);
    cfg.hostname = "a";
    cfg.listen_addr = NULL;
    cfg.no_default_types = true;
    cfg.hooks_dir = hooks;
    struct ss_service *a = ss_service_start(loop, &cfg);
    assert_non_null(a);
    ss_service_register(a, "t", NULL, 60, 600);
    insert(a, "k", "{\"v\":1}");
    char buf[256] = "";
    uint64_t end = lime_now_ms() + 5000;
    while (lime_now_ms() < end && !strstr(buf, "\"k\"")) {
        lime_loop_run_once(loop, 50);
        FILE *f = fopen(out, "r");
        if (f) {
            size_t n = fread(buf, 1, sizeof buf - 1, f);
            buf[n] = 0;
            fclose(f);
        }
    }
    assert_string_equal(buf, "{\"k\":{\"v\":1}}\n");
    assert_int_equal(ss_store_counters(ss_service_store(a))->hooks_run, 1);
    ss_service_stop(a);
    unlink(out);
    unlink(script);
    rmdir(tdir);
    rmdir(hooks);
}

static void test_uci_types(void **state)
{
    char p[128];
    snprintf(p, sizeof p, "%s/shared-state", dir);
    write_file(p, "config dataType\n\toption name 'bat-hosts'\n\toption scope 'community'\n"
                  "\toption ttl '2400'\n\toption update_interval '30'\n\n"
                  "config dataType 'pirania'\n\toption name 'pirania-vouchers'\n"
                  "\toption ttl '600'\n\toption update_interval '120'\n\n"
                  "config dataType 'bad'\n\toption name 'x'\n\toption ttl 'soon'\n"
                  "\toption update_interval '1'\n\n"
                  "config other\n\toption name 'y'\n");
    struct ss_store *st = ss_store_new("me", NULL);
    assert_int_equal(ss_load_uci_types(p, st), 2);
    struct ss_type *t = ss_store_type(st, "pirania-vouchers");
    assert_non_null(t);
    assert_int_equal(t->ttl_s, 600);
    assert_int_equal(t->interval_s, 120);
    assert_string_equal(t->scope, "community");
    assert_null(ss_store_type(st, "x"));
    ss_store_free(st);
    write_file(p, "config dataType\n\toption name 'unterminated\n");
    st = ss_store_new("me", NULL);
    assert_int_equal(ss_load_uci_types(p, st), -1);
    ss_store_free(st);
    unlink(p);
}

/* A slow hook runs once at a time per type: changes made while it runs are handed to
 * one more run afterwards, which sees the latest table. */
static void test_hook_one_at_a_time(void **state)
{
    char hooks[96], tdir[128], script[160], out[160];
    snprintf(hooks, sizeof hooks, "%s/hooks", dir);
    snprintf(tdir, sizeof tdir, "%s/t", hooks);
    snprintf(script, sizeof script, "%s/slow", tdir);
    snprintf(out, sizeof out, "%s/hook.out", dir);
    mkdir(hooks, 0755);
    mkdir(tdir, 0755);
    char text[1024];
    snprintf(text, sizeof text, "#!/bin/sh\nsleep 1\ncat > %s.tmp && mv %s.tmp %s\n", out, out, out);
    write_file(script, text);
    chmod(script, 0755);
    struct ss_config cfg;
    ss_config_defaults(&cfg);
    cfg.hostname = "a";
    cfg.listen_addr = NULL;
    cfg.no_default_types = true;
    cfg.hooks_dir = hooks;
    struct ss_service *a = ss_service_start(loop, &cfg);
    ss_service_register(a, "t", NULL, 60, 600);
    struct ss_counters *k = ss_store_counters(ss_service_store(a));
    insert(a, "k", "1");
    uint64_t end = lime_now_ms() + 3000;
    while (lime_now_ms() < end && k->hooks_run < 1)
        lime_loop_run_once(loop, 20);
    assert_int_equal(k->hooks_run, 1);
    for (int v = 2; v <= 3; v++) { /* two more changes while the first run sleeps */
        char val[4];
        snprintf(val, sizeof val, "%d", v);
        insert(a, "k", val);
        uint64_t tick = lime_now_ms() + 450;
        while (lime_now_ms() < tick)
            lime_loop_run_once(loop, 20);
    }
    char buf[64] = "";
    end = lime_now_ms() + 6000;
    while (lime_now_ms() < end && strcmp(buf, "{\"k\":3}\n") != 0) {
        lime_loop_run_once(loop, 50);
        FILE *f = fopen(out, "r");
        if (f) {
            size_t n = fread(buf, 1, sizeof buf - 1, f);
            buf[n] = 0;
            fclose(f);
        }
    }
    assert_string_equal(buf, "{\"k\":3}\n");
    assert_int_equal(k->hooks_run, 2);
    ss_service_stop(a);
    unlink(out);
    unlink(script);
    rmdir(tdir);
    rmdir(hooks);
}

/* node_info's address: br-lan's wherever it comes in the interface list; without br-lan
 * the first global one; never lo, anygw or an IPv6 link-local. (A gateway whose WAN came
 * first published its WAN address: lime-sim's qemu lab, scenario sim_login.) */
static void test_facts_pick_addr(void **state)
{
    (void)state;
    struct sockaddr_in a4[5];
    struct sockaddr_in6 a6[3];
    struct ifaddrs l[8];
    memset(l, 0, sizeof l);
    const char *names[] = {"lo", "eth2", "eth0_17", "anygw", "br-lan"};
    const char *v4[] = {"127.0.0.1", "100.64.0.183", "10.13.1.1", "10.13.0.1", "10.13.1.1"};
    for (int i = 0; i < 5; i++) {
        a4[i] = (struct sockaddr_in){.sin_family = AF_INET};
        inet_pton(AF_INET, v4[i], &a4[i].sin_addr);
        l[i] = (struct ifaddrs){.ifa_name = (char *)names[i], .ifa_addr = (struct sockaddr *)&a4[i],
                                .ifa_flags = i == 0 ? IFF_LOOPBACK : 0, .ifa_next = &l[i + 1]};
    }
    const char *n6[] = {"eth2", "br-lan", "eth0"};
    const char *v6[] = {"fe80::1", "fd0d:fe46:8ce8::101", "fe80::2"};
    for (int i = 0; i < 3; i++) {
        a6[i] = (struct sockaddr_in6){.sin6_family = AF_INET6};
        inet_pton(AF_INET6, v6[i], &a6[i].sin6_addr);
        l[5 + i] = (struct ifaddrs){.ifa_name = (char *)n6[i], .ifa_addr = (struct sockaddr *)&a6[i],
                                    .ifa_next = i < 2 ? &l[6 + i] : NULL};
    }
    char out[64];
    ss_facts_pick_addr(l, AF_INET, out, sizeof out);
    assert_string_equal(out, "10.13.1.1");
    ss_facts_pick_addr(l, AF_INET6, out, sizeof out);
    assert_string_equal(out, "fd0d:fe46:8ce8::101");
    l[3].ifa_next = &l[5]; /* no br-lan: the first global address (the WAN's here), not anygw's */
    ss_facts_pick_addr(l, AF_INET, out, sizeof out);
    assert_string_equal(out, "100.64.0.183");
    ss_facts_pick_addr(&l[6], AF_INET, out, sizeof out); /* only IPv6: nothing */
    assert_string_equal(out, "");
}

static void test_facts(void **state)
{
    char sys[128], p[192];
    snprintf(sys, sizeof sys, "%s/net", dir);
    mkdir(sys, 0755);
    const char *ifs[] = {"eth0", "wlan0-mesh", "lo", "anygw"};
    const char *macs[] = {"02:AA:00:00:00:01", "02:aa:00:00:00:02", "00:00:00:00:00:00",
                          "aa:aa:aa:00:00:aa"};
    for (int i = 0; i < 4; i++) {
        snprintf(p, sizeof p, "%s/%s", sys, ifs[i]);
        mkdir(p, 0755);
        snprintf(p, sizeof p, "%s/%s/address", sys, ifs[i]);
        write_file(p, macs[i]);
    }
    struct json_object *o = ss_facts_bat_hosts(sys, "node-1"), *v;
    assert_int_equal(json_object_object_length(o), 2);
    assert_true(json_object_object_get_ex(o, "02:aa:00:00:00:02", &v));
    assert_string_equal(json_object_get_string(v), "node_1_wlan0_mesh");
    json_object_put(o);

    struct lime_babel_state *dump = babel_state("BABEL 1.0\nmy-id 02:00:00:ff:fe:00:00:01\nok\n"
                                                "add neighbour 1 address fe80::2 if lo reach ffff\nok\n");
    o = ss_facts_babeld_hosts(dump, "n1");
    assert_true(json_object_object_get_ex(o, "02:00:00:ff:fe:00:00:01", &v));
    assert_string_equal(json_object_get_string(v), "n1");
    json_object_put(o);
    o = ss_facts_babel_links(dump, "n1");
    assert_string_equal(json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN),
                        "{\"n1\":{\"src_loc\":{\"lat\":\"FIXME\",\"long\":\"FIXME\"},"
                        "\"links\":{\"fe802\":{\"src_ip\":\"\",\"dst_ip\":\"fe80::2\",\"iface\":\"lo\"}}}}");
    json_object_put(o);
    free(dump);
    /* babeld's link cost goes along (LiMe-C: limed's mesh picture rates links by it) */
    dump = babel_state("BABEL 1.0\nmy-id 02:00:00:ff:fe:00:00:01\nok\n"
                       "add neighbour 1 address fe80::3 if lo reach ff00 ureach 0000 "
                       "rxcost 512 txcost 256 cost 600\nok\n");
    o = ss_facts_babel_links(dump, "n1");
    assert_string_equal(json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN),
                        "{\"n1\":{\"src_loc\":{\"lat\":\"FIXME\",\"long\":\"FIXME\"},"
                        "\"links\":{\"fe803\":{\"src_ip\":\"\",\"dst_ip\":\"fe80::3\",\"iface\":\"lo\","
                        "\"cost\":600,\"rxcost\":512}}}}");
    json_object_put(o);
    free(dump);
    /* node_info: the uptime the caller gives (the node's own), the cloud's SSID and
     * whether the node is a gateway (the caller gives core/uplink.h's answer, which
     * core_uplink tests) */
    o = ss_facts_node_info(sys, "n1", 4242, "LiMe", 1);
    json_object *ni, *up, *ssid, *gw;
    assert_true(json_object_object_get_ex(o, "n1", &ni));
    assert_true(json_object_object_get_ex(ni, "uptime", &up) && json_object_get_int64(up) == 4242);
    assert_true(json_object_object_get_ex(ni, "ap_ssid", &ssid));
    assert_string_equal(json_object_get_string(ssid), "LiMe");
    assert_true(json_object_object_get_ex(ni, "gateway", &gw) && json_object_get_boolean(gw));
    json_object_put(o);
    o = ss_facts_node_info(sys, "n1", 10, "LiMe", 0);
    assert_true(json_object_object_get_ex(o, "n1", &ni));
    assert_true(json_object_object_get_ex(ni, "gateway", &gw) && !json_object_get_boolean(gw));
    json_object_put(o);
    o = ss_facts_node_info(sys, "n1", -1, NULL, -1); /* the system's uptime, no SSID, no babeld */
    assert_true(json_object_object_get_ex(o, "n1", &ni));
    assert_false(json_object_object_get_ex(ni, "ap_ssid", NULL));
    assert_false(json_object_object_get_ex(ni, "gateway", NULL));
    assert_true(json_object_object_get_ex(ni, "uptime", &up) && json_object_get_int64(up) > 0);
    json_object_put(o);
    const char *nb = "[{\"neigh_address\":\"02:bb:00:00:00:09\",\"hard_ifname\":\"eth0\",\"last_seen_msecs\":120}]";
    o = ss_facts_bat_links(sys, nb, "n1");
    assert_string_equal(json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN),
                        "{\"n1\":{\"src_loc\":{\"lat\":\"FIXME\",\"long\":\"FIXME\"},"
                        "\"links\":{\"02aa0000000102bb00000009\":{\"src_mac\":\"02:aa:00:00:00:01\","
                        "\"dst_mac\":\"02:bb:00:00:00:09\",\"iface\":\"eth0\",\"last_seen_msecs\":120}}}}");
    json_object_put(o);
    o = ss_facts_nodes_and_links(sys, nb, "n1");
    assert_string_equal(json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN),
                        "{\"n1\":{\"hostname\":\"n1\",\"macs\":[\"02:aa:00:00:00:02\"],"
                        "\"coordinates\":{\"lat\":\"FIXME\",\"lon\":\"FIXME\"},"
                        "\"links\":[\"02:bb:00:00:00:09\"]}}");
    json_object_put(o);
    char key[64];
    ss_facts_link_key("02:bb:00:00:00:09", "02:AA:00:00:00:01", key, sizeof key);
    assert_string_equal(key, "02aa0000000102bb00000009");
    for (int i = 0; i < 4; i++) {
        snprintf(p, sizeof p, "%s/%s/address", sys, ifs[i]);
        unlink(p);
        snprintf(p, sizeof p, "%s/%s", sys, ifs[i]);
        rmdir(p);
    }
    rmdir(sys);
}

/* A service without a listener that publishes node_info (cloud LiMe) as hostname, after
 * one publish_all. */
static struct ss_service *start_node_info(const char *hostname)
{
    struct ss_config cfg;
    ss_config_defaults(&cfg);
    cfg.hostname = hostname;
    cfg.listen_addr = NULL;
    cfg.publish_node_info = true;
    cfg.ap_ssid = "LiMe";
    struct ss_service *ss = ss_service_start(loop, &cfg);
    assert_non_null(ss);
    ss_service_publish_all(ss);
    return ss;
}

/* A hostname change (the app's, applied): the node publishes under its new name, and its
 * entries under the old one are deleted, so the map does not show it twice. */
static void test_rename(void **state)
{
    (void)state;
    struct ss_service *ss = start_node_info("oldname");
    int err;
    struct json_object *o = ss_service_get(ss, "node_info", &err), *v;
    assert_true(json_object_object_get_ex(o, "oldname", &v) && json_object_is_type(v, json_type_object));
    json_object_put(o);
    assert_int_equal(ss_service_rename(ss, ""), SS_ERR_INPUT);
    assert_int_equal(ss_service_rename(ss, "oldname"), SS_OK); /* unchanged: nothing done */
    assert_int_equal(ss_service_rename(ss, "newname"), SS_OK);
    assert_string_equal(ss_store_self(ss_service_store(ss)), "newname");
    o = ss_service_get(ss, "node_info", &err);
    assert_true(json_object_object_get_ex(o, "newname", &v) && json_object_is_type(v, json_type_object));
    assert_true(json_object_object_get_ex(o, "oldname", &v) && v == NULL); /* deleted (null copy) */
    json_object_put(o);
    /* the deletion is authored by the old name, the new entry by the new one */
    o = ss_service_dump(ss, "node_info", &err);
    size_t n = json_object_array_length(o);
    int seen = 0;
    for (size_t i = 0; i < n; i++) {
        struct json_object *el = json_object_array_get_idx(o, i), *k = NULL, *val = NULL, *author = NULL;
        assert_true(json_object_object_get_ex(el, "key", &k) && json_object_object_get_ex(el, "value", &val) &&
                    json_object_object_get_ex(val, "mAuthor", &author));
        assert_string_equal(json_object_get_string(author), json_object_get_string(k));
        seen++;
    }
    assert_int_equal(seen, 2);
    json_object_put(o);
    ss_service_stop(ss);
}

/* A node moved to another cloud (a new ap_ssid applied): node_info says so at once. */
static void test_ap_ssid(void **state)
{
    (void)state;
    struct ss_service *ss = start_node_info("n1");
    int err;
    struct json_object *o = ss_service_get(ss, "node_info", &err), *v = NULL, *x = NULL;
    assert_true(json_object_object_get_ex(o, "n1", &v) && json_object_object_get_ex(v, "ap_ssid", &x));
    assert_string_equal(json_object_get_string(x), "LiMe");
    json_object_put(o);
    assert_int_equal(ss_service_set_ap_ssid(NULL, "x"), SS_ERR_INPUT);
    assert_int_equal(ss_service_set_ap_ssid(ss, "LibreMesh.org"), SS_OK);
    o = ss_service_get(ss, "node_info", &err);
    assert_true(json_object_object_get_ex(o, "n1", &v) && json_object_object_get_ex(v, "ap_ssid", &x));
    assert_string_equal(json_object_get_string(x), "LibreMesh.org");
    json_object_put(o);
    /* none: node_info without ap_ssid */
    assert_int_equal(ss_service_set_ap_ssid(ss, ""), SS_OK);
    o = ss_service_get(ss, "node_info", &err);
    assert_true(json_object_object_get_ex(o, "n1", &v));
    assert_false(json_object_object_get_ex(v, "ap_ssid", &x));
    json_object_put(o);
    ss_service_stop(ss);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_insert_propagates, setup, teardown),
        cmocka_unit_test_setup_teardown(test_raw_exchange_with_idle_conns, setup, teardown),
        cmocka_unit_test_setup_teardown(test_community_key, setup, teardown),
        cmocka_unit_test_setup_teardown(test_persistence, setup, teardown),
        cmocka_unit_test_setup_teardown(test_rename, setup, teardown),
        cmocka_unit_test_setup_teardown(test_ap_ssid, setup, teardown),
        cmocka_unit_test_setup_teardown(test_dnsmasq_files, setup, teardown),
        cmocka_unit_test_setup_teardown(test_parsers, setup, teardown),
        cmocka_unit_test_setup_teardown(test_facts, setup, teardown),
        cmocka_unit_test(test_facts_pick_addr),
        cmocka_unit_test_setup_teardown(test_uci_types, setup, teardown),
        cmocka_unit_test_setup_teardown(test_external_hook, setup, teardown),
        cmocka_unit_test_setup_teardown(test_hook_one_at_a_time, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
