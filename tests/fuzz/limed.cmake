# limed: the JSON-RPC intake (/ubus body → reply).
if(TARGET limedcore)
  lime_fuzz_target(rpc SOURCES ${CMAKE_CURRENT_LIST_DIR}/fuzz_rpc.c LIBS limedcore)
endif()
