# libFuzzer harness over batd's receive path (whole frames in).
lime_fuzz_target(batd_rx SOURCES ${CMAKE_CURRENT_LIST_DIR}/fuzz_batd_rx.c LIBS batdcore)
