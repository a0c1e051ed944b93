// SPDX-License-Identifier: GPL-2.0
/*
 * 6.11 API change: cache flush/FUA support is declared through
 * queue_limits.features (BLK_FEAT_WRITE_CACHE, BLK_FEAT_FUA) instead of
 * blk_queue_write_cache().
 */
#include <linux/blkdev.h>

static void __maybe_unused xenpv_probe(struct queue_limits *lim)
{
	lim->features |= BLK_FEAT_WRITE_CACHE | BLK_FEAT_FUA;
}
