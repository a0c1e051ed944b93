// SPDX-License-Identifier: GPL-2.0
/*
 * 6.11 API change: fbdev emulation for shmem-backed DRM drivers is set up
 * with drm_fbdev_shmem_setup(); 6.15 removed it in favour of
 * drm_client_setup().
 */
#include <drm/drm_fbdev_shmem.h>

static void __maybe_unused xenpv_probe(struct drm_device *dev)
{
	drm_fbdev_shmem_setup(dev, 32);
}
