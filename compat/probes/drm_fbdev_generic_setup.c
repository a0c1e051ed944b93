// SPDX-License-Identifier: GPL-2.0
/*
 * DRM fbdev emulation, first API: drm_fbdev_generic_setup() (5.2 .. 6.10;
 * in <drm/drm_fbdev_generic.h> from 6.2).  6.11 replaced it with
 * drm_fbdev_shmem_setup()/drm_fbdev_ttm_setup().
 */
#include <drm/drm_fb_helper.h>
#if __has_include(<drm/drm_fbdev_generic.h>)
#include <drm/drm_fbdev_generic.h>
#endif

static void __maybe_unused xenpv_probe(struct drm_device *dev)
{
	drm_fbdev_generic_setup(dev, 32);
}
