# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
#
# Host-side preparation for the xenpv rig: packages, the guest/dom0 kernel,
# the patched Xen hypervisor and the dom0 root image.  Everything built here
# lands in $RIG_CACHE, keyed by its inputs, and is rebuilt when they change.
# The cache is an optimisation: with an empty cache every step runs.
#
# Copyright (C) 2026 The xenpv authors

# Debian suite providing dom0 userspace, Xen and the default guest kernel.
RIG_SUITE=${RIG_SUITE:-bookworm}
RIG_MIRROR=${RIG_MIRROR:-http://deb.debian.org/debian}
# Xen source package (bookworm's 4.17) and the fix it needs under QEMU TCG.
RIG_XEN_SRC=${RIG_XEN_SRC:-xen/bookworm}
RIG_XEN_PATCHES="$RIG_DIR/patches/xen-4.17-svm-sync-cr2.patch"

# Packages dom0 needs.  fio, iperf3, e2fsprogs and ethtool are not used by
# dom0 itself: the guest initramfs copies them (same libc) from dom0's root.
RIG_DOM0_PKGS="xen-utils-4.17,xenstore-utils,qemu-system-xen,iproute2,kmod,busybox,\
mtools,dosfstools,syslinux,syslinux-common,e2fsprogs,iperf3,ethtool,procps,util-linux,\
libdrm-tests,evtest,vncsnapshot,xxd,socat"

# dom0 kernel modules (and their dependencies, resolved by modprobe -D).
RIG_DOM0_MODS="xen-evtchn xen-gntdev xen-gntalloc xen-privcmd xenfs xen-blkback \
xen-netback bridge tun loop virtio_blk virtio_pci brd null_blk"

rig_apt_ready=
rig_apt() {
	if [ -z "$rig_apt_ready" ]; then
		rig_setup_apt_sources
		apt-get update -q >/dev/null || rig_die "apt-get update failed"
		rig_apt_ready=1
	fi
	DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "$@" \
		>>"$RIG_LOG_DIR/apt.log" 2>&1 || rig_die "apt-get install $* failed (see $RIG_LOG_DIR/apt.log)"
}

# rig_has_src SUITE: a deb-src entry for exactly SUITE is configured (deb822
# stanzas and one-line entries).
rig_has_src() {
	local f
	for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
		[ -e "$f" ] || continue
		grep -Eqs "^[[:space:]]*deb-src[[:space:]].*[[:space:]]$1([[:space:]]|\$)" "$f" && return 0
	done
	for f in /etc/apt/sources.list.d/*.sources; do
		[ -e "$f" ] || continue
		awk -v s="$1" 'BEGIN { RS = ""; found = 0 }
			/(^|\n)Types:[^\n]*deb-src/ && !/(^|\n)Enabled:[ \t]*no/ {
				if (match($0, /(^|\n)Suites:[^\n]*/)) {
					n = split(substr($0, RSTART, RLENGTH), w, /[ \t\n]+/)
					for (i = 1; i <= n; i++) if (w[i] == s) found = 1
				}
			}
			END { exit !found }' "$f" && return 0
	done
	return 1
}

# rig_apt_stanza FILE TYPES SUITE: append a deb822 stanza for SUITE (main).
rig_apt_stanza() {
	{
		[ -s "$1" ] && echo
		printf 'Types: %s\nURIs: %s\nSuites: %s\nComponents: main\n' "$2" "$RIG_MIRROR" "$3"
		echo "Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg"
	} >>"$1"
}

# bookworm-backports carries QEMU 10 (bookworm's 7.2 lacks the nested-SVM
# behaviour the notes rely on).  Low pin: nothing else is pulled from it.
rig_setup_apt_sources() {
	local f=/etc/apt/sources.list.d/xenpv-rig.sources
	if ! grep -rqs "bookworm-backports" /etc/apt/sources.list /etc/apt/sources.list.d/; then
		: >"$f"
		rig_apt_stanza "$f" "deb deb-src" bookworm-backports
	fi
	# Xen's source is bookworm's; trixie's QEMU 10.0 source is the patched
	# QEMU's (rig_prepare_qemu): source only, no binary package from trixie.
	rig_has_src bookworm || rig_apt_stanza "$f" deb-src bookworm
	rig_has_src trixie || rig_apt_stanza "$f" deb-src trixie
	if [ ! -e /etc/apt/preferences.d/xenpv-rig ]; then
		cat >/etc/apt/preferences.d/xenpv-rig <<-EOF
		Package: *
		Pin: release n=bookworm-backports
		Pin-Priority: 100
		EOF
	fi
}

rig_host_deps() {
	local missing=
	command -v debootstrap >/dev/null || missing="$missing debootstrap"
	command -v cpio >/dev/null || missing="$missing cpio"
	command -v mcopy >/dev/null || missing="$missing mtools"
	command -v mkfs.ext4 >/dev/null || missing="$missing e2fsprogs"
	command -v gcc >/dev/null || missing="$missing build-essential"
	command -v bison >/dev/null || missing="$missing bison"
	command -v flex >/dev/null || missing="$missing flex"
	command -v python3 >/dev/null || missing="$missing python3"
	command -v dpkg-source >/dev/null || missing="$missing dpkg-dev"
	command -v sparse >/dev/null || missing="$missing sparse"
	command -v bc >/dev/null || missing="$missing bc"
	command -v zstd >/dev/null || missing="$missing zstd"
	[ -x /sbin/depmod ] || missing="$missing kmod"
	[ -e /usr/include/libelf.h ] || missing="$missing libelf-dev"
	[ -n "$missing" ] && rig_apt $missing
	if ! rig_qemu_ok; then
		rig_setup_apt_sources
		rig_apt_ready=
		rig_apt -t bookworm-backports qemu-system-x86
		rig_qemu_ok || rig_die "QEMU >= 10 not available (qemu-system-x86 from bookworm-backports)"
	fi
}

# Is the distribution's QEMU (only asked for its version here) new enough?
rig_qemu_ok() {
	local v q=qemu-system-x86_64
	command -v "$q" >/dev/null || return 1
	v=$("$q" --version | sed -n 's/.*version \([0-9]*\)\..*/\1/p')
	[ "${v:-0}" -ge 10 ]
}

# Resolve the kernel ABI behind a meta package, e.g. linux-image-amd64 ->
# 6.1.0-56-amd64, from the configured archive.
rig_kernel_abi() {
	apt-cache depends "linux-headers-amd64" 2>/dev/null |
		sed -n 's/.*Depends: linux-headers-\(.*\)$/\1/p' | head -1
}

# Fetch a .deb into the cache (by exact package name) and echo its path.
rig_fetch_deb() {
	local pkg=$1 dir="$RIG_CACHE/debs" f
	mkdir -p "$dir"
	f=$(ls "$dir/${pkg}_"*.deb 2>/dev/null | sort -V | tail -1 || true)
	if [ -z "$f" ]; then
		[ -n "$rig_apt_ready" ] || { rig_setup_apt_sources; apt-get update -q >/dev/null; rig_apt_ready=1; }
		(cd "$dir" && apt-get download -q "$pkg" >>"$RIG_LOG_DIR/apt.log" 2>&1) ||
			rig_die "cannot download $pkg"
		f=$(ls "$dir/${pkg}_"*.deb | sort -V | tail -1)
	fi
	echo "$f"
}

# The kernel dom0 and the guests run: vmlinuz + modules tree + headers.
rig_prepare_kernel() {
	local abi=$RIG_KERNEL_ABI deb out
	out="$RIG_CACHE/kernel-$abi"
	if [ ! -e "$out/.done" ]; then
		rig_say "kernel: extracting linux-image-$abi"
		deb=$(rig_fetch_deb "linux-image-$abi-unsigned")
		rm -rf "$out" && mkdir -p "$out"
		dpkg-deb -x "$deb" "$out/root" || rig_die "cannot extract $deb"
		cp "$out/root/boot/vmlinuz-$abi" "$out/vmlinuz"
		cp "$out/root/boot/System.map-$abi" "$out/System.map"
		# The package's postinst would run depmod; we need modules.dep too.
		/sbin/depmod -b "$out/root" "$abi" || rig_die "depmod of $abi failed"
		touch "$out/.done"
	fi
	[ -e "$out/root/lib/modules/$abi/modules.dep" ] || /sbin/depmod -b "$out/root" "$abi"
	RIG_KDIR_IMG="$out"
	if [ ! -d "/usr/src/linux-headers-$abi" ]; then
		rig_say "kernel: installing linux-headers-$abi for the module build"
		rig_apt "linux-headers-$abi"
	fi
}

# Xen hypervisor from Debian's source with the CR2 fix (see patches/).
rig_prepare_xen() {
	local key out src log
	key=$(cat "$RIG_XEN_PATCHES" | sha256sum | cut -c1-12)
	out="$RIG_CACHE/xen-$key"
	if [ ! -e "$out/xen" ]; then
		rig_say "xen: building the hypervisor from Debian's source (+ CR2 fix), ~2-5 min"
		rm -rf "$out" && mkdir -p "$out/src"
		log="$RIG_LOG_DIR/xen-build.log"
		(cd "$out/src" && apt-get source -q "$RIG_XEN_SRC") >"$log" 2>&1 ||
			rig_die "apt-get source $RIG_XEN_SRC failed (see $log)"
		src=$(find "$out/src" -maxdepth 1 -mindepth 1 -type d -name 'xen-*' | head -1)
		[ -n "$src" ] || rig_die "no unpacked Xen source in $out/src"
		for p in $RIG_XEN_PATCHES; do
			patch -d "$src" -p1 <"$p" >>"$log" 2>&1 || rig_die "patch $p failed (see $log)"
		done
		# Debian's own build configuration, from its hypervisor package.
		dpkg-deb -x "$(rig_fetch_deb xen-hypervisor-4.17-amd64)" "$out/hv" ||
			rig_die "cannot extract xen-hypervisor-4.17-amd64"
		cp "$out"/hv/boot/xen-4.17-amd64.config "$src/xen/.config" ||
			rig_die "no Xen build config in xen-hypervisor-4.17-amd64"
		(make -C "$src/xen" olddefconfig && make -C "$src/xen" -j"$(nproc)") >>"$log" 2>&1 ||
			rig_die "Xen build failed (see $log)"
		cp "$src/xen/xen" "$out/xen"
		# Keep the binary only; the source tree is ~300 MB.
		rm -rf "$out/src" "$out/hv"
	fi
	RIG_XEN="$out/xen"
}

# dom0 root: debootstrap'ed minbase + Xen tools, packed as an initramfs.
rig_prepare_dom0() {
	local key out root
	key=$( (echo "$RIG_SUITE $RIG_DOM0_PKGS $RIG_DOM0_MODS $RIG_KERNEL_ABI"; cat "$RIG_DIR/dom0/init") |
		sha256sum | cut -c1-12)
	out="$RIG_CACHE/dom0-$key"
	if [ ! -e "$out/dom0.cpio" ]; then
		rig_say "dom0: debootstrap $RIG_SUITE + Xen tools (~2-4 min)"
		rm -rf "$out" && mkdir -p "$out"
		root="$out/root"
		debootstrap --variant=minbase --include="$RIG_DOM0_PKGS" "$RIG_SUITE" "$root" "$RIG_MIRROR" \
			>"$RIG_LOG_DIR/debootstrap.log" 2>&1 ||
			rig_die "debootstrap failed (see $RIG_LOG_DIR/debootstrap.log)"
		rig_dom0_trim "$root"
		rig_dom0_modules "$root"
		install -m 0755 "$RIG_DIR/dom0/init" "$root/init"
		(cd "$root" && find . -xdev | cpio -o -H newc --quiet) >"$out/dom0.cpio.tmp" ||
			rig_die "cpio of dom0 failed"
		mv "$out/dom0.cpio.tmp" "$out/dom0.cpio"
	fi
	RIG_DOM0="$out"
}

rig_dom0_trim() {
	local root=$1
	rm -rf "$root"/usr/share/doc "$root"/usr/share/man "$root"/usr/share/info \
		"$root"/usr/share/locale "$root"/var/cache/apt/archives/*.deb \
		"$root"/var/lib/apt/lists/* "$root"/usr/share/qemu/edk2* \
		"$root"/usr/share/qemu/*.fd "$root"/usr/share/ovmf 2>/dev/null
	# Hotplug scripts want these (see ../shared notes: lock helper spins otherwise).
	mkdir -p "$root/var/log/xen/console" "$root/var/lib/xen" "$root/var/rig"
}

rig_dom0_modules() {
	local root=$1 abi=$RIG_KERNEL_ABI src="$RIG_KDIR_IMG/root/lib/modules/$RIG_KERNEL_ABI" m
	mkdir -p "$root/lib/modules/$abi"
	cp "$src"/modules.order "$src"/modules.builtin* "$root/lib/modules/$abi/"
	for m in $RIG_DOM0_MODS; do
		/sbin/modprobe -d "$RIG_KDIR_IMG/root" -S "$abi" --show-depends "$m" 2>/dev/null |
			awk '$1 == "insmod" { print $2 }' || rig_say "dom0 module $m not found"
	done | sort -u | while read -r f; do
		mkdir -p "$root/$(dirname "${f#"$RIG_KDIR_IMG/root"}")"
		cp "$f" "$root/${f#"$RIG_KDIR_IMG/root"}"
	done
	/sbin/depmod -b "$root" "$abi" || rig_die "depmod for dom0 failed"
}

# A static fio built from Debian's source: Debian's fio binary links Ceph,
# Gluster, RDMA and PMEM libraries (~40 MB), far too much for a guest
# initramfs.  Built once, cached; only libaio and zlib are linked in.
rig_prepare_fio() {
	local out="$RIG_CACHE/fio" src log="$RIG_LOG_DIR/fio-build.log"
	[ -x "$out/fio" ] && return 0
	rig_say "fio: building a static fio from Debian's source (~1-2 min)"
	[ -e /usr/lib/x86_64-linux-gnu/libaio.a ] || rig_apt libaio-dev
	[ -e /usr/lib/x86_64-linux-gnu/libz.a ] || rig_apt zlib1g-dev
	rm -rf "$out" && mkdir -p "$out/src"
	(cd "$out/src" && apt-get source -q "fio/$RIG_SUITE") >"$log" 2>&1 ||
		rig_die "apt-get source fio failed (see $log)"
	src=$(find "$out/src" -maxdepth 1 -mindepth 1 -type d -name 'fio-*' | head -1)
	(cd "$src" && ./configure --build-static --disable-native \
		--disable-numa --disable-rdma --disable-rados --disable-rbd --disable-gfapi \
		--disable-pmem --disable-libnfs --disable-libzbc --disable-xnvme --disable-dfs --disable-http --disable-tcmalloc &&
		make -j"$(nproc)" fio) >>"$log" 2>&1 || rig_die "fio build failed (see $log)"
	install -m 0755 "$src/fio" "$out/fio"
	rm -rf "$out/src"
}

# QEMU built from Debian's source with our emulator fixes (patches/qemu-*.patch;
# x86_64-softmmu only, ~5 min on 2 cores, once: cached by source and patches).
#  - qemu-10-ignne-race.patch: every vCPU's FXRSTOR/XRSTOR did a racy
#    read-modify-write of CPU 0's hflags2, undoing VMRUN/#VMEXIT's nested
#    paging and GIF updates: the "triple faults" that killed a large share
#    of HVM guests (Documentation/testing.rst has the measurements).
#  - qemu-10-xsave-nm.patch: XSAVE/XSAVEOPT/XRSTOR raise #NM under CR0.TS
#    (the memory corruption under Xen's lazy FPU; the rig also boots Xen
#    with eager FPU).
# RIG_QEMU=stock runs the distribution's QEMU instead (no build; HVM guests
# then die of the race often), RIG_QEMU=/path a QEMU of your own, and
# RIG_QEMU_TRACE=1 adds patches/debug/qemu-10-svm-trace.patch (a per-vCPU
# SVM event ring dumped on double faults, to $QEMU_SVMDBG).
# bookworm-backports lists 10.0.2 but its source files are gone from the
# archive; trixie carries the newer 10.0 stable release.
RIG_QEMU_SRC=${RIG_QEMU_SRC:-qemu/trixie}
RIG_QEMU_PATCHES="$RIG_DIR/patches/qemu-10-ignne-race.patch $RIG_DIR/patches/qemu-10-xsave-nm.patch"
[ "${RIG_QEMU_TRACE:-0}" = 1 ] && RIG_QEMU_PATCHES="$RIG_QEMU_PATCHES $RIG_DIR/patches/debug/qemu-10-svm-trace.patch"
RIG_QEMU_BIN=qemu-system-x86_64
RIG_QEMU_DATA=

rig_prepare_qemu() {
	local key out src log p
	if [ "${RIG_QEMU:-patched}" = stock ]; then
		RIG_QEMU_BIN=qemu-system-x86_64
		return 0
	fi
	# RIG_QEMU=/path/to/qemu-system-x86_64: a build of your own (emulator
	# experiments such as the instrumented build of Documentation/testing.rst).
	case "${RIG_QEMU:-patched}" in
	patched) ;;
	/*)
		[ -x "$RIG_QEMU" ] || rig_die "RIG_QEMU=$RIG_QEMU is not an executable"
		RIG_QEMU_BIN=$RIG_QEMU
		RIG_QEMU_DATA="-L /usr/share/qemu -L /usr/share/seabios -L /usr/lib/ipxe/qemu"
		return 0
		;;
	*) rig_die "RIG_QEMU=$RIG_QEMU: expected patched (the default), stock, or the absolute path of a qemu-system-x86_64" ;;
	esac
	# The key covers the source suite and the patches, not the suite's
	# current upload: a new 10.0.x in trixie is picked up on a cold cache
	# (where a patch that no longer applies stops the build with its log).
	# shellcheck disable=SC2086
	key=$( (echo "$RIG_QEMU_SRC"; cat $RIG_QEMU_PATCHES) | sha256sum | cut -c1-12)
	out="$RIG_CACHE/qemu-$key"
	if [ ! -x "$out/qemu-system-x86_64" ]; then
		rig_say "qemu: building QEMU from Debian's source with $(echo $RIG_QEMU_PATCHES | wc -w) patch(es) (~5 min, once)"
		log="$RIG_LOG_DIR/qemu-build.log"
		# Debian's +ds source drops QEMU's bundled meson: use bookworm-backports'
		# meson (>= 1.5) with the system python.
		rig_apt ninja-build python3-venv libglib2.0-dev libpixman-1-dev zlib1g-dev pkg-config libfdt-dev \
			flex bison
		rig_apt -t bookworm-backports meson
		rm -rf "$out" && mkdir -p "$out/src"
		(cd "$out/src" && apt-get source -q "$RIG_QEMU_SRC") >"$log" 2>&1 ||
			rig_die "apt-get source $RIG_QEMU_SRC failed (see $log)"
		src=$(find "$out/src" -maxdepth 1 -mindepth 1 -type d -name 'qemu-*' | head -1)
		[ -n "$src" ] || rig_die "no unpacked QEMU source in $out/src"
		for p in $RIG_QEMU_PATCHES; do
			patch -d "$src" -p1 <"$p" >>"$log" 2>&1 || rig_die "patch $p failed (see $log)"
		done
		(cd "$src" && ./configure --python=/usr/bin/python3 \
			--disable-download --disable-install-blobs \
			--target-list=x86_64-softmmu --without-default-features \
			--enable-tcg --disable-docs --disable-werror --disable-kvm --disable-xen &&
			nice -n 5 make -j"$(nproc)" qemu-system-x86_64) >>"$log" 2>&1 ||
			rig_die "QEMU build failed (see $log)"
		install -m 0755 "$src/build/qemu-system-x86_64" "$out/qemu-system-x86_64.tmp"
		mv "$out/qemu-system-x86_64.tmp" "$out/qemu-system-x86_64"
		rm -rf "$out/src"
	fi
	RIG_QEMU_BIN="$out/qemu-system-x86_64"
	# Firmware (SeaBIOS, option ROMs) from the distribution's packages, in
	# the places Debian's own QEMU searches.
	RIG_QEMU_DATA="-L /usr/share/qemu -L /usr/share/seabios -L /usr/lib/ipxe/qemu"
}
