/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Timer shims: 6.2 renamed del_timer{,_sync}() to timer_delete{,_sync}()
 * (6.15 removed the old names); 6.16 renamed from_timer() to
 * timer_container_of().
 *
 * Copyright (C) 2026 The xenpv authors
 */
#ifndef _XENPV_COMPAT_TIMER_H
#define _XENPV_COMPAT_TIMER_H

#include <linux/timer.h>

static inline int xenpv_timer_delete(struct timer_list *timer)
{
#ifdef XENPV_HAVE_TIMER_DELETE_SYNC
	return timer_delete(timer);
#else
	return del_timer(timer);
#endif
}

static inline int xenpv_timer_delete_sync(struct timer_list *timer)
{
#ifdef XENPV_HAVE_TIMER_DELETE_SYNC
	return timer_delete_sync(timer);
#else
	return del_timer_sync(timer);
#endif
}

#ifdef XENPV_HAVE_TIMER_CONTAINER_OF
#define xenpv_timer_container_of(var, timer, field) \
	timer_container_of(var, timer, field)
#else
#define xenpv_timer_container_of(var, timer, field) \
	from_timer(var, timer, field)
#endif

#endif /* _XENPV_COMPAT_TIMER_H */
