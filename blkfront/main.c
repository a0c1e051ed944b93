// SPDX-License-Identifier: GPL-2.0
/*
 * xenpv_blkfront: Xen virtual block device (vbd) frontend.
 *
 * Copyright (C) 2026 The xenpv authors
 *
 * Module parameters, and the xenbus side of a vbd: probe (reads only),
 * the backend state machine, talk_to_blkback (rings, event channels and
 * one xenstore transaction; reused on resume), connect (device properties
 * and features; first connect, resize, or recovery after resume), closing
 * and remove.  The data path is in ring.c, the block device in disk.c.
 */
#include <linux/blk-mq.h>
#include <linux/cpumask.h>
#include <linux/kernel.h>
#include <linux/major.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <xen/interface/io/protocols.h>

#include "blkfront.h"
#include "queue_compat.h"

static unsigned int blkfront_max_queues = 4;
module_param_named(max_queues, blkfront_max_queues, uint, 0444);
MODULE_PARM_DESC(max_queues,
		 "Most rings (blk-mq hardware queues) per disk, 1 or more; above the CPU count means the CPU count (default 4)");

static unsigned int blkfront_max_ring_order;
module_param_named(max_ring_page_order, blkfront_max_ring_order, uint, 0444);
MODULE_PARM_DESC(max_ring_page_order,
		 "Largest ring as log2 of 4 KiB pages, 0..4 (default 0: one page, 32 requests)");

unsigned int xenpv_blkfront_max_indirect_param = 256;
module_param_named(max_indirect_segments, xenpv_blkfront_max_indirect_param,
		   uint, 0444);
MODULE_PARM_DESC(max_indirect_segments,
		 "Most segments per request with indirect descriptors, 0..256 (256: 1 MiB requests); 11 or less disables them (default 256)");

static bool blkfront_feature_persistent = true;
module_param_named(feature_persistent, blkfront_feature_persistent, bool,
		   0644);
MODULE_PARM_DESC(feature_persistent,
		 "Offer persistent grants to backends; applies to later connections (default Y)");

bool xenpv_blkfront_trusted_param = true;
module_param_named(trusted, xenpv_blkfront_trusted_param, bool, 0644);
MODULE_PARM_DESC(trusted,
		 "Trust backends with direct access to I/O pages; N copies all data through zeroed bounce pages (default Y)");


const char *xenpv_blkfront_state_name(enum blkfront_state state)
{
	switch (state) {
	case BLKFRONT_DISCONNECTED:
		return "disconnected";
	case BLKFRONT_CONNECTED:
		return "connected";
	case BLKFRONT_SUSPENDED:
		return "suspended";
	case BLKFRONT_ERROR:
		return "error";
	case BLKFRONT_CLOSED:
		return "closed";
	}
	return "unknown";
}

/* ---- talk_to_blkback -------------------------------------------------- */

/* Remove the transport keys a previous connection left in our node. */
static void blkfront_unpublish(struct blkfront_info *info,
			       struct xenpv_xs_tx t)
{
	const char *node = info->xdev->nodename;
	unsigned int i, pages;
	char key[24];

	xenpv_xs_rm(t, node, "ring-ref");
	xenpv_xs_rm(t, node, "event-channel");
	xenpv_xs_rm(t, node, "ring-page-order");
	xenpv_xs_rm(t, node, "num-ring-pages");
	xenpv_xs_rm(t, node, "multi-queue-num-queues");
	if (info->published_order) {
		pages = 1U << info->published_order;
		for (i = 0; i < pages; i++) {
			snprintf(key, sizeof(key), "ring-ref%u", i);
			xenpv_xs_rm(t, node, key);
		}
	}
	if (info->published_rings > 1) {
		for (i = 0; i < info->published_rings; i++) {
			snprintf(key, sizeof(key), "queue-%u", i);
			xenpv_xs_rm(t, node, key);
		}
	}
}

/* ring-ref (or ring-ref%u) and event-channel of one ring under @prefix. */
static int blkfront_write_ring(struct blkfront_info *info,
			       struct xenpv_xs_tx t, struct blkfront_ring *ring,
			       const char *prefix)
{
	const char *node = info->xdev->nodename;
	unsigned int i;
	char key[40];
	int err;

	if (ring->ring_pages == 1) {
		snprintf(key, sizeof(key), "%sring-ref", prefix);
		err = xenpv_xs_printf(t, node, key, "%u", ring->ring_refs[0]);
		if (err)
			return err;
	} else {
		for (i = 0; i < ring->ring_pages; i++) {
			snprintf(key, sizeof(key), "%sring-ref%u", prefix, i);
			err = xenpv_xs_printf(t, node, key, "%u",
					      ring->ring_refs[i]);
			if (err)
				return err;
		}
	}
	snprintf(key, sizeof(key), "%sevent-channel", prefix);
	return xenpv_xs_printf(t, node, key, "%u", ring->evtchn);
}

/*
 * The frontend half of the handshake, inside transaction @t: both ring
 * size schemes for a multi-page ring, flat keys for one ring and only
 * queue-N/ keys for several, protocol, and our persistent grant setting.
 */
static int blkfront_publish(struct xenpv_xs_tx t, void *arg, const char **what)
{
	struct blkfront_info *info = arg;
	const char *node = info->xdev->nodename;
	unsigned int i;
	char prefix[sizeof("queue-4294967295/")];
	int err;

	blkfront_unpublish(info, t);

	if (info->ring_order) {
		*what = "writing ring-page-order";
		err = xenpv_xs_printf(t, node, "ring-page-order", "%u",
				      info->ring_order);
		if (err)
			return err;
		*what = "writing num-ring-pages";
		err = xenpv_xs_printf(t, node, "num-ring-pages", "%u",
				      1U << info->ring_order);
		if (err)
			return err;
	}

	*what = "writing ring references and event channels";
	if (info->nr_rings == 1) {
		err = blkfront_write_ring(info, t, &info->rings[0], "");
		if (err)
			return err;
	} else {
		err = xenpv_xs_printf(t, node, "multi-queue-num-queues", "%u",
				      info->nr_rings);
		if (err)
			return err;
		for (i = 0; i < info->nr_rings; i++) {
			snprintf(prefix, sizeof(prefix), "queue-%u/", i);
			err = blkfront_write_ring(info, t, &info->rings[i],
						  prefix);
			if (err)
				return err;
		}
	}

	*what = "writing protocol";
	err = xenpv_xs_write(t, node, "protocol", XEN_IO_PROTO_ABI_NATIVE);
	if (err)
		return err;
	*what = "writing feature-persistent";
	return xenpv_xs_printf(t, node, "feature-persistent", "%u",
			       info->persistent_local ? 1 : 0);
}

/*
 * talk_to_blkback: read the backend's transport limits, set up the rings,
 * publish them in one transaction and go Initialised.  Runs on backend
 * InitWait, on Connected when InitWait was skipped, and from resume.
 * Returns 0, or -errno after xenpv_dev_fatal() with all rings released.
 */
static int blkfront_talk(struct blkfront_info *info)
{
	struct xenpv_device *dev = info->xdev;
	const char *be = dev->otherend;
	bool has_mq, has_order, has_pages;
	unsigned int v, i;
	const char *what = "setting up rings";
	int err;

	has_mq = !xenpv_xs_read_uint(be, "multi-queue-max-queues", 0,
				     UINT_MAX, &v);
	info->be.max_queues = has_mq ? v : 0;
	has_order = !xenpv_xs_read_uint(be, "max-ring-page-order", 0,
					UINT_MAX, &v);
	info->be.max_ring_order = has_order ? v : 0;
	has_pages = !xenpv_xs_read_uint(be, "max-ring-pages", 0, UINT_MAX, &v);
	info->be.max_ring_pages = has_pages ? v : 0;

	info->nr_rings = xenpv_blkfront_nr_queues(has_mq, info->be.max_queues,
						  info->nr_rings_alloc,
						  nr_cpu_ids);
	/* After resume the disk keeps its hardware queues; rings may not grow. */
	if (info->tag_set_ready)
		info->nr_rings = min(info->nr_rings, info->tag_set.nr_hw_queues);
	info->ring_order = xenpv_blkfront_ring_order(has_order,
						     info->be.max_ring_order,
						     has_pages,
						     info->be.max_ring_pages,
						     blkfront_max_ring_order);

	/* What we advertise is what we use: cache the settings now. */
	info->persistent_local = READ_ONCE(blkfront_feature_persistent);
	info->trusted = READ_ONCE(xenpv_blkfront_trusted_param) &&
			xenpv_xs_read_unsigned(dev->nodename, "trusted", 1);

	for (i = 0; i < info->nr_rings; i++) {
		err = xenpv_blkfront_ring_transport(&info->rings[i],
						    info->ring_order);
		if (err)
			goto fail;
	}

	err = xenpv_xs_transact(blkfront_publish, info, &what);
	if (err)
		goto fail;
	info->published_rings = info->nr_rings;
	info->published_order = info->ring_order;

	err = xenpv_switch_state(dev, XenbusStateInitialised);
	if (err) {
		what = "switching to Initialised";
		goto fail;
	}
	return 0;

fail:
	for (i = 0; i < info->nr_rings_alloc; i++)
		xenpv_blkfront_ring_release(&info->rings[i], NULL);
	xenpv_dev_fatal(dev, err, "%s", what);
	return err;
}

/* ---- connect ---------------------------------------------------------- */

/*
 * sectors, info and sector-size (required) and physical-sector-size.
 * On a recovery the sector sizes of the live disk are kept.
 */
static int blkfront_read_props(struct blkfront_info *info, bool recover,
			       const char **what)
{
	struct xenpv_device *dev = info->xdev;
	const char *be = dev->otherend;
	unsigned int vinfo, ss, pss_raw, pss;
	bool has_pss;
	u64 sectors, cap;
	int err;

	*what = "reading sectors";
	err = xenpv_xs_read_u64(be, "sectors", 0, U64_MAX, &sectors);
	if (err)
		return err;
	*what = "reading info";
	err = xenpv_xs_read_uint(be, "info", 0, UINT_MAX, &vinfo);
	if (err)
		return err;
	*what = "reading sector-size";
	err = xenpv_xs_read_uint(be, "sector-size", 0, UINT_MAX, &ss);
	if (err)
		return err;
	*what = "checking sector-size";
	if (xenpv_blkfront_check_sector_size(ss, PAGE_SIZE)) {
		dev_err(dev->dev,
			"%s: backend sector-size %u is not usable: it must be a power of two from 512 to %lu\n",
			info->id.name, ss, PAGE_SIZE);
		return -EINVAL;
	}
	has_pss = !xenpv_xs_read_uint(be, "physical-sector-size", 0, UINT_MAX,
				      &pss_raw);
	pss = xenpv_blkfront_phys_sector_size(has_pss, pss_raw, ss);
	if (has_pss && pss != pss_raw)
		dev_warn(dev->dev,
			 "%s: ignoring physical-sector-size %u (sector-size %u)\n",
			 info->id.name, pss_raw, ss);

	if (recover && ss != info->sector_size) {
		dev_warn(dev->dev,
			 "%s: sector-size changed from %u to %u across the migration; keeping %u\n",
			 info->id.name, info->sector_size, ss,
			 info->sector_size);
		ss = info->sector_size;
		pss = info->physical_sector_size;
	}

	*what = "checking sectors";
	err = xenpv_blkfront_capacity(sectors, ss, &cap);
	if (err < 0) {
		dev_err(dev->dev, "%s: backend size of %llu sectors is too large\n",
			info->id.name, sectors);
		return err;
	}
	if (err)
		dev_warn(dev->dev,
			 "%s: size %llu sectors is not a multiple of the sector size; using %llu\n",
			 info->id.name, sectors, cap);

	if (recover && info->gd && cap != info->sectors)
		xenpv_blkfront_set_capacity(info->gd, cap);
	if (recover && info->gd &&
	    (vinfo & VDISK_READONLY) != (info->vdisk_info & VDISK_READONLY))
		set_disk_ro(info->gd, !!(vinfo & VDISK_READONLY));
	info->sectors = cap;
	info->vdisk_info = vinfo;
	info->sector_size = ss;
	info->physical_sector_size = pss;
	return 0;
}

/* All feature-* keys, in one place; clamped to our own limits. */
static void blkfront_gather_features(struct blkfront_info *info)
{
	const char *be = info->xdev->otherend;
	bool has_ind, has_gran, has_align;
	unsigned int v = 0;
	u32 gran = 0, align = 0;

	info->be.flush = xenpv_xs_read_unsigned(be, "feature-flush-cache", 0);
	info->be.barrier = xenpv_xs_read_unsigned(be, "feature-barrier", 0);
	if (info->be.flush) {
		WRITE_ONCE(info->flush_op, BLKIF_OP_FLUSH_DISKCACHE);
		WRITE_ONCE(info->feature_fua, false);
		WRITE_ONCE(info->feature_flush, true);
	} else if (info->be.barrier) {
		/* A barrier is flush + write + FUA: it serves both. */
		WRITE_ONCE(info->flush_op, BLKIF_OP_WRITE_BARRIER);
		WRITE_ONCE(info->feature_fua, true);
		WRITE_ONCE(info->feature_flush, true);
	} else {
		WRITE_ONCE(info->feature_fua, false);
		WRITE_ONCE(info->feature_flush, false);
	}

	info->be.discard = xenpv_xs_read_unsigned(be, "feature-discard", 0);
	info->be.secure_discard = info->be.discard &&
		xenpv_xs_read_unsigned(be, "discard-secure", 0);
	if (info->be.discard) {
		has_gran = !xenpv_xs_read_uint(be, "discard-granularity", 0,
					       UINT_MAX, &gran);
		has_align = !xenpv_xs_read_uint(be, "discard-alignment", 0,
						UINT_MAX, &align);
		xenpv_blkfront_discard_params(info->sector_size, has_gran, gran,
					      has_align, align,
					      &info->discard_granularity,
					      &info->discard_alignment);
	}
	WRITE_ONCE(info->feature_discard, info->be.discard);
	WRITE_ONCE(info->feature_secdiscard, info->be.secure_discard);

	info->be.persistent = xenpv_xs_read_unsigned(be, "feature-persistent",
						     0);
	info->persistent = info->persistent_local && info->be.persistent;

	has_ind = !xenpv_xs_read_uint(be, "feature-max-indirect-segments", 0,
				      UINT_MAX, &v);
	info->be.max_indirect = has_ind ? v : 0;
	info->max_indirect =
		xenpv_blkfront_indirect_segs(has_ind, v,
					     xenpv_blkfront_max_indirect_param);
	info->max_segs = xenpv_blkfront_max_segs(info->max_indirect);

	/* Persistent grants copy by design; an untrusted backend must too. */
	info->bounce = info->persistent || !info->trusted;
}

/* Backend Connected again while connected: the disk may have been resized. */
static void blkfront_resize(struct blkfront_info *info)
{
	struct xenpv_device *dev = info->xdev;
	u64 sectors, cap;
	int err;

	err = xenpv_xs_read_u64(dev->otherend, "sectors", 0, U64_MAX, &sectors);
	if (err) {
		dev_warn(dev->dev, "%s: cannot read the new size (%d)\n",
			 info->id.name, err);
		return;
	}
	if (xenpv_blkfront_capacity(sectors, info->sector_size, &cap) < 0) {
		dev_warn(dev->dev, "%s: new size of %llu sectors is too large\n",
			 info->id.name, sectors);
		return;
	}
	if (cap == info->sectors)
		return;
	dev_info(dev->dev, "%s: size changed from %llu to %llu sectors\n",
		 info->id.name, info->sectors, cap);
	WRITE_ONCE(info->sectors, cap);
	xenpv_blkfront_set_capacity(info->gd, cap);
}

/* State change with the queue quiesced, so no ->queue_rq sees it half-done. */
static void blkfront_go_connected(struct blkfront_info *info)
{
	struct request_queue *q = info->gd->queue;

	blk_mq_quiesce_queue(q);
	WRITE_ONCE(info->state, BLKFRONT_CONNECTED);
	blk_mq_unquiesce_queue(q);
	blk_mq_start_stopped_hw_queues(q, true);
	blk_mq_kick_requeue_list(q);
}

/*
 * Backend Connected: first connect (allocate and add the disk), resize
 * (already connected), or recovery after resume (new limits, same disk,
 * requests requeued at resume are sent again and split if they no longer
 * fit).
 */
static void blkfront_connect(struct blkfront_info *info)
{
	struct xenpv_device *dev = info->xdev;
	const char *what = "";
	bool recover;
	unsigned int i;
	int err;

	switch (info->state) {
	case BLKFRONT_CONNECTED:
		blkfront_resize(info);
		return;
	case BLKFRONT_ERROR:
	case BLKFRONT_CLOSED:
		return;
	case BLKFRONT_SUSPENDED:
		recover = true;
		break;
	case BLKFRONT_DISCONNECTED:
	default:
		recover = false;
		break;
	}
	if (!info->nr_rings || !info->rings[0].ring_pages)
		return;		/* talk_to_blkback failed: closing */

	err = blkfront_read_props(info, recover, &what);
	if (err)
		goto fatal;
	blkfront_gather_features(info);

	what = "allocating ring resources";
	for (i = 0; i < info->nr_rings; i++) {
		err = xenpv_blkfront_ring_connect(&info->rings[i]);
		if (err)
			goto fatal;
	}

	if (!recover) {
		what = "allocating the disk";
		err = xenpv_blkfront_disk_alloc(info);
		if (err)
			goto fatal;
	} else {
		err = xenpv_blkfront_apply_limits(info);
		if (err)
			dev_warn(dev->dev, "%s: updating queue limits failed (%d)\n",
				 info->id.name, err);
	}

	what = "switching to Connected";
	err = xenpv_switch_state(dev, XenbusStateConnected);
	if (err)
		goto fatal;
	blkfront_go_connected(info);

	if (!recover) {
		err = xenpv_blkfront_disk_add(info);
		if (err) {
			what = "adding the disk";
			goto fatal;
		}
	}
	if (info->persistent)
		schedule_delayed_work(&info->reclaim_work,
				      msecs_to_jiffies(BLKFRONT_RECLAIM_MS));

	dev_info(dev->dev,
		 "%s: %s%llu sectors of %u bytes, %u ring(s) of %u page(s), %u segments%s, flush %s%s%s%s%s\n",
		 info->id.name, recover ? "reconnected: " : "",
		 info->sectors, info->sector_size, info->nr_rings,
		 1U << info->ring_order, info->max_segs,
		 info->max_indirect ? " (indirect)" : "",
		 !info->feature_flush ? "none" :
		 info->flush_op == BLKIF_OP_WRITE_BARRIER ? "barrier" : "cache",
		 info->feature_discard ? ", discard" : "",
		 info->persistent ? ", persistent grants" : "",
		 info->bounce ? ", bounce buffers" : "",
		 info->vdisk_info & VDISK_READONLY ? ", read-only" : "");
	return;

fatal:
	xenpv_dev_fatal(dev, err, "%s", what);
}

/* ---- teardown --------------------------------------------------------- */

/*
 * Stop I/O for good (backend closing, device removal): queue quiesced,
 * interrupts unbound, responses already posted consumed when @drain,
 * everything else in flight failed, rings released, disk marked dead.
 * Requests arriving later fail at once.  No wait on the backend.
 */
static void blkfront_shutdown(struct blkfront_info *info, bool drain)
{
	struct request_queue *q = info->gd ? info->gd->queue : NULL;
	unsigned int i;
	LIST_HEAD(reqs);

	if (q)
		blk_mq_quiesce_queue(q);
	WRITE_ONCE(info->state, BLKFRONT_CLOSED);
	for (i = 0; i < info->nr_rings_alloc; i++)
		xenpv_blkfront_ring_quiesce(&info->rings[i]);
	for (i = 0; drain && i < info->nr_rings_alloc; i++)
		xenpv_blkfront_ring_drain(&info->rings[i]);
	for (i = 0; i < info->nr_rings_alloc; i++)
		xenpv_blkfront_ring_release(&info->rings[i], &reqs);
	if (info->disk_added)
		xenpv_blkfront_mark_dead(info->gd);
	if (q) {
		blk_mq_unquiesce_queue(q);
		blk_mq_start_stopped_hw_queues(q, true);
		blk_mq_kick_requeue_list(q);
	}
	xenpv_blkfront_end_list(&reqs, BLK_STS_IOERR);
}

/* Backend Closing or Closed: the vbd is going away (hot-unplug). */
static void blkfront_closing(struct blkfront_info *info)
{
	struct xenpv_device *dev = info->xdev;

	if (info->state != BLKFRONT_CLOSED) {
		dev_info(dev->dev, "%s: backend is closing\n", info->id.name);
		blkfront_shutdown(info, info->state == BLKFRONT_CONNECTED);
	}
	if (dev->state != XenbusStateClosed)
		xenpv_frontend_closed(dev);
}

/* ---- bus callbacks ---------------------------------------------------- */

static void blkfront_otherend_changed(struct xenpv_device *dev,
				      enum xenbus_state backend_state)
{
	struct blkfront_info *info = xenpv_get_drvdata(dev);

	if (!info)
		return;
	mutex_lock(&info->mutex);
	switch (backend_state) {
	case XenbusStateInitWait:
		if (dev->state != XenbusStateInitialising ||
		    info->state == BLKFRONT_CLOSED)
			break;
		blkfront_talk(info);
		break;
	case XenbusStateConnected:
		if (info->state == BLKFRONT_CLOSED)
			break;
		/* A backend may skip InitWait: do its work now. */
		if (dev->state == XenbusStateInitialising &&
		    blkfront_talk(info))
			break;
		if (dev->state != XenbusStateInitialised &&
		    dev->state != XenbusStateConnected)
			break;
		blkfront_connect(info);
		break;
	case XenbusStateClosed:
		if (dev->state == XenbusStateClosed)
			break;
		fallthrough;
	case XenbusStateClosing:
		blkfront_closing(info);
		break;
	case XenbusStateUnknown:
	case XenbusStateInitialising:
	case XenbusStateInitialised:
	case XenbusStateReconfiguring:
	case XenbusStateReconfigured:
	default:
		break;
	}
	mutex_unlock(&info->mutex);
}

/*
 * After a migration or restore: the old backend and its rings are gone.
 * Requests in flight are taken back and requeued (sent again after the
 * reconnect, split if the new backend takes fewer segments); the gendisk
 * and its queues stay.  Then talk to the new backend.
 */
static int blkfront_resume(struct xenpv_device *dev)
{
	struct blkfront_info *info = xenpv_get_drvdata(dev);
	struct request_queue *q;
	unsigned int i;
	LIST_HEAD(reqs);
	int err;

	if (!info)
		return 0;
	mutex_lock(&info->mutex);
	if (info->state == BLKFRONT_CLOSED) {
		mutex_unlock(&info->mutex);
		return 0;
	}
	q = info->gd ? info->gd->queue : NULL;
	if (q) {
		blk_mq_quiesce_queue(q);
		blk_mq_stop_hw_queues(q);
	}
	WRITE_ONCE(info->state, info->gd ? BLKFRONT_SUSPENDED :
					   BLKFRONT_DISCONNECTED);
	for (i = 0; i < info->nr_rings_alloc; i++)
		/* Released: nothing else writes its counters now. */
		info->rings[i].st_requeued +=
			xenpv_blkfront_ring_release(&info->rings[i], &reqs);
	if (q)
		blk_mq_unquiesce_queue(q);
	xenpv_blkfront_requeue_list(&reqs);

	err = blkfront_talk(info);
	mutex_unlock(&info->mutex);
	return err;
}

static void blkfront_free_info(struct blkfront_info *info)
{
	unsigned int i;

	for (i = 0; info->rings && i < info->nr_rings_alloc; i++)
		xenpv_blkfront_ring_destroy(&info->rings[i]);
	kfree(info->rings);
	kfree(info);
}

static void blkfront_remove(struct xenpv_device *dev)
{
	struct blkfront_info *info = xenpv_get_drvdata(dev);

	if (!info)
		return;

	mutex_lock(&info->mutex);
	if (info->state != BLKFRONT_CLOSED)
		blkfront_shutdown(info, false);
	mutex_unlock(&info->mutex);

	cancel_work_sync(&info->limits_work);
	cancel_work_sync(&info->error_work);
	cancel_delayed_work_sync(&info->reclaim_work);

	xenpv_blkfront_disk_free(info);
	xenpv_blkfront_stuck_release(info);
	xenpv_blkfront_minors_release(info);
	xenpv_set_drvdata(dev, NULL);
	blkfront_free_info(info);
}

/* Layout a previous frontend instance left in our node (kexec, reload). */
static void blkfront_read_published(struct blkfront_info *info)
{
	const char *node = info->xdev->nodename;
	unsigned int v;

	info->published_rings = 1;
	if (!xenpv_xs_read_uint(node, "multi-queue-num-queues", 1, 1024, &v))
		info->published_rings = v;
	info->published_order = 0;
	if (!xenpv_xs_read_uint(node, "ring-page-order", 0, UINT_MAX, &v))
		info->published_order = min_t(unsigned int, v,
					      XENPV_BLKFRONT_MAX_RING_ORDER);
}

/* Probe reads and checks only; rings are set up when the backend is ready. */
static int blkfront_probe(struct xenpv_device *dev,
			  const struct xenpv_device_id *id)
{
	struct blkfront_info *info;
	struct xenpv_vbd_id vid;
	const char *base;
	unsigned int v, i;
	bool cdrom = false;
	char *type;
	int err;

	err = xenpv_xs_read_uint(dev->nodename, "virtual-device", 0, UINT_MAX,
				 &v);
	if (err == -ENOENT)
		err = xenpv_xs_read_uint(dev->nodename, "virtual-device-ext", 0,
					 UINT_MAX, &v);
	if (err) {
		xenpv_dev_fatal(dev, err, "reading virtual-device");
		return err;
	}

	err = xenpv_vbd_decode(v, &vid);
	if (err == -EINVAL) {
		dev_info(dev->dev,
			 "ignoring vbd %u: unsupported device number, use an xvd device\n",
			 v);
		return -ENODEV;
	}
	if (err) {
		dev_warn(dev->dev, "ignoring vbd %u: beyond the device numbers Linux can give it\n",
			 v);
		return -ENODEV;
	}

	if (xenpv_emulated_disks_present() && vid.src_major != XENVBD_MAJOR) {
		dev_info(dev->dev,
			 "ignoring vbd %u (%s): emulated disks were not unplugged, it would appear twice\n",
			 v, vid.name);
		return -ENODEV;
	}

	type = xenpv_xs_read(XENPV_XS_NIL, dev->nodename, "device-type", NULL);
	if (!IS_ERR(type)) {
		cdrom = !strcmp(type, "cdrom");
		kfree(type);
	}
	if (cdrom && xenpv_mode() == XENPV_MODE_NATIVE) {
		dev_info(dev->dev,
			 "ignoring vbd %u (%s): no PV CD-ROM in an HVM guest, the emulated drive serves it\n",
			 v, vid.name);
		return -ENODEV;
	}

	info = kzalloc(sizeof(*info), GFP_KERNEL);
	if (!info)
		return -ENOMEM;
	info->xdev = dev;
	info->vdevice = v;
	info->id = vid;
	info->state = BLKFRONT_DISCONNECTED;
	mutex_init(&info->mutex);
	INIT_LIST_HEAD(&info->node);
	spin_lock_init(&info->stuck_lock);
	INIT_LIST_HEAD(&info->stuck);
	INIT_WORK(&info->limits_work, xenpv_blkfront_limits_work);
	INIT_WORK(&info->error_work, xenpv_blkfront_error_work);
	INIT_DELAYED_WORK(&info->reclaim_work, xenpv_blkfront_reclaim_work);

	/* The handle is the node's last component (truncated like Linux's). */
	base = strrchr(dev->nodename, '/');
	if (!base || kstrtouint(base + 1, 10, &i))
		i = v;
	info->handle = (blkif_vdev_t)i;

	info->nr_rings_alloc = blkfront_max_queues;
	info->rings = kcalloc(info->nr_rings_alloc, sizeof(*info->rings),
			      GFP_KERNEL);
	if (!info->rings) {
		err = -ENOMEM;
		goto fail;
	}
	for (i = 0; i < info->nr_rings_alloc; i++) {
		err = xenpv_blkfront_ring_init(&info->rings[i], info, i);
		if (err)
			goto fail;
	}

	err = xenpv_blkfront_minors_claim(info);
	if (err) {
		dev_err(dev->dev, "vbd %u: minors %u..%u of %s are in use by another vbd\n",
			v, vid.minor, vid.minor + vid.nr_minors - 1, vid.name);
		goto fail;
	}
	blkfront_read_published(info);
	xenpv_set_drvdata(dev, info);
	dev_info(dev->dev, "vbd %u is %s (202:%u)\n", v, vid.name, vid.minor);
	return 0;

fail:
	blkfront_free_info(info);
	return err;
}

static const struct xenpv_device_id blkfront_ids[] = {
	{ "vbd" },
	{ "" },
};

static struct xenpv_driver blkfront_driver = {
	.name = "vbd",
	.ids = blkfront_ids,
	.probe = blkfront_probe,
	.otherend_changed = blkfront_otherend_changed,
	.remove = blkfront_remove,
	.resume = blkfront_resume,
};

static int __init blkfront_check_params(void)
{
	if (!blkfront_max_queues) {
		pr_err("max_queues=0 is invalid: it must be at least 1\n");
		return -EINVAL;
	}
	if (blkfront_max_queues > nr_cpu_ids) {
		pr_info("max_queues=%u is above the %u CPUs: using %u\n",
			blkfront_max_queues, nr_cpu_ids, nr_cpu_ids);
		blkfront_max_queues = nr_cpu_ids;
	}
	if (blkfront_max_ring_order > XENPV_BLKFRONT_MAX_RING_ORDER) {
		pr_err("max_ring_page_order=%u is invalid: it must be 0..%u\n",
		       blkfront_max_ring_order, XENPV_BLKFRONT_MAX_RING_ORDER);
		return -EINVAL;
	}
	if (xenpv_blkfront_max_indirect_param > XENPV_BLKFRONT_MAX_INDIRECT) {
		pr_err("max_indirect_segments=%u is invalid: it must be 0..%u\n",
		       xenpv_blkfront_max_indirect_param,
		       XENPV_BLKFRONT_MAX_INDIRECT);
		return -EINVAL;
	}
	return 0;
}

static int __init blkfront_init(void)
{
	int err;

	/* The request layout assumes whole grants per guest page. */
	BUILD_BUG_ON(PAGE_SIZE % XENPV_VBD_XEN_PAGE_SIZE);
	BUILD_BUG_ON(BLKFRONT_XEN_PFN_PER_PAGE > BLKIF_MAX_SEGMENTS_PER_REQUEST);
	BUILD_BUG_ON(BLKFRONT_MAX_IND_PAGES > BLKIF_MAX_INDIRECT_PAGES_PER_REQUEST);

	err = blkfront_check_params();
	if (err)
		return err;

	if (!xenpv_has_pv_disks()) {
		pr_info("PV disks are not available in this guest\n");
		return -ENODEV;
	}

	err = register_blkdev(XENVBD_MAJOR, "xvd");
	if (err) {
		if (err == -EBUSY)
			pr_err("block major %d (xvd) is in use, most likely by the in-tree xen_blkfront driver: unload it (modprobe -r xen_blkfront) or blacklist it (\"blacklist xen_blkfront\" in /etc/modprobe.d/) before loading %s\n",
			       XENVBD_MAJOR, KBUILD_MODNAME);
		else
			pr_err("cannot register block major %d (%d)\n",
			       XENVBD_MAJOR, err);
		return err;
	}

	err = xenpv_register_frontend(&blkfront_driver);
	if (err) {
		pr_err("cannot register the vbd frontend (%d)\n", err);
		unregister_blkdev(XENVBD_MAJOR, "xvd");
		return err;
	}
	pr_info("version %s, %s mode\n", XENPV_VERSION,
		xenpv_mode_name(xenpv_mode()));
	return 0;
}

static void __exit blkfront_exit(void)
{
	xenpv_unregister_frontend(&blkfront_driver);
	unregister_blkdev(XENVBD_MAJOR, "xvd");
}

module_init(blkfront_init);
module_exit(blkfront_exit);

MODULE_DESCRIPTION("Xen virtual block device frontend (xenpv)");
MODULE_LICENSE("GPL");
MODULE_AUTHOR("The xenpv authors");
MODULE_VERSION(XENPV_VERSION);
MODULE_ALIAS("xenpv:vbd");
