# Fuzz harnesses of src/core: UCI files, babeld's local protocol, the kernel seam's
# batman-adv generic-netlink reply parsers, its rtnetlink event parser. (Fuzz builds compile every library with
# -fsanitize=fuzzer-no-link, so the harness sees coverage inside limecore.)
lime_fuzz_target(uci SOURCES ${CMAKE_CURRENT_LIST_DIR}/fuzz_uci.c LIBS limecore)
lime_fuzz_target(babel SOURCES ${CMAKE_CURRENT_LIST_DIR}/fuzz_babel.c LIBS limecore)
lime_fuzz_target(nl_batadv SOURCES ${CMAKE_CURRENT_LIST_DIR}/fuzz_nl_batadv.c LIBS limecore)
lime_fuzz_target(nl_events SOURCES ${CMAKE_CURRENT_LIST_DIR}/fuzz_nl_events.c LIBS limecore)
# the Wi-Fi seams: nl80211 messages (wiphy, interface, station) and the control interface
# of hostapd / wpa_supplicant (events, STATUS replies)
lime_fuzz_target(nl80211 SOURCES ${CMAKE_CURRENT_LIST_DIR}/fuzz_nl80211.c LIBS limecore)
lime_fuzz_target(wpactrl SOURCES ${CMAKE_CURRENT_LIST_DIR}/fuzz_wpactrl.c LIBS limecore)
