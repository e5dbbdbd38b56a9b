/* The model lime-sim keeps of one virtual mesh: nodes, radio links between them and
 * phone-like clients. topology.c builds it from a TOPOLOGY argument, state.c stores it
 * under /run/lime-sim/ between commands, and every other file acts on it. */
#ifndef LIME_SIM_H
#define LIME_SIM_H

#include <stdbool.h>
#include <stddef.h>

/* Everything lime-sim creates on the host is named ls-...: namespaces ls-n-NODE,
 * ls-c-CLIENT, ls-medium, ls-inet, and its files live in /run/lime-sim. With
 * LIME_SIM_INSTANCE=ID (2-8 of [a-z0-9]) a second mesh runs beside the default one, with
 * namespaces ls-ID-... and files in /run/lime-sim/ID (tests and benchmarks use their own
 * instance, so they never disturb a mesh someone else is using). */
#define SIM_RUN_ROOT "/run/lime-sim"
/* Reads LIME_SIM_INSTANCE; -1 (message logged) if it is malformed. */
int sim_instance_init(void);
const char *sim_run_dir(void);   /* /run/lime-sim[/ID] */
const char *sim_prefix(void);    /* "ls-" or "ls-ID-" */
const char *sim_ns_medium(void); /* <prefix>medium */
const char *sim_ns_inet(void);   /* <prefix>inet */
/* True if namespace name belongs to this instance. */
bool sim_ns_owned(const char *name);
#define SIM_DEFAULT_SSID "LibreMesh.org"

#define SIM_NAME_MAX 24 /* node/client names: [A-Za-z0-9]{1,23} */
#define SIM_SSID_MAX 33
#define SIM_MAX_NODES 1000

#define SIM_MAX_NODE_OPTS 8
#define SIM_OPT_MAX 160

struct sim_node {
    char name[SIM_NAME_MAX];
    char ssid[SIM_SSID_MAX];  /* AP SSID: nodes with one SSID form one cloud */
    bool gateway;             /* has a WAN port into the internet namespace */
    char prefer_gw[SIM_NAME_MAX]; /* user-preferred gateway node, "" = nearest */
    bool stopped;             /* `node stop` was called */
    /* --option NODE:SECTION.OPTION=VALUE: extra lime-node options ("SECTION.OPTION=VALUE") */
    char opts[SIM_MAX_NODE_OPTS][SIM_OPT_MAX];
    int n_opts;
    /* Wi-Fi mode */
    char radio_types[48];     /* --radio NODE=TYPES: what its radio can do ("" = everything) */
    int ap_bit;               /* hwsim group bit its phones hear it on, -1 = none yet */
};

struct sim_link {
    int a, b;      /* node indices, a < b */
    int loss_pct;  /* per-direction random frame loss, 0..100 */
    bool down;
};

struct sim_client {
    char name[SIM_NAME_MAX];
    int at;        /* node index it is attached to */
    int id;        /* stable number: interface names and MAC */
    /* Wi-Fi mode */
    char key[65];  /* the password it uses for its node's access point ("" = open) */
    bool keep_arp; /* arp_evict_nocarrier=0: keeps its ARP cache across a roam */
};

struct sim_state {
    struct sim_node *nodes;
    int n_nodes;
    struct sim_link *links;
    int n_links;
    struct sim_client *clients;
    int n_clients;
    int next_client_id;
    char nodes_dir[256];   /* per-node roots live in nodes_dir/<name> */
    int dhcp_limit;        /* lime-community network.anygw_dhcp_limit, 0 = whole prefix */
    char app_dir[256];     /* upstream LiMe-App build each limed serves at /app/ ("" = none) */
    bool wifi;             /* Wi-Fi mode (in the guest): mac80211_hwsim radios, not veths */
};

void sim_state_free(struct sim_state *st);
int sim_node_find(const struct sim_state *st, const char *name);     /* index or -1 */
int sim_client_find(const struct sim_state *st, const char *name);   /* index or -1 */
int sim_link_find(const struct sim_state *st, int a, int b);         /* index or -1 */
/* Adds a link a-b (order irrelevant); returns its index, or -1 on a self/duplicate link. */
int sim_link_add(struct sim_state *st, int a, int b, int loss_pct);
/* [A-Za-z0-9], 1..SIM_NAME_MAX-1 chars. */
bool sim_name_valid(const char *name);

#endif
