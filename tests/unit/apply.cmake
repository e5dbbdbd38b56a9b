# Linux backend (src/apply).
set(_lr_fix ${CMAKE_CURRENT_LIST_DIR}/apply_fixture.c)
lime_unit_test(apply_desired SOURCES ${CMAKE_CURRENT_LIST_DIR}/apply_desired.c ${_lr_fix}
               LIBS limeapply)
lime_unit_test(apply_conf SOURCES ${CMAKE_CURRENT_LIST_DIR}/apply_conf.c ${_lr_fix}
               LIBS limeapply)
# kernel_apply.c's diff and rollback on the in-memory kernel (src/core/nl_mock.h)
lime_unit_test(apply_kernel SOURCES ${CMAKE_CURRENT_LIST_DIR}/apply_kernel.c ${_lr_fix}
               LIBS limecore_nlmock limeapply)
# lime-apply's Wi-Fi: live radios, interfaces, joins, rollback, daemon configs
lime_unit_test(apply_wifi SOURCES ${CMAKE_CURRENT_LIST_DIR}/apply_wifi.c
               LIBS limecore_nlmock limeapply)
foreach(t apply_desired apply_conf apply_kernel apply_wifi)
  if(TARGET ${t})
    target_include_directories(${t} PRIVATE ${CMAKE_CURRENT_LIST_DIR})
  endif()
endforeach()
