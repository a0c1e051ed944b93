/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Block layer shims: disk allocation and queue limits across 5.10 .. 7.x.
 *
 * Copyright (C) 2026 The xenpv authors
 *
 * History the shims hide:
 *  - 5.10: blk_mq_init_queue() + alloc_disk(); limits through setters.
 *  - 5.14: blk_mq_alloc_disk(set, queuedata); 5.14 .. 5.19 free it with
 *          blk_cleanup_disk(), 6.0+ with put_disk().
 *  - 5.19: QUEUE_FLAG_DISCARD gone (a non-zero discard limit is enough).
 *  - 6.9:  blk_mq_alloc_disk(set, lim, queuedata) and
 *          queue_limits_{start,commit}_update() (atomic queue limits).
 *  - 6.11: write cache/FUA/rotational become queue_limits.features.
 *  - 6.12: the blk_queue_* limit setters are removed.
 *
 * Drivers describe their limits once in struct xenpv_blk_limits and call
 * xenpv_blk_mq_alloc_disk() at setup and xenpv_blk_update_limits() when
 * the backend changes them (reconnect).
 */
#ifndef _XENPV_COMPAT_BLK_H
#define _XENPV_COMPAT_BLK_H

#include <linux/blkdev.h>
#include <linux/blk-mq.h>
#include <linux/err.h>

struct xenpv_blk_limits {
	unsigned int logical_block_size;	/* bytes, required */
	unsigned int physical_block_size;	/* bytes, 0 = logical */
	unsigned int max_hw_sectors;		/* 512-byte sectors, 0 = default */
	unsigned short max_segments;		/* 0 = default */
	unsigned int max_segment_size;		/* bytes, 0 = default */
	unsigned long seg_boundary_mask;	/* 0 = default */
	unsigned int max_discard_sectors;	/* 0 = no discard */
	unsigned int discard_granularity;	/* bytes */
	unsigned int discard_alignment;		/* bytes */
	bool write_cache;			/* flush supported */
	bool fua;				/* FUA supported */
	bool rotational;			/* false for virtual disks */
};

#if defined(XENPV_HAVE_BLK_MQ_ALLOC_DISK_LIMITS)

/* Fill a struct queue_limits (6.9+) from @xl. */
static inline void xenpv_blk_fill_limits(struct queue_limits *lim,
					 const struct xenpv_blk_limits *xl)
{
	lim->logical_block_size = xl->logical_block_size;
	if (xl->physical_block_size)
		lim->physical_block_size = xl->physical_block_size;
	if (xl->max_hw_sectors)
		lim->max_hw_sectors = xl->max_hw_sectors;
	if (xl->max_segments)
		lim->max_segments = xl->max_segments;
	if (xl->max_segment_size)
		lim->max_segment_size = xl->max_segment_size;
	if (xl->seg_boundary_mask)
		lim->seg_boundary_mask = xl->seg_boundary_mask;
	lim->max_hw_discard_sectors = xl->max_discard_sectors;
	lim->discard_granularity = xl->discard_granularity;
	lim->discard_alignment = xl->discard_alignment;
#ifdef XENPV_HAVE_BLK_FEAT_WRITE_CACHE
	lim->features &= ~(BLK_FEAT_WRITE_CACHE | BLK_FEAT_FUA | BLK_FEAT_ROTATIONAL);
	if (xl->write_cache)
		lim->features |= BLK_FEAT_WRITE_CACHE;
	if (xl->write_cache && xl->fua)
		lim->features |= BLK_FEAT_FUA;
	if (xl->rotational)
		lim->features |= BLK_FEAT_ROTATIONAL;
#endif
}

#endif /* XENPV_HAVE_BLK_MQ_ALLOC_DISK_LIMITS */

#ifndef XENPV_HAVE_BLK_FEAT_WRITE_CACHE
/* Up to 6.10: cache and rotational are queue flags, not limits. */
static inline void xenpv_blk_set_queue_flags(struct request_queue *q,
					     const struct xenpv_blk_limits *xl)
{
	blk_queue_write_cache(q, xl->write_cache, xl->write_cache && xl->fua);
	if (xl->rotational)
		blk_queue_flag_clear(QUEUE_FLAG_NONROT, q);
	else
		blk_queue_flag_set(QUEUE_FLAG_NONROT, q);
}
#endif

#ifndef XENPV_HAVE_QUEUE_LIMITS_COMMIT_UPDATE
/* Up to 6.8: one setter per limit. */
static inline void xenpv_blk_set_limits(struct request_queue *q,
					const struct xenpv_blk_limits *xl)
{
	blk_queue_logical_block_size(q, xl->logical_block_size);
	blk_queue_physical_block_size(q, xl->physical_block_size ?
				      xl->physical_block_size :
				      xl->logical_block_size);
	if (xl->max_hw_sectors)
		blk_queue_max_hw_sectors(q, xl->max_hw_sectors);
	if (xl->max_segments)
		blk_queue_max_segments(q, xl->max_segments);
	if (xl->max_segment_size)
		blk_queue_max_segment_size(q, xl->max_segment_size);
	if (xl->seg_boundary_mask)
		blk_queue_segment_boundary(q, xl->seg_boundary_mask);
	blk_queue_max_discard_sectors(q, xl->max_discard_sectors);
	q->limits.discard_granularity = xl->discard_granularity;
	q->limits.discard_alignment = xl->discard_alignment;
#ifdef XENPV_HAVE_QUEUE_FLAG_DISCARD
	if (xl->max_discard_sectors)
		blk_queue_flag_set(QUEUE_FLAG_DISCARD, q);
	else
		blk_queue_flag_clear(QUEUE_FLAG_DISCARD, q);
#endif
}
#endif

/*
 * xenpv_blk_mq_alloc_disk() - allocate a gendisk and its blk-mq queue.
 * @set: an initialised tag set
 * @xl: the initial limits
 * @queuedata: stored in the queue's queuedata
 *
 * The caller sets major, first_minor, minors, fops and the name before
 * add_disk(), as with blk_mq_alloc_disk().  Returns an ERR_PTR on failure.
 * Release with xenpv_blk_cleanup_disk().
 */
static inline struct gendisk *
xenpv_blk_mq_alloc_disk(struct blk_mq_tag_set *set,
			const struct xenpv_blk_limits *xl, void *queuedata)
{
	struct gendisk *disk;
#if defined(XENPV_HAVE_BLK_MQ_ALLOC_DISK_LIMITS)
	struct queue_limits lim = { };

	xenpv_blk_fill_limits(&lim, xl);
	disk = blk_mq_alloc_disk(set, &lim, queuedata);
	if (IS_ERR(disk))
		return disk;
#elif defined(XENPV_HAVE_BLK_MQ_ALLOC_DISK_QUEUEDATA)
	disk = blk_mq_alloc_disk(set, queuedata);
	if (IS_ERR(disk))
		return disk;
	xenpv_blk_set_limits(disk->queue, xl);
#else
	struct request_queue *q;

	q = blk_mq_init_queue(set);
	if (IS_ERR(q))
		return ERR_CAST(q);
	q->queuedata = queuedata;
	disk = alloc_disk(0);
	if (!disk) {
		blk_cleanup_queue(q);
		return ERR_PTR(-ENOMEM);
	}
	disk->queue = q;
	xenpv_blk_set_limits(q, xl);
#endif
#ifndef XENPV_HAVE_BLK_FEAT_WRITE_CACHE
	xenpv_blk_set_queue_flags(disk->queue, xl);
#endif
	return disk;
}

/*
 * xenpv_blk_update_limits() - apply new limits to a live disk (for example
 * after the backend reconnected with other parameters).  The caller freezes
 * or quiesces the queue if its requests could straddle the change.
 */
static inline int xenpv_blk_update_limits(struct gendisk *disk,
					  const struct xenpv_blk_limits *xl)
{
#ifdef XENPV_HAVE_QUEUE_LIMITS_COMMIT_UPDATE
	struct queue_limits lim = queue_limits_start_update(disk->queue);
	int err;

	xenpv_blk_fill_limits(&lim, xl);
	err = queue_limits_commit_update(disk->queue, &lim);
	if (err)
		return err;
#else
	xenpv_blk_set_limits(disk->queue, xl);
#endif
#ifndef XENPV_HAVE_BLK_FEAT_WRITE_CACHE
	xenpv_blk_set_queue_flags(disk->queue, xl);
#endif
	return 0;
}

/*
 * xenpv_blk_cleanup_disk() - drop a disk from xenpv_blk_mq_alloc_disk(),
 * after del_gendisk() if it was added.
 */
static inline void xenpv_blk_cleanup_disk(struct gendisk *disk)
{
#if defined(XENPV_HAVE_BLK_CLEANUP_DISK)
	blk_cleanup_disk(disk);
#elif defined(XENPV_HAVE_BLK_MQ_ALLOC_DISK)
	put_disk(disk);
#else
	struct request_queue *q = disk->queue;

	blk_cleanup_queue(q);
	put_disk(disk);
#endif
}

/* 6.14 removed BLK_MQ_F_SHOULD_MERGE: merging became the default. */
#ifdef XENPV_HAVE_BLK_MQ_F_SHOULD_MERGE
#define XENPV_BLK_MQ_F_SHOULD_MERGE	BLK_MQ_F_SHOULD_MERGE
#else
#define XENPV_BLK_MQ_F_SHOULD_MERGE	0
#endif

/*
 * add_disk() returns an error from 5.15 on; before, it cannot fail.
 * Returns 0 or -errno.
 */
static inline int __must_check xenpv_add_disk(struct gendisk *disk)
{
#ifdef XENPV_HAVE_ADD_DISK_RETURNS_INT
	return add_disk(disk);
#else
	add_disk(disk);
	return 0;
#endif
}

#endif /* _XENPV_COMPAT_BLK_H */
