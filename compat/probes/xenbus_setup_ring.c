// SPDX-License-Identifier: GPL-2.0
/*
 * 5.18 API change: xenbus_setup_ring()/xenbus_teardown_ring() allocate,
 * grant and free a shared ring in one call.
 */
#include <xen/xenbus.h>

static int __maybe_unused xenpv_probe(struct xenbus_device *dev, void **ring,
				      grant_ref_t *gref)
{
	return xenbus_setup_ring(dev, GFP_KERNEL, ring, 1, gref);
}
