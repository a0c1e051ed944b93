// SPDX-License-Identifier: GPL-2.0
/*
 * 6.12 API change (atomic queue limits): blk_queue_logical_block_size()
 * and blk_queue_physical_block_size() removed.
 */
#include <linux/blkdev.h>

static void __maybe_unused xenpv_probe(struct request_queue *q)
{
	blk_queue_logical_block_size(q, 512);
	blk_queue_physical_block_size(q, 4096);
}
