/* Translation table (spec §5.4): which originator announces which client MAC (+VLAN).
 * Local table: MACs that entered the mesh through our soft interface; committed once per
 * OGM interval into a new ttvn with per-VLAN CRC32C, announced as diffs in OGM TVLVs.
 * Global table: clients of other originators, learned from OGM diffs and full-table
 * responses (batd always asks for, and answers with, full tables: legal and simpler). */
#ifndef BATD_TT_H
#define BATD_TT_H

#include "batd.h"

#define BATD_TT_LOCAL_TIMEOUT_MS 600000
#define BATD_TT_ROAM_TIMEOUT_MS 600000
#define BATD_TT_REQUEST_TIMEOUT_MS 3000
#define BATD_TT_DIFF_REPEATS 4
/* local-only: the client has since appeared in our local table (roaming adv sent) */
#define BATD_TT_GLOBAL_ROAMED_AWAY 0x1000

struct tt_local {
    struct tt_local *next;
    uint8_t addr[6];
    uint16_t vid;
    uint16_t flags;
    uint64_t last_seen;
};

/* One (client, announcing originator) pair; a client announced by several originators
 * has several of these. */
struct tt_global {
    struct tt_global *next;
    uint8_t addr[6];
    uint16_t vid;
    uint16_t flags;            /* wire flags + BATD_TT_GLOBAL_ROAMED_AWAY */
    uint8_t ttvn;
    struct orig *orig;
    uint64_t added;
};

/* Adds the soft interface's MAC (NOPURGE, VID 0). */
void batd_tt_init(struct batd *bat);
void batd_tt_free_all(struct batd *bat);
/* A frame from the soft interface with this source: learn or refresh. */
void batd_tt_local_learn(struct batd *bat, const uint8_t *mac, uint16_t vid);
/* Is mac a live local client (not pending deletion)? */
bool batd_tt_local_has(struct batd *bat, const uint8_t *mac, uint16_t vid);
/* Commits local changes: new ttvn, CRCs, diff for the next OGMs. Called before each own OGM. */
void batd_tt_commit(struct batd *bat);
/* Writes the OGM TVLV block (TT container) at p; returns its length (0 if none fits). */
size_t batd_tt_ogm_tvlv_build(struct batd *bat, uint8_t *p, size_t max);
/* TVLV block of an accepted OGM of originator o. */
void batd_tt_ogm_tvlv_rx(struct batd *bat, struct orig *o, const uint8_t *tvlvs, size_t len);
/* TVLV block of a UNICAST_TVLV addressed to me, from originator src. */
void batd_tt_unicast_tvlv_rx(struct batd *bat, const uint8_t *src, const uint8_t *tvlvs, size_t len);
/* Best originator announcing (mac, vid), or NULL. */
struct orig *batd_tt_global_lookup(struct batd *bat, const uint8_t *mac, uint16_t vid);
void batd_tt_global_del_orig(struct batd *bat, struct orig *o);
/* Ages local clients (600 s) and roaming entries; called every second. */
void batd_tt_purge(struct batd *bat);
/* Per-VLAN CRC of my committed local table (0 if no such VLAN). */
uint32_t batd_tt_local_crc(struct batd *bat, uint16_t vid);

#define tt_local_for_each(bat, e)                                                      \
    for (unsigned tl_b_ = 0; tl_b_ < BATD_TT_HASH; tl_b_++)                            \
        for (struct tt_local *e = (bat)->tt_local[tl_b_]; e; e = e->next)
#define tt_global_for_each(bat, e)                                                     \
    for (unsigned tg_b_ = 0; tg_b_ < BATD_TT_HASH; tg_b_++)                            \
        for (struct tt_global *e = (bat)->tt_global[tg_b_]; e; e = e->next)

#endif
