// SPDX-License-Identifier: GPL-2.0
/*
 * xenpv_blkfront: block-layer API drift (see queue_compat.h).
 *
 * Copyright (C) 2026 The xenpv authors
 */
#include <linux/blkdev.h>
#include <linux/device.h>

#include "queue_compat.h"

/*
 * Secure erase became a queue limit in 5.19 (QUEUE_FLAG_SECERASE before,
 * sharing the discard limit) and part of the atomic limits in 6.9.
 */
static int xenpv_blkfront_set_secure_erase(struct gendisk *disk,
					   unsigned int max)
{
#if defined(XENPV_HAVE_QUEUE_LIMITS_COMMIT_UPDATE)
	struct queue_limits lim = queue_limits_start_update(disk->queue);

	lim.max_secure_erase_sectors = max;
	return queue_limits_commit_update(disk->queue, &lim);
#elif defined(XENPV_HAVE_QUEUE_FLAG_DISCARD)
	if (max)
		blk_queue_flag_set(QUEUE_FLAG_SECERASE, disk->queue);
	else
		blk_queue_flag_clear(QUEUE_FLAG_SECERASE, disk->queue);
	return 0;
#else
	blk_queue_max_secure_erase_sectors(disk->queue, max);
	return 0;
#endif
}

/**
 * xenpv_blkfront_alloc_disk() - gendisk and blk-mq queue with our limits
 * @set: an allocated tag set
 * @xl: queue limits
 * @max_secure_erase: secure erase limit in sectors, 0 for none
 * @queuedata: stored in the queue
 *
 * Release with xenpv_blk_cleanup_disk().
 *
 * Return: the disk or an ERR_PTR().
 */
struct gendisk *xenpv_blkfront_alloc_disk(struct blk_mq_tag_set *set,
					  const struct xenpv_blk_limits *xl,
					  unsigned int max_secure_erase,
					  void *queuedata)
{
	struct gendisk *disk;
	int err;

	disk = xenpv_blk_mq_alloc_disk(set, xl, queuedata);
	if (IS_ERR(disk))
		return disk;

	err = xenpv_blkfront_set_secure_erase(disk, max_secure_erase);
	if (err) {
		xenpv_blk_cleanup_disk(disk);
		return ERR_PTR(err);
	}
	return disk;
}

/*
 * Apply new limits to a live disk (reconnect, or a feature the backend
 * revoked).  Requests built under the old limits are still accepted by
 * the driver, which splits what no longer fits.
 */
int xenpv_blkfront_update_limits(struct gendisk *disk,
				 const struct xenpv_blk_limits *xl,
				 unsigned int max_secure_erase)
{
	int err;

	err = xenpv_blk_update_limits(disk, xl);
	if (err)
		return err;
	return xenpv_blkfront_set_secure_erase(disk, max_secure_erase);
}

/* device_add_disk() returns an error from 5.15 on. */
int xenpv_blkfront_add_disk(struct device *parent, struct gendisk *disk,
			    const struct attribute_group **groups)
{
#ifdef XENPV_HAVE_ADD_DISK_RETURNS_INT
	return device_add_disk(parent, disk, groups);
#else
	device_add_disk(parent, disk, groups);
	return 0;
#endif
}

/* Fail all further I/O at submission (the device is gone). */
void xenpv_blkfront_mark_dead(struct gendisk *disk)
{
#ifdef XENPV_HAVE_BLK_SET_QUEUE_DYING
	blk_set_queue_dying(disk->queue);
#else
	blk_mark_disk_dead(disk);
#endif
}

/*
 * A vbd that is itself a partition gets one minor and no partition table
 * scan (5.17+: GENHD_FL_NO_PART; before, one minor already meant no
 * partitions).
 */
void xenpv_blkfront_no_partitions(struct gendisk *disk)
{
#ifdef XENPV_HAVE_GENHD_FL_NO_PART
	disk->flags |= GENHD_FL_NO_PART;
#else
	(void)disk;
#endif
}
