# CMake toolchain file: Debian's armhf cross compiler, tests under qemu-user (see common.cmake).
set(LIME_CROSS_ARCH armhf)
include(${CMAKE_CURRENT_LIST_DIR}/common.cmake)
