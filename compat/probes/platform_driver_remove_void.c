// SPDX-License-Identifier: GPL-2.0
/*
 * 6.11 API change: struct platform_driver.remove returns void.
 */
#include <linux/platform_device.h>

static void xenpv_probe_remove(struct platform_device *pdev)
{
}

static struct platform_driver xenpv_probe_driver __maybe_unused = {
	.remove = xenpv_probe_remove,
};
