# scripts/install-deps's list syntax (`PACKAGE if-missing:COMMAND`, through --print: no
# apt-get) and the browser tests' rule: their tools missing after install-deps fail them.
add_test(NAME deps_lists COMMAND bash ${CMAKE_CURRENT_LIST_DIR}/deps_test.sh)
set_tests_properties(deps_lists PROPERTIES LABELS unit)
