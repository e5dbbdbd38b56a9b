# libFuzzer harnesses of lime-sim's qemu lab: the control channel's frames (what the agent
# in the guest and the client on the host receive), a kernel's modules.dep, and topology files.
lime_fuzz_target(sim_chan SOURCES ${CMAKE_CURRENT_LIST_DIR}/fuzz_sim_chan.c LIBS limesim)
lime_fuzz_target(sim_kmods SOURCES ${CMAKE_CURRENT_LIST_DIR}/fuzz_sim_kmods.c LIBS limesim)
lime_fuzz_target(sim_kimage SOURCES ${CMAKE_CURRENT_LIST_DIR}/fuzz_sim_kimage.c LIBS limesim)
lime_fuzz_target(sim_topology SOURCES ${CMAKE_CURRENT_LIST_DIR}/fuzz_sim_topology.c LIBS limesim)
