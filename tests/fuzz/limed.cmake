# limed: the JSON-RPC intake (/ubus body → reply); respondd's request parser.
if(TARGET limedcore)
  lime_fuzz_target(rpc SOURCES ${CMAKE_CURRENT_LIST_DIR}/fuzz_rpc.c LIBS limedcore)
  lime_fuzz_target(respondd SOURCES ${CMAKE_CURRENT_LIST_DIR}/fuzz_respondd.c LIBS limedcore)
endif()
