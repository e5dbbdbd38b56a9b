# Unit tests of src/core (one binary per concept).
lime_unit_test(core_loop SOURCES ${CMAKE_CURRENT_LIST_DIR}/core_loop.c LIBS limecore)
lime_unit_test(core_uci SOURCES ${CMAKE_CURRENT_LIST_DIR}/core_uci.c LIBS limecore)
