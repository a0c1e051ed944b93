// SPDX-License-Identifier: GPL-2.0
/*
 * xenbus_mkdir() was dropped from the kernel's xenbus API in 7.x (unused
 * in tree); xenbus_write() of an empty value creates the node instead.
 */
#include <xen/xenbus.h>

static int __maybe_unused xenpv_probe(struct xenbus_transaction t)
{
	return xenbus_mkdir(t, "device", "xenpv_probe");
}
