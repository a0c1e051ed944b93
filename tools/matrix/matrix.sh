#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Build xenpv against every supported Debian kernel, each in a cached
# debootstrap chroot of its own suite, and print one line per kernel.
#
# Copyright (C) 2026 The xenpv authors
#
# The headers of a Debian kernel need that suite's compiler and host tools
# (linux-kbuild is linked against its libc), so each kernel is built in a
# minimal chroot of its suite.  The chroots are cached; a run without a
# cache creates them.  The builds run one after the other.
#
# Usage: tools/matrix/matrix.sh [--prepare] [TARGET...]
#   TARGET: a Debian suite (bullseye, bookworm, trixie, sid, ...), a
#   backports suite (trixie-backports), or "newest" (whichever of sid and
#   trixie-backports ships the newer linux-headers-amd64).
#   --prepare: only create/refresh the chroots.
#
# Environment:
#   MATRIX_TARGETS  default "bullseye bookworm trixie newest"
#   XENPV_CACHE     cache base (default ~/.cache/xenpv); chroots in $XENPV_CACHE/matrix
#   MATRIX_MIRROR   Debian mirror (default http://deb.debian.org/debian)
#   MATRIX_UPDATE=1 refresh the packages of cached chroots before building
#   MATRIX_JOBS     parallel jobs inside each build (default 2)
#   XENPV_DIRS      limit the build to these directories (see the Makefile)

set -euo pipefail

SRC=$(cd "$(dirname "$0")/../.." && pwd)
CACHE=${XENPV_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/xenpv}
MATRIX_DIR=$CACHE/matrix
MIRROR=${MATRIX_MIRROR:-http://deb.debian.org/debian}
JOBS=${MATRIX_JOBS:-2}
UPDATE=${MATRIX_UPDATE:-0}
PACKAGES="linux-headers-amd64 gcc make sparse"
PREPARE_ONLY=0

log() { printf 'matrix: %s\n' "$*" >&2; }
die() { printf 'matrix: error: %s\n' "$*" >&2; exit 2; }

# Run a command inside a chroot with /proc and /dev mounted in a private
# mount namespace, so nothing stays mounted when the command ends.
in_chroot() {
	local root=$1
	shift
	unshare --mount --fork -- /bin/sh -c '
		root=$1; shift
		mount --make-rprivate /
		mount -t proc proc "$root/proc"
		mount --rbind /dev "$root/dev"
		exec chroot "$root" /usr/bin/env -i \
			PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/root LC_ALL=C \
			DEBIAN_FRONTEND=noninteractive "$@"
	' in_chroot "$root" "$@"
}

# Newest linux-headers-amd64 between sid and trixie-backports, judged from
# the host's apt lists when it has both; sid otherwise.
resolve_newest() {
	local sid bpo
	sid=$(apt-cache madison linux-headers-amd64 2>/dev/null |
	      awk -F'|' '$3 ~ / sid\// { gsub(/ /, "", $2); print $2; exit }')
	bpo=$(apt-cache madison linux-headers-amd64 2>/dev/null |
	      awk -F'|' '$3 ~ / trixie-backports\// { gsub(/ /, "", $2); print $2; exit }')
	if [ -n "$sid" ] && [ -n "$bpo" ] && dpkg --compare-versions "$bpo" gt "$sid"; then
		echo trixie-backports
	else
		echo sid
	fi
}

# Sets SUITE (what debootstrap installs) and EXTRA (an additional suite
# the headers come from, or empty) for a target name.
target_spec() {
	case $1 in
	*-backports)
		SUITE=${1%-backports}
		EXTRA=$1
		;;
	*)
		SUITE=$1
		EXTRA=
		;;
	esac
}

write_sources() {
	local root=$1 s
	{
		for s in $SUITE $EXTRA; do
			printf 'deb %s %s main\n' "$MIRROR" "$s"
		done
	} > "$root/etc/apt/sources.list"
	cp /etc/resolv.conf "$root/etc/resolv.conf" 2>/dev/null || true
}

install_packages() {
	local root=$1 target=()
	[ -n "$EXTRA" ] && target=(-t "$EXTRA")
	in_chroot "$root" apt-get -q update
	in_chroot "$root" apt-get -q -y --no-install-recommends install \
		"${target[@]}" $PACKAGES
	in_chroot "$root" apt-get -q clean
}

# Create (or refresh) the chroot for one target; prints its path.
prepare_chroot() {
	local name=$1 root=$MATRIX_DIR/$1 tmp
	target_spec "$name"
	if [ -f "$root/.xenpv-ready" ]; then
		if [ "$UPDATE" = 1 ]; then
			log "$name: refreshing packages"
			write_sources "$root"
			install_packages "$root" >> "$root/.xenpv-setup.log" 2>&1 ||
				die "$name: package refresh failed, see $root/.xenpv-setup.log"
		fi
		echo "$root"
		return
	fi
	tmp=$root.new
	rm -rf "$tmp"
	mkdir -p "$MATRIX_DIR"
	log "$name: debootstrap --variant=minbase $SUITE (first run, a few minutes)"
	if ! debootstrap --variant=minbase "$SUITE" "$tmp" "$MIRROR" \
		> "$MATRIX_DIR/$name.debootstrap.log" 2>&1; then
		die "$name: debootstrap failed, see $MATRIX_DIR/$name.debootstrap.log"
	fi
	write_sources "$tmp"
	log "$name: installing $PACKAGES${EXTRA:+ (headers from $EXTRA)}"
	install_packages "$tmp" > "$tmp/.xenpv-setup.log" 2>&1 ||
		die "$name: package installation failed, see $tmp/.xenpv-setup.log"
	touch "$tmp/.xenpv-ready"
	rm -rf "$root"
	mv "$tmp" "$root"
	echo "$root"
}

# Copy the source tree into the chroot (build products and VCS data left
# out), keeping the chroot's own probe cache from earlier runs.
copy_tree() {
	local root=$1 dst=$1/build/xenpv keep=$1/build/generated.keep
	mkdir -p "$root/build"
	rm -rf "$keep"
	[ -d "$dst/compat/generated" ] && mv "$dst/compat/generated" "$keep"
	rm -rf "$dst"
	mkdir -p "$dst"
	tar -C "$SRC" --exclude-vcs --exclude=./build --exclude=./compat/generated --exclude=./rig-artifacts \
		--exclude=./selftests/unit/build \
		--exclude='*.o' --exclude='*.ko' --exclude='*.mod' --exclude='*.mod.c' \
		--exclude='.*.cmd' --exclude='.*.d' --exclude=modules.order \
		--exclude=Module.symvers --exclude='*.deb' -cf - . | tar -C "$dst" -xf -
	if [ -d "$keep" ]; then
		mv "$keep" "$dst/compat/generated"
	fi
}

# Build in one chroot; leaves the lint summary in $root/build/result.
build_in_chroot() {
	local name=$1 root=$2 kdir
	copy_tree "$root"
	rm -rf "$root/build/result"
	kdir=$(cd "$root" && ls -d usr/src/linux-headers-*-amd64 2>/dev/null | sort -V | tail -n 1)
	[ -n "$kdir" ] || { echo "no linux-headers-*-amd64 in the chroot" > "$root/build/no-headers"; return 1; }
	in_chroot "$root" make -C /build/xenpv lint KERNELDIR="/$kdir" \
		LINT_DIR=/build/result LINT_JOBS="$JOBS" ${XENPV_DIRS:+XENPV_DIRS="$XENPV_DIRS"}
}

main() {
	local args=() t name root rc=0 results=()
	while [ $# -gt 0 ]; do
		case $1 in
		--prepare) PREPARE_ONLY=1 ;;
		-h|--help) sed -n '2,/^$/s/^# \{0,1\}//p' "$0"; exit 0 ;;
		*) args+=("$1") ;;
		esac
		shift
	done
	[ "$(id -u)" = 0 ] || die "needs root (debootstrap, chroot and mounts)"
	for t in debootstrap unshare chroot tar; do
		command -v "$t" > /dev/null || die "$t not found (apt-get install debootstrap util-linux)"
	done
	[ ${#args[@]} -gt 0 ] || read -r -a args <<< "${MATRIX_TARGETS:-bullseye bookworm trixie newest}"

	for t in "${args[@]}"; do
		name=$t
		if [ "$t" = newest ]; then
			name=$(resolve_newest)
			log "newest: $name"
		fi
		root=$(prepare_chroot "$name")
		[ "$PREPARE_ONLY" = 1 ] && continue
		log "$name: building (log: $root/build/result/build.log)"
		if build_in_chroot "$name" "$root" > "$MATRIX_DIR/$name.build.log" 2>&1; then
			:
		else
			rc=1
		fi
		results+=("$name")
	done
	[ "$PREPARE_ONLY" = 1 ] && { log "chroots ready in $MATRIX_DIR"; exit 0; }

	print_table "${results[@]}" || rc=1
	exit $rc
}

# One line per kernel, then the per-module detail of the lint reports.
print_table() {
	local name sum rel status warn mods rc=0
	printf '\n%-18s %-28s %-14s %s\n' SUITE KERNEL RESULT MODULES
	for name in "$@"; do
		sum=$MATRIX_DIR/$name/build/result/summary
		if [ ! -f "$sum" ]; then
			printf '%-18s %-28s %-14s %s\n' "$name" "?" failed \
				"no lint summary: see $MATRIX_DIR/$name.build.log"
			rc=1
			continue
		fi
		rel=$(sed -n 's/^release=//p' "$sum")
		status=$(sed -n 's/^status=//p' "$sum")
		warn=$(sed -n 's/^warnings=//p' "$sum")
		mods=$(sed -n 's/^built=//p' "$sum")
		case $status in
		clean) ;;
		warnings) status="$warn warnings"; rc=1 ;;
		*) status=failed; rc=1 ;;
		esac
		printf '%-18s %-28s %-14s %s\n' "$name" "$rel" "$status" "$mods"
	done
	for name in "$@"; do
		sum=$MATRIX_DIR/$name/build/result/summary
		[ -f "$sum" ] || continue
		printf '\n%s:\n' "$name"
		sed -n 's/^dir /  /p' "$sum"
	done
	return $rc
}

main "$@"
