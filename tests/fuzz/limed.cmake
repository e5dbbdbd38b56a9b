# limed: the JSON-RPC intake (/ubus body → reply); respondd's request parser.
lime_fuzz_target(rpc SOURCES ${CMAKE_CURRENT_LIST_DIR}/fuzz_rpc.c LIBS limedcore)
# apply's lime-config never exists here: no fork to find that out (fuzz_rpc.c)
target_link_options(fuzz_rpc PRIVATE -Wl,--wrap=lime_run_start)
lime_fuzz_target(respondd SOURCES ${CMAKE_CURRENT_LIST_DIR}/fuzz_respondd.c LIBS limedcore)
# limed: the mesh graph from shared-state tables any node may publish.
lime_fuzz_target(meshgraph SOURCES ${CMAKE_CURRENT_LIST_DIR}/fuzz_meshgraph.c LIBS limedcore)
