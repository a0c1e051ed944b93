#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# hostile.sh [CASE...]: xenpv_blkfront against a hostile block backend
# (issue "blkfront Must show 5"; hardening.md section 5, cases 1, 3, 4, 8,
# 16, 17, 19).  Bad backend values must give a clear error or be clamped,
# never an oops, a hang or a busy guest.
#
# The backend is tools/dom0/xenpv-fakeback in dom0, started by the
# scenario's ON_CREATE hook ("xenpv-fakeback DOMID serve").  For each case
# it creates vbd 51840 (xvdi) for this guest, drives the handshake and
# misbehaves as the case says.  Requests go through xenpv_coretest's
# xenstore file: the guest writes "SEQ VERB [ARG]" to
# data/xenpv-test/hostile-req, dom0 answers "SEQ WORD key=value..." in
# data/xenpv-test/hostile-rsp.  Verbs: hello, case NAME (-> ready fe=STATE
# rings= order= sha=<initial disk digest>), arm (the next I/O gets the
# bad response), storm N (N notifications 100 ms apart), finish (unplug
# as the toolstack does -> done fe_final= fired= reqs= bad= unexpected=
# copy_errs= indirect= sha=<final disk digest> error=<frontend's error
# node>), quit.
#
# The disk is 4 MiB (8192 sectors) in dom0's memory; sector N starts with
# the line "xenpv-fakeback sector N" (8 digits).  Per case, beyond "no
# oops/BUG/WARNING in dmesg" and "device gone after the unplug":
#   good, junk-padding  Connected; pattern and whole-disk digest read back;
#       a 64 KiB write reads back and reaches dom0's image; no violation.
#       good also checks that a notification storm does raise interrupts
#       (the control for the "no EOI after a violation" checks).
#   sectors-zero        disk of size 0 (or refused); a read returns at once
#   sectors-huge, sectors-junk, sector-size-3, sector-size-huge
#       refused: frontend Closing, no disk, dmesg names the value, the
#       error node says what failed
#   indirect-huge/-one, queues-zero/-huge/-junk, ring-order-huge,
#   ring-pages-huge     Connected with the values clamped to our own
#       limits (module parameters, CPUs); what the backend saw the frontend
#       use matches sysfs; I/O correct
#   never-connect       frontend waits in Initialised; no disk; responsive
#   connected-first     InitWait skipped: still connects and works
#   rsp-overflow, rsp-bad-id, rsp-dup, rsp-bad-op, rsp-bad-status
#       after correct I/O, the armed attack: device in error state,
#       violations +1, dmesg names the violation, further I/O fails at
#       once, and a notification storm brings no interrupts (no EOI)
#
# Needs xenpv_blkfront and xenpv_coretest loaded.  XENPV_HOSTILE_CASES (or
# the arguments) choose the cases; XENPV_HOSTILE_TIMEOUT (s) bounds each
# dom0 answer.
#
# Copyright (C) 2026 The xenpv authors

. /tests/lib/tap.sh
. /tests/core/lib.sh
ct_require

HB_VDEV=51840
HB_DISK=xvdi
HB_NODE=device/vbd/$HB_VDEV
HB_DEV=/dev/$HB_DISK
HB_SYS=/sys/block/$HB_DISK
HB_X=$HB_SYS/xenpv
HB_SECTORS=8192
HB_REQ=$CT_BASE/hostile-req
HB_RSP=$CT_BASE/hostile-rsp
HB_TIMEOUT=${XENPV_HOSTILE_TIMEOUT:-120}
HB_SEQ_FILE=/tmp/xenpv-hostile.seq
HB_T=/tmp/xenpv-hostile
HB_DEFAULT="good junk-padding sectors-zero sectors-huge sectors-junk sector-size-3
sector-size-huge indirect-huge indirect-one queues-zero queues-huge queues-junk
ring-order-huge ring-pages-huge never-connect connected-first rsp-overflow
rsp-bad-id rsp-dup rsp-bad-op rsp-bad-status good"
HB_CASES=${*:-${XENPV_HOSTILE_CASES:-$HB_DEFAULT}}

rm -rf "$HB_T"
mkdir -p "$HB_T"
rm -f "$HB_SEQ_FILE"

HB_MODE=$(ct_get info mode)
if [ "$HB_MODE" = native ]; then
	HB_BUSDEV=/sys/bus/xenpv/devices/vbd-$HB_VDEV
else
	HB_BUSDEV=/sys/bus/xen/devices/vbd-$HB_VDEV
fi

# ---- helpers ------------------------------------------------------------

# hb_call VERB [ARG]: one request to xenpv-fakeback.  Prints the answer
# without its sequence number; fails on "err ..." or no answer in time.
# ct_ans is set by ct_rpc (core/lib.sh).
# shellcheck disable=SC2154
hb_call() {
	ct_rpc "$HB_REQ" "$HB_RSP" "$HB_SEQ_FILE" "$HB_TIMEOUT" xenpv-fakeback \
		"$@" || return 1
	echo "$ct_ans"
	case "$ct_ans" in err*) return 1 ;; esac
	return 0
}

# Uptime in hundredths of a second.
hb_now() {
	awk '{ printf "%d\n", $1 * 100 }' /proc/uptime
}

hb_x() {
	cat "$HB_X/$1" 2>/dev/null
}

hb_param() {
	cat "/sys/module/xenpv_blkfront/parameters/$1" 2>/dev/null
}

hb_min() {
	if [ "$1" -lt "$2" ]; then echo "$1"; else echo "$2"; fi
}

# hb_eq "desc" GOT WANT
hb_eq() {
	if [ "$2" = "$3" ]; then
		tap_ok "$1 ($2)"
	else
		tap_fail "$1: got '$2', want '$3'"
	fi
}

# hb_bounded SECONDS OUT CMD...: CMD in the background with its output in
# OUT, waited for at most SECONDS (a process stuck in the kernel cannot be
# killed, so do not wait for it).  hb_rc is its status, or "hang".
hb_bounded() {
	hb_lim=$(($1 * 5))
	hb_out=$2
	shift 2
	"$@" >"$hb_out" 2>&1 &
	hb_pid=$!
	hb_k=0
	while kill -0 "$hb_pid" 2>/dev/null; do
		hb_k=$((hb_k + 1))
		if [ "$hb_k" -gt "$hb_lim" ]; then
			kill -9 "$hb_pid" 2>/dev/null
			hb_rc=hang
			return 1
		fi
		sleep 0.2
	done
	wait "$hb_pid"
	hb_rc=$?
	[ "$hb_rc" = 0 ]
}

hb_drop() {
	sync
	echo 3 >/proc/sys/vm/drop_caches
}

# First line of sector $1, read from the disk (not the page cache).
hb_head() {
	hb_drop
	hb_bounded 30 "$HB_T/head" sh -c "dd if=$HB_DEV bs=512 skip=$1 count=1 2>/dev/null | head -n 1"
	cat "$HB_T/head"
}

# Digest of the whole disk read from the backend, or "hang"/"error".
hb_disk_sha() {
	hb_drop
	if hb_bounded 90 "$HB_T/sha" sh -c "dd if=$HB_DEV bs=65536 2>/dev/null | sha256sum"; then
		cut -c1-64 "$HB_T/sha"
	else
		echo "read-failed-rc-$hb_rc"
	fi
}

# Mark the kernel log at the start of a case; hb_dmesg_new keeps what
# came after the mark (robust against a wrapped log buffer).
hb_dmesg_mark() {
	hb_mark="xenpv-hostile: ---- case $1 at $(hb_now)"
	echo "$hb_mark" >/dev/kmsg
}

hb_dmesg_new() {
	dmesg >"$HB_T/dmesg.all"
	awk -v m="$hb_mark" 'f { print } index($0, m) { f = 1 }' "$HB_T/dmesg.all" >"$HB_T/dmesg.new"
}

# hb_has_msg TEXT: TEXT in a kernel message since the mark (matched in the
# shell: busybox grep is not trusted with arbitrary patterns).
hb_has_msg() {
	while IFS= read -r hb_l; do
		case "$hb_l" in *"$1"*) return 0 ;; esac
	done <"$HB_T/dmesg.new"
	return 1
}

# Kernel messages since the mark that mean the kernel is hurt.
hb_oops() {
	while IFS= read -r hb_l; do
		case "$hb_l" in
		*"BUG:"* | *"Oops"* | *"WARNING:"* | *"general protection"* | \
		*"Call Trace"* | *"RIP:"* | *"nable to handle"* | *"corruption"* | \
		*"refcount_t:"* | *"use-after-free"* | *"UBSAN"* | *"KASAN"* | \
		*"soft lockup"* | *"hard LOCKUP"* | *"blocked for more than"* | \
		*"rcu"*"stall"* | *"kernel BUG"*)
			echo "$hb_l"
			;;
		esac
	done <"$HB_T/dmesg.new"
}

# Our frontend state now: the bus's attribute in native mode (numeric
# there), our xenstore node in pvops mode (the kernel's bus shows names).
hb_fe_now() {
	if [ "$HB_MODE" = native ]; then
		cat "$HB_BUSDEV/state" 2>/dev/null
	else
		xs_read "$HB_NODE/state" 2>/dev/null
	fi
}

hb_gone() {
	[ ! -e "$HB_BUSDEV" ] && [ ! -e "$HB_SYS" ]
}

hb_is_state() {
	[ "$(hb_x state)" = "$1" ]
}

hb_responsive() {
	hb_t0=$(hb_now)
	sleep 1
	hb_dt=$(($(hb_now) - hb_t0))
	if [ "$hb_dt" -lt 400 ]; then
		tap_ok "$c: guest responsive (1 s sleep took $hb_dt/100 s)"
	else
		tap_fail "$c: guest responsive (1 s sleep took $hb_dt/100 s)"
	fi
}

# ---- what each case expects -----------------------------------------------

# The disk came up Connected and the backend serves it: size, rings,
# pattern, whole-disk digest.  Returns 1 when there is no usable disk.
hb_expect_disk() {
	if [ "$fe" != 4 ]; then
		tap_fail "$c: frontend Connected (state ${fe:-none})"
		return 1
	fi
	tap_ok "$c: frontend Connected"
	if ! wait_for "$HB_X" 30 || ! wait_for "$HB_DEV" 10; then
		tap_fail "$c: $HB_DEV appeared"
		return 1
	fi
	tap_ok "$c: $HB_DEV appeared"
	hb_eq "$c: driver state" "$(hb_x state)" connected
	hb_eq "$c: frontend state (bus/xenstore)" "$(hb_fe_now)" 4
	hb_eq "$c: size in sectors" "$(cat "$HB_SYS/size" 2>/dev/null)" "$HB_SECTORS"
	hb_eq "$c: rings the backend serves = nr_queues" "$ready_rings" "$(hb_x nr_queues)"
	hb_eq "$c: ring order the backend serves = ring_page_order" "$ready_order" \
		"$(hb_x ring_page_order)"
	for s in 0 1 4095 8191; do
		hb_eq "$c: sector $s" "$(hb_head "$s")" "$(printf 'xenpv-fakeback sector %08d' "$s")"
	done
	hb_eq "$c: whole disk matches the backend's image" "$(hb_disk_sha)" "$ready_sha"
	want_sha=$ready_sha
	return 0
}

# A 64 KiB write at 1 MiB reads back; want_sha becomes the new digest.
hb_expect_write() {
	head -c 65536 /dev/urandom >"$HB_T/w"
	if hb_bounded 60 "$HB_T/dd" dd if="$HB_T/w" of="$HB_DEV" bs=65536 seek=16 conv=notrunc,fsync; then
		tap_ok "$c: 64 KiB write"
	else
		tap_fail "$c: 64 KiB write (rc $hb_rc: $(tail -n 1 "$HB_T/dd"))"
	fi
	hb_drop
	hb_bounded 30 "$HB_T/rb" sh -c "dd if=$HB_DEV bs=65536 skip=16 count=1 2>/dev/null | sha256sum"
	hb_eq "$c: written data reads back" "$(cut -c1-64 "$HB_T/rb")" \
		"$(sha256sum <"$HB_T/w" | cut -c1-64)"
	want_sha=$(hb_disk_sha)
}

hb_expect_healthy() {
	hb_eq "$c: no protocol violation" "$(hb_x violations)" 0
	hb_eq "$c: no error response" "$(hb_x error_responses)" 0
	hb_eq "$c: no stuck grant" "$(hb_x stuck_grants)" 0
}

# hb_storm COUNT: 20 notifications from the backend; then hb_dirq is the
# rise of the interrupt count from COUNT, read before.  A refused storm is
# a failed check (and a failure).
hb_storm() {
	if ! r=$(hb_call storm 20); then
		tap_fail "$c: storm: $r"
		return 1
	fi
	i1=$(hb_x interrupts)
	hb_dirq=$((i1 - ${1:-0}))
}

# Notifications while healthy raise interrupts (spurious ones): the
# control for the no-EOI check of the violation cases.
hb_expect_storm_control() {
	i0=$(hb_x interrupts)
	s0=$(hb_x spurious_interrupts)
	hb_storm "$i0" || return 0
	s1=$(hb_x spurious_interrupts)
	if [ "$hb_dirq" -ge 3 ]; then
		tap_ok "$c: 20 notifications while healthy raise interrupts (+$hb_dirq, spurious +$((s1 - s0)))"
	else
		tap_fail "$c: 20 notifications while healthy raise interrupts (+$hb_dirq)"
	fi
}

# The backend's values are refused: no disk, the reason in dmesg.
hb_expect_refused() {
	case "$fe" in
	5 | 6) tap_ok "$c: frontend refused the device (state $fe)" ;;
	*) tap_fail "$c: frontend refused the device (state ${fe:-none}, want 5 Closing)" ;;
	esac
	sleep 2
	hb_eq "$c: frontend state (bus/xenstore) is Closing" "$(hb_fe_now)" 5
	if [ ! -e "$HB_SYS" ] && [ ! -e "$HB_DEV" ]; then
		tap_ok "$c: no disk"
	else
		tap_fail "$c: no disk ($HB_SYS exists)"
	fi
	if [ -e "$HB_BUSDEV" ]; then
		tap_ok "$c: device stays on the bus until unplugged"
	else
		tap_fail "$c: device stays on the bus until unplugged ($HB_BUSDEV missing)"
	fi
	expect_msg=$1
	expect_err=$2
}

# $1 = the backend key, $2 = its value, $3 = the sysfs attribute with the
# clamped result, $4 = the expected result.
hb_expect_clamped() {
	hb_eq "$c: backend's $1 seen as" "$(hb_x "backend_$(echo "$1" | tr - _)")" "$2"
	hb_eq "$c: $3 clamped" "$(hb_x "$3")" "$4"
}

hb_expect_violation() {
	hb_expect_disk || return
	v0=$(hb_x violations)
	if r=$(hb_call arm); then tap_ok "$c: backend armed"; else tap_fail "$c: arm: $r"; fi
	hb_drop
	hb_bounded 30 "$HB_T/trig" dd if="$HB_DEV" of=/dev/null bs=4096 count=1 skip=256
	trig=$hb_rc
	tap_diag "$c: the read that met the attack: rc $trig: $(tail -n 1 "$HB_T/trig")"
	if [ "$trig" = hang ]; then
		tap_fail "$c: the read that met the attack returned within 30 s"
	elif [ "$c" = rsp-dup ]; then
		# The first of the two responses is a correct one.
		tap_ok "$c: the read that met the attack returned (rc $trig)"
	elif [ "$trig" != 0 ]; then
		tap_ok "$c: the read that met the attack failed (rc $trig)"
	else
		tap_fail "$c: the read that met the attack failed (it succeeded)"
	fi
	if wait_until 15 hb_is_state error; then
		tap_ok "$c: device in error state"
	else
		tap_fail "$c: device in error state (state $(hb_x state))"
	fi
	hb_eq "$c: violations counted once" "$(hb_x violations)" $((v0 + 1))
	iv=$(hb_x interrupts)
	hb_drop
	hb_bounded 30 "$HB_T/again" dd if="$HB_DEV" of=/dev/null bs=4096 count=1 skip=512
	if [ "$hb_rc" != hang ] && [ "$hb_rc" != 0 ]; then
		tap_ok "$c: later I/O fails at once (rc $hb_rc)"
	else
		tap_fail "$c: later I/O fails at once (rc $hb_rc)"
	fi
	if hb_storm "$iv"; then
		if [ "$hb_dirq" -le 2 ]; then
			tap_ok "$c: no interrupts after the violation (no EOI): +$hb_dirq for 20 notifications"
		else
			tap_fail "$c: no interrupts after the violation (no EOI): +$hb_dirq for 20 notifications"
		fi
	fi
	hb_responsive
	expect_msg="xenpv_blkfront: $HB_DISK: $1"
	expect_fired=1
}

hb_case_body() {
	cpus=$(cat /sys/devices/system/cpu/possible 2>/dev/null)
	cpus=$((${cpus##*[-,]} + 1))
	order_max=$(hb_min "$(hb_param max_ring_page_order)" 4)
	case "$c" in
	good | junk-padding)
		hb_expect_disk || return
		hb_expect_write
		hb_expect_healthy
		[ "$c" = good ] && hb_expect_storm_control
		;;
	connected-first)
		hb_expect_disk && hb_expect_healthy
		;;
	sectors-zero)
		case "$fe" in
		4)
			tap_ok "$c: accepted as an empty disk"
			if wait_for "$HB_X" 30; then
				hb_eq "$c: size" "$(cat "$HB_SYS/size")" 0
			else
				tap_fail "$c: $HB_SYS appeared"
			fi
			hb_bounded 20 "$HB_T/zero" dd if="$HB_DEV" of=/dev/null bs=4096 count=1
			if [ "$hb_rc" != hang ]; then
				tap_ok "$c: reading the empty disk returns at once (rc $hb_rc)"
			else
				tap_fail "$c: reading the empty disk returns at once"
			fi
			hb_expect_healthy
			expect_msg="$HB_DISK: 0 sectors of 512 bytes"
			;;
		*)
			hb_expect_refused "" ""
			;;
		esac
		;;
	sectors-huge)
		hb_expect_refused "$HB_DISK: backend size of 18446744073709551615 sectors is too large" \
			checking_sectors
		;;
	sectors-junk)
		hb_expect_refused "reading sectors" reading_sectors
		;;
	sector-size-3)
		hb_expect_refused "$HB_DISK: backend sector-size 3 is not usable" checking_sector-size
		;;
	sector-size-huge)
		hb_expect_refused "$HB_DISK: backend sector-size 2147483648 is not usable" \
			checking_sector-size
		;;
	indirect-huge | indirect-one)
		hb_expect_disk || return
		be=4294967295
		[ "$c" = indirect-one ] && be=1
		want=$(hb_min "$(hb_min "$be" "$(hb_param max_indirect_segments)")" 256)
		[ "$want" -le 11 ] && want=0
		hb_expect_clamped max-indirect-segments "$be" max_indirect_segments "$want"
		segs=$want
		[ "$segs" = 0 ] && segs=11
		hb_eq "$c: segments per request" "$(hb_x max_segments)" "$segs"
		expect_indirect=$want
		hb_expect_healthy
		;;
	queues-zero | queues-junk)
		hb_expect_disk || return
		hb_expect_clamped max-queues 0 nr_queues 1
		hb_expect_healthy
		;;
	queues-huge)
		hb_expect_disk || return
		hb_expect_clamped max-queues 4294967295 nr_queues \
			"$(hb_min "$(hb_param max_queues)" "$cpus")"
		hb_expect_healthy
		;;
	ring-order-huge)
		hb_expect_disk || return
		hb_expect_clamped max-ring-page-order 30 ring_page_order "$order_max"
		hb_eq "$c: ring pages" "$(hb_x ring_pages)" $((1 << order_max))
		hb_expect_healthy
		;;
	ring-pages-huge)
		hb_expect_disk || return
		hb_expect_clamped max-ring-pages 4294967295 ring_page_order "$order_max"
		hb_expect_healthy
		;;
	never-connect)
		hb_eq "$c: frontend waits in Initialised" "$fe" 3
		if xs_read "$HB_NODE/ring-ref" >/dev/null 2>&1 &&
		    xs_read "$HB_NODE/event-channel" >/dev/null 2>&1; then
			tap_ok "$c: frontend published its ring and event channel"
		else
			tap_fail "$c: frontend published its ring and event channel"
		fi
		if [ -e "$HB_BUSDEV" ]; then
			tap_ok "$c: device on the bus"
		else
			tap_fail "$c: device on the bus ($HB_BUSDEV missing)"
		fi
		sleep 3
		hb_eq "$c: frontend state (bus/xenstore) still Initialised" "$(hb_fe_now)" 3
		if [ ! -e "$HB_SYS" ]; then
			tap_ok "$c: no disk while the backend never connects"
		else
			tap_fail "$c: no disk while the backend never connects"
		fi
		hb_responsive
		;;
	rsp-overflow) hb_expect_violation "illegal number of responses" ;;
	rsp-bad-id) hb_expect_violation "response has an id outside the ring" ;;
	rsp-dup) hb_expect_violation "response references no pending request" ;;
	rsp-bad-op) hb_expect_violation "response has the wrong operation" ;;
	rsp-bad-status) hb_expect_violation "response has an unknown status" ;;
	*)
		tap_fail "$c: no expectations for this case"
		;;
	esac
}

# After the unplug: the device is gone, the kernel is unhurt, the messages
# and dom0's view agree with the case.  Fails (1) when the device stayed.
hb_case_end() {
	if d=$(hb_call finish); then
		tap_ok "$c: backend unplugged the device"
	else
		tap_fail "$c: backend unplugged the device: $d"
	fi
	tap_diag "$c: dom0: $d"
	gone=0
	if wait_until 30 hb_gone; then
		tap_ok "$c: device removed"
		gone=1
	else
		tap_fail "$c: device removed ($HB_BUSDEV or $HB_SYS still there)"
	fi
	hb_eq "$c: frontend closed before the unplug" "$(kv fe_final "$d")" 6
	hb_eq "$c: requests were well-formed (dom0 found none bad)" "$(kv bad "$d")" 0
	hb_eq "$c: only offered operations and features used" "$(kv unexpected "$d")" 0
	hb_eq "$c: every grant copy of the backend succeeded" "$(kv copy_errs "$d")" 0
	[ -n "$want_sha" ] && hb_eq "$c: dom0's image = what the guest read" "$(kv sha "$d")" "$want_sha"
	[ -n "$expect_fired" ] && hb_eq "$c: the attack was sent" "$(kv fired "$d")" 1
	if [ -n "$expect_indirect" ]; then
		n=$(kv indirect "$d")
		if [ "$expect_indirect" = 0 ]; then
			hb_eq "$c: no indirect requests" "$n" 0
		elif [ "${n:-0}" -gt 0 ]; then
			tap_ok "$c: indirect requests used ($n)"
		else
			tap_fail "$c: indirect requests used (${n:-none})"
		fi
	fi
	if [ -n "$expect_err" ]; then
		e=$(kv error "$d")
		case "$e" in
		*"$expect_err"*) tap_ok "$c: error node says $e" ;;
		*) tap_fail "$c: error node says '$e', want '$expect_err'" ;;
		esac
	fi
	hb_dmesg_new
	if [ -n "$expect_msg" ]; then
		if hb_has_msg "$expect_msg"; then
			tap_ok "$c: dmesg: $expect_msg"
		else
			tap_fail "$c: dmesg lacks '$expect_msg'"
		fi
	fi
	if [ -n "$expect_fired" ]; then
		if hb_has_msg "disabled for further use"; then
			tap_ok "$c: dmesg says the device is disabled"
		else
			tap_fail "$c: dmesg says the device is disabled"
		fi
	fi
	hb_oops >"$HB_T/oops"
	if [ -s "$HB_T/oops" ]; then
		tap_fail "$c: kernel unhurt (oops/BUG/WARNING in dmesg)"
		head -n 20 "$HB_T/oops" | while IFS= read -r l; do tap_diag "$l"; done
	else
		tap_ok "$c: kernel unhurt (no oops/BUG/WARNING)"
	fi
	# The case's kernel messages, for whoever reads the log.
	tail -n 15 "$HB_T/dmesg.new" | while IFS= read -r l; do tap_diag "$c: $l"; done
	[ "$gone" = 1 ]
}

# ---- main -------------------------------------------------------------------

if [ ! -d /sys/module/xenpv_blkfront ]; then
	tap_fail "xenpv_blkfront loaded"
	tap_end
fi
if [ -e "$HB_BUSDEV" ]; then
	tap_fail "vbd $HB_VDEV not in use before the test"
	tap_end
fi
xs_rm "$HB_RSP" 2>/dev/null
if r=$(hb_call hello); then
	tap_ok "xenpv-fakeback answers in dom0: $r"
else
	tap_fail "xenpv-fakeback answers in dom0 (scenario ON_CREATE): $r"
	tap_end
fi

left=
for c in $HB_CASES; do
	if [ -n "$left" ]; then
		left="$left $c"
		continue
	fi
	expect_msg='' expect_err='' expect_fired='' expect_indirect='' want_sha=''
	hb_dmesg_mark "$c"
	tap_diag "---- case $c"
	t0=$(hb_now)
	if r=$(hb_call case "$c"); then
		tap_diag "$c: dom0: $r"
		fe=$(kv fe "$r")
		ready_sha=$(kv sha "$r")
		ready_rings=$(kv rings "$r")
		ready_order=$(kv order "$r")
		hb_case_body
	else
		tap_fail "$c: backend set the device up: $r"
	fi
	hb_case_end || left=" "
	tap_diag "$c: $(( ($(hb_now) - t0) / 100 )) s"
done
if [ -n "$left" ]; then
	tap_fail "cases not run (the device did not go away):$left"
fi
if r=$(hb_call quit); then tap_ok "xenpv-fakeback finished"; else tap_fail "xenpv-fakeback finished: $r"; fi
tap_end
