// SPDX-License-Identifier: GPL-2.0
/*
 * 6.3 API change: bus_type.uevent takes a const struct device *.
 */
#include <linux/device.h>

static int xenpv_probe_uevent(const struct device *dev, struct kobj_uevent_env *env)
{
	return 0;
}

static struct bus_type xenpv_probe_bus __maybe_unused = {
	.uevent = xenpv_probe_uevent,
};
