/* SPDX-License-Identifier: GPL-2.0 */
/*
 * xenpv_blkfront: the one place where block-layer API drift is handled.
 *
 * Copyright (C) 2026 The xenpv authors
 *
 * Built on compat/include/xenpv_compat_blk.h (disk allocation, queue
 * limits, tag set flags; probes owned by compat/), plus what blkfront needs
 * beyond it.  Every XENPV_HAVE_* test of the driver is in this header and
 * queue_compat.c; the rest of blkfront/ calls the xenpv_blkfront_*()
 * wrappers below.  Probes used here (compat/generated/<release>/):
 *
 *  XENPV_HAVE_BLK_MQ_ALLOC_DISK_LIMITS    6.9+  blk_mq_alloc_disk(set, lim, data)
 *  XENPV_HAVE_BLK_MQ_ALLOC_DISK_QUEUEDATA 5.14-6.8 blk_mq_alloc_disk(set, data)
 *  XENPV_HAVE_QUEUE_LIMITS_COMMIT_UPDATE  6.9+  queue_limits_{start,commit}_update
 *  XENPV_HAVE_BLK_FEAT_WRITE_CACHE        6.11+ write cache/FUA in lim.features
 *  XENPV_HAVE_BLK_CLEANUP_DISK            5.14-5.19
 *  XENPV_HAVE_ADD_DISK_RETURNS_INT        5.15+ (device_add_disk too)
 *  XENPV_HAVE_BLK_MQ_F_SHOULD_MERGE       up to 6.13
 *  XENPV_HAVE_QUEUE_FLAG_DISCARD          up to 5.18 (QUEUE_FLAG_SECERASE too)
 *  XENPV_HAVE_BLK_SET_QUEUE_DYING         up to 5.17: no blk_mark_disk_dead()
 *  XENPV_HAVE_GENHD_FL_NO_PART            5.17+
 *  XENPV_HAVE_KMAP_LOCAL_PAGE             5.11+
 *  XENPV_HAVE_BLK_MQ_TIMEOUT_RESERVED     up to 5.19: ->timeout(rq, reserved)
 *  XENPV_HAVE_BLK_MODE_T                  6.5+  ->ioctl takes blk_mode_t
 *  XENPV_HAVE_GETGEO_GENDISK              6.19+ ->getgeo takes the gendisk
 *  XENPV_HAVE_SET_CAPACITY_AND_NOTIFY     5.11+ (5.10: ..._revalidate_and_notify)
 *
 * Without any probe result the code takes the Linux 6.1 form.
 */
#ifndef _XENPV_BLKFRONT_QUEUE_COMPAT_H
#define _XENPV_BLKFRONT_QUEUE_COMPAT_H

#include <linux/blk-mq.h>
#include <linux/blkdev.h>
#include <linux/highmem.h>
#include <linux/string.h>
#include <xenpv_compat_blk.h>

/* Tag set flags: merging was opt-in until 6.13. */
#define XENPV_BLKFRONT_MQ_FLAGS		XENPV_BLK_MQ_F_SHOULD_MERGE

/* ->timeout lost its "reserved" argument in 6.0. */
#ifdef XENPV_HAVE_BLK_MQ_TIMEOUT_RESERVED
#define XENPV_BLKFRONT_TIMEOUT_ARGS	, bool reserved
#else
#define XENPV_BLKFRONT_TIMEOUT_ARGS
#endif

/* ->ioctl mode argument: fmode_t until 6.4, blk_mode_t from 6.5. */
#ifdef XENPV_HAVE_BLK_MODE_T
typedef blk_mode_t xenpv_blkfront_mode_t;
#else
typedef fmode_t xenpv_blkfront_mode_t;
#endif

/* ->getgeo first argument: the block device until 6.18, the disk after. */
#ifdef XENPV_HAVE_GETGEO_GENDISK
typedef struct gendisk xenpv_blkfront_geo_t;
static inline struct gendisk *xenpv_blkfront_geo_disk(struct gendisk *disk)
{
	return disk;
}
#else
typedef struct block_device xenpv_blkfront_geo_t;
static inline struct gendisk *
xenpv_blkfront_geo_disk(struct block_device *bdev)
{
	return bdev->bd_disk;
}
#endif

/*
 * Resize a live disk and send the resize uevent.  5.10's form also takes
 * whether to update the block device's size, which 5.11+ always does.
 */
static inline void xenpv_blkfront_set_capacity(struct gendisk *disk,
					       sector_t sectors)
{
#ifdef XENPV_HAVE_SET_CAPACITY_AND_NOTIFY
	set_capacity_and_notify(disk, sectors);
#else
	set_capacity_revalidate_and_notify(disk, sectors, true);
#endif
}

struct gendisk *xenpv_blkfront_alloc_disk(struct blk_mq_tag_set *set,
					  const struct xenpv_blk_limits *xl,
					  unsigned int max_secure_erase,
					  void *queuedata);
int xenpv_blkfront_update_limits(struct gendisk *disk,
				 const struct xenpv_blk_limits *xl,
				 unsigned int max_secure_erase);
int xenpv_blkfront_add_disk(struct device *parent, struct gendisk *disk,
			    const struct attribute_group **groups);
void xenpv_blkfront_mark_dead(struct gendisk *disk);
void xenpv_blkfront_no_partitions(struct gendisk *disk);

/* Copy @len bytes between two pages that may be in high memory. */
static inline void xenpv_blkfront_copy_page(struct page *dst,
					    unsigned int doff,
					    struct page *src,
					    unsigned int soff,
					    unsigned int len)
{
#ifdef XENPV_HAVE_KMAP_LOCAL_PAGE
	char *d = kmap_local_page(dst);
	char *s = kmap_local_page(src);

	memcpy(d + doff, s + soff, len);
	kunmap_local(s);
	kunmap_local(d);
#else
	char *d = kmap_atomic(dst);
	char *s = kmap_atomic(src);

	memcpy(d + doff, s + soff, len);
	kunmap_atomic(s);
	kunmap_atomic(d);
#endif
}

#endif /* _XENPV_BLKFRONT_QUEUE_COMPAT_H */
