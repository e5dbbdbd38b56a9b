/* limed's iwinfo object (rpc_iwinfo.c) through the JSON-RPC intake, as lime-app calls it,
 * on the kernel seam's in-memory model (nl_mock.h): devices lists the Wi-Fi interfaces;
 * info and assoclist answer for a mesh interface with two stations; a device that is not
 * wireless is NOT_FOUND, a call without a device INVALID_ARGUMENT. Without nl80211 at all
 * (no phy declared) devices is an empty list. (wifi_line checks the same calls against
 * mac80211_hwsim's real stations.) */
#include "limed.h"
#include "rpc.h"
#include "session.h"
#include "core/log.h"
#include "core/loop.h"
#include "core/nl80211.h"
#include "core/nl_mock.h"

#include <json-c/json.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

static struct ld_ctx ctx;
static char sid[33];

/* call(iwinfo, method, args): the ubus status; *data the reply's object (or NULL) */
static int call(const char *method, const char *args, json_object **data)
{
    char body[512];
    snprintf(body, sizeof(body),
             "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"call\",\"params\":[\"%s\",\"iwinfo\","
             "\"%s\",%s]}", sid, method, args);
    char *reply = ld_rpc_handle(&ctx, body, strlen(body), "");
    assert_non_null(reply);
    json_object *r = json_tokener_parse(reply), *res, *x;
    free(reply);
    assert_non_null(r);
    assert_true(json_object_object_get_ex(r, "result", &res));
    int status = json_object_get_int(json_object_array_get_idx(res, 0));
    x = json_object_array_get_idx(res, 1);
    *data = x ? json_object_get(x) : NULL;
    json_object_put(r);
    return status;
}

static const char *str(json_object *o, const char *key)
{
    json_object *x;
    return json_object_object_get_ex(o, key, &x) ? json_object_get_string(x) : "";
}

static int num(json_object *o, const char *key)
{
    json_object *x;
    return json_object_object_get_ex(o, key, &x) ? json_object_get_int(x) : -9999;
}

static char root[] = "/tmp/limed-iwinfo.XXXXXX";

static int setup(void **state)
{
    (void)state;
    assert_non_null(mkdtemp(root));
    lime_log_init("limed_iwinfo", LIME_LOG_ERR);
    ctx.root = root;
    ctx.listen_addr = "127.0.0.1:1";
    ctx.lime_config = "/nonexistent/lime-config";
    ctx.peer_port = 1;
    ctx.loop = lime_loop_new();
    ctx.sessions = ld_sessions_new(&ctx);
    struct ld_session *s;
    assert_int_equal(ld_session_login(ctx.sessions, "lime-app", "generic", 3600, NULL, &s), 0);
    memcpy(sid, s->sid, 33);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    ld_sessions_free(ctx.sessions);
    lime_loop_free(ctx.loop);
    rmdir(root);
    return 0;
}

static void test_no_nl80211(void **state)
{
    (void)state;
    lime_nl_mock_reset(); /* no phy: no nl80211, as on a kernel without cfg80211 */
    json_object *d, *list;
    assert_int_equal(call("devices", "{}", &d), LD_UBUS_OK);
    assert_true(json_object_object_get_ex(d, "devices", &list));
    assert_int_equal(json_object_array_length(list), 0);
    json_object_put(d);
    assert_int_equal(call("info", "{\"device\":\"wlan0-mesh\"}", &d), LD_UBUS_NOT_FOUND);
    json_object_put(d);
}

static void test_mesh_with_stations(void **state)
{
    (void)state;
    lime_nl_mock_reset();
    assert_true(lime_nl_mock_device("eth0") > 0);
    struct lime_nl_wifi_phy ph;
    lime_nl_mock_phy_std(&ph, 0, "phy0", 1u << LIME_WIFI_MESH | 1u << LIME_WIFI_AP);
    assert_int_equal(lime_nl_mock_phy(&ph), 0);
    struct lime_nl_wifi *w = lime_nl_wifi_open();
    assert_non_null(w);
    static const uint8_t mac[6] = {0x02, 0xaa, 0xbb, 0xcc, 0xdd, 0x01};
    assert_int_equal(lime_nl_wifi_iface_add(w, 0, "wlan0-mesh", LIME_WIFI_MESH, mac), 0);
    lime_nl_wifi_close(w);
    struct lime_nl_wifi_station st[2] = {
        {.mac = {0x02, 0xaa, 0xbb, 0xcc, 0xdd, 0x02}, .has_signal = true, .signal = -40,
         .signal_avg = -42, .inactive_ms = 120, .tx_mcs = -1, .rx_mcs = -1},
        {.mac = {0x02, 0xaa, 0xbb, 0xcc, 0xdd, 0x03}, .has_signal = true, .signal = -60,
         .signal_avg = -62, .inactive_ms = 80, .tx_mcs = 7, .rx_mcs = 7},
    };
    lime_nl_mock_stations("wlan0-mesh", st, 2);

    json_object *d, *x;
    assert_int_equal(call("devices", "{}", &d), LD_UBUS_OK);
    assert_true(json_object_object_get_ex(d, "devices", &x));
    assert_int_equal(json_object_array_length(x), 1);
    assert_string_equal(json_object_get_string(json_object_array_get_idx(x, 0)), "wlan0-mesh");
    json_object_put(d);

    assert_int_equal(call("info", "{\"device\":\"wlan0-mesh\"}", &d), LD_UBUS_OK);
    assert_string_equal(str(d, "phy"), "phy0");
    assert_string_equal(str(d, "bssid"), "02:AA:BB:CC:DD:01");
    assert_string_equal(str(d, "mode"), "Mesh Point");
    assert_int_equal(num(d, "stations"), 2);
    assert_int_equal(num(d, "signal"), -52); /* the stations' average */
    assert_int_equal(num(d, "quality"), 58);
    json_object_put(d);

    assert_int_equal(call("assoclist", "{\"device\":\"wlan0-mesh\"}", &d), LD_UBUS_OK);
    assert_true(json_object_object_get_ex(d, "results", &x));
    assert_int_equal(json_object_array_length(x), 2);
    json_object *s0 = json_object_array_get_idx(x, 0), *s1 = json_object_array_get_idx(x, 1);
    assert_string_equal(str(s0, "mac"), "02:AA:BB:CC:DD:02");
    assert_int_equal(num(s0, "signal"), -40);
    assert_int_equal(num(s0, "inactive"), 120);
    assert_string_equal(str(s1, "mac"), "02:AA:BB:CC:DD:03");
    assert_int_equal(num(s1, "signal"), -60);
    json_object_put(d);

    /* not wireless, unknown, or no device at all */
    assert_int_equal(call("info", "{\"device\":\"eth0\"}", &d), LD_UBUS_NOT_FOUND);
    json_object_put(d);
    assert_int_equal(call("assoclist", "{\"device\":\"wlan9\"}", &d), LD_UBUS_NOT_FOUND);
    json_object_put(d);
    assert_int_equal(call("assoclist", "{}", &d), LD_UBUS_INVALID_ARGUMENT);
    json_object_put(d);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_no_nl80211),
        cmocka_unit_test(test_mesh_with_stations),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
