# libFuzzer harnesses of shared-state: the TCP 3490 frame intake, the stateSlice JSON and
# the local control protocol.
lime_fuzz_target(state_frame SOURCES ${CMAKE_CURRENT_LIST_DIR}/fuzz_state_frame.c LIBS limestate)
lime_fuzz_target(state_json SOURCES ${CMAKE_CURRENT_LIST_DIR}/fuzz_state_json.c LIBS limestate)
lime_fuzz_target(state_control SOURCES ${CMAKE_CURRENT_LIST_DIR}/fuzz_state_control.c LIBS limestate)
