# Unit tests of src/sim (lime-sim): topology parsing, the SSID-derived numbers.
lime_unit_test(sim_topology SOURCES ${CMAKE_CURRENT_LIST_DIR}/sim_topology.c LIBS limesim)
lime_unit_test(sim_netid SOURCES ${CMAKE_CURRENT_LIST_DIR}/sim_netid.c LIBS limesim)
# The qemu lab's pieces that need no qemu: cpio writer, module index, channel, agent.
lime_unit_test(sim_lab SOURCES ${CMAKE_CURRENT_LIST_DIR}/sim_lab.c LIBS limesim)
