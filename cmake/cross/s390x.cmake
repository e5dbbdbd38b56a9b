# CMake toolchain file: Debian's s390x cross compiler, tests under qemu-user (see common.cmake).
set(LIME_CROSS_ARCH s390x)
include(${CMAKE_CURRENT_LIST_DIR}/common.cmake)
