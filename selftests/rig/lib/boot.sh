# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
#
# Boot Xen + dom0 in QEMU (TCG) with a per-run payload, follow progress on
# the serial log, collect results from the scratch disk, print TAP and a
# summary.
#
# Copyright (C) 2026 The xenpv authors

RIG_QEMU_MEM=${RIG_QEMU_MEM:-4096}
# Xen always runs with eager FPU switching.  On AMD (QEMU's "max" CPU
# under TCG says AuthenticAMD) Xen defaults to lazy switching: CR0.TS set on
# a context switch, state restored on the #NM that the next FPU/SSE/XSAVE
# instruction raises.  QEMU 10's TCG raises no #NM for XSAVE, XSAVEOPT and
# XRSTOR (patches/qemu-10-xsave-nm.patch), so a guest kernel saving a task's
# state right after Xen switched domains saved the other domain's registers:
# the memory corruption of Documentation/testing.rst ("emu-stress" measures
# it).  Eager switching never leaves TS set for a guest.
RIG_XEN_BASE=${RIG_XEN_BASE-spec-ctrl=eager-fpu}
# Extra Xen command line options, for experiments with the emulator wedge
# (Documentation/testing.rst): tdt=0 (one-shot LAPIC timer instead of the
# TSC-deadline timer) was tried and did not prevent it.
RIG_XEN_EXTRA=${RIG_XEN_EXTRA:-}
# dom0 holds the guests' disk images in a tmpfs of up to 1200 MiB
# (dom0/run-scenarios) besides its own image and the device models.
RIG_DOM0_MEM=${RIG_DOM0_MEM:-2048M}
# TCG threading: "multi" (one host thread per emulated CPU) or "single"
# (both CPUs on one host thread; see Documentation/testing.rst).
RIG_TCG_THREAD=${RIG_TCG_THREAD:-multi}
# Emulated CPU model and count (experiments; Documentation/testing.rst).
RIG_CPU=${RIG_CPU:-max}
RIG_SMP=${RIG_SMP:-2}

# QEMU command line shared by every boot (never any network: -nic none).
rig_qemu() {
	local initrd=$1 serial=$2 out=$3
	# exec: run as "rig_qemu ... &", $! is then QEMU itself (the watchdog
	# and the time limit kill it by that pid).
	exec "$RIG_QEMU_BIN" $RIG_QEMU_DATA -accel "tcg,thread=$RIG_TCG_THREAD" -cpu "$RIG_CPU" -smp "$RIG_SMP" -m "$RIG_QEMU_MEM" \
		-display none -nic none -no-reboot \
		-monitor "unix:$RIG_RUN/monitor.sock,server=on,wait=off" \
		-serial "$serial" \
		-kernel "$RIG_XEN" \
		-append "console=com1 com1=115200 dom0_mem=$RIG_DOM0_MEM,max:$RIG_DOM0_MEM loglvl=all guest_loglvl=all $RIG_XEN_BASE $RIG_XEN_EXTRA" \
		-initrd "$RIG_KDIR_IMG/vmlinuz console=hvc0 quiet loglevel=4,$initrd" \
		${out:+-drive file="$out",format=raw,if=virtio}
}

# Follow the serial log: echo progress lines until QEMU ($1) exits.  A
# watchdog kills QEMU when a guest makes no progress: no "tests started"
# within RIG_STALL seconds of its creation, or nothing at all for
# RIG_STALL_ANY seconds.  It records what it saw in $3 (key=value lines).
rig_follow() {
	local pid=$1 log=$2 state=$3 seen=0 n line now
	local cur='' created=0 started=0 last
	last=$(rig_now)
	: >"$state"
	while kill -0 "$pid" 2>/dev/null; do
		sleep 2
		now=$(rig_now)
		if [ -e "$log" ]; then
			n=$(wc -l <"$log")
			if [ "$n" -gt "$seen" ]; then
				while IFS= read -r line; do
					case "$line" in
					RIG:*|RIG-DOM0:*) ;;
					*) continue ;;
					esac
					printf 'rig: %s\n' "$line" >&2
					last=$now
					case "$line" in
					*": attempt "*": domain "*" created"*)
						cur=${line#RIG: }; cur=${cur%%:*}; created=$now; started=0 ;;
					*": tests started"*) started=1 ;;
					*": finished rc="*) echo "done=${cur}" >>"$state"; cur='' ;;
					esac
				done < <(sed -n "$((seen + 1)),${n}p" "$log" | tr -d '\r')
				seen=$n
			fi
		fi
		if [ -n "$cur" ] && [ "$started" = 0 ] && [ $((now - created)) -gt "${RIG_STALL:-240}" ]; then
			rig_say "watchdog: $cur made no progress for ${RIG_STALL:-240}s before its tests started (emulator wedge): stopping this boot"
			echo "stalled=$cur started=0" >>"$state"
			kill "$pid" 2>/dev/null
			break
		fi
		if [ $((now - last)) -gt "${RIG_STALL_ANY:-1200}" ]; then
			rig_say "watchdog: no progress at all for ${RIG_STALL_ANY:-1200}s (current: ${cur:-none}, tests started: $started): stopping this boot"
			echo "stalled=${cur:-none} started=$started" >>"$state"
			kill "$pid" 2>/dev/null
			break
		fi
	done
}

rig_boot_shell() {
	local run
	run=$(mktemp -d "$RIG_CACHE/shell.XXXXXX")
	rig_say "interactive dom0 (Ctrl-A X quits QEMU)"
	"$RIG_QEMU_BIN" $RIG_QEMU_DATA -accel "tcg,thread=$RIG_TCG_THREAD" -cpu "$RIG_CPU" -smp "$RIG_SMP" \
		-m "$RIG_QEMU_MEM" -nographic -nic none -no-reboot \
		-kernel "$RIG_XEN" \
		-append "console=com1 dom0_mem=$RIG_DOM0_MEM,max:$RIG_DOM0_MEM loglvl=all guest_loglvl=all $RIG_XEN_BASE $RIG_XEN_EXTRA" \
		-initrd "$RIG_KDIR_IMG/vmlinuz console=hvc0,$RIG_DOM0/dom0.cpio"
	rm -rf "$run"
}

# One Xen boot for the scenarios "$@"; results land in $art/out.  Sets
# RIG_BOOT_STATE to the watchdog's state file.
rig_boot_round() {
	local boot=$1 art=$2 ov pid rc timeout killer s
	shift 2
	ov="$RIG_RUN/overlay-$boot"
	rm -rf "$ov" && mkdir -p "$ov/rig/scenarios"
	install -m 0755 "$RIG_DIR/dom0/run-scenarios" "$ov/rig/run"
	install -m 0755 "$RIG_DIR/dom0/spin-watch" "$ov/rig/spin-watch"
	install -m 0755 "$RIG_DIR/dom0/stress" "$ov/rig/stress"
	for s in "$@"; do cp "$RIG_DIR/scenarios/${s%@*}.scn" "$ov/rig/scenarios/"; done
	echo "$*" >"$ov/rig/scenario-list"
	cp "$RIG_RUN/nonce" "$ov/rig/nonce"
	echo "$RIG_RETRIES" >"$ov/rig/retries"
	# The emulator's post-start triple-fault signatures are excused only
	# on a QEMU without our race fix (Documentation/testing.rst).
	echo "${RIG_QEMU:-patched}" >"$ov/rig/qemu-kind"
	[ -n "${RIG_GUEST_CONSOLE:-}" ] && touch "$ov/rig/guest-console"
	cp "$RIG_KDIR_IMG/vmlinuz" "$ov/rig/vmlinuz"
	cp "$RIG_RUN/guest-initrd.gz" "$ov/rig/guest-initrd.gz"
	cp "$RIG_RUN/guest-loader.gz" "$ov/rig/guest-loader.gz"
	[ -d "$RIG_RUN/dom0-bin" ] && cp -a "$RIG_RUN/dom0-bin" "$ov/rig/bin"
	cat "$RIG_DOM0/dom0.cpio" >"$RIG_RUN/initrd.cpio"
	(cd "$ov" && find . | cpio -o -H newc --quiet) >>"$RIG_RUN/initrd.cpio"
	rm -f "$RIG_RUN/results.img"
	truncate -s 1G "$RIG_RUN/results.img"

	# Whole-boot limit: boot + per-scenario budget, unless overridden.
	timeout=${RIG_TIMEOUT:-$(( 180 + 900 * $# ))}
	rig_say "boot $boot: Xen for: $* (limit ${timeout}s)"
	rig_qemu "$RIG_RUN/initrd.cpio" "file:$art/serial-$boot.log" "$RIG_RUN/results.img" &
	pid=$!
	( sleep "$timeout"; kill "$pid" 2>/dev/null ) &
	killer=$!
	RIG_BOOT_STATE="$RIG_RUN/boot-$boot.state"
	rig_follow "$pid" "$art/serial-$boot.log" "$RIG_BOOT_STATE"
	rc=0
	wait "$pid" || rc=$?
	kill "$killer" 2>/dev/null || true
	wait "$killer" 2>/dev/null || true
	mkdir -p "$art/boot-$boot"
	if ! tar -C "$art/boot-$boot" -xf "$RIG_RUN/results.img" 2>/dev/null; then
		rig_say "boot $boot: no results came back from dom0 (QEMU rc=$rc); see $art/serial-$boot.log"
		tail -n 20 "$art/serial-$boot.log" | tr -d '\r' >&2
	fi
	rm -f "$RIG_RUN/initrd.cpio" "$RIG_RUN/results.img"
	# Merge this boot's per-scenario results into $art/out.
	mkdir -p "$art/out"
	for s in "$art/boot-$boot"/out/*/; do
		[ -d "$s" ] || continue
		[ -e "$s/rc" ] || continue
		rm -rf "$art/out/$(basename "$s")"
		cp -a "$s" "$art/out/"
	done
	cp "$art/boot-$boot"/out/*.log "$art/out/" 2>/dev/null || true
}

# rig_run_scenarios NAME... : Xen boots (normally one) run them all, in
# order.  If the emulator wedges before a guest's tests started, the boot
# is stopped and the remaining scenarios run in a new boot; the wedged one
# counts as an emulator retry.
rig_run_scenarios() {
	local s t0 art total_pass=0 total_fail=0 n=0 boot=0 st
	local -a todo
	local -A wedges=()
	[ $# -gt 0 ] || rig_die "no scenarios"
	for s in "$@"; do
		# NAME@K runs scenario NAME once more, with its own results
		# (repeat runs for measurements: hvm-soak@1 hvm-soak@2 ...).
		[ -f "$RIG_DIR/scenarios/${s%@*}.scn" ] || rig_die "no scenario '$s' (see $RIG_DIR/scenarios/)"
	done
	t0=$(rig_now)
	art="$RIG_ARTIFACTS/run-$(date +%Y%m%d-%H%M%S)"
	RIG_RUN="$art/work"
	mkdir -p "$RIG_RUN"
	rig_build_guest_initrd
	# dom0 helpers of the selftests (static: no dependency on dom0's libc).
	make -C "$XENPV_ROOT/tools/dom0" OUT="$RIG_RUN/dom0-build" BINDIR="$RIG_RUN/dom0-bin" \
		install >"$RIG_LOG_DIR/dom0-tools.log" 2>&1 ||
		rig_die "dom0 helper build failed (see $RIG_LOG_DIR/dom0-tools.log)"
	make -C "$XENPV_ROOT/tools/rfb" rfbtool >>"$RIG_LOG_DIR/dom0-tools.log" 2>&1 ||
		rig_die "rfbtool build failed (see $RIG_LOG_DIR/dom0-tools.log)"
	install -m 0755 "$XENPV_ROOT/tools/rfb/rfbtool" "$RIG_RUN/dom0-bin/rfbtool"
	head -c 8 /dev/urandom | od -An -tx1 | tr -d ' \n' >"$RIG_RUN/nonce"
	rig_say "artifacts in $art"

	todo=("$@")
	while [ ${#todo[@]} -gt 0 ]; do
		boot=$((boot + 1))
		rig_boot_round "$boot" "$art" "${todo[@]}"
		local -a next=()
		local stalled='' stalled_started=0
		st=$(grep '^stalled=' "$RIG_BOOT_STATE" 2>/dev/null | tail -1 || true)
		if [ -n "$st" ]; then
			stalled=${st#stalled=}; stalled=${stalled%% *}
			case "$st" in *started=1*) stalled_started=1 ;; esac
		fi
		for s in "${todo[@]}"; do
			if [ -e "$art/out/$s/rc" ]; then
				continue
			fi
			if [ "$s" = "$stalled" ] && [ "$stalled_started" = 0 ]; then
				wedges[$s]=$(( ${wedges[$s]:-0} + 1 ))
				if [ "${wedges[$s]}" -gt "$RIG_RETRIES" ]; then
					mkdir -p "$art/out/$s"
					echo 1 >"$art/out/$s/rc"
					echo emulator >"$art/out/$s/skip"
					echo "emulator wedged ${wedges[$s]} times before the tests started" >"$art/out/$s/error"
					continue
				fi
			elif [ "$s" = "$stalled" ]; then
				mkdir -p "$art/out/$s"
				echo 1 >"$art/out/$s/rc"
				echo "wedged after its tests started (not retried)" >"$art/out/$s/error"
				continue
			elif [ -n "$stalled" ] || [ ! -s "$RIG_BOOT_STATE" ]; then
				: # not reached in this boot: run it in the next one
			fi
			next+=("$s")
		done
		if [ -z "$stalled" ] && [ ${#next[@]} -gt 0 ]; then
			# The boot ended without a stall yet left scenarios unrun
			# (timeout, crash): they fail, no endless re-booting.
			for s in "${next[@]}"; do
				mkdir -p "$art/out/$s"
				echo 1 >"$art/out/$s/rc"
				echo "not run: the Xen boot ended early (see serial-$boot.log)" >"$art/out/$s/error"
			done
			next=()
		fi
		todo=("${next[@]}")
	done

	# Report: one TAP stream for the whole run, a line per scenario.
	echo "TAP version 13"
	echo "1..$#"
	local retries_total=0 line secs retries r fails total_skip=0
	for s in "$@"; do
		n=$((n + 1))
		local d="$art/out/$s"
		r=$(cat "$d/rc" 2>/dev/null || echo 1)
		secs=$(cat "$d/seconds" 2>/dev/null || echo '?')
		retries=$(( $(cat "$d/retries" 2>/dev/null || echo 0) + ${wedges[$s]:-0} ))
		retries_total=$((retries_total + retries))
		sed 's/^/    /' "$d/results.tap" 2>/dev/null || true
		cat "$d"/attempt*/warning 2>/dev/null | sed 's/^/    # warning: /' || true
		fails=$(grep -c '^not ok' "$d/results.tap" 2>/dev/null || true)
		if [ "$r" = 0 ] && [ "${fails:-0}" = 0 ] && grep -q '^1\.\.[1-9]' "$d/results.tap" &&
			grep -q '^# done fails=0' "$d/results.tap"; then
			echo "ok $n - $s # time=${secs}s emulator-retries=$retries"
			total_pass=$((total_pass + 1))
		elif [ -e "$d/skip" ]; then
			# The emulator killed every attempt before any test ran:
			# no verdict on our code either way (never a pass).
			line=$(cat "$d"/error 2>/dev/null | tail -1 || true)
			echo "ok $n - $s # SKIP emulator fault on every attempt: $line"
			total_skip=$((total_skip + 1))
		else
			line=$(cat "$d"/error "$d"/attempt*/error 2>/dev/null | tail -1 || true)
			echo "not ok $n - $s # time=${secs}s emulator-retries=$retries ${line}"
			total_fail=$((total_fail + 1))
		fi
	done
	# Recoveries by dom0's watchdog are never silent.
	cat "$art"/boot-*/out/spin-watch.log 2>/dev/null | grep '^pid ' |
		sed 's/^/# warning: dom0 spin-watch: /' || true
	rig_say "run took $(( $(rig_now) - t0 ))s in all; emulator-fault retries: $retries_total; artifacts: $art"
	echo "$total_pass passed, $total_fail failed, $total_skip skipped"
	[ "$total_fail" = 0 ]
}
