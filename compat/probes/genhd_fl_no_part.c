// SPDX-License-Identifier: GPL-2.0
/*
 * 5.17 API change: GENHD_FL_NO_PART keeps the partition scan off a disk
 * (replacing GENHD_FL_NO_PART_SCAN).
 */
#include <linux/blkdev.h>

static void __maybe_unused xenpv_probe(struct gendisk *disk)
{
	disk->flags |= GENHD_FL_NO_PART;
}
