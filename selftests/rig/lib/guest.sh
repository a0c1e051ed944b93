# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
#
# Guest side of the rig, built on the host for every run: our modules, the
# guest initramfs (busybox, kernel modules, our modules, the test programs
# and the tools they need, copied from dom0's root so the libc matches).
#
# Copyright (C) 2026 The xenpv authors

# Kernel modules every guest initramfs carries (plus their dependencies):
# the in-tree frontends for baselines, emulated devices for the nopv
# checks, and what the tests use.
RIG_GUEST_MODS="xen-blkfront xen-netfront ata_piix ata_generic sd_mod e1000 8139cp \
8139too ext4 crc32c_generic evdev loop"

# Userspace tools copied from dom0's root (with their libraries).
RIG_GUEST_TOOLS="/usr/bin/iperf3 /usr/sbin/ethtool /usr/sbin/mkfs.ext4 /usr/sbin/e2fsck \
/usr/bin/modetest /usr/bin/evtest /usr/sbin/filefrag /usr/sbin/resize2fs"

# rig_copy_modules FROM TO MODULE...: copy the modules (and everything they
# depend on) from the modules tree under root FROM into root TO, with the
# kernel's module lists, and run depmod there.
rig_copy_modules() {
	local from=$1 to=$2 abi=$RIG_KERNEL_ABI kroot="$RIG_KDIR_IMG/root" m f
	shift 2
	for m in "$@"; do
		/sbin/modprobe -d "$from" -S "$abi" --show-depends "$m" 2>/dev/null |
			awk '$1 == "insmod" { print $2 }' || rig_say "guest module $m not found"
	done | sort -u | while read -r f; do
		mkdir -p "$to/$(dirname "${f#"$from"}")"
		cp "$f" "$to/${f#"$from"}"
	done
	mkdir -p "$to/lib/modules/$abi"
	cp "$kroot/lib/modules/$abi"/modules.order "$kroot/lib/modules/$abi"/modules.builtin* \
		"$to/lib/modules/$abi/"
	/sbin/depmod -b "$to" "$abi"
}

rig_build_modules() {
	local kdir="/usr/src/linux-headers-$RIG_KERNEL_ABI" log="$RIG_LOG_DIR/module-build.log"
	if [ -n "${RIG_SKIP_BUILD:-}" ]; then
		RIG_MODULES=$(find "$XENPV_ROOT" -name 'xenpv_*.ko' -not -path '*/rig-artifacts/*' | sort)
		rig_say "RIG_SKIP_BUILD: using prebuilt modules: $(echo "$RIG_MODULES" | wc -w)"
		return 0
	fi
	rig_say "building the xenpv modules against $RIG_KERNEL_ABI"
	if ! make -C "$XENPV_ROOT" KERNELRELEASE="$RIG_KERNEL_ABI" KERNELDIR="$kdir" \
		XENPV_SELFTESTS=m >"$log" 2>&1; then
		tail -n 30 "$log" >&2
		rig_die "module build failed (see $log)"
	fi
	RIG_MODULES=$(find "$XENPV_ROOT" -name 'xenpv_*.ko' -not -path '*/rig-artifacts/*' | sort)
	rig_say "built: $(echo "$RIG_MODULES" | xargs -n1 basename | tr '\n' ' ')"
}

# Copy an ELF program and its shared libraries from dom0's root into $2.
rig_copy_prog() {
	local root=$1 dst=$2 prog=$3 lib
	[ -e "$root$prog" ] || { rig_say "guest tool $prog missing in dom0 root"; return 0; }
	mkdir -p "$dst$(dirname "$prog")"
	cp -L "$root$prog" "$dst$prog"
	chroot "$root" ldd "$prog" 2>/dev/null | awk '/=> \// { print $3 } /^\t\/lib/ { print $1 }' |
		while read -r lib; do
			mkdir -p "$dst$(dirname "$lib")"
			cp -L "$root$lib" "$dst$lib"
		done
}

# Build $RIG_RUN/guest-initrd.gz.
rig_build_guest_initrd() {
	local stage="$RIG_RUN/guest-root" abi=$RIG_KERNEL_ABI kroot="$RIG_KDIR_IMG/root"
	local droot="$RIG_DOM0/root" m f busybox_deb
	rm -rf "$stage" && mkdir -p "$stage"/{bin,sbin,dev,proc,sys,tmp,mnt,etc,lib/modules/"$abi"}

	busybox_deb=$(rig_fetch_deb busybox-static)
	dpkg-deb --fsys-tarfile "$busybox_deb" | tar -x -C "$stage" ./bin/busybox
	install -m 0755 "$RIG_DIR/guest/init" "$stage/init"

	# A private modules tree: the kernel's selected modules plus ours, so
	# depmod/modprobe resolve everything, including our modules' deps.
	local mstage="$RIG_RUN/mod-stage"
	rm -rf "$mstage" && mkdir -p "$mstage/lib/modules/$abi/extra"
	cp -a "$kroot/lib/modules/$abi/kernel" "$mstage/lib/modules/$abi/"
	cp "$kroot/lib/modules/$abi"/modules.order "$kroot/lib/modules/$abi"/modules.builtin* \
		"$mstage/lib/modules/$abi/"
	for f in $RIG_MODULES; do cp "$f" "$mstage/lib/modules/$abi/extra/"; done
	/sbin/depmod -b "$mstage" "$abi"
	rig_copy_modules "$mstage" "$stage" $RIG_GUEST_MODS \
		$(for f in $RIG_MODULES; do basename "$f" .ko; done)
	rm -rf "$mstage"

	for f in $RIG_GUEST_TOOLS; do rig_copy_prog "$droot" "$stage" "$f"; done
	[ -x "$RIG_CACHE/fio/fio" ] && install -m 0755 "$RIG_CACHE/fio/fio" "$stage/bin/fio"

	# Tests: the guest test tree (its C helpers built first, statically),
	# the plans, and prebuilt helper programs.
	local mk
	for mk in "$XENPV_ROOT"/selftests/guest/*/Makefile; do
		[ -e "$mk" ] || continue
		make -C "$(dirname "$mk")" >>"$RIG_LOG_DIR/guest-tools.log" 2>&1 ||
			rig_die "guest test helpers in $(dirname "$mk") failed to build (see $RIG_LOG_DIR/guest-tools.log)"
	done
	mkdir -p "$stage/tests"
	cp -a "$XENPV_ROOT/selftests/guest/." "$stage/tests/" 2>/dev/null || true
	cp -a "$RIG_DIR/plans" "$stage/tests/plans"
	[ -d "$RIG_RUN/guest-bin" ] && cp -a "$RIG_RUN/guest-bin/." "$stage/bin/"

	(cd "$stage" && find . | cpio -o -H newc --quiet | xz -T0 -3 --check=crc32) >"$RIG_RUN/guest-initrd.gz"
	rig_say "guest initramfs: $(du -h "$RIG_RUN/guest-initrd.gz" | cut -f1)"
	rig_build_guest_loader
}

# The small loader initramfs HVM guests boot with (guest/loader-init): the
# firmware reads only the kernel and this; Linux reads the real root from
# the boot disk itself.
rig_build_guest_loader() {
	local lstage="$RIG_RUN/loader-root" abi=$RIG_KERNEL_ABI kroot="$RIG_KDIR_IMG/root" f m
	rm -rf "$lstage" && mkdir -p "$lstage/bin" "$lstage/lib/modules/$abi"
	cp "$RIG_RUN/guest-root/bin/busybox" "$lstage/bin/busybox"
	install -m 0755 "$RIG_DIR/guest/loader-init" "$lstage/init"
	rig_copy_modules "$kroot" "$lstage" virtio_pci virtio_blk vfat nls_cp437 nls_ascii
	(cd "$lstage" && find . | cpio -o -H newc --quiet | gzip -9) >"$RIG_RUN/guest-loader.gz"
	rig_say "guest loader initramfs: $(du -h "$RIG_RUN/guest-loader.gz" | cut -f1)"
}
