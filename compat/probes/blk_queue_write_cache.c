// SPDX-License-Identifier: GPL-2.0
/*
 * 6.11 API change: blk_queue_write_cache() removed (see
 * blk_feat_write_cache.c).
 */
#include <linux/blkdev.h>

static void __maybe_unused xenpv_probe(struct request_queue *q)
{
	blk_queue_write_cache(q, true, true);
}
