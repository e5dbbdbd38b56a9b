# Stand-in for OpenWrt's cmake.mk (see ../rules.mk): nothing is built here.
CMAKE_OPTIONS :=
define Build/Compile/Default
endef
