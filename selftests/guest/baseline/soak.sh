#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# soak.sh DISK|- SECONDS: guest half of the emulator stress scenarios.  For
# SECONDS, write a fresh 8 MiB random pattern to /dev/DISK, read it back
# past the page cache and compare, while a second loop forks and execs
# small tools and checks their answers.  Every mismatch is a failure.
#
# Copyright (C) 2026 The xenpv authors

. /tests/lib/tap.sh
dev=/dev/$1
secs=${2:-120}
now() { cut -d. -f1 /proc/uptime; }

# DISK "-": a file in the guest's RAM instead (a guest with no disk of its
# own, such as the HVM fault measurement).
if [ "$1" = - ]; then
	dev=/tmp/soak-target
	: >"$dev"
elif ! wait_for "$dev" 30; then
	tap_fail "$dev appeared"
	tap_end
fi
end=$(( $(now) + secs ))
(
	n=0 bad=0
	while [ "$(now)" -lt "$end" ]; do
		r=$(echo "abc$n" | tr a-c x-z | sed 's/x/q/' | grep -c "^qyz$n\$")
		[ "$r" = 1 ] || bad=$((bad + 1))
		n=$((n + 1))
	done
	echo "$n $bad" >/tmp/soak-forks
) &
rounds=0 mism=0
while [ "$(now)" -lt "$end" ]; do
	head -c 8388608 /dev/urandom >/tmp/soak
	want=$(sha256sum </tmp/soak | cut -d' ' -f1)
	dd if=/tmp/soak of="$dev" bs=1M conv=fsync 2>/dev/null
	echo 3 >/proc/sys/vm/drop_caches
	got=$(dd if="$dev" bs=1M count=8 2>/dev/null | sha256sum | cut -d' ' -f1)
	[ "$want" = "$got" ] || mism=$((mism + 1))
	rounds=$((rounds + 1))
done
wait
read -r n bad </tmp/soak-forks
tap_diag "disk rounds $rounds, mismatches $mism; fork loop $n iterations, $bad wrong answers"
tap_eq "disk pattern mismatches in $rounds rounds" "$mism" 0
tap_eq "wrong answers in $n fork/exec iterations" "$bad" 0
tap_eq "segfaults logged" "$(dmesg | grep -c 'segfault at')" 0
rm -f /tmp/soak /tmp/soak-target
tap_end
