#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# fbfront.sh [HOLD_SECONDS [peer]]: xenpv_fbfront in a guest with a vfb
# backend.  Checks the DRM device (also through libdrm's modetest: the
# connector connected, its modes) and fbdev emulation, draws the known
# pattern with drm_pattern (full screen, partial update, mode change; each
# stage held HOLD_SECONDS, default 3), and checks from debugfs that update
# events reached the ring and that no protocol error was seen.  With
# "peer", the dom0 peer (tools/dom0/xenpv-core-peer, xenpv_coretest loaded)
# looks at each stage through the backend's VNC server with
# tools/rfb/rfbtool: the bars' pixels, the partial update's rectangle with
# the bars around it untouched, the screen size after the mode change.
# Skips (exit 4) when the guest has no vfb.
#
# Copyright (C) 2026 The xenpv authors

. /tests/lib/tap.sh
here=$(dirname "$0")
hold=${1:-3}
peer=${2:-}
if [ "$peer" = peer ]; then
	. /tests/core/lib.sh
	ct_require
fi
dbg=/sys/kernel/debug/xenpv_fbfront

[ -d /sys/kernel/debug/xenpv_fbfront ] || mount -t debugfs none /sys/kernel/debug 2>/dev/null

stat_of() {
	# stat_of FILE KEY
	sed -n "s/^$2: //p" "$1" 2>/dev/null
}

if ! grep -q '^xenpv_fbfront ' /proc/modules; then
	tap_skip "xenpv_fbfront not loaded"
	tap_end
fi
tap_ok "xenpv_fbfront loaded"

st=
i=0
while [ $i -lt 50 ]; do
	for f in "$dbg"/*; do
		[ -f "$f" ] && [ "$(stat_of "$f" connected)" = 1 ] && st=$f
	done
	[ -n "$st" ] && break
	i=$((i + 1))
	sleep 0.2
done
if [ -z "$st" ]; then
	if ls "$dbg"/* >/dev/null 2>&1; then
		tap_fail "vfb backend connected within 10 s"
		dmesg | grep -i 'vfb\|fbfront' | tail -5 | while read -r l; do tap_diag "$l"; done
	else
		if [ "$peer" = peer ]; then
			# Asked to check against dom0: the device must be there.
			tap_fail "a vfb device in this guest ($(ls /sys/bus/xen/devices 2>&1 | tr '\n' ' '))"
		else
			tap_skip "no vfb device in this guest"
		fi
	fi
	tap_end
fi
tap_ok "vfb connected ($(basename "$st"))"
tap_diag "$(tr '\n' ' ' <"$st")"

if "$here/drm_pattern" info >/tmp/fbinfo 2>&1; then
	tap_ok "DRM device $(sed -n 's/^# using //p' /tmp/fbinfo) answers"
else
	tap_fail "DRM device answers"
fi
while read -r l; do tap_diag "$l"; done </tmp/fbinfo
# libdrm's modetest sees the driver, its connector connected, with modes.
if command -v modetest >/dev/null 2>&1; then
	modetest -M xenpvfb -c >/tmp/modetest.out 2>&1
	if grep -q '[[:space:]]connected[[:space:]]' /tmp/modetest.out &&
	    grep -Eq '#[0-9]+ [0-9]+x[0-9]+ ' /tmp/modetest.out; then
		tap_ok "modetest -M xenpvfb: connector connected, $(grep -Ec '#[0-9]+ [0-9]+x[0-9]+ ' /tmp/modetest.out) mode(s)"
	else
		tap_fail "modetest -M xenpvfb lists a connected connector with modes"
	fi
	grep -E 'connected|#[0-9]+ [0-9]+x[0-9]+ ' /tmp/modetest.out | head -n 6 |
		while read -r l; do tap_diag "modetest: $l"; done
else
	tap_skip "modetest is not installed"
fi
# The whole id, not a truncated one ("<DRM driver name>drmfb").
if grep -qw 'xenpvfbdrmfb' /proc/fb 2>/dev/null; then
	tap_ok "fbdev emulation: $(head -n 1 /proc/fb 2>/dev/null)"
else
	tap_fail "fbdev emulation (/proc/fb names xenpvfbdrmfb): $(tr '\n' ' ' </proc/fb 2>/dev/null)"
fi

upd0=$(stat_of "$st" updates)
rsz0=$(stat_of "$st" resizes)
resize=$(stat_of "$st" feature_resize)
reqs=$(stat_of "$st" request_update)

# rfb_check DESC CMD ARGS...: one look at the screen from dom0.
rfb_check() {
	desc=$1
	shift
	if ans=$(peer_call rfb "$@"); then
		tap_ok "dom0 VNC: $desc"
	else
		tap_fail "dom0 VNC: $desc: $ans"
	fi
}

# Checks from dom0 while drm_pattern holds stage $1 (its "# stage" line $2).
look_at_stage() {
	size=${2##* }
	case "$1" in
	full | mode)
		ans=$(peer_call rfb size)
		tap_eq "dom0 VNC: screen size at stage $1" "${ans#ok }" "$size"
		rfb_check "colour bars at stage $1" check-bars
		;;
	partial)
		set -- $(sed -n 's/^# rect //p' "$out")
		if [ $# = 5 ]; then
			rfb_check "partial update: rectangle $3x$4 at $1,$2 is #$5" \
				check-rect "$1" "$2" "$3" "$4" "$5"
			rfb_check "partial update: the bars outside it unchanged" check-bars
		else
			tap_fail "drm_pattern printed its rectangle"
		fi
		;;
	esac
}

out=/tmp/drm_pattern.out
"$here/drm_pattern" run -H "$hold" >"$out" 2>&1 &
dp=$!
if [ "$peer" = peer ]; then
	seen=
	while :; do
		for s in full partial mode; do
			case " $seen " in *" $s "*) continue ;; esac
			line=$(grep "^# stage $s " "$out") || continue
			seen="$seen $s"
			look_at_stage "$s" "$line"
		done
		kill -0 "$dp" 2>/dev/null || break
		sleep 0.3
	done
	case " $seen " in *" full "*) ;; *) tap_fail "dom0 VNC: drm_pattern reached its first stage" ;; esac
fi
wait "$dp"
rc=$?
while read -r l; do tap_diag "drm_pattern: $l"; done <"$out"
if [ $rc = 0 ]; then tap_ok "drm_pattern run"; else tap_fail "drm_pattern run"; fi
# The mode drm_pattern drew its bars in is one modetest listed.
full=$(sed -n 's/^# stage full //p' "$out")
if [ -n "$full" ] && [ -s /tmp/modetest.out ]; then
	if grep -Eq "#[0-9]+ $full " /tmp/modetest.out; then
		tap_ok "modetest listed the mode of the full-screen stage ($full)"
	else
		tap_fail "modetest listed the mode of the full-screen stage ($full)"
	fi
fi

upd1=$(stat_of "$st" updates)
rsz1=$(stat_of "$st" resizes)
if [ "$reqs" = 1 ]; then
	if [ "${upd1:-0}" -gt "${upd0:-0}" ]; then
		tap_ok "update events sent ($upd0 -> $upd1)"
	else
		tap_fail "update events sent ($upd0 -> $upd1)"
	fi
else
	tap_skip "update events (backend did not request them)"
fi
if [ "$resize" = 1 ] && grep -q '^# stage mode' "$out"; then
	if [ "${rsz1:-0}" -gt "${rsz0:-0}" ]; then
		tap_ok "resize event sent for the mode change"
	else
		tap_fail "resize event sent for the mode change"
	fi
else
	tap_skip "resize event (no feature-resize or no smaller mode)"
fi
pe=$(stat_of "$st" protocol_errors)
if [ "${pe:-0}" = 0 ] && [ "$(stat_of "$st" broken)" = 0 ]; then
	tap_ok "no protocol error"
else
	tap_fail "no protocol error (protocol_errors=$pe)"
fi
tap_end
