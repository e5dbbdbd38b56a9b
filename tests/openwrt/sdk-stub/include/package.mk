# Stand-in for OpenWrt's package.mk (see ../rules.mk): BuildPackage checks the fields
# OpenWrt requires and records the package; `make stage-PKG STAGE=DIR` runs its install
# recipe into DIR/PKG; `make info` prints NAME|DEPENDS|PROVIDES|CONFLICTS per package.
PKG_BUILD_DIR ?= $(BUILD_DIR)/$(PKG_NAME)-$(PKG_VERSION)
STUB_PACKAGES :=

define BuildPackage
  $(eval $(Package/Default))
  $(eval $(Package/$(1)))
  $(foreach f,TITLE CATEGORY SECTION,$(if $($(f)),,$(error Package/$(1) is missing $(f))))
  $(if $(value Package/$(1)/description),,$(error Package/$(1) has no description))
  $(if $(value Package/$(1)/install),,$(error Package/$(1) has no install section))
  STUB_PACKAGES += $(1)
  STUB_INFO_$(1) := $(1)|$(strip $(DEPENDS))|$(strip $(PROVIDES))|$(strip $(CONFLICTS))|$(strip $(PKGARCH))
  STUB_CONFFILES_$(1) := $(strip $(value Package/$(1)/conffiles))
  DEPENDS :=
  PROVIDES :=
  CONFLICTS :=
  PKGARCH :=
  TITLE :=
  stage-$(1):
	$(INSTALL_DIR) $$(STAGE)/$(1)
	$$(call Package/$(1)/install,$$(STAGE)/$(1))
endef

info:
	@$(foreach p,$(STUB_PACKAGES),echo '$(STUB_INFO_$(p))';)

conffiles:
	@$(foreach p,$(STUB_PACKAGES),$(foreach f,$(STUB_CONFFILES_$(p)),echo '$(p) $(f)';))

.PHONY: info conffiles
