// SPDX-License-Identifier: GPL-2.0
/*
 * xenpv-fakeback: a deliberately hostile vbd backend for the blkfront tests.
 *
 * Copyright (C) 2026 The xenpv authors
 *
 * Runs in dom0 (root) and plays the block backend of one virtual disk of a
 * guest, the way the toolstack and blkback would, except that each test
 * case breaks one rule: bad numbers in xenstore, an odd state sequence, or
 * bad responses on the shared ring.  The guest side is
 * selftests/guest/blkfront/hostile.sh.
 *
 * Only libc and the kernel's UAPI headers: xenstore through
 * /dev/xen/xenbus (its wire protocol spoken here), the shared rings mapped
 * through /dev/xen/gntdev, data moved with gntdev grant copies (so no data
 * page stays mapped after a response), event channels through
 * /dev/xen/evtchn.  The few xenstore and blkif ABI constants the tool needs
 * are defined below: those headers are not part of the kernel's UAPI.
 *
 * Output is "key=value" lines; see usage() for commands and exit codes.
 */
#define _GNU_SOURCE
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/un.h>
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

#define XENBUS_PATH	"/dev/xen/xenbus"
#define GNTDEV_PATH	"/dev/xen/gntdev"
#define EVTCHN_PATH	"/dev/xen/evtchn"
#define DOMID_MAX	0x7fefU		/* below DOMID_FIRST_RESERVED */
#define XEN_PAGE	4096U

/* ---- xenstore wire protocol (Xen docs/misc/xenstore.txt) ----------------- */

#define XSW_DIRECTORY		1
#define XSW_READ		2
#define XSW_TRANSACTION_START	6
#define XSW_TRANSACTION_END	7
#define XSW_WRITE		11
#define XSW_MKDIR		12
#define XSW_RM			13
#define XSW_SET_PERMS		14
#define XSW_WATCH_EVENT		15
#define XSW_ERROR		16

/* Header: type, request id, transaction id, payload length (host order). */
#define XSW_HDR_LEN		16
#define XSW_PAYLOAD_MAX		4096
/* Seconds to wait for xenstored's answer before giving up on the link. */
#define XSW_REPLY_TIMEOUT_MS	10000

struct xsw_hdr {
	uint32_t type;
	uint32_t req_id;
	uint32_t tx_id;
	uint32_t len;
};

/* ---- xenbus states (Xen io/xenbus.h) ----------------------------------- */

#define XB_UNKNOWN		0
#define XB_INITIALISING		1
#define XB_INITWAIT		2
#define XB_INITIALISED		3
#define XB_CONNECTED		4
#define XB_CLOSING		5
#define XB_CLOSED		6
#define XB_MAX_STATE		8

/* ---- blkif shared ring, 64-bit x86 layout (Xen io/blkif.h, io/ring.h) ---- */

#define BLK_OP_READ		0
#define BLK_OP_WRITE		1
#define BLK_OP_WRITE_BARRIER	2
#define BLK_OP_FLUSH_DISKCACHE	3
#define BLK_OP_DISCARD		5
#define BLK_OP_INDIRECT		6
#define BLK_RSP_OKAY		0
#define BLK_RSP_ERROR		(-1)
#define BLK_RSP_EOPNOTSUPP	(-2)

/* Ring page: four 32-bit indices, padding to 64 bytes, then the slots. */
#define BLK_IDX_REQ_PROD	0
#define BLK_IDX_REQ_EVENT	1
#define BLK_IDX_RSP_PROD	2
#define BLK_IDX_RSP_EVENT	3
#define BLK_RING_HDR		64U
#define BLK_SLOT		112U	/* request size, the union's size */
#define BLK_RSP_LEN		16U	/* response: id, operation, status */
/* Request fields (operation at 0; the id is at 8 in every layout). */
#define BLK_RQ_NSEG		1	/* u8, read/write */
#define BLK_RQ_IND_OP		1	/* u8, indirect */
#define BLK_RQ_IND_NSEG		2	/* u16, indirect */
#define BLK_RQ_ID		8	/* u64 */
#define BLK_RQ_SECTOR		16	/* u64 */
#define BLK_RQ_SEGS		24	/* read/write segment array */
#define BLK_RQ_IND_GREFS	28	/* indirect: u32[8] */
/* Response fields. */
#define BLK_RS_ID		0	/* u64 */
#define BLK_RS_OP		8	/* u8 */
#define BLK_RS_STATUS		10	/* s16 */
/* Segment: grant ref (u32), first and last 512-byte sector in the page. */
#define BLK_SEG_LEN		8U
#define BLK_MAX_SEGS		11U
#define BLK_MAX_IND_PAGES	8U
#define BLK_SEGS_PER_IND	(XEN_PAGE / BLK_SEG_LEN)
#define BLK_MAX_IND_SEGS	(BLK_MAX_IND_PAGES * BLK_SEGS_PER_IND)
#define BLK_SECTOR		512U
#define BLK_SECTORS_PER_PAGE	(XEN_PAGE / BLK_SECTOR)

/* gntdev grant copy flags (Xen grant_table.h GNTCOPY_*), status okay. */
#define FB_GNTCOPY_SOURCE_GREF	(1U << 0)
#define FB_GNTCOPY_DEST_GREF	(1U << 1)
#define FB_GNTST_OKAY		0

/* ---- limits of this backend ------------------------------------------- */

#define FB_DEFAULT_VDEV		51840U	/* 202:128, xvdi: no rig disk uses it */
#define FB_DISK_SECTORS		8192U	/* 4 MiB in-memory disk */
#define FB_MAX_RINGS		8U
#define FB_MAX_ORDER		4U	/* frontends use at most 16-page rings */
#define FB_PATTERN_HEAD		31U	/* "xenpv-fakeback sector NNNNNNNN\n" */
#define FB_STEP_MS		100	/* event wait per service round */
#define FB_CONNECT_WAIT_MS	30000	/* frontend steps of the handshake */
#define FB_CLOSE_WAIT_MS	20000	/* frontend Closed after our Closing */
#define FB_STORM_GAP_MS		100	/* between notifications of a storm */
#define FB_STORM_MAX		500U
#define FB_JUNK			0xa5
#define FB_BAD_STATUS		0x5a5a

static const char *prog = "xenpv-fakeback";
static uint64_t t_origin;

/* ---- small helpers ----------------------------------------------------- */

static uint64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

static void sleep_ms(unsigned int ms)
{
	struct timespec ts = { ms / 1000, (long)(ms % 1000) * 1000000L };

	while (nanosleep(&ts, &ts) && errno == EINTR && !xenpv_stop_signal)
		;
}

/* One log line, prefixed with the seconds since start. */
__attribute__((format(printf, 1, 2)))
static void say(const char *fmt, ...)
{
	uint64_t t = now_ms() - t_origin;
	va_list ap;

	printf("t=%llu.%01llu ", (unsigned long long)(t / 1000),
	       (unsigned long long)(t % 1000 / 100));
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
}

static void full_fence(void)
{
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
}

static unsigned int floor_log2(unsigned long v)
{
	unsigned int r = 0;

	while (v >>= 1)
		r++;
	return r;
}

/*
 * A value for a "key=value" reply word: printable, no spaces (they become
 * '_'), at most @cap - 1 characters.
 */
static void sanitize_word(char *dst, size_t cap, const char *src)
{
	size_t i;

	if (!cap)
		return;
	for (i = 0; i + 1 < cap && src[i]; i++) {
		unsigned char ch = (unsigned char)src[i];

		if (ch == ' ' || ch == '\t' || ch == '\n')
			dst[i] = '_';
		else if (ch < 0x21 || ch > 0x7e)
			dst[i] = '?';
		else
			dst[i] = (char)ch;
	}
	dst[i] = '\0';
	if (!i && cap > 4)
		strcpy(dst, "none");
}

/* ---- xenstore messages (pure) ---------------------------------------------- */

/*
 * Payload of NUL-separated strings: each part is followed by a NUL, except
 * the last one when @last_nul is false (the value of a write).  Returns
 * the length or -1 when it does not fit.
 */
static int xsw_payload(char *out, size_t cap, const char *const *parts,
		       unsigned int n, bool last_nul)
{
	size_t len = 0, l;
	unsigned int i;

	for (i = 0; i < n; i++) {
		l = strlen(parts[i]);
		if (len + l + 1 > cap)
			return -1;
		memcpy(out + len, parts[i], l);
		len += l;
		if (i + 1 < n || last_nul)
			out[len++] = '\0';
	}
	if (len > XSW_PAYLOAD_MAX)
		return -1;
	return (int)len;
}

/* Header + payload into @out; returns the message length or -1. */
static int xsw_encode(uint8_t *out, size_t cap, uint32_t type, uint32_t req_id,
		      uint32_t tx_id, const void *payload, size_t len)
{
	struct xsw_hdr h = { type, req_id, tx_id, (uint32_t)len };

	if (len > XSW_PAYLOAD_MAX || cap < XSW_HDR_LEN + len)
		return -1;
	memcpy(out, &h, sizeof(h));
	if (len)
		memcpy(out + XSW_HDR_LEN, payload, len);
	return (int)(XSW_HDR_LEN + len);
}

/* A received header; -1 when its length is beyond the protocol's limit. */
static int xsw_decode(const uint8_t *in, struct xsw_hdr *h)
{
	memcpy(h, in, sizeof(*h));
	return h->len > XSW_PAYLOAD_MAX ? -1 : 0;
}

/* errno for the name xenstored sends in an XS_ERROR payload. */
static int xsw_errno(const char *p, size_t len)
{
	static const struct {
		const char *name;
		int err;
	} map[] = {
		{ "EINVAL", EINVAL }, { "EACCES", EACCES }, { "EEXIST", EEXIST },
		{ "EISDIR", EISDIR }, { "ENOENT", ENOENT }, { "ENOMEM", ENOMEM },
		{ "ENOSPC", ENOSPC }, { "EIO", EIO }, { "ENOTEMPTY", ENOTEMPTY },
		{ "ENOSYS", ENOSYS }, { "EROFS", EROFS }, { "EBUSY", EBUSY },
		{ "EAGAIN", EAGAIN }, { "EISCONN", EISCONN }, { "E2BIG", E2BIG },
		{ "EPERM", EPERM },
	};
	size_t n = strnlen(p, len), i;

	for (i = 0; i < sizeof(map) / sizeof(map[0]); i++)
		if (strlen(map[i].name) == n && !memcmp(map[i].name, p, n))
			return map[i].err;
	return EIO;
}

/* ---- xenstore client through /dev/xen/xenbus --------------------------------- */

struct xs_conn {
	int fd;
	uint32_t req_id;
};

/*
 * /dev/xen/xenbus, or xenstored's unix socket when XENPV_FAKEBACK_XENSTORE
 * names one (same protocol; also how the tool is exercised off Xen).
 */
static int xs_open(struct xs_conn *x)
{
	const char *sock = getenv("XENPV_FAKEBACK_XENSTORE");
	struct sockaddr_un sa;
	int err;

	if (!sock || !*sock) {
		x->fd = open(XENBUS_PATH, O_RDWR | O_CLOEXEC);
		return x->fd < 0 ? -errno : 0;
	}
	memset(&sa, 0, sizeof(sa));
	sa.sun_family = AF_UNIX;
	if (strlen(sock) >= sizeof(sa.sun_path))
		return -ENAMETOOLONG;
	strcpy(sa.sun_path, sock);
	x->fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (x->fd < 0)
		return -errno;
	if (connect(x->fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
		err = -errno;
		close(x->fd);
		x->fd = -1;
		return err;
	}
	return 0;
}

static void xs_close(struct xs_conn *x)
{
	if (x->fd >= 0)
		close(x->fd);
	x->fd = -1;
}

/* A timed-out or broken link may still deliver a stale answer: start over. */
static void xs_reopen(struct xs_conn *x)
{
	xs_close(x);
	if (xs_open(x))
		say("warning=cannot-reopen-xenbus:%s", strerror(errno));
}

static int xs_read_exact(int fd, void *buf, size_t len, uint64_t deadline)
{
	struct pollfd pfd = { .fd = fd, .events = POLLIN };
	size_t got = 0;
	ssize_t r;
	int left;

	while (got < len) {
		uint64_t now = now_ms();

		if (now >= deadline)
			return -ETIMEDOUT;
		left = (int)(deadline - now);
		r = poll(&pfd, 1, left);
		if (r < 0 && errno != EINTR)
			return -errno;
		if (r <= 0)
			continue;
		r = read(fd, (char *)buf + got, len - got);
		if (r < 0) {
			if (errno == EINTR || errno == EAGAIN)
				continue;
			return -errno;
		}
		if (!r)
			return -EPIPE;
		got += (size_t)r;
	}
	return 0;
}

/*
 * One request and its answer.  The answer's payload goes to @reply
 * (NUL-terminated, @cap > XSW_PAYLOAD_MAX) and its length to *@rlen.
 * Watch events (none are registered) are skipped.
 */
static int xs_talk(struct xs_conn *x, uint32_t type, uint32_t tx,
		   const char *payload, size_t len, char *reply, size_t cap,
		   size_t *rlen)
{
	uint8_t msg[XSW_HDR_LEN + XSW_PAYLOAD_MAX];
	uint8_t hdr[XSW_HDR_LEN];
	uint64_t deadline;
	struct xsw_hdr h;
	ssize_t w;
	int n, err;

	if (x->fd < 0 && xs_open(x))
		return -EIO;
	n = xsw_encode(msg, sizeof(msg), type, ++x->req_id, tx, payload, len);
	if (n < 0)
		return -E2BIG;
	w = write(x->fd, msg, (size_t)n);
	if (w != n) {
		err = w < 0 ? -errno : -EIO;
		xs_reopen(x);
		return err;
	}
	deadline = now_ms() + XSW_REPLY_TIMEOUT_MS;
	for (;;) {
		err = xs_read_exact(x->fd, hdr, sizeof(hdr), deadline);
		if (!err && xsw_decode(hdr, &h))
			err = -EPROTO;
		if (!err && h.len >= cap)
			err = -EPROTO;
		if (!err)
			err = xs_read_exact(x->fd, reply, h.len, deadline);
		if (err) {
			say("warning=xenstore-link:%s", strerror(-err));
			xs_reopen(x);
			return err;
		}
		reply[h.len] = '\0';
		if (h.type == XSW_WATCH_EVENT)
			continue;
		if (h.type == XSW_ERROR)
			return -xsw_errno(reply, h.len);
		if (h.type != type)
			return -EPROTO;
		if (rlen)
			*rlen = h.len;
		return 0;
	}
}

static char xs_reply[XSW_PAYLOAD_MAX + 1];

/*
 * A request whose payload is @n strings (see xsw_payload()); the answer is
 * left in xs_reply, its length in *@rlen.
 */
static int xs_parts_op(struct xs_conn *x, uint32_t type, uint32_t tx,
		       const char *const *parts, unsigned int n, bool last_nul,
		       size_t *rlen)
{
	char p[XSW_PAYLOAD_MAX];
	int len = xsw_payload(p, sizeof(p), parts, n, last_nul);

	if (len < 0)
		return -E2BIG;
	return xs_talk(x, type, tx, p, (size_t)len, xs_reply, sizeof(xs_reply),
		       rlen);
}

/* Read @path into @val (NUL-terminated); returns the length or -errno. */
static int xs_read(struct xs_conn *x, uint32_t tx, const char *path, char *val,
		   size_t cap)
{
	const char *parts[] = { path };
	size_t len;
	int err;

	err = xs_parts_op(x, XSW_READ, tx, parts, 1, true, &len);
	if (err)
		return err;
	if (len >= cap)
		return -E2BIG;
	memcpy(val, xs_reply, len);
	val[len] = '\0';
	return (int)len;
}

static int xs_write(struct xs_conn *x, uint32_t tx, const char *path,
		    const char *value)
{
	const char *parts[] = { path, value };

	return xs_parts_op(x, XSW_WRITE, tx, parts, 2, false, NULL);
}

static int xs_path_op(struct xs_conn *x, uint32_t type, uint32_t tx,
		      const char *path)
{
	const char *parts[] = { path };

	return xs_parts_op(x, type, tx, parts, 1, true, NULL);
}

static int xs_mkdir(struct xs_conn *x, uint32_t tx, const char *path)
{
	return xs_path_op(x, XSW_MKDIR, tx, path);
}

/* Removing what is not there is success. */
static int xs_rm(struct xs_conn *x, uint32_t tx, const char *path)
{
	int err = xs_path_op(x, XSW_RM, tx, path);

	return err == -ENOENT ? 0 : err;
}

/* Only xenstored's ENOENT says so: a broken link is not an answer. */
static bool xs_gone(struct xs_conn *x, const char *path)
{
	return xs_path_op(x, XSW_DIRECTORY, 0, path) == -ENOENT;
}

/* Owner (first entry, also the default for other domains), then one more. */
static int xs_set_perms(struct xs_conn *x, uint32_t tx, const char *path,
			const char *owner, const char *other)
{
	const char *parts[] = { path, owner, other };

	return xs_parts_op(x, XSW_SET_PERMS, tx, parts, 3, true, NULL);
}

static int xs_tx_start(struct xs_conn *x, uint32_t *tx)
{
	unsigned long v;
	int err;

	err = xs_talk(x, XSW_TRANSACTION_START, 0, "", 1, xs_reply,
		      sizeof(xs_reply), NULL);
	if (err)
		return err;
	if (xenpv_parse_ulong(xs_reply, UINT32_MAX, &v) || !v)
		return -EPROTO;
	*tx = (uint32_t)v;
	return 0;
}

static int xs_tx_end(struct xs_conn *x, uint32_t tx, bool commit)
{
	return xs_talk(x, XSW_TRANSACTION_END, tx, commit ? "T" : "F", 2,
		       xs_reply, sizeof(xs_reply), NULL);
}

static int xs_read_ulong(struct xs_conn *x, const char *path,
			 unsigned long max, unsigned long *v)
{
	char buf[64];
	int n;

	n = xs_read(x, 0, path, buf, sizeof(buf));
	if (n < 0)
		return n;
	return xenpv_parse_ulong(buf, max, v) ? -EINVAL : 0;
}

/* ---- the in-memory disk ----------------------------------------------------- */

static uint8_t *fb_disk;
static size_t fb_disk_bytes;
static char fb_sha_initial[SHA256_HEX_LEN + 1];

/*
 * Sector @s: the text line "xenpv-fakeback sector %08u\n" (31 bytes), then
 * bytes that depend on the sector and the position, so that a misplaced or
 * partial transfer changes the digest.
 */
static void fb_pattern_sector(uint8_t *p, unsigned int s)
{
	char head[FB_PATTERN_HEAD + 1];
	unsigned int i;

	snprintf(head, sizeof(head), "xenpv-fakeback sector %08u\n", s);
	memcpy(p, head, FB_PATTERN_HEAD);
	for (i = FB_PATTERN_HEAD; i < BLK_SECTOR; i++)
		p[i] = (uint8_t)(s * 31u + i * 7u + 0x41u);
}

static void fb_pattern(uint8_t *disk, unsigned int sectors)
{
	unsigned int s;

	for (s = 0; s < sectors; s++)
		fb_pattern_sector(disk + (size_t)s * BLK_SECTOR, s);
}

static int fb_disk_init(void)
{
	fb_disk_bytes = (size_t)FB_DISK_SECTORS * BLK_SECTOR;
	fb_disk = mmap(NULL, fb_disk_bytes, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (fb_disk == MAP_FAILED) {
		fb_disk = NULL;
		return -errno;
	}
	fb_pattern(fb_disk, FB_DISK_SECTORS);
	sha256_hex(fb_disk, fb_disk_bytes, fb_sha_initial);
	return 0;
}

/* ---- blkif ring helpers (pure) -------------------------------------------- */

/* Slots in a ring of @pages pages: a power of two, as io/ring.h rounds. */
static unsigned int fb_ring_entries(unsigned int pages)
{
	unsigned long n = ((unsigned long)pages * XEN_PAGE - BLK_RING_HDR) /
			  BLK_SLOT;

	return n ? 1U << floor_log2(n) : 0;
}

struct fb_seg {
	uint32_t gref;
	uint8_t first;
	uint8_t last;
};

struct fb_req {
	uint8_t op;		/* as sent */
	uint8_t rw_op;		/* READ/WRITE, the inner op of an indirect one */
	uint16_t nseg;
	uint64_t id;
	uint64_t sector;
	unsigned int nind;	/* indirect pages */
	uint32_t ind_gref[BLK_MAX_IND_PAGES];
	struct fb_seg seg[BLK_MAX_SEGS];	/* direct segments */
};

static uint16_t get16(const uint8_t *p)
{
	uint16_t v;

	memcpy(&v, p, sizeof(v));
	return v;
}

static uint32_t get32(const uint8_t *p)
{
	uint32_t v;

	memcpy(&v, p, sizeof(v));
	return v;
}

static uint64_t get64(const uint8_t *p)
{
	uint64_t v;

	memcpy(&v, p, sizeof(v));
	return v;
}

static void fb_parse_seg(const uint8_t *p, struct fb_seg *s)
{
	s->gref = get32(p);
	s->first = p[4];
	s->last = p[5];
}

/*
 * Decode one request copied off the ring.  Returns NULL, or what is wrong
 * with it (the id is always filled in, so an error can be answered).
 */
static const char *fb_parse_req(const uint8_t *raw, struct fb_req *q)
{
	unsigned int i;

	memset(q, 0, sizeof(*q));
	q->op = raw[0];
	q->id = get64(raw + BLK_RQ_ID);
	q->sector = get64(raw + BLK_RQ_SECTOR);

	switch (q->op) {
	case BLK_OP_READ:
	case BLK_OP_WRITE:
	case BLK_OP_WRITE_BARRIER:
	case BLK_OP_FLUSH_DISKCACHE:
		q->rw_op = q->op == BLK_OP_READ ? BLK_OP_READ : BLK_OP_WRITE;
		q->nseg = raw[BLK_RQ_NSEG];
		if (q->nseg > BLK_MAX_SEGS)
			return "more than 11 direct segments";
		for (i = 0; i < q->nseg; i++)
			fb_parse_seg(raw + BLK_RQ_SEGS + i * BLK_SEG_LEN,
				     &q->seg[i]);
		return NULL;
	case BLK_OP_INDIRECT:
		q->rw_op = raw[BLK_RQ_IND_OP];
		q->nseg = get16(raw + BLK_RQ_IND_NSEG);
		if (q->rw_op != BLK_OP_READ && q->rw_op != BLK_OP_WRITE)
			return "indirect request with an inner operation other than read or write";
		if (!q->nseg || q->nseg > BLK_MAX_IND_SEGS)
			return "indirect request with 0 or more than 4096 segments";
		q->nind = (q->nseg + BLK_SEGS_PER_IND - 1) / BLK_SEGS_PER_IND;
		for (i = 0; i < q->nind; i++)
			q->ind_gref[i] = get32(raw + BLK_RQ_IND_GREFS + i * 4);
		return NULL;
	case BLK_OP_DISCARD:
		return NULL;
	default:
		return "unknown operation";
	}
}

/*
 * Write a response into ring slot @slot.  With @junk every byte the
 * response does not use (padding, and the rest of the slot) is 0xa5.
 */
static void fb_put_rsp(uint8_t *slot, uint64_t id, uint8_t op, int16_t status,
		       bool junk)
{
	if (junk)
		memset(slot, FB_JUNK, BLK_SLOT);
	else
		memset(slot, 0, BLK_RSP_LEN);
	memcpy(slot + BLK_RS_ID, &id, sizeof(id));
	slot[BLK_RS_OP] = op;
	memcpy(slot + BLK_RS_STATUS, &status, sizeof(status));
}

/* ---- test cases ----------------------------------------------------------- */

enum fb_kind {
	FB_KIND_CONNECT,	/* InitWait, then Connected when rings are there */
	FB_KIND_NEVER,		/* InitWait for ever */
	FB_KIND_FIRST,		/* Connected from the start, no InitWait */
};

enum fb_act {
	FB_ACT_NONE,
	FB_ACT_OVERFLOW,	/* rsp_prod beyond the ring */
	FB_ACT_BAD_ID,		/* response id outside the ring */
	FB_ACT_DUP,		/* the same response twice */
	FB_ACT_BAD_OP,		/* response with another operation */
	FB_ACT_BAD_STATUS,	/* response with an undefined status */
};

struct fb_case {
	const char *name;
	enum fb_kind kind;
	enum fb_act act;
	bool junk;		/* junk in every response's padding */
	const char *key;	/* backend node the case sets, or NULL */
	const char *value;
	const char *what;
};

/* A correct backend except for the value @v of its node @k. */
#define FB_BAD_KEY(n, k, v, how) \
	{ n, FB_KIND_CONNECT, FB_ACT_NONE, false, k, v, k " " how }
/* A correct backend until armed; then attack @a on the next I/O. */
#define FB_ATTACK(n, a, how) \
	{ n, FB_KIND_CONNECT, a, false, NULL, NULL, "armed: " how }

static const struct fb_case fb_cases[] = {
	{ "good", FB_KIND_CONNECT, FB_ACT_NONE, false, NULL, NULL,
	  "a correct backend serving the 4 MiB pattern disk (control)" },
	{ "junk-padding", FB_KIND_CONNECT, FB_ACT_NONE, true, NULL, NULL,
	  "correct responses, every unused byte of a response slot 0xa5" },
	FB_BAD_KEY("sectors-zero", "sectors", "0", "= 0"),
	FB_BAD_KEY("sectors-huge", "sectors", "18446744073709551615",
		   "= 2^64-1"),
	FB_BAD_KEY("sectors-junk", "sectors", "8192junk", "not a number"),
	FB_BAD_KEY("sector-size-3", "sector-size", "3", "= 3"),
	FB_BAD_KEY("sector-size-huge", "sector-size", "2147483648", "= 2^31"),
	FB_BAD_KEY("indirect-huge", "feature-max-indirect-segments",
		   "4294967295", "= 2^32-1"),
	FB_BAD_KEY("indirect-one", "feature-max-indirect-segments", "1",
		   "= 1"),
	FB_BAD_KEY("queues-zero", "multi-queue-max-queues", "0", "= 0"),
	FB_BAD_KEY("queues-huge", "multi-queue-max-queues", "4294967295",
		   "= 2^32-1"),
	FB_BAD_KEY("queues-junk", "multi-queue-max-queues", "lots",
		   "not a number"),
	FB_BAD_KEY("ring-order-huge", "max-ring-page-order", "30", "= 30"),
	FB_BAD_KEY("ring-pages-huge", "max-ring-pages", "4294967295",
		   "= 2^32-1"),
	{ "never-connect", FB_KIND_NEVER, FB_ACT_NONE, false, NULL, NULL,
	  "stays in InitWait" },
	{ "connected-first", FB_KIND_FIRST, FB_ACT_NONE, false, NULL, NULL,
	  "Connected from the start, InitWait skipped; then serves" },
	FB_ATTACK("rsp-overflow", FB_ACT_OVERFLOW,
		  "rsp_prod moved ring size + 1 past the frontend"),
	FB_ATTACK("rsp-bad-id", FB_ACT_BAD_ID,
		  "response id far outside the ring"),
	FB_ATTACK("rsp-dup", FB_ACT_DUP,
		  "a correct response, then the same response again"),
	FB_ATTACK("rsp-bad-op", FB_ACT_BAD_OP,
		  "a read answered as a write (and vice versa)"),
	FB_ATTACK("rsp-bad-status", FB_ACT_BAD_STATUS,
		  "response status 0x5a5a"),
};

#define FB_NR_CASES (sizeof(fb_cases) / sizeof(fb_cases[0]))

static const struct fb_case *fb_find_case(const char *name)
{
	size_t i;

	for (i = 0; i < FB_NR_CASES; i++)
		if (!strcmp(fb_cases[i].name, name))
			return &fb_cases[i];
	return NULL;
}

/* Keys read by the frontend at connect; the others go out with InitWait. */
static bool fb_key_is_property(const char *key)
{
	return !strcmp(key, "sectors") || !strcmp(key, "sector-size");
}

/* What a case lets the frontend use, for the cross-checks. */
struct fb_offer {
	unsigned int queues;		/* rings allowed */
	unsigned int order;		/* ring page order allowed */
	unsigned long indirect;		/* 0: no indirect requests */
};

static void fb_case_offer(const struct fb_case *c, struct fb_offer *o)
{
	unsigned long v;
	bool num;

	o->queues = 1;
	o->order = 0;
	o->indirect = 0;
	if (!c->key)
		return;
	num = !xenpv_parse_ulong(c->value, UINT32_MAX, &v);
	if (!strcmp(c->key, "multi-queue-max-queues") && num && v)
		o->queues = v < FB_MAX_RINGS ? (unsigned int)v : FB_MAX_RINGS;
	else if (!strcmp(c->key, "max-ring-page-order") && num)
		o->order = v < FB_MAX_ORDER ? (unsigned int)v : FB_MAX_ORDER;
	else if (!strcmp(c->key, "max-ring-pages") && num && v)
		o->order = floor_log2(v) < FB_MAX_ORDER ? floor_log2(v) :
							  FB_MAX_ORDER;
	else if (!strcmp(c->key, "feature-max-indirect-segments") && num &&
		 v > BLK_MAX_SEGS)
		o->indirect = v;
}

/* ---- one fake device --------------------------------------------------------- */

struct fb_ring {
	uint8_t *sring;			/* our mapping, NULL when none */
	unsigned int pages;
	uint64_t index;			/* gntdev offset of the mapping */
	bool grants_mapped;
	unsigned int entries;
	uint32_t remote_port;
	uint32_t lport;
	bool bound;
	uint32_t req_cons;
	uint32_t rsp_pvt;
	unsigned long reqs;
};

struct fb_stats {
	unsigned long reqs;		/* requests taken off the rings */
	unsigned long rsps;		/* responses published */
	unsigned long indirect;		/* indirect requests */
	unsigned long bad;		/* malformed requests */
	unsigned long unexpected;	/* ops or features we did not offer */
	unsigned long copy_errs;	/* grant copies that failed */
	unsigned long notifies;		/* notifications sent */
	unsigned long storm;		/* of them, storm notifications */
};

struct fb_dev {
	struct xs_conn *xs;
	const struct fb_case *c;
	struct fb_offer offer;
	unsigned int domid;
	unsigned int vdev;
	char fe[128];			/* /local/domain/D/device/vbd/V */
	char be[128];	/* /local/domain/0/backend/xenpv-fakeback/D/V */
	char errnode[128];		/* /local/domain/D/error/device/vbd/V */
	bool created;
	bool be_target;			/* InitWait / Connected written */
	bool mapped;
	bool dead;			/* no more service (after an attack) */
	bool armed;
	bool fired;
	unsigned long arm_after;	/* arm after this many served I/Os */
	unsigned long served;
	int gnt_fd;
	int evt_fd;
	struct fb_ring rings[FB_MAX_RINGS];
	unsigned int nr_rings;
	unsigned int order;
	struct fb_stats st;
	char note[200];			/* first oddity seen */
	uint64_t t0;
};

__attribute__((format(printf, 2, 3)))
static void fb_note(struct fb_dev *d, const char *fmt, ...)
{
	char buf[200];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	say("case=%s note=\"%s\"", d->c->name, buf);
	if (!d->note[0])
		snprintf(d->note, sizeof(d->note), "%s", buf);
}

static void fb_dev_init(struct fb_dev *d, struct xs_conn *xs,
			const struct fb_case *c, unsigned int domid,
			unsigned int vdev, unsigned long arm_after)
{
	memset(d, 0, sizeof(*d));
	d->xs = xs;
	d->c = c;
	d->domid = domid;
	d->vdev = vdev;
	d->arm_after = arm_after;
	d->gnt_fd = -1;
	d->evt_fd = -1;
	d->t0 = now_ms();
	fb_case_offer(c, &d->offer);
	snprintf(d->fe, sizeof(d->fe), "/local/domain/%u/device/vbd/%u",
		 domid, vdev);
	/*
	 * Not under backend/vbd: dom0's blkback watches that directory and
	 * takes over any device appearing there (it wrote its own
	 * multi-queue-max-queues and max-ring-page-order into our cases and
	 * answered the frontend).  The frontend follows its "backend" key
	 * wherever it points.
	 */
	snprintf(d->be, sizeof(d->be),
		 "/local/domain/0/backend/xenpv-fakeback/%u/%u", domid, vdev);
	snprintf(d->errnode, sizeof(d->errnode),
		 "/local/domain/%u/error/device/vbd/%u", domid, vdev);
}

static int fb_path(char *buf, size_t cap, const char *dir, const char *key)
{
	int n = snprintf(buf, cap, "%s/%s", dir, key);

	return n < 0 || (size_t)n >= cap ? -E2BIG : 0;
}

static int fb_write_key(struct fb_dev *d, uint32_t tx, const char *dir,
			const char *key, const char *value)
{
	char p[256];
	int err;

	err = fb_path(p, sizeof(p), dir, key);
	if (!err)
		err = xs_write(d->xs, tx, p, value);
	if (err)
		say("case=%s error=write %s:%s", d->c->name, p, strerror(-err));
	return err;
}

/* -1 when missing or not a state number. */
static int fb_read_state(struct fb_dev *d, const char *dir)
{
	char p[256];
	unsigned long v;

	if (fb_path(p, sizeof(p), dir, "state") ||
	    xs_read_ulong(d->xs, p, XB_MAX_STATE, &v))
		return -1;
	return (int)v;
}

static int fb_set_be_state(struct fb_dev *d, int state)
{
	char v[4];

	snprintf(v, sizeof(v), "%d", state);
	say("case=%s backend-state=%d", d->c->name, state);
	return fb_write_key(d, 0, d->be, "state", v);
}

/* sectors, info, sector-size, physical-sector-size, with the case's value. */
static int fb_write_props(struct fb_dev *d, uint32_t tx)
{
	static const char *const keys[] = {
		"sectors", "info", "sector-size", "physical-sector-size",
	};
	char defaults[4][24];
	unsigned int i;
	int err;

	snprintf(defaults[0], sizeof(defaults[0]), "%u", FB_DISK_SECTORS);
	snprintf(defaults[1], sizeof(defaults[1]), "0");
	snprintf(defaults[2], sizeof(defaults[2]), "%u", BLK_SECTOR);
	snprintf(defaults[3], sizeof(defaults[3]), "%u", BLK_SECTOR);
	for (i = 0; i < 4; i++) {
		const char *v = defaults[i];

		if (d->c->key && !strcmp(d->c->key, keys[i]))
			v = d->c->value;
		err = fb_write_key(d, tx, d->be, keys[i], v);
		if (err)
			return err;
	}
	return 0;
}

/* Both directories, as the toolstack creates them, inside transaction @tx. */
static int fb_create_nodes(struct fb_dev *d, uint32_t tx)
{
	char id[16], vdev[16], owner[16], reader[16];
	const char *be_state;
	int err;

	snprintf(id, sizeof(id), "%u", d->domid);
	snprintf(vdev, sizeof(vdev), "%u", d->vdev);

	/* Backend: ours; the guest may read it. */
	err = xs_mkdir(d->xs, tx, d->be);
	if (!err) {
		snprintf(reader, sizeof(reader), "r%u", d->domid);
		err = xs_set_perms(d->xs, tx, d->be, "n0", reader);
	}
	if (err) {
		say("case=%s error=backend-dir %s:%s", d->c->name, d->be,
		    strerror(-err));
		return err;
	}
	be_state = d->c->kind == FB_KIND_FIRST ? "4" : "1";
	if ((err = fb_write_key(d, tx, d->be, "frontend", d->fe)) ||
	    (err = fb_write_key(d, tx, d->be, "frontend-id", id)) ||
	    (err = fb_write_key(d, tx, d->be, "online", "1")) ||
	    (err = fb_write_key(d, tx, d->be, "removable", "0")) ||
	    (err = fb_write_key(d, tx, d->be, "bootable", "1")) ||
	    (err = fb_write_key(d, tx, d->be, "mode", "w")) ||
	    (err = fb_write_key(d, tx, d->be, "device-type", "disk")) ||
	    (err = fb_write_key(d, tx, d->be, "params", "xenpv-fakeback")))
		return err;
	if (d->c->key && !fb_key_is_property(d->c->key)) {
		err = fb_write_key(d, tx, d->be, d->c->key, d->c->value);
		if (err)
			return err;
	}
	if (d->c->kind == FB_KIND_FIRST) {
		err = fb_write_props(d, tx);
		if (err)
			return err;
	}
	err = fb_write_key(d, tx, d->be, "state", be_state);
	if (err)
		return err;

	/* Frontend: the guest's; we (dom0) may read it. */
	err = xs_mkdir(d->xs, tx, d->fe);
	if (!err) {
		snprintf(owner, sizeof(owner), "n%u", d->domid);
		err = xs_set_perms(d->xs, tx, d->fe, owner, "r0");
	}
	if (err) {
		say("case=%s error=frontend-dir %s:%s", d->c->name, d->fe,
		    strerror(-err));
		return err;
	}
	if ((err = fb_write_key(d, tx, d->fe, "backend", d->be)) ||
	    (err = fb_write_key(d, tx, d->fe, "backend-id", "0")) ||
	    (err = fb_write_key(d, tx, d->fe, "virtual-device", vdev)) ||
	    (err = fb_write_key(d, tx, d->fe, "device-type", "disk")))
		return err;
	return fb_write_key(d, tx, d->fe, "state", "1");
}

static void fb_remove_nodes(struct fb_dev *d)
{
	xs_rm(d->xs, 0, d->fe);
	xs_rm(d->xs, 0, d->be);
	xs_rm(d->xs, 0, d->errnode);
}

static int fb_create(struct fb_dev *d)
{
	unsigned int tries;
	uint32_t tx;
	int err = -EAGAIN;

	/* Leftovers of an earlier run would confuse the frontend. */
	fb_remove_nodes(d);
	for (tries = 0; tries < 20 && err == -EAGAIN; tries++) {
		err = xs_tx_start(d->xs, &tx);
		if (err)
			break;
		err = fb_create_nodes(d, tx);
		if (err) {
			xs_tx_end(d->xs, tx, false);
			break;
		}
		err = xs_tx_end(d->xs, tx, true);
	}
	if (err) {
		say("case=%s error=create:%s", d->c->name, strerror(-err));
		return err;
	}
	d->created = true;
	say("case=%s created frontend=%s backend=%s", d->c->name, d->fe,
	    d->be);
	return 0;
}

/* ---- rings and event channels ---------------------------------------------- */

static volatile uint32_t *fb_idx(struct fb_ring *r)
{
	return (volatile uint32_t *)(void *)r->sring;
}

static uint8_t *fb_slot(struct fb_ring *r, uint32_t i)
{
	return r->sring + BLK_RING_HDR + (size_t)(i & (r->entries - 1)) *
				       BLK_SLOT;
}

/*
 * selftest only: the guest's pages as an array indexed by grant reference,
 * so that the data path runs without Xen.  NULL in every real run.
 */
#define FB_TEST_PAGES		64U
static uint8_t (*fb_test_pages)[XEN_PAGE];

static void fb_notify(struct fb_dev *d, struct fb_ring *r)
{
	struct ioctl_evtchn_notify n = { .port = r->lport };

	if (!r->bound)
		return;
	if (fb_test_pages)
		d->st.notifies++;
	else if (ioctl(d->evt_fd, IOCTL_EVTCHN_NOTIFY, &n) < 0)
		say("case=%s warning=notify:%s", d->c->name, strerror(errno));
	else
		d->st.notifies++;
}

/* Map @n grants of the guest as one contiguous range. */
static int fb_map_ring(struct fb_dev *d, struct fb_ring *r,
		       const uint32_t *refs, unsigned int n)
{
	size_t size = sizeof(struct ioctl_gntdev_map_grant_ref) +
		      (n - 1) * sizeof(struct ioctl_gntdev_grant_ref);
	struct ioctl_gntdev_map_grant_ref *op = calloc(1, size);
	unsigned int i;
	void *p;

	if (!op)
		return -ENOMEM;
	op->count = n;
	for (i = 0; i < n; i++) {
		op->refs[i].domid = d->domid;
		op->refs[i].ref = refs[i];
	}
	if (ioctl(d->gnt_fd, IOCTL_GNTDEV_MAP_GRANT_REF, op) < 0) {
		int err = -errno;

		free(op);
		return err;
	}
	r->index = op->index;
	r->pages = n;
	r->grants_mapped = true;	/* fb_unmap_rings() releases them */
	free(op);
	p = mmap(NULL, (size_t)n * XEN_PAGE, PROT_READ | PROT_WRITE,
		 MAP_SHARED, d->gnt_fd, (off_t)r->index);
	if (p == MAP_FAILED)
		return -errno;
	r->sring = p;
	return 0;
}

static void fb_unmap_rings(struct fb_dev *d)
{
	struct ioctl_gntdev_unmap_grant_ref un;
	struct ioctl_evtchn_unbind ub;
	unsigned int i;

	for (i = 0; i < FB_MAX_RINGS; i++) {
		struct fb_ring *r = &d->rings[i];

		if (r->bound) {
			memset(&ub, 0, sizeof(ub));
			ub.port = r->lport;
			if (ioctl(d->evt_fd, IOCTL_EVTCHN_UNBIND, &ub) < 0)
				say("case=%s warning=unbind:%s", d->c->name,
				    strerror(errno));
			r->bound = false;
		}
		if (r->sring) {
			munmap(r->sring, (size_t)r->pages * XEN_PAGE);
			r->sring = NULL;
		}
		if (r->grants_mapped) {
			memset(&un, 0, sizeof(un));
			un.index = r->index;
			un.count = r->pages;
			if (ioctl(d->gnt_fd, IOCTL_GNTDEV_UNMAP_GRANT_REF,
				  &un) < 0)
				say("case=%s warning=unmap:%s", d->c->name,
				    strerror(errno));
			r->grants_mapped = false;
		}
	}
	if (d->evt_fd >= 0)
		close(d->evt_fd);
	if (d->gnt_fd >= 0)
		close(d->gnt_fd);
	d->evt_fd = -1;
	d->gnt_fd = -1;
	d->mapped = false;
}

/* The 32-bit number in the frontend's node @key; noted when unusable. */
static int fb_read_fe_u32(struct fb_dev *d, const char *key, uint32_t *val)
{
	char p[256];
	unsigned long v;
	int err;

	err = fb_path(p, sizeof(p), d->fe, key);
	if (!err)
		err = xs_read_ulong(d->xs, p, UINT32_MAX, &v);
	if (err) {
		fb_note(d, "frontend %s: %s", key, strerror(-err));
		return err;
	}
	*val = (uint32_t)v;
	return 0;
}

/* The keys of one ring under "<fe>/<prefix>". */
static int fb_read_ring_keys(struct fb_dev *d, const char *prefix,
			     uint32_t *refs, unsigned int pages,
			     uint32_t *port)
{
	char key[64];
	unsigned int i;
	int err;

	for (i = 0; i < pages; i++) {
		if (d->order)
			snprintf(key, sizeof(key), "%sring-ref%u", prefix, i);
		else
			snprintf(key, sizeof(key), "%sring-ref", prefix);
		err = fb_read_fe_u32(d, key, &refs[i]);
		if (err)
			return err;
	}
	snprintf(key, sizeof(key), "%sevent-channel", prefix);
	return fb_read_fe_u32(d, key, port);
}

/*
 * What the frontend published: rings, ring size, ring references and
 * ports.  Everything is checked before use; what the frontend chose is
 * compared with what the case offered.
 */
static int fb_connect_rings(struct fb_dev *d)
{
	uint32_t refs[1U << FB_MAX_ORDER];
	char p[256], val[64], prefix[32];
	unsigned long v;
	unsigned int q, pages;
	int err, lport;

	err = fb_path(p, sizeof(p), d->fe, "multi-queue-num-queues");
	if (!err)
		err = xs_read_ulong(d->xs, p, FB_MAX_RINGS, &v);
	if (err == -ENOENT) {
		d->nr_rings = 1;
	} else if (err || !v) {
		fb_note(d, "frontend multi-queue-num-queues unusable");
		return -EINVAL;
	} else {
		d->nr_rings = (unsigned int)v;
	}
	err = fb_path(p, sizeof(p), d->fe, "ring-page-order");
	if (!err)
		err = xs_read_ulong(d->xs, p, FB_MAX_ORDER, &v);
	if (err == -ENOENT) {
		d->order = 0;
	} else if (err) {
		fb_note(d, "frontend ring-page-order unusable");
		return -EINVAL;
	} else {
		d->order = (unsigned int)v;
	}
	if (d->nr_rings > d->offer.queues)
		fb_note(d, "frontend uses %u rings, %u allowed", d->nr_rings,
			d->offer.queues);
	if (d->order > d->offer.order)
		fb_note(d, "frontend uses ring order %u, %u allowed", d->order,
			d->offer.order);
	err = fb_path(p, sizeof(p), d->fe, "protocol");
	if (!err && xs_read(d->xs, 0, p, val, sizeof(val)) >= 0 &&
	    strcmp(val, "x86_64-abi")) {
		fb_note(d, "frontend protocol %.32s is not served", val);
		return -EPROTONOSUPPORT;
	}

	d->gnt_fd = open(GNTDEV_PATH, O_RDWR | O_CLOEXEC);
	d->evt_fd = open(EVTCHN_PATH, O_RDWR | O_CLOEXEC | O_NONBLOCK);
	if (d->gnt_fd < 0 || d->evt_fd < 0) {
		fb_note(d, "cannot open %s or %s: %s", GNTDEV_PATH,
			EVTCHN_PATH, strerror(errno));
		return -ENODEV;
	}
	d->mapped = true;	/* from here fb_unmap_rings() cleans up */

	pages = 1U << d->order;
	for (q = 0; q < d->nr_rings; q++) {
		struct fb_ring *r = &d->rings[q];
		struct ioctl_evtchn_bind_interdomain bind;

		if (d->nr_rings > 1)
			snprintf(prefix, sizeof(prefix), "queue-%u/", q);
		else
			prefix[0] = '\0';
		err = fb_read_ring_keys(d, prefix, refs, pages,
					&r->remote_port);
		if (err)
			return err;
		err = fb_map_ring(d, r, refs, pages);
		if (err) {
			fb_note(d, "mapping ring %u (%u pages): %s", q, pages,
				strerror(-err));
			return err;
		}
		r->entries = fb_ring_entries(pages);
		r->req_cons = 0;
		r->rsp_pvt = 0;

		memset(&bind, 0, sizeof(bind));
		bind.remote_domain = d->domid;
		bind.remote_port = r->remote_port;
		lport = ioctl(d->evt_fd, IOCTL_EVTCHN_BIND_INTERDOMAIN, &bind);
		if (lport < 0) {
			err = -errno;
			fb_note(d, "binding port %u of ring %u: %s",
				r->remote_port, q, strerror(errno));
			return err;
		}
		r->lport = (uint32_t)lport;
		r->bound = true;
		say("case=%s ring=%u pages=%u entries=%u port=%u local_port=%u",
		    d->c->name, q, pages, r->entries, r->remote_port, r->lport);
	}
	return 0;
}

/* ---- the data path ------------------------------------------------------------- */

static struct gntdev_grant_copy_segment fb_copy[BLK_MAX_IND_SEGS];
static uint8_t fb_ind_buf[BLK_MAX_IND_PAGES * XEN_PAGE];

/* The bytes a grant reference stands for in the selftest, NULL if none. */
static uint8_t *fb_test_ref(uint32_t ref, unsigned int offset,
			    unsigned int len)
{
	if (ref >= FB_TEST_PAGES || offset + len > XEN_PAGE)
		return NULL;
	return fb_test_pages[ref] + offset;
}

/* What gntdev does for a grant copy, on fb_test_pages (selftest). */
static void fb_test_copy(unsigned int n)
{
	unsigned int i;

	for (i = 0; i < n; i++) {
		struct gntdev_grant_copy_segment *c = &fb_copy[i];
		const uint8_t *src = c->source.virt;
		uint8_t *dst = c->dest.virt;

		c->status = -1;
		if (c->flags & FB_GNTCOPY_SOURCE_GREF)
			src = fb_test_ref(c->source.foreign.ref,
					  c->source.foreign.offset, c->len);
		if (c->flags & FB_GNTCOPY_DEST_GREF)
			dst = fb_test_ref(c->dest.foreign.ref,
					  c->dest.foreign.offset, c->len);
		if (!src || !dst)
			continue;
		memcpy(dst, src, c->len);
		c->status = FB_GNTST_OKAY;
	}
}

/* Grant copies; 0 when every segment succeeded. */
static int fb_grant_copy(struct fb_dev *d, unsigned int n)
{
	struct ioctl_gntdev_grant_copy op = { .count = n, .segments = fb_copy };
	unsigned int i;
	int bad = 0;

	if (fb_test_pages) {
		fb_test_copy(n);
	} else if (ioctl(d->gnt_fd, IOCTL_GNTDEV_GRANT_COPY, &op) < 0) {
		fb_note(d, "grant copy: %s", strerror(errno));
		d->st.copy_errs++;
		return -1;
	}
	for (i = 0; i < n; i++)
		if (fb_copy[i].status != FB_GNTST_OKAY)
			bad++;
	if (bad) {
		fb_note(d, "%d of %u grant copies failed (first status %d)",
			bad, n, fb_copy[0].status);
		d->st.copy_errs++;
		return -1;
	}
	return 0;
}

/* The segment list of an indirect request, from its indirect pages. */
static int fb_fetch_indirect(struct fb_dev *d, const struct fb_req *q,
			     struct fb_seg *segs)
{
	unsigned int k, left = q->nseg;

	for (k = 0; k < q->nind; k++) {
		unsigned int n = left < BLK_SEGS_PER_IND ? left :
							   BLK_SEGS_PER_IND;
		struct gntdev_grant_copy_segment *c = &fb_copy[k];

		memset(c, 0, sizeof(*c));
		c->source.foreign.ref = q->ind_gref[k];
		c->source.foreign.offset = 0;
		c->source.foreign.domid = (domid_t)d->domid;
		c->dest.virt = fb_ind_buf + (size_t)k * XEN_PAGE;
		c->len = (uint16_t)(n * BLK_SEG_LEN);
		c->flags = FB_GNTCOPY_SOURCE_GREF;
		left -= n;
	}
	if (fb_grant_copy(d, q->nind))
		return -1;
	for (k = 0; k < q->nseg; k++)
		fb_parse_seg(fb_ind_buf + (size_t)k * BLK_SEG_LEN, &segs[k]);
	return 0;
}

/* Serve a read or write; returns the blkif status. */
static int16_t fb_rw(struct fb_dev *d, const struct fb_req *q)
{
	static struct fb_seg segs[BLK_MAX_IND_SEGS];
	const struct fb_seg *sg = q->seg;
	bool write = q->rw_op == BLK_OP_WRITE;
	uint64_t off;
	unsigned int i;

	if (q->op == BLK_OP_INDIRECT) {
		d->st.indirect++;
		if (!d->offer.indirect || q->nseg > d->offer.indirect) {
			d->st.unexpected++;
			fb_note(d, "indirect request of %u segments, %lu offered",
				q->nseg, d->offer.indirect);
		}
		if (fb_fetch_indirect(d, q, segs))
			return BLK_RSP_ERROR;
		sg = segs;
	}
	if (!q->nseg) {
		d->st.bad++;
		fb_note(d, "read/write request without segments");
		return BLK_RSP_ERROR;
	}
	if (q->sector >= FB_DISK_SECTORS) {
		fb_note(d, "request at sector %llu beyond the disk",
			(unsigned long long)q->sector);
		return BLK_RSP_ERROR;
	}
	off = q->sector * BLK_SECTOR;
	for (i = 0; i < q->nseg; i++) {
		struct gntdev_grant_copy_segment *c = &fb_copy[i];
		unsigned int bytes;

		if (sg[i].first > sg[i].last ||
		    sg[i].last >= BLK_SECTORS_PER_PAGE) {
			d->st.bad++;
			fb_note(d, "segment %u: sectors %u..%u of a page", i,
				sg[i].first, sg[i].last);
			return BLK_RSP_ERROR;
		}
		bytes = (unsigned int)(sg[i].last - sg[i].first + 1) *
			BLK_SECTOR;
		if (off + bytes > fb_disk_bytes) {
			fb_note(d, "request runs past the end of the disk");
			return BLK_RSP_ERROR;
		}
		memset(c, 0, sizeof(*c));
		if (write) {
			c->source.foreign.ref = sg[i].gref;
			c->source.foreign.offset =
				(uint16_t)(sg[i].first * BLK_SECTOR);
			c->source.foreign.domid = (domid_t)d->domid;
			c->dest.virt = fb_disk + off;
			c->flags = FB_GNTCOPY_SOURCE_GREF;
		} else {
			c->source.virt = fb_disk + off;
			c->dest.foreign.ref = sg[i].gref;
			c->dest.foreign.offset =
				(uint16_t)(sg[i].first * BLK_SECTOR);
			c->dest.foreign.domid = (domid_t)d->domid;
			c->flags = FB_GNTCOPY_DEST_GREF;
		}
		c->len = (uint16_t)bytes;
		off += bytes;
	}
	return fb_grant_copy(d, q->nseg) ? BLK_RSP_ERROR : BLK_RSP_OKAY;
}

/* Queue a response in the next free slot (published by fb_push()). */
static void fb_respond(struct fb_dev *d, struct fb_ring *r, uint64_t id,
		       uint8_t op, int16_t status)
{
	fb_put_rsp(fb_slot(r, r->rsp_pvt), id, op, status, d->c->junk);
	r->rsp_pvt++;
}

static void fb_push(struct fb_dev *d, struct fb_ring *r)
{
	volatile uint32_t *idx = fb_idx(r);
	uint32_t old = idx[BLK_IDX_RSP_PROD];

	full_fence();
	idx[BLK_IDX_RSP_PROD] = r->rsp_pvt;
	full_fence();
	d->st.rsps += r->rsp_pvt - old;
	fb_notify(d, r);
}

static uint8_t fb_wrong_op(uint8_t rw_op)
{
	return rw_op == BLK_OP_WRITE ? BLK_OP_READ : BLK_OP_WRITE;
}

/* The case's attack, on read/write request @q; the ring is dead after it. */
static void fb_attack(struct fb_dev *d, struct fb_ring *r,
		      const struct fb_req *q)
{
	volatile uint32_t *idx = fb_idx(r);
	int16_t st;

	switch (d->c->act) {
	case FB_ACT_OVERFLOW:
		full_fence();
		idx[BLK_IDX_RSP_PROD] = r->rsp_pvt + r->entries + 1;
		full_fence();
		fb_notify(d, r);
		say("case=%s fired=overflow rsp_prod=%u rsp_cons=%u entries=%u id=%llu",
		    d->c->name, r->rsp_pvt + r->entries + 1, r->rsp_pvt,
		    r->entries, (unsigned long long)q->id);
		break;
	case FB_ACT_BAD_ID:
		fb_respond(d, r, q->id | 0xdead000000000000ULL, q->rw_op,
			   BLK_RSP_OKAY);
		fb_push(d, r);
		say("case=%s fired=bad-id id=%llu sent=%llu", d->c->name,
		    (unsigned long long)q->id,
		    (unsigned long long)(q->id | 0xdead000000000000ULL));
		break;
	case FB_ACT_DUP:
		st = fb_rw(d, q);
		fb_respond(d, r, q->id, q->rw_op, st);
		fb_respond(d, r, q->id, q->rw_op, st);
		fb_push(d, r);
		say("case=%s fired=dup id=%llu status=%d", d->c->name,
		    (unsigned long long)q->id, st);
		break;
	case FB_ACT_BAD_OP:
		fb_respond(d, r, q->id, fb_wrong_op(q->rw_op), BLK_RSP_OKAY);
		fb_push(d, r);
		say("case=%s fired=bad-op id=%llu op=%u sent_op=%u",
		    d->c->name, (unsigned long long)q->id, q->op,
		    fb_wrong_op(q->rw_op));
		break;
	case FB_ACT_BAD_STATUS:
		fb_respond(d, r, q->id, q->rw_op, (int16_t)FB_BAD_STATUS);
		fb_push(d, r);
		say("case=%s fired=bad-status id=%llu status=%d", d->c->name,
		    (unsigned long long)q->id, FB_BAD_STATUS);
		break;
	case FB_ACT_NONE:
		return;
	}
	d->fired = true;
	d->dead = true;
}

static void fb_handle(struct fb_dev *d, struct fb_ring *r, const uint8_t *raw,
		      bool *pushed)
{
	const char *bad;
	struct fb_req q;
	int16_t st;

	d->st.reqs++;
	r->reqs++;
	bad = fb_parse_req(raw, &q);
	if (bad) {
		d->st.bad++;
		fb_note(d, "request op %u: %s", q.op, bad);
		fb_respond(d, r, q.id, q.op, BLK_RSP_ERROR);
		*pushed = true;
		return;
	}
	switch (q.op) {
	case BLK_OP_READ:
	case BLK_OP_WRITE:
	case BLK_OP_INDIRECT:
		if (!d->armed && d->c->act != FB_ACT_NONE &&
		    d->served >= d->arm_after)
			d->armed = true;
		if (d->armed && !d->fired && d->c->act != FB_ACT_NONE) {
			if (*pushed)
				fb_push(d, r);
			*pushed = false;
			fb_attack(d, r, &q);
			return;
		}
		st = fb_rw(d, &q);
		d->served++;
		fb_respond(d, r, q.id, q.rw_op, st);
		break;
	default:
		/* Flush, barrier, discard: none was offered. */
		d->st.unexpected++;
		fb_note(d, "operation %u was not offered", q.op);
		fb_respond(d, r, q.id, q.op, BLK_RSP_EOPNOTSUPP);
		break;
	}
	*pushed = true;
}

static void fb_service_ring(struct fb_dev *d, struct fb_ring *r)
{
	volatile uint32_t *idx = fb_idx(r);
	uint8_t raw[BLK_SLOT];
	bool pushed = false;
	uint32_t prod;

	for (;;) {
		prod = idx[BLK_IDX_REQ_PROD];
		full_fence();
		if ((uint32_t)(prod - r->req_cons) > r->entries) {
			d->st.bad++;
			fb_note(d, "frontend req_prod %u is %u ahead of %u entries",
				prod, prod - r->req_cons, r->entries);
			d->dead = true;
			break;
		}
		while (r->req_cons != prod && !d->dead) {
			memcpy(raw, fb_slot(r, r->req_cons), BLK_SLOT);
			r->req_cons++;
			fb_handle(d, r, raw, &pushed);
		}
		if (d->dead)
			break;
		idx[BLK_IDX_REQ_EVENT] = r->req_cons + 1;
		full_fence();
		if (idx[BLK_IDX_REQ_PROD] == r->req_cons)
			break;
	}
	if (pushed && !d->dead)
		fb_push(d, r);
}

static void fb_service(struct fb_dev *d)
{
	unsigned int i;

	for (i = 0; d->mapped && i < d->nr_rings && !d->dead; i++)
		if (d->rings[i].sring)
			fb_service_ring(d, &d->rings[i]);
}

/* Ports that fired go back unmasked; the rings are looked at anyway. */
static void fb_drain_events(struct fb_dev *d)
{
	uint32_t ports[64];
	ssize_t got;
	int i;

	for (;;) {
		got = read(d->evt_fd, ports, sizeof(ports));
		if (got <= 0)
			return;
		for (i = 0; i < (int)(got / (ssize_t)sizeof(ports[0])); i++)
			if (write(d->evt_fd, &ports[i], sizeof(ports[i])) !=
			    (ssize_t)sizeof(ports[i]))
				say("case=%s warning=unmask:%s", d->c->name,
				    strerror(errno));
	}
}

/* Wait up to @ms for an event, then serve the rings. */
static void fb_pump(struct fb_dev *d, int ms)
{
	struct pollfd pfd;

	if (d->evt_fd >= 0) {
		pfd.fd = d->evt_fd;
		pfd.events = POLLIN;
		if (poll(&pfd, 1, ms) > 0)
			fb_drain_events(d);
	} else {
		sleep_ms((unsigned int)ms);
	}
	fb_service(d);
}

#define FB_BIT(s)	(1U << (s))
#define FB_BIT_MISSING	(1U << 16)	/* the node is gone (or garbled) */

/*
 * Serve until the frontend state is in @mask (bit per state) or @ms
 * passed.  Returns the last state read (-1: missing).
 */
static int fb_wait_fe(struct fb_dev *d, unsigned int mask, unsigned int ms)
{
	uint64_t end = now_ms() + ms;
	int st;

	for (;;) {
		st = fb_read_state(d, d->fe);
		if (st >= 0 ? (mask & FB_BIT(st)) : (mask & FB_BIT_MISSING))
			return st;
		if (now_ms() >= end || xenpv_stop_signal)
			return st;
		fb_pump(d, FB_STEP_MS);
	}
}

/* ---- a case from start to "ready" and from there to the end -------------------- */

/*
 * Create the device and drive the handshake to where the case wants it.
 * Returns 0 when the backend did its part (InitWait or Connected written);
 * the frontend's reaction is reported, not judged.
 */
static int fb_setup(struct fb_dev *d, int *fe_state)
{
	const unsigned int after_talk = FB_BIT(XB_INITIALISED) |
		FB_BIT(XB_CONNECTED) | FB_BIT(XB_CLOSING) | FB_BIT(XB_CLOSED);
	const unsigned int after_connect = FB_BIT(XB_CONNECTED) |
		FB_BIT(XB_CLOSING) | FB_BIT(XB_CLOSED);
	int fe, err;

	*fe_state = -1;
	/* Every case starts from the pristine image (fb_sha_initial). */
	fb_pattern(fb_disk, FB_DISK_SECTORS);
	err = fb_create(d);
	if (err)
		return err;

	if (d->c->kind == FB_KIND_FIRST) {
		d->be_target = true;	/* created Connected */
	} else {
		err = fb_set_be_state(d, XB_INITWAIT);
		if (err)
			return err;
		if (d->c->kind == FB_KIND_NEVER)
			d->be_target = true;
	}

	fe = fb_wait_fe(d, after_talk, FB_CONNECT_WAIT_MS);
	*fe_state = fe;
	say("case=%s frontend-state=%d", d->c->name, fe);
	if (fe == XB_CLOSING || fe == XB_CLOSED) {
		/* The frontend gave up before Initialised: its answer. */
		fb_note(d, "frontend state %d before it published rings", fe);
		d->be_target = true;
		return 0;
	}
	if (fe != XB_INITIALISED && fe != XB_CONNECTED) {
		fb_note(d, "frontend state %d, not Initialised, after %d s", fe,
			FB_CONNECT_WAIT_MS / 1000);
		return d->c->kind == FB_KIND_NEVER ? 0 : -ETIMEDOUT;
	}
	if (d->c->kind == FB_KIND_NEVER)
		return 0;

	err = fb_connect_rings(d);
	if (err) {
		fb_unmap_rings(d);
		return err;
	}
	if (d->c->kind != FB_KIND_FIRST) {
		err = fb_write_props(d, 0);
		if (!err)
			err = fb_set_be_state(d, XB_CONNECTED);
		if (err)
			return err;
		d->be_target = true;
	}
	fe = fb_wait_fe(d, after_connect, FB_CONNECT_WAIT_MS);
	*fe_state = fe;
	say("case=%s frontend-state=%d", d->c->name, fe);
	if (fe != XB_CONNECTED && fe != XB_CLOSING && fe != XB_CLOSED)
		fb_note(d, "frontend state %d %d s after Connected", fe,
			FB_CONNECT_WAIT_MS / 1000);
	return 0;
}

static void fb_ready_line(struct fb_dev *d, int fe, char *out, size_t cap)
{
	char note[sizeof(d->note)];

	sanitize_word(note, sizeof(note), d->note);
	snprintf(out, cap, "fe=%d rings=%u order=%u sha=%s note=%s", fe,
		 d->mapped ? d->nr_rings : 0, d->order, fb_sha_initial, note);
}

/* Send @count notifications on every ring, @FB_STORM_GAP_MS apart. */
static void fb_storm(struct fb_dev *d, unsigned int count)
{
	unsigned int i, k;
	unsigned long before = d->st.notifies;

	for (i = 0; i < count && !xenpv_stop_signal; i++) {
		for (k = 0; k < d->nr_rings; k++)
			fb_notify(d, &d->rings[k]);
		fb_pump(d, FB_STORM_GAP_MS);
	}
	d->st.storm += d->st.notifies - before;
}

/*
 * The toolstack's unplug: our side of the rings goes first (the frontend
 * can then revoke its grants at once), Closing, a bounded wait for the
 * frontend's Closed, Closed, and both directories removed.
 */
static void fb_teardown(struct fb_dev *d, char *out, size_t cap)
{
	char errmsg[160], err_word[160], note[sizeof(d->note)];
	char sha[SHA256_HEX_LEN + 1], p[256];
	int fe = -1, fe_before = -1;

	fb_unmap_rings(d);
	errmsg[0] = '\0';
	if (d->created) {
		fe_before = fb_read_state(d, d->fe);
		fb_set_be_state(d, XB_CLOSING);
		fe = fb_wait_fe(d, FB_BIT(XB_CLOSED) | FB_BIT_MISSING,
				FB_CLOSE_WAIT_MS);
		if (fe != XB_CLOSED)
			fb_note(d, "frontend state %d %d s after Closing", fe,
				FB_CLOSE_WAIT_MS / 1000);
		fb_set_be_state(d, XB_CLOSED);
		if (!fb_path(p, sizeof(p), d->errnode, "error") &&
		    xs_read(d->xs, 0, p, errmsg, sizeof(errmsg)) < 0)
			errmsg[0] = '\0';
		fb_remove_nodes(d);
		d->created = false;
	}
	sha256_hex(fb_disk, fb_disk_bytes, sha);
	sanitize_word(err_word, sizeof(err_word), errmsg);
	sanitize_word(note, sizeof(note), d->note);
	snprintf(out, cap,
		 "fe_before=%d fe_final=%d fired=%d reqs=%lu rsps=%lu "
		 "indirect=%lu bad=%lu unexpected=%lu copy_errs=%lu "
		 "notifies=%lu storm=%lu sha=%s error=%s note=%s",
		 fe_before, fe, d->fired, d->st.reqs, d->st.rsps,
		 d->st.indirect, d->st.bad, d->st.unexpected, d->st.copy_errs,
		 d->st.notifies, d->st.storm, sha, err_word, note);
}

/* ---- commands -------------------------------------------------------------------- */

struct fb_opts {
	unsigned long domid;
	unsigned long vdev;
	unsigned long hold;		/* run: seconds of service */
	unsigned long arm_after;	/* run: I/Os served before the attack */
	unsigned long deadline;		/* serve: seconds */
	unsigned long case_max;		/* serve: seconds per case */
};

static void usage(FILE *f)
{
	size_t i;

	fprintf(f,
		"usage: %s [OPTIONS] DOMID CASE|serve\n"
		"       %s list | selftest | --help\n"
		"\n"
		"Plays the block backend of vbd DEV of domain DOMID from dom0\n"
		"(xenstore through %s, rings through %s\n"
		"and %s), breaking one rule per CASE.  The disk is 4 MiB\n"
		"in memory, each 512-byte sector starting with the line\n"
		"\"xenpv-fakeback sector NNNNNNNN\" (N = sector number).\n"
		"\n"
		"  DOMID CASE   create the device, drive the handshake, serve it\n"
		"               for --hold seconds (ring attacks after --arm-after\n"
		"               served I/Os), then unplug it.  Prints phase=ready and\n"
		"               phase=done lines of key=value.\n"
		"  DOMID serve  run the cases the guest asks for (blkfront/hostile.sh):\n"
		"               it writes \"SEQ VERB [ARG]\" to\n"
		"               /local/domain/DOMID/data/xenpv-test/hostile-req and\n"
		"               reads \"SEQ WORD key=value...\" from .../hostile-rsp.\n"
		"               Verbs: hello, case NAME (-> ready), arm (-> armed),\n"
		"               storm [N] (-> stormed), status, finish (-> done),\n"
		"               quit (-> bye).  Exits when the domain is gone.\n"
		"  list         the cases\n"
		"  selftest     check the pure helpers (no Xen needed)\n"
		"\n"
		"Options:\n"
		"  --dev N          virtual-device number (default %u, xvdi)\n"
		"  --hold S         CASE: seconds of service (default 20)\n"
		"  --arm-after N    CASE: I/Os served before the attack (default 0)\n"
		"  --deadline S     serve: give up after S seconds (default 1800)\n"
		"  --case-max S     serve: unplug a case after S seconds (default 300)\n"
		"\n"
		"Environment: XENPV_FAKEBACK_XENSTORE=SOCKET talks to xenstored's unix\n"
		"socket (e.g. /run/xenstored/socket) instead of %s.\n"
		"\n"
		"Cases:\n",
		prog, prog, XENBUS_PATH, GNTDEV_PATH, EVTCHN_PATH,
		FB_DEFAULT_VDEV, XENBUS_PATH);
	for (i = 0; i < FB_NR_CASES; i++)
		fprintf(f, "  %-17s %s\n", fb_cases[i].name, fb_cases[i].what);
	fprintf(f,
		"\n"
		"Exit status: 0 the backend did its part (device created, handshake\n"
		"driven, attack sent), 1 it could not, 2 usage error.  The frontend's\n"
		"reaction is reported, never judged: the guest test does that.\n");
}

static int bad_usage(const char *why)
{
	fprintf(stderr, "%s: %s\n", prog, why);
	usage(stderr);
	return 2;
}

static int cmd_run(const struct fb_opts *o, const struct fb_case *c)
{
	struct xs_conn xs = { .fd = -1 };
	char line[1024];
	struct fb_dev d;
	uint64_t end;
	int fe, err, rc;

	err = xs_open(&xs);
	if (err) {
		printf("error=open %s:%s\n", XENBUS_PATH, strerror(-err));
		return 1;
	}
	fb_dev_init(&d, &xs, c, (unsigned int)o->domid, (unsigned int)o->vdev,
		    o->arm_after);
	err = fb_setup(&d, &fe);
	fb_ready_line(&d, fe, line, sizeof(line));
	printf("phase=ready case=%s rc=%d %s\n", c->name, err, line);
	end = now_ms() + o->hold * 1000;
	while (!xenpv_stop_signal && now_ms() < end)
		fb_pump(&d, FB_STEP_MS);
	fb_teardown(&d, line, sizeof(line));
	printf("phase=done case=%s %s\n", c->name, line);
	xs_close(&xs);
	rc = d.be_target && (c->act == FB_ACT_NONE || d.fired) ? 0 : 1;
	return rc;
}

/* "SEQ VERB [ARG]": SEQ 1-9 digits, VERB and ARG [a-z0-9-], 1-31 chars. */
static int fb_parse_cmd(const char *s, unsigned long *seq, char *verb,
			char *arg, size_t cap)
{
	char w[3][32];
	unsigned int n = 0, i;
	const char *p = s;
	size_t l;

	while (*p) {
		while (*p == ' ')
			p++;
		if (!*p)
			break;
		if (n == 3)
			return -1;
		l = strcspn(p, " ");
		if (!l || l >= sizeof(w[0]))
			return -1;
		memcpy(w[n], p, l);
		w[n][l] = '\0';
		p += l;
		n++;
	}
	if (n < 2 || strlen(w[0]) > 9 ||
	    xenpv_parse_ulong(w[0], ULONG_MAX, seq))
		return -1;
	for (i = 1; i < n; i++) {
		const char *c;

		for (c = w[i]; *c; c++)
			if (!islower((unsigned char)*c) &&
			    !isdigit((unsigned char)*c) && *c != '-')
				return -1;
	}
	if (strlen(w[1]) >= cap || (n == 3 && strlen(w[2]) >= cap))
		return -1;
	strcpy(verb, w[1]);
	strcpy(arg, n == 3 ? w[2] : "");
	return 0;
}

struct fb_server {
	struct xs_conn xs;
	const struct fb_opts *o;
	char req[160];
	char rsp[160];
	char home[64];
	struct fb_dev d;
	bool active;
};

__attribute__((format(printf, 3, 4)))
static void fb_reply(struct fb_server *s, unsigned long seq,
		     const char *fmt, ...)
{
	char buf[2048];
	va_list ap;
	int n, err;

	n = snprintf(buf, sizeof(buf), "%lu ", seq);
	va_start(ap, fmt);
	vsnprintf(buf + n, sizeof(buf) - (size_t)n, fmt, ap);
	va_end(ap);
	err = xs_write(&s->xs, 0, s->rsp, buf);
	if (err)
		say("error=reply %s:%s", s->rsp, strerror(-err));
	say("reply=\"%s\"", buf);
}

static void fb_server_finish(struct fb_server *s, char *out, size_t cap)
{
	fb_teardown(&s->d, out, cap);
	say("case=%s phase=done %s", s->d.c->name, out);
	s->active = false;
}

static void fb_serve_one(struct fb_server *s, unsigned long seq,
			 const char *verb, const char *arg)
{
	char line[1024];
	const struct fb_case *c;
	unsigned long n;
	int fe, err;

	if (!strcmp(verb, "hello")) {
		fb_reply(s, seq, "hello domid=%lu dev=%lu cases=%zu",
			 s->o->domid, s->o->vdev, FB_NR_CASES);
	} else if (!strcmp(verb, "case")) {
		c = fb_find_case(arg);
		if (!c) {
			fb_reply(s, seq, "err unknown-case");
			return;
		}
		if (s->active)
			fb_server_finish(s, line, sizeof(line));
		fb_dev_init(&s->d, &s->xs, c, (unsigned int)s->o->domid,
			    (unsigned int)s->o->vdev, ULONG_MAX);
		s->active = true;
		say("case=%s phase=setup", c->name);
		err = fb_setup(&s->d, &fe);
		fb_ready_line(&s->d, fe, line, sizeof(line));
		say("case=%s phase=ready rc=%d %s", c->name, err, line);
		if (!s->d.be_target)
			fb_reply(s, seq, "err setup rc=%d %s", err, line);
		else
			fb_reply(s, seq, "ready %s", line);
	} else if (!strcmp(verb, "arm")) {
		if (!s->active || !s->d.mapped) {
			fb_reply(s, seq, "err not-connected");
			return;
		}
		s->d.armed = true;
		fb_reply(s, seq, "armed attack=%s",
			 s->d.c->act == FB_ACT_NONE ? "none" : s->d.c->name);
	} else if (!strcmp(verb, "storm")) {
		n = 20;
		if (arg[0] &&
		    (xenpv_parse_ulong(arg, FB_STORM_MAX, &n) || !n)) {
			fb_reply(s, seq, "err bad-count");
			return;
		}
		if (!s->active || !s->d.mapped) {
			fb_reply(s, seq, "err not-connected");
			return;
		}
		fb_storm(&s->d, (unsigned int)n);
		fb_reply(s, seq, "stormed count=%lu rings=%u notifies=%lu", n,
			 s->d.nr_rings, s->d.st.storm);
	} else if (!strcmp(verb, "status")) {
		if (!s->active) {
			fb_reply(s, seq, "status active=0");
			return;
		}
		fb_reply(s, seq,
			 "status active=1 fe=%d fired=%d reqs=%lu rsps=%lu indirect=%lu bad=%lu",
			 fb_read_state(&s->d, s->d.fe), s->d.fired,
			 s->d.st.reqs, s->d.st.rsps, s->d.st.indirect,
			 s->d.st.bad);
	} else if (!strcmp(verb, "finish")) {
		if (!s->active) {
			fb_reply(s, seq, "err no-case");
			return;
		}
		fb_server_finish(s, line, sizeof(line));
		fb_reply(s, seq, "done %s", line);
	} else {
		fb_reply(s, seq, "err unknown-verb");
	}
}

static int cmd_serve(const struct fb_opts *o)
{
	static struct fb_server s;
	char buf[256], verb[32], arg[32], line[1024];
	uint64_t end, next_alive = 0;
	unsigned long seq, last = 0;
	bool have_last = false;
	int n, err;

	memset(&s, 0, sizeof(s));
	s.o = o;
	s.xs.fd = -1;
	err = xs_open(&s.xs);
	if (err) {
		say("error=open %s:%s", XENBUS_PATH, strerror(-err));
		return 1;
	}
	snprintf(s.home, sizeof(s.home), "/local/domain/%lu", o->domid);
	snprintf(s.req, sizeof(s.req), "%s/data/xenpv-test/hostile-req",
		 s.home);
	snprintf(s.rsp, sizeof(s.rsp), "%s/data/xenpv-test/hostile-rsp",
		 s.home);
	xs_rm(&s.xs, 0, s.rsp);
	say("serving domain=%lu dev=%lu request=%s deadline=%lu", o->domid,
	    o->vdev, s.req, o->deadline);

	end = now_ms() + o->deadline * 1000;
	for (;;) {
		if (xenpv_stop_signal) {
			say("signal=%d", (int)xenpv_stop_signal);
			break;
		}
		if (now_ms() >= end) {
			say("deadline reached");
			break;
		}
		if (now_ms() >= next_alive) {
			next_alive = now_ms() + 2000;
			if (xs_gone(&s.xs, s.home)) {
				say("domain %lu is gone", o->domid);
				if (s.active)
					fb_server_finish(&s, line, sizeof(line));
				xs_close(&s.xs);
				return 0;
			}
		}
		if (s.active && now_ms() - s.d.t0 > o->case_max * 1000) {
			say("case=%s unplugged after %lu s without finish",
			    s.d.c->name, o->case_max);
			fb_server_finish(&s, line, sizeof(line));
		}
		if (s.active)
			fb_pump(&s.d, FB_STEP_MS);
		else
			sleep_ms(2 * FB_STEP_MS);

		n = xs_read(&s.xs, 0, s.req, buf, sizeof(buf));
		if (n <= 0)
			continue;
		if (fb_parse_cmd(buf, &seq, verb, arg, sizeof(verb))) {
			/* Said once: the node goes, a new request replaces it. */
			say("ignoring malformed request \"%.64s\"", buf);
			xs_rm(&s.xs, 0, s.req);
			continue;
		}
		if (have_last && seq == last)
			continue;
		have_last = true;
		last = seq;
		say("request seq=%lu verb=%s arg=%s", seq, verb, arg);
		if (!strcmp(verb, "quit")) {
			if (s.active)
				fb_server_finish(&s, line, sizeof(line));
			fb_reply(&s, seq, "bye");
			xs_close(&s.xs);
			return 0;
		}
		fb_serve_one(&s, seq, verb, arg);
	}
	if (s.active)
		fb_server_finish(&s, line, sizeof(line));
	xs_close(&s.xs);
	return 1;
}

/* ---- selftest: pure helpers and the data path, on the host ---------------------- */

static int st_fails;

static void st_check(bool ok, const char *what)
{
	if (!ok) {
		printf("selftest: FAIL %s\n", what);
		st_fails++;
	}
}

/* The data path and the attacks, on a ring in memory (fb_test_pages). */
static uint8_t st_ring[XEN_PAGE];
static uint32_t st_req_prod, st_rsp_cons;

static void st_ring_setup(struct fb_dev *d, struct xs_conn *xs,
			  const char *name)
{
	fb_dev_init(d, xs, fb_find_case(name), 5, FB_DEFAULT_VDEV, ULONG_MAX);
	memset(st_ring, 0, sizeof(st_ring));
	d->rings[0].sring = st_ring;
	d->rings[0].pages = 1;
	d->rings[0].entries = fb_ring_entries(1);
	d->rings[0].bound = true;
	d->nr_rings = 1;
	d->mapped = true;
	st_req_prod = 0;
	st_rsp_cons = 0;
	fb_pattern(fb_disk, FB_DISK_SECTORS);
}

static uint8_t *st_slot(uint32_t i)
{
	return st_ring + BLK_RING_HDR + (i % fb_ring_entries(1)) * BLK_SLOT;
}

static void st_post(void)
{
	st_req_prod++;
	full_fence();
	((volatile uint32_t *)(void *)st_ring)[BLK_IDX_REQ_PROD] = st_req_prod;
}

/* A read/write request of one segment: gref, sectors first..last. */
static void st_rw(uint8_t op, uint64_t id, uint64_t sector, uint32_t gref,
		  uint8_t first, uint8_t last)
{
	uint8_t *r = st_slot(st_req_prod);

	memset(r, 0, BLK_SLOT);
	r[0] = op;
	r[BLK_RQ_NSEG] = op == BLK_OP_FLUSH_DISKCACHE ? 0 : 1;
	memcpy(r + BLK_RQ_ID, &id, sizeof(id));
	memcpy(r + BLK_RQ_SECTOR, &sector, sizeof(sector));
	memcpy(r + BLK_RQ_SEGS, &gref, sizeof(gref));
	r[BLK_RQ_SEGS + 4] = first;
	r[BLK_RQ_SEGS + 5] = last;
	st_post();
}

/* An indirect request: @nseg whole pages, grants from @gref0 on. */
static void st_ind(uint8_t inner, uint64_t id, uint64_t sector, uint16_t nseg,
		   uint32_t indref, uint32_t gref0)
{
	uint8_t *r = st_slot(st_req_prod);
	unsigned int i;

	memset(r, 0, BLK_SLOT);
	r[0] = BLK_OP_INDIRECT;
	r[BLK_RQ_IND_OP] = inner;
	memcpy(r + BLK_RQ_IND_NSEG, &nseg, sizeof(nseg));
	memcpy(r + BLK_RQ_ID, &id, sizeof(id));
	memcpy(r + BLK_RQ_SECTOR, &sector, sizeof(sector));
	memcpy(r + BLK_RQ_IND_GREFS, &indref, sizeof(indref));
	memset(fb_test_pages[indref], 0, XEN_PAGE);
	for (i = 0; i < nseg; i++) {
		uint32_t g = gref0 + i;

		memcpy(fb_test_pages[indref] + i * BLK_SEG_LEN, &g, sizeof(g));
		fb_test_pages[indref][i * BLK_SEG_LEN + 5] = 7;
	}
	st_post();
}

/* The next response, if any: id, operation, status, padding byte 9. */
static bool st_rsp(uint64_t *id, uint8_t *op, int16_t *status, uint8_t *pad)
{
	uint32_t prod = ((volatile uint32_t *)(void *)st_ring)[BLK_IDX_RSP_PROD];
	const uint8_t *s;

	if (st_rsp_cons == prod)
		return false;
	s = st_slot(st_rsp_cons++);
	memcpy(id, s + BLK_RS_ID, sizeof(*id));
	*op = s[BLK_RS_OP];
	memcpy(status, s + BLK_RS_STATUS, sizeof(*status));
	*pad = s[9];
	return true;
}

static uint32_t st_rsp_prod(void)
{
	return ((volatile uint32_t *)(void *)st_ring)[BLK_IDX_RSP_PROD];
}

static void st_ring_checks(void)
{
	static uint8_t pages[FB_TEST_PAGES][XEN_PAGE];
	struct xs_conn xs = { .fd = -1 };
	struct fb_dev d;
	uint64_t id;
	int16_t status;
	uint8_t op, pad;
	unsigned int i;
	bool ok;

	fb_test_pages = pages;

	st_ring_setup(&d, &xs, "good");
	st_rw(BLK_OP_READ, 17, 3, 1, 0, 7);
	st_rw(BLK_OP_READ, 18, 11, 2, 2, 5);
	fb_service(&d);
	st_check(st_rsp(&id, &op, &status, &pad) && id == 17 &&
		 op == BLK_OP_READ && !status && !pad &&
		 !memcmp(pages[1], fb_disk + 3 * BLK_SECTOR, XEN_PAGE),
		 "ring: read of a whole page");
	st_check(st_rsp(&id, &op, &status, &pad) && id == 18 && !status &&
		 !memcmp(pages[2] + 2 * BLK_SECTOR, fb_disk + 11 * BLK_SECTOR,
			 4 * BLK_SECTOR), "ring: read of sectors 2..5 of a page");
	st_check(((volatile uint32_t *)(void *)st_ring)[BLK_IDX_REQ_EVENT] == 3 &&
		 d.st.notifies == 1, "ring: req_event and one notification");
	memset(pages[3], 0x77, XEN_PAGE);
	st_rw(BLK_OP_WRITE, 19, 100, 3, 1, 1);
	st_rw(BLK_OP_FLUSH_DISKCACHE, 20, 0, 0, 0, 0);
	st_rw(BLK_OP_READ, 21, FB_DISK_SECTORS - 4, 4, 0, 7);
	st_rw(BLK_OP_READ, 22, 0, 4, 3, 2);
	fb_service(&d);
	st_check(st_rsp(&id, &op, &status, &pad) && id == 19 &&
		 op == BLK_OP_WRITE && !status &&
		 fb_disk[100 * BLK_SECTOR] == 0x77 &&
		 fb_disk[101 * BLK_SECTOR - 1] == 0x77 &&
		 fb_disk[101 * BLK_SECTOR] != 0x77, "ring: write");
	st_check(st_rsp(&id, &op, &status, &pad) && id == 20 &&
		 status == BLK_RSP_EOPNOTSUPP, "ring: flush not offered");
	st_check(st_rsp(&id, &op, &status, &pad) && id == 21 &&
		 status == BLK_RSP_ERROR, "ring: read past the end");
	st_check(st_rsp(&id, &op, &status, &pad) && id == 22 &&
		 status == BLK_RSP_ERROR, "ring: first sector after last");
	st_check(d.st.unexpected == 1 && d.st.bad == 1, "ring: counters");
	for (i = 0, ok = true; i < 100; i++) {
		st_rw(BLK_OP_READ, 1000 + i, i, 5, 0, 0);
		fb_service(&d);
		if (!st_rsp(&id, &op, &status, &pad) || id != 1000 + i ||
		    status || memcmp(pages[5], fb_disk + i * BLK_SECTOR,
				     BLK_SECTOR))
			ok = false;
	}
	st_check(ok, "ring: 100 requests around the ring");

	st_ring_setup(&d, &xs, "indirect-huge");
	st_ind(BLK_OP_READ, 7, 8, 20, 30, 32);
	fb_service(&d);
	for (i = 0, ok = true; i < 20; i++)
		if (memcmp(pages[32 + i], fb_disk + (8 + i * 8) * BLK_SECTOR,
			   XEN_PAGE))
			ok = false;
	st_check(st_rsp(&id, &op, &status, &pad) && id == 7 &&
		 op == BLK_OP_READ && !status && ok && d.st.indirect == 1 &&
		 !d.st.unexpected, "ring: indirect read of 20 pages");
	st_ring_setup(&d, &xs, "good");
	st_ind(BLK_OP_WRITE, 8, 0, 12, 30, 32);
	fb_service(&d);
	st_check(st_rsp(&id, &op, &status, &pad) && !status &&
		 d.st.unexpected == 1, "ring: indirect without the feature flagged");

	st_ring_setup(&d, &xs, "junk-padding");
	st_rw(BLK_OP_READ, 9, 0, 1, 0, 7);
	fb_service(&d);
	st_check(st_rsp(&id, &op, &status, &pad) && id == 9 && !status &&
		 pad == FB_JUNK && st_slot(0)[BLK_SLOT - 1] == FB_JUNK,
		 "ring: junk in the padding");

	st_ring_setup(&d, &xs, "rsp-overflow");
	st_rw(BLK_OP_READ, 1, 0, 1, 0, 7);
	fb_service(&d);
	st_check(st_rsp(&id, &op, &status, &pad) && id == 1 && !d.fired,
		 "ring: served until armed");
	d.armed = true;
	st_rw(BLK_OP_READ, 2, 0, 1, 0, 7);
	fb_service(&d);
	st_check(st_rsp_prod() == 1 + 32 + 1 && d.fired && d.dead,
		 "ring: rsp-overflow");
	st_rw(BLK_OP_READ, 3, 0, 1, 0, 7);
	fb_service(&d);
	st_check(st_rsp_prod() == 34 && d.st.reqs == 2,
		 "ring: silence after the attack");

	st_ring_setup(&d, &xs, "rsp-bad-id");
	d.armed = true;
	st_rw(BLK_OP_READ, 4, 0, 1, 0, 7);
	fb_service(&d);
	st_check(st_rsp(&id, &op, &status, &pad) &&
		 id == (4 | 0xdead000000000000ULL) && d.fired, "ring: rsp-bad-id");

	st_ring_setup(&d, &xs, "rsp-dup");
	d.armed = true;
	memset(pages[1], 0, XEN_PAGE);
	st_rw(BLK_OP_READ, 5, 40, 1, 0, 7);
	fb_service(&d);
	st_check(st_rsp(&id, &op, &status, &pad) && id == 5 && !status &&
		 st_rsp(&id, &op, &status, &pad) && id == 5 && !status &&
		 !st_rsp(&id, &op, &status, &pad) &&
		 !memcmp(pages[1], fb_disk + 40 * BLK_SECTOR, XEN_PAGE),
		 "ring: rsp-dup");

	st_ring_setup(&d, &xs, "rsp-bad-op");
	d.armed = true;
	st_ind(BLK_OP_WRITE, 6, 0, 12, 30, 32);
	fb_service(&d);
	st_check(st_rsp(&id, &op, &status, &pad) && id == 6 &&
		 op == BLK_OP_READ && !status, "ring: rsp-bad-op");

	st_ring_setup(&d, &xs, "rsp-bad-status");
	d.armed = true;
	st_rw(BLK_OP_WRITE, 7, 0, 1, 0, 7);
	fb_service(&d);
	st_check(st_rsp(&id, &op, &status, &pad) && id == 7 &&
		 op == BLK_OP_WRITE && status == FB_BAD_STATUS,
		 "ring: rsp-bad-status");

	st_ring_setup(&d, &xs, "good");
	((volatile uint32_t *)(void *)st_ring)[BLK_IDX_REQ_PROD] = 40;
	fb_service(&d);
	st_check(d.dead && d.st.bad == 1 && !d.st.reqs,
		 "ring: a frontend overflowing the ring stops service");

	fb_test_pages = NULL;
}

static int cmd_selftest(void)
{
	uint8_t msg[XSW_HDR_LEN + XSW_PAYLOAD_MAX], raw[BLK_SLOT], slot[BLK_SLOT];
	uint8_t sector[BLK_SECTOR];
	char p[XSW_PAYLOAD_MAX + 8], big[XSW_PAYLOAD_MAX + 2], w[16];
	const char *parts[] = { "/a/b", "val" };
	const char *perms[] = { "/a", "n0", "r5" };
	char verb[32], arg[32];
	struct xsw_hdr h;
	struct fb_req q;
	struct fb_offer o;
	unsigned long seq;
	uint64_t id;
	int16_t st;
	int n, i;

	/* xenstore encoding */
	n = xsw_payload(p, sizeof(p), parts, 2, false);
	st_check(n == 8 && !memcmp(p, "/a/b\0val", 8), "write payload");
	n = xsw_payload(p, sizeof(p), parts, 1, true);
	st_check(n == 5 && !memcmp(p, "/a/b\0", 5), "path payload");
	n = xsw_payload(p, sizeof(p), perms, 3, true);
	st_check(n == 9 && !memcmp(p, "/a\0n0\0r5\0", 9), "perms payload");
	memset(big, 'x', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	parts[0] = big;
	st_check(xsw_payload(p, sizeof(p), parts, 1, true) < 0,
		 "oversized payload refused");
	n = xsw_encode(msg, sizeof(msg), XSW_WRITE, 7, 3, "k\0v", 3);
	st_check(n == XSW_HDR_LEN + 3, "encode length");
	st_check(!xsw_decode(msg, &h) && h.type == XSW_WRITE &&
		 h.req_id == 7 && h.tx_id == 3 && h.len == 3 &&
		 !memcmp(msg + XSW_HDR_LEN, "k\0v", 3), "decode round trip");
	h.len = XSW_PAYLOAD_MAX + 1;
	memcpy(msg, &h, sizeof(h));
	st_check(xsw_decode(msg, &h) < 0, "oversized header refused");
	st_check(xsw_encode(msg, 20, XSW_READ, 1, 0, big, 10) < 0,
		 "encode into a short buffer refused");
	st_check(xsw_errno("ENOENT", 7) == ENOENT, "ENOENT");
	st_check(xsw_errno("EAGAIN", 6) == EAGAIN, "EAGAIN without NUL");
	st_check(xsw_errno("EWHAT", 6) == EIO, "unknown error -> EIO");

	/* ring geometry, as io/ring.h computes it */
	st_check(fb_ring_entries(1) == 32, "1-page ring: 32 slots");
	st_check(fb_ring_entries(2) == 64, "2-page ring: 64 slots");
	st_check(fb_ring_entries(4) == 128, "4-page ring: 128 slots");
	st_check(fb_ring_entries(16) == 512, "16-page ring: 512 slots");

	/* request decoding */
	memset(raw, 0, sizeof(raw));
	raw[0] = BLK_OP_WRITE;
	raw[BLK_RQ_NSEG] = 2;
	id = 0x1122334455667788ULL;
	memcpy(raw + BLK_RQ_ID, &id, 8);
	id = 77;
	memcpy(raw + BLK_RQ_SECTOR, &id, 8);
	raw[BLK_RQ_SEGS] = 0x21;
	raw[BLK_RQ_SEGS + 4] = 1;
	raw[BLK_RQ_SEGS + 5] = 7;
	raw[BLK_RQ_SEGS + BLK_SEG_LEN] = 0x22;
	st_check(!fb_parse_req(raw, &q) && q.op == BLK_OP_WRITE &&
		 q.rw_op == BLK_OP_WRITE && q.nseg == 2 &&
		 q.id == 0x1122334455667788ULL && q.sector == 77 &&
		 q.seg[0].gref == 0x21 && q.seg[0].first == 1 &&
		 q.seg[0].last == 7 && q.seg[1].gref == 0x22, "read/write request");
	raw[BLK_RQ_NSEG] = 12;
	st_check(fb_parse_req(raw, &q) != NULL, "12 direct segments refused");
	memset(raw, 0, sizeof(raw));
	raw[0] = BLK_OP_INDIRECT;
	raw[BLK_RQ_IND_OP] = BLK_OP_READ;
	raw[BLK_RQ_IND_NSEG] = 0x01;	/* 513 segments: two pages */
	raw[BLK_RQ_IND_NSEG + 1] = 0x02;
	raw[BLK_RQ_IND_GREFS] = 9;
	raw[BLK_RQ_IND_GREFS + 4] = 10;
	st_check(!fb_parse_req(raw, &q) && q.nseg == 513 && q.nind == 2 &&
		 q.ind_gref[0] == 9 && q.ind_gref[1] == 10 &&
		 q.rw_op == BLK_OP_READ, "indirect request");
	raw[BLK_RQ_IND_OP] = BLK_OP_DISCARD;
	st_check(fb_parse_req(raw, &q) != NULL, "indirect discard refused");
	raw[0] = 0x77;
	st_check(fb_parse_req(raw, &q) != NULL, "unknown op refused");

	/* responses: fields in place, padding zero or junk */
	memset(slot, 0x33, sizeof(slot));
	fb_put_rsp(slot, 5, BLK_OP_READ, BLK_RSP_ERROR, false);
	memcpy(&id, slot + BLK_RS_ID, 8);
	memcpy(&st, slot + BLK_RS_STATUS, 2);
	st_check(id == 5 && slot[BLK_RS_OP] == BLK_OP_READ &&
		 st == BLK_RSP_ERROR && slot[9] == 0 && slot[12] == 0 &&
		 slot[15] == 0 && slot[16] == 0x33, "plain response");
	fb_put_rsp(slot, 6, BLK_OP_WRITE, BLK_RSP_OKAY, true);
	memcpy(&id, slot + BLK_RS_ID, 8);
	memcpy(&st, slot + BLK_RS_STATUS, 2);
	st_check(id == 6 && slot[BLK_RS_OP] == BLK_OP_WRITE && st == 0 &&
		 slot[9] == FB_JUNK && slot[12] == FB_JUNK &&
		 slot[15] == FB_JUNK && slot[BLK_SLOT - 1] == FB_JUNK,
		 "junk-padded response");

	/* the disk pattern */
	fb_pattern_sector(sector, 4095);
	st_check(!memcmp(sector, "xenpv-fakeback sector 00004095\n",
			 FB_PATTERN_HEAD), "sector header");

	/* what a case allows */
	fb_case_offer(fb_find_case("queues-huge"), &o);
	st_check(o.queues == FB_MAX_RINGS && !o.order && !o.indirect,
		 "queues-huge offer");
	fb_case_offer(fb_find_case("queues-junk"), &o);
	st_check(o.queues == 1, "queues-junk offer");
	fb_case_offer(fb_find_case("ring-order-huge"), &o);
	st_check(o.order == FB_MAX_ORDER, "ring-order-huge offer");
	fb_case_offer(fb_find_case("ring-pages-huge"), &o);
	st_check(o.order == FB_MAX_ORDER, "ring-pages-huge offer");
	fb_case_offer(fb_find_case("indirect-one"), &o);
	st_check(!o.indirect, "indirect-one offer");
	fb_case_offer(fb_find_case("indirect-huge"), &o);
	st_check(o.indirect == 4294967295UL, "indirect-huge offer");
	for (i = 0; i < (int)FB_NR_CASES; i++)
		st_check(fb_find_case(fb_cases[i].name) == &fb_cases[i],
			 "case names unique");

	/* the guest's requests */
	st_check(!fb_parse_cmd("12 case rsp-dup", &seq, verb, arg,
			       sizeof(verb)) && seq == 12 &&
		 !strcmp(verb, "case") && !strcmp(arg, "rsp-dup"),
		 "request with argument");
	st_check(!fb_parse_cmd("3 finish", &seq, verb, arg, sizeof(verb)) &&
		 seq == 3 && !strcmp(verb, "finish") && !arg[0],
		 "request without argument");
	st_check(fb_parse_cmd("x finish", &seq, verb, arg, sizeof(verb)) < 0,
		 "bad sequence refused");
	st_check(fb_parse_cmd("4 case a b", &seq, verb, arg, sizeof(verb)) < 0,
		 "extra words refused");
	st_check(fb_parse_cmd("4 case A;rm", &seq, verb, arg, sizeof(verb)) < 0,
		 "odd characters refused");
	st_check(fb_parse_cmd("4", &seq, verb, arg, sizeof(verb)) < 0,
		 "missing verb refused");

	/* reply words */
	sanitize_word(w, sizeof(w), "22 reading\tx\x01");
	st_check(!strcmp(w, "22_reading_x?"), "sanitize");
	sanitize_word(w, sizeof(w), "");
	st_check(!strcmp(w, "none"), "sanitize empty");

	/* the data path and the attacks */
	if (fb_disk_init()) {
		printf("selftest: FAIL no memory for the disk\n");
		return 1;
	}
	st_ring_checks();

	if (st_fails) {
		printf("selftest: %d failure(s)\n", st_fails);
		return 1;
	}
	printf("selftest: ok\n");
	return 0;
}

/* The numeric options: the field of struct fb_opts each sets, its maximum. */
struct fb_opt {
	const char *name;
	size_t off;
	unsigned long max;
};

static const struct fb_opt fb_opts_table[] = {
	/* The ring's handle is 16 bits. */
	{ "--dev", offsetof(struct fb_opts, vdev), 0xffff },
	{ "--hold", offsetof(struct fb_opts, hold), 3600 },
	{ "--arm-after", offsetof(struct fb_opts, arm_after), 1000000 },
	{ "--deadline", offsetof(struct fb_opts, deadline), 86400 },
	{ "--case-max", offsetof(struct fb_opts, case_max), 3600 },
};

static const struct fb_opt *fb_find_opt(const char *name)
{
	size_t i;

	for (i = 0; i < sizeof(fb_opts_table) / sizeof(fb_opts_table[0]); i++)
		if (!strcmp(fb_opts_table[i].name, name))
			return &fb_opts_table[i];
	return NULL;
}

/* ---- main ---------------------------------------------------------------------------- */

int main(int argc, char **argv)
{
	struct fb_opts o = {
		.vdev = FB_DEFAULT_VDEV, .hold = 20, .arm_after = 0,
		.deadline = 1800, .case_max = 300,
	};
	const struct fb_case *c = NULL;
	int i, err;

	setvbuf(stdout, NULL, _IOLBF, 0);
	t_origin = now_ms();
	if (argc < 2)
		return bad_usage("no command");
	if (xenpv_is_help(argv[1])) {
		usage(stdout);
		return 0;
	}
	if (!strcmp(argv[1], "list") && argc == 2) {
		for (i = 0; i < (int)FB_NR_CASES; i++)
			printf("%s\n", fb_cases[i].name);
		return 0;
	}
	if (!strcmp(argv[1], "selftest") && argc == 2)
		return cmd_selftest();

	for (i = 1; i < argc && argv[i][0] == '-'; i++) {
		const struct fb_opt *opt = fb_find_opt(argv[i]);

		if (!opt)
			return bad_usage("unknown option");
		if (i + 1 >= argc ||
		    xenpv_parse_ulong(argv[++i], opt->max,
				      (unsigned long *)((char *)&o + opt->off)))
			return bad_usage("bad option value");
	}
	if (argc - i != 2)
		return bad_usage("DOMID and CASE (or serve) expected");
	if (xenpv_parse_ulong(argv[i], DOMID_MAX, &o.domid) || !o.domid)
		return bad_usage("bad DOMID (1-32751)");
	if (!o.vdev || !o.case_max)
		return bad_usage("--dev and --case-max must not be 0");
	if (strcmp(argv[i + 1], "serve")) {
		c = fb_find_case(argv[i + 1]);
		if (!c)
			return bad_usage("unknown CASE (see list)");
	}

	xenpv_catch_signals();
	signal(SIGPIPE, SIG_IGN);
	err = fb_disk_init();
	if (err) {
		printf("error=disk:%s\n", strerror(-err));
		return 1;
	}
	return c ? cmd_run(&o, c) : cmd_serve(&o);
}
