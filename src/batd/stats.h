/* Counters: traffic (named as batctl statistics names them) and one per drop reason. */
#ifndef BATD_STATS_H
#define BATD_STATS_H

#define BATD_STATS(X)                                                                  \
    X(TX, "tx")                                                                        \
    X(TX_BYTES, "tx_bytes")                                                            \
    X(TX_DROPPED, "tx_dropped")                                                        \
    X(RX, "rx")                                                                        \
    X(RX_BYTES, "rx_bytes")                                                            \
    X(FORWARD, "forward")                                                              \
    X(FORWARD_BYTES, "forward_bytes")                                                  \
    X(MGMT_TX, "mgmt_tx")                                                              \
    X(MGMT_TX_BYTES, "mgmt_tx_bytes")                                                  \
    X(MGMT_RX, "mgmt_rx")                                                              \
    X(MGMT_RX_BYTES, "mgmt_rx_bytes")                                                  \
    X(FRAG_TX, "frag_tx")                                                              \
    X(FRAG_TX_BYTES, "frag_tx_bytes")                                                  \
    X(FRAG_RX, "frag_rx")                                                              \
    X(FRAG_RX_BYTES, "frag_rx_bytes")                                                  \
    X(FRAG_FWD, "frag_fwd")                                                            \
    X(FRAG_FWD_BYTES, "frag_fwd_bytes")                                                \
    X(TT_REQUEST_TX, "tt_request_tx")                                                  \
    X(TT_REQUEST_RX, "tt_request_rx")                                                  \
    X(TT_RESPONSE_TX, "tt_response_tx")                                                \
    X(TT_RESPONSE_RX, "tt_response_rx")                                                \
    X(TT_ROAM_ADV_TX, "tt_roam_adv_tx")                                                \
    X(TT_ROAM_ADV_RX, "tt_roam_adv_rx")                                                \
    X(ICMP_RX, "icmp_rx")                                                              \
    X(ICMP_TX, "icmp_tx")                                                              \
    X(BCAST_RX, "bcast_rx")                                                            \
    X(BCAST_TX, "bcast_tx")                                                            \
    X(BCAST_FWD, "bcast_fwd")                                                          \
    X(OGM_RX, "ogm_rx")                                                                \
    X(OGM_TX, "ogm_tx")                                                                \
    X(OGM_FWD, "ogm_fwd")                                                              \
    X(OGM_ECHO, "ogm_echo_rx")                                                         \
    X(DROP_SHORT, "drop_too_short")                                                    \
    X(DROP_VERSION, "drop_bad_version")                                                \
    X(DROP_TYPE, "drop_unknown_type")                                                  \
    X(DROP_UNSUPPORTED, "drop_unsupported_type")                                       \
    X(DROP_BAD_DST, "drop_bad_eth_dst")                                                \
    X(DROP_BAD_SRC, "drop_bad_eth_src")                                                \
    X(DROP_FROM_ME, "drop_from_myself")                                                \
    X(DROP_VLAN, "drop_other_vlan")                                                    \
    X(DROP_TTL, "drop_ttl_exceeded")                                                   \
    X(DROP_NO_ROUTE, "drop_no_route")                                                  \
    X(DROP_UNKNOWN_DEST, "drop_unknown_dest")                                          \
    X(DROP_UNKNOWN_ORIG, "drop_unknown_orig")                                          \
    X(DROP_ORIG_LIMIT, "drop_originator_table_full")                                   \
    X(DROP_DHCP_NO_GATEWAY, "drop_dhcp_no_gateway")                                    \
    X(DROP_BCAST_DUP, "drop_bcast_duplicate")                                          \
    X(DROP_BCAST_PROTECTED, "drop_bcast_window_protected")                             \
    X(DROP_OGM_MALFORMED, "drop_ogm_malformed")                                        \
    X(DROP_OGM_PREV_SENDER, "drop_ogm_own_rebroadcast")                                \
    X(DROP_OGM_NOT_BEST, "drop_ogm_not_best_next_hop")                                 \
    X(DROP_OGM_PROTECTED, "drop_ogm_window_protected")                                 \
    X(DROP_OGM_TQ0, "drop_ogm_tq_zero")                                                \
    X(DROP_OGM_LOOP, "drop_ogm_loop")                                                  \
    X(DROP_OGM_NO_NEIGH_ROUTE, "drop_ogm_sender_unreachable")                          \
    X(DROP_OGM_NOT_FWD, "drop_ogm_not_forwarded")                                      \
    X(DROP_TVLV_MALFORMED, "drop_tvlv_malformed")                                      \
    X(DROP_INNER_BATMAN, "drop_inner_batman_frame")                                    \
    X(DROP_INNER_SHORT, "drop_inner_frame_short")                                      \
    X(DROP_FRAG_MALFORMED, "drop_frag_malformed")                                      \
    X(DROP_FRAG_DUP, "drop_frag_duplicate")                                            \
    X(DROP_FRAG_TOO_BIG, "drop_frag_too_big")                                          \
    X(DROP_FRAG_TIMEOUT, "drop_frag_chain_timeout")                                    \
    X(DROP_ICMP, "drop_icmp_unhandled")                                                \
    X(DROP_TT_MALFORMED, "drop_tt_malformed")                                          \
    X(DROP_TX_ERROR, "drop_tx_error")                                                  \
    X(DROP_TAP_ERROR, "drop_tap_write_error")                                          \
    X(DROP_TRUNCATED, "drop_truncated_frame")                                          \
    X(DROP_RING_FULL, "drop_rx_ring_full")

enum batd_stat {
#define BATD_STAT_ENUM(id, name) STAT_##id,
    BATD_STATS(BATD_STAT_ENUM)
#undef BATD_STAT_ENUM
        STAT_COUNT
};

extern const char *const batd_stat_names[STAT_COUNT];

#endif
