#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# fbfront.sh [HOLD_SECONDS]: xenpv_fbfront in a guest with a vfb backend.
# Checks the DRM device and fbdev emulation, draws the known pattern with
# drm_pattern (full screen, partial update, mode change; each stage held
# HOLD_SECONDS, default 3, for a dom0 screenshot with tools/rfb/rfbtool),
# and checks from debugfs that update events reached the ring and that no
# protocol error was seen.  Skips (exit 4) when the guest has no vfb.
#
# Copyright (C) 2026 The xenpv authors

. /tests/lib/tap.sh
here=$(dirname "$0")
hold=${1:-3}
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
		tap_skip "no vfb device in this guest"
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
if grep -q 'xenpv_fbfront' /proc/fb 2>/dev/null; then
	tap_ok "fbdev emulation: $(head -n 1 /proc/fb 2>/dev/null)"
else
	tap_fail "fbdev emulation (/proc/fb names xenpv_fbfront)"
fi

upd0=$(stat_of "$st" updates)
rsz0=$(stat_of "$st" resizes)
resize=$(stat_of "$st" feature_resize)
reqs=$(stat_of "$st" request_update)

out=/tmp/drm_pattern.out
"$here/drm_pattern" run -H "$hold" >"$out" 2>&1
rc=$?
while read -r l; do tap_diag "drm_pattern: $l"; done <"$out"
if [ $rc = 0 ]; then tap_ok "drm_pattern run"; else tap_fail "drm_pattern run"; fi

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
