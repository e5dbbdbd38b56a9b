/* lime-apply's journal: one kernel change (an "op") as data, how to make it or undo it,
 * and the list of changes made, undone in reverse on failure (kernel_apply.c fills it). */
#ifndef LR_JOURNAL_H
#define LR_JOURNAL_H

#include "desired.h"
#include "nl.h"
#include "nl80211.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum lr_op_kind {
    OP_LINK_ADD,
    OP_LINK_DEL,
    OP_MTU,
    OP_MAC,
    OP_MASTER,
    OP_UP,
    OP_ADDR_ADD,
    OP_ADDR_DEL,
    OP_RULE_ADD,
    OP_RULE_DEL,
    OP_ROUTE_ADD,
    OP_ROUTE_DEL,
    OP_BATADV_SET,
    OP_WIFI_ADD, /* create a Wi-Fi interface (wifi_apply.c) */
    OP_WIFI_DEL,
    OP_JOIN,     /* join a mesh / IBSS */
    OP_LEAVE,
    OP_COUNTRY,  /* set the regulatory domain */
};

struct lr_op {
    enum lr_op_kind kind;
    struct lr_want_link link; /* link ops: the spec; set ops: name + new value */
    struct lr_want_link old;  /* set ops: old value */
    struct lr_want_addr addr;
    struct lr_want_rule rule;
    struct lr_want_route route;
    struct lr_want_batadv bset; /* OP_BATADV_SET: the new value; bset_old the old one */
    uint32_t bset_old;
    int64_t mesh_old[LIME_BATADV_N]; /* OP_LINK_DEL of a batadv mesh: its settings (-1 = ?) */
    struct lr_want_wifi wifi;        /* Wi-Fi ops: the interface (and join) */
    char country[3], old_country[3]; /* OP_COUNTRY */
};

struct lr_journal {
    struct lr_op *ops;
    size_t n, cap;
    struct lime_nl_wifi *wifi; /* nl80211 for undoing Wi-Fi ops (NULL: none) */
};

/* Makes op (or its inverse); Wi-Fi ops over wifi (-ENOTSUP if NULL). 0 or -errno. */
int lr_op_exec(struct lime_nl *nl, struct lime_nl_wifi *wifi, const struct lr_op *op, bool inverse);
/* What op does, in words ("set mtu of eth0_29 to 1496"). */
void lr_op_describe(const struct lr_op *op, char *buf, size_t len);
/* Appends op to the journal: 0 or -ENOMEM. */
int lr_journal_add(struct lr_journal *j, const struct lr_op *op);

#endif
