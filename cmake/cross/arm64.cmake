# CMake toolchain file: Debian's arm64 cross compiler, tests under qemu-user (see common.cmake).
set(LIME_CROSS_ARCH arm64)
include(${CMAKE_CURRENT_LIST_DIR}/common.cmake)
