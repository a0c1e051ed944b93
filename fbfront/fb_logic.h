/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Pure logic of xenpv_fbfront: damage rectangles, geometry and modes.
 *
 * Copyright (C) 2026 The xenpv authors
 *
 * No kernel services are used here, so the same source is compiled into the
 * module and into the host unit tests (selftests/unit/fbfront_*_test.c).
 * Pixels are always 32 bits (XRGB8888, the backend's depth 32).
 */
#ifndef _XENPV_FBFRONT_FB_LOGIC_H
#define _XENPV_FBFRONT_FB_LOGIC_H

#include "logic_types.h"

#define XENPV_FB_CPP		4	/* bytes per pixel */
#define XENPV_FB_DEPTH		32	/* bits per pixel sent to the backend */
#define XENPV_FB_MIN_WIDTH	320
#define XENPV_FB_MIN_HEIGHT	200
#define XENPV_FB_MAX_DIM	8192

/* Half-open rectangle [x1, x2) x [y1, y2) in pixels. */
struct xenpv_fb_rect {
	s32 x1, y1, x2, y2;
};

bool xenpv_fb_rect_empty(const struct xenpv_fb_rect *r);
/* Clip @r to [0, width) x [0, height); false when nothing is left. */
bool xenpv_fb_rect_clip(struct xenpv_fb_rect *r, u32 width, u32 height);
/* @acc becomes the bounding box of @acc and @r (an empty @acc is replaced). */
void xenpv_fb_rect_union(struct xenpv_fb_rect *acc,
			 const struct xenpv_fb_rect *r);

/*
 * Damage that still has to be announced to the backend.  While the out
 * ring is full, new damage is merged into one bounding box instead of
 * queueing, so the backend gets one XENFB_TYPE_UPDATE covering all of it.
 */
struct xenpv_fb_dirty {
	struct xenpv_fb_rect rect;	/* empty when nothing is pending */
	u32 merged;			/* rectangles folded into @rect */
};

void xenpv_fb_dirty_reset(struct xenpv_fb_dirty *d);
bool xenpv_fb_dirty_pending(const struct xenpv_fb_dirty *d);
/* Clip @r to the screen and merge it; false when it was empty after clip. */
bool xenpv_fb_dirty_add(struct xenpv_fb_dirty *d, const struct xenpv_fb_rect *r,
			u32 width, u32 height);
/* Hand out the pending rectangle and forget it; false when none. */
bool xenpv_fb_dirty_take(struct xenpv_fb_dirty *d, struct xenpv_fb_rect *out);

/* What the framebuffer may be (all sizes in bytes or pixels). */
struct xenpv_fb_request {
	u64 max_bytes;		/* min(module cap, backend videoram) */
	u32 be_width;		/* backend "width", 0 when absent */
	u32 be_height;		/* backend "height", 0 when absent */
	u32 def_width;		/* module parameters */
	u32 def_height;
	u32 page_size;
	u32 max_pages;		/* framebuffer pages pd[] can describe */
};

enum xenpv_fb_geom_source {
	XENPV_FB_GEOM_BACKEND,	/* the backend's width/height */
	XENPV_FB_GEOM_PARAM,	/* the module parameters */
	XENPV_FB_GEOM_FALLBACK,	/* the largest standard mode that fits */
};

struct xenpv_fb_geometry {
	u32 width;
	u32 height;
	u32 line_length;	/* bytes per row, packed */
	u32 mem_length;		/* page aligned */
	u32 nr_pages;
	enum xenpv_fb_geom_source source;
};

bool xenpv_fb_dims_valid(u32 width, u32 height);
/*
 * Pick the framebuffer geometry: the backend's size if given, valid and
 * fitting, else the module parameters, else the largest standard mode that
 * fits.  -EINVAL on a malformed request, -ENOSPC when nothing fits.
 */
int xenpv_fb_pick_geometry(const struct xenpv_fb_request *req,
			   struct xenpv_fb_geometry *geom);

struct xenpv_fb_mode {
	u32 width;
	u32 height;
};

/*
 * Modes offered to DRM: the initial size first (the preferred mode), then,
 * only when the backend can resize, every standard mode that fits inside it
 * (largest first, no duplicates).  Returns the number written to @out.
 */
unsigned int xenpv_fb_mode_list(u32 max_w, u32 max_h, bool resize,
				struct xenpv_fb_mode *out, unsigned int max_out);
/* Whether a @w x @h mode can be shown on a @max_w x @max_h framebuffer. */
bool xenpv_fb_mode_ok(u32 w, u32 h, u32 max_w, u32 max_h, bool resize);

/* The shared framebuffer as the backend sees it. */
struct xenpv_fb_surface {
	u8 *base;
	u32 stride;		/* bytes per row */
	u32 width;		/* pixels */
	u32 height;
	size_t len;		/* bytes behind @base */
};

/*
 * Copy the damaged source rectangle @clip (source pixel coordinates) into
 * @dst.  Source pixel (@src_x0, @src_y0) lands on (0, 0) of @dst.  The
 * destination rectangle is clipped to @dst; reads stay inside @src_len
 * bytes, writes inside @dst->len.  *@done is the destination rectangle
 * written; false when nothing was copied.
 */
bool xenpv_fb_copy_rect(const struct xenpv_fb_surface *dst, const void *src,
			u32 src_pitch, size_t src_len, s32 src_x0, s32 src_y0,
			const struct xenpv_fb_rect *clip,
			struct xenpv_fb_rect *done);

#endif /* _XENPV_FBFRONT_FB_LOGIC_H */
