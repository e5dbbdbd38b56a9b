/* ubus object "session" (rpcd): login, access, destroy. */
#include "acl.h"
#include "limed.h"
#include "rpc_objects.h"
#include "session.h"

#include <string.h>

static int s_login(struct ld_call *c, json_object *args, json_object **out)
{
    const char *user = ld_arg_str(args, "username");
    const char *pw = ld_arg_str(args, "password");
    json_object *jt;
    int timeout = 0;
    if (!user || !pw)
        return LD_UBUS_INVALID_ARGUMENT;
    if (json_object_object_get_ex(args, "timeout", &jt)) {
        if (!json_object_is_type(jt, json_type_int))
            return LD_UBUS_INVALID_ARGUMENT;
        timeout = json_object_get_int(jt);
    }
    struct ld_session *s;
    if (ld_session_login(c->ctx->sessions, user, pw, timeout, c->peer, &s) < 0)
        return LD_UBUS_PERMISSION_DENIED;
    json_object *o = json_object_new_object();
    json_object_object_add(o, "ubus_rpc_session", json_object_new_string(s->sid));
    json_object_object_add(o, "timeout", json_object_new_int(s->timeout_s));
    json_object_object_add(o, "expires", json_object_new_int(s->timeout_s));
    json_object_object_add(o, "acls", ld_acl_dump(s->read_groups, s->write_groups));
    json_object *data = json_object_new_object();
    json_object_object_add(data, "username", json_object_new_string(s->username));
    json_object_object_add(o, "data", data);
    *out = o;
    return LD_UBUS_OK;
}

/* No args: the ACL dump. {scope:"ubus", object, function}: {"access": bool}. */
static int s_access(struct ld_call *c, json_object *args, json_object **out)
{
    struct ld_session *s = c->session;
    const char *object = ld_arg_str(args, "object");
    const char *function = ld_arg_str(args, "function");
    if (object && function) {
        const char *scope = ld_arg_str(args, "scope");
        bool ok = (!scope || !strcmp(scope, "ubus")) &&
                  ld_acl_allowed(s->read_groups, s->write_groups, object, function);
        *out = json_object_new_object();
        json_object_object_add(*out, "access", json_object_new_boolean(ok));
        return LD_UBUS_OK;
    }
    *out = ld_acl_dump(s->read_groups, s->write_groups);
    return LD_UBUS_OK;
}

static int s_destroy(struct ld_call *c, json_object *args, json_object **out)
{
    const char *sid = ld_arg_str(args, "ubus_rpc_session_destroy");
    (void)sid;
    if (!strcmp(c->sid, LD_NULL_SID))
        return LD_UBUS_PERMISSION_DENIED;
    ld_session_destroy(c->ctx->sessions, c->sid);
    return LD_UBUS_OK;
}

static const struct ld_method methods[] = {
    {"login", s_login, "username:string,password:string,timeout:integer"},
    {"access", s_access, "scope:string,object:string,function:string"},
    {"destroy", s_destroy, ""},
    {NULL, NULL, NULL},
};

const struct ld_object ld_obj_session = {"session", methods};
