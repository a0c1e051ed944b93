// SPDX-License-Identifier: GPL-2.0
/*
 * Grant table v1 (native mode).
 *
 * Copyright (C) 2026 The xenpv authors
 *
 * Frames: XENMEM_add_to_physmap(XENMAPSPACE_grant_table) places Xen's grant
 * frames at BAR1 pages reserved once at probe for the largest table Xen
 * allows (GNTTABOP_query_size), mapped write-back in one piece.  The table
 * starts with a few frames and grows on demand; frames are added from the
 * highest index down so Xen grows its table once.  After a resume in a new
 * domain the same frames are added again at the same pages.
 *
 * Entries (grant_table.h "rough guidelines"): grant = write domid and
 * frame, barrier, write flags; revoke = one cmpxchg of the flags to 0 that
 * fails while the peer has GTF_reading/GTF_writing set (XSA-396: never
 * "check, then assume").  A page whose grant cannot be revoked is parked,
 * with its reference, on a deferred list retried once a second; both stay
 * owned by the grant until the peer lets go, or are leaked (counted, and
 * logged with a rate limit) when even the list entry cannot be allocated.
 *
 * v1 only: entries hold 32-bit frame numbers, enough for HVM guests with up
 * to 16 TiB (2^32 4 KiB frames); a larger frame is refused at grant time.
 * v2 would add status frames, a second frame layout and version switching
 * that is only possible while no grant is active (so not across reloads
 * while the xenstore entry is in use) for no benefit at those sizes.
 *
 * References below GNTTAB_NR_RESERVED_ENTRIES (console, xenstore) are never
 * handed out or freed.  At load, entries left granted by an earlier load of
 * this module (or a kexec'ed kernel) are revoked, or, while still mapped,
 * kept out of the free list and parked like any other deferred grant.
 */
#include <linux/io.h>
#include <linux/kernel.h>
#include <linux/list.h>
#include <linux/mm.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/workqueue.h>
#include <xen/interface/xen.h>
#include <xen/interface/grant_table.h>
#include <xenpv_compat_xen_abi.h>
#include <xen/interface/memory.h>

#include "platform.h"
#include "hypercall.h"

#define XENPV_GREFS_PER_FRAME	(PAGE_SIZE / sizeof(struct grant_entry_v1))

/* Frames mapped at load (or Xen's current size if larger). */
#define XENPV_GNTTAB_INIT_FRAMES	4
/* Frames assumed when GNTTABOP_query_size fails (as Linux does). */
#define XENPV_GNTTAB_FALLBACK_MAX	4
/* Upper bound on BAR1 pages reserved for the table (131072 references). */
#define XENPV_GNTTAB_FRAMES_CAP		256

/* Deferred revocation: entries retried per run, runs a second apart. */
#define XENPV_GNTTAB_DEFER_BATCH	64
#define XENPV_GNTTAB_DEFER_PERIOD	HZ
/* Warn about a grant still mapped after this many retries (~1 minute). */
#define XENPV_GNTTAB_DEFER_WARN		60

struct xenpv_gnttab_deferred {
	struct list_head node;
	grant_ref_t ref;
	struct page *page;		/* may be NULL */
	unsigned int tries;
};

static struct {
	spinlock_t lock;		/* list, frames, callbacks */
	struct grant_entry_v1 *shared;
	u64 frames_addr;		/* BAR1 address of frame 0 */
	unsigned int nr_frames;		/* frames in the table now */
	unsigned int max_frames;	/* what Xen allows */
	unsigned int reserved_frames;	/* BAR1 pages we hold */
	u32 *next;
	struct xenpv_gref_list list;
	struct xenpv_gnttab_free_cb *callbacks;
	unsigned long grow_events;
	unsigned long grow_failures;
	unsigned long inherited_busy;
	unsigned long inherited_revoked;
	bool ready;

	spinlock_t deferred_lock;	/* deferred list and counters */
	struct list_head deferred;
	unsigned int nr_deferred;
	unsigned long leaked;
	unsigned long deferred_total;
	unsigned long deferred_freed;
	struct delayed_work deferred_work;
} xenpv_gnt = {
	.lock = __SPIN_LOCK_UNLOCKED(xenpv_gnt.lock),
	.deferred_lock = __SPIN_LOCK_UNLOCKED(xenpv_gnt.deferred_lock),
	.deferred = LIST_HEAD_INIT(xenpv_gnt.deferred),
};

static bool xenpv_gnttab_ref_exists(grant_ref_t ref)
{
	return ref >= GNTTAB_NR_RESERVED_ENTRIES &&
	       ref < READ_ONCE(xenpv_gnt.list.limit);
}

/* Revoke one entry: true when no peer can use it any more (v1 rules). */
static bool xenpv_gnttab_revoke(grant_ref_t ref)
{
	u16 *pflags = &xenpv_gnt.shared[ref].flags;
	u16 flags, nflags;

	nflags = READ_ONCE(*pflags);
	do {
		flags = nflags;
		if (flags & (GTF_reading | GTF_writing))
			return false;
		nflags = cmpxchg(pflags, flags, (u16)0);
	} while (nflags != flags);
	return true;
}

static void xenpv_gnttab_write_entry(grant_ref_t ref, domid_t domid,
				     unsigned long gfn, bool readonly)
{
	struct grant_entry_v1 *e = &xenpv_gnt.shared[ref];

	WRITE_ONCE(e->domid, domid);
	WRITE_ONCE(e->frame, (u32)gfn);
	/* The peer must see domid and frame before the entry becomes valid. */
	virt_wmb();
	WRITE_ONCE(e->flags, GTF_permit_access | (readonly ? GTF_readonly : 0));
}

/* ---- frames ------------------------------------------------------------ */

/* Add frames [from, to) to the table, highest first. */
static int xenpv_gnttab_map_frames(unsigned int from, unsigned int to)
{
	unsigned long gpfn0 = xenpv_gnt.frames_addr >> XENPV_XEN_PAGE_SHIFT;
	unsigned int i;
	int ret;

	for (i = to; i-- > from;) {
		struct xen_add_to_physmap xatp = {
			.domid = DOMID_SELF,
			.space = XENMAPSPACE_grant_table,
			.idx = i,
			.gpfn = gpfn0 + i,
		};

		ret = xenpv_hc_memory_op(XENMEM_add_to_physmap, &xatp);
		if (ret)
			return ret;
	}
	return 0;
}

static int xenpv_gnttab_query(unsigned int *nr, unsigned int *max)
{
	struct gnttab_query_size q = { .dom = DOMID_SELF };
	int ret;

	ret = xenpv_hc_grant_table_op(GNTTABOP_query_size, &q, 1);
	if (ret || q.status != GNTST_okay)
		return ret ? ret : -EIO;
	*nr = q.nr_frames;
	*max = q.max_nr_frames;
	return 0;
}

static int xenpv_gnttab_defer(grant_ref_t ref, struct page *page, gfp_t gfp);

/*
 * Called for every reference that comes into existence: an entry still
 * granted (by an earlier load) is revoked if unused, else kept busy and
 * parked until its peer unmaps it.
 */
static bool xenpv_gnttab_inherited_busy(u32 ref, void *arg)
{
	gfp_t gfp = *(gfp_t *)arg;

	if (!READ_ONCE(xenpv_gnt.shared[ref].flags))
		return false;
	if (xenpv_gnttab_revoke(ref)) {
		xenpv_gnt.inherited_revoked++;
		return false;
	}
	xenpv_gnt.inherited_busy++;
	xenpv_gnttab_defer(ref, NULL, gfp);
	return true;
}

/* Grow the table by enough frames for @need more references; lock held. */
static int xenpv_gnttab_grow(u32 need)
{
	unsigned int want;
	gfp_t gfp = GFP_ATOMIC;
	int ret;

	want = xenpv_gnt.nr_frames + DIV_ROUND_UP(need, XENPV_GREFS_PER_FRAME);
	if (want > xenpv_gnt.reserved_frames)
		want = xenpv_gnt.reserved_frames;
	if (want <= xenpv_gnt.nr_frames) {
		xenpv_gnt.grow_failures++;
		return -ENOSPC;
	}
	ret = xenpv_gnttab_map_frames(xenpv_gnt.nr_frames, want);
	if (ret) {
		xenpv_gnt.grow_failures++;
		pr_warn_ratelimited("growing the grant table to %u frames failed: %d\n",
				    want, ret);
		return -ENOSPC;
	}
	xenpv_gnt.nr_frames = want;
	xenpv_gref_grow(&xenpv_gnt.list, want * XENPV_GREFS_PER_FRAME,
			xenpv_gnttab_inherited_busy, &gfp);
	xenpv_gnt.grow_events++;
	return 0;
}

/* ---- references -------------------------------------------------------- */

/* Lock held: run the free callbacks whose wish is now met, in order. */
static void xenpv_gnttab_run_callbacks(void)
{
	struct xenpv_gnttab_free_cb *cb, **pp = &xenpv_gnt.callbacks;

	while ((cb = *pp)) {
		if (cb->count > xenpv_gnt.list.nr_free) {
			pp = &cb->next;
			continue;
		}
		*pp = cb->next;
		cb->next = NULL;
		cb->queued = false;
		cb->fn(cb->arg);
	}
}

static u32 xenpv_gnttab_get_ref(void)
{
	unsigned long flags;
	u32 ref;

	spin_lock_irqsave(&xenpv_gnt.lock, flags);
	if (!xenpv_gnt.list.nr_free)
		xenpv_gnttab_grow(1);
	ref = xenpv_gref_get(&xenpv_gnt.list);
	spin_unlock_irqrestore(&xenpv_gnt.lock, flags);
	return ref;
}

static void xenpv_gnttab_put_ref(grant_ref_t ref)
{
	unsigned long flags;
	int ret;

	spin_lock_irqsave(&xenpv_gnt.lock, flags);
	ret = xenpv_gref_put(&xenpv_gnt.list, ref);
	if (!ret && xenpv_gnt.callbacks)
		xenpv_gnttab_run_callbacks();
	spin_unlock_irqrestore(&xenpv_gnt.lock, flags);
	WARN_ONCE(ret, "xenpv: free of grant reference %u that is not in use\n",
		  ref);
}

int xenpv_native_gnttab_grant_access(domid_t domid, unsigned long gfn,
				     bool readonly)
{
	u32 ref;

	if (gfn > XENPV_GNTTAB_V1_MAX_GFN) {
		WARN_ONCE(1, "xenpv: gfn %#lx beyond what a v1 grant holds\n",
			  gfn);
		return -EINVAL;
	}
	ref = xenpv_gnttab_get_ref();
	if (ref == XENPV_GREF_END)
		return -ENOSPC;
	xenpv_gnttab_write_entry(ref, domid, gfn, readonly);
	return ref;
}

void xenpv_native_gnttab_grant_access_ref(grant_ref_t ref, domid_t domid,
					  unsigned long gfn, bool readonly)
{
	if (WARN_ONCE(!xenpv_gnttab_ref_exists(ref) ||
		      gfn > XENPV_GNTTAB_V1_MAX_GFN,
		      "xenpv: bad grant of reference %u to gfn %#lx\n", ref, gfn))
		return;
	xenpv_gnttab_write_entry(ref, domid, gfn, readonly);
}

bool xenpv_native_gnttab_try_end_access(grant_ref_t ref)
{
	if (ref < GNTTAB_NR_RESERVED_ENTRIES ||
	    ref >= xenpv_gnt.list.capacity) {
		WARN_ONCE(1, "xenpv: end of access to bad grant reference %u\n",
			  ref);
		return false;
	}
	/* A reference the table lost in a resume has no entry to revoke. */
	if (xenpv_gnttab_ref_exists(ref) && !xenpv_gnttab_revoke(ref))
		return false;
	xenpv_gnttab_put_ref(ref);
	return true;
}

static int xenpv_gnttab_defer(grant_ref_t ref, struct page *page, gfp_t gfp)
{
	struct xenpv_gnttab_deferred *d;
	unsigned long flags;

	d = kmalloc(sizeof(*d), gfp);
	spin_lock_irqsave(&xenpv_gnt.deferred_lock, flags);
	if (!d) {
		/* Both stay owned by the grant forever. */
		xenpv_gnt.leaked++;
		spin_unlock_irqrestore(&xenpv_gnt.deferred_lock, flags);
		pr_warn_ratelimited("grant %u still in use and no memory to defer it: leaking it%s\n",
				    ref, page ? " and its page" : "");
		return -ENOMEM;
	}
	d->ref = ref;
	d->page = page;
	d->tries = 0;
	list_add_tail(&d->node, &xenpv_gnt.deferred);
	xenpv_gnt.nr_deferred++;
	xenpv_gnt.deferred_total++;
	spin_unlock_irqrestore(&xenpv_gnt.deferred_lock, flags);
	pr_debug("grant %u still in use: deferring its release\n", ref);
	if (READ_ONCE(xenpv_gnt.ready))
		schedule_delayed_work(&xenpv_gnt.deferred_work,
				      XENPV_GNTTAB_DEFER_PERIOD);
	return 0;
}

void xenpv_native_gnttab_end_access(grant_ref_t ref, struct page *page)
{
	if (xenpv_native_gnttab_try_end_access(ref)) {
		if (page)
			put_page(page);
		return;
	}
	if (ref < GNTTAB_NR_RESERVED_ENTRIES ||
	    ref >= xenpv_gnt.list.capacity)
		return;		/* bogus reference: warned, page kept */
	xenpv_gnttab_defer(ref, page, GFP_ATOMIC);
}

static void xenpv_gnttab_deferred_fn(struct work_struct *work)
{
	struct xenpv_gnttab_deferred *d, *tmp;
	unsigned long flags;
	unsigned int n = 0;
	LIST_HEAD(batch);
	LIST_HEAD(retry);

	spin_lock_irqsave(&xenpv_gnt.deferred_lock, flags);
	list_for_each_entry_safe(d, tmp, &xenpv_gnt.deferred, node) {
		if (n++ == XENPV_GNTTAB_DEFER_BATCH)
			break;
		list_move_tail(&d->node, &batch);
	}
	spin_unlock_irqrestore(&xenpv_gnt.deferred_lock, flags);

	list_for_each_entry_safe(d, tmp, &batch, node) {
		if (xenpv_native_gnttab_try_end_access(d->ref)) {
			list_del(&d->node);
			if (d->page)
				put_page(d->page);
			kfree(d);
			spin_lock_irqsave(&xenpv_gnt.deferred_lock, flags);
			xenpv_gnt.nr_deferred--;
			xenpv_gnt.deferred_freed++;
			spin_unlock_irqrestore(&xenpv_gnt.deferred_lock, flags);
			continue;
		}
		if (++d->tries == XENPV_GNTTAB_DEFER_WARN)
			pr_warn_ratelimited("grant %u (domain %u) still mapped by its peer after %u retries\n",
					    d->ref,
					    READ_ONCE(xenpv_gnt.shared[d->ref].domid),
					    d->tries);
		list_move_tail(&d->node, &retry);
	}

	spin_lock_irqsave(&xenpv_gnt.deferred_lock, flags);
	list_splice_tail(&retry, &xenpv_gnt.deferred);
	n = xenpv_gnt.nr_deferred;
	spin_unlock_irqrestore(&xenpv_gnt.deferred_lock, flags);
	if (n && READ_ONCE(xenpv_gnt.ready))
		schedule_delayed_work(&xenpv_gnt.deferred_work,
				      XENPV_GNTTAB_DEFER_PERIOD);
}

int xenpv_native_gnttab_alloc_refs(u16 count, grant_ref_t *head)
{
	unsigned long flags;
	u32 h;
	int ret;

	if (!count)
		return -EINVAL;
	spin_lock_irqsave(&xenpv_gnt.lock, flags);
	if (xenpv_gnt.list.nr_free < count)
		xenpv_gnttab_grow(count - xenpv_gnt.list.nr_free);
	ret = xenpv_gref_get_chain(&xenpv_gnt.list, count, &h);
	spin_unlock_irqrestore(&xenpv_gnt.lock, flags);
	if (ret)
		return ret;
	*head = h;
	return 0;
}

void xenpv_native_gnttab_free_refs(grant_ref_t head)
{
	unsigned long flags;
	int ret;

	spin_lock_irqsave(&xenpv_gnt.lock, flags);
	ret = xenpv_gref_put_chain(&xenpv_gnt.list, head);
	if (!ret && xenpv_gnt.callbacks)
		xenpv_gnttab_run_callbacks();
	spin_unlock_irqrestore(&xenpv_gnt.lock, flags);
	WARN_ONCE(ret, "xenpv: free of a malformed grant reference batch (head %u)\n",
		  head);
}

/* Private batches belong to their owner: no lock (as the kernel's API). */
int xenpv_native_gnttab_claim_ref(grant_ref_t *head)
{
	u32 h = *head, ref;

	ref = xenpv_gref_chain_claim(&xenpv_gnt.list, &h);
	if (ref == XENPV_GREF_END)
		return -ENOSPC;
	*head = h;
	return ref;
}

void xenpv_native_gnttab_release_ref(grant_ref_t *head, grant_ref_t ref)
{
	u32 h = *head;

	if (WARN_ONCE(xenpv_gref_chain_release(&xenpv_gnt.list, &h, ref),
		      "xenpv: release of grant reference %u that is not claimed\n",
		      ref))
		return;
	*head = h;
}

void xenpv_native_gnttab_free_ref(grant_ref_t ref)
{
	/* A still-granted entry is revoked first; a mapped one is parked. */
	xenpv_native_gnttab_end_access(ref, NULL);
}

void xenpv_native_gnttab_request_free_callback(struct xenpv_gnttab_free_cb *cb,
					       void (*fn)(void *arg),
					       void *arg, u16 count)
{
	struct xenpv_gnttab_free_cb **pp;
	unsigned long flags;

	spin_lock_irqsave(&xenpv_gnt.lock, flags);
	if (cb->queued)
		goto out_unlock;
	cb->fn = fn;
	cb->arg = arg;
	cb->count = count;
	cb->next = NULL;
	cb->queued = true;
	for (pp = &xenpv_gnt.callbacks; *pp; pp = &(*pp)->next)
		;
	*pp = cb;
	xenpv_gnttab_run_callbacks();
out_unlock:
	spin_unlock_irqrestore(&xenpv_gnt.lock, flags);
}

void xenpv_native_gnttab_cancel_free_callback(struct xenpv_gnttab_free_cb *cb)
{
	struct xenpv_gnttab_free_cb **pp;
	unsigned long flags;

	spin_lock_irqsave(&xenpv_gnt.lock, flags);
	for (pp = &xenpv_gnt.callbacks; *pp; pp = &(*pp)->next) {
		if (*pp == cb) {
			*pp = cb->next;
			break;
		}
	}
	cb->next = NULL;
	cb->queued = false;
	spin_unlock_irqrestore(&xenpv_gnt.lock, flags);
}

void xenpv_native_gnttab_get_stats(struct xenpv_gnttab_stats *st)
{
	unsigned long flags;

	spin_lock_irqsave(&xenpv_gnt.lock, flags);
	st->nr_frames = xenpv_gnt.nr_frames;
	/* What Xen allows, as far as the BAR1 pages we hold can follow. */
	st->max_frames = min(xenpv_gnt.reserved_frames, xenpv_gnt.max_frames);
	st->refs_in_use = xenpv_gnt.list.limit - xenpv_gnt.list.first -
			  xenpv_gnt.list.nr_free;
	spin_unlock_irqrestore(&xenpv_gnt.lock, flags);
	spin_lock_irqsave(&xenpv_gnt.deferred_lock, flags);
	st->deferred = xenpv_gnt.nr_deferred;
	st->leaked = xenpv_gnt.leaked;
	spin_unlock_irqrestore(&xenpv_gnt.deferred_lock, flags);
}

/* ---- lifecycle ---------------------------------------------------------- */

/* Make sure the table is v1 (a kexec'ed kernel may have left v2). */
static int xenpv_gnttab_check_version(struct device *dev)
{
	struct gnttab_get_version gv = { .dom = DOMID_SELF };
	struct gnttab_set_version sv = { .version = 1 };
	int ret;

	ret = xenpv_hc_grant_table_op(GNTTABOP_get_version, &gv, 1);
	if (ret || gv.version == 1)
		return 0;	/* no get_version (old Xen) means v1 */
	ret = xenpv_hc_grant_table_op(GNTTABOP_set_version, &sv, 1);
	if (ret || sv.version != 1) {
		dev_err(dev, "grant table is v%u and cannot be switched to v1 (%d)\n",
			gv.version, ret);
		return -EOPNOTSUPP;
	}
	return 0;
}

int xenpv_gnttab_init(void)
{
	struct device *dev = &xenpv_plat.pdev->dev;
	unsigned int nr = 0, max = 0, initial;
	u64 avail, addr;
	gfp_t gfp = GFP_KERNEL;
	int ret;

	BUILD_BUG_ON(sizeof(struct grant_entry_v1) != 8);

	ret = xenpv_gnttab_check_version(dev);
	if (ret)
		return ret;
	ret = xenpv_gnttab_query(&nr, &max);
	if (ret || !max) {
		dev_warn(dev, "GNTTABOP_query_size failed (%d): assuming %u frames\n",
			 ret, XENPV_GNTTAB_FALLBACK_MAX);
		nr = 0;
		max = XENPV_GNTTAB_FALLBACK_MAX;
	}
	xenpv_gnt.max_frames = max;

	avail = xenpv_bar_alloc_avail(&xenpv_plat.bar);
	xenpv_gnt.reserved_frames = min3((u64)max, (u64)XENPV_GNTTAB_FRAMES_CAP,
					 avail);
	if (!xenpv_gnt.reserved_frames) {
		dev_err(dev, "BAR1 has no room for grant frames\n");
		return -ENOSPC;
	}
	if (xenpv_gnt.reserved_frames < max)
		dev_info(dev, "using %u of the %u grant frames Xen allows\n",
			 xenpv_gnt.reserved_frames, max);
	ret = xenpv_bar_alloc_pages(&xenpv_plat.bar, xenpv_gnt.reserved_frames,
				    &addr);
	if (ret)
		return ret;
	xenpv_gnt.frames_addr = addr;

	xenpv_gnt.next = kvmalloc_array(xenpv_gnt.reserved_frames *
					XENPV_GREFS_PER_FRAME,
					sizeof(u32), GFP_KERNEL);
	if (!xenpv_gnt.next)
		return -ENOMEM;
	xenpv_gref_init(&xenpv_gnt.list, xenpv_gnt.next,
			xenpv_gnt.reserved_frames * XENPV_GREFS_PER_FRAME,
			GNTTAB_NR_RESERVED_ENTRIES);

	initial = max_t(unsigned int, nr, XENPV_GNTTAB_INIT_FRAMES);
	initial = min(initial, xenpv_gnt.reserved_frames);
	ret = xenpv_gnttab_map_frames(0, initial);
	if (ret) {
		dev_err(dev, "adding %u grant frames failed: %d\n", initial, ret);
		ret = -EIO;
		goto out_free;
	}
	xenpv_gnt.shared = memremap(addr, (size_t)xenpv_gnt.reserved_frames *
				    PAGE_SIZE, MEMREMAP_WB);
	if (!xenpv_gnt.shared) {
		dev_err(dev, "cannot map the grant table at %#llx\n", addr);
		ret = -ENOMEM;
		goto out_free;
	}

	INIT_DELAYED_WORK(&xenpv_gnt.deferred_work, xenpv_gnttab_deferred_fn);
	xenpv_gnt.callbacks = NULL;
	xenpv_gnt.grow_events = 0;
	xenpv_gnt.grow_failures = 0;
	xenpv_gnt.inherited_busy = 0;
	xenpv_gnt.inherited_revoked = 0;
	xenpv_gnt.leaked = 0;
	xenpv_gnt.deferred_total = 0;
	xenpv_gnt.deferred_freed = 0;
	xenpv_gnt.nr_frames = initial;
	xenpv_gref_grow(&xenpv_gnt.list, initial * XENPV_GREFS_PER_FRAME,
			xenpv_gnttab_inherited_busy, &gfp);
	WRITE_ONCE(xenpv_gnt.ready, true);
	if (xenpv_gnt.nr_deferred)
		schedule_delayed_work(&xenpv_gnt.deferred_work,
				      XENPV_GNTTAB_DEFER_PERIOD);
	if (xenpv_gnt.inherited_busy || xenpv_gnt.inherited_revoked)
		dev_info(dev, "grant entries left by an earlier instance: %lu revoked, %lu still mapped (parked)\n",
			 xenpv_gnt.inherited_revoked, xenpv_gnt.inherited_busy);
	return 0;

out_free:
	kvfree(xenpv_gnt.next);
	xenpv_gnt.next = NULL;
	return ret;
}

void xenpv_gnttab_exit(void)
{
	struct xenpv_gnttab_deferred *d, *tmp;
	unsigned int left = 0;
	unsigned long flags;

	if (!xenpv_gnt.next)
		return;
	WRITE_ONCE(xenpv_gnt.ready, false);
	cancel_delayed_work_sync(&xenpv_gnt.deferred_work);
	/* One last try; whatever is still mapped keeps its page forever. */
	xenpv_gnttab_deferred_fn(&xenpv_gnt.deferred_work.work);
	cancel_delayed_work_sync(&xenpv_gnt.deferred_work);

	spin_lock_irqsave(&xenpv_gnt.deferred_lock, flags);
	list_for_each_entry_safe(d, tmp, &xenpv_gnt.deferred, node) {
		list_del(&d->node);
		kfree(d);
		left++;
	}
	xenpv_gnt.nr_deferred = 0;
	spin_unlock_irqrestore(&xenpv_gnt.deferred_lock, flags);
	if (left)
		pr_warn("%u grants still mapped by their peers at unload: their pages are leaked\n",
			left);
	if (xenpv_gnt.callbacks)
		pr_warn("grant free callbacks still queued at unload\n");
	xenpv_gnt.callbacks = NULL;

	memunmap(xenpv_gnt.shared);
	xenpv_gnt.shared = NULL;
	kvfree(xenpv_gnt.next);
	xenpv_gnt.next = NULL;
	xenpv_gnt.nr_frames = 0;
}

/*
 * stop_machine() context, resumed in a new domain: its grant table is
 * fresh (all entries zero) and our frames are gone from BAR1.  Add the
 * same frames again; if the new host allows fewer, the references beyond
 * disappear (their holders get -ENOSPC-like failures and free them).
 */
int xenpv_gnttab_resume(void)
{
	unsigned int nr, max, target = xenpv_gnt.nr_frames;
	int ret;

	if (!xenpv_gnt.next)
		return 0;
	if (!xenpv_gnttab_query(&nr, &max) && max) {
		xenpv_gnt.max_frames = max;
		if (target > max)
			target = max;
	}
	ret = xenpv_gnttab_map_frames(0, target);
	if (ret)
		target = 0;
	if (target < xenpv_gnt.nr_frames) {
		xenpv_gref_shrink(&xenpv_gnt.list,
				  target * XENPV_GREFS_PER_FRAME);
		xenpv_gnt.nr_frames = target;
	}
	return ret;
}

void xenpv_gnttab_debugfs_show(struct seq_file *m)
{
	struct xenpv_gnttab_stats st;
	unsigned long flags;
	unsigned long grow, grow_fail, inh_busy, inh_rev, total, freed;
	u32 nr_free, limit;
	bool cbs;

	xenpv_native_gnttab_get_stats(&st);
	spin_lock_irqsave(&xenpv_gnt.lock, flags);
	grow = xenpv_gnt.grow_events;
	grow_fail = xenpv_gnt.grow_failures;
	inh_busy = xenpv_gnt.inherited_busy;
	inh_rev = xenpv_gnt.inherited_revoked;
	nr_free = xenpv_gnt.list.nr_free;
	limit = xenpv_gnt.list.limit;
	cbs = xenpv_gnt.callbacks;
	spin_unlock_irqrestore(&xenpv_gnt.lock, flags);
	spin_lock_irqsave(&xenpv_gnt.deferred_lock, flags);
	total = xenpv_gnt.deferred_total;
	freed = xenpv_gnt.deferred_freed;
	spin_unlock_irqrestore(&xenpv_gnt.deferred_lock, flags);

	seq_printf(m, "version: 1\nframes: %u\nframes_reserved: %u\nframes_xen_max: %u\n",
		   st.nr_frames, st.max_frames, xenpv_gnt.max_frames);
	seq_printf(m, "frames_at: %#llx\n", xenpv_gnt.frames_addr);
	seq_printf(m, "refs_total: %u\nrefs_free: %u\nrefs_in_use: %u\n",
		   limit > GNTTAB_NR_RESERVED_ENTRIES ?
		   limit - GNTTAB_NR_RESERVED_ENTRIES : 0, nr_free,
		   st.refs_in_use);
	seq_printf(m, "grow_events: %lu\ngrow_failures: %lu\n", grow, grow_fail);
	seq_printf(m, "deferred_now: %u\ndeferred_total: %lu\ndeferred_freed: %lu\nleaked: %lu\n",
		   st.deferred, total, freed, st.leaked);
	seq_printf(m, "inherited_revoked: %lu\ninherited_busy: %lu\n", inh_rev,
		   inh_busy);
	seq_printf(m, "free_callbacks_queued: %s\n", cbs ? "yes" : "no");
}
