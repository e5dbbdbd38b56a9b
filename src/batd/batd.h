/* The daemon's state: one `struct batd` per soft interface, holding the hard interfaces,
 * originator table, translation tables, counters and I/O buffers (the kernel's
 * batadv_priv). Every other file operates on it. Nothing here allocates per packet. */
#ifndef BATD_BATD_H
#define BATD_BATD_H

#include <net/if.h>
#include <sys/socket.h>
#include <stdbool.h>
#include <stdint.h>

#include "gro.h"
#include "loop.h"
#include "packet.h"
#include "stats.h"

#define BATD_MAX_HARDIFS 8
#define BATD_HEADROOM 64            /* room to prepend Ethernet + VLAN + batman headers */
#define BATD_FRAME_MAX 16384        /* largest frame read from a socket or the TAP */
#define BATD_AGG_MAX 512            /* OGM aggregate size limit (bytes of batman payload) */
#define BATD_AGG_MAX_OGMS 32
#define BATD_TTL 50
#define BATD_BCAST_TTL 49
#define BATD_TQ_MAX 255
#define BATD_TQ_GLOBAL_WINDOW 5
#define BATD_RESET_PROTECTION_MS 30000
#define BATD_NEIGH_TIMEOUT_MS 200000
#define BATD_ORIG_TIMEOUT_MS 400000
#define BATD_ORIG_HASH 256
#define BATD_MAX_ORIGS 8192          /* beyond this, new originators are refused (counted) */
#define BATD_TT_HASH 1024
#define BATD_FRAG_CHAINS 8
#define BATD_FRAG_MAX 16
#define BATD_FRAG_MAX_SIZE 1280
#define BATD_FRAG_TIMEOUT_MS 10000
#define BATD_SOFT_MTU 1500
#define BATD_BATCH 32               /* frames per recvmmsg/sendmmsg and per TAP read burst */
#define BATD_SLOT_DATA 9216         /* frame bytes per batch slot (jumbo frames fit) */
#define BATD_TAP_IN_MAX (65536 + 64)
/* Receive rings (rxring.c) start at MIN slots of 2 KiB (256 KiB) and double, up to MAX
 * (4 MiB), whenever the kernel dropped a frame for want of a free slot; after a minute
 * without drops a ring that would hold four times what the link brought in HOLD_MS
 * halves again. */
#define BATD_RXRING_MIN 128u
#define BATD_RXRING_MAX 2048u
#define BATD_RXRING_HOLD_MS 20u

struct batd;
struct orig;

/* A neighbour as seen through one originator entry: the next hop `addr` on `hif`
 * (kernel: batadv_neigh_node + its default-table ifinfo). */
struct neigh {
    struct neigh *next;
    uint8_t addr[6];
    struct hardif *hif;
    uint64_t real_bits;         /* which of orig's last 64 seqnos arrived via this neighbour */
    uint8_t real_count;
    uint8_t tq_recv[BATD_TQ_GLOBAL_WINDOW];
    uint8_t tq_index;
    uint8_t tq_avg;
    uint8_t last_ttl;
    uint64_t last_seen;
};

struct tt_orig_vlan {
    uint16_t vid;
    uint32_t crc;
    uint32_t count;
};
#define BATD_TT_MAX_VLANS 16

struct frag_slot {
    uint16_t len;
    bool have;
};
struct frag_chain {
    uint8_t *buf;              /* BATD_FRAG_MAX slots of BATD_FRAG_MAX_SIZE bytes, lazily allocated */
    struct frag_slot slot[BATD_FRAG_MAX];
    uint16_t seqno;
    uint16_t total_size;
    uint32_t collected;
    uint64_t timestamp;
    bool active;
};

struct orig {
    struct orig *hnext;
    uint8_t addr[6];
    uint64_t last_seen;
    /* OGM window (default routing table) */
    uint32_t last_real_seqno;
    uint64_t seqno_reset;       /* when the last seqno reset was accepted */
    bool seqno_valid;
    uint8_t last_ttl;
    struct neigh *neighs;
    struct neigh *router;
    /* echoes: how many of my last 64 OGMs on each hard interface this originator echoed */
    uint64_t bcast_own[BATD_MAX_HARDIFS];
    uint8_t bcast_own_sum[BATD_MAX_HARDIFS];
    /* broadcast dedup */
    uint32_t last_bcast_seqno;
    uint64_t bcast_bits;
    uint64_t bcast_seqno_reset;
    bool bcast_valid;
    /* translation table state of this originator */
    bool tt_initialised;
    uint8_t ttvn;
    uint64_t tt_req_sent;       /* last TT request time, 0 = none pending */
    struct tt_orig_vlan tt_vlans[BATD_TT_MAX_VLANS];
    unsigned tt_num_vlans;
    /* fragment reassembly */
    struct frag_chain frag[BATD_FRAG_CHAINS];
};

/* A hard interface (kernel: batadv_hard_iface). */
struct hardif {
    struct batd *bat;
    int index;
    char name[IF_NAMESIZE];
    int ifindex;
    int fd;                     /* receive socket (watched by the loop) */
    int tx_fd;                  /* send-only socket, never watched (see batd_hardif_open) */
    uint8_t mac[6];
    unsigned mtu;               /* MTU available to batman payload (VLAN tag subtracted) */
    bool wireless;
    uint32_t ogm_seqno;         /* next own OGM seqno on this interface */
    uint8_t agg[BATD_AGG_MAX + BATADV_OGM_HLEN + 1024];
    size_t agg_len;
    unsigned agg_count;
    struct lime_timer *agg_timer;
    struct hardif_neigh *neighs; /* direct neighbours heard on this interface */
    /* frames queued by reference during a receive burst, sent with one sendmmsg */
    unsigned txq_n;
    struct mmsghdr txq_msg[BATD_BATCH];
    struct iovec txq_iov[BATD_BATCH];
    /* PACKET_RX_RING (rxring.c), NULL when receiving with recvmmsg; rx_frames slots of
     * 2 KiB, sized to the link (BATD_RXRING_MIN..MAX), rx_quiet: seconds without drops */
    uint8_t *rx_ring;
    unsigned rx_frames, rx_head, rx_quiet;
};

struct batd_config {
    const char *soft_if;
    const char *ctl_path;
    uint16_t vlan_tpid;         /* 0 = untagged, 0x88a8 or 0x8100 */
    uint16_t vlan_id;
    unsigned orig_interval;
    unsigned hop_penalty;
    bool have_mac;
    uint8_t mac[6];
    bool aggregation;
    bool bla, dat, multicast_mode; /* accepted, reported unsupported */
    /* gw_mode: only its DHCP rule is implemented (no gateway announcement/selection):
     * with client or server, DHCP requests from our clients never enter the mesh, as in
     * the kernel when no gateway is selected (LibreMesh anygw: DHCP stays local) */
    enum { BATD_GW_OFF, BATD_GW_CLIENT, BATD_GW_SERVER } gw_mode;
    bool no_tap_offload;        /* no IFF_VNET_HDR / userspace GRO on the TAP */
    bool no_rx_ring;            /* hard interfaces: recvmmsg instead of PACKET_RX_RING */
};

struct tt_local;
struct tt_global;

/* Where frames go when the daemon runs without sockets (unit tests, fuzzing). */
typedef void (*batd_tx_hook)(struct batd *bat, struct hardif *hif, const uint8_t *frame, size_t len);
typedef void (*batd_tap_hook)(struct batd *bat, const uint8_t *frame, size_t len);

struct batd {
    struct lime_loop *loop;
    struct batd_config cfg;
    struct hardif hardifs[BATD_MAX_HARDIFS];
    unsigned n_hardifs;
    int tap_fd;
    bool tap_vnet;              /* TAP opened with IFF_VNET_HDR: frames carry a virtio_net_hdr */
    int soft_ifindex;
    uint8_t soft_mac[6];
    uint32_t bcast_seqno;
    uint16_t frag_seqno;
    struct orig *orig_hash[BATD_ORIG_HASH];
    unsigned n_origs;
    /* translation table (tt.c) */
    struct tt_local *tt_local[BATD_TT_HASH];
    struct tt_global *tt_global[BATD_TT_HASH];
    uint8_t ttvn;
    unsigned tt_local_changes;   /* uncommitted local changes */
    uint8_t *tt_diff;            /* last committed changeset, TT change entries */
    unsigned tt_diff_num;
    unsigned tt_diff_repeats;    /* OGMs that still carry the diff */
    struct tt_orig_vlan tt_vlans[BATD_TT_MAX_VLANS]; /* own per-VLAN CRCs */
    unsigned tt_num_vlans;
    uint64_t stats[STAT_COUNT];
    struct lime_timer *ogm_timer, *purge_timer;
    int ctl_fd;
    uint64_t now_override;       /* tests: fixed clock when non-zero */
    batd_tx_hook tx_hook;
    batd_tap_hook tap_hook;
    /* receive bursts: frames read into io_slots stay valid until the burst ends, so sends
     * of frames inside [batch_lo, batch_hi) are queued per interface, not copied */
    bool batching;
    uint8_t *batch_lo, *batch_hi;
    const uint8_t *last_queued;
    struct hardif *last_queued_hif;
    /* Buffers from here on: batd_init zeroes the state above and gro's fields, not the
     * ~450 KiB of buffers, so their pages become resident only when used. */
    struct gro gro;              /* TCP segments for the TAP, merged per burst */
    uint8_t io_slots[BATD_BATCH][BATD_HEADROOM + BATD_SLOT_DATA];
    uint8_t tap_in[BATD_TAP_IN_MAX + 64]; /* one TAP read: virtio_net_hdr + frame (TSO: 64 KB) */
    /* I/O scratch buffers; frames are read at BATD_HEADROOM so headers can be prepended */
    uint8_t rxbuf[BATD_HEADROOM + BATD_FRAME_MAX];
    uint8_t txbuf[BATD_HEADROOM + BATD_FRAME_MAX + 64];
    uint8_t fragbuf[BATD_HEADROOM + BATD_FRAG_MAX * BATD_FRAG_MAX_SIZE]; /* reassembly */
    uint8_t fragtx[BATD_HEADROOM + BATD_FRAG_MAX_SIZE + 64];              /* one fragment */
    uint8_t tvlvbuf[BATD_HEADROOM + BATD_FRAG_MAX * BATD_FRAG_MAX_SIZE];  /* TT/roam messages */
};

uint64_t batd_now(const struct batd *bat);
static inline struct hardif *batd_primary(struct batd *bat) { return &bat->hardifs[0]; }
static inline const uint8_t *batd_orig_addr(struct batd *bat) { return bat->hardifs[0].mac; }
/* Is addr one of my hard-interface MACs? */
bool batd_is_my_mac(const struct batd *bat, const uint8_t *addr);
static inline void batd_count(struct batd *bat, enum batd_stat s) { bat->stats[s]++; }
static inline void batd_count_n(struct batd *bat, enum batd_stat s, uint64_t n) { bat->stats[s] += n; }

/* Seqno reset protection (spec §3.4): a diff outside (-max_old, 65536) is a restart;
 * it is accepted (and *last_reset set) only if the previous one is 30 s old. True = drop. */
bool batd_window_protected(struct batd *bat, int32_t diff, int32_t max_old, uint64_t *last_reset);

/* Initialises a batd with no sockets (tests): n hard interfaces with the given MACs. */
void batd_init(struct batd *bat, struct lime_loop *loop, const struct batd_config *cfg);
struct hardif *batd_add_hardif(struct batd *bat, const char *name, const uint8_t *mac, unsigned mtu);
void batd_free_tables(struct batd *bat);

#endif
