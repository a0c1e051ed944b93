// SPDX-License-Identifier: GPL-2.0
/*
 * Host unit tests for xenpv_fbfront's damage handling (fbfront/fb_logic.c):
 * rectangle clipping and union, coalescing of pending damage, and the
 * bounded copy from a client framebuffer into the shared one.
 *
 * Copyright (C) 2026 The xenpv authors
 *
 * unit-sources: ../../fbfront/fb_logic.c
 */
#include <stdint.h>
#include <stdlib.h>

#include "unit.h"
#include "../../fbfront/fb_logic.h"

static struct xenpv_fb_rect R(int x1, int y1, int x2, int y2)
{
	struct xenpv_fb_rect r = { x1, y1, x2, y2 };

	return r;
}

static int rect_is(const struct xenpv_fb_rect *r, int x1, int y1, int x2,
		   int y2)
{
	return r->x1 == x1 && r->y1 == y1 && r->x2 == x2 && r->y2 == y2;
}

static void test_clip(void)
{
	struct xenpv_fb_rect r;

	r = R(10, 10, 20, 20);
	UNIT_CHECK(xenpv_fb_rect_clip(&r, 800, 600) && rect_is(&r, 10, 10, 20, 20),
		   "inside rectangle unchanged");
	r = R(-5, -5, 900, 700);
	UNIT_CHECK(xenpv_fb_rect_clip(&r, 800, 600) && rect_is(&r, 0, 0, 800, 600),
		   "oversized rectangle clipped to the screen");
	r = R(800, 0, 900, 10);
	UNIT_CHECK(!xenpv_fb_rect_clip(&r, 800, 600) && xenpv_fb_rect_empty(&r),
		   "rectangle right of the screen is empty");
	r = R(5, 5, 5, 10);
	UNIT_CHECK(!xenpv_fb_rect_clip(&r, 800, 600), "zero-width is empty");
	r = R(10, 10, 5, 5);
	UNIT_CHECK(!xenpv_fb_rect_clip(&r, 800, 600), "inverted is empty");
	r = R(INT32_MIN, INT32_MIN, INT32_MAX, INT32_MAX);
	UNIT_CHECK(xenpv_fb_rect_clip(&r, 1, 1) && rect_is(&r, 0, 0, 1, 1),
		   "extreme coordinates clip without overflow");
}

static void test_union(void)
{
	struct xenpv_fb_rect acc = R(0, 0, 0, 0), e = R(3, 3, 3, 3);

	xenpv_fb_rect_union(&acc, &(struct xenpv_fb_rect){ 10, 20, 30, 40 });
	UNIT_CHECK(rect_is(&acc, 10, 20, 30, 40), "union into empty copies");
	xenpv_fb_rect_union(&acc, &(struct xenpv_fb_rect){ 5, 25, 15, 50 });
	UNIT_CHECK(rect_is(&acc, 5, 20, 30, 50), "union is the bounding box");
	xenpv_fb_rect_union(&acc, &e);
	UNIT_CHECK(rect_is(&acc, 5, 20, 30, 50), "union with empty is a no-op");
}

static void test_dirty(void)
{
	struct xenpv_fb_dirty d;
	struct xenpv_fb_rect out;

	xenpv_fb_dirty_reset(&d);
	UNIT_CHECK(!xenpv_fb_dirty_pending(&d), "reset: nothing pending");
	UNIT_CHECK(!xenpv_fb_dirty_take(&d, &out), "take on empty fails");
	UNIT_CHECK(!xenpv_fb_dirty_add(&d, &(struct xenpv_fb_rect){ 900, 0, 950, 5 },
				       800, 600),
		   "off-screen damage is dropped");
	UNIT_CHECK(!xenpv_fb_dirty_pending(&d), "still nothing pending");
	UNIT_CHECK(xenpv_fb_dirty_add(&d, &(struct xenpv_fb_rect){ 0, 0, 8, 8 },
				      800, 600), "add first rectangle");
	UNIT_CHECK(xenpv_fb_dirty_add(&d, &(struct xenpv_fb_rect){ 790, 590, 810, 610 },
				      800, 600), "add second, partly off-screen");
	UNIT_CHECK_EQ(d.merged, 1, "second rectangle counted as merged");
	UNIT_CHECK(xenpv_fb_dirty_take(&d, &out) && rect_is(&out, 0, 0, 800, 600),
		   "take returns the clipped bounding box");
	UNIT_CHECK(!xenpv_fb_dirty_pending(&d) && d.merged == 0,
		   "take clears the pending damage");
}

#define W 16
#define H 8

static void test_copy(void)
{
	uint32_t src[H * 2][W * 2];	/* 32x16 client framebuffer */
	uint32_t dst[H][W];		/* 16x8 shared framebuffer */
	struct xenpv_fb_surface s = {
		.base = (uint8_t *)dst, .stride = W * 4, .width = W, .height = H,
		.len = sizeof(dst),
	};
	struct xenpv_fb_rect clip, done;
	int x, y, ok = 1;

	for (y = 0; y < H * 2; y++)
		for (x = 0; x < W * 2; x++)
			src[y][x] = (uint32_t)(y << 16 | x);
	memset(dst, 0, sizeof(dst));

	/* Plane shows the client fb from (4, 2); damage (6..10, 3..5). */
	clip = R(6, 3, 10, 5);
	UNIT_CHECK(xenpv_fb_copy_rect(&s, src, sizeof(src[0]), sizeof(src), 4, 2,
				      &clip, &done), "copy of an inside clip");
	UNIT_CHECK(rect_is(&done, 2, 1, 6, 3), "destination rectangle translated");
	for (y = 0; y < H; y++)
		for (x = 0; x < W; x++) {
			int in = x >= 2 && x < 6 && y >= 1 && y < 3;
			uint32_t want = in ? (uint32_t)((y + 2) << 16 | (x + 4)) : 0;

			if (dst[y][x] != want)
				ok = 0;
		}
	UNIT_CHECK(ok, "exactly the damaged pixels were copied");

	clip = R(0, 0, 32, 16);
	UNIT_CHECK(xenpv_fb_copy_rect(&s, src, sizeof(src[0]), sizeof(src), 4, 2,
				      &clip, &done) && rect_is(&done, 0, 0, W, H),
		   "whole-fb damage is clipped to the shared surface");
	UNIT_CHECK(dst[H - 1][W - 1] == (uint32_t)((H - 1 + 2) << 16 | (W - 1 + 4)),
		   "last pixel comes from the right source pixel");

	/* The last row read is source row 2 + H - 1, pixels 4 .. 4 + W - 1. */
	clip = R(0, 0, 32, 16);
	UNIT_CHECK(!xenpv_fb_copy_rect(&s, src, sizeof(src[0]),
				       (2 + H - 1) * sizeof(src[0]) + (4 + W) * 4 - 1,
				       4, 2, &clip, &done),
		   "source one byte too short for the last row: refused");
	UNIT_CHECK(xenpv_fb_copy_rect(&s, src, sizeof(src[0]),
				      (2 + H - 1) * sizeof(src[0]) + (4 + W) * 4,
				      4, 2, &clip, &done),
		   "source exactly long enough: copied");
	UNIT_CHECK(!xenpv_fb_copy_rect(&s, src, 8, sizeof(src), 4, 2, &clip, &done),
		   "source pitch narrower than the row: refused");
	s.len = sizeof(dst) - 1;
	UNIT_CHECK(!xenpv_fb_copy_rect(&s, src, sizeof(src[0]), sizeof(src), 4, 2,
				       &clip, &done),
		   "shared surface too short: refused");
	s.len = sizeof(dst);
	clip = R(0, 0, 2, 2);
	UNIT_CHECK(!xenpv_fb_copy_rect(&s, src, sizeof(src[0]), sizeof(src), 4, 2,
				       &clip, &done),
		   "damage outside the visible area copies nothing");
	s.stride = W * 4 - 4;
	clip = R(4, 2, 8, 4);
	UNIT_CHECK(!xenpv_fb_copy_rect(&s, src, sizeof(src[0]), sizeof(src), 4, 2,
				       &clip, &done),
		   "stride smaller than the width: refused");
}

int main(void)
{
	test_clip();
	test_union();
	test_dirty();
	test_copy();
	return unit_done();
}
