/* The mesh instance (struct batd): initialisation, hard interface registration, the
 * clock, the 1 s purge worker, counter names. */
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>

#include "batd.h"
#include "frag.h"
#include "neigh.h"
#include "originator.h"
#include "tt.h"

const char *const batd_stat_names[STAT_COUNT] = {
#define BATD_STAT_NAME(id, name) name,
    BATD_STATS(BATD_STAT_NAME)
#undef BATD_STAT_NAME
};

uint64_t batd_now(const struct batd *bat)
{
    return bat->now_override ? bat->now_override : lime_now_ms();
}

bool batd_is_my_mac(const struct batd *bat, const uint8_t *addr)
{
    for (unsigned i = 0; i < bat->n_hardifs; i++)
        if (mac_eq(bat->hardifs[i].mac, addr))
            return true;
    return false;
}

bool batd_window_protected(struct batd *bat, int32_t diff, int32_t max_old, uint64_t *last_reset)
{
    if (diff <= -max_old || diff >= BATADV_EXPECTED_SEQNO_RANGE) {
        uint64_t now = batd_now(bat);
        if (*last_reset && now - *last_reset < BATD_RESET_PROTECTION_MS)
            return true;
        *last_reset = now ? now : 1;
    }
    return false;
}

void batd_init(struct batd *bat, struct lime_loop *loop, const struct batd_config *cfg)
{
    memset(bat, 0, offsetof(struct batd, gro) + offsetof(struct gro, buf));
    bat->loop = loop;
    bat->cfg = *cfg;
    if (!bat->cfg.orig_interval)
        bat->cfg.orig_interval = 1000;
    bat->tap_fd = -1;
    bat->ctl_fd = -1;
    bat->bcast_seqno = (uint32_t)random();
    bat->frag_seqno = (uint16_t)random();
    if (cfg->have_mac) {
        memcpy(bat->soft_mac, cfg->mac, 6);
    } else {
        for (int i = 0; i < 6; i++)
            bat->soft_mac[i] = (uint8_t)random();
        bat->soft_mac[0] = (uint8_t)((bat->soft_mac[0] & 0xfc) | 0x02);
    }
    batd_tt_init(bat);
}

struct hardif *batd_add_hardif(struct batd *bat, const char *name, const uint8_t *mac, unsigned mtu)
{
    if (bat->n_hardifs >= BATD_MAX_HARDIFS)
        return NULL;
    struct hardif *h = &bat->hardifs[bat->n_hardifs];
    memset(h, 0, sizeof *h);
    h->bat = bat;
    h->index = (int)bat->n_hardifs++;
    snprintf(h->name, sizeof h->name, "%s", name);
    memcpy(h->mac, mac, 6);
    h->mtu = mtu;
    h->fd = -1;
    h->tx_fd = -1;
    h->ogm_seqno = (uint32_t)random();
    return h;
}

void batd_free_tables(struct batd *bat)
{
    batd_tt_free_all(bat);
    batd_orig_free_all(bat);
    for (unsigned i = 0; i < bat->n_hardifs; i++)
        batd_hardif_neigh_purge(bat, &bat->hardifs[i], true);
}
