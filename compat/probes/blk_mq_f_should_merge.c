// SPDX-License-Identifier: GPL-2.0
/*
 * 6.14 API change: BLK_MQ_F_SHOULD_MERGE removed (merging is the default
 * for every blk-mq queue).
 */
#include <linux/blk-mq.h>

static unsigned int __maybe_unused xenpv_probe(void)
{
	return BLK_MQ_F_SHOULD_MERGE;
}
