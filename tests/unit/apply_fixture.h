/* A hand-built plan for the linux backend's tests: spec §8's worked example (LiMe-1c84d1,
 * LibreMesh.org) with configurable device names, so tests need no plan_build. */
#ifndef LR_APPLY_FIXTURE_H
#define LR_APPLY_FIXTURE_H

#include <stdint.h>

struct plan;

struct lr_fixture {
    const char *mesh_if;  /* raw mesh link (eth0): batadv VLAN 29 + babeld VLAN 17 */
    const char *lan_port; /* port of br-lan ("" = none) */
    const char *wan_if;   /* "" = no WAN */
    uint8_t node4[4];     /* default 10.13.132.209 */
    unsigned hello_s;     /* babel hello interval */
    const char *preferred_gateway;
    const char *check_url;
};

/* calloc'd plan (free with plan_free or free()). f NULL = all defaults. */
struct plan *lr_fixture_plan(const struct lr_fixture *f);

#endif
