# lime-apply's ownership record loader (src/apply/desired.c).
lime_fuzz_target(apply_record SOURCES ${CMAKE_CURRENT_LIST_DIR}/fuzz_apply_record.c LIBS limeapply)
