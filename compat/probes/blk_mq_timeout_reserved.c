// SPDX-License-Identifier: GPL-2.0
/*
 * 6.0 API change: blk_mq_ops.timeout lost its "reserved" argument; this
 * compiles only with the older form, timeout(rq, reserved) (up to 5.19).
 */
#include <linux/blk-mq.h>

static enum blk_eh_timer_return xenpv_probe_timeout(struct request *rq,
						    bool reserved)
{
	return reserved ? BLK_EH_DONE : BLK_EH_RESET_TIMER;
}

static const struct blk_mq_ops xenpv_probe_ops __maybe_unused = {
	.timeout = xenpv_probe_timeout,
};
