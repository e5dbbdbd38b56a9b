# Helpers that register tests the same way for every component.
#
#   lime_unit_test(NAME SOURCES a.c b.c LIBS limecore ...)
#       a cmocka test binary, CTest label "unit" (run also under ASan+UBSan).
#   lime_fuzz_target(NAME SOURCES fuzz_x.c LIBS ...)
#       a libFuzzer harness defining LLVMFuzzerTestOneInput. In a -DLIME_FUZZ=ON
#       build it links -fsanitize=fuzzer and the test "fuzz_NAME" runs it for
#       LIME_FUZZ_SECONDS on tests/fuzz/corpus/NAME (label "fuzz"). In every other
#       build it links tests/fuzz/driver.c and the test replays the seed corpus
#       (label "unit"), so harnesses never rot.
#   lime_scenario(NAME COMMAND cmd args... [TIMEOUT s])
#       an end-to-end test in network namespaces (label "scenario", needs root).

set(LIME_FUZZ_SECONDS 10 CACHE STRING "Seconds each fuzzer runs in the smoke test")

function(lime_unit_test name)
  cmake_parse_arguments(T "" "" "SOURCES;LIBS" ${ARGN})
  if(LIME_FUZZ)
    return()
  endif()
  add_executable(${name} ${T_SOURCES})
  target_link_libraries(${name} PRIVATE ${T_LIBS} PkgConfig::CMOCKA)
  add_test(NAME ${name} COMMAND ${name})
  set_tests_properties(${name} PROPERTIES LABELS unit
    ENVIRONMENT "LIME_SOURCE_DIR=${PROJECT_SOURCE_DIR};LIME_BINARY_DIR=${PROJECT_BINARY_DIR}")
endfunction()

function(lime_fuzz_target name)
  cmake_parse_arguments(T "" "" "SOURCES;LIBS" ${ARGN})
  set(corpus ${PROJECT_SOURCE_DIR}/tests/fuzz/corpus/${name})
  set(exe fuzz_${name})
  if(LIME_FUZZ)
    add_executable(${exe} ${T_SOURCES})
    target_compile_options(${exe} PRIVATE -fsanitize=fuzzer)
    target_link_libraries(${exe} PRIVATE ${T_LIBS} -fsanitize=fuzzer)
    # Work on a copy of the seed corpus so the repo's corpus stays as committed.
    set(work ${CMAKE_CURRENT_BINARY_DIR}/fuzz-work/${name})
    add_test(NAME ${exe}
      COMMAND sh -c "rm -rf '${work}' && mkdir -p '${work}' && cp -r '${corpus}/.' '${work}/' 2>/dev/null; exec '$<TARGET_FILE:${exe}>' -max_total_time=${LIME_FUZZ_SECONDS} -timeout=5 -rss_limit_mb=2048 -print_final_stats=1 '${work}'"
      WORKING_DIRECTORY ${CMAKE_CURRENT_BINARY_DIR})
    set_tests_properties(${exe} PROPERTIES LABELS fuzz)
  else()
    add_executable(${exe} ${T_SOURCES} ${PROJECT_SOURCE_DIR}/tests/fuzz/driver.c)
    target_link_libraries(${exe} PRIVATE ${T_LIBS})
    add_test(NAME ${exe}_corpus COMMAND ${exe} ${corpus})
    set_tests_properties(${exe}_corpus PROPERTIES LABELS unit)
  endif()
endfunction()

function(lime_scenario name)
  cmake_parse_arguments(T "" "TIMEOUT" "COMMAND" ${ARGN})
  if(LIME_FUZZ OR LIME_SANITIZE)
    return()
  endif()
  if(NOT T_TIMEOUT)
    set(T_TIMEOUT 300)
  endif()
  add_test(NAME scenario_${name} COMMAND ${T_COMMAND})
  set_tests_properties(scenario_${name} PROPERTIES LABELS scenario TIMEOUT ${T_TIMEOUT}
    RUN_SERIAL TRUE
    ENVIRONMENT "LIME_SOURCE_DIR=${PROJECT_SOURCE_DIR};LIME_BINARY_DIR=${PROJECT_BINARY_DIR}")
endfunction()
