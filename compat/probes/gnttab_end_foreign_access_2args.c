// SPDX-License-Identifier: GPL-2.0
/*
 * 5.18 API change (after XSA-396): gnttab_end_foreign_access(ref, page)
 * lost its readonly argument and takes a struct page *; older kernels
 * have (ref, readonly, unsigned long page).
 */
#include <xen/grant_table.h>

static void __maybe_unused xenpv_probe(grant_ref_t ref, struct page *page)
{
	gnttab_end_foreign_access(ref, page);
}
