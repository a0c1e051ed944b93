# SPDX-License-Identifier: GPL-2.0
#
# xenpv: the user-facing build wrapper.  Kbuild syntax lives in ./Kbuild
# and each directory's Kbuild; this file only drives kbuild and the tools.
#
# Copyright (C) 2026 The xenpv authors
#
#   make [module]        build the modules against $(KERNELDIR)
#   make install         install them into /lib/modules/$(KERNELRELEASE)/updates, depmod
#   make dkms-install    copy the sources to $(DESTDIR)/usr/src/xenpv-$(VERSION)
#   make deb             build the xenpv-dkms Debian package into build/deb/
#   make check           lint + unit + test
#   make lint            W=1 C=2 (sparse) build from clean; fails on any warning
#   make unit            host unit tests (selftests/unit)
#   make test, demo      the Xen-in-QEMU rig (selftests/rig/xenpv-rig)
#   make bench           block + network benchmarks on the rig: ours / in-tree / emulated
#   make bench-blk       the block benchmark only (bench-net: the network one)
#   make soak            the rig N times in a row (SOAK_RUNS, default 20): verdicts, times
#   make matrix          build against Debian's 5.10, 6.1, 6.12 and newest 7.x
#   make style           checkpatch.pl, when available
#   make clean, distclean
#
# Documentation/building.rst has the details.

SHELL := /bin/bash

XENPV_SRC := $(patsubst %/,%,$(dir $(abspath $(lastword $(MAKEFILE_LIST)))))

KERNELRELEASE ?= $(shell uname -r)
KERNELDIR ?= /lib/modules/$(KERNELRELEASE)/build
PREFIX ?= /usr
DESTDIR ?=
DEPMOD ?= depmod
INSTALL_MOD_DIR ?= updates
XENPV_CACHE ?= $(HOME)/.cache/xenpv

# ---- which kernel ----------------------------------------------------------
#
# Default: the running kernel's headers.  A machine whose running kernel has
# no headers (the dev/CI hosts run a non-Debian kernel) falls back to the
# newest Debian /usr/src/linux-headers-*-amd64, and says so.  An explicit
# KERNELDIR= is used as given.

xenpv_uts_release = $(shell sed -n 's/^\#define UTS_RELEASE "\(.*\)"$$/\1/p' \
			    $(1)/include/generated/utsrelease.h 2>/dev/null)

XENPV_KERNEL_NOTE :=
ifeq ($(origin KERNELDIR),file)
ifeq ($(wildcard $(KERNELDIR)/Makefile),)
ifeq ($(origin KERNELRELEASE),file)
XENPV_KDIR_FALLBACK := $(lastword $(shell ls -d /usr/src/linux-headers-*-amd64 2>/dev/null | sort -V))
else
XENPV_KDIR_FALLBACK := $(wildcard /usr/src/linux-headers-$(KERNELRELEASE))
endif
ifneq ($(XENPV_KDIR_FALLBACK),)
XENPV_KERNEL_NOTE := no headers for the running kernel $(KERNELRELEASE) \
	($(KERNELDIR) does not exist); picked the newest installed: $(XENPV_KDIR_FALLBACK)
KERNELDIR := $(XENPV_KDIR_FALLBACK)
endif
endif
endif

# The release the modules are built for is the tree's (what kbuild puts in
# vermagic and modules_install uses), unless KERNELRELEASE was given.
ifeq ($(origin KERNELRELEASE),file)
XENPV_TREE_RELEASE := $(call xenpv_uts_release,$(KERNELDIR))
ifneq ($(XENPV_TREE_RELEASE),)
KERNELRELEASE := $(XENPV_TREE_RELEASE)
endif
endif

# ---- what to build -----------------------------------------------------------
#
# The module directories are the ones ./Kbuild lists.  XENPV_DIRS="a b"
# builds only those, one kbuild run per directory in the given order, each
# seeing the exports of the ones before (KBUILD_EXTRA_SYMBOLS).

XENPV_ALL_DIRS := $(patsubst %/,%,$(shell sed -n 's/^obj-m[[:space:]]*[:+]\{0,1\}=//p' \
			 $(XENPV_SRC)/Kbuild))
XENPV_DIRS ?=
# In ./Kbuild's order (a directory may use the exports of the ones before).
XENPV_DIRS_ORDERED := $(filter $(XENPV_DIRS),$(XENPV_ALL_DIRS)) \
		      $(filter-out $(XENPV_ALL_DIRS),$(XENPV_DIRS))
XENPV_BUILD_DIRS := $(or $(strip $(XENPV_DIRS)),$(XENPV_ALL_DIRS))
XENPV_MISSING_DIRS := $(strip $(foreach d,$(XENPV_BUILD_DIRS),$(if $(wildcard \
			$(XENPV_SRC)/$(d)/Kbuild $(XENPV_SRC)/$(d)/Makefile),,$(d))))

VERSION := $(shell $(XENPV_SRC)/compat/version.sh $(XENPV_SRC))
XENPV_GENERATED := $(XENPV_SRC)/compat/generated

# kbuild for the whole tree or for XENPV_DIRS.  $(1): kbuild target,
# $(2): extra arguments, $(3): non-empty to keep going past a failed
# directory.  Per-directory runs print "xenpv-lint: dir D" first, which
# tools/lint-report.sh uses to attribute messages.
ifeq ($(strip $(XENPV_DIRS)),)
xenpv_kbuild = $(MAKE) -C $(KERNELDIR) M=$(XENPV_SRC) $(2) $(1)
else
xenpv_kbuild = rc=0; syms=; \
	for d in $(XENPV_DIRS_ORDERED); do \
		echo "xenpv-lint: dir $$d"; \
		$(MAKE) -C $(KERNELDIR) M=$(XENPV_SRC)/$$d \
			$${syms:+KBUILD_EXTRA_SYMBOLS="$$syms"} $(2) $(1) || \
			{ rc=1; $(if $(3),,exit 1;) }; \
		[ ! -f $(XENPV_SRC)/$$d/Module.symvers ] || \
			syms="$${syms:+$$syms }$(XENPV_SRC)/$$d/Module.symvers"; \
	done; exit $$rc
endif

.DEFAULT_GOAL := module
.PHONY: all module modules kernel-check dirs-check prepare version probes install \
	modules_install dkms-install deb check lint lint-policy unit test demo bench bench-blk bench-net soak matrix \
	style clean clean-modules distclean help

all modules: module

module: prepare dirs-check
	@$(call xenpv_kbuild,modules)

ifeq ($(origin KERNELDIR),file)
XENPV_FALLBACK_GLOB := $(if $(filter file,$(origin KERNELRELEASE)),/usr/src/linux-headers-*-amd64,/usr/src/linux-headers-$(KERNELRELEASE))
XENPV_NO_KERNEL_MSG := no kernel headers for Linux $(KERNELRELEASE): $(KERNELDIR) does not \
	exist and no $(XENPV_FALLBACK_GLOB) is installed.
else
XENPV_NO_KERNEL_MSG := KERNELDIR=$(KERNELDIR) is not a kernel build tree (no Makefile there).
endif

kernel-check:
	@if [ ! -f "$(KERNELDIR)/Makefile" ]; then \
		echo "xenpv: $(XENPV_NO_KERNEL_MSG)" >&2; \
		echo "xenpv: install the headers (Debian: apt-get install linux-headers-amd64," \
		     "or linux-headers-$(KERNELRELEASE)), or point KERNELDIR= at a kernel build tree." >&2; \
		exit 1; \
	fi
	@$(if $(XENPV_KERNEL_NOTE),echo "xenpv: $(strip $(XENPV_KERNEL_NOTE))";) \
		echo "xenpv: building $(VERSION) for Linux $(KERNELRELEASE) ($(KERNELDIR))"

dirs-check:
	@$(if $(XENPV_MISSING_DIRS),echo "xenpv: no Kbuild yet in: $(XENPV_MISSING_DIRS);" \
		"build the others with XENPV_DIRS=\"$(filter-out $(XENPV_MISSING_DIRS),$(XENPV_BUILD_DIRS))\"" >&2; exit 1,:)

# The version (compat/generated/version, rewritten only when it changes)
# and the kernel-API probe results for this kernel.
prepare: kernel-check version probes

version:
	@mkdir -p $(XENPV_GENERATED)
	@[ "$$(cat $(XENPV_GENERATED)/version 2>/dev/null)" = "$(VERSION)" ] || \
		echo "$(VERSION)" > $(XENPV_GENERATED)/version

probes: kernel-check
	@$(XENPV_SRC)/compat/probe.sh $(KERNELDIR) $(XENPV_GENERATED)

# ---- install -------------------------------------------------------------------

# Distribution header packages ship no module signing key: unless the
# configured key is there, keep modules_install from trying to sign
# (XENPV_NOSIGN= to let kbuild decide).
XENPV_SIG_KEY := $(shell sed -n 's/^CONFIG_MODULE_SIG_KEY="\(.*\)"$$/\1/p' $(KERNELDIR)/.config 2>/dev/null)
XENPV_NOSIGN ?= $(if $(and $(XENPV_SIG_KEY),$(wildcard $(if $(filter /%,$(XENPV_SIG_KEY)),,$(KERNELDIR)/)$(XENPV_SIG_KEY))),,CONFIG_MODULE_SIG_ALL=)

install modules_install: module
	@$(call xenpv_kbuild,modules_install,INSTALL_MOD_DIR=$(INSTALL_MOD_DIR) $(XENPV_NOSIGN))
	$(DEPMOD) $(if $(INSTALL_MOD_PATH),-b $(INSTALL_MOD_PATH)) -a $(KERNELRELEASE)

DKMSDIR ?= $(PREFIX)/src/xenpv-$(VERSION)

dkms-install: version
	@$(XENPV_SRC)/packaging/stage-sources.sh $(XENPV_SRC) $(DESTDIR)$(DKMSDIR) $(VERSION)
	@echo "xenpv: sources in $(DESTDIR)$(DKMSDIR); now: dkms install xenpv/$(VERSION)"

DEB_DIR ?= $(XENPV_SRC)/build/deb

deb: version
	@$(XENPV_SRC)/packaging/build-deb.sh $(XENPV_SRC) $(DEB_DIR) $(VERSION)

# ---- checks ----------------------------------------------------------------------

check:
	$(MAKE) -f $(XENPV_SRC)/Makefile lint
	$(MAKE) -f $(XENPV_SRC)/Makefile unit
	$(MAKE) -f $(XENPV_SRC)/Makefile test

LINT_DIR ?= $(XENPV_SRC)/build/lint
LINT_JOBS ?= 2
LINT_FLAGS := W=1 C=2 CF="-D__CHECK_ENDIAN__"
# Test-only kernel modules ./Kbuild builds on request (selftests/kmod/):
# linted too, never installed or packaged.
XENPV_TEST_DIRS := $(if $(strip $(XENPV_DIRS)),,$(patsubst $(XENPV_SRC)/%/Kbuild,%,$(wildcard \
		   $(XENPV_SRC)/selftests/kmod/Kbuild)))
LINT_CHECK_DIR := $(LINT_DIR)/compat-check

# Step 1 of `check`: every module directory plus the compat shim check
# (compat/check, built under build/lint and its .ko deleted once reported,
# so it is never mistaken for a real module) from clean with W=1 and
# sparse; any warning fails.
lint: prepare dirs-check clean-modules
	@mkdir -p $(LINT_DIR) $(LINT_CHECK_DIR)
	@cp $(XENPV_SRC)/compat/check/xenpv_compat_check.c $(LINT_CHECK_DIR)/
	@printf 'include %s\nobj-m += xenpv_compat_check.o\n' \
		$(XENPV_SRC)/compat/xenpv.kbuild > $(LINT_CHECK_DIR)/Kbuild
	@rm -f $(LINT_CHECK_DIR)/*.o $(LINT_CHECK_DIR)/.*.cmd
	@set -o pipefail; \
	case "$$MAKEFLAGS" in *jobserver*) j= ;; *) j=-j$(LINT_JOBS) ;; esac; \
	{ \
		$(MAKE) -f $(XENPV_SRC)/Makefile -s lint-policy || rc=1; \
		( $(call xenpv_kbuild,modules,-k $$j $(LINT_FLAGS) \
			$(if $(XENPV_TEST_DIRS),XENPV_SELFTESTS=m),keep-going) ) || rc=1; \
		echo "xenpv-lint: dir compat/check"; \
		$(MAKE) -C $(KERNELDIR) M=$(LINT_CHECK_DIR) $$j $(LINT_FLAGS) modules || rc=1; \
		exit $${rc:-0}; \
	} 2>&1 | tee $(LINT_DIR)/build.log; rc=$$?; \
	$(XENPV_SRC)/tools/lint-report.sh $(LINT_DIR)/build.log $$rc $(XENPV_SRC) \
		$(KERNELRELEASE) $(LINT_DIR)/summary $(XENPV_BUILD_DIRS) $(XENPV_TEST_DIRS) \
		compat/check=$(LINT_CHECK_DIR) \
		$(subst /Kbuild,,$(subst $(XENPV_SRC)/,,$(wildcard $(addsuffix /*/Kbuild,$(addprefix \
		$(XENPV_SRC)/,$(XENPV_BUILD_DIRS)))))); \
	rc=$$?; rm -f $(LINT_CHECK_DIR)/*.ko; exit $$rc

# Kernel version tests belong in compat/ only (host-side tests may name
# them).  Comment lines are not code.
lint-policy:
	@hits=$$(cd $(XENPV_SRC) && grep -rnE 'LINUX_VERSION_CODE|KERNEL_VERSION[[:space:]]*\(' \
		--include='*.[ch]' --exclude-dir=compat --exclude-dir=build \
		--exclude-dir=.git --exclude-dir=rig-artifacts . | \
		grep -v '^\./selftests/unit/' | \
		grep -vE '^[^:]*:[0-9]+:[[:space:]]*(/?\*|//)' || true); \
	if [ -n "$$hits" ]; then \
		echo "$$hits" | sed -E 's/^([^:]*:[0-9]+):(.*)$$/\1: error: kernel version test outside compat\/ (use a XENPV_HAVE_* probe):\2/'; \
		exit 1; \
	fi

unit:
	$(MAKE) -C $(XENPV_SRC)/selftests/unit KERNELDIR=$(KERNELDIR)

# The rig is the lead's; these only call it, passing the rig's variables on.
XENPV_RIG := $(XENPV_SRC)/selftests/rig/xenpv-rig
RIG_VARS := SCENARIOS RIG_TIMEOUT RIG_RETRIES RIG_ARTIFACTS RIG_KERNEL_ABI XENPV_CACHE
xenpv_rig = @[ -x $(XENPV_RIG) ] || { echo "xenpv: $(XENPV_RIG) is missing" >&2; exit 1; }; \
	env $(foreach v,$(RIG_VARS),$(if $(filter-out undefined,$(origin $(v))),$(v)='$($(v))')) \
	$(XENPV_RIG) $(1)

test:
	$(call xenpv_rig,test)

demo:
	$(call xenpv_rig,demo)

# The benchmarks (Documentation/benchmarks.rst): block, then network, each
# with its three scenarios in one rig session and the table of ratios for
# that run.
bench: bench-blk bench-net

bench-blk bench-net: bench-%:
	@env $(foreach v,$(RIG_VARS),$(if $(filter-out undefined,$(origin $(v))),$(v)='$($(v))')) \
		XENPV_RIG=$(XENPV_RIG) $(XENPV_SRC)/tools/bench/$*-bench

# The rig's reliability run (Documentation/testing.rst): SOAK_RUNS (20)
# separate rig sessions of SCENARIOS (the three baselines), one line each.
soak:
	@env $(foreach v,$(RIG_VARS) SOAK_RUNS,$(if $(filter-out undefined,$(origin $(v))),$(v)='$($(v))')) \
		XENPV_RIG=$(XENPV_RIG) $(XENPV_SRC)/tools/soak/rig-soak

MATRIX_TARGETS ?=

matrix:
	XENPV_CACHE='$(XENPV_CACHE)' $(if $(strip $(XENPV_DIRS)),XENPV_DIRS='$(XENPV_DIRS)') \
		$(XENPV_SRC)/tools/matrix/matrix.sh $(MATRIX_TARGETS)

CHECKPATCH ?= $(firstword $(wildcard $(KERNELDIR)/scripts/checkpatch.pl) \
		$(shell command -v checkpatch.pl 2>/dev/null))
CHECKPATCH_FLAGS ?= --no-tree --strict --max-line-length=100 --show-types \
		    --ignore FILE_PATH_CHANGES,SPDX_LICENSE_TAG

style:
	@if [ -z "$(CHECKPATCH)" ]; then \
		echo "xenpv: checkpatch.pl not found; style check skipped" \
		     "(CHECKPATCH=/path/to/linux/scripts/checkpatch.pl)"; \
		exit 0; \
	fi; \
	cd $(XENPV_SRC) && find $(XENPV_ALL_DIRS) compat include selftests \
		\( -name '*.[ch]' -a ! -name '*.mod.c' \) -print0 2>/dev/null | \
		xargs -0 $(CHECKPATCH) $(CHECKPATCH_FLAGS) -f

# ---- cleaning -----------------------------------------------------------------------

# Build products of kbuild, found without needing a kernel tree.
clean-modules:
	@cd $(XENPV_SRC) && find . \( -path ./.git -o -path ./build \) -prune -o \
		-type f \( -name '*.o' -o -name '*.ko' -o -name '*.mod' -o -name '*.mod.c' \
		-o -name '.*.cmd' -o -name '.*.d' -o -name 'modules.order' \
		-o -name 'Module.symvers' -o -name '*.dwo' \) -print0 | xargs -0 rm -f
	@cd $(XENPV_SRC) && find . \( -path ./.git -o -path ./build \) -prune -o \
		-type d -name .tmp_versions -print0 | xargs -0 rm -rf

clean: clean-modules
	@if [ -f $(XENPV_SRC)/selftests/unit/Makefile ]; then \
		$(MAKE) -s -C $(XENPV_SRC)/selftests/unit clean; fi
	rm -rf $(XENPV_SRC)/build

distclean: clean
	rm -rf $(XENPV_GENERATED)

help:
	@sed -n '/^#   make/s/^#   //p' $(XENPV_SRC)/Makefile
