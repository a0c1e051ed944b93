/* SPDX-License-Identifier: GPL-2.0 */
/*
 * xenpv_fbfront internals shared by the xenbus side and the DRM side.
 *
 * Copyright (C) 2026 The xenpv authors
 *
 * fbfront.c owns the device: the shared page, the framebuffer the backend
 * maps, the event channel and the fbif out ring.  fbfront_kms.c owns the
 * DRM device, created at the first backend Connected.  The DRM callbacks
 * only call the xenpv_fb_kms_*() functions below, which never sleep and
 * never take info->lock, so the DRM device can be torn down while holding
 * it.
 */
#ifndef _XENPV_FBFRONT_FBFRONT_H
#define _XENPV_FBFRONT_FBFRONT_H

#include <linux/mutex.h>
#include <linux/spinlock.h>
#include <linux/workqueue.h>
#include <xenpv/xenbus.h>
#include <xen/interface/io/fbif.h>

#include "fb_logic.h"

struct xenpv_fb_kms;
struct dentry;

struct xenpv_fb_stats {
	u64 updates;		/* XENFB_TYPE_UPDATE events sent */
	u64 merged;		/* damage rectangles folded into another */
	u64 resizes;		/* XENFB_TYPE_RESIZE events sent */
	u64 ring_full;		/* flushes deferred because the ring was full */
	u64 in_events;		/* backend events consumed (all ignored) */
	u64 copy_failed;	/* damage that could not be copied */
	u64 protocol_errors;
};

struct xenpv_fb_info {
	struct xenpv_device *xdev;
	/* Serialises the xenbus callbacks, connect, disconnect, remove. */
	struct mutex lock;

	/* Memory the backend maps by frame number (pd[] is not grants). */
	struct xenfb_page *page;	/* shared page, one zeroed page */
	unsigned long **pd;		/* frame directory pages */
	unsigned int nr_pd;
	u8 *fb;				/* vmalloc()ed framebuffer */
	struct xenpv_fb_geometry geom;	/* initial (largest) geometry */

	evtchn_port_t port;
	int irq;			/* > 0 while bound */

	/* Backend features, read at every connect. */
	bool want_update;		/* backend "request-update" */
	bool can_resize;		/* backend "feature-resize" */

	/* Everything below is protected by out_lock. */
	spinlock_t out_lock;
	bool connected;			/* events may be sent */
	bool broken;			/* protocol violation seen */
	u32 out_prod;			/* private producer index */
	u32 in_cons;			/* private consumer index */
	u32 cur_width;			/* layout of the shared framebuffer */
	u32 cur_height;
	u32 be_width;			/* what the backend was last told */
	u32 be_height;
	bool resize_pending;
	bool retry_wanted;		/* ring was full: flush when it drains */
	struct xenpv_fb_dirty dirty;
	struct xenpv_fb_stats stats;

	struct delayed_work flush_work;	/* deferred flush while ring full */
	struct delayed_work watchdog;	/* "backend never connected" report */
	struct work_struct fatal_work;	/* report a protocol error */
	bool watchdog_fired;

	struct xenpv_fb_kms *kms;	/* NULL until the first Connected */
	struct dentry *debugfs;
};

/* fbfront.c: services for the DRM side (any context that may spin). */
void xenpv_fb_kms_set_mode(struct xenpv_fb_info *info, u32 width, u32 height);
bool xenpv_fb_kms_surface(struct xenpv_fb_info *info,
			  struct xenpv_fb_surface *surf);
void xenpv_fb_kms_damage(struct xenpv_fb_info *info,
			 const struct xenpv_fb_rect *rect, bool copy_failed);
void xenpv_fb_kms_blank(struct xenpv_fb_info *info);

/* fbfront_kms.c */
int xenpv_fb_kms_create(struct xenpv_fb_info *info);
void xenpv_fb_kms_destroy(struct xenpv_fb_info *info);

#endif /* _XENPV_FBFRONT_FBFRONT_H */
