// SPDX-License-Identifier: GPL-2.0
/*
 * 5.17 API change (XSA-396, also in 5.10 stable): gnttab_try_end_foreign_access()
 * ends access only if the other end no longer maps the grant.
 */
#include <xen/grant_table.h>

static int __maybe_unused xenpv_probe(grant_ref_t ref)
{
	return gnttab_try_end_foreign_access(ref);
}
