// SPDX-License-Identifier: GPL-2.0
/*
 * 6.14 API change: struct drm_driver lost its .date field.
 */
#include <drm/drm_drv.h>

static const struct drm_driver xenpv_probe_driver __maybe_unused = {
	.name = "xenpv_probe",
	.date = "20260101",
};
