// SPDX-License-Identifier: GPL-2.0
/*
 * 5.15 API change: bus_type.remove returns void; this compiles only on
 * kernels where it still returns int.
 */
#include <linux/device.h>

static int xenpv_probe_remove(struct device *dev)
{
	return 0;
}

static struct bus_type xenpv_probe_bus __maybe_unused = {
	.remove = xenpv_probe_remove,
};
