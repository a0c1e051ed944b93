// SPDX-License-Identifier: GPL-2.0
/*
 * xenpv_blkfront data path: ring requests, grants, responses, error state.
 *
 * Copyright (C) 2026 The xenpv authors
 *
 * A block request becomes one ring request, or several when it was built
 * under larger limits than the backend now accepts (see
 * xenpv_blkfront_split()).  Data pages are granted directly, or, in bounce
 * mode (persistent grants, or an untrusted backend), copied through pages
 * of a per-ring pool that the backend may keep mapped (persistent) or that
 * are granted per request and revoked after it (untrusted).
 *
 * Everything the backend writes is untrusted: the response producer is
 * read once and bounded, every response is copied once and validated
 * against our private shadow, grants are revoked with one atomic
 * try-revoke.  A violation puts the device into the error state: its
 * in-flight requests fail, new ones fail, and the event channel is left
 * without EOI so the backend cannot keep the guest busy.
 */
#include <linux/blk-mq.h>
#include <linux/compiler.h>
#include <linux/interrupt.h>
#include <linux/mm.h>
#include <linux/slab.h>
#include <asm/barrier.h>
#include <xen/interface/io/ring.h>

#include "blkfront.h"
#include "queue_compat.h"

struct blkfront_stuck {
	struct list_head node;
	struct page *page;
	grant_ref_t gref;
};

static struct blkfront_req *blkfront_req(struct request *rq)
{
	return blk_mq_rq_to_pdu(rq);
}

static void blkfront_req_reset(struct blkfront_req *br)
{
	memset(br, 0, sizeof(*br));
}

static void blkfront_set_status(struct blkfront_req *br, blk_status_t status)
{
	if (!br->status)
		br->status = status;
}

/* ---- shadows ---------------------------------------------------------- */

static struct blkfront_shadow *blkfront_shadow_get(struct blkfront_ring *ring,
						   unsigned int *id)
{
	struct blkfront_shadow *s;

	if (!ring->nr_free || ring->free_head >= ring->nr_shadow)
		return NULL;
	*id = ring->free_head;
	s = &ring->shadow[*id];
	ring->free_head = s->next_free;
	ring->nr_free--;
	return s;
}

static void blkfront_shadow_put(struct blkfront_ring *ring, unsigned int id)
{
	struct blkfront_shadow *s = &ring->shadow[id];

	s->rq = NULL;
	s->in_flight = false;
	s->nr_segs = 0;
	s->nr_ind = 0;
	s->next_free = ring->free_head;
	ring->free_head = id;
	ring->nr_free++;
}

/* ---- bounce / persistent pool ----------------------------------------- */

static struct blkfront_gnt *blkfront_pool_get(struct blkfront_ring *ring)
{
	struct blkfront_gnt *gnt;

	gnt = list_first_entry_or_null(&ring->pool, struct blkfront_gnt, node);
	if (!gnt)
		return NULL;
	list_del(&gnt->node);
	ring->pool_free--;
	if (gnt->gref != BLKFRONT_GREF_NONE)
		ring->pool_free_granted--;
	return gnt;
}

/* Granted pages go first: they are taken before ungranted ones. */
static void blkfront_pool_put(struct blkfront_ring *ring,
			      struct blkfront_gnt *gnt)
{
	if (gnt->gref != BLKFRONT_GREF_NONE) {
		list_add(&gnt->node, &ring->pool);
		ring->pool_free_granted++;
	} else {
		list_add_tail(&gnt->node, &ring->pool);
	}
	ring->pool_free++;
}

/* The backend keeps @gnt mapped: hand the page to the deferred revoke. */
static void blkfront_pool_drop(struct blkfront_ring *ring,
			       struct blkfront_gnt *gnt)
{
	ring->pool_total--;
	ring->pool_granted--;
	xenpv_gnttab_end_access(gnt->gref, gnt->page);
	kfree(gnt);
}

static void blkfront_pool_destroy(struct blkfront_ring *ring)
{
	struct blkfront_gnt *gnt, *tmp;

	list_for_each_entry_safe(gnt, tmp, &ring->pool, node) {
		list_del(&gnt->node);
		if (gnt->gref != BLKFRONT_GREF_NONE)
			xenpv_gnttab_end_access(gnt->gref, gnt->page);
		else
			__free_page(gnt->page);
		kfree(gnt);
	}
	ring->pool_total = 0;
	ring->pool_free = 0;
	ring->pool_free_granted = 0;
	ring->pool_granted = 0;
}

/* ---- data pages the backend kept mapped ------------------------------- */

/*
 * A request's own page whose grant the backend did not release.  The page
 * is pinned (it can never go back to the allocator while mapped) and the
 * revocation is retried by the reclaim work; the request itself completes
 * with an error so nothing waits on the backend.
 */
static void blkfront_stuck_add(struct blkfront_info *info, grant_ref_t gref,
			       struct page *page)
{
	struct blkfront_stuck *st;
	unsigned long flags;

	get_page(page);
	st = kmalloc(sizeof(*st), GFP_ATOMIC);
	if (!st) {
		/* Cannot track it: the page stays pinned for good. */
		xenpv_gnttab_end_access(gref, NULL);
		pr_warn_ratelimited("%s: page kept mapped by the backend is pinned permanently\n",
				    info->id.name);
		return;
	}
	st->gref = gref;
	st->page = page;
	spin_lock_irqsave(&info->stuck_lock, flags);
	list_add_tail(&st->node, &info->stuck);
	info->nr_stuck++;
	spin_unlock_irqrestore(&info->stuck_lock, flags);
	schedule_delayed_work(&info->reclaim_work,
			      msecs_to_jiffies(BLKFRONT_RECLAIM_MS));
}

/* Retry the revocation of stuck pages; returns how many remain. */
static unsigned int blkfront_stuck_retry(struct blkfront_info *info)
{
	struct blkfront_stuck *st, *tmp;
	unsigned int left;
	LIST_HEAD(freed);

	spin_lock_irq(&info->stuck_lock);
	list_for_each_entry_safe(st, tmp, &info->stuck, node) {
		if (!xenpv_gnttab_try_end_access(st->gref))
			continue;
		list_move(&st->node, &freed);
		info->nr_stuck--;
	}
	left = info->nr_stuck;
	spin_unlock_irq(&info->stuck_lock);

	list_for_each_entry_safe(st, tmp, &freed, node) {
		put_page(st->page);
		kfree(st);
	}
	return left;
}

/*
 * Device removal: what the backend still maps goes to the platform's
 * deferred revocation; the pages stay pinned (never freed) on purpose.
 */
void xenpv_blkfront_stuck_release(struct blkfront_info *info)
{
	struct blkfront_stuck *st, *tmp;
	unsigned int n = 0;

	if (!blkfront_stuck_retry(info))
		return;

	spin_lock_irq(&info->stuck_lock);
	list_for_each_entry_safe(st, tmp, &info->stuck, node) {
		list_del(&st->node);
		xenpv_gnttab_end_access(st->gref, NULL);
		kfree(st);
		n++;
	}
	info->nr_stuck = 0;
	spin_unlock_irq(&info->stuck_lock);
	pr_warn("%s: backend still maps %u data pages; they stay pinned\n",
		info->id.name, n);
}

/* ---- undoing a ring request ------------------------------------------- */

/*
 * Revoke the grants of @s.  @copy_back copies read data out of bounce
 * pages.  Outside @teardown a grant the backend kept (without persistent
 * grants) is a protocol violation, reported through @violation; at
 * teardown it is expected (the backend may be dead) and only deferred.
 */
static void blkfront_release_segs(struct blkfront_ring *ring,
				  struct blkfront_shadow *s, bool copy_back,
				  bool teardown, const char **violation)
{
	struct blkfront_info *info = ring->info;
	bool persistent = info->persistent;
	unsigned int k;

	for (k = 0; k < s->nr_segs; k++) {
		struct blkfront_seg *seg = &s->segs[k];
		struct blkfront_gnt *gnt = seg->gnt;

		if (gnt) {
			if (!persistent) {
				if (!xenpv_gnttab_try_end_access(gnt->gref)) {
					if (!teardown)
						*violation = "backend has not unmapped a data grant";
					blkfront_pool_drop(ring, gnt);
					goto next;
				}
				gnt->gref = BLKFRONT_GREF_NONE;
				ring->pool_granted--;
			}
			if (copy_back)
				xenpv_blkfront_copy_page(seg->page, seg->offset,
							 gnt->page,
							 seg->offset % XENPV_VBD_XEN_PAGE_SIZE,
							 seg->len);
			blkfront_pool_put(ring, gnt);
		} else if (seg->gref != BLKFRONT_GREF_NONE) {
			if (!xenpv_gnttab_try_end_access(seg->gref)) {
				if (!teardown)
					*violation = "backend has not unmapped a data grant";
				blkfront_stuck_add(info, seg->gref, seg->page);
			}
		}
next:
		seg->gnt = NULL;
		seg->gref = BLKFRONT_GREF_NONE;
		seg->page = NULL;
	}

	if (persistent)
		return;
	for (k = 0; k < s->nr_ind; k++) {
		if (s->ind_gref[k] == BLKFRONT_GREF_NONE)
			continue;
		if (!xenpv_gnttab_try_end_access(s->ind_gref[k])) {
			if (!teardown)
				*violation = "backend has not unmapped an indirect page";
			/* The page now belongs to the deferred revocation. */
			xenpv_gnttab_end_access(s->ind_gref[k], s->ind_page[k]);
			s->ind_page[k] = NULL;
		}
		s->ind_gref[k] = BLKFRONT_GREF_NONE;
	}
}

/*
 * Take every in-flight request off @ring (lock held): grants revoked or
 * deferred, shadows freed.  A request is added to @reqs once its last
 * ring request is gone.  Returns how many block requests were added.
 */
static unsigned int blkfront_collect_inflight(struct blkfront_ring *ring,
					      struct list_head *reqs)
{
	unsigned int id, n = 0;

	for (id = 0; id < ring->nr_shadow; id++) {
		struct blkfront_shadow *s = &ring->shadow[id];
		struct request *rq = s->rq;
		struct blkfront_req *br;

		if (!s->in_flight)
			continue;
		blkfront_release_segs(ring, s, false, true, NULL);
		blkfront_shadow_put(ring, id);
		br = blkfront_req(rq);
		if (br->parts_left && --br->parts_left)
			continue;
		list_add_tail(&rq->queuelist, reqs);
		n++;
	}
	return n;
}

/* End the requests of @reqs with @status (any context). */
void xenpv_blkfront_end_list(struct list_head *reqs, blk_status_t status)
{
	struct request *rq, *tmp;

	list_for_each_entry_safe(rq, tmp, reqs, queuelist) {
		struct blkfront_req *br = blkfront_req(rq);

		list_del_init(&rq->queuelist);
		br->requeue = false;
		br->status = status;
		blk_mq_complete_request(rq);
	}
}

/*
 * Give the requests of @reqs back to blk-mq, to be sent again as they are
 * (stage kept).  RQF_DONTPREP keeps them away from the I/O scheduler so
 * nothing merges into a request we are part-way through.
 */
void xenpv_blkfront_requeue_list(struct list_head *reqs)
{
	struct request *rq, *tmp;

	list_for_each_entry_safe(rq, tmp, reqs, queuelist) {
		struct blkfront_req *br = blkfront_req(rq);

		list_del_init(&rq->queuelist);
		br->requeue = false;
		br->status = BLK_STS_OK;
		br->parts_left = 0;
		rq->rq_flags |= RQF_DONTPREP;
		blk_mq_requeue_request(rq, false);
	}
}

/* Complete or requeue what the interrupt handler finished. */
static void blkfront_finish(struct blkfront_info *info, struct list_head *done)
{
	struct request *rq, *tmp;
	bool requeued = false;

	list_for_each_entry_safe(rq, tmp, done, queuelist) {
		struct blkfront_req *br = blkfront_req(rq);

		list_del_init(&rq->queuelist);
		if (br->requeue) {
			br->requeue = false;
			br->status = BLK_STS_OK;
			rq->rq_flags |= RQF_DONTPREP;
			blk_mq_requeue_request(rq, false);
			requeued = true;
		} else {
			blk_mq_complete_request(rq);
		}
	}
	if (requeued && info->gd)
		blk_mq_kick_requeue_list(info->gd->queue);
}

/* ---- features the backend revokes ------------------------------------- */

static void blkfront_disable_flush(struct blkfront_ring *ring, u8 op)
{
	struct blkfront_info *info = ring->info;

	if (!READ_ONCE(info->feature_flush))
		return;
	WRITE_ONCE(info->feature_flush, false);
	WRITE_ONCE(info->feature_fua, false);
	pr_warn_ratelimited("%s: backend refused %s; flush and FUA disabled\n",
			    info->id.name,
			    op == BLKIF_OP_WRITE_BARRIER ? "a barrier" : "a cache flush");
	schedule_work(&info->limits_work);
}

static void blkfront_disable_discard(struct blkfront_ring *ring)
{
	struct blkfront_info *info = ring->info;

	if (!READ_ONCE(info->feature_discard))
		return;
	WRITE_ONCE(info->feature_discard, false);
	WRITE_ONCE(info->feature_secdiscard, false);
	pr_warn_ratelimited("%s: backend refused a discard; discard disabled\n",
			    info->id.name);
	schedule_work(&info->limits_work);
}

/* ---- responses -------------------------------------------------------- */

/* Copy response @i off the shared ring once; padding is never read. */
static void blkfront_copy_rsp(const struct blkif_front_ring *front,
			      RING_IDX i, struct blkif_response *rsp)
{
	const struct blkif_response *src = RING_GET_RESPONSE(front, i);

	rsp->id = READ_ONCE(src->id);
	rsp->operation = READ_ONCE(src->operation);
	rsp->status = READ_ONCE(src->status);
}

/* One validated response for shadow @id (ring lock held). */
static void blkfront_complete_shadow(struct blkfront_ring *ring,
				     unsigned int id,
				     const struct blkif_response *rsp,
				     struct list_head *done,
				     const char **violation)
{
	struct blkfront_shadow *s = &ring->shadow[id];
	struct request *rq = s->rq;
	struct blkfront_req *br = blkfront_req(rq);
	bool flush_op = s->op == BLKIF_OP_FLUSH_DISKCACHE ||
			s->op == BLKIF_OP_WRITE_BARRIER;
	bool empty = !s->nr_segs;
	bool okay = rsp->status == BLKIF_RSP_OKAY;
	u8 op = s->op;

	blkfront_release_segs(ring, s, okay && !s->write, false, violation);
	blkfront_shadow_put(ring, id);
	ring->st_responses++;

	if (*violation) {
		/* Its pages may still be written: never report success. */
		blkfront_set_status(br, BLK_STS_IOERR);
	} else if (!okay) {
		ring->st_errors++;
		if (flush_op &&
		    (rsp->status == BLKIF_RSP_EOPNOTSUPP || empty)) {
			/* Send it again under the remaining features. */
			blkfront_disable_flush(ring, op);
			br->requeue = true;
		} else if (op == BLKIF_OP_DISCARD &&
			   rsp->status == BLKIF_RSP_EOPNOTSUPP) {
			blkfront_disable_discard(ring);
			blkfront_set_status(br, BLK_STS_NOTSUPP);
		} else {
			pr_err_ratelimited("%s: backend error %d on operation %u\n",
					   ring->info->id.name, rsp->status, op);
			blkfront_set_status(br, BLK_STS_IOERR);
		}
	}

	if (br->parts_left && --br->parts_left)
		return;

	if (*violation)
		br->requeue = false;
	if (!br->requeue && !br->status && br->post_flush &&
	    br->stage == BLKFRONT_STAGE_DATA) {
		/* FUA emulation: the data is there, now the flush. */
		br->stage = BLKFRONT_STAGE_FLUSH;
		br->requeue = true;
	}
	if (br->requeue)
		ring->st_requeued++;
	list_add_tail(&rq->queuelist, done);
}

/*
 * Consume the responses on @ring (lock held).  Returns how many were
 * handled; sets @violation and stops at the first protocol violation.
 */
static unsigned int blkfront_process(struct blkfront_ring *ring,
				     struct list_head *done,
				     const char **violation)
{
	struct blkif_front_ring *front = &ring->front;
	struct blkif_response rsp;
	unsigned int handled = 0;
	RING_IDX prod, i;
	int more;

	do {
		prod = READ_ONCE(front->sring->rsp_prod);
		/* Read the responses only after the producer index. */
		virt_rmb();
		if (!xenpv_blkfront_rsp_prod_ok(prod, front->rsp_cons,
						RING_SIZE(front))) {
			*violation = "illegal number of responses";
			return handled;
		}

		for (i = front->rsp_cons; i != prod; i++) {
			struct blkfront_shadow *s = NULL;
			enum xenpv_blkfront_verdict v;

			blkfront_copy_rsp(front, i, &rsp);
			front->rsp_cons = i + 1;

			if (rsp.id < ring->nr_shadow &&
			    ring->shadow[rsp.id].in_flight)
				s = &ring->shadow[rsp.id];
			v = xenpv_blkfront_check_rsp(rsp.id, rsp.operation,
						     rsp.status,
						     ring->nr_shadow, s != NULL,
						     s ? s->op : 0,
						     s ? s->inner_op : 0);
			if (v != XENPV_BLKRSP_OK) {
				*violation = xenpv_blkfront_verdict_str(v);
				return handled;
			}
			blkfront_complete_shadow(ring, (unsigned int)rsp.id,
						 &rsp, done, violation);
			handled++;
			if (*violation)
				return handled;
		}

		RING_FINAL_CHECK_FOR_RESPONSES(front, more);
	} while (more);

	return handled;
}

/*
 * Protocol violation on @ring (lock held): the device goes to the error
 * state, this ring's in-flight requests fail now, the other rings' from
 * the error work.  The caller does not EOI.
 */
static void blkfront_violation(struct blkfront_ring *ring, const char *why,
			       struct list_head *failed)
{
	struct blkfront_info *info = ring->info;

	if (READ_ONCE(info->state) == BLKFRONT_CONNECTED) {
		WRITE_ONCE(info->state, BLKFRONT_ERROR);
		info->st_violations++;
	}
	pr_alert_ratelimited("%s: %s (ring %u); disabled for further use\n",
			     info->id.name, why, ring->index);
	blkfront_collect_inflight(ring, failed);
	schedule_work(&info->error_work);
}

irqreturn_t xenpv_blkfront_interrupt(int irq, void *dev_id)
{
	struct blkfront_ring *ring = dev_id;
	struct blkfront_info *info = ring->info;
	const char *violation = NULL;
	unsigned int handled = 0;
	unsigned long flags;
	LIST_HEAD(failed);
	LIST_HEAD(done);

	spin_lock_irqsave(&ring->lock, flags);
	ring->st_irqs++;
	switch (READ_ONCE(info->state)) {
	case BLKFRONT_CONNECTED:
		if (ring->shadow)
			handled = blkfront_process(ring, &done, &violation);
		break;
	case BLKFRONT_ERROR:
		/* Disabled: no EOI, so the backend cannot raise more. */
		spin_unlock_irqrestore(&ring->lock, flags);
		return IRQ_HANDLED;
	default:
		break;
	}
	if (violation)
		blkfront_violation(ring, violation, &failed);
	else if (!handled)
		ring->st_spurious++;
	spin_unlock_irqrestore(&ring->lock, flags);

	blkfront_finish(info, &done);
	if (violation) {
		xenpv_blkfront_end_list(&failed, BLK_STS_IOERR);
		return IRQ_HANDLED;
	}
	if (handled && info->gd)
		blk_mq_start_stopped_hw_queues(info->gd->queue, true);
	xenpv_evtchn_lateeoi(irq, handled ? 0 : XENPV_EOI_SPURIOUS);
	return IRQ_HANDLED;
}

/* After a violation: fail what is still in flight on every ring. */
void xenpv_blkfront_error_work(struct work_struct *work)
{
	struct blkfront_info *info = container_of(work, struct blkfront_info,
						  error_work);
	unsigned int i;

	for (i = 0; i < info->nr_rings_alloc; i++) {
		struct blkfront_ring *ring = &info->rings[i];
		LIST_HEAD(failed);

		spin_lock_irq(&ring->lock);
		if (READ_ONCE(info->state) == BLKFRONT_ERROR && ring->shadow)
			blkfront_collect_inflight(ring, &failed);
		spin_unlock_irq(&ring->lock);
		xenpv_blkfront_end_list(&failed, BLK_STS_IOERR);
	}
	/* Requests parked on stopped queues now reach ->queue_rq and fail. */
	if (info->gd && READ_ONCE(info->state) == BLKFRONT_ERROR)
		blk_mq_start_stopped_hw_queues(info->gd->queue, true);
}

/*
 * Persistent grants the backend has let go of are revoked (the pages stay
 * in the pool and are granted again when needed), and pages the backend
 * kept mapped after a violation are retried.
 */
void xenpv_blkfront_reclaim_work(struct work_struct *work)
{
	struct blkfront_info *info =
		container_of(to_delayed_work(work), struct blkfront_info,
			     reclaim_work);
	unsigned int i, stuck;
	bool again;

	for (i = 0; i < info->nr_rings_alloc && info->persistent; i++) {
		struct blkfront_ring *ring = &info->rings[i];
		struct blkfront_gnt *gnt, *tmp;
		LIST_HEAD(revoked);

		spin_lock_irq(&ring->lock);
		list_for_each_entry_safe(gnt, tmp, &ring->pool, node) {
			if (gnt->gref == BLKFRONT_GREF_NONE)
				break;
			if (!xenpv_gnttab_try_end_access(gnt->gref))
				continue;
			gnt->gref = BLKFRONT_GREF_NONE;
			ring->pool_granted--;
			ring->pool_free_granted--;
			list_move_tail(&gnt->node, &revoked);
		}
		list_splice_tail(&revoked, &ring->pool);
		spin_unlock_irq(&ring->lock);
	}

	stuck = blkfront_stuck_retry(info);
	again = stuck || (info->persistent &&
			  READ_ONCE(info->state) == BLKFRONT_CONNECTED);
	if (again)
		schedule_delayed_work(&info->reclaim_work,
				      msecs_to_jiffies(BLKFRONT_RECLAIM_MS));
}

/* ---- submission ------------------------------------------------------- */

static void blkfront_push(struct blkfront_ring *ring)
{
	int notify;

	RING_PUSH_REQUESTS_AND_CHECK_NOTIFY(&ring->front, notify);
	if (notify) {
		xenpv_evtchn_notify(ring->evtchn);
		ring->st_notify++;
	}
}

static blk_status_t blkfront_busy(struct blkfront_ring *ring,
				  struct blk_mq_hw_ctx *hctx)
{
	/* Under the ring lock: a completion restarts the queue after this. */
	blk_mq_stop_hw_queue(hctx);
	ring->st_busy++;
	return BLK_STS_DEV_RESOURCE;
}

static void blkfront_gnt_callback(void *arg)
{
	struct blkfront_ring *ring = arg;

	schedule_work(&ring->restart_work);
}

static void blkfront_restart_work(struct work_struct *work)
{
	struct blkfront_ring *ring = container_of(work, struct blkfront_ring,
						  restart_work);
	struct blkfront_info *info = ring->info;

	if (info->gd && READ_ONCE(info->state) == BLKFRONT_CONNECTED)
		blk_mq_start_stopped_hw_queues(info->gd->queue, true);
}

/*
 * Split the request's data into Xen-page chunks in ring->chunks; chunks
 * adjacent in the same Xen page are merged, as the block layer counts
 * physical segments.  Returns the count, -EINVAL for data not aligned to
 * 512 bytes, -E2BIG beyond the scratch space.
 */
static int blkfront_map_chunks(struct blkfront_ring *ring, struct request *rq)
{
	const unsigned int xps = XENPV_VBD_XEN_PAGE_SIZE;
	struct req_iterator iter;
	struct bio_vec bv;
	unsigned int n = 0;

	rq_for_each_segment(bv, rq, iter) {
		unsigned int off = bv.bv_offset, len = bv.bv_len;

		if ((off | len) & ((1U << XENPV_VBD_SECTOR_SHIFT) - 1))
			return -EINVAL;
		while (len) {
			unsigned int l = min(len, xps - off % xps);
			struct blkfront_chunk *prev = n ? &ring->chunks[n - 1] :
						   NULL;

			if (prev && prev->page == bv.bv_page &&
			    prev->offset + prev->len == off &&
			    prev->offset / xps == off / xps) {
				prev->len += l;
			} else {
				if (n == ring->max_chunks)
					return -E2BIG;
				ring->chunks[n].page = bv.bv_page;
				ring->chunks[n].offset = off;
				ring->chunks[n].len = l;
				n++;
			}
			off += l;
			len -= l;
		}
	}
	return n;
}

/* Grant (or bounce) chunk @c as segment @k of @s; fills the descriptor. */
static void blkfront_fill_seg(struct blkfront_ring *ring,
			      struct blkfront_shadow *s, unsigned int k,
			      const struct blkfront_chunk *c,
			      grant_ref_t *gref_head,
			      struct blkif_request_segment *out)
{
	struct blkfront_info *info = ring->info;
	domid_t domid = info->xdev->otherend_id;
	struct blkfront_seg *seg = &s->segs[k];
	unsigned int xoff = c->offset % XENPV_VBD_XEN_PAGE_SIZE;
	grant_ref_t ref;

	seg->page = c->page;
	seg->offset = c->offset;
	seg->len = c->len;
	seg->gnt = NULL;
	seg->gref = BLKFRONT_GREF_NONE;

	if (!info->bounce) {
		/* The backend only reads the data of a write. */
		ref = xenpv_gnttab_claim_ref(gref_head);
		xenpv_gnttab_grant_access_ref(ref, domid,
					      xenpv_page_to_gfn(c->page) +
					      c->offset / XENPV_VBD_XEN_PAGE_SIZE,
					      s->write);
		seg->gref = ref;
	} else {
		struct blkfront_gnt *gnt = blkfront_pool_get(ring);

		if (gnt->gref == BLKFRONT_GREF_NONE) {
			/* Persistent grants are always writable (blkif.h). */
			ref = xenpv_gnttab_claim_ref(gref_head);
			xenpv_gnttab_grant_access_ref(ref, domid,
						      xenpv_page_to_gfn(gnt->page),
						      !info->persistent && s->write);
			gnt->gref = ref;
			ring->pool_granted++;
		}
		if (!info->persistent) {
			/* Untrusted backend: it sees the payload, zeroes else. */
			u8 *p = page_address(gnt->page);

			memset(p, 0, xoff);
			memset(p + xoff + c->len, 0,
			       XENPV_VBD_XEN_PAGE_SIZE - xoff - c->len);
		}
		if (s->write)
			xenpv_blkfront_copy_page(gnt->page, xoff, c->page,
						 c->offset, c->len);
		seg->gnt = gnt;
		ref = gnt->gref;
	}

	out->gref = ref;
	out->first_sect = xoff >> XENPV_VBD_SECTOR_SHIFT;
	out->last_sect = (xoff + c->len - 1) >> XENPV_VBD_SECTOR_SHIFT;
}

/* Put chunks [start, end) of the request on the ring as one request. */
static void blkfront_emit_rw(struct blkfront_ring *ring, struct request *rq,
			     unsigned int start, unsigned int end,
			     sector_t sector, bool barrier,
			     grant_ref_t *gref_head)
{
	struct blkfront_info *info = ring->info;
	domid_t domid = info->xdev->otherend_id;
	unsigned int cnt = end - start, id, k;
	struct blkfront_shadow *s = blkfront_shadow_get(ring, &id);
	struct blkif_request *req;
	bool write = req_op(rq) == REQ_OP_WRITE;

	req = RING_GET_REQUEST(&ring->front, ring->front.req_prod_pvt);
	memset(req, 0, sizeof(*req));

	s->rq = rq;
	s->write = write;
	s->nr_segs = cnt;
	s->nr_ind = 0;
	s->in_flight = true;

	if (cnt > BLKIF_MAX_SEGMENTS_PER_REQUEST) {
		struct blkif_request_segment *isegs = NULL;

		s->op = BLKIF_OP_INDIRECT;
		s->inner_op = write ? BLKIF_OP_WRITE : BLKIF_OP_READ;
		s->nr_ind = xenpv_blkfront_indirect_pages(cnt);
		for (k = 0; k < cnt; k++) {
			unsigned int pg = k / XENPV_BLKFRONT_SEGS_PER_INDIRECT;

			if (k % XENPV_BLKFRONT_SEGS_PER_INDIRECT == 0)
				isegs = page_address(s->ind_page[pg]);
			blkfront_fill_seg(ring, s, k, &ring->chunks[start + k],
					  gref_head,
					  &isegs[k % XENPV_BLKFRONT_SEGS_PER_INDIRECT]);
		}
		for (k = 0; k < s->nr_ind; k++) {
			if (!info->persistent) {
				grant_ref_t ref = xenpv_gnttab_claim_ref(gref_head);

				xenpv_gnttab_grant_access_ref(ref, domid,
							      xenpv_page_to_gfn(s->ind_page[k]),
							      true);
				s->ind_gref[k] = ref;
			}
			req->u.indirect.indirect_grefs[k] = s->ind_gref[k];
		}
		req->operation = BLKIF_OP_INDIRECT;
		req->u.indirect.indirect_op = s->inner_op;
		req->u.indirect.nr_segments = cnt;
		req->u.indirect.id = id;
		req->u.indirect.sector_number = sector;
		req->u.indirect.handle = info->handle;
	} else {
		if (barrier)
			s->op = BLKIF_OP_WRITE_BARRIER;
		else
			s->op = write ? BLKIF_OP_WRITE : BLKIF_OP_READ;
		s->inner_op = 0;
		for (k = 0; k < cnt; k++)
			blkfront_fill_seg(ring, s, k, &ring->chunks[start + k],
					  gref_head, &req->u.rw.seg[k]);
		req->operation = s->op;
		req->u.rw.nr_segments = cnt;
		req->u.rw.handle = info->handle;
		req->u.rw.id = id;
		req->u.rw.sector_number = sector;
	}
	ring->front.req_prod_pvt++;
}

static blk_status_t blkfront_submit_rw(struct blkfront_ring *ring,
				       struct blk_mq_hw_ctx *hctx,
				       struct request *rq)
{
	struct blkfront_info *info = ring->info;
	struct blkfront_req *br = blkfront_req(rq);
	bool write = req_op(rq) == REQ_OP_WRITE;
	unsigned int parts, need = 0, start, p, i;
	grant_ref_t gref_head = 0;
	bool fua, barrier;
	sector_t sector;
	int n, ret;

	if (write && (info->vdisk_info & VDISK_READONLY)) {
		pr_err_ratelimited("%s: write to a read-only disk refused\n",
				   info->id.name);
		return BLK_STS_IOERR;
	}

	n = blkfront_map_chunks(ring, rq);
	if (n <= 0) {
		pr_err_ratelimited("%s: cannot map request data (%d)\n",
				   info->id.name, n);
		return BLK_STS_IOERR;
	}
	for (i = 0; i < n; i++)
		ring->lens[i] = ring->chunks[i].len;

	ret = xenpv_blkfront_split(ring->lens, n, info->max_segs,
				   info->sector_size, ring->ends,
				   ring->max_chunks);
	if (ret <= 0 || ret > ring->nr_shadow) {
		pr_err_ratelimited("%s: cannot fit a request of %d segments into the ring (%d)\n",
				   info->id.name, n, ret);
		return BLK_STS_IOERR;
	}
	parts = ret;

	fua = write && (rq->cmd_flags & REQ_FUA);
	barrier = fua && READ_ONCE(info->feature_fua) && parts == 1 &&
		  n <= BLKIF_MAX_SEGMENTS_PER_REQUEST;

	if (ring->nr_free < parts || RING_FREE_REQUESTS(&ring->front) < parts)
		return blkfront_busy(ring, hctx);

	/* Grant references this request needs, allocated in one batch. */
	if (info->bounce) {
		unsigned int granted;

		if (ring->pool_free < n)
			return blkfront_busy(ring, hctx);
		granted = ring->pool_free_granted;
		need = n > granted ? n - granted : 0;
	} else {
		need = n;
	}
	if (!info->persistent) {
		start = 0;
		for (p = 0; p < parts; p++) {
			need += xenpv_blkfront_indirect_pages(ring->ends[p] - start);
			start = ring->ends[p];
		}
	}
	if (need && xenpv_gnttab_alloc_refs(need, &gref_head) < 0) {
		blk_mq_stop_hw_queue(hctx);
		xenpv_gnttab_request_free_callback(&ring->gnt_cb,
						   blkfront_gnt_callback, ring,
						   need);
		ring->st_busy++;
		return BLK_STS_DEV_RESOURCE;
	}

	sector = blk_rq_pos(rq);
	start = 0;
	for (p = 0; p < parts; p++) {
		unsigned int end = ring->ends[p];
		u64 bytes = 0;

		blkfront_emit_rw(ring, rq, start, end, sector, barrier,
				 &gref_head);
		for (i = start; i < end; i++)
			bytes += ring->lens[i];
		sector += bytes >> XENPV_VBD_SECTOR_SHIFT;
		start = end;
	}
	if (need)
		xenpv_gnttab_free_refs(gref_head);

	br->parts_left = parts;
	br->post_flush = fua && !barrier && READ_ONCE(info->feature_flush);
	ring->st_requests++;
	ring->st_ring_reqs += parts;
	if (parts > 1)
		ring->st_split++;
	blkfront_push(ring);
	return BLK_STS_OK;
}

/* A request without data: cache flush or discard. */
static blk_status_t blkfront_submit_nodata(struct blkfront_ring *ring,
					   struct blk_mq_hw_ctx *hctx,
					   struct request *rq, u8 op)
{
	struct blkfront_info *info = ring->info;
	struct blkif_request *req;
	struct blkfront_shadow *s;
	unsigned int id;

	if (!ring->nr_free || RING_FULL(&ring->front))
		return blkfront_busy(ring, hctx);

	s = blkfront_shadow_get(ring, &id);
	s->rq = rq;
	s->op = op;
	s->inner_op = 0;
	s->nr_segs = 0;
	s->nr_ind = 0;
	s->write = true;
	s->in_flight = true;

	req = RING_GET_REQUEST(&ring->front, ring->front.req_prod_pvt);
	memset(req, 0, sizeof(*req));
	req->operation = op;
	if (op == BLKIF_OP_DISCARD) {
		bool secure = req_op(rq) == REQ_OP_SECURE_ERASE;

		req->u.discard.flag = secure ? BLKIF_DISCARD_SECURE : 0;
		req->u.discard.id = id;
		req->u.discard.sector_number = blk_rq_pos(rq);
		req->u.discard.nr_sectors = blk_rq_sectors(rq);
	} else {
		req->u.rw.nr_segments = 0;
		req->u.rw.handle = info->handle;
		req->u.rw.id = id;
		req->u.rw.sector_number = 0;
	}
	ring->front.req_prod_pvt++;

	blkfront_req(rq)->parts_left = 1;
	ring->st_requests++;
	ring->st_ring_reqs++;
	blkfront_push(ring);
	return BLK_STS_OK;
}

/*
 * Submit @rq on @ring (lock held, device connected).  *@done_ok asks the
 * caller to complete the request successfully after dropping the lock
 * (a flush with no cache to flush).
 */
static blk_status_t blkfront_submit(struct blkfront_ring *ring,
				    struct blk_mq_hw_ctx *hctx,
				    struct request *rq, bool *done_ok)
{
	struct blkfront_info *info = ring->info;
	struct blkfront_req *br = blkfront_req(rq);
	bool secure;

	if (br->stage == BLKFRONT_STAGE_NEW) {
		br->stage = BLKFRONT_STAGE_DATA;
		br->status = BLK_STS_OK;
		br->post_flush = false;
	}

	if (br->stage == BLKFRONT_STAGE_FLUSH || req_op(rq) == REQ_OP_FLUSH) {
		if (!READ_ONCE(info->feature_flush)) {
			*done_ok = true;
			return BLK_STS_OK;
		}
		return blkfront_submit_nodata(ring, hctx, rq,
					      READ_ONCE(info->flush_op));
	}

	switch (req_op(rq)) {
	case REQ_OP_READ:
	case REQ_OP_WRITE:
		return blkfront_submit_rw(ring, hctx, rq);
	case REQ_OP_DISCARD:
	case REQ_OP_SECURE_ERASE:
		secure = req_op(rq) == REQ_OP_SECURE_ERASE;
		if (info->vdisk_info & VDISK_READONLY)
			return BLK_STS_IOERR;
		if (!READ_ONCE(info->feature_discard) ||
		    (secure && !READ_ONCE(info->feature_secdiscard)))
			return BLK_STS_NOTSUPP;
		return blkfront_submit_nodata(ring, hctx, rq, BLKIF_OP_DISCARD);
	default:
		return BLK_STS_NOTSUPP;
	}
}

static blk_status_t blkfront_queue_rq(struct blk_mq_hw_ctx *hctx,
				      const struct blk_mq_queue_data *bd)
{
	struct blkfront_info *info = hctx->queue->queuedata;
	struct request *rq = bd->rq;
	struct blkfront_ring *ring;
	unsigned int nr_rings;
	bool done_ok = false;
	unsigned long flags;
	blk_status_t ret;

	blk_mq_start_request(rq);

	/* nr_rings only changes while the queue is quiesced. */
	nr_rings = READ_ONCE(info->nr_rings);
	if (!nr_rings || nr_rings > info->nr_rings_alloc)
		nr_rings = 1;
	ring = &info->rings[hctx->queue_num % nr_rings];

	spin_lock_irqsave(&ring->lock, flags);
	switch (READ_ONCE(info->state)) {
	case BLKFRONT_CONNECTED:
		ret = blkfront_submit(ring, hctx, rq, &done_ok);
		break;
	case BLKFRONT_ERROR:
	case BLKFRONT_CLOSED:
		ret = BLK_STS_IOERR;
		break;
	default:
		/* Reconnecting: the connect path restarts the queues. */
		ret = blkfront_busy(ring, hctx);
		break;
	}
	spin_unlock_irqrestore(&ring->lock, flags);

	if (done_ok) {
		blkfront_req_reset(blkfront_req(rq));
		blk_mq_end_request(rq, BLK_STS_OK);
		return BLK_STS_OK;
	}
	if (ret != BLK_STS_OK && ret != BLK_STS_DEV_RESOURCE)
		blkfront_req_reset(blkfront_req(rq));
	return ret;
}

/*
 * blk-mq timeout: a backend may be slow, and an answer may still come, so
 * the request stays ours (the grants are live); report it.  Teardown
 * (backend closing, device removal) fails whatever is still stuck.
 */
static enum blk_eh_timer_return blkfront_timeout(struct request *rq
						 XENPV_BLKFRONT_TIMEOUT_ARGS)
{
	struct blkfront_info *info = rq->q->queuedata;

	atomic_long_inc(&info->st_timeouts);
	pr_warn_ratelimited("%s: backend has not answered a request for %u s\n",
			    info->id.name, rq->timeout / HZ);
	return BLK_EH_RESET_TIMER;
}

static void blkfront_complete_rq(struct request *rq)
{
	struct blkfront_req *br = blkfront_req(rq);
	blk_status_t status = br->status;

	blkfront_req_reset(br);
	blk_mq_end_request(rq, status);
}

const struct blk_mq_ops xenpv_blkfront_mq_ops = {
	.queue_rq = blkfront_queue_rq,
	.complete = blkfront_complete_rq,
	.timeout = blkfront_timeout,
};

/* ---- ring lifetime ---------------------------------------------------- */

/* Probe time: locks, lists and the per-request scratch space. */
int xenpv_blkfront_ring_init(struct blkfront_ring *ring,
			     struct blkfront_info *info, unsigned int index)
{
	unsigned int max = max_t(unsigned int, BLKIF_MAX_SEGMENTS_PER_REQUEST,
				 xenpv_blkfront_max_indirect_param);

	ring->info = info;
	ring->index = index;
	spin_lock_init(&ring->lock);
	INIT_LIST_HEAD(&ring->pool);
	INIT_WORK(&ring->restart_work, blkfront_restart_work);

	ring->max_chunks = max * BLKFRONT_XEN_PFN_PER_PAGE;
	ring->chunks = kcalloc(ring->max_chunks, sizeof(*ring->chunks),
			       GFP_KERNEL);
	ring->lens = kcalloc(ring->max_chunks, sizeof(*ring->lens), GFP_KERNEL);
	ring->ends = kcalloc(ring->max_chunks, sizeof(*ring->ends), GFP_KERNEL);
	if (!ring->chunks || !ring->lens || !ring->ends) {
		xenpv_blkfront_ring_destroy(ring);
		return -ENOMEM;
	}
	return 0;
}

/* Device removal, after xenpv_blkfront_ring_release(). */
void xenpv_blkfront_ring_destroy(struct blkfront_ring *ring)
{
	if (!ring->info)
		return;		/* never initialised */
	cancel_work_sync(&ring->restart_work);
	kfree(ring->chunks);
	kfree(ring->lens);
	kfree(ring->ends);
	ring->chunks = NULL;
	ring->lens = NULL;
	ring->ends = NULL;
}

/**
 * xenpv_blkfront_ring_transport() - shared ring and event channel
 * @ring: the ring (no transport yet)
 * @order: log2 of the ring pages
 *
 * Part of talk_to_blkback: grants 2^@order zeroed pages, allocates an
 * unbound port and binds it with late EOI.  Undone by
 * xenpv_blkfront_ring_quiesce() and xenpv_blkfront_ring_release().
 *
 * Return: 0 or -errno (partial setup is left for the release).
 */
int xenpv_blkfront_ring_transport(struct blkfront_ring *ring,
				  unsigned int order)
{
	struct blkfront_info *info = ring->info;
	struct xenpv_device *dev = info->xdev;
	unsigned int nr_pages = 1U << order;
	struct blkif_sring *sring;
	int err, irq;

	err = xenpv_setup_ring(dev, GFP_NOIO | __GFP_HIGH, &ring->sring,
			       nr_pages, ring->ring_refs);
	if (err)
		return err;
	ring->ring_pages = nr_pages;
	sring = ring->sring;
	SHARED_RING_INIT(sring);
	FRONT_RING_INIT(&ring->front, sring, nr_pages * XENPV_VBD_XEN_PAGE_SIZE);

	err = xenpv_alloc_evtchn(dev, &ring->evtchn);
	if (err)
		return err;
	ring->evtchn_valid = true;

	snprintf(ring->irq_name, sizeof(ring->irq_name), "xenpv-blk-%s-%u",
		 info->id.name, ring->index);
	irq = xenpv_evtchn_bind_irq(ring->evtchn, xenpv_blkfront_interrupt, 0,
				    ring->irq_name, ring, XENPV_EVTCHN_LATEEOI);
	if (irq < 0)
		return irq;
	ring->irq = irq;
	return 0;
}

static void blkfront_free_shadows(struct blkfront_shadow *shadow,
				  unsigned int nr)
{
	unsigned int i, k;

	for (i = 0; i < nr; i++) {
		for (k = 0; k < BLKFRONT_MAX_IND_PAGES; k++) {
			struct page *page = shadow[i].ind_page[k];

			if (shadow[i].ind_gref[k] != BLKFRONT_GREF_NONE)
				xenpv_gnttab_end_access(shadow[i].ind_gref[k],
							page);
			else if (page)
				__free_page(page);
			shadow[i].ind_page[k] = NULL;
			shadow[i].ind_gref[k] = BLKFRONT_GREF_NONE;
		}
	}
}

/**
 * xenpv_blkfront_ring_connect() - per-connection resources of a ring
 * @ring: a ring with its transport set up
 *
 * Sized from the negotiated ring and segment limits: one shadow per ring
 * slot with its segment records and indirect pages (granted once when
 * persistent grants are in use), and the bounce pool in bounce mode.
 *
 * Return: 0 or -errno, with nothing allocated.
 */
int xenpv_blkfront_ring_connect(struct blkfront_ring *ring)
{
	struct blkfront_info *info = ring->info;
	domid_t domid = info->xdev->otherend_id;
	unsigned int maxs = info->max_segs, nr, nind, i, k, count;
	struct blkfront_shadow *shadow;
	struct blkfront_seg *segs;
	struct blkfront_gnt *gnt, *tmp;
	LIST_HEAD(pool);
	int err = -ENOMEM;

	if (!ring->ring_pages)
		return -ENODEV;
	nr = RING_SIZE(&ring->front);
	nind = info->max_indirect ? xenpv_blkfront_indirect_pages(maxs) : 0;

	shadow = kvcalloc(nr, sizeof(*shadow), GFP_NOIO);
	segs = kvcalloc((size_t)nr * maxs, sizeof(*segs), GFP_NOIO);
	if (!shadow || !segs)
		goto fail;

	for (i = 0; i < nr; i++) {
		struct blkfront_shadow *s = &shadow[i];

		s->segs = &segs[(size_t)i * maxs];
		s->next_free = i + 1;
		for (k = 0; k < BLKFRONT_MAX_IND_PAGES; k++)
			s->ind_gref[k] = BLKFRONT_GREF_NONE;
		for (k = 0; k < nind; k++) {
			s->ind_page[k] = alloc_page(GFP_NOIO | __GFP_ZERO);
			if (!s->ind_page[k])
				goto fail;
			if (info->persistent) {
				int ref = xenpv_gnttab_grant_access(domid,
						xenpv_page_to_gfn(s->ind_page[k]),
						false);

				if (ref < 0) {
					err = ref;
					goto fail;
				}
				s->ind_gref[k] = ref;
			}
		}
	}

	if (info->bounce) {
		count = min_t(unsigned int, nr * maxs, BLKFRONT_POOL_MAX);
		count = max(count, ring->max_chunks);
		for (i = 0; i < count; i++) {
			gnt = kzalloc(sizeof(*gnt), GFP_NOIO);
			if (!gnt)
				goto fail_pool;
			gnt->page = alloc_page(GFP_NOIO | __GFP_ZERO);
			if (!gnt->page) {
				kfree(gnt);
				goto fail_pool;
			}
			gnt->gref = BLKFRONT_GREF_NONE;
			list_add_tail(&gnt->node, &pool);
		}
	} else {
		count = 0;
	}

	spin_lock_irq(&ring->lock);
	ring->shadow = shadow;
	ring->seg_store = segs;
	ring->nr_shadow = nr;
	ring->free_head = 0;
	ring->nr_free = nr;
	list_splice_tail(&pool, &ring->pool);
	ring->pool_total = count;
	ring->pool_free = count;
	ring->pool_free_granted = 0;
	ring->pool_granted = 0;
	spin_unlock_irq(&ring->lock);
	return 0;

fail_pool:
	list_for_each_entry_safe(gnt, tmp, &pool, node) {
		__free_page(gnt->page);
		kfree(gnt);
	}
fail:
	if (shadow)
		blkfront_free_shadows(shadow, nr);
	kvfree(shadow);
	kvfree(segs);
	return err;
}

/*
 * Stop the ring's interrupt (synchronously) and any wait for grant
 * references.  Safe in every state and twice.
 */
void xenpv_blkfront_ring_quiesce(struct blkfront_ring *ring)
{
	struct blkfront_info *info = ring->info;

	if (ring->irq > 0) {
		/* Also closes the port. */
		xenpv_evtchn_unbind_irq(ring->irq, ring);
		ring->irq = 0;
		ring->evtchn_valid = false;
	} else if (ring->evtchn_valid) {
		xenpv_free_evtchn(info->xdev, ring->evtchn);
		ring->evtchn_valid = false;
	}
	xenpv_gnttab_cancel_free_callback(&ring->gnt_cb);
}

/*
 * With the interrupt stopped, consume responses the backend already
 * posted (backend closing), so requests it finished complete normally.
 */
unsigned int xenpv_blkfront_ring_drain(struct blkfront_ring *ring)
{
	const char *violation = NULL;
	unsigned int handled = 0;
	LIST_HEAD(done);

	spin_lock_irq(&ring->lock);
	if (ring->shadow && ring->ring_pages)
		handled = blkfront_process(ring, &done, &violation);
	spin_unlock_irq(&ring->lock);
	if (violation)
		pr_alert_ratelimited("%s: %s while closing (ring %u)\n",
				     ring->info->id.name, violation,
				     ring->index);
	blkfront_finish(ring->info, &done);
	return handled;
}

/**
 * xenpv_blkfront_ring_release() - tear a ring down to its probe state
 * @ring: the ring, quiesced (xenpv_blkfront_ring_quiesce())
 * @reqs: receives the block requests that were in flight, or NULL to fail
 *	them here
 *
 * Grants are revoked, or handed to the deferred revocation when the
 * backend still maps them; the ring pages likewise.  Safe in every
 * half-connected state and twice.
 *
 * Return: how many block requests were added to @reqs.
 */
unsigned int xenpv_blkfront_ring_release(struct blkfront_ring *ring,
					 struct list_head *reqs)
{
	struct blkfront_shadow *shadow;
	struct blkfront_seg *segs;
	unsigned int nr, taken = 0;
	LIST_HEAD(failed);

	xenpv_blkfront_ring_quiesce(ring);

	spin_lock_irq(&ring->lock);
	if (ring->shadow)
		taken = blkfront_collect_inflight(ring, reqs ? reqs : &failed);
	blkfront_pool_destroy(ring);
	shadow = ring->shadow;
	segs = ring->seg_store;
	nr = ring->nr_shadow;
	ring->shadow = NULL;
	ring->seg_store = NULL;
	ring->nr_shadow = 0;
	ring->nr_free = 0;
	ring->free_head = 0;
	spin_unlock_irq(&ring->lock);

	xenpv_blkfront_end_list(&failed, BLK_STS_IOERR);

	if (shadow)
		blkfront_free_shadows(shadow, nr);
	kvfree(shadow);
	kvfree(segs);

	if (ring->ring_pages) {
		xenpv_teardown_ring(&ring->sring, ring->ring_pages,
				    ring->ring_refs);
		ring->ring_pages = 0;
	}
	ring->sring = NULL;
	memset(&ring->front, 0, sizeof(ring->front));
	return reqs ? taken : 0;
}
