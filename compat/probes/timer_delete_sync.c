// SPDX-License-Identifier: GPL-2.0
/*
 * 6.2 API change (also in later 6.1 stable releases): timer_delete_sync()
 * and timer_delete() replace del_timer_sync() and del_timer(), which 6.15
 * removed.
 */
#include <linux/timer.h>

static void __maybe_unused xenpv_probe(struct timer_list *t)
{
	timer_delete(t);
	timer_delete_sync(t);
}
