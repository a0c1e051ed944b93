// SPDX-License-Identifier: GPL-2.0
/*
 * xenpv_fbfront DRM side: one simple display pipe over the fbif framebuffer.
 *
 * Copyright (C) 2026 The xenpv authors
 *
 * Clients draw into shmem GEM buffers (dumb buffers, fbdev emulation).  On
 * every plane update the damaged rectangles are copied from the GEM buffer
 * (the "shadow" plane) into the framebuffer the backend maps, and one
 * XENFB_TYPE_UPDATE event announces their bounding box.  A modeset copies
 * the whole visible area; a mode smaller than the initial size is only
 * offered when the backend has feature-resize, and is announced with
 * XENFB_TYPE_RESIZE before the pixels.
 *
 * Lifetime: struct xenpv_fb_kms is DRM-managed and may outlive the xenbus
 * device while user space holds the DRM device open.  Every callback that
 * touches kms->info does so inside drm_dev_enter()/drm_dev_exit();
 * xenpv_fb_kms_destroy() unplugs the DRM device before the xenbus side
 * frees anything.
 */
#include <linux/kernel.h>
#include <linux/module.h>
#include <drm/drm_atomic.h>
#include <drm/drm_atomic_helper.h>
#include <drm/drm_connector.h>
#include <drm/drm_damage_helper.h>
#include <drm/drm_drv.h>
#include <drm/drm_file.h>
#include <drm/drm_fourcc.h>
#include <drm/drm_gem_framebuffer_helper.h>
#include <drm/drm_gem_shmem_helper.h>
#include <drm/drm_managed.h>
#include <drm/drm_mode_config.h>
#include <drm/drm_modes.h>
#include <drm/drm_probe_helper.h>
#include <drm/drm_simple_kms_helper.h>

#include "drm_compat.h"
#include "fbfront.h"

/*
 * The name user space sees (modetest -M xenpvfb).  Short on purpose: the
 * fbdev emulation names its framebuffer "<name>drmfb" in a 16-byte id, so
 * the module's name would be cut to "xenpv_fbfrontdr" in /proc/fb.
 */
#define XENPV_FB_DRM_NAME	"xenpvfb"
#define XENPV_FB_MAX_MODES	32

struct xenpv_fb_kms {
	struct drm_device *drm;
	struct drm_simple_display_pipe pipe;
	struct drm_connector connector;
	struct xenpv_fb_info *info;	/* only inside drm_dev_enter() */
	u32 max_width;			/* initial framebuffer size */
	u32 max_height;
	bool resize;			/* backend had feature-resize */
};

static const u32 xenpv_fb_formats[] = {
	DRM_FORMAT_XRGB8888,
};

static const u64 xenpv_fb_modifiers[] = {
	DRM_FORMAT_MOD_LINEAR,
	DRM_FORMAT_MOD_INVALID,
};

static struct xenpv_fb_kms *pipe_to_kms(struct drm_simple_display_pipe *pipe)
{
	return container_of(pipe, struct xenpv_fb_kms, pipe);
}

/* ---- connector ------------------------------------------------------- */

static int xenpv_fb_conn_get_modes(struct drm_connector *connector)
{
	struct xenpv_fb_kms *kms =
		container_of(connector, struct xenpv_fb_kms, connector);
	struct xenpv_fb_mode modes[XENPV_FB_MAX_MODES];
	unsigned int i, n;
	int count = 0;

	n = xenpv_fb_mode_list(kms->max_width, kms->max_height, kms->resize,
			       modes, ARRAY_SIZE(modes));
	for (i = 0; i < n; i++) {
		struct drm_display_mode *mode;
		int delta;

		mode = drm_cvt_mode(connector->dev, modes[i].width,
				    modes[i].height, 60, false, false, false);
		if (!mode)
			continue;
		/* CVT rounds the width to 8 pixels; keep the exact size. */
		delta = (int)modes[i].width - mode->hdisplay;
		if (delta) {
			mode->hdisplay += delta;
			mode->hsync_start += delta;
			mode->hsync_end += delta;
			mode->htotal += delta;
			drm_mode_set_name(mode);
		}
		mode->type |= DRM_MODE_TYPE_DRIVER;
		if (i == 0)
			mode->type |= DRM_MODE_TYPE_PREFERRED;
		drm_mode_probed_add(connector, mode);
		count++;
	}
	return count;
}

static const struct drm_connector_helper_funcs xenpv_fb_conn_helper_funcs = {
	.get_modes = xenpv_fb_conn_get_modes,
};

static const struct drm_connector_funcs xenpv_fb_conn_funcs = {
	.reset = drm_atomic_helper_connector_reset,
	.fill_modes = drm_helper_probe_single_connector_modes,
	.destroy = drm_connector_cleanup,
	.atomic_duplicate_state = drm_atomic_helper_connector_duplicate_state,
	.atomic_destroy_state = drm_atomic_helper_connector_destroy_state,
};

/* ---- display pipe ---------------------------------------------------- */

static enum drm_mode_status
xenpv_fb_pipe_mode_valid(struct drm_simple_display_pipe *pipe,
			 const struct drm_display_mode *mode)
{
	struct xenpv_fb_kms *kms = pipe_to_kms(pipe);

	if (mode->flags & (DRM_MODE_FLAG_INTERLACE | DRM_MODE_FLAG_DBLSCAN))
		return MODE_NO_INTERLACE;
	if (!xenpv_fb_mode_ok(mode->hdisplay, mode->vdisplay, kms->max_width,
			      kms->max_height, kms->resize))
		return MODE_BAD;
	return MODE_OK;
}

/*
 * Copy @clip (framebuffer pixels) of @state into the shared framebuffer and
 * return the destination rectangle written in @done.
 */
static bool xenpv_fb_copy_clip(const struct xenpv_fb_surface *surf,
			       struct drm_plane_state *state,
			       const struct xenpv_drm_fb_access *acc,
			       const struct drm_rect *clip,
			       struct xenpv_fb_rect *done)
{
	struct xenpv_fb_rect r = {
		.x1 = clip->x1, .y1 = clip->y1, .x2 = clip->x2, .y2 = clip->y2,
	};

	return xenpv_fb_copy_rect(surf, acc->vaddr, state->fb->pitches[0],
				  acc->len, state->src.x1 >> 16,
				  state->src.y1 >> 16, &r, done);
}

static void xenpv_fb_pipe_enable(struct drm_simple_display_pipe *pipe,
				 struct drm_crtc_state *crtc_state,
				 struct drm_plane_state *plane_state)
{
	struct xenpv_fb_kms *kms = pipe_to_kms(pipe);
	struct xenpv_fb_info *info = kms->info;
	struct xenpv_drm_fb_access acc;
	struct xenpv_fb_surface surf;
	struct xenpv_fb_rect done = { 0 };
	struct drm_rect all;
	bool ok = false;
	int idx;

	if (!drm_dev_enter(kms->drm, &idx))
		return;

	xenpv_fb_kms_set_mode(info, crtc_state->mode.hdisplay,
			      crtc_state->mode.vdisplay);
	if (plane_state->fb && xenpv_fb_kms_surface(info, &surf) &&
	    xenpv_drm_fb_begin(plane_state, &acc)) {
		all.x1 = plane_state->src.x1 >> 16;
		all.y1 = plane_state->src.y1 >> 16;
		all.x2 = all.x1 + (int)surf.width;
		all.y2 = all.y1 + (int)surf.height;
		ok = xenpv_fb_copy_clip(&surf, plane_state, &acc, &all, &done);
		xenpv_drm_fb_end(plane_state, &acc);
	}
	/* Announce the whole screen even if the copy failed: it was cleared. */
	done.x1 = 0;
	done.y1 = 0;
	done.x2 = crtc_state->mode.hdisplay;
	done.y2 = crtc_state->mode.vdisplay;
	xenpv_fb_kms_damage(info, &done, !ok);

	drm_dev_exit(idx);
}

static void xenpv_fb_pipe_disable(struct drm_simple_display_pipe *pipe)
{
	struct xenpv_fb_kms *kms = pipe_to_kms(pipe);
	int idx;

	if (!drm_dev_enter(kms->drm, &idx))
		return;
	xenpv_fb_kms_blank(kms->info);
	drm_dev_exit(idx);
}

static void xenpv_fb_pipe_update(struct drm_simple_display_pipe *pipe,
				 struct drm_plane_state *old_state)
{
	struct xenpv_fb_kms *kms = pipe_to_kms(pipe);
	struct drm_plane_state *state = pipe->plane.state;
	struct drm_crtc_state *crtc_state = pipe->crtc.state;
	struct drm_atomic_helper_damage_iter iter;
	struct xenpv_fb_rect all = { 0 }, done;
	struct xenpv_drm_fb_access acc;
	struct xenpv_fb_surface surf;
	struct drm_rect clip;
	bool failed = false;
	int idx;

	if (!state->fb || !state->visible || !crtc_state || !crtc_state->active)
		return;
	/* A modeset in this commit: enable() copies the whole screen. */
	if (drm_atomic_crtc_needs_modeset(crtc_state))
		return;
	if (!drm_dev_enter(kms->drm, &idx))
		return;

	if (!xenpv_fb_kms_surface(kms->info, &surf))
		goto out_exit;
	if (!xenpv_drm_fb_begin(state, &acc)) {
		failed = true;
		goto out_report;
	}
	drm_atomic_helper_damage_iter_init(&iter, old_state, state);
	drm_atomic_for_each_plane_damage(&iter, &clip) {
		if (xenpv_fb_copy_clip(&surf, state, &acc, &clip, &done))
			xenpv_fb_rect_union(&all, &done);
		else
			failed = true;
	}
	xenpv_drm_fb_end(state, &acc);
out_report:
	xenpv_fb_kms_damage(kms->info, &all, failed);
out_exit:
	drm_dev_exit(idx);
}

static const struct drm_simple_display_pipe_funcs xenpv_fb_pipe_funcs = {
	.mode_valid = xenpv_fb_pipe_mode_valid,
	.enable = xenpv_fb_pipe_enable,
	.disable = xenpv_fb_pipe_disable,
	.update = xenpv_fb_pipe_update,
	XENPV_DRM_PIPE_SHADOW_FUNCS
};

static const struct drm_mode_config_funcs xenpv_fb_mode_config_funcs = {
	.fb_create = drm_gem_fb_create_with_dirty,
	.atomic_check = drm_atomic_helper_check,
	.atomic_commit = drm_atomic_helper_commit,
};

DEFINE_DRM_GEM_FOPS(xenpv_fb_fops);

static struct drm_driver xenpv_fb_drm_driver = {
	.driver_features = DRIVER_GEM | DRIVER_MODESET | DRIVER_ATOMIC,
	.fops = &xenpv_fb_fops,
	DRM_GEM_SHMEM_DRIVER_OPS,
	XENPV_DRM_FBDEV_DRIVER_OPS
	.name = XENPV_FB_DRM_NAME,
	.desc = "Xen paravirtual framebuffer (xenpv)",
	XENPV_DRM_DRIVER_DATE("20260101")
	.major = 1,
	.minor = 0,
};

/* ---- creation and removal (xenbus side, under info->lock) ------------- */

int xenpv_fb_kms_create(struct xenpv_fb_info *info)
{
	struct device *parent = info->xdev->dev;
	struct xenpv_fb_kms *kms;
	struct drm_device *drm;
	int err;

	drm = drm_dev_alloc(&xenpv_fb_drm_driver, parent);
	if (IS_ERR(drm))
		return PTR_ERR(drm);

	kms = drmm_kzalloc(drm, sizeof(*kms), GFP_KERNEL);
	if (!kms) {
		err = -ENOMEM;
		goto out_put;
	}
	kms->drm = drm;
	kms->info = info;
	kms->max_width = info->geom.width;
	kms->max_height = info->geom.height;
	kms->resize = info->can_resize;
	drm->dev_private = kms;

	err = drmm_mode_config_init(drm);
	if (err)
		goto out_put;
	drm->mode_config.min_width = XENPV_FB_MIN_WIDTH;
	drm->mode_config.min_height = XENPV_FB_MIN_HEIGHT;
	drm->mode_config.max_width = kms->max_width;
	drm->mode_config.max_height = kms->max_height;
	drm->mode_config.preferred_depth = 24;
	drm->mode_config.funcs = &xenpv_fb_mode_config_funcs;

	err = drm_connector_init(drm, &kms->connector, &xenpv_fb_conn_funcs,
				 DRM_MODE_CONNECTOR_VIRTUAL);
	if (err)
		goto out_put;
	drm_connector_helper_add(&kms->connector, &xenpv_fb_conn_helper_funcs);

	err = drm_simple_display_pipe_init(drm, &kms->pipe, &xenpv_fb_pipe_funcs,
					   xenpv_fb_formats,
					   ARRAY_SIZE(xenpv_fb_formats),
					   xenpv_fb_modifiers, &kms->connector);
	if (err)
		goto out_put;
	drm_plane_enable_fb_damage_clips(&kms->pipe.plane);
	drm_mode_config_reset(drm);

	err = drm_dev_register(drm, 0);
	if (err)
		goto out_put;

	info->kms = kms;
	xenpv_drm_fbdev_setup(drm);
	dev_info(parent, "DRM device %s: %ux%u, %s\n", drm->primary ?
		 dev_name(drm->primary->kdev) : XENPV_FB_DRM_NAME,
		 kms->max_width, kms->max_height,
		 kms->resize ? "smaller modes via feature-resize" : "fixed mode");
	return 0;

out_put:
	drm_dev_put(drm);
	return err;
}

void xenpv_fb_kms_destroy(struct xenpv_fb_info *info)
{
	struct xenpv_fb_kms *kms = info->kms;
	struct drm_device *drm;

	if (!kms)
		return;
	drm = kms->drm;
	info->kms = NULL;
	/* After this no callback reaches @info any more. */
	drm_dev_unplug(drm);
	drm_atomic_helper_shutdown(drm);
	drm_dev_put(drm);
}
