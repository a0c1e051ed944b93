// SPDX-License-Identifier: GPL-2.0
/*
 * 5.11 API change: struct xenbus_driver.not_essential keeps a driver's
 * devices out of the boot-time wait for frontends.
 */
#include <xen/xenbus.h>

static struct xenbus_driver xenpv_probe_driver __maybe_unused = {
	.not_essential = true,
};
