/* The ubus objects limed serves, one rpc_<object>.c each; rpc.c lists them. */
#ifndef LD_RPC_OBJECTS_H
#define LD_RPC_OBJECTS_H

#include "rpc.h"

extern const struct ld_object ld_obj_session;            /* rpc_session.c */
extern const struct ld_object ld_obj_system;             /* rpc_system.c */
extern const struct ld_object ld_obj_lime_utils;         /* rpc_lime_utils.c */
extern const struct ld_object ld_obj_lime_utils_admin;   /* rpc_lime_utils_admin.c */
extern const struct ld_object ld_obj_wireless_service;   /* rpc_wireless.c */
extern const struct ld_object ld_obj_wireless_service_admin; /* rpc_wireless.c */
extern const struct ld_object ld_obj_lime_metrics;       /* rpc_metrics.c */
extern const struct ld_object ld_obj_lime_location;      /* rpc_location.c */
extern const struct ld_object ld_obj_bat_hosts;          /* rpc_bat_hosts.c */
extern const struct ld_object ld_obj_shared_state;       /* rpc_shared_state.c */
extern const struct ld_object ld_obj_lime_fbw;           /* rpc_fbw.c */
extern const struct ld_object ld_obj_iwinfo;             /* rpc_iwinfo.c */

#endif
