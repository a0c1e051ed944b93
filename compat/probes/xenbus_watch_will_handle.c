// SPDX-License-Identifier: GPL-2.0
/*
 * XSA-349 (5.11, also in 5.10 stable): struct xenbus_watch gained
 * will_handle, asked before an event is queued, and nr_pending, the
 * number of queued events.
 */
#include <xen/xenbus.h>

static bool xenpv_probe_will_handle(struct xenbus_watch *w, const char *path,
				    const char *token)
{
	return w->nr_pending < 16;
}

static void __maybe_unused xenpv_probe(struct xenbus_watch *w)
{
	w->will_handle = xenpv_probe_will_handle;
}
