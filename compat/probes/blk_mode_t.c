// SPDX-License-Identifier: GPL-2.0
/*
 * 6.5 API change: block_device_operations.ioctl and open take a blk_mode_t
 * (BLK_OPEN_*) instead of an fmode_t.
 */
#include <linux/blkdev.h>

static int xenpv_probe_ioctl(struct block_device *bdev, blk_mode_t mode,
			     unsigned int cmd, unsigned long arg)
{
	return (mode & BLK_OPEN_WRITE) ? 0 : -ENOTTY;
}

static const struct block_device_operations xenpv_probe_fops __maybe_unused = {
	.ioctl = xenpv_probe_ioctl,
};
