// SPDX-License-Identifier: GPL-2.0
/*
 * 6.12 API change (atomic queue limits): the blk_queue_max_hw_sectors(),
 * blk_queue_max_segments(), blk_queue_max_segment_size() family of setters
 * is gone; limits are passed at allocation or through
 * queue_limits_commit_update().
 */
#include <linux/blkdev.h>

static void __maybe_unused xenpv_probe(struct request_queue *q)
{
	blk_queue_max_hw_sectors(q, 256);
	blk_queue_max_segments(q, 16);
	blk_queue_max_segment_size(q, 4096);
}
