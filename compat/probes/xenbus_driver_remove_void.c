// SPDX-License-Identifier: GPL-2.0
/*
 * 6.1 API change: struct xenbus_driver.remove returns void.
 */
#include <xen/xenbus.h>

static void xenpv_probe_remove(struct xenbus_device *dev)
{
}

static struct xenbus_driver xenpv_probe_driver __maybe_unused = {
	.remove = xenpv_probe_remove,
};
