// SPDX-License-Identifier: GPL-2.0
/*
 * drm_pattern: draw a known pattern through DRM dumb buffers (guest test).
 *
 * Copyright (C) 2026 The xenpv authors
 *
 * Raw DRM ioctls only (no libdrm), so it builds statically anywhere.
 * Finds the card whose DRM driver is xenpvfb (or -d PATH), then:
 *
 *   drm_pattern info                 driver, connector modes
 *   drm_pattern run [-H SEC] [-m WxH]
 *       stage "full":    the preferred (or -m) mode, 8 vertical colour bars
 *       stage "partial": a grey rectangle at (W/4, H/4) size (W/4, H/4),
 *                        announced with DIRTYFB for that clip only
 *       stage "mode":    the next smaller mode, if the connector offers one
 *                        (needs the backend's feature-resize), bars again
 *     and holds each stage SEC seconds (default 3) so a screenshot can be
 *     taken from dom0 (tools/rfb/rfbtool check-bars / check-rect).
 *
 * Bars, left to right, each W/8 wide: white, yellow, cyan, green, magenta,
 * red, blue, black (XRGB8888 0xffffff ... 0x000000).  Output is TAP.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>
#include <drm/drm.h>
#include <drm/drm_mode.h>
#include <drm/drm_fourcc.h>

#define DRIVER_NAME	"xenpvfb"
#define MAX_MODES	64
#define GREY		0x808080u

static const uint32_t bar_colours[8] = {
	0xffffff, 0xffff00, 0x00ffff, 0x00ff00,
	0xff00ff, 0xff0000, 0x0000ff, 0x000000,
};

static int tap_n, tap_failed;

static void tap(int ok, const char *fmt, const char *arg)
{
	tap_n++;
	if (!ok)
		tap_failed++;
	printf("%s %d - ", ok ? "ok" : "not ok", tap_n);
	printf(fmt, arg);
	printf("\n");
	fflush(stdout);
}

struct card {
	int fd;
	uint32_t crtc_id;
	uint32_t conn_id;
	struct drm_mode_modeinfo modes[MAX_MODES];
	unsigned int nr_modes;
};

struct buffer {
	uint32_t handle, fb_id, pitch, width, height;
	uint64_t size;
	uint32_t *map;
};

static int xioctl(int fd, unsigned long req, void *arg)
{
	int r;

	do
		r = ioctl(fd, req, arg);
	while (r == -1 && (errno == EINTR || errno == EAGAIN));
	return r;
}

static int driver_is(int fd, const char *want)
{
	struct drm_version v;
	char name[64] = "";

	memset(&v, 0, sizeof(v));
	v.name = name;
	v.name_len = sizeof(name) - 1;
	if (xioctl(fd, DRM_IOCTL_VERSION, &v))
		return 0;
	return strcmp(name, want) == 0;
}

static int open_card(const char *path)
{
	char p[32];
	int i, fd;

	if (path)
		return open(path, O_RDWR | O_CLOEXEC);
	for (i = 0; i < 16; i++) {
		snprintf(p, sizeof(p), "/dev/dri/card%d", i);
		fd = open(p, O_RDWR | O_CLOEXEC);
		if (fd < 0)
			continue;
		if (driver_is(fd, DRIVER_NAME)) {
			printf("# using %s\n", p);
			return fd;
		}
		close(fd);
	}
	return -1;
}

static int probe_card(struct card *c)
{
	struct drm_mode_card_res res;
	struct drm_mode_get_connector conn;
	uint32_t crtcs[8], conns[8], encs[8];

	memset(&res, 0, sizeof(res));
	if (xioctl(c->fd, DRM_IOCTL_MODE_GETRESOURCES, &res))
		return -1;
	if (!res.count_crtcs || !res.count_connectors ||
	    res.count_crtcs > 8 || res.count_connectors > 8 ||
	    res.count_encoders > 8)
		return -1;
	res.count_fbs = 0;
	res.crtc_id_ptr = (uintptr_t)crtcs;
	res.connector_id_ptr = (uintptr_t)conns;
	res.encoder_id_ptr = (uintptr_t)encs;
	if (xioctl(c->fd, DRM_IOCTL_MODE_GETRESOURCES, &res))
		return -1;
	c->crtc_id = crtcs[0];
	c->conn_id = conns[0];

	memset(&conn, 0, sizeof(conn));
	conn.connector_id = c->conn_id;
	if (xioctl(c->fd, DRM_IOCTL_MODE_GETCONNECTOR, &conn))
		return -1;
	if (conn.count_modes > MAX_MODES)
		return -1;
	c->nr_modes = conn.count_modes;
	memset(&conn, 0, sizeof(conn));
	conn.connector_id = c->conn_id;
	conn.count_modes = c->nr_modes;
	conn.modes_ptr = (uintptr_t)c->modes;
	if (xioctl(c->fd, DRM_IOCTL_MODE_GETCONNECTOR, &conn))
		return -1;
	if (conn.count_modes < c->nr_modes)
		c->nr_modes = conn.count_modes;
	return c->nr_modes ? 0 : -1;
}

static int create_buffer(struct card *c, struct buffer *b, uint32_t w,
			 uint32_t h)
{
	struct drm_mode_create_dumb cd;
	struct drm_mode_map_dumb md;
	struct drm_mode_fb_cmd2 fb;
	void *map;

	memset(b, 0, sizeof(*b));
	memset(&cd, 0, sizeof(cd));
	cd.width = w;
	cd.height = h;
	cd.bpp = 32;
	if (xioctl(c->fd, DRM_IOCTL_MODE_CREATE_DUMB, &cd))
		return -1;
	b->handle = cd.handle;
	b->pitch = cd.pitch;
	b->size = cd.size;
	b->width = w;
	b->height = h;

	memset(&fb, 0, sizeof(fb));
	fb.width = w;
	fb.height = h;
	fb.pixel_format = DRM_FORMAT_XRGB8888;
	fb.handles[0] = b->handle;
	fb.pitches[0] = b->pitch;
	if (xioctl(c->fd, DRM_IOCTL_MODE_ADDFB2, &fb))
		return -1;
	b->fb_id = fb.fb_id;

	memset(&md, 0, sizeof(md));
	md.handle = b->handle;
	if (xioctl(c->fd, DRM_IOCTL_MODE_MAP_DUMB, &md))
		return -1;
	map = mmap(NULL, b->size, PROT_READ | PROT_WRITE, MAP_SHARED, c->fd,
		   md.offset);
	if (map == MAP_FAILED)
		return -1;
	b->map = map;
	return 0;
}

static void destroy_buffer(struct card *c, struct buffer *b)
{
	struct drm_mode_destroy_dumb dd;

	if (b->map)
		munmap(b->map, b->size);
	if (b->fb_id)
		xioctl(c->fd, DRM_IOCTL_MODE_RMFB, &b->fb_id);
	memset(&dd, 0, sizeof(dd));
	dd.handle = b->handle;
	if (b->handle)
		xioctl(c->fd, DRM_IOCTL_MODE_DESTROY_DUMB, &dd);
	memset(b, 0, sizeof(*b));
}

static void draw_bars(struct buffer *b)
{
	uint32_t x, y;

	for (y = 0; y < b->height; y++) {
		uint32_t *row = (uint32_t *)((uint8_t *)b->map + (size_t)y * b->pitch);

		for (x = 0; x < b->width; x++)
			row[x] = bar_colours[(uint64_t)x * 8 / b->width];
	}
}

static void fill_rect(struct buffer *b, uint32_t x0, uint32_t y0, uint32_t w,
		      uint32_t h, uint32_t colour)
{
	uint32_t x, y;

	for (y = y0; y < y0 + h && y < b->height; y++) {
		uint32_t *row = (uint32_t *)((uint8_t *)b->map + (size_t)y * b->pitch);

		for (x = x0; x < x0 + w && x < b->width; x++)
			row[x] = colour;
	}
}

static int set_crtc(struct card *c, struct buffer *b,
		    const struct drm_mode_modeinfo *mode)
{
	struct drm_mode_crtc crtc;
	uint32_t conn = c->conn_id;

	memset(&crtc, 0, sizeof(crtc));
	crtc.crtc_id = c->crtc_id;
	crtc.fb_id = b->fb_id;
	crtc.set_connectors_ptr = (uintptr_t)&conn;
	crtc.count_connectors = 1;
	crtc.mode = *mode;
	crtc.mode_valid = 1;
	return xioctl(c->fd, DRM_IOCTL_MODE_SETCRTC, &crtc);
}

static const struct drm_mode_modeinfo *pick_mode(struct card *c, unsigned int w,
						 unsigned int h)
{
	unsigned int i;

	for (i = 0; i < c->nr_modes; i++) {
		if (w && (c->modes[i].hdisplay != w || c->modes[i].vdisplay != h))
			continue;
		if (w || (c->modes[i].type & DRM_MODE_TYPE_PREFERRED))
			return &c->modes[i];
	}
	return w ? NULL : &c->modes[0];
}

/* The largest mode strictly smaller (in area) than @cur. */
static const struct drm_mode_modeinfo *smaller_mode(struct card *c,
						    const struct drm_mode_modeinfo *cur)
{
	const struct drm_mode_modeinfo *best = NULL;
	unsigned long cur_area = (unsigned long)cur->hdisplay * cur->vdisplay;
	unsigned int i;

	for (i = 0; i < c->nr_modes; i++) {
		unsigned long a = (unsigned long)c->modes[i].hdisplay *
				  c->modes[i].vdisplay;

		if (a >= cur_area)
			continue;
		if (!best || a > (unsigned long)best->hdisplay * best->vdisplay)
			best = &c->modes[i];
	}
	return best;
}

static void stage(const char *name, const struct drm_mode_modeinfo *m,
		  unsigned int hold)
{
	printf("# stage %s %ux%u\n", name, m->hdisplay, m->vdisplay);
	fflush(stdout);
	sleep(hold);
}

static int cmd_info(struct card *c)
{
	unsigned int i;

	for (i = 0; i < c->nr_modes; i++)
		printf("# mode %ux%u@%u%s\n", c->modes[i].hdisplay,
		       c->modes[i].vdisplay, c->modes[i].vrefresh,
		       (c->modes[i].type & DRM_MODE_TYPE_PREFERRED) ?
		       " preferred" : "");
	tap(c->nr_modes > 0, "connector reports %s", "modes");
	return 0;
}

static int cmd_run(struct card *c, unsigned int w, unsigned int h,
		   unsigned int hold)
{
	const struct drm_mode_modeinfo *mode, *small;
	struct drm_mode_fb_dirty_cmd dirty;
	struct drm_clip_rect clip;
	struct buffer b, b2;
	char desc[64];

	mode = pick_mode(c, w, h);
	tap(mode != NULL, "mode %s available", w ? "requested" : "preferred");
	if (!mode)
		return 1;
	snprintf(desc, sizeof(desc), "%ux%u", mode->hdisplay, mode->vdisplay);
	tap(!create_buffer(c, &b, mode->hdisplay, mode->vdisplay),
	    "dumb buffer %s created and mapped", desc);
	if (!b.map)
		return 1;
	draw_bars(&b);
	tap(!set_crtc(c, &b, mode), "SETCRTC %s with colour bars", desc);
	stage("full", mode, hold);

	/* Partial update: only the grey rectangle is announced. */
	clip.x1 = mode->hdisplay / 4;
	clip.y1 = mode->vdisplay / 4;
	clip.x2 = clip.x1 + mode->hdisplay / 4;
	clip.y2 = clip.y1 + mode->vdisplay / 4;
	fill_rect(&b, clip.x1, clip.y1, clip.x2 - clip.x1, clip.y2 - clip.y1,
		  GREY);
	memset(&dirty, 0, sizeof(dirty));
	dirty.fb_id = b.fb_id;
	dirty.num_clips = 1;
	dirty.clips_ptr = (uintptr_t)&clip;
	snprintf(desc, sizeof(desc), "%u,%u %ux%u", clip.x1, clip.y1,
		 clip.x2 - clip.x1, clip.y2 - clip.y1);
	tap(!xioctl(c->fd, DRM_IOCTL_MODE_DIRTYFB, &dirty),
	    "DIRTYFB partial update %s", desc);
	printf("# rect %u %u %u %u %06x\n", clip.x1, clip.y1,
	       clip.x2 - clip.x1, clip.y2 - clip.y1, GREY);
	stage("partial", mode, hold);

	small = smaller_mode(c, mode);
	if (!small) {
		printf("ok %d - mode change # SKIP no smaller mode (backend without feature-resize)\n",
		       ++tap_n);
	} else {
		snprintf(desc, sizeof(desc), "%ux%u", small->hdisplay,
			 small->vdisplay);
		if (create_buffer(c, &b2, small->hdisplay, small->vdisplay)) {
			tap(0, "dumb buffer %s for the mode change", desc);
		} else {
			draw_bars(&b2);
			tap(!set_crtc(c, &b2, small), "mode change to %s", desc);
			stage("mode", small, hold);
			destroy_buffer(c, &b2);
		}
	}
	destroy_buffer(c, &b);
	return 0;
}

static void usage(void)
{
	fprintf(stderr,
		"usage: drm_pattern [-d /dev/dri/cardN] info\n"
		"       drm_pattern [-d /dev/dri/cardN] run [-H seconds] [-m WxH]\n");
	exit(2);
}

int main(int argc, char **argv)
{
	const char *path = NULL, *cmd;
	unsigned int hold = 3, w = 0, h = 0;
	struct card c;
	int i;

	setvbuf(stdout, NULL, _IOLBF, 0);
	for (i = 1; i < argc && argv[i][0] == '-'; i++) {
		if (!strcmp(argv[i], "-d") && i + 1 < argc)
			path = argv[++i];
		else
			usage();
	}
	if (i >= argc)
		usage();
	cmd = argv[i++];
	for (; i < argc; i++) {
		if (!strcmp(argv[i], "-H") && i + 1 < argc)
			hold = (unsigned int)strtoul(argv[++i], NULL, 10);
		else if (!strcmp(argv[i], "-m") && i + 1 < argc &&
			 sscanf(argv[i + 1], "%ux%u", &w, &h) == 2)
			i++;
		else
			usage();
	}

	memset(&c, 0, sizeof(c));
	c.fd = open_card(path);
	tap(c.fd >= 0, "opened the %s DRM device", DRIVER_NAME);
	if (c.fd < 0)
		goto out;
	tap(!probe_card(&c), "%s: CRTC, connector and modes", "probe");
	if (!c.nr_modes)
		goto out;
	if (!strcmp(cmd, "info"))
		cmd_info(&c);
	else if (!strcmp(cmd, "run"))
		cmd_run(&c, w, h, hold);
	else
		usage();
out:
	printf("1..%d\n", tap_n);
	return tap_failed ? 1 : 0;
}
