// SPDX-License-Identifier: GPL-2.0
/*
 * 6.4 API change: class_create(name) lost its struct module *owner
 * argument.
 */
#include <linux/device.h>

static __maybe_unused struct class *xenpv_probe(void)
{
	return class_create("xenpv_probe");
}
