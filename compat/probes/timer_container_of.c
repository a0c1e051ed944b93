// SPDX-License-Identifier: GPL-2.0
/*
 * 6.16 API change: from_timer() renamed timer_container_of().
 */
#include <linux/timer.h>

struct xenpv_probe_obj {
	int x;
	struct timer_list timer;
};

static __maybe_unused struct xenpv_probe_obj *xenpv_probe(struct timer_list *t)
{
	struct xenpv_probe_obj *o = timer_container_of(o, t, timer);

	return o;
}
