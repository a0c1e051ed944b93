// SPDX-License-Identifier: GPL-2.0
/*
 * 6.9 API change: blk_mq_alloc_disk(set, lim, queuedata) takes the initial
 * struct queue_limits (atomic queue limits).
 */
#include <linux/blk-mq.h>

static __maybe_unused struct gendisk *xenpv_probe(struct blk_mq_tag_set *set)
{
	struct queue_limits lim = { .logical_block_size = 512 };

	return blk_mq_alloc_disk(set, &lim, NULL);
}
