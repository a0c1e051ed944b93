#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# grant.sh: a page granted read-only to dom0 is mapped by dom0 through
# gntdev (xenpv-peer map-grant) and reads back exactly what the guest
# wrote; dom0 cannot map it writable; revoking it while dom0 maps it is
# refused (xenpv_gnttab_try_end_access), succeeds once dom0 unmapped, and
# the deferred revocation (xenpv_gnttab_end_access) completes on its own
# after dom0 unmaps.  Grant counters return to where they started.
#
# Copyright (C) 2026 The xenpv authors

. /tests/lib/tap.sh
. /tests/core/lib.sh
ct_require

mode=$(ct_get info mode)
refs0=$(ct_num stats refs_in_use)
def0=$(ct_num stats deferred)
leak0=$(ct_num stats leaked)
tap_diag "mode $mode; before: $(tr '\n' ' ' <"$CT/stats")"

# grant_page: grant a fresh page to dom0; sets gref and want (its sha256).
grant_page() {
	if ! ct_cmd grant grant 0; then
		tap_fail "grant a page to dom0: $(cat /tmp/ct_cmd.err)"
		tap_end
	fi
	gref=$(ct_get grant gref)
	want=$(sha256sum <"$CT/page" | cut -d' ' -f1)
	tap_diag "gref $gref gfn $(ct_get grant gfn) nonce $(ct_get grant nonce) sha256 $want"
}

# peer_map: dom0 maps $gref and must see $want; sets rw.
peer_map() {
	if ! r=$(peer_call map "$gref"); then
		tap_fail "dom0 mapped gref $gref: $r"
		tap_end
	fi
	got=$(kv sha256 "$r")
	rw=$(kv rw "$r")
	if [ "$got" = "$want" ]; then
		tap_ok "dom0 mapped gref $gref through gntdev and read the same 4096 bytes"
	else
		tap_fail "dom0's sha256 of gref $gref ($got) = the guest's ($want)"
	fi
}

# 1. Grant, map in dom0, compare.
grant_page
head=$(head -n 1 "$CT/page")
if [ "$head" = "xenpv-coretest $(ct_get grant nonce)" ]; then
	tap_ok "page carries the nonce header"
else
	tap_fail "page header '$head'"
fi
refs1=$(ct_num stats refs_in_use)
counted=1
if [ "$refs1" -eq $((refs0 + 1)) ]; then
	tap_ok "refs_in_use counts the grant ($refs0 -> $refs1)"
elif [ "$mode" = pvops ] && [ "$refs1" -eq "$refs0" ]; then
	counted=0
	tap_skip "refs_in_use not counted by the $mode provider"
else
	tap_fail "refs_in_use counts the grant ($refs0 -> $refs1)"
fi
peer_map
if [ "$rw" = denied ]; then
	tap_ok "dom0 cannot map the read-only grant writable"
else
	tap_fail "dom0 cannot map the read-only grant writable (rw=$rw)"
fi

# 2. Revocation while mapped must be refused, and change nothing.
if ct_cmd grant try-end && [ "$(ct_get grant last_end)" = busy ] &&
	[ "$(ct_get grant granted)" = 1 ]; then
	tap_ok "try_end_access refused while dom0 maps the page"
else
	tap_fail "try_end_access refused while dom0 maps the page (last_end=$(ct_get grant last_end) granted=$(ct_get grant granted))"
fi

# 3. dom0 unmaps; now the revocation goes through.
if r=$(peer_call unmap); then tap_ok "dom0 unmapped"; else tap_fail "dom0 unmapped: $r"; fi
i=0
while [ "$i" -lt 20 ]; do
	ct_cmd grant try-end
	[ "$(ct_get grant last_end)" = ended ] && break
	i=$((i + 1))
	sleep 0.5
done
if [ "$(ct_get grant last_end)" = ended ] && [ "$(ct_get grant granted)" = 0 ]; then
	tap_ok "try_end_access succeeded after the unmap"
else
	tap_fail "try_end_access succeeded after the unmap (last_end=$(ct_get grant last_end))"
fi
if [ "$counted" = 1 ]; then
	refs2=$(ct_num stats refs_in_use)
	if [ "$refs2" -eq "$refs0" ]; then tap_ok "reference freed ($refs2)"; else tap_fail "reference freed ($refs0 -> $refs2)"; fi
fi

# 4. Deferred revocation: end while dom0 maps, then dom0 unmaps.
grant_page
peer_map
ct_cmd grant end-defer
d1=$(ct_num stats deferred)
if [ "$d1" -gt "$def0" ]; then
	tap_ok "end_access parked the mapped grant (deferred $def0 -> $d1)"
	dcounted=1
elif [ "$mode" = pvops ]; then
	tap_skip "deferred revocations not counted by the $mode provider"
	dcounted=0
else
	tap_fail "end_access parked the mapped grant (deferred $def0 -> $d1)"
	dcounted=1
fi
if r=$(peer_call unmap); then tap_ok "dom0 unmapped"; else tap_fail "dom0 unmapped: $r"; fi
i=0
while [ "$i" -lt 120 ]; do
	[ "$(ct_num stats deferred)" -le "$def0" ] &&
		{ [ "$counted" = 0 ] || [ "$(ct_num stats refs_in_use)" -eq "$refs0" ]; } && break
	i=$((i + 1))
	sleep 0.5
done
if [ "$dcounted" = 1 ]; then
	if [ "$(ct_num stats deferred)" -le "$def0" ]; then
		tap_ok "deferred revocation completed after the unmap (${i}x0.5s)"
	else
		tap_fail "deferred revocation completed after the unmap (deferred $(ct_num stats deferred))"
	fi
fi
if [ "$counted" = 1 ]; then
	refs3=$(ct_num stats refs_in_use)
	if [ "$refs3" -eq "$refs0" ]; then tap_ok "refs_in_use back to $refs0"; else tap_fail "refs_in_use back to $refs0 (now $refs3)"; fi
fi
leak1=$(ct_num stats leaked)
if [ "$leak1" -eq "$leak0" ]; then tap_ok "no grant given up as leaked"; else tap_fail "no grant leaked ($leak0 -> $leak1)"; fi
tap_diag "after: $(tr '\n' ' ' <"$CT/stats")"
tap_end
