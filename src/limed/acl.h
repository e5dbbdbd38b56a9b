/* rpcd-like access control: named ACL groups grant object.method patterns (globs) for
 * "read" or "write"; a session holds groups with read and/or write access. The groups
 * are the three LiMe-App knows: unauthenticated, lime-app (public), root (admin).
 * limed is stricter than upstream: the public group may write only notes, location and
 * dismiss the first-boot wizard (see docs/differences.md). */
#ifndef LD_ACL_H
#define LD_ACL_H

#include <json-c/json.h>
#include <stdbool.h>

enum ld_acl_group {
    LD_GRP_UNAUTHENTICATED = 0,
    LD_GRP_LIME_APP = 1,
    LD_GRP_ROOT = 2,
    LD_GRP_COUNT
};
#define LD_GRP_ALL ((1u << LD_GRP_COUNT) - 1)

/* Group id by name; "*" gives every group as a mask. Returns a bit mask, 0 if unknown. */
unsigned ld_acl_group_mask(const char *name);
const char *ld_acl_group_name(int group);

/* May a session holding read_groups/write_groups call object.method? */
bool ld_acl_allowed(unsigned read_groups, unsigned write_groups, const char *object,
                    const char *method);

/* rpcd's session.access dump: {"access-group":{g:["read","write"]}, "ubus":{obj:[m..]}}. */
json_object *ld_acl_dump(unsigned read_groups, unsigned write_groups);

/* fnmatch-like glob with '*' only. */
bool ld_acl_glob(const char *pattern, const char *s);

#endif
