/* SPDX-License-Identifier: GPL-2.0 */
/*
 * DRM API drift for xenpv_fbfront, in one place.
 *
 * Copyright (C) 2026 The xenpv authors
 *
 * The driver uses only APIs that are stable across the supported kernels
 * (5.10, 6.1, 6.12, 7.x): drm_simple_display_pipe (its callbacks never
 * changed, unlike the per-object helpers that moved to struct
 * drm_atomic_state in 5.11/5.13 and to struct drm_atomic_commit in 7.x),
 * shmem GEM, drm_gem_fb_create_with_dirty, the damage iterator.  What does
 * differ is wrapped here behind XENPV_HAVE_* feature macros, the results of
 * the compat/probes (compat/generated/<release>/xenpv_probes.h, included
 * by compat/compat.h).  (No __has_include here: sparse cannot evaluate
 * it.)  Test, and the kernels that have the feature:
 *
 *  XENPV_HAVE_DRM_GEM_SHADOW_PLANE         <drm/drm_gem_atomic_helper.h>
 *	defines DRM_GEM_SIMPLE_DISPLAY_PIPE_SHADOW_PLANE_FUNCS (5.13+).
 *  XENPV_HAVE_DRM_GEM_SHMEM_VMAP_OBJ       drm_gem_shmem_vmap() takes the
 *	GEM object and returns void * (5.10 only; 5.11+ take a map).  Used
 *	only without shadow-plane helpers.
 *  XENPV_HAVE_DRM_FBDEV_SHMEM_DRIVER_OPS   <drm/drm_fbdev_shmem.h> defines
 *	DRM_FBDEV_SHMEM_DRIVER_OPS: fbdev via drm_client_setup() (6.13+;
 *	Debian's 6.12 has drm_client_setup.h but not this macro).
 *  XENPV_HAVE_DRM_CLIENTS_CLIENT_SETUP_H   <drm/clients/drm_client_setup.h>
 *	exists (moved there in 6.14; 6.13 and Debian's 6.12 have
 *	<drm/drm_client_setup.h>, 7.2/7.3 only the new path).
 *  XENPV_HAVE_DRM_FBDEV_SHMEM_H            <drm/drm_fbdev_shmem.h> exists
 *	(6.11+): drm_fbdev_shmem_setup() where the driver ops are missing.
 *  XENPV_HAVE_DRM_FBDEV_GENERIC_H          <drm/drm_fbdev_generic.h> exists
 *	(6.2-6.10); before 6.2 drm_fbdev_generic_setup() is in drm_fb_helper.h.
 *  XENPV_HAVE_DRM_DRIVER_DATE              struct drm_driver has .date
 *	(removed in 6.14; without it DRM_IOCTL_VERSION warns or oopses).
 */
#ifndef _XENPV_FBFRONT_DRM_COMPAT_H
#define _XENPV_FBFRONT_DRM_COMPAT_H

#include <linux/err.h>
#include <drm/drm_drv.h>
#include <drm/drm_fb_helper.h>
#include <drm/drm_framebuffer.h>
#include <drm/drm_gem.h>
#include <drm/drm_gem_shmem_helper.h>
#include <drm/drm_plane.h>
#include <drm/drm_simple_kms_helper.h>

/* ---- shadow-plane helpers (5.13+) ---------------------------------------- */

#ifdef XENPV_HAVE_DRM_GEM_SHADOW_PLANE
#include <drm/drm_gem_atomic_helper.h>
#define XENPV_DRM_PIPE_SHADOW_FUNCS DRM_GEM_SIMPLE_DISPLAY_PIPE_SHADOW_PLANE_FUNCS
#elif defined(XENPV_HAVE_DRM_GEM_SHMEM_VMAP_OBJ)
#define XENPV_DRM_PIPE_SHADOW_FUNCS
#else
#error "xenpv_fbfront: no shadow-plane helpers and no legacy shmem vmap (run the compat probes)"
#endif

/* CPU view of a plane's framebuffer for one update. */
struct xenpv_drm_fb_access {
	const void *vaddr;	/* first byte of plane 0 */
	size_t len;		/* readable bytes from @vaddr */
	void *cookie;		/* what xenpv_drm_fb_end() must release */
};

/*
 * Map the framebuffer of @state for reading from a pipe update callback.
 * With shadow-plane helpers the mapping already exists (prepare_fb or
 * begin_fb_access made it); without them (5.10) it is made here.
 */
static inline bool xenpv_drm_fb_begin(struct drm_plane_state *state,
				      struct xenpv_drm_fb_access *acc)
{
	struct drm_framebuffer *fb = state->fb;
	struct drm_gem_object *obj;

	acc->vaddr = NULL;
	acc->cookie = NULL;
	if (!fb || !fb->obj[0])
		return false;
	obj = fb->obj[0];
	if (fb->offsets[0] >= obj->size)
		return false;
	acc->len = obj->size - fb->offsets[0];
#ifdef XENPV_HAVE_DRM_GEM_SHADOW_PLANE
	{
		struct drm_shadow_plane_state *shadow =
			to_drm_shadow_plane_state(state);

		if (shadow->map[0].is_iomem || !shadow->map[0].vaddr)
			return false;
		acc->vaddr = (const u8 *)shadow->map[0].vaddr + fb->offsets[0];
	}
#else
	{
		void *v = drm_gem_shmem_vmap(obj);

		if (IS_ERR_OR_NULL(v))
			return false;
		acc->cookie = v;
		acc->vaddr = (const u8 *)v + fb->offsets[0];
	}
#endif
	return true;
}

static inline void xenpv_drm_fb_end(struct drm_plane_state *state,
				    struct xenpv_drm_fb_access *acc)
{
#ifndef XENPV_HAVE_DRM_GEM_SHADOW_PLANE
	if (acc->cookie)
		drm_gem_shmem_vunmap(state->fb->obj[0], acc->cookie);
#endif
	acc->cookie = NULL;
	acc->vaddr = NULL;
}

/* ---- fbdev emulation --------------------------------------------------- */

#ifdef XENPV_HAVE_DRM_FBDEV_SHMEM_H
#include <drm/drm_fbdev_shmem.h>
#endif

#if defined(XENPV_HAVE_DRM_FBDEV_SHMEM_DRIVER_OPS)
#ifdef XENPV_HAVE_DRM_CLIENTS_CLIENT_SETUP_H
#include <drm/clients/drm_client_setup.h>
#else
#include <drm/drm_client_setup.h>
#endif
#define XENPV_DRM_FBDEV_DRIVER_OPS DRM_FBDEV_SHMEM_DRIVER_OPS,
static inline void xenpv_drm_fbdev_setup(struct drm_device *drm)
{
	drm_client_setup(drm, NULL);
}
#elif defined(XENPV_HAVE_DRM_FBDEV_SHMEM_H)
#define XENPV_DRM_FBDEV_DRIVER_OPS
static inline void xenpv_drm_fbdev_setup(struct drm_device *drm)
{
	drm_fbdev_shmem_setup(drm, 32);
}
#else
#ifdef XENPV_HAVE_DRM_FBDEV_GENERIC_H
#include <drm/drm_fbdev_generic.h>
#endif
#define XENPV_DRM_FBDEV_DRIVER_OPS
static inline void xenpv_drm_fbdev_setup(struct drm_device *drm)
{
	drm_fbdev_generic_setup(drm, 32);
}
#endif

/* ---- struct drm_driver ------------------------------------------------- */

#ifdef XENPV_HAVE_DRM_DRIVER_DATE
#define XENPV_DRM_DRIVER_DATE(d) .date = (d),
#else
#define XENPV_DRM_DRIVER_DATE(d)
#endif

#endif /* _XENPV_FBFRONT_DRM_COMPAT_H */
