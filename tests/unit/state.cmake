# Unit tests of shared-state (src/state).
lime_unit_test(state_store SOURCES ${CMAKE_CURRENT_LIST_DIR}/state_store.c LIBS limestate)
lime_unit_test(state_wire SOURCES ${CMAKE_CURRENT_LIST_DIR}/state_wire.c LIBS limestate)
lime_unit_test(state_service SOURCES ${CMAKE_CURRENT_LIST_DIR}/state_service.c LIBS limestate)
