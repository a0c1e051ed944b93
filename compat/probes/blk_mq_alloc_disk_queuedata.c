// SPDX-License-Identifier: GPL-2.0
/*
 * 5.14 API change: blk_mq_alloc_disk(set, queuedata) allocates the gendisk
 * and its request queue in one call (5.10 has blk_mq_init_queue() plus
 * alloc_disk()).  6.9 added a queue_limits argument, so this form compiles
 * only on 5.14 .. 6.8.
 */
#include <linux/blk-mq.h>

static __maybe_unused struct gendisk *xenpv_probe(struct blk_mq_tag_set *set)
{
	return blk_mq_alloc_disk(set, NULL);
}
