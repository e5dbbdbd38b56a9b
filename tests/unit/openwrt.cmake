# The OpenWrt feed (openwrt/), checked without the SDK: tests/openwrt/feed_check.sh.
# With the multi-call binary (LIME_ROUTER=ON) it also runs the installed links.
set(_lime_feed_multicall "")
if(TARGET lime)
  set(_lime_feed_multicall $<TARGET_FILE:lime>)
endif()
add_test(NAME openwrt_feed
         COMMAND sh ${PROJECT_SOURCE_DIR}/tests/openwrt/feed_check.sh ${PROJECT_SOURCE_DIR}
                 ${_lime_feed_multicall})
set_tests_properties(openwrt_feed PROPERTIES LABELS unit ENVIRONMENT "${LIME_TEST_ENV}")
# OpenWrt's libc is musl: every source file a router installs compiles against musl's
# headers (scripts/musl-check; native builds only, it does not depend on the target).
if(NOT CMAKE_CROSSCOMPILING AND NOT LIME_FUZZ)
  add_test(NAME openwrt_musl COMMAND bash ${PROJECT_SOURCE_DIR}/scripts/musl-check)
  set_tests_properties(openwrt_musl PROPERTIES LABELS unit)
endif()
