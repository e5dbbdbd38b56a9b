/* JSON-RPC envelope and dispatch; see rpc.h. */
#include "rpc.h"

#include "acl.h"
#include "limed.h"
#include "rpc_objects.h"
#include "session.h"
#include "ucifile.h"
#include "core/log.h"
#include "core/loop.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const struct ld_object *const objects[] = {
    &ld_obj_session,         &ld_obj_system,
    &ld_obj_lime_utils,      &ld_obj_lime_utils_admin,
    &ld_obj_wireless_service, &ld_obj_wireless_service_admin,
    &ld_obj_lime_metrics,    &ld_obj_lime_location,
    &ld_obj_bat_hosts,       &ld_obj_shared_state,
    &ld_obj_lime_fbw,        &ld_obj_iwinfo,
};
#define N_OBJECTS (sizeof(objects) / sizeof(objects[0]))

#define MAX_BATCH 16
#define MAX_DEPTH 32

size_t ld_rpc_object_count(void)
{
    return N_OBJECTS;
}

const struct ld_object *ld_rpc_object_at(size_t i)
{
    return i < N_OBJECTS ? objects[i] : NULL;
}

const struct ld_object *ld_rpc_object(const char *name)
{
    for (size_t i = 0; i < N_OBJECTS; i++)
        if (!strcmp(objects[i]->name, name))
            return objects[i];
    return NULL;
}

const char *ld_arg_str(json_object *args, const char *name)
{
    json_object *v;
    if (!args || !json_object_object_get_ex(args, name, &v) ||
        !json_object_is_type(v, json_type_string))
        return NULL;
    return json_object_get_string(v);
}

json_object *ld_app_error(const char *msg)
{
    json_object *o = json_object_new_object();
    json_object_object_add(o, "status", json_object_new_string("error"));
    json_object_object_add(o, "message", json_object_new_string(msg));
    return o;
}

json_object *ld_app_ok(void)
{
    json_object *o = json_object_new_object();
    json_object_object_add(o, "status", json_object_new_string("ok"));
    return o;
}

char *ld_rpc_hostname(struct ld_ctx *ctx, char *buf, size_t len)
{
    char path[512];
    ld_uci_read_option(ld_path(ctx, "/etc/config/system", path, sizeof(path)), "@system[0]",
                       "hostname", buf, len);
    if (!buf[0])
        ld_uci_read_option(ld_path(ctx, "/etc/config/lime-node", path, sizeof(path)), "system",
                           "hostname", buf, len);
    if (!buf[0] || strchr(buf, '%')) {
        if (gethostname(buf, len) < 0)
            snprintf(buf, len, "LiMe");
        buf[len - 1] = 0;
    }
    return buf;
}

static json_object *envelope(json_object *id)
{
    json_object *r = json_object_new_object();
    json_object_object_add(r, "jsonrpc", json_object_new_string("2.0"));
    json_object_object_add(r, "id", id ? json_object_get(id) : NULL);
    return r;
}

static json_object *error_reply(json_object *id, int code)
{
    const char *msg;
    switch (code) {
    case LD_RPC_PARSE_ERROR: msg = "Parse error"; break;
    case LD_RPC_INVALID_REQUEST: msg = "Invalid request"; break;
    case LD_RPC_METHOD_NOT_FOUND: msg = "Method not found"; break;
    case LD_RPC_INVALID_PARAMS: msg = "Invalid parameters"; break;
    case LD_RPC_OBJECT_NOT_FOUND: msg = "Object not found"; break;
    case LD_RPC_SESSION_NOT_FOUND: msg = "Session not found"; break;
    case LD_RPC_ACCESS_DENIED: msg = "Access denied"; break;
    case LD_RPC_TIMEOUT: msg = "ubus request timed out"; break;
    default: msg = "Internal error"; break;
    }
    json_object *r = envelope(id);
    json_object *e = json_object_new_object();
    json_object_object_add(e, "code", json_object_new_int(code));
    json_object_object_add(e, "message", json_object_new_string(msg));
    json_object_object_add(r, "error", e);
    return r;
}

static json_object *result_reply(json_object *id, int status, json_object *data)
{
    json_object *r = envelope(id);
    json_object *a = json_object_new_array();
    json_object_array_add(a, json_object_new_int(status));
    if (data)
        json_object_array_add(a, data);
    json_object_object_add(r, "result", a);
    return r;
}

/* `list`: no params → names; params [names] → {obj: {method: {arg: type}}}. */
static json_object *do_list(json_object *id, json_object *params)
{
    if (!params) {
        json_object *names = json_object_new_array();
        for (size_t i = 0; i < N_OBJECTS; i++)
            json_object_array_add(names, json_object_new_string(objects[i]->name));
        json_object *r = envelope(id);
        json_object_object_add(r, "result", names);
        return r;
    }
    if (!json_object_is_type(params, json_type_array))
        return error_reply(id, LD_RPC_INVALID_PARAMS);
    json_object *out = json_object_new_object();
    for (size_t i = 0; i < json_object_array_length(params); i++) {
        json_object *n = json_object_array_get_idx(params, i);
        if (!json_object_is_type(n, json_type_string))
            continue;
        const struct ld_object *o = ld_rpc_object(json_object_get_string(n));
        if (!o)
            continue;
        json_object *ms = json_object_new_object();
        for (const struct ld_method *m = o->methods; m->name; m++) {
            json_object *sig = json_object_new_object();
            char buf[256];
            ld_strlcpy(buf, m->signature ? m->signature : "", sizeof(buf));
            for (char *save, *tok = strtok_r(buf, ",", &save); tok;
                 tok = strtok_r(NULL, ",", &save)) {
                char *colon = strchr(tok, ':');
                if (colon) {
                    *colon = 0;
                    json_object_object_add(sig, tok, json_object_new_string(colon + 1));
                }
            }
            json_object_object_add(ms, m->name, sig);
        }
        json_object_object_add(out, o->name, ms);
    }
    json_object *r = envelope(id);
    json_object_object_add(r, "result", out);
    return r;
}

/* A request in progress: its reply (one object, or an array for a batch) with a slot per
 * deferred call still to be filled. */
struct ld_rpc_request {
    struct ld_ctx *ctx;
    bool can_defer;
    bool building;  /* still inside ld_rpc_handle_async */
    bool cancelled; /* the transport gave up: drop the reply */
    int outstanding;
    json_object *reply;
    ld_rpc_done_fn done;
    void *arg;
};

struct ld_deferred {
    struct ld_rpc_request *req;
    json_object *id;
    int slot;
};

static json_object *result_reply(json_object *id, int status, json_object *data);
static char *to_text(json_object *reply);

struct ld_deferred *ld_rpc_defer(struct ld_call *call)
{
    if (!call->req || !call->req->can_defer)
        return NULL;
    struct ld_deferred *d = calloc(1, sizeof(*d));
    if (!d)
        return NULL;
    d->req = call->req;
    d->id = call->id ? json_object_get(call->id) : NULL;
    d->slot = call->slot;
    call->req->outstanding++;
    return d;
}

static void request_free(struct ld_rpc_request *req)
{
    json_object_put(req->reply);
    free(req);
}

/* Hands a finished request to its transport (or drops it when cancelled). */
static void request_complete(struct ld_rpc_request *req)
{
    if (req->cancelled) {
        request_free(req);
        return;
    }
    json_object *reply = req->reply;
    req->reply = NULL;
    ld_rpc_done_fn done = req->done;
    void *arg = req->arg;
    free(req);
    done(to_text(reply), arg);
}

void ld_rpc_finish(struct ld_deferred *d, int status, json_object *data)
{
    struct ld_rpc_request *req = d->req;
    if (status != LD_UBUS_OK && data) {
        json_object_put(data);
        data = NULL;
    }
    json_object *r = result_reply(d->id, status, data);
    json_object_put(d->id);
    if (d->slot < 0) {
        json_object_put(req->reply);
        req->reply = r;
    } else if (req->reply) {
        json_object_array_put_idx(req->reply, (size_t)d->slot, r);
    } else {
        json_object_put(r);
    }
    free(d);
    if (--req->outstanding == 0 && !req->building)
        request_complete(req);
}

void ld_rpc_request_cancel(struct ld_rpc_request *req)
{
    if (req)
        req->cancelled = true; /* freed when its last deferred call finishes */
}

static json_object *do_call(struct ld_ctx *ctx, json_object *id, json_object *params,
                            const char *peer, struct ld_rpc_request *req, int slot)
{
    if (!params || !json_object_is_type(params, json_type_array) ||
        json_object_array_length(params) != 4)
        return error_reply(id, LD_RPC_INVALID_PARAMS);
    json_object *jsid = json_object_array_get_idx(params, 0);
    json_object *jobj = json_object_array_get_idx(params, 1);
    json_object *jmeth = json_object_array_get_idx(params, 2);
    json_object *args = json_object_array_get_idx(params, 3);
    if (!json_object_is_type(jsid, json_type_string) ||
        !json_object_is_type(jobj, json_type_string) ||
        !json_object_is_type(jmeth, json_type_string) ||
        !json_object_is_type(args, json_type_object) ||
        json_object_object_get_ex(args, "ubus_rpc_session", NULL))
        return error_reply(id, LD_RPC_INVALID_PARAMS);
    const char *sid = json_object_get_string(jsid);
    const char *object = json_object_get_string(jobj);
    const char *method = json_object_get_string(jmeth);
    ctx->stats.rpc_calls++;

    struct ld_session *sess = ld_session_get(ctx->sessions, sid);
    if (!sess || !ld_acl_allowed(sess->read_groups, sess->write_groups, object, method)) {
        ctx->stats.rpc_denied++;
        return error_reply(id, LD_RPC_ACCESS_DENIED);
    }
    const struct ld_object *o = ld_rpc_object(object);
    if (!o)
        return error_reply(id, LD_RPC_OBJECT_NOT_FOUND);
    const struct ld_method *m = o->methods;
    while (m->name && strcmp(m->name, method))
        m++;
    if (!m->name)
        return result_reply(id, LD_UBUS_METHOD_NOT_FOUND, NULL);
    struct ld_call call = {ctx, sess, sid, object, method, peer, req, id, slot};
    json_object *data = NULL;
    uint64_t t0 = lime_now_ms();
    int status = m->fn(&call, args, &data);
    uint64_t took = lime_now_ms() - t0;
    if (took > 300)
        log_warn("%s.%s took %llu ms", object, method, (unsigned long long)took);
    if (status == LD_UBUS_DEFERRED) {
        json_object_put(data);
        return NULL; /* ld_rpc_finish fills the slot */
    }
    if (status != LD_UBUS_OK && data) {
        json_object_put(data);
        data = NULL;
    }
    return result_reply(id, status, data);
}

static json_object *handle_one(struct ld_ctx *ctx, json_object *req, const char *peer,
                               struct ld_rpc_request *rr, int slot)
{
    if (!json_object_is_type(req, json_type_object)) {
        ctx->stats.rpc_invalid++;
        return error_reply(NULL, LD_RPC_INVALID_REQUEST);
    }
    json_object *id = NULL, *ver, *method, *params = NULL;
    json_object_object_get_ex(req, "id", &id);
    if (!json_object_object_get_ex(req, "jsonrpc", &ver) ||
        !json_object_is_type(ver, json_type_string) ||
        strcmp(json_object_get_string(ver), "2.0") ||
        !json_object_object_get_ex(req, "method", &method) ||
        !json_object_is_type(method, json_type_string)) {
        ctx->stats.rpc_invalid++;
        return error_reply(id, LD_RPC_INVALID_REQUEST);
    }
    json_object_object_get_ex(req, "params", &params);
    const char *m = json_object_get_string(method);
    if (!strcmp(m, "call"))
        return do_call(ctx, id, params, peer, rr, slot);
    if (!strcmp(m, "list"))
        return do_list(id, params);
    return error_reply(id, LD_RPC_METHOD_NOT_FOUND);
}

static char *to_text(json_object *reply)
{
    const char *s = json_object_to_json_string_ext(reply, JSON_C_TO_STRING_PLAIN |
                                                              JSON_C_TO_STRING_NOSLASHESCAPE);
    char *out = strdup(s ? s : "{}");
    json_object_put(reply);
    if (!out)
        abort();
    return out;
}

char *ld_rpc_handle_async(struct ld_ctx *ctx, const char *body, size_t len, const char *peer,
                          ld_rpc_done_fn done, void *arg, struct ld_rpc_request **reqp)
{
    json_tokener *tok = json_tokener_new_ex(MAX_DEPTH);
    if (!tok)
        abort();
    json_object *req = NULL;
    if (len > 0 && len <= (size_t)0x7fffffff)
        req = json_tokener_parse_ex(tok, body, (int)len);
    /* A bare number at the very end is only complete once the input ends: say so. */
    bool all_consumed = false;
    if (!req && len > 0 && json_tokener_get_error(tok) == json_tokener_continue) {
        req = json_tokener_parse_ex(tok, "", 1);
        all_consumed = true;
    }
    bool bad = !req || json_tokener_get_error(tok) != json_tokener_success;
    if (!bad) {
        /* Anything but blanks after the value is a parse error too. */
        size_t end = all_consumed ? len : json_tokener_get_parse_end(tok);
        for (size_t i = end < len ? end : len; i < len; i++)
            if (body[i] != ' ' && body[i] != '\n' && body[i] != '\r' && body[i] != '\t')
                bad = true;
    }
    json_tokener_free(tok);
    if (bad) {
        json_object_put(req);
        ctx->stats.rpc_parse_errors++;
        return to_text(error_reply(NULL, LD_RPC_PARSE_ERROR));
    }
    struct ld_rpc_request *rr = calloc(1, sizeof(*rr));
    if (!rr)
        abort();
    rr->ctx = ctx;
    rr->can_defer = done != NULL;
    rr->building = true;
    rr->done = done;
    rr->arg = arg;
    if (json_object_is_type(req, json_type_array)) {
        size_t n = json_object_array_length(req);
        if (n == 0 || n > MAX_BATCH) {
            ctx->stats.rpc_invalid++;
            rr->reply = error_reply(NULL, LD_RPC_INVALID_REQUEST);
        } else {
            /* every slot exists before any call runs: a deferred call may finish early */
            rr->reply = json_object_new_array();
            for (size_t i = 0; i < n; i++)
                json_object_array_add(rr->reply, NULL);
            for (size_t i = 0; i < n; i++) {
                json_object *one = handle_one(ctx, json_object_array_get_idx(req, i), peer, rr,
                                              (int)i);
                if (one)
                    json_object_array_put_idx(rr->reply, i, one);
            }
        }
    } else {
        json_object *one = handle_one(ctx, req, peer, rr, -1);
        if (one) { /* else: deferred, or already finished into rr->reply */
            json_object_put(rr->reply);
            rr->reply = one;
        }
    }
    json_object_put(req);
    rr->building = false;
    if (rr->outstanding > 0) {
        *reqp = rr;
        return NULL;
    }
    json_object *reply = rr->reply;
    rr->reply = NULL;
    request_free(rr);
    return to_text(reply);
}

char *ld_rpc_handle(struct ld_ctx *ctx, const char *body, size_t len, const char *peer)
{
    struct ld_rpc_request *rr = NULL;
    return ld_rpc_handle_async(ctx, body, len, peer, NULL, NULL, &rr);
}
