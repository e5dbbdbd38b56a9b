# One prefix per component (tests/lib_prefixes.sh): every exported symbol of a library
# carries its component's prefix.
if(NOT LIME_FUZZ)
  set(_prefix_args "")
  foreach(pair limecore=lime_ limeconfig=plan_ limeapply=lr_ batdcore=batd_ limestate=ss_
               limedcore=ld_ limesim=sim_)
    string(REPLACE "=" ";" _kv ${pair})
    list(GET _kv 0 _lib)
    list(GET _kv 1 _prefix)
    list(APPEND _prefix_args "$<TARGET_FILE:${_lib}>=${_prefix}")
  endforeach()
  add_test(NAME lib_prefixes COMMAND bash ${PROJECT_SOURCE_DIR}/tests/lib_prefixes.sh ${_prefix_args})
  set_tests_properties(lib_prefixes PROPERTIES LABELS unit)
endif()
