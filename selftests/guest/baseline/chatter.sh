#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# chatter.sh LINES: print LINES diagnostic lines, which the guest's init
# then sends over the results serial port one by one.  With no xenpv code
# loaded this measures whether a burst of emulated-UART traffic (each byte
# an exit to qemu-dm, each TX-empty an interrupt injected by Xen) is what
# meets the emulator's nested-SVM fault (scenarios/hvm-chatter.scn).
#
# Copyright (C) 2026 The xenpv authors

. /tests/lib/tap.sh
lines=${1:-2000}
i=0
while [ "$i" -lt "$lines" ]; do
	tap_diag "chatter line $i of $lines: the quick brown fox jumps over the lazy dog"
	i=$((i + 1))
done
tap_ok "printed $lines lines"
tap_end
