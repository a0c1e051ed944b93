// SPDX-License-Identifier: GPL-2.0
/*
 * 6.11 API change: drm_fbdev_ttm_setup() for TTM-based DRM drivers
 * (removed again with the move to drm_client_setup()).
 */
#include <drm/drm_fbdev_ttm.h>

static void __maybe_unused xenpv_probe(struct drm_device *dev)
{
	drm_fbdev_ttm_setup(dev, 32);
}
