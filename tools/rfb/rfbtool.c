// SPDX-License-Identifier: GPL-2.0
/*
 * rfbtool: a tiny RFB (VNC) client for checking a guest's screen from dom0.
 *
 * Copyright (C) 2026 The xenpv authors
 *
 * Talks RFB 3.3/3.7/3.8 with security type None to a VNC server (QEMU's,
 * by default 127.0.0.1:5900), asks for 32-bit true colour and the raw
 * encoding (plus DesktopSize), and then:
 *
 *   rfbtool [-s HOST] [-p PORT] [-w MS] shot FILE.ppm
 *       grab one full frame and write it as binary PPM (P6)
 *   rfbtool ... size                      print "WxH"
 *   rfbtool ... check X Y RRGGBB [X Y RRGGBB...]
 *       compare pixels; exit 1 on a mismatch
 *   rfbtool ... check-bars                the drm_pattern colour bars
 *   rfbtool ... check-rect X Y W H RRGGBB a filled rectangle (drm_pattern
 *                                         partial update), sampled
 *   rfbtool ... key KEYSYM...             press and release each keysym
 *       (a name: a..z, 0..9, Return, Escape, Tab, BackSpace, space, Left,
 *       Right, Up, Down, or a number such as 0xff0d)
 *   rfbtool ... type TEXT                 type printable ASCII
 *   rfbtool ... pointer X Y [MASK]        move, press MASK, release
 *
 * -w MS waits that long after connecting before grabbing (lets the guest
 * settle).  Every check prints one line; the exit status is 0 when all
 * passed.  Built statically (dom0 may have no Python).
 */
#include <arpa/inet.h>
#include <errno.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define TIMEOUT_MS	10000
#define MAX_DIM		8192

static const uint32_t bar_colours[8] = {
	0xffffff, 0xffff00, 0x00ffff, 0x00ff00,
	0xff00ff, 0xff0000, 0x0000ff, 0x000000,
};

struct rfb {
	int fd;
	int minor;		/* 3, 7 or 8 */
	unsigned int width, height;
	uint32_t *fb;		/* 0x00RRGGBB */
	uint8_t *covered;	/* one byte per pixel: received */
};

static void die(const char *msg)
{
	fprintf(stderr, "rfbtool: %s%s%s\n", msg, errno ? ": " : "",
		errno ? strerror(errno) : "");
	exit(2);
}

static void read_full(struct rfb *r, void *buf, size_t len)
{
	uint8_t *p = buf;

	while (len) {
		struct pollfd pfd = { .fd = r->fd, .events = POLLIN };
		ssize_t n;

		if (poll(&pfd, 1, TIMEOUT_MS) <= 0) {
			errno = 0;
			die("timed out waiting for the server");
		}
		n = read(r->fd, p, len);
		if (n <= 0) {
			if (n < 0 && errno == EINTR)
				continue;
			if (n == 0)
				errno = 0;
			die("connection closed");
		}
		p += n;
		len -= (size_t)n;
	}
}

static void write_full(struct rfb *r, const void *buf, size_t len)
{
	const uint8_t *p = buf;

	while (len) {
		ssize_t n = write(r->fd, p, len);

		if (n <= 0) {
			if (n < 0 && errno == EINTR)
				continue;
			die("write failed");
		}
		p += n;
		len -= (size_t)n;
	}
}

static uint32_t be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	       (uint32_t)p[2] << 8 | p[3];
}

static uint16_t be16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static void put16(uint8_t *p, uint16_t v)
{
	p[0] = v >> 8;
	p[1] = v & 0xff;
}

static void put32(uint8_t *p, uint32_t v)
{
	p[0] = v >> 24;
	p[1] = (v >> 16) & 0xff;
	p[2] = (v >> 8) & 0xff;
	p[3] = v & 0xff;
}

static void skip(struct rfb *r, size_t len)
{
	uint8_t buf[4096];

	while (len) {
		size_t n = len < sizeof(buf) ? len : sizeof(buf);

		read_full(r, buf, n);
		len -= n;
	}
}

static void read_reason(struct rfb *r, const char *what)
{
	uint8_t b[4];
	char msg[256] = "";
	uint32_t len;

	read_full(r, b, 4);
	len = be32(b);
	if (len < sizeof(msg)) {
		read_full(r, msg, len);
		msg[len] = '\0';
	}
	fprintf(stderr, "rfbtool: %s: %s\n", what, msg);
	exit(2);
}

static void alloc_fb(struct rfb *r, unsigned int w, unsigned int h)
{
	if (!w || !h || w > MAX_DIM || h > MAX_DIM) {
		errno = 0;
		die("server reported an impossible screen size");
	}
	free(r->fb);
	free(r->covered);
	r->width = w;
	r->height = h;
	r->fb = calloc((size_t)w * h, sizeof(*r->fb));
	r->covered = calloc((size_t)w * h, 1);
	if (!r->fb || !r->covered)
		die("out of memory");
}

static void rfb_connect(struct rfb *r, const char *host, const char *port)
{
	struct sockaddr_storage ss;
	struct sockaddr_in *in4 = (struct sockaddr_in *)&ss;
	struct sockaddr_in6 *in6 = (struct sockaddr_in6 *)&ss;
	unsigned long pnum;
	uint8_t b[24], ver[12];
	socklen_t len;
	char *end;
	int major, minor;

	/* Numeric addresses only: no resolver in a static binary. */
	memset(&ss, 0, sizeof(ss));
	pnum = strtoul(port, &end, 10);
	if (!*port || *end || !pnum || pnum > 65535) {
		errno = 0;
		die("bad port");
	}
	if (inet_pton(AF_INET, host, &in4->sin_addr) == 1) {
		in4->sin_family = AF_INET;
		in4->sin_port = htons((uint16_t)pnum);
		len = sizeof(*in4);
	} else if (inet_pton(AF_INET6, host, &in6->sin6_addr) == 1) {
		in6->sin6_family = AF_INET6;
		in6->sin6_port = htons((uint16_t)pnum);
		len = sizeof(*in6);
	} else {
		errno = 0;
		die("the server must be a numeric IPv4/IPv6 address");
	}
	r->fd = socket(ss.ss_family, SOCK_STREAM, 0);
	if (r->fd < 0 || connect(r->fd, (struct sockaddr *)&ss, len))
		die("cannot connect");

	read_full(r, ver, 12);
	if (sscanf((char *)ver, "RFB %3d.%3d", &major, &minor) != 2 || major != 3) {
		errno = 0;
		die("not an RFB 3.x server");
	}
	r->minor = minor >= 8 ? 8 : minor >= 7 ? 7 : 3;
	snprintf((char *)b, sizeof(b), "RFB 003.%03d\n", r->minor);
	write_full(r, b, 12);

	if (r->minor == 3) {
		read_full(r, b, 4);
		if (be32(b) == 0)
			read_reason(r, "connection refused");
		if (be32(b) != 1) {
			errno = 0;
			die("server wants authentication (only None is supported)");
		}
	} else {
		uint8_t n, types[255];
		int i, none = 0;

		read_full(r, &n, 1);
		if (!n)
			read_reason(r, "connection refused");
		read_full(r, types, n);
		for (i = 0; i < n; i++)
			if (types[i] == 1)
				none = 1;
		if (!none) {
			errno = 0;
			die("server wants authentication (only None is supported)");
		}
		b[0] = 1;
		write_full(r, b, 1);
		if (r->minor == 8) {
			read_full(r, b, 4);
			if (be32(b))
				read_reason(r, "security handshake failed");
		}
	}

	b[0] = 1;			/* ClientInit: shared */
	write_full(r, b, 1);
	read_full(r, b, 24);		/* ServerInit */
	alloc_fb(r, be16(b), be16(b + 2));
	skip(r, be32(b + 20));		/* desktop name */

	/* SetPixelFormat: 32 bpp, depth 24, little endian, true colour. */
	memset(b, 0, 20);
	b[0] = 0;
	b[4] = 32;
	b[5] = 24;
	b[6] = 0;
	b[7] = 1;
	put16(b + 8, 255);
	put16(b + 10, 255);
	put16(b + 12, 255);
	b[14] = 16;
	b[15] = 8;
	b[16] = 0;
	write_full(r, b, 20);

	/* SetEncodings: raw, DesktopSize. */
	memset(b, 0, 12);
	b[0] = 2;
	put16(b + 2, 2);
	put32(b + 4, 0);
	put32(b + 8, (uint32_t)-223);
	write_full(r, b, 12);
}

static void request_update(struct rfb *r, int incremental)
{
	uint8_t b[10];

	b[0] = 3;
	b[1] = (uint8_t)incremental;
	put16(b + 2, 0);
	put16(b + 4, 0);
	put16(b + 6, (uint16_t)r->width);
	put16(b + 8, (uint16_t)r->height);
	write_full(r, b, 10);
}

/* Read server messages until every pixel has arrived once. */
static void grab(struct rfb *r)
{
	size_t missing = (size_t)r->width * r->height;
	time_t end = time(NULL) + TIMEOUT_MS / 1000;

	memset(r->covered, 0, missing);
	request_update(r, 0);
	while (missing) {
		uint8_t type, b[16];

		if (time(NULL) > end) {
			errno = 0;
			die("no complete frame in time");
		}
		read_full(r, &type, 1);
		switch (type) {
		case 0: {	/* FramebufferUpdate */
			unsigned int i, n;

			read_full(r, b, 3);
			n = be16(b + 1);
			for (i = 0; i < n; i++) {
				unsigned int x, y, w, h, row, col;
				int32_t enc;
				uint8_t *line;

				read_full(r, b, 12);
				x = be16(b);
				y = be16(b + 2);
				w = be16(b + 4);
				h = be16(b + 6);
				enc = (int32_t)be32(b + 8);
				if (enc == -223) {	/* DesktopSize */
					alloc_fb(r, w, h);
					missing = (size_t)w * h;
					request_update(r, 0);
					continue;
				}
				if (enc != 0) {
					errno = 0;
					die("server used an encoding we did not ask for");
				}
				line = malloc((size_t)w * 4 + 1);
				if (!line)
					die("out of memory");
				for (row = 0; row < h; row++) {
					read_full(r, line, (size_t)w * 4);
					if (y + row >= r->height)
						continue;
					for (col = 0; col < w; col++) {
						size_t at;
						uint8_t *p = line + (size_t)col * 4;

						if (x + col >= r->width)
							continue;
						at = (size_t)(y + row) * r->width + x + col;
						r->fb[at] = (uint32_t)p[2] << 16 |
							    (uint32_t)p[1] << 8 | p[0];
						if (!r->covered[at]) {
							r->covered[at] = 1;
							missing--;
						}
					}
				}
				free(line);
			}
			if (missing)
				request_update(r, 0);
			break;
		}
		case 1:		/* SetColourMapEntries */
			read_full(r, b, 5);
			skip(r, (size_t)be16(b + 3) * 6);
			break;
		case 2:		/* Bell */
			break;
		case 3:		/* ServerCutText */
			read_full(r, b, 7);
			skip(r, be32(b + 3));
			break;
		default:
			errno = 0;
			die("unknown server message");
		}
	}
}

static int write_ppm(struct rfb *r, const char *path)
{
	FILE *f = fopen(path, "wb");
	size_t i;

	if (!f)
		die("cannot create the PPM file");
	fprintf(f, "P6\n%u %u\n255\n", r->width, r->height);
	for (i = 0; i < (size_t)r->width * r->height; i++) {
		uint8_t px[3] = { r->fb[i] >> 16, (r->fb[i] >> 8) & 0xff,
				  r->fb[i] & 0xff };

		fwrite(px, 1, 3, f);
	}
	if (fclose(f))
		die("cannot write the PPM file");
	printf("wrote %s (%ux%u)\n", path, r->width, r->height);
	return 0;
}

/* Colours compare with a small tolerance (lossless encodings: exact). */
static int same_colour(uint32_t a, uint32_t b)
{
	int i;

	for (i = 0; i < 24; i += 8) {
		int d = (int)((a >> i) & 0xff) - (int)((b >> i) & 0xff);

		if (d > 8 || d < -8)
			return 0;
	}
	return 1;
}

static int check_pixel(struct rfb *r, unsigned int x, unsigned int y,
		       uint32_t want)
{
	uint32_t got;

	if (x >= r->width || y >= r->height) {
		printf("not ok - pixel %u,%u outside %ux%u\n", x, y, r->width,
		       r->height);
		return 1;
	}
	got = r->fb[(size_t)y * r->width + x];
	printf("%s - pixel %u,%u is %06x (want %06x)\n",
	       same_colour(got, want) ? "ok" : "not ok", x, y, got, want);
	return !same_colour(got, want);
}

static int check_bars(struct rfb *r)
{
	unsigned int i, fails = 0;
	unsigned int ys[2] = { r->height / 8, r->height - 1 - r->height / 8 };
	unsigned int j;

	for (i = 0; i < 8; i++) {
		unsigned int x = (unsigned int)(((2 * i + 1) * (uint64_t)r->width) / 16);

		for (j = 0; j < 2; j++)
			fails += check_pixel(r, x, ys[j], bar_colours[i]);
	}
	return fails ? 1 : 0;
}

static int check_rect(struct rfb *r, unsigned int x, unsigned int y,
		      unsigned int w, unsigned int h, uint32_t want)
{
	unsigned int fails = 0;

	if (!w || !h)
		return 1;
	fails += check_pixel(r, x, y, want);
	fails += check_pixel(r, x + w - 1, y, want);
	fails += check_pixel(r, x, y + h - 1, want);
	fails += check_pixel(r, x + w - 1, y + h - 1, want);
	fails += check_pixel(r, x + w / 2, y + h / 2, want);
	/* Just outside: must not be the rectangle's colour (bars there). */
	if (x > 0 && same_colour(r->fb[(size_t)(y + h / 2) * r->width + x - 1], want)) {
		printf("not ok - pixel left of the rectangle has its colour\n");
		fails++;
	}
	return fails ? 1 : 0;
}

static uint32_t keysym_of(const char *s)
{
	static const struct { const char *name; uint32_t sym; } names[] = {
		{ "Return", 0xff0d }, { "Escape", 0xff1b }, { "Tab", 0xff09 },
		{ "BackSpace", 0xff08 }, { "space", 0x20 }, { "Left", 0xff51 },
		{ "Up", 0xff52 }, { "Right", 0xff53 }, { "Down", 0xff54 },
		{ "Shift_L", 0xffe1 }, { "Control_L", 0xffe3 },
	};
	unsigned int i;
	char *end;
	unsigned long v;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (!strcmp(s, names[i].name))
			return names[i].sym;
	if (s[0] && !s[1] && s[0] > 0x20 && s[0] < 0x7f)
		return (uint8_t)s[0];
	v = strtoul(s, &end, 0);
	if (*s && !*end && v && v <= 0xffffffUL)
		return (uint32_t)v;
	fprintf(stderr, "rfbtool: unknown keysym '%s'\n", s);
	exit(2);
}

static void send_key(struct rfb *r, uint32_t sym, int down)
{
	uint8_t b[8] = { 4, (uint8_t)down, 0, 0 };

	put32(b + 4, sym);
	write_full(r, b, 8);
}

static void tap_key(struct rfb *r, uint32_t sym)
{
	send_key(r, sym, 1);
	usleep(30000);
	send_key(r, sym, 0);
	usleep(30000);
	printf("sent keysym 0x%x\n", sym);
}

static void send_pointer(struct rfb *r, unsigned int x, unsigned int y,
			 unsigned int mask)
{
	uint8_t b[6] = { 5, (uint8_t)mask };

	put16(b + 2, (uint16_t)x);
	put16(b + 4, (uint16_t)y);
	write_full(r, b, 6);
}

static uint32_t parse_colour(const char *s)
{
	char *end;
	unsigned long v = strtoul(s, &end, 16);

	if (*end || v > 0xffffff) {
		fprintf(stderr, "rfbtool: bad colour '%s' (RRGGBB)\n", s);
		exit(2);
	}
	return (uint32_t)v;
}

static unsigned int parse_uint(const char *s)
{
	char *end;
	unsigned long v = strtoul(s, &end, 0);

	if (!*s || *end || v > 65535) {
		fprintf(stderr, "rfbtool: bad number '%s'\n", s);
		exit(2);
	}
	return (unsigned int)v;
}

static void usage(void)
{
	fprintf(stderr,
		"usage: rfbtool [-s HOST] [-p PORT] [-w MS] COMMAND ...\n"
		"  shot FILE.ppm | size | check X Y RRGGBB... | check-bars\n"
		"  check-rect X Y W H RRGGBB | key KEYSYM... | type TEXT\n"
		"  pointer X Y [MASK]\n");
	exit(2);
}

int main(int argc, char **argv)
{
	const char *host = "127.0.0.1", *port = "5900", *cmd;
	unsigned int wait_ms = 0;
	struct rfb r;
	int i, fails = 0;

	setvbuf(stdout, NULL, _IOLBF, 0);
	for (i = 1; i < argc && argv[i][0] == '-'; i++) {
		if (!strcmp(argv[i], "-s") && i + 1 < argc)
			host = argv[++i];
		else if (!strcmp(argv[i], "-p") && i + 1 < argc)
			port = argv[++i];
		else if (!strcmp(argv[i], "-w") && i + 1 < argc)
			wait_ms = parse_uint(argv[++i]);
		else
			usage();
	}
	if (i >= argc)
		usage();
	cmd = argv[i++];

	memset(&r, 0, sizeof(r));
	rfb_connect(&r, host, port);
	if (wait_ms)
		usleep(wait_ms * 1000);

	if (!strcmp(cmd, "shot") && i + 1 == argc) {
		grab(&r);
		fails = write_ppm(&r, argv[i]);
	} else if (!strcmp(cmd, "size") && i == argc) {
		grab(&r);
		printf("%ux%u\n", r.width, r.height);
	} else if (!strcmp(cmd, "check") && i < argc && (argc - i) % 3 == 0) {
		grab(&r);
		for (; i < argc; i += 3)
			fails += check_pixel(&r, parse_uint(argv[i]),
					     parse_uint(argv[i + 1]),
					     parse_colour(argv[i + 2]));
	} else if (!strcmp(cmd, "check-bars") && i == argc) {
		grab(&r);
		printf("# screen %ux%u\n", r.width, r.height);
		fails = check_bars(&r);
	} else if (!strcmp(cmd, "check-rect") && argc - i == 5) {
		grab(&r);
		fails = check_rect(&r, parse_uint(argv[i]), parse_uint(argv[i + 1]),
				   parse_uint(argv[i + 2]), parse_uint(argv[i + 3]),
				   parse_colour(argv[i + 4]));
	} else if (!strcmp(cmd, "key") && i < argc) {
		for (; i < argc; i++)
			tap_key(&r, keysym_of(argv[i]));
	} else if (!strcmp(cmd, "type") && i + 1 == argc) {
		const char *t;

		for (t = argv[i]; *t; t++) {
			if (*t < 0x20 || *t > 0x7e) {
				fprintf(stderr, "rfbtool: type takes printable ASCII\n");
				return 2;
			}
			tap_key(&r, (uint8_t)*t);
		}
	} else if (!strcmp(cmd, "pointer") && (argc - i == 2 || argc - i == 3)) {
		unsigned int x = parse_uint(argv[i]), y = parse_uint(argv[i + 1]);
		unsigned int mask = argc - i == 3 ? parse_uint(argv[i + 2]) : 0;

		send_pointer(&r, x, y, 0);
		usleep(30000);
		if (mask) {
			send_pointer(&r, x, y, mask);
			usleep(30000);
			send_pointer(&r, x, y, 0);
			usleep(30000);
		}
		printf("sent pointer %u,%u mask %u\n", x, y, mask);
	} else {
		usage();
	}
	close(r.fd);
	free(r.fb);
	free(r.covered);
	return fails ? 1 : 0;
}
