#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# kbdfront.sh [SECONDS [KEYCODE]]: xenpv_kbdfront in a guest with a vkbd
# backend.  Checks the input devices (vendor 0x5853, products 0xffff
# keyboard, 0xfffe pointer, 0xfffd multi-touch) against what debugfs says
# was negotiated, the absolute ranges, and no protocol error.  With
# SECONDS, waits that long for events injected from dom0 (tools/rfb/rfbtool
# key/pointer) and, with KEYCODE (e.g. 30 for KEY_A), for that key's press.
# Skips (exit 4) when the guest has no vkbd.
#
# Copyright (C) 2026 The xenpv authors

. /tests/lib/tap.sh
here=$(dirname "$0")
wait_s=${1:-0}
key=${2:-}
dbg=/sys/kernel/debug/xenpv_kbdfront

[ -d "$dbg" ] || mount -t debugfs none /sys/kernel/debug 2>/dev/null

stat_of() {
	sed -n "s/^$2: //p" "$1" 2>/dev/null
}

if ! grep -q '^xenpv_kbdfront ' /proc/modules; then
	tap_skip "xenpv_kbdfront not loaded"
	tap_end
fi
tap_ok "xenpv_kbdfront loaded"

st=
i=0
while [ $i -lt 50 ]; do
	for f in "$dbg"/*; do
		[ -f "$f" ] && [ "$(stat_of "$f" keyboard)$(stat_of "$f" pointer)" != 00 ] && st=$f
	done
	[ -n "$st" ] && break
	i=$((i + 1))
	sleep 0.2
done
if [ -z "$st" ]; then
	if ls "$dbg"/* >/dev/null 2>&1; then
		tap_fail "vkbd devices created within 10 s"
	else
		tap_skip "no vkbd device in this guest"
	fi
	tap_end
fi
tap_ok "vkbd negotiated ($(basename "$st"))"
tap_diag "$(tr '\n' ' ' <"$st")"

"$here/evdev_reader" caps >/tmp/kbdcaps 2>&1
while read -r l; do tap_diag "$l"; done </tmp/kbdcaps

check_dev() {
	# check_dev FLAG PRODUCT NAME
	want=$(stat_of "$st" "$1")
	if grep -q "^dev [^ ]* $2 " /tmp/kbdcaps; then have=1; else have=0; fi
	if [ "$want" = "$have" ]; then
		tap_ok "$3 device present=$have as negotiated"
	else
		tap_fail "$3 device present=$have, negotiated $want"
	fi
}
check_dev keyboard 0xffff keyboard
check_dev pointer 0xfffe pointer
check_dev mtouch 0xfffd multi-touch

if [ "$(stat_of "$st" abs)" = 1 ]; then
	node=$(sed -n 's/^dev \([^ ]*\) 0xfffe .*/\1/p' /tmp/kbdcaps)
	if grep -q "^abs $node 0 0 [1-9]" /tmp/kbdcaps && grep -q "^abs $node 1 0 [1-9]" /tmp/kbdcaps; then
		tap_ok "absolute pointer has ABS_X/ABS_Y ranges"
	else
		tap_fail "absolute pointer has ABS_X/ABS_Y ranges"
	fi
fi

if [ "$wait_s" -gt 0 ]; then
	tap_diag "waiting $wait_s s for injected events"
	"$here/evdev_reader" read -t "$wait_s" >/tmp/kbdev 2>&1
	n=$(grep -vc ' 0 0 0$' /tmp/kbdev)
	tail -n 20 /tmp/kbdev | while read -r l; do tap_diag "event $l"; done
	if [ "$n" -gt 0 ]; then tap_ok "received $n input events"; else tap_fail "received input events"; fi
	if [ -n "$key" ]; then
		if grep -q " 1 $key 1\$" /tmp/kbdev; then
			tap_ok "key $key pressed"
		else
			tap_fail "key $key pressed"
		fi
	fi
fi

pe=$(stat_of "$st" protocol_errors)
if [ "${pe:-0}" = 0 ] && [ "$(stat_of "$st" broken)" = 0 ]; then
	tap_ok "no protocol error"
else
	tap_fail "no protocol error (protocol_errors=$pe)"
fi
tap_diag "invalid=$(stat_of "$st" invalid) unknown=$(stat_of "$st" unknown) clamped=$(stat_of "$st" clamped)"
tap_end
