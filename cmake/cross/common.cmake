# Cross builds with Debian's cross toolchains (gcc-<triplet> from crossbuild-essential-ARCH)
# against a sysroot of Debian's -dev packages for ARCH, made by
# `scripts/install-deps --cross ARCH` (default /var/lib/lime-cross/ARCH; the environment
# variable LIME_CROSS_SYSROOT overrides). Tests run under qemu-user: CTest prefixes every
# test binary with qemu-<cpu>-static -L SYSROOT (no binfmt_misc needed).
#
# Included by cmake/cross/<arch>.cmake, which sets LIME_CROSS_ARCH first:
#   cmake -S . -B build-cross-mipsel -DCMAKE_TOOLCHAIN_FILE=cmake/cross/mipsel.cmake
# `make cross ARCH=mipsel` (scripts/cross) does all of it.

if(LIME_CROSS_ARCH STREQUAL "mipsel")
  set(_lime_triplet mipsel-linux-gnu)
  set(_lime_cpu mipsel)
  set(_lime_qemu mipsel)
elseif(LIME_CROSS_ARCH STREQUAL "armhf")
  set(_lime_triplet arm-linux-gnueabihf)
  set(_lime_cpu arm)
  set(_lime_qemu arm)
elseif(LIME_CROSS_ARCH STREQUAL "arm64")
  set(_lime_triplet aarch64-linux-gnu)
  set(_lime_cpu aarch64)
  set(_lime_qemu aarch64)
elseif(LIME_CROSS_ARCH STREQUAL "s390x")
  set(_lime_triplet s390x-linux-gnu)
  set(_lime_cpu s390x)
  set(_lime_qemu s390x)
else()
  message(FATAL_ERROR "LIME_CROSS_ARCH='${LIME_CROSS_ARCH}': one of mipsel, armhf, arm64, s390x")
endif()

set(CMAKE_SYSTEM_NAME Linux)
set(CMAKE_SYSTEM_PROCESSOR ${_lime_cpu})
set(CMAKE_C_COMPILER ${_lime_triplet}-gcc)
set(CMAKE_LIBRARY_ARCHITECTURE ${_lime_triplet})

if(DEFINED ENV{LIME_CROSS_SYSROOT})
  set(_lime_sysroot $ENV{LIME_CROSS_SYSROOT})
else()
  set(_lime_sysroot /var/lib/lime-cross/${LIME_CROSS_ARCH})
endif()
if(NOT EXISTS ${_lime_sysroot}/.lime-cross)
  message(FATAL_ERROR "no sysroot for ${LIME_CROSS_ARCH} at ${_lime_sysroot}: "
                      "run scripts/install-deps --cross ${LIME_CROSS_ARCH}")
endif()
set(CMAKE_SYSROOT ${_lime_sysroot})
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_PACKAGE ONLY)

# pkg-config answers for the target: its .pc files, paths prefixed with the sysroot.
set(ENV{PKG_CONFIG_LIBDIR} ${_lime_sysroot}/usr/lib/${_lime_triplet}/pkgconfig:${_lime_sysroot}/usr/share/pkgconfig)
set(ENV{PKG_CONFIG_SYSROOT_DIR} ${_lime_sysroot})
unset(ENV{PKG_CONFIG_PATH})

find_program(_lime_qemu_bin qemu-${_lime_qemu}-static)
if(NOT _lime_qemu_bin)
  message(FATAL_ERROR "qemu-${_lime_qemu}-static not found: run scripts/install-deps --cross ${LIME_CROSS_ARCH}")
endif()
set(CMAKE_CROSSCOMPILING_EMULATOR ${_lime_qemu_bin} -L ${_lime_sysroot})
