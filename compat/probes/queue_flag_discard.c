// SPDX-License-Identifier: GPL-2.0
/*
 * 5.19 API change: QUEUE_FLAG_DISCARD removed; a queue supports discard
 * when its max_discard_sectors limit is non-zero.
 */
#include <linux/blkdev.h>

static void __maybe_unused xenpv_probe(struct request_queue *q)
{
	blk_queue_flag_set(QUEUE_FLAG_DISCARD, q);
}
