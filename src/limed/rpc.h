/* The /ubus JSON-RPC 2.0 intake, wire-compatible with uhttpd-mod-ubus + rpcd as LiMe-App
 * uses them (spec lime-app.md §1): `call` with params [sid, object, method, {args}],
 * `list`, batches; replies `result:[status, {data}]` or `error:{code, message}`.
 * Order of checks, as uhttpd: envelope → session + ACL (-32002) → object (-32000) →
 * method (status 3) → the method, which returns a ubus status and optional data. */
#ifndef LD_RPC_H
#define LD_RPC_H

#include <json-c/json.h>
#include <stdbool.h>
#include <stddef.h>

struct ld_ctx;
struct ld_session;

enum ld_rpc_error {
    LD_RPC_PARSE_ERROR = -32700,
    LD_RPC_INVALID_REQUEST = -32600,
    LD_RPC_METHOD_NOT_FOUND = -32601,
    LD_RPC_INVALID_PARAMS = -32602,
    LD_RPC_INTERNAL = -32603,
    LD_RPC_OBJECT_NOT_FOUND = -32000,
    LD_RPC_SESSION_NOT_FOUND = -32001,
    LD_RPC_ACCESS_DENIED = -32002,
    LD_RPC_TIMEOUT = -32003,
};

/* libubus status codes carried in result[0]. */
enum ld_ubus_status {
    LD_UBUS_OK = 0,
    LD_UBUS_INVALID_COMMAND = 1,
    LD_UBUS_INVALID_ARGUMENT = 2,
    LD_UBUS_METHOD_NOT_FOUND = 3,
    LD_UBUS_NOT_FOUND = 4,
    LD_UBUS_NO_DATA = 5,
    LD_UBUS_PERMISSION_DENIED = 6,
    LD_UBUS_TIMEOUT = 7,
    LD_UBUS_NOT_SUPPORTED = 8,
    LD_UBUS_UNKNOWN_ERROR = 9,
};

/* One call as a method sees it. */
struct ld_call {
    struct ld_ctx *ctx;
    struct ld_session *session; /* the caller's session (never NULL) */
    const char *sid;
    const char *object, *method;
    const char *peer; /* the client's address ("" if unknown), for login throttling */
    struct ld_rpc_request *req; /* the request this call belongs to (NULL: cannot defer) */
    json_object *id;            /* its JSON-RPC id */
    int slot;                   /* its index in a batch, -1 for a single call */
};

/* A method: returns a ubus status; on success may set *out to a data object. */
typedef int (*ld_method_fn)(struct ld_call *call, json_object *args, json_object **out);

struct ld_method {
    const char *name;
    ld_method_fn fn;
    const char *signature; /* for `list`: "arg:type,arg:type" ("" = no args) */
};

struct ld_object {
    const char *name;
    const struct ld_method *methods; /* terminated by {NULL} */
};

/* Handles one request body from client address peer (text; "" if unknown); returns the
 * malloc'd JSON reply (never NULL). Methods cannot defer here (ld_rpc_defer gives NULL). */
char *ld_rpc_handle(struct ld_ctx *ctx, const char *body, size_t len, const char *peer);

/* The same, for a transport that can wait (HTTP): returns the reply, or NULL when a
 * method deferred its answer; done(reply, arg) is then called later, from the loop,
 * exactly once (reply malloc'd, owned by done), unless ld_rpc_request_cancel() is called
 * first (the client went away). *reqp is set to the pending request when NULL is
 * returned. */
struct ld_rpc_request;
typedef void (*ld_rpc_done_fn)(char *reply, void *arg);
char *ld_rpc_handle_async(struct ld_ctx *ctx, const char *body, size_t len, const char *peer,
                          ld_rpc_done_fn done, void *arg, struct ld_rpc_request **reqp);
void ld_rpc_request_cancel(struct ld_rpc_request *req);

/* Deferred answers, for methods that wait on the network or a child process (bandwidth
 * tests, firmware checks). Inside a method: d = ld_rpc_defer(call); if d is NULL the
 * transport cannot wait and the method must answer now; otherwise the method returns
 * LD_UBUS_DEFERRED and later calls ld_rpc_finish(d, status, data) exactly once (data
 * owned by it; may be called from the method itself). The caller bounds the wait. */
#define LD_UBUS_DEFERRED (-1)
struct ld_deferred;
struct ld_deferred *ld_rpc_defer(struct ld_call *call);
void ld_rpc_finish(struct ld_deferred *d, int status, json_object *data);

/* The registry (rpc.c): every ubus object limed serves. */
const struct ld_object *ld_rpc_object(const char *name);
size_t ld_rpc_object_count(void);
const struct ld_object *ld_rpc_object_at(size_t i);

/* Helpers for methods. */
/* The node's hostname (config system > lime-node > gethostname). */
char *ld_rpc_hostname(struct ld_ctx *ctx, char *buf, size_t len);
/* String argument or NULL when absent/not a string. */
const char *ld_arg_str(json_object *args, const char *name);
/* {"status":"error","message":msg} (app-level failure LiMe-App shows to the user). */
json_object *ld_app_error(const char *msg);
/* {"status":"ok"} */
json_object *ld_app_ok(void);

#endif
