// SPDX-License-Identifier: GPL-2.0
/*
 * xenpv_blkfront block device: gendisk, tag set, queue limits, sysfs.
 *
 * Copyright (C) 2026 The xenpv authors
 *
 * One gendisk per vbd under major 202 with the in-tree driver's names and
 * minors (xvda = 202:0, 16 minors per disk, 256 for the extended
 * numbering), one blk-mq hardware queue per ring.  Negotiated features
 * and counters are in /sys/block/<disk>/xenpv/.
 */
#include <linux/blk-mq.h>
#include <linux/blkdev.h>
#include <linux/cdrom.h>
#include <linux/device.h>
#include <linux/hdreg.h>
#include <linux/major.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/sysfs.h>
#include <xen/interface/io/protocols.h>

#include "blkfront.h"
#include "queue_compat.h"

/* Every vbd, to keep their minor ranges apart. */
static LIST_HEAD(blkfront_devices);
static DEFINE_MUTEX(blkfront_devices_lock);

/*
 * Block device operations can run after the vbd is gone (an opener keeps
 * the gendisk), so they never look at driver state: private_data only
 * says whether the disk is a CD-ROM, by pointing at this marker.
 */
static int blkfront_cdrom_marker;

/* ---- minors ----------------------------------------------------------- */

int xenpv_blkfront_minors_claim(struct blkfront_info *info)
{
	unsigned int first = info->id.minor, end = first + info->id.nr_minors;
	struct blkfront_info *other;
	int err = 0;

	mutex_lock(&blkfront_devices_lock);
	list_for_each_entry(other, &blkfront_devices, node) {
		unsigned int ofirst = other->id.minor;
		unsigned int oend = ofirst + other->id.nr_minors;

		if (first < oend && ofirst < end) {
			err = -EBUSY;
			break;
		}
	}
	if (!err)
		list_add_tail(&info->node, &blkfront_devices);
	mutex_unlock(&blkfront_devices_lock);
	return err;
}

void xenpv_blkfront_minors_release(struct blkfront_info *info)
{
	mutex_lock(&blkfront_devices_lock);
	list_del_init(&info->node);
	mutex_unlock(&blkfront_devices_lock);
}

/* ---- block device operations ------------------------------------------ */

static int blkfront_getgeo(xenpv_blkfront_geo_t *bd, struct hd_geometry *geo)
{
	/* No real geometry: 255 heads, 63 sectors, as large as fits. */
	sector_t cyl = get_capacity(xenpv_blkfront_geo_disk(bd));

	geo->heads = 255;
	geo->sectors = 63;
	sector_div(cyl, 255 * 63);
	geo->cylinders = cyl > 0xffff ? 0xffff : (unsigned short)cyl;
	return 0;
}

static int blkfront_ioctl(struct block_device *bdev,
			  xenpv_blkfront_mode_t mode, unsigned int cmd,
			  unsigned long arg)
{
	/* udev's cdrom_id asks this to recognise a CD-ROM. */
	if (cmd == CDROM_GET_CAPABILITY &&
	    bdev->bd_disk->private_data == &blkfront_cdrom_marker)
		return 0;
	return -ENOTTY;
}

static const struct block_device_operations blkfront_fops = {
	.owner = THIS_MODULE,
	.getgeo = blkfront_getgeo,
	.ioctl = blkfront_ioctl,
};

/* ---- queue limits ----------------------------------------------------- */

static void blkfront_fill_limits(struct blkfront_info *info,
				 struct xenpv_blk_limits *xl,
				 unsigned int *max_secure_erase)
{
	bool discard = READ_ONCE(info->feature_discard);

	memset(xl, 0, sizeof(*xl));
	xl->logical_block_size = info->sector_size;
	xl->physical_block_size = info->physical_sector_size;
	/* Each block-layer segment lies within one page. */
	xl->max_segments = info->max_segs / BLKFRONT_XEN_PFN_PER_PAGE;
	xl->max_hw_sectors = xenpv_blkfront_max_hw_sectors(info->max_segs);
	xl->max_segment_size = PAGE_SIZE;
	xl->seg_boundary_mask = PAGE_SIZE - 1;
	if (discard) {
		xl->max_discard_sectors = UINT_MAX;
		xl->discard_granularity = info->discard_granularity;
		xl->discard_alignment = info->discard_alignment;
	}
	xl->write_cache = READ_ONCE(info->feature_flush);
	xl->fua = READ_ONCE(info->feature_fua);
	xl->rotational = false;
	*max_secure_erase = discard && READ_ONCE(info->feature_secdiscard) ?
			    UINT_MAX : 0;
}

int xenpv_blkfront_apply_limits(struct blkfront_info *info)
{
	struct xenpv_blk_limits xl;
	unsigned int secure;

	if (!info->gd)
		return 0;
	blkfront_fill_limits(info, &xl, &secure);
	return xenpv_blkfront_update_limits(info->gd, &xl, secure);
}

/* The backend revoked flush/FUA or discard: tell the block layer. */
void xenpv_blkfront_limits_work(struct work_struct *work)
{
	struct blkfront_info *info = container_of(work, struct blkfront_info,
						  limits_work);
	enum blkfront_state state;
	int err;

	mutex_lock(&info->mutex);
	state = READ_ONCE(info->state);
	if (state == BLKFRONT_CONNECTED || state == BLKFRONT_ERROR) {
		err = xenpv_blkfront_apply_limits(info);
		if (err)
			dev_warn(info->xdev->dev,
				 "%s: updating queue limits failed (%d)\n",
				 info->id.name, err);
	}
	mutex_unlock(&info->mutex);
}

/* ---- sysfs: /sys/block/<disk>/xenpv/ ---------------------------------- */

static struct blkfront_info *blkfront_dev_info(struct device *dev)
{
	return dev_to_disk(dev)->queue->queuedata;
}

#define BLKFRONT_ATTR(_name, _fmt, _expr)				\
static ssize_t blkfront_show_##_name(struct device *dev,		\
				     struct device_attribute *attr,	\
				     char *buf)				\
{									\
	struct blkfront_info *info = blkfront_dev_info(dev);		\
									\
	return sysfs_emit(buf, _fmt "\n", _expr);			\
}									\
static struct device_attribute blkfront_attr_##_name =			\
	__ATTR(_name, 0444, blkfront_show_##_name, NULL)

static unsigned long blkfront_sum(struct blkfront_info *info, size_t off)
{
	unsigned long sum = 0;
	unsigned int i;

	for (i = 0; i < info->nr_rings_alloc; i++)
		sum += READ_ONCE(*(unsigned long *)((char *)&info->rings[i] +
						    off));
	return sum;
}

static unsigned long blkfront_sum_uint(struct blkfront_info *info, size_t off)
{
	unsigned long sum = 0;
	unsigned int i;

	for (i = 0; i < info->nr_rings_alloc; i++)
		sum += READ_ONCE(*(unsigned int *)((char *)&info->rings[i] +
						   off));
	return sum;
}

#define BLKFRONT_COUNTER(_name, _field)					\
	BLKFRONT_ATTR(_name, "%lu",					\
		      blkfront_sum(info, offsetof(struct blkfront_ring, _field)))
#define BLKFRONT_GAUGE(_name, _field)					\
	BLKFRONT_ATTR(_name, "%lu",					\
		      blkfront_sum_uint(info,				\
					offsetof(struct blkfront_ring, _field)))

static const char *blkfront_flush_name(struct blkfront_info *info)
{
	if (!READ_ONCE(info->feature_flush))
		return "none";
	return READ_ONCE(info->flush_op) == BLKIF_OP_WRITE_BARRIER ?
		"barrier" : "flush-cache";
}

BLKFRONT_ATTR(state, "%s", xenpv_blkfront_state_name(READ_ONCE(info->state)));
BLKFRONT_ATTR(vdevice, "%u", info->vdevice);
BLKFRONT_ATTR(nr_queues, "%u", READ_ONCE(info->nr_rings));
BLKFRONT_ATTR(hw_queues, "%u", info->tag_set.nr_hw_queues);
BLKFRONT_ATTR(ring_page_order, "%u", READ_ONCE(info->ring_order));
BLKFRONT_ATTR(ring_pages, "%u", 1U << READ_ONCE(info->ring_order));
BLKFRONT_ATTR(max_indirect_segments, "%u", READ_ONCE(info->max_indirect));
BLKFRONT_ATTR(max_segments, "%u", READ_ONCE(info->max_segs));
BLKFRONT_ATTR(persistent_grants, "%d", READ_ONCE(info->persistent));
BLKFRONT_ATTR(bounce, "%d", READ_ONCE(info->bounce));
BLKFRONT_ATTR(trusted, "%d", READ_ONCE(info->trusted));
BLKFRONT_ATTR(flush, "%s", blkfront_flush_name(info));
BLKFRONT_ATTR(fua, "%d", READ_ONCE(info->feature_fua));
BLKFRONT_ATTR(discard, "%d", READ_ONCE(info->feature_discard));
BLKFRONT_ATTR(secure_discard, "%d", READ_ONCE(info->feature_secdiscard));
BLKFRONT_ATTR(discard_granularity, "%u", info->discard_granularity);
BLKFRONT_ATTR(discard_alignment, "%u", info->discard_alignment);
BLKFRONT_ATTR(logical_sector_size, "%u", info->sector_size);
BLKFRONT_ATTR(physical_sector_size, "%u", info->physical_sector_size);
BLKFRONT_ATTR(sectors, "%llu", (unsigned long long)READ_ONCE(info->sectors));
BLKFRONT_ATTR(read_only, "%d", !!(info->vdisk_info & VDISK_READONLY));
BLKFRONT_ATTR(removable, "%d", !!(info->vdisk_info & VDISK_REMOVABLE));
BLKFRONT_ATTR(cdrom, "%d", !!(info->vdisk_info & VDISK_CDROM));
static ssize_t blkfront_show_protocol(struct device *dev,
				      struct device_attribute *attr, char *buf)
{
	return sysfs_emit(buf, "%s\n", XEN_IO_PROTO_ABI_NATIVE);
}

static struct device_attribute blkfront_attr_protocol =
	__ATTR(protocol, 0444, blkfront_show_protocol, NULL);
BLKFRONT_ATTR(backend_max_queues, "%u", info->be.max_queues);
BLKFRONT_ATTR(backend_max_ring_page_order, "%u", info->be.max_ring_order);
BLKFRONT_ATTR(backend_max_ring_pages, "%u", info->be.max_ring_pages);
BLKFRONT_ATTR(backend_max_indirect_segments, "%u", info->be.max_indirect);
BLKFRONT_ATTR(backend_persistent, "%d", info->be.persistent);
BLKFRONT_ATTR(backend_flush_cache, "%d", info->be.flush);
BLKFRONT_ATTR(backend_barrier, "%d", info->be.barrier);
BLKFRONT_ATTR(backend_discard, "%d", info->be.discard);
BLKFRONT_ATTR(backend_secure_discard, "%d", info->be.secure_discard);
BLKFRONT_COUNTER(requests, st_requests);
BLKFRONT_COUNTER(ring_requests, st_ring_reqs);
BLKFRONT_COUNTER(split_requests, st_split);
BLKFRONT_COUNTER(notifications, st_notify);
BLKFRONT_COUNTER(interrupts, st_irqs);
BLKFRONT_COUNTER(spurious_interrupts, st_spurious);
BLKFRONT_COUNTER(responses, st_responses);
BLKFRONT_COUNTER(error_responses, st_errors);
BLKFRONT_COUNTER(busy, st_busy);
BLKFRONT_COUNTER(requeued, st_requeued);
BLKFRONT_GAUGE(pool_pages, pool_total);
BLKFRONT_GAUGE(pool_granted, pool_granted);
BLKFRONT_ATTR(violations, "%lu", READ_ONCE(info->st_violations));
BLKFRONT_ATTR(stuck_grants, "%u", READ_ONCE(info->nr_stuck));
BLKFRONT_ATTR(timeouts, "%ld", atomic_long_read(&info->st_timeouts));

static struct attribute *blkfront_attrs[] = {
	&blkfront_attr_state.attr,
	&blkfront_attr_vdevice.attr,
	&blkfront_attr_nr_queues.attr,
	&blkfront_attr_hw_queues.attr,
	&blkfront_attr_ring_page_order.attr,
	&blkfront_attr_ring_pages.attr,
	&blkfront_attr_max_indirect_segments.attr,
	&blkfront_attr_max_segments.attr,
	&blkfront_attr_persistent_grants.attr,
	&blkfront_attr_bounce.attr,
	&blkfront_attr_trusted.attr,
	&blkfront_attr_flush.attr,
	&blkfront_attr_fua.attr,
	&blkfront_attr_discard.attr,
	&blkfront_attr_secure_discard.attr,
	&blkfront_attr_discard_granularity.attr,
	&blkfront_attr_discard_alignment.attr,
	&blkfront_attr_logical_sector_size.attr,
	&blkfront_attr_physical_sector_size.attr,
	&blkfront_attr_sectors.attr,
	&blkfront_attr_read_only.attr,
	&blkfront_attr_removable.attr,
	&blkfront_attr_cdrom.attr,
	&blkfront_attr_protocol.attr,
	&blkfront_attr_backend_max_queues.attr,
	&blkfront_attr_backend_max_ring_page_order.attr,
	&blkfront_attr_backend_max_ring_pages.attr,
	&blkfront_attr_backend_max_indirect_segments.attr,
	&blkfront_attr_backend_persistent.attr,
	&blkfront_attr_backend_flush_cache.attr,
	&blkfront_attr_backend_barrier.attr,
	&blkfront_attr_backend_discard.attr,
	&blkfront_attr_backend_secure_discard.attr,
	&blkfront_attr_requests.attr,
	&blkfront_attr_ring_requests.attr,
	&blkfront_attr_split_requests.attr,
	&blkfront_attr_notifications.attr,
	&blkfront_attr_interrupts.attr,
	&blkfront_attr_spurious_interrupts.attr,
	&blkfront_attr_responses.attr,
	&blkfront_attr_error_responses.attr,
	&blkfront_attr_busy.attr,
	&blkfront_attr_requeued.attr,
	&blkfront_attr_pool_pages.attr,
	&blkfront_attr_pool_granted.attr,
	&blkfront_attr_violations.attr,
	&blkfront_attr_stuck_grants.attr,
	&blkfront_attr_timeouts.attr,
	NULL,
};

static const struct attribute_group blkfront_attr_group = {
	.name = "xenpv",
	.attrs = blkfront_attrs,
};

static const struct attribute_group *blkfront_attr_groups[] = {
	&blkfront_attr_group,
	NULL,
};

/* ---- gendisk ---------------------------------------------------------- */

/**
 * xenpv_blkfront_disk_alloc() - tag set and gendisk for a connecting vbd
 * @info: device with negotiated rings, features and properties
 *
 * One hardware queue per ring, queue depth one ring.  The disk is not
 * added yet.  Undone by xenpv_blkfront_disk_free(), also on failure.
 *
 * Return: 0 or -errno.
 */
int xenpv_blkfront_disk_alloc(struct blkfront_info *info)
{
	struct blk_mq_tag_set *set = &info->tag_set;
	struct xenpv_blk_limits xl;
	struct gendisk *gd;
	unsigned int secure;
	int err;

	memset(set, 0, sizeof(*set));
	set->ops = &xenpv_blkfront_mq_ops;
	set->nr_hw_queues = info->nr_rings;
	set->queue_depth = xenpv_blkfront_ring_entries(info->ring_order);
	set->numa_node = NUMA_NO_NODE;
	set->flags = XENPV_BLKFRONT_MQ_FLAGS;
	set->cmd_size = sizeof(struct blkfront_req);
	set->driver_data = info;
	err = blk_mq_alloc_tag_set(set);
	if (err)
		return err;
	info->tag_set_ready = true;

	blkfront_fill_limits(info, &xl, &secure);
	gd = xenpv_blkfront_alloc_disk(set, &xl, secure, info);
	if (IS_ERR(gd))
		return PTR_ERR(gd);

	gd->major = XENVBD_MAJOR;
	gd->first_minor = info->id.minor;
	gd->minors = info->id.nr_minors;
	gd->fops = &blkfront_fops;
	gd->private_data = (info->vdisk_info & VDISK_CDROM) ?
			   &blkfront_cdrom_marker : NULL;
	strscpy(gd->disk_name, info->id.name, sizeof(gd->disk_name));
	set_capacity(gd, info->sectors);
	if (info->vdisk_info & VDISK_READONLY)
		set_disk_ro(gd, true);
	if (info->vdisk_info & VDISK_REMOVABLE)
		gd->flags |= GENHD_FL_REMOVABLE;
	if (info->id.nr_minors == 1)
		xenpv_blkfront_no_partitions(gd);
	info->gd = gd;
	return 0;
}

int xenpv_blkfront_disk_add(struct blkfront_info *info)
{
	int err;

	err = xenpv_blkfront_add_disk(info->xdev->dev, info->gd,
				      blkfront_attr_groups);
	if (!err)
		info->disk_added = true;
	return err;
}

/* Device removal: no I/O can be stuck by now (it all fails fast). */
void xenpv_blkfront_disk_free(struct blkfront_info *info)
{
	if (info->disk_added) {
		del_gendisk(info->gd);
		info->disk_added = false;
	}
	if (info->gd) {
		xenpv_blk_cleanup_disk(info->gd);
		info->gd = NULL;
	}
	if (info->tag_set_ready) {
		blk_mq_free_tag_set(&info->tag_set);
		info->tag_set_ready = false;
	}
}
