// SPDX-License-Identifier: GPL-2.0
/*
 * 6.19 API change: block_device_operations.getgeo takes the struct gendisk
 * (before: the struct block_device).
 */
#include <linux/blkdev.h>
#include <linux/hdreg.h>

static int xenpv_probe_getgeo(struct gendisk *disk, struct hd_geometry *geo)
{
	geo->heads = 255;
	return 0;
}

static const struct block_device_operations xenpv_probe_fops __maybe_unused = {
	.getgeo = xenpv_probe_getgeo,
};
