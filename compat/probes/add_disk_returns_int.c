// SPDX-License-Identifier: GPL-2.0
/*
 * 5.15 API change: add_disk() returns an error code (__must_check) instead
 * of void.
 */
#include <linux/blkdev.h>

static int __maybe_unused xenpv_probe(struct gendisk *disk)
{
	int err = add_disk(disk);

	return err;
}
