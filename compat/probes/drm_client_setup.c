// SPDX-License-Identifier: GPL-2.0
/*
 * 6.13 API change: drm_client_setup() sets up the in-kernel DRM clients
 * (fbdev emulation included) selected by the kernel configuration.  Its
 * header moved to <drm/clients/drm_client_setup.h> in 6.14.
 */
#if __has_include(<drm/clients/drm_client_setup.h>)
#include <drm/clients/drm_client_setup.h>
#else
#include <drm/drm_client_setup.h>
#endif

static void __maybe_unused xenpv_probe(struct drm_device *dev)
{
	drm_client_setup(dev, NULL);
}
