// SPDX-License-Identifier: GPL-2.0
/*
 * 5.11 API change: set_capacity_and_notify() sets a disk's size and sends
 * the resize uevent (5.10: set_capacity_revalidate_and_notify()).
 */
#include <linux/blkdev.h>

static bool __maybe_unused xenpv_probe(struct gendisk *disk)
{
	return set_capacity_and_notify(disk, 2048);
}
