# Stand-in for OpenWrt's rules.mk, just enough to evaluate a package Makefile of
# openwrt/ and run its install recipes (tests/openwrt/feed_check.sh). Not the SDK.
INCLUDE_DIR := $(TOPDIR)/include
INSTALL_DIR := install -d -m0755
INSTALL_BIN := install -m0755
INSTALL_DATA := install -m0644
INSTALL_CONF := install -m0600
CP := cp -fpR
LN := ln -sf
TARGET_CFLAGS :=
