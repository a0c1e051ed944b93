#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# ext4.sh DISK: make an ext4 file system on the whole disk, fill it with
# files of assorted sizes, checksum them, unmount, drop caches, mount
# again and compare, then remount read-only and run a forced fsck.  The
# journal exercises flush and FUA; mounting with -o discard exercises
# discard when the disk offers it.  Destroys the disk's data.
#
# Copyright (C) 2026 The xenpv authors

. "$(dirname "$0")/lib.sh"

mnt=${XENPV_MNT:-/mnt/xenpv-ext4}

if ! blk_wait; then
	tap_fail "$BLK_DEV appeared"
	tap_end
fi
tap_ok "$BLK_DEV appeared"
command -v mkfs.ext4 >/dev/null 2>&1 || blk_skip_all "mkfs.ext4 is not installed"

mib=$(blk_mib 4096)
if [ "$mib" -lt 32 ]; then
	blk_skip_all "$BLK_DEV is smaller than 32 MiB"
fi

opts=
if [ "$(blk_q discard_max_bytes)" != 0 ] && [ -n "$(blk_q discard_max_bytes)" ]; then
	opts=discard
fi

umount "$mnt" 2>/dev/null
mkdir -p "$mnt"
blk_run "mkfs.ext4 on $BLK_DEV" mkfs.ext4 -F -q "$BLK_DEV"
blk_run "mount${opts:+ -o $opts}" mount -t ext4 ${opts:+-o "$opts"} "$BLK_DEV" "$mnt"

# Files: a few large ones (limited by the disk) and many small ones.
# Large files of up to XENPV_EXT4_MIB (default 16) MiB.
big=$(( mib / 8 ))
[ "$big" -gt "${XENPV_EXT4_MIB:-16}" ] && big=${XENPV_EXT4_MIB:-16}
ok=1
for n in 1 2 3; do
	head -c $(( big * n * 1024 * 1024 / 3 + n * 4093 )) /dev/urandom \
		>"$mnt/big$n" || ok=0
done
mkdir -p "$mnt/small"
i=0
while [ "$i" -lt 300 ]; do
	head -c $(( (i * 977) % 20000 + 1 )) /dev/urandom \
		>"$mnt/small/f$i" || ok=0
	i=$((i + 1))
done
sync
if [ "$ok" = 1 ]; then tap_ok "wrote 3 large and 300 small files"; else tap_fail "wrote files"; fi

(cd "$mnt" && find . -type f | sort | xargs sha256sum) >"$BLK_TMP/sums"
tap_diag "$(wc -l <"$BLK_TMP/sums") files checksummed"

blk_run "umount" umount "$mnt"
echo 3 >/proc/sys/vm/drop_caches
blk_run "mount again" mount -t ext4 "$BLK_DEV" "$mnt"
if (cd "$mnt" && sha256sum -c "$BLK_TMP/sums" >"$BLK_TMP/check" 2>&1); then
	tap_ok "all checksums match after remount"
else
	grep -v ': OK$' "$BLK_TMP/check" | head -n 10 | sed 's/^/# /'
	tap_fail "all checksums match after remount"
fi

# Overwrite and delete (discard with -o discard), then fstrim if present.
rm -rf "$mnt/small"
head -c $(( big * 1024 * 1024 )) /dev/urandom >"$BLK_TMP/big1.want"
cp "$BLK_TMP/big1.want" "$mnt/big1"
want=$(sha256sum <"$BLK_TMP/big1.want" | cut -d' ' -f1)
sync
if command -v fstrim >/dev/null 2>&1 && [ -n "$opts" ]; then
	blk_run "fstrim" fstrim "$mnt"
fi
blk_run "remount read-only" mount -o remount,ro "$mnt"
echo 3 >/proc/sys/vm/drop_caches
got=$(sha256sum <"$mnt/big1" | cut -d' ' -f1)
tap_eq "rewritten file reads back" "$got" "$want"
if [ "$got" != "$want" ]; then
	# Where and how it differs: 4 KiB blocks, runs of them, zeros or not,
	# and where the blocks sit on the disk (a discard or a misdirected
	# write shows in the pattern).
	cmp -l "$BLK_TMP/big1.want" "$mnt/big1" 2>/dev/null | awk '
		{ b = int(($1 - 1) / 4096); if (!(b in seen)) { seen[b] = 1; nb++; blk[nb] = b }
		  if ($3 != 0) nz[b] = 1; n++ }
		END {
			printf "# %d bytes differ in %d 4KiB blocks\n", n, nb
			s = -1
			for (i = 1; i <= nb; i++) {
				b = blk[i]
				if (s < 0) { s = b; e = b; z = !(b in nz); continue }
				if (b == e + 1) { e = b; if (b in nz) z = 0; continue }
				printf "# bad blocks %d-%d (%s)\n", s, e, z ? "read back as zeros" : "other data"; r++
				s = b; e = b; z = !(b in nz)
				if (r > 20) break
			}
			if (s >= 0) printf "# bad blocks %d-%d (%s)\n", s, e, z ? "read back as zeros" : "other data"
		}'
	command -v filefrag >/dev/null 2>&1 && filefrag -v "$mnt/big1" 2>/dev/null | head -n 30 | sed 's/^/# /'
	dmesg | grep -i 'xvd\|blkfront' | tail -n 20 | sed 's/^/# /'
	for a in "$BLK_X"/*; do [ -f "$a" ] && tap_diag "$(basename "$a"): $(head -c 200 "$a" 2>/dev/null | tr "\n" " ")"; done
fi
if touch "$mnt/nope" 2>/dev/null; then
	tap_fail "read-only mount refuses writes"
else
	tap_ok "read-only mount refuses writes"
fi
blk_run "umount" umount "$mnt"

if command -v e2fsck >/dev/null 2>&1; then
	blk_run "e2fsck -fn finds no errors" e2fsck -fn "$BLK_DEV"
fi
tap_end
