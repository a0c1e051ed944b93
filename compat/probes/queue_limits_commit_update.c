// SPDX-License-Identifier: GPL-2.0
/*
 * 6.9 API change: queue_limits_start_update()/queue_limits_commit_update()
 * change the limits of a live queue atomically.
 */
#include <linux/blkdev.h>

static int __maybe_unused xenpv_probe(struct request_queue *q)
{
	struct queue_limits lim = queue_limits_start_update(q);

	lim.max_segments = 16;
	return queue_limits_commit_update(q, &lim);
}
