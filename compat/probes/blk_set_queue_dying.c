// SPDX-License-Identifier: GPL-2.0
/*
 * 5.18 API change: blk_set_queue_dying() gone; a driver whose device
 * vanished calls blk_mark_disk_dead() (5.18) instead.
 */
#include <linux/blkdev.h>

static void __maybe_unused xenpv_probe(struct request_queue *q)
{
	blk_set_queue_dying(q);
}
