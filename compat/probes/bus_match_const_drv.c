// SPDX-License-Identifier: GPL-2.0
/*
 * 6.11 API change: bus_type.match takes a const struct device_driver *.
 */
#include <linux/device.h>

static int xenpv_probe_match(struct device *dev, const struct device_driver *drv)
{
	return 0;
}

static struct bus_type xenpv_probe_bus __maybe_unused = {
	.match = xenpv_probe_match,
};
