# Lease sharing on a running node (owner: leasewire): dnsmasq.conf's dhcp-script and the
# supervisor's environment prefix (src/apply, src/limed/supervise.c).
if(TARGET limeapply AND TARGET limecore)
  lime_unit_test(apply_leases SOURCES ${CMAKE_CURRENT_LIST_DIR}/apply_leases.c
                 ${CMAKE_CURRENT_LIST_DIR}/apply_fixture.c ${PROJECT_SOURCE_DIR}/src/limed/supervise.c
                 LIBS limeapply limecore)
  if(TARGET apply_leases)
    target_include_directories(apply_leases PRIVATE ${CMAKE_CURRENT_LIST_DIR} ${PROJECT_SOURCE_DIR}/src/limed)
  endif()
endif()
