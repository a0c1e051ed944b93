// SPDX-License-Identifier: GPL-2.0
/*
 * xenpv-peer: dom0 side of the xenpv core selftests (gntdev, evtchn).
 *
 * Copyright (C) 2026 The xenpv authors
 *
 * Built statically on the host (only libc and the kernel's UAPI headers
 * <xen/gntdev.h> and <xen/evtchn.h>, no libxen*), run in the rig's dom0 by
 * xenpv-core-peer.  Output is "key=value" lines for the scripts; the exit
 * status is 0 on success, 1 on a failed check, 2 on bad usage.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

/*
 * The UAPI headers use these two Xen ABI types without defining them (the
 * Xen libraries' headers normally do); their sizes are fixed by the ABI.
 */
typedef uint16_t domid_t;
typedef uint32_t grant_ref_t;
#include <xen/evtchn.h>
#include <xen/gntdev.h>

#include "dom0util.h"
#include "sha256.h"

#define GNTDEV_PATH	"/dev/xen/gntdev"
#define EVTCHN_PATH	"/dev/xen/evtchn"
#define XEN_PAGE	4096
#define DOMID_MAX	0x7fefU		/* below DOMID_FIRST_RESERVED */
#define HOLD_MAX	3600U
#define PING_MAX	1000000U

static const char *prog = "xenpv-peer";

static void usage(FILE *f)
{
	fprintf(f,
		"usage: %s COMMAND ARGS...\n"
		"\n"
		"  map-grant [--check-ro] [--hold SECONDS] [--out FILE] DOMID GREF\n"
		"      Map grant GREF of domain DOMID read-only through %s and\n"
		"      print sha256=<hex of the 4096 bytes> and head=<first line>.\n"
		"      --check-ro  first try a writable mapping (on its own gntdev\n"
		"                  handle); prints rw=denied or rw=allowed\n"
		"      --hold S    after printing \"mapped\", keep the mapping until\n"
		"                  SIGTERM/SIGINT/SIGHUP or S seconds, then unmap\n"
		"                  and print \"unmapped\"\n"
		"      --out FILE  also write the page's bytes to FILE\n"
		"\n"
		"  evtchn-ping [--timeout-ms MS] DOMID PORT COUNT\n"
		"      Bind to unbound port PORT of domain DOMID through %s,\n"
		"      then COUNT times: notify, wait up to MS ms (default 5000)\n"
		"      for the peer's answer.  Prints rounds=, avg_us=, min_us=,\n"
		"      max_us=, spurious= (events before the first ping; Xen marks\n"
		"      a freshly bound port pending) and extra= (after the last).\n"
		"\n"
		"  sha256 [FILE]\n"
		"      Digest of FILE (or stdin) with the built-in SHA-256.\n"
		"\n"
		"Exit status: 0 success, 1 failure, 2 usage error.\n",
		prog, GNTDEV_PATH, EVTCHN_PATH);
}

static int bad_usage(const char *why)
{
	fprintf(stderr, "%s: %s\n", prog, why);
	usage(stderr);
	return 2;
}

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

/* ---- gntdev ----------------------------------------------------------------- */

static int gnt_add(int fd, unsigned int domid, unsigned int gref,
		   uint64_t *index)
{
	struct ioctl_gntdev_map_grant_ref op;

	memset(&op, 0, sizeof(op));
	op.count = 1;
	op.refs[0].domid = domid;
	op.refs[0].ref = gref;
	if (ioctl(fd, IOCTL_GNTDEV_MAP_GRANT_REF, &op) < 0)
		return -errno;
	*index = op.index;
	return 0;
}

static void gnt_remove(int fd, uint64_t index)
{
	struct ioctl_gntdev_unmap_grant_ref op;

	memset(&op, 0, sizeof(op));
	op.index = index;
	op.count = 1;
	if (ioctl(fd, IOCTL_GNTDEV_UNMAP_GRANT_REF, &op) < 0)
		printf("warning=unmap-ioctl:%s\n", strerror(errno));
}

/*
 * A read-only grant must refuse a writable mapping.  Tried on a handle of
 * its own, so a failed attempt leaves nothing behind for the real map.
 */
static int check_rw_denied(unsigned int domid, unsigned int gref)
{
	uint64_t index;
	void *p;
	int fd, err;

	fd = open(GNTDEV_PATH, O_RDWR | O_CLOEXEC);
	if (fd < 0) {
		printf("rw=error open:%s\n", strerror(errno));
		return -1;
	}
	err = gnt_add(fd, domid, gref, &index);
	if (err) {
		printf("rw=error ioctl:%s\n", strerror(-err));
		close(fd);
		return -1;
	}
	p = mmap(NULL, XEN_PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, fd,
		 (off_t)index);
	if (p == MAP_FAILED) {
		printf("rw=denied errno=%d\n", errno);
		err = 0;
	} else {
		printf("rw=allowed\n");
		munmap(p, XEN_PAGE);
		err = -1;
	}
	gnt_remove(fd, index);
	close(fd);
	return err;
}

/* The page's first line, printable characters only. */
static void print_head(const unsigned char *page)
{
	char head[65];
	unsigned int i;

	for (i = 0; i < sizeof(head) - 1 && page[i] && page[i] != '\n'; i++)
		head[i] = (page[i] >= 0x20 && page[i] < 0x7f) ? page[i] : '?';
	head[i] = '\0';
	printf("head=%s\n", head);
}

static int write_file(const char *path, const void *buf, size_t len)
{
	FILE *f = fopen(path, "wbe");

	if (!f)
		return -1;
	if (fwrite(buf, 1, len, f) != len) {
		fclose(f);
		return -1;
	}
	return fclose(f);
}

/* Keep the mapping until a signal or @secs seconds. */
static void hold(unsigned long secs)
{
	uint64_t end = now_ns() + (uint64_t)secs * 1000000000ull;
	struct timespec ts = { 0, 50 * 1000 * 1000 };

	while (!xenpv_stop_signal && now_ns() < end)
		nanosleep(&ts, NULL);
	printf("hold=%s\n", xenpv_stop_signal ? "signal" : "timeout");
}

static int cmd_map_grant(int argc, char **argv)
{
	unsigned long domid, gref, hold_secs = 0;
	unsigned char page[XEN_PAGE];
	char hex[SHA256_HEX_LEN + 1];
	const char *out = NULL;
	int fd, i, err, rc = 0;
	bool check_ro = false;
	uint64_t index;
	void *p;

	for (i = 1; i < argc && argv[i][0] == '-'; i++) {
		if (!strcmp(argv[i], "--check-ro")) {
			check_ro = true;
		} else if (!strcmp(argv[i], "--hold") && i + 1 < argc) {
			if (xenpv_parse_ulong(argv[++i], HOLD_MAX, &hold_secs))
				return bad_usage("--hold: seconds (0-3600)");
		} else if (!strcmp(argv[i], "--out") && i + 1 < argc) {
			out = argv[++i];
		} else {
			return bad_usage("map-grant: unknown option");
		}
	}
	if (argc - i != 2)
		return bad_usage("map-grant: DOMID GREF expected");
	if (xenpv_parse_ulong(argv[i], DOMID_MAX, &domid) ||
	    xenpv_parse_ulong(argv[i + 1], UINT32_MAX, &gref))
		return bad_usage("map-grant: bad DOMID or GREF");

	xenpv_catch_signals();
	if (check_ro && check_rw_denied(domid, gref))
		rc = 1;

	fd = open(GNTDEV_PATH, O_RDWR | O_CLOEXEC);
	if (fd < 0) {
		printf("error=open %s:%s\n", GNTDEV_PATH, strerror(errno));
		return 1;
	}
	err = gnt_add(fd, domid, gref, &index);
	if (err) {
		printf("error=map-ioctl:%s\n", strerror(-err));
		close(fd);
		return 1;
	}
	p = mmap(NULL, XEN_PAGE, PROT_READ, MAP_SHARED, fd, (off_t)index);
	if (p == MAP_FAILED) {
		printf("error=mmap:%s\n", strerror(errno));
		gnt_remove(fd, index);
		close(fd);
		return 1;
	}
	memcpy(page, p, sizeof(page));
	sha256_hex(page, sizeof(page), hex);
	printf("sha256=%s\n", hex);
	print_head(page);
	if (out && write_file(out, page, sizeof(page))) {
		printf("error=write %s:%s\n", out, strerror(errno));
		rc = 1;
	}
	printf("mapped\n");
	if (hold_secs)
		hold(hold_secs);
	if (munmap(p, XEN_PAGE)) {
		printf("error=munmap:%s\n", strerror(errno));
		rc = 1;
	}
	gnt_remove(fd, index);
	close(fd);
	printf("unmapped\n");
	return rc;
}

/* ---- evtchn ------------------------------------------------------------------ */

/* Give a delivered port back to the driver (it masks each one it reports). */
static void evtchn_unmask(int fd, uint32_t port)
{
	if (write(fd, &port, sizeof(port)) != sizeof(port))
		printf("warning=unmask:%s\n", strerror(errno));
}

/*
 * Wait up to @ms for events; count those on @lport.  With @first, return
 * as soon as one arrived.  Returns the count, or -1 on error.
 */
static int evtchn_collect(int fd, uint32_t lport, int ms, bool first)
{
	uint64_t end = now_ns() + (uint64_t)ms * 1000000ull;
	struct pollfd pfd = { .fd = fd, .events = POLLIN };
	uint32_t ports[64];
	int n = 0, left, r, i;
	ssize_t got;

	for (;;) {
		uint64_t now = now_ns();

		if (now >= end)
			return n;
		left = (int)((end - now + 999999) / 1000000);
		r = poll(&pfd, 1, left);
		if (r < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		if (!r)
			return n;
		got = read(fd, ports, sizeof(ports));
		if (got < 0) {
			if (errno == EINTR || errno == EAGAIN)
				continue;
			return -1;
		}
		for (i = 0; i < (int)(got / sizeof(ports[0])); i++) {
			if (ports[i] == lport)
				n++;
			evtchn_unmask(fd, ports[i]);
		}
		if (first && n)
			return n;
	}
}

static int cmd_evtchn_ping(int argc, char **argv)
{
	unsigned long domid, port, count, timeout_ms = 5000;
	uint64_t t0, rtt, sum = 0, min = UINT64_MAX, max = 0;
	struct ioctl_evtchn_bind_interdomain bind;
	struct ioctl_evtchn_notify notify;
	struct ioctl_evtchn_unbind unbind;
	int fd, lport, spurious, extra, i, got;
	unsigned long rounds = 0;

	for (i = 1; i < argc && argv[i][0] == '-'; i++) {
		if (!strcmp(argv[i], "--timeout-ms") && i + 1 < argc) {
			if (xenpv_parse_ulong(argv[++i], 600000, &timeout_ms) ||
			    !timeout_ms)
				return bad_usage("--timeout-ms: 1-600000");
		} else {
			return bad_usage("evtchn-ping: unknown option");
		}
	}
	if (argc - i != 3)
		return bad_usage("evtchn-ping: DOMID PORT COUNT expected");
	if (xenpv_parse_ulong(argv[i], DOMID_MAX, &domid) ||
	    xenpv_parse_ulong(argv[i + 1], UINT32_MAX, &port) ||
	    xenpv_parse_ulong(argv[i + 2], PING_MAX, &count) || !count)
		return bad_usage("evtchn-ping: bad DOMID, PORT or COUNT");

	fd = open(EVTCHN_PATH, O_RDWR | O_CLOEXEC);
	if (fd < 0) {
		printf("error=open %s:%s\n", EVTCHN_PATH, strerror(errno));
		return 1;
	}
	memset(&bind, 0, sizeof(bind));
	bind.remote_domain = domid;
	bind.remote_port = port;
	lport = ioctl(fd, IOCTL_EVTCHN_BIND_INTERDOMAIN, &bind);
	if (lport < 0) {
		printf("error=bind-interdomain:%s\n", strerror(errno));
		close(fd);
		return 1;
	}
	/* Xen sets a freshly bound port pending: take that one out first. */
	spurious = evtchn_collect(fd, lport, 500, false);

	memset(&notify, 0, sizeof(notify));
	notify.port = lport;
	for (rounds = 0; rounds < count; rounds++) {
		t0 = now_ns();
		if (ioctl(fd, IOCTL_EVTCHN_NOTIFY, &notify) < 0) {
			printf("error=notify:%s\n", strerror(errno));
			break;
		}
		got = evtchn_collect(fd, lport, (int)timeout_ms, true);
		if (got <= 0) {
			printf("error=%s in round %lu\n",
			       got < 0 ? strerror(errno) : "no answer",
			       rounds + 1);
			break;
		}
		rtt = now_ns() - t0;
		sum += rtt;
		if (rtt < min)
			min = rtt;
		if (rtt > max)
			max = rtt;
	}
	extra = evtchn_collect(fd, lport, 200, false);

	memset(&unbind, 0, sizeof(unbind));
	unbind.port = lport;
	if (ioctl(fd, IOCTL_EVTCHN_UNBIND, &unbind) < 0)
		printf("warning=unbind:%s\n", strerror(errno));
	close(fd);
	printf("rounds=%lu count=%lu avg_us=%llu min_us=%llu max_us=%llu spurious=%d extra=%d local_port=%d\n",
	       rounds, count,
	       rounds ? (unsigned long long)(sum / rounds / 1000) : 0ull,
	       rounds ? (unsigned long long)(min / 1000) : 0ull,
	       (unsigned long long)(max / 1000), spurious, extra, lport);
	return rounds == count ? 0 : 1;
}

/* ---- sha256 ----------------------------------------------------------------- */

static int cmd_sha256(int argc, char **argv)
{
	uint8_t d[SHA256_DIGEST_LEN];
	struct sha256_ctx c;
	unsigned char buf[65536];
	FILE *f = stdin;
	size_t n;
	int i;

	if (argc > 2)
		return bad_usage("sha256: at most one FILE");
	if (argc == 2 && !(f = fopen(argv[1], "rbe"))) {
		fprintf(stderr, "%s: %s: %s\n", prog, argv[1], strerror(errno));
		return 1;
	}
	sha256_init(&c);
	while ((n = fread(buf, 1, sizeof(buf), f)) > 0)
		sha256_update(&c, buf, n);
	if (ferror(f)) {
		fprintf(stderr, "%s: read error\n", prog);
		return 1;
	}
	if (f != stdin)
		fclose(f);
	sha256_final(&c, d);
	for (i = 0; i < SHA256_DIGEST_LEN; i++)
		printf("%02x", d[i]);
	printf("\n");
	return 0;
}

int main(int argc, char **argv)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (argc < 2)
		return bad_usage("no command");
	if (xenpv_is_help(argv[1])) {
		usage(stdout);
		return 0;
	}
	if (!strcmp(argv[1], "map-grant"))
		return cmd_map_grant(argc - 1, argv + 1);
	if (!strcmp(argv[1], "evtchn-ping"))
		return cmd_evtchn_ping(argc - 1, argv + 1);
	if (!strcmp(argv[1], "sha256"))
		return cmd_sha256(argc - 1, argv + 1);
	return bad_usage("unknown command");
}
