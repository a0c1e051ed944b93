#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# kbdfront.sh [SECONDS [KEYCODE]]: xenpv_kbdfront in a guest with a vkbd
# backend.  Checks the input devices (vendor 0x5853, products 0xffff
# keyboard, 0xfffe pointer, 0xfffd multi-touch) against what debugfs says
# was negotiated, the absolute ranges, and no protocol error.  With
# SECONDS, waits that long for events injected from dom0 (tools/rfb/rfbtool
# key/pointer) and, with KEYCODE (e.g. 30 for KEY_A), for that key's press.
# With "peer" as the first argument instead, the dom0 peer
# (tools/dom0/xenpv-core-peer, xenpv_coretest loaded) types "abc" and
# clicks at two points through the backend's VNC server, and the events
# must arrive with the right key codes, button and coordinates.  The click
# is at XENPV_KBD_CLICK ("X Y", default "100 50"): a second run in the same
# guest clicks elsewhere (the input core drops a position it already has).
# Skips (exit 4) when the guest has no vkbd.
#
# Copyright (C) 2026 The xenpv authors

. /tests/lib/tap.sh
here=$(dirname "$0")
wait_s=${1:-0}
key=${2:-}
peer=
if [ "$wait_s" = peer ]; then
	peer=1
	wait_s=0
	. /tests/core/lib.sh
	ct_require
fi
dbg=/sys/kernel/debug/xenpv_kbdfront
# shellcheck disable=SC2086 # two numbers, split on purpose
set -- ${XENPV_KBD_CLICK:-100 50}
cx=$1
cy=$2
case "$cx$cy" in
'' | *[!0-9]*)
	echo "Bail out! XENPV_KBD_CLICK must be two numbers"
	exit 1
	;;
esac

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
		if [ -n "$peer" ]; then
			# Asked to check against dom0: the device must be there.
			tap_fail "a vkbd device in this guest ($(ls /sys/bus/xen/devices 2>&1 | tr '\n' ' '))"
		else
			tap_skip "no vkbd device in this guest"
		fi
	fi
	tap_end
fi
tap_ok "vkbd negotiated ($(basename "$st"))"
tap_diag "$(tr '\n' ' ' <"$st")"

# The device is connected on its bus (native: ours; pvops: the kernel's),
# also after a save/restore moved it to a new backend.
for f in /sys/bus/xenpv/devices/vkbd-*/state /sys/bus/xen/devices/vkbd-*/state; do
	[ -r "$f" ] || continue
	connected() { case "$(cat "$f")" in 4 | Connected) return 0 ;; esac; return 1; }
	if wait_until 10 connected; then
		tap_ok "$(basename "$(dirname "$f")") connected ($f: $(cat "$f"))"
	else
		tap_fail "$(basename "$(dirname "$f")") connected ($f: $(cat "$f"))"
	fi
done

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

# near WANT GOT RANGE: GOT within 2% of RANGE (at least 2) of WANT.
near() {
	tol=$(($3 / 50))
	[ "$tol" -lt 2 ] && tol=2
	d=$(($2 - $1))
	[ "$d" -lt 0 ] && d=$((-d))
	[ "$d" -le "$tol" ]
}

# abs_at NODE CODE: the last value of absolute axis CODE on NODE.
abs_at() {
	awk -v n="$1" -v c="$2" '$1 == n && $2 == 3 && $3 == c { v = $4 } END { print v }' /tmp/kbdev
}

if [ -n "$peer" ]; then
	kbd=$(sed -n 's/^dev \([^ ]*\) 0xffff .*/\1/p' /tmp/kbdcaps)
	ptr=$(sed -n 's/^dev \([^ ]*\) 0xfffe .*/\1/p' /tmp/kbdcaps)
	"$here/evdev_reader" read -t 40 >/tmp/kbdev 2>&1 &
	rd=$!
	sleep 1
	ans=$(peer_call rfb type abc) || tap_fail "dom0 typed abc over VNC: $ans"
	sleep 1
	ans=$(peer_call rfb pointer "$cx" "$cy" 1) || tap_fail "dom0 clicked at $cx,$cy over VNC: $ans"
	sleep 1
	# A copy of what arrived so far; the reader keeps going until -t.
	i=0
	while [ $i -lt 50 ] && ! grep -q "^$ptr 1 272 0\$" /tmp/kbdev; do
		i=$((i + 1))
		sleep 0.2
	done
	kill "$rd" 2>/dev/null
	wait "$rd" 2>/dev/null
	tail -n 30 /tmp/kbdev | while read -r l; do tap_diag "event $l"; done
	for kc in 30 48 46; do
		if grep -q "^$kbd 1 $kc 1\$" /tmp/kbdev && grep -q "^$kbd 1 $kc 0\$" /tmp/kbdev; then
			tap_ok "key code $kc pressed and released on $kbd"
		else
			tap_fail "key code $kc pressed and released on $kbd"
		fi
	done
	if grep -q "^$ptr 1 272 1\$" /tmp/kbdev && grep -q "^$ptr 1 272 0\$" /tmp/kbdev; then
		tap_ok "BTN_LEFT pressed and released on $ptr"
	else
		tap_fail "BTN_LEFT pressed and released on $ptr"
	fi
	if [ "$(stat_of "$st" abs)" = 1 ]; then
		# The backend scales VNC pixels to the device's range.
		xmax=$(sed -n "s/^abs $ptr 0 [0-9-]* \([0-9]*\)/\1/p" /tmp/kbdcaps)
		ymax=$(sed -n "s/^abs $ptr 1 [0-9-]* \([0-9]*\)/\1/p" /tmp/kbdcaps)
		scr=$(peer_call rfb size)
		scr=${scr#ok }
		sw=${scr%x*}
		sh=${scr#*x}
		x=$(abs_at "$ptr" 0)
		y=$(abs_at "$ptr" 1)
		bad=
		for v in "$sw" "$sh" "$xmax" "$ymax" "$x" "$y"; do
			case "$v" in *[!0-9]* | '') bad=1 ;; esac
		done
		[ -z "$bad" ] && [ "$sw" -gt 1 ] && [ "$sh" -gt 1 ] || bad=1
		case "$bad" in
		1)
			tap_fail "pointer position: screen '$scr' range '$xmax'x'$ymax' got '$x','$y'"
			;;
		*)
			wx=$((cx * xmax / (sw - 1)))
			wy=$((cy * ymax / (sh - 1)))
			if near "$wx" "$x" "$xmax" && near "$wy" "$y" "$ymax"; then
				tap_ok "pointer at $x,$y (want about $wx,$wy of $xmax,$ymax)"
			else
				tap_fail "pointer at $x,$y, want about $wx,$wy of $xmax,$ymax (screen $scr)"
			fi
			;;
		esac
	else
		tap_skip "pointer position (relative pointer negotiated)"
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
