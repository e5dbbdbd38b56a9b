/* Fuzzes the local control protocol (control.h): any request text against a running
 * service (no sockets: no listener, no discovery; "sync" requests are skipped so that
 * nothing is ever sent to an address taken from the input). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "control.h"
#include "log.h"
#include "loop.h"
#include "service.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void drop(void *arg, struct json_object *reply)
{
    if (!json_object_object_get_ex(reply, "error", NULL))
        abort(); /* every reply says how it went */
    json_object_put(reply);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static struct lime_loop *loop;
    static struct ss_service *ss;
    if (!ss) {
        lime_log_init("fuzz", LIME_LOG_ERR);
        loop = lime_loop_new();
        struct ss_config cfg;
        ss_config_defaults(&cfg);
        cfg.hostname = "fuzz";
        cfg.listen_addr = NULL;
        cfg.limits.max_entries = 64;
        cfg.limits.max_entry_bytes = 1024;
        ss = ss_service_start(loop, &cfg);
        if (!ss)
            abort();
    }
    char *text = malloc(size + 1);
    memcpy(text, data, size);
    text[size] = 0;
    struct json_object *req = json_tokener_parse(text), *op;
    bool is_sync = req && json_object_object_get_ex(req, "op", &op) &&
                   json_object_is_type(op, json_type_string) &&
                   !strcmp(json_object_get_string(op), "sync");
    json_object_put(req);
    if (!is_sync)
        ss_control_eval(ss, text, drop, NULL);
    free(text);
    return 0;
}
