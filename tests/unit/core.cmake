# Unit tests of src/core (one binary per concept).
lime_unit_test(core_loop SOURCES ${CMAKE_CURRENT_LIST_DIR}/core_loop.c LIBS limecore)
lime_unit_test(core_uci SOURCES ${CMAKE_CURRENT_LIST_DIR}/core_uci.c LIBS limecore)
lime_unit_test(core_hash SOURCES ${CMAKE_CURRENT_LIST_DIR}/core_hash.c LIBS limecore)
lime_unit_test(core_addr SOURCES ${CMAKE_CURRENT_LIST_DIR}/core_addr.c LIBS limecore)
lime_unit_test(core_conf SOURCES ${CMAKE_CURRENT_LIST_DIR}/core_conf.c LIBS limecore)
lime_unit_test(core_fsutil SOURCES ${CMAKE_CURRENT_LIST_DIR}/core_fsutil.c LIBS limecore)
lime_unit_test(core_run SOURCES ${CMAKE_CURRENT_LIST_DIR}/core_run.c LIBS limecore)
lime_unit_test(core_strbuf SOURCES ${CMAKE_CURRENT_LIST_DIR}/core_strbuf.c LIBS limecore)
lime_unit_test(core_nl_events SOURCES ${CMAKE_CURRENT_LIST_DIR}/core_nl_events.c LIBS limecore)
lime_unit_test(core_nl_batadv SOURCES ${CMAKE_CURRENT_LIST_DIR}/core_nl_batadv.c LIBS limecore)
lime_unit_test(core_babel SOURCES ${CMAKE_CURRENT_LIST_DIR}/core_babel.c LIBS limecore)
# the batman seam over batd's socket and over the in-memory kernel (src/core/nl_mock.h)
lime_unit_test(core_batman SOURCES ${CMAKE_CURRENT_LIST_DIR}/core_batman.c
               LIBS limecore_nlmock limecore)
# is this node a gateway, on the in-memory kernel
lime_unit_test(core_uplink SOURCES ${CMAKE_CURRENT_LIST_DIR}/core_uplink.c
               LIBS limecore_nlmock limecore)
lime_unit_test(core_wifi SOURCES ${CMAKE_CURRENT_LIST_DIR}/core_wifi.c LIBS limecore)
