// SPDX-License-Identifier: GPL-2.0
/*
 * Pure logic of xenpv_fbfront: damage rectangles, geometry and modes.
 *
 * Copyright (C) 2026 The xenpv authors
 */
#include "fb_logic.h"

/* Standard sizes offered below the initial one, largest area first. */
static const struct xenpv_fb_mode xenpv_fb_std_modes[] = {
	{ 3840, 2160 }, { 2560, 1600 }, { 2560, 1440 }, { 1920, 1200 },
	{ 1920, 1080 }, { 1600, 1200 }, { 1680, 1050 }, { 1400, 1050 },
	{ 1600,  900 }, { 1280, 1024 }, { 1440,  900 }, { 1280,  960 },
	{ 1366,  768 }, { 1280,  800 }, { 1152,  864 }, { 1280,  720 },
	{ 1024,  768 }, {  800,  600 }, {  640,  480 },
};

#define XENPV_FB_NR_STD_MODES \
	(sizeof(xenpv_fb_std_modes) / sizeof(xenpv_fb_std_modes[0]))

bool xenpv_fb_rect_empty(const struct xenpv_fb_rect *r)
{
	return r->x1 >= r->x2 || r->y1 >= r->y2;
}

bool xenpv_fb_rect_clip(struct xenpv_fb_rect *r, u32 width, u32 height)
{
	s64 w = width, h = height;

	if (r->x1 < 0)
		r->x1 = 0;
	if (r->y1 < 0)
		r->y1 = 0;
	if ((s64)r->x2 > w)
		r->x2 = (s32)w;
	if ((s64)r->y2 > h)
		r->y2 = (s32)h;
	if (xenpv_fb_rect_empty(r)) {
		r->x1 = 0;
		r->y1 = 0;
		r->x2 = 0;
		r->y2 = 0;
		return false;
	}
	return true;
}

void xenpv_fb_rect_union(struct xenpv_fb_rect *acc,
			 const struct xenpv_fb_rect *r)
{
	if (xenpv_fb_rect_empty(r))
		return;
	if (xenpv_fb_rect_empty(acc)) {
		*acc = *r;
		return;
	}
	if (r->x1 < acc->x1)
		acc->x1 = r->x1;
	if (r->y1 < acc->y1)
		acc->y1 = r->y1;
	if (r->x2 > acc->x2)
		acc->x2 = r->x2;
	if (r->y2 > acc->y2)
		acc->y2 = r->y2;
}

void xenpv_fb_dirty_reset(struct xenpv_fb_dirty *d)
{
	memset(d, 0, sizeof(*d));
}

bool xenpv_fb_dirty_pending(const struct xenpv_fb_dirty *d)
{
	return !xenpv_fb_rect_empty(&d->rect);
}

bool xenpv_fb_dirty_add(struct xenpv_fb_dirty *d, const struct xenpv_fb_rect *r,
			u32 width, u32 height)
{
	struct xenpv_fb_rect c = *r;

	if (!xenpv_fb_rect_clip(&c, width, height))
		return false;
	if (xenpv_fb_dirty_pending(d))
		d->merged++;
	xenpv_fb_rect_union(&d->rect, &c);
	return true;
}

bool xenpv_fb_dirty_take(struct xenpv_fb_dirty *d, struct xenpv_fb_rect *out)
{
	if (!xenpv_fb_dirty_pending(d))
		return false;
	*out = d->rect;
	xenpv_fb_dirty_reset(d);
	return true;
}

bool xenpv_fb_dims_valid(u32 width, u32 height)
{
	return width >= XENPV_FB_MIN_WIDTH && width <= XENPV_FB_MAX_DIM &&
	       height >= XENPV_FB_MIN_HEIGHT && height <= XENPV_FB_MAX_DIM;
}

/* Fill @geom for @w x @h when it fits the request; false otherwise. */
static bool xenpv_fb_try_geometry(const struct xenpv_fb_request *req,
				  u32 w, u32 h, struct xenpv_fb_geometry *geom)
{
	u64 bytes, pages;

	if (!xenpv_fb_dims_valid(w, h))
		return false;
	bytes = (u64)w * h * XENPV_FB_CPP;
	pages = (bytes + req->page_size - 1) / req->page_size;
	if (bytes > req->max_bytes || pages > req->max_pages)
		return false;
	geom->width = w;
	geom->height = h;
	geom->line_length = w * XENPV_FB_CPP;
	geom->nr_pages = (u32)pages;
	geom->mem_length = (u32)(pages * req->page_size);
	return true;
}

int xenpv_fb_pick_geometry(const struct xenpv_fb_request *req,
			   struct xenpv_fb_geometry *geom)
{
	unsigned int i;

	/* Page sizes are powers of two between 4 KiB and 64 KiB. */
	if (req->page_size < 4096 || req->page_size > 65536 ||
	    (req->page_size & (req->page_size - 1)) || !req->max_pages)
		return -EINVAL;

	if (req->be_width && req->be_height &&
	    xenpv_fb_try_geometry(req, req->be_width, req->be_height, geom)) {
		geom->source = XENPV_FB_GEOM_BACKEND;
		return 0;
	}
	if (xenpv_fb_try_geometry(req, req->def_width, req->def_height, geom)) {
		geom->source = XENPV_FB_GEOM_PARAM;
		return 0;
	}
	for (i = 0; i < XENPV_FB_NR_STD_MODES; i++) {
		if (xenpv_fb_try_geometry(req, xenpv_fb_std_modes[i].width,
					  xenpv_fb_std_modes[i].height, geom)) {
			geom->source = XENPV_FB_GEOM_FALLBACK;
			return 0;
		}
	}
	return -ENOSPC;
}

bool xenpv_fb_mode_ok(u32 w, u32 h, u32 max_w, u32 max_h, bool resize)
{
	if (w == max_w && h == max_h)
		return true;
	if (!resize)
		return false;
	return w >= XENPV_FB_MIN_WIDTH && h >= XENPV_FB_MIN_HEIGHT &&
	       w <= max_w && h <= max_h;
}

unsigned int xenpv_fb_mode_list(u32 max_w, u32 max_h, bool resize,
				struct xenpv_fb_mode *out, unsigned int max_out)
{
	unsigned int i, n = 0;

	if (!max_out || !xenpv_fb_dims_valid(max_w, max_h))
		return 0;
	out[n].width = max_w;
	out[n].height = max_h;
	n++;
	if (!resize)
		return n;
	for (i = 0; i < XENPV_FB_NR_STD_MODES && n < max_out; i++) {
		const struct xenpv_fb_mode *m = &xenpv_fb_std_modes[i];

		if (m->width == max_w && m->height == max_h)
			continue;
		if (!xenpv_fb_mode_ok(m->width, m->height, max_w, max_h, true))
			continue;
		out[n++] = *m;
	}
	return n;
}

bool xenpv_fb_copy_rect(const struct xenpv_fb_surface *dst, const void *src,
			u32 src_pitch, size_t src_len, s32 src_x0, s32 src_y0,
			const struct xenpv_fb_rect *clip,
			struct xenpv_fb_rect *done)
{
	const u8 *s = src;
	struct xenpv_fb_rect d;
	s64 sx, sy_first, sy_last;
	u64 row_bytes, soff_last, doff_last;
	s32 y;

	if (!dst->base || !src || (u64)dst->stride < (u64)dst->width * XENPV_FB_CPP)
		return false;
	if ((s64)clip->x1 - src_x0 < S32_MIN || (s64)clip->x2 - src_x0 > S32_MAX ||
	    (s64)clip->y1 - src_y0 < S32_MIN || (s64)clip->y2 - src_y0 > S32_MAX)
		return false;
	d.x1 = clip->x1 - src_x0;
	d.y1 = clip->y1 - src_y0;
	d.x2 = clip->x2 - src_x0;
	d.y2 = clip->y2 - src_y0;
	if (!xenpv_fb_rect_clip(&d, dst->width, dst->height))
		return false;

	/* Bounds of the whole copy, checked once before touching memory. */
	sx = (s64)d.x1 + src_x0;
	sy_first = (s64)d.y1 + src_y0;
	sy_last = (s64)d.y2 - 1 + src_y0;
	if (sx < 0 || sy_first < 0)
		return false;
	row_bytes = (u64)(d.x2 - d.x1) * XENPV_FB_CPP;
	soff_last = (u64)sy_last * src_pitch + (u64)sx * XENPV_FB_CPP;
	if ((u64)sx * XENPV_FB_CPP + row_bytes > src_pitch ||
	    soff_last + row_bytes > src_len)
		return false;
	doff_last = (u64)(d.y2 - 1) * dst->stride + (u64)d.x1 * XENPV_FB_CPP;
	if (doff_last + row_bytes > dst->len)
		return false;

	for (y = d.y1; y < d.y2; y++) {
		u64 soff = (u64)(y + src_y0) * src_pitch + (u64)sx * XENPV_FB_CPP;
		u64 doff = (u64)y * dst->stride + (u64)d.x1 * XENPV_FB_CPP;

		memcpy(dst->base + doff, s + soff, row_bytes);
	}
	*done = d;
	return true;
}
