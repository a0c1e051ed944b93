#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# xs-tx.sh: xenstore transaction conflicts are detected and retried.
#  self: the module's transaction reads data/xenpv-test/counter, then the
#        module itself changes it outside the transaction; the commit
#        must fail with -EAGAIN and the retry must build on the new value.
#  dom0: the guest's transaction reads the counter and stays open while
#        dom0 increments it (xenstore-write); the guest's commit must fail
#        with -EAGAIN, the retry succeeds, and no increment is lost.
#
# Copyright (C) 2026 The xenpv authors

. /tests/lib/tap.sh
. /tests/core/lib.sh
ct_require
key=$CT_BASE/counter

# check_tx WHAT ATTEMPTS VALUE
check_tx() {
	fe=$(ct_get tx first_err)
	at=$(ct_get tx attempts)
	va=$(ct_get tx value)
	if [ "$fe" = -11 ] && [ "$at" = "$2" ] && [ "$va" = "$3" ]; then
		tap_ok "$1: first commit -EAGAIN, committed on attempt $at with $va"
	else
		tap_fail "$1: first commit -EAGAIN (got $fe), $2 attempts (got $at), value $3 (got $va)"
	fi
	now=$(xs_read "$key")
	if [ "$now" = "$3" ]; then
		tap_ok "$1: counter in xenstore is $3, no update lost"
	else
		tap_fail "$1: counter in xenstore is $3 (got '$now')"
	fi
}

# Conflict made by the module itself.
xs_write "$key" 5
if ct_cmd tx self; then
	tap_ok "self: transaction loop finished"
else
	tap_fail "self: transaction loop finished: $(cat /tmp/ct_cmd.err)"
fi
check_tx self 2 1006

# Conflict made by dom0 while the guest's transaction is open.
xs_write "$key" 100
if ! ct_cmd tx begin; then
	tap_fail "dom0: transaction started: $(cat /tmp/ct_cmd.err)"
	tap_end
fi
if [ "$(ct_get tx read)" = 100 ]; then
	tap_ok "dom0: transaction open, read 100"
else
	tap_fail "dom0: transaction open, read 100 (got $(ct_get tx read))"
fi
if r=$(peer_call incr counter) && [ "$r" = "ok 101" ]; then
	tap_ok "dom0 incremented the counter outside our transaction"
else
	tap_fail "dom0 incremented the counter outside our transaction: $r"
fi
if ct_cmd tx commit; then
	tap_ok "dom0: commit loop finished"
else
	tap_fail "dom0: commit loop finished: $(cat /tmp/ct_cmd.err)"
fi
check_tx dom0 2 102

# An aborted transaction leaves nothing behind.
ct_cmd tx begin && ct_cmd tx abort
if [ "$(ct_get tx open)" = 0 ] && [ "$(xs_read "$key")" = 102 ]; then
	tap_ok "aborted transaction changed nothing"
else
	tap_fail "aborted transaction changed nothing (open=$(ct_get tx open) counter=$(xs_read "$key"))"
fi
tap_end
