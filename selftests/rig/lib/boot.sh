# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
#
# Boot Xen + dom0 in QEMU (TCG) with a per-run payload, follow progress on
# the serial log, collect results from the scratch disk, print TAP and a
# summary.
#
# Copyright (C) 2026 The xenpv authors

RIG_QEMU_MEM=${RIG_QEMU_MEM:-4096}
RIG_DOM0_MEM=${RIG_DOM0_MEM:-1280M}

# QEMU command line shared by every boot (never any network: -nic none).
rig_qemu() {
	local initrd=$1 serial=$2 out=$3
	"$RIG_QEMU_BIN" ${RIG_QEMU_DATA:+-L "$RIG_QEMU_DATA"} -accel tcg -cpu max -smp 2 -m "$RIG_QEMU_MEM" \
		-display none -monitor none -nic none -no-reboot \
		-serial "$serial" \
		-kernel "$RIG_XEN" \
		-append "console=com1 com1=115200 dom0_mem=$RIG_DOM0_MEM,max:$RIG_DOM0_MEM loglvl=all guest_loglvl=all" \
		-initrd "$RIG_KDIR_IMG/vmlinuz console=hvc0 quiet loglevel=4,$initrd" \
		${out:+-drive file="$out",format=raw,if=virtio}
}

# Follow the serial log: echo progress lines until QEMU ($1) exits.
rig_follow() {
	local pid=$1 log=$2 seen=0 n
	while kill -0 "$pid" 2>/dev/null; do
		sleep 2
		[ -e "$log" ] || continue
		n=$(wc -l <"$log")
		if [ "$n" -gt "$seen" ]; then
			sed -n "$((seen + 1)),${n}p" "$log" | tr -d '\r' | grep -E '^(RIG|RIG-DOM0):' |
				sed 's/^/rig: /' >&2 || true
			seen=$n
		fi
	done
}

rig_boot_shell() {
	local run
	run=$(mktemp -d "$RIG_CACHE/shell.XXXXXX")
	rig_say "interactive dom0 (Ctrl-A X quits QEMU)"
	"$RIG_QEMU_BIN" ${RIG_QEMU_DATA:+-L "$RIG_QEMU_DATA"} -accel tcg -cpu max -smp 2 \
		-m "$RIG_QEMU_MEM" -nographic -nic none -no-reboot \
		-kernel "$RIG_XEN" \
		-append "console=com1 dom0_mem=$RIG_DOM0_MEM,max:$RIG_DOM0_MEM loglvl=all guest_loglvl=all" \
		-initrd "$RIG_KDIR_IMG/vmlinuz console=hvc0,$RIG_DOM0/dom0.cpio"
	rm -rf "$run"
}

# rig_run_scenarios NAME... : one Xen boot runs them all, in order.
rig_run_scenarios() {
	local s t0 pid rc art ov total_pass=0 total_fail=0 n=0 timeout
	[ $# -gt 0 ] || rig_die "no scenarios"
	for s in "$@"; do
		[ -f "$RIG_DIR/scenarios/$s.scn" ] || rig_die "no scenario '$s' (see $RIG_DIR/scenarios/)"
	done
	t0=$(rig_now)
	art="$RIG_ARTIFACTS/run-$(date +%Y%m%d-%H%M%S)"
	RIG_RUN="$art/work"
	mkdir -p "$RIG_RUN"
	rig_build_guest_initrd

	# The per-run payload, appended to dom0's initramfs as a second archive.
	ov="$RIG_RUN/overlay"
	mkdir -p "$ov/rig/scenarios"
	install -m 0755 "$RIG_DIR/dom0/run-scenarios" "$ov/rig/run"
	for s in "$@"; do cp "$RIG_DIR/scenarios/$s.scn" "$ov/rig/scenarios/"; done
	echo "$*" >"$ov/rig/scenario-list"
	head -c 8 /dev/urandom | od -An -tx1 | tr -d ' \n' >"$ov/rig/nonce"
	echo "$RIG_RETRIES" >"$ov/rig/retries"
	cp "$RIG_KDIR_IMG/vmlinuz" "$ov/rig/vmlinuz"
	cp "$RIG_RUN/guest-initrd.gz" "$ov/rig/guest-initrd.gz"
	[ -d "$RIG_RUN/dom0-bin" ] && cp -a "$RIG_RUN/dom0-bin" "$ov/rig/bin"
	cat "$RIG_DOM0/dom0.cpio" >"$RIG_RUN/initrd.cpio"
	(cd "$ov" && find . | cpio -o -H newc --quiet) >>"$RIG_RUN/initrd.cpio"
	truncate -s 1G "$RIG_RUN/results.img"

	# Whole-run limit: boot + per-scenario budget, unless overridden.
	timeout=${RIG_TIMEOUT:-$(( 180 + 900 * $# ))}
	rig_say "booting Xen for: $* (limit ${timeout}s; artifacts in $art)"
	rig_qemu "$RIG_RUN/initrd.cpio" "file:$art/serial.log" "$RIG_RUN/results.img" &
	pid=$!
	( sleep "$timeout"; kill "$pid" 2>/dev/null ) &
	local killer=$!
	rig_follow "$pid" "$art/serial.log"
	rc=0
	wait "$pid" || rc=$?
	kill "$killer" 2>/dev/null || true
	wait "$killer" 2>/dev/null || true

	if ! tar -C "$art" -xf "$RIG_RUN/results.img" 2>/dev/null; then
		rig_say "no results came back from dom0 (QEMU rc=$rc); serial log: $art/serial.log"
		tail -n 40 "$art/serial.log" | tr -d '\r' >&2
		rm -f "$RIG_RUN/initrd.cpio" "$RIG_RUN/results.img"
		return 1
	fi
	rm -f "$RIG_RUN/initrd.cpio" "$RIG_RUN/results.img"

	# Report: one TAP stream for the whole run, a line per scenario.
	echo "TAP version 13"
	echo "1..$#"
	local retries_total=0 line secs retries r fails
	for s in "$@"; do
		n=$((n + 1))
		local d="$art/out/$s"
		r=$(cat "$d/rc" 2>/dev/null || echo 1)
		secs=$(cat "$d/seconds" 2>/dev/null || echo '?')
		retries=$(cat "$d/retries" 2>/dev/null || echo 0)
		retries_total=$((retries_total + retries))
		sed 's/^/    /' "$d/results.tap" 2>/dev/null || true
		fails=$(grep -c '^not ok' "$d/results.tap" 2>/dev/null || true)
		if [ "$r" = 0 ] && [ "${fails:-0}" = 0 ] && grep -q '^1\.\.[1-9]' "$d/results.tap" &&
			grep -q '^# done fails=0' "$d/results.tap"; then
			echo "ok $n - $s # time=${secs}s emulator-retries=$retries"
			total_pass=$((total_pass + 1))
		else
			line=$(cat "$d"/attempt*/error 2>/dev/null | tail -1)
			echo "not ok $n - $s # time=${secs}s emulator-retries=$retries ${line}"
			total_fail=$((total_fail + 1))
		fi
	done
	rig_say "run took $(( $(rig_now) - t0 ))s in all; emulator-fault retries: $retries_total; artifacts: $art"
	echo "$total_pass passed, $total_fail failed"
	[ "$total_fail" = 0 ]
}
