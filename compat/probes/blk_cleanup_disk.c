// SPDX-License-Identifier: GPL-2.0
/*
 * 5.14 API change: blk_cleanup_disk() added for disks from
 * blk_mq_alloc_disk(); 6.0 removed it again (put_disk() after del_gendisk()
 * releases the queue too).
 */
#include <linux/blkdev.h>

static void __maybe_unused xenpv_probe(struct gendisk *disk)
{
	blk_cleanup_disk(disk);
}
