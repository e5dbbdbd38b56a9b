# CMake toolchain file: Debian's mipsel cross compiler, tests under qemu-user (see common.cmake).
set(LIME_CROSS_ARCH mipsel)
include(${CMAKE_CURRENT_LIST_DIR}/common.cmake)
