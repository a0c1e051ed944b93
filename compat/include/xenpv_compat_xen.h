/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Shims over the kernel's own Xen services, for the pvops provider only
 * (the one module allowed to reference kernel Xen symbols).
 *
 * Copyright (C) 2026 The xenpv authors
 */
#ifndef _XENPV_COMPAT_XEN_H
#define _XENPV_COMPAT_XEN_H

#include <linux/mm.h>
#include <xen/grant_table.h>

/*
 * End foreign access to @ref and free @page (may be NULL) once the other
 * end has unmapped it.  5.18 dropped the readonly argument and switched
 * the page from an address to a struct page *.
 */
static inline void xenpv_gnttab_end_foreign_access(grant_ref_t ref,
						   struct page *page)
{
#ifdef XENPV_HAVE_GNTTAB_END_FOREIGN_ACCESS_2ARGS
	gnttab_end_foreign_access(ref, page);
#else
	gnttab_end_foreign_access(ref, 0,
				  page ? (unsigned long)page_address(page) : 0);
#endif
}

#endif /* _XENPV_COMPAT_XEN_H */
