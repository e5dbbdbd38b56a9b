# Unit tests of src/batd: wire format, pcap replay, in-process mesh.
lime_unit_test(batd_packet SOURCES ${CMAKE_CURRENT_LIST_DIR}/batd_packet.c
  ${CMAKE_CURRENT_LIST_DIR}/batd_pcap_frames.c LIBS batdcore)
lime_unit_test(batd_replay SOURCES ${CMAKE_CURRENT_LIST_DIR}/batd_replay.c
  ${CMAKE_CURRENT_LIST_DIR}/batd_pcap_frames.c LIBS batdcore)
lime_unit_test(batd_mesh SOURCES ${CMAKE_CURRENT_LIST_DIR}/batd_mesh.c LIBS batdcore PkgConfig::JSONC)
lime_unit_test(batd_gro SOURCES ${CMAKE_CURRENT_LIST_DIR}/batd_gro.c LIBS batdcore)
lime_unit_test(batd_vlan SOURCES ${CMAKE_CURRENT_LIST_DIR}/batd_vlan.c
  ${CMAKE_CURRENT_LIST_DIR}/batd_pcap_frames.c LIBS batdcore)
lime_unit_test(batd_batctl SOURCES ${CMAKE_CURRENT_LIST_DIR}/batd_batctl.c LIBS batdcore)
lime_unit_test(batd_rxring SOURCES ${CMAKE_CURRENT_LIST_DIR}/batd_rxring.c LIBS batdcore)
lime_unit_test(batd_forward SOURCES ${CMAKE_CURRENT_LIST_DIR}/batd_forward.c LIBS batdcore)
