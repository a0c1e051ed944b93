#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# peer-hello.sh: reach the dom0 peer through xenstore.  The guest writes a
# nonce into its data/xenpv-test/req; the peer (ON_CREATE hook) must answer
# in data/xenpv-test/rsp with the same nonce and the guest's domid.  The
# other core tests need this channel.
#
# Copyright (C) 2026 The xenpv authors

. /tests/lib/tap.sh
. /tests/core/lib.sh
ct_require

domid=$(ct_get info domid)
nonce=$(ct_nonce)
if r=$(peer_call hello "$nonce"); then
	if [ "$r" = "ok hello $nonce domid=$domid" ]; then
		tap_ok "dom0 peer answered with our nonce and domid $domid"
	else
		tap_fail "dom0 peer answer '$r' = 'ok hello $nonce domid=$domid'"
	fi
else
	tap_fail "dom0 peer answered: $r"
fi
tap_end
