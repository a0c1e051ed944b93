// SPDX-License-Identifier: GPL-2.0
/*
 * 6.3 API change: struct platform_driver.remove_new, a remove callback
 * returning void, exists beside the int-returning .remove (until 6.12).
 */
#include <linux/platform_device.h>

static void xenpv_probe_remove(struct platform_device *pdev)
{
}

static struct platform_driver xenpv_probe_driver __maybe_unused = {
	.remove_new = xenpv_probe_remove,
};
