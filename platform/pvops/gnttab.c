// SPDX-License-Identifier: GPL-2.0
/*
 * xenpv_pvops grant tables: the kernel's grant table core.
 *
 * Copyright (C) 2026 The xenpv authors
 *
 * The kernel owns the grant table (its frames, version, free list and
 * deferred-revocation list); these are direct calls.  Frame numbers go
 * through the kernel's p2m translation, which PV guests need.
 */

#include <linux/build_bug.h>
#include <linux/errno.h>
#include <linux/mm.h>
#include <linux/spinlock.h>
#include <linux/vmalloc.h>
#include <xen/interface/grant_table.h>
#include <asm/xen/hypercall.h>

#include "pvops.h"

/* Protects the xenpv fields of every struct xenpv_gnttab_free_cb. */
static DEFINE_SPINLOCK(xenpv_pvops_free_cb_lock);

unsigned long xenpv_pvops_page_to_gfn(struct page *page)
{
	return xen_page_to_gfn(page);
}

/* Lowmem through the kernel's helper; vmalloc()ed memory page by page. */
unsigned long xenpv_pvops_virt_to_gfn(const void *vaddr)
{
	unsigned long off = offset_in_page(vaddr) >> XEN_PAGE_SHIFT;
	struct page *page;

	if (!is_vmalloc_addr(vaddr))
		return virt_to_gfn(vaddr);

	page = vmalloc_to_page(vaddr);
	return pfn_to_gfn(page_to_xen_pfn(page) + off);
}

int xenpv_pvops_gnttab_grant_access(domid_t domid, unsigned long gfn,
				    bool readonly)
{
	return gnttab_grant_foreign_access(domid, gfn, readonly);
}

bool xenpv_pvops_gnttab_try_end_access(grant_ref_t ref)
{
	return xenpv_pvops_try_end_foreign_access(ref);
}

void xenpv_pvops_gnttab_end_access(grant_ref_t ref, struct page *page)
{
	xenpv_pvops_end_foreign_access(ref, page);
}

int xenpv_pvops_gnttab_alloc_refs(u16 count, grant_ref_t *head)
{
	return gnttab_alloc_grant_references(count, head);
}

void xenpv_pvops_gnttab_free_refs(grant_ref_t head)
{
	gnttab_free_grant_references(head);
}

int xenpv_pvops_gnttab_claim_ref(grant_ref_t *head)
{
	return gnttab_claim_grant_reference(head);
}

void xenpv_pvops_gnttab_release_ref(grant_ref_t *head, grant_ref_t ref)
{
	gnttab_release_grant_reference(head, ref);
}

void xenpv_pvops_gnttab_grant_access_ref(grant_ref_t ref, domid_t domid,
					 unsigned long gfn, bool readonly)
{
	gnttab_grant_foreign_access_ref(ref, domid, gfn, readonly);
}

void xenpv_pvops_gnttab_free_ref(grant_ref_t ref)
{
	gnttab_free_grant_reference(ref);
}

/*
 * The kernel's struct gnttab_free_callback lives in cb->provider_priv; its
 * function is this trampoline, with the xenpv callback as argument.  The
 * kernel calls it with its grant free-list lock held, possibly from
 * interrupt context, as it would call an in-tree driver's callback.
 */
static struct gnttab_free_callback *
xenpv_pvops_kernel_cb(struct xenpv_gnttab_free_cb *cb)
{
	BUILD_BUG_ON(sizeof(struct gnttab_free_callback) >
		     sizeof_field(struct xenpv_gnttab_free_cb, provider_priv));
	BUILD_BUG_ON(__alignof__(struct gnttab_free_callback) >
		     __alignof__(unsigned long));

	return (struct gnttab_free_callback *)cb->provider_priv;
}

static void xenpv_pvops_free_cb_fire(void *arg)
{
	struct xenpv_gnttab_free_cb *cb = arg;
	void (*fn)(void *arg);
	void *fn_arg;
	unsigned long flags;

	spin_lock_irqsave(&xenpv_pvops_free_cb_lock, flags);
	cb->queued = false;
	fn = cb->fn;
	fn_arg = cb->arg;
	spin_unlock_irqrestore(&xenpv_pvops_free_cb_lock, flags);

	fn(fn_arg);
}

void xenpv_pvops_gnttab_request_free_callback(struct xenpv_gnttab_free_cb *cb,
					      void (*fn)(void *arg), void *arg,
					      u16 count)
{
	unsigned long flags;

	spin_lock_irqsave(&xenpv_pvops_free_cb_lock, flags);
	if (cb->queued) {
		/* Like the kernel: a queued request is left as it is. */
		spin_unlock_irqrestore(&xenpv_pvops_free_cb_lock, flags);
		return;
	}
	cb->fn = fn;
	cb->arg = arg;
	cb->count = count;
	cb->next = NULL;
	cb->queued = true;
	spin_unlock_irqrestore(&xenpv_pvops_free_cb_lock, flags);

	/* May call the trampoline at once when enough references are free. */
	gnttab_request_free_callback(xenpv_pvops_kernel_cb(cb),
				     xenpv_pvops_free_cb_fire, cb, count);
}

void xenpv_pvops_gnttab_cancel_free_callback(struct xenpv_gnttab_free_cb *cb)
{
	unsigned long flags;

	gnttab_cancel_free_callback(xenpv_pvops_kernel_cb(cb));

	spin_lock_irqsave(&xenpv_pvops_free_cb_lock, flags);
	cb->queued = false;
	spin_unlock_irqrestore(&xenpv_pvops_free_cb_lock, flags);
}

/*
 * Xen tells the frame counts (GNTTABOP_query_size).  The kernel does not
 * export how many references are in use or how many revocations wait on
 * its deferred list, nor does it count what it gave up on: those fields
 * read 0 in pvops mode (Documentation/pvops.rst).
 */
void xenpv_pvops_gnttab_get_stats(struct xenpv_gnttab_stats *stats)
{
	struct gnttab_query_size query = { .dom = DOMID_SELF };
	int err;

	memset(stats, 0, sizeof(*stats));

	err = HYPERVISOR_grant_table_op(GNTTABOP_query_size, &query, 1);
	if (!err && query.status == GNTST_okay) {
		stats->nr_frames = query.nr_frames;
		stats->max_frames = query.max_nr_frames;
	} else {
		stats->max_frames = gnttab_max_grant_frames();
	}
}
