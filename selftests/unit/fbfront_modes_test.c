// SPDX-License-Identifier: GPL-2.0
/*
 * Host unit tests for xenpv_fbfront's geometry and mode list
 * (fbfront/fb_logic.c): what the framebuffer becomes from the backend's
 * limits and the module parameters, and which modes DRM is offered.
 *
 * Copyright (C) 2026 The xenpv authors
 *
 * unit-sources: ../../fbfront/fb_logic.c
 */
#include "unit.h"
#include "../../fbfront/fb_logic.h"

/* pd[256] of 512 frames each: what a 64-bit guest's page can describe. */
#define MAX_PAGES (256u * 512u)

static struct xenpv_fb_request req(unsigned long long mb, unsigned int bw,
				   unsigned int bh)
{
	struct xenpv_fb_request r = {
		.max_bytes = mb << 20, .be_width = bw, .be_height = bh,
		.def_width = 800, .def_height = 600, .page_size = 4096,
		.max_pages = MAX_PAGES,
	};

	return r;
}

static void test_geometry(void)
{
	struct xenpv_fb_request r;
	struct xenpv_fb_geometry g;

	r = req(2, 0, 0);
	UNIT_CHECK(!xenpv_fb_pick_geometry(&r, &g) && g.width == 800 &&
		   g.height == 600 && g.source == XENPV_FB_GEOM_PARAM,
		   "defaults: 800x600 from the parameters");
	UNIT_CHECK_EQ(g.line_length, 3200, "packed line length");
	UNIT_CHECK_EQ(g.mem_length, 1921024, "800x600x4 rounded up to pages");
	UNIT_CHECK_EQ(g.nr_pages, 469, "page count");

	r = req(16, 1280, 1024);
	UNIT_CHECK(!xenpv_fb_pick_geometry(&r, &g) && g.width == 1280 &&
		   g.height == 1024 && g.source == XENPV_FB_GEOM_BACKEND,
		   "backend size used when it fits");

	r = req(2, 1280, 1024);
	UNIT_CHECK(!xenpv_fb_pick_geometry(&r, &g) && g.width == 800 &&
		   g.source == XENPV_FB_GEOM_PARAM,
		   "backend size too big for videoram: parameters");

	r = req(2, 0, 0);
	r.def_width = 1024;
	r.def_height = 768;
	UNIT_CHECK(!xenpv_fb_pick_geometry(&r, &g) && g.width == 800 &&
		   g.height == 600 && g.source == XENPV_FB_GEOM_FALLBACK,
		   "1024x768 parameters in 2 MiB: largest standard mode, 800x600");

	r = req(1, 0, 0);
	r.def_width = 640;
	r.def_height = 400;
	UNIT_CHECK(!xenpv_fb_pick_geometry(&r, &g) && g.width == 640 &&
		   g.height == 400 && g.source == XENPV_FB_GEOM_PARAM,
		   "640x400 parameters fit in 1 MiB");

	r = req(1, 0, 0);
	r.max_bytes = 100000;
	UNIT_CHECK_EQ(xenpv_fb_pick_geometry(&r, &g), -ENOSPC,
		      "nothing fits in 100000 bytes");

	r = req(16, 100, 100);
	UNIT_CHECK(!xenpv_fb_pick_geometry(&r, &g) && g.width == 800,
		   "backend size below the minimum is ignored");
	r = req(256, 9000, 600);
	UNIT_CHECK(!xenpv_fb_pick_geometry(&r, &g) && g.width == 800,
		   "backend width above the maximum is ignored");
	r = req(16, 1024, 0);
	UNIT_CHECK(!xenpv_fb_pick_geometry(&r, &g) && g.width == 800,
		   "backend width without height is ignored");

	r = req(256, 8192, 8192);
	r.max_pages = 1000;
	UNIT_CHECK(!xenpv_fb_pick_geometry(&r, &g) && g.nr_pages <= 1000,
		   "never more pages than pd[] can describe");

	r = req(2, 0, 0);
	r.page_size = 3000;
	UNIT_CHECK_EQ(xenpv_fb_pick_geometry(&r, &g), -EINVAL,
		      "bad page size rejected");
	r = req(2, 0, 0);
	r.max_pages = 0;
	UNIT_CHECK_EQ(xenpv_fb_pick_geometry(&r, &g), -EINVAL,
		      "zero page budget rejected");
	UNIT_CHECK(xenpv_fb_dims_valid(320, 200) && !xenpv_fb_dims_valid(319, 200) &&
		   !xenpv_fb_dims_valid(320, 8193), "dimension limits");
}

static int has_mode(const struct xenpv_fb_mode *m, unsigned int n,
		    unsigned int w, unsigned int h)
{
	unsigned int i;

	for (i = 0; i < n; i++)
		if (m[i].width == w && m[i].height == h)
			return 1;
	return 0;
}

static void test_modes(void)
{
	struct xenpv_fb_mode m[32];
	unsigned int n, i, j, dup = 0, fits = 1;

	n = xenpv_fb_mode_list(800, 600, false, m, 32);
	UNIT_CHECK(n == 1 && m[0].width == 800 && m[0].height == 600,
		   "without resize only the initial size");

	n = xenpv_fb_mode_list(1024, 768, true, m, 32);
	UNIT_CHECK(n == 3 && m[0].width == 1024 && m[0].height == 768,
		   "with resize: initial size first (preferred)");
	UNIT_CHECK(has_mode(m, n, 800, 600) && has_mode(m, n, 640, 480),
		   "smaller standard modes offered");

	n = xenpv_fb_mode_list(1920, 1080, true, m, 32);
	for (i = 0; i < n; i++) {
		if (m[i].width > 1920 || m[i].height > 1080)
			fits = 0;
		for (j = i + 1; j < n; j++)
			if (m[i].width == m[j].width && m[i].height == m[j].height)
				dup = 1;
	}
	UNIT_CHECK(fits, "no mode larger than the framebuffer");
	UNIT_CHECK(!dup, "no duplicate (1920x1080 is also a standard mode)");
	UNIT_CHECK(!has_mode(m, n, 1600, 1200), "1600x1200 is too tall for 1080");
	UNIT_CHECK(has_mode(m, n, 1366, 768), "1366x768 offered");

	n = xenpv_fb_mode_list(1000, 700, true, m, 32);
	UNIT_CHECK(n >= 2 && m[0].width == 1000 && m[0].height == 700,
		   "non-standard initial size kept as the preferred mode");

	n = xenpv_fb_mode_list(1920, 1200, true, m, 3);
	UNIT_CHECK_EQ(n, 3, "output bounded by max_out");
	UNIT_CHECK_EQ(xenpv_fb_mode_list(100, 100, true, m, 32), 0,
		      "invalid framebuffer size: no modes");
	UNIT_CHECK_EQ(xenpv_fb_mode_list(800, 600, true, m, 0), 0,
		      "no room: no modes");

	UNIT_CHECK(xenpv_fb_mode_ok(800, 600, 800, 600, false),
		   "initial size always ok");
	UNIT_CHECK(!xenpv_fb_mode_ok(640, 480, 800, 600, false),
		   "smaller mode refused without resize");
	UNIT_CHECK(xenpv_fb_mode_ok(640, 480, 800, 600, true),
		   "smaller mode ok with resize");
	UNIT_CHECK(!xenpv_fb_mode_ok(1024, 768, 800, 600, true),
		   "larger mode never ok");
	UNIT_CHECK(!xenpv_fb_mode_ok(800, 100, 800, 600, true),
		   "mode below the minimum refused");
}

int main(void)
{
	test_geometry();
	test_modes();
	return unit_done();
}
