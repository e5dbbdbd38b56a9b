# The router's multi-call binary (src/multicall, LIME_ROUTER=ON): each applet against the
# program built on its own (tests/unit/multicall_test.sh).
if(TARGET lime)
  add_test(NAME multicall COMMAND sh ${CMAKE_CURRENT_LIST_DIR}/multicall_test.sh
           ${PROJECT_BINARY_DIR} ${PROJECT_SOURCE_DIR})
  set_tests_properties(multicall PROPERTIES LABELS unit ENVIRONMENT "${LIME_TEST_ENV}")
endif()
