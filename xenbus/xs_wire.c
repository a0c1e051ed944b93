// SPDX-License-Identifier: GPL-2.0
/*
 * xenstore wire format: encoding, reply checks, payload parsing (pure).
 *
 * Copyright (C) 2026 The xenpv authors
 *
 * Reference: docs/misc/xenstore.txt and io/xs_wire.h in the Xen tree
 * (protocol.md section 11).  Everything the other end sends is treated as
 * untrusted input: lengths are checked against the buffer, strings must be
 * NUL-terminated inside the payload, numbers are parsed strictly.
 */
#include "xs_wire.h"

#ifdef __KERNEL__
#include <linux/kernel.h>
#else
#include <stdio.h>
#endif

/*
 * Total payload of a request.  Each segment is checked on its own before it
 * is added so that a huge length cannot wrap the sum (-E2BIG, never sent:
 * xenstored kills a connection that exceeds XENSTORE_PAYLOAD_MAX).
 */
long xenpv_wire_payload_len(const struct xenpv_wire_seg *segs,
			    unsigned int nr)
{
	size_t total = 0;
	unsigned int i;

	for (i = 0; i < nr; i++) {
		if (segs[i].len > XENSTORE_PAYLOAD_MAX)
			return -E2BIG;
		total += segs[i].len;
		if (total > XENSTORE_PAYLOAD_MAX)
			return -E2BIG;
	}
	return (long)total;
}

/* Header plus payload into @buf; returns the bytes used. */
long xenpv_wire_encode(void *buf, size_t size, uint32_t type,
		       uint32_t req_id, uint32_t tx_id,
		       const struct xenpv_wire_seg *segs, unsigned int nr)
{
	struct xsd_sockmsg hdr;
	char *p = buf;
	long len;
	unsigned int i;

	len = xenpv_wire_payload_len(segs, nr);
	if (len < 0)
		return len;
	if (size < sizeof(hdr) || size - sizeof(hdr) < (size_t)len)
		return -ENOSPC;

	hdr.type = type;
	hdr.req_id = req_id;
	hdr.tx_id = tx_id;
	hdr.len = (uint32_t)len;
	memcpy(p, &hdr, sizeof(hdr));
	p += sizeof(hdr);
	for (i = 0; i < nr; i++) {
		if (segs[i].len)
			memcpy(p, segs[i].data, segs[i].len);
		p += segs[i].len;
	}
	return (long)sizeof(hdr) + len;
}

/*
 * A header read from the ring.  A length beyond the protocol limit means
 * the byte stream can no longer be framed: the caller must stop reading.
 */
int xenpv_wire_check_header(const struct xsd_sockmsg *hdr)
{
	if (hdr->len > XENSTORE_PAYLOAD_MAX)
		return -EIO;
	return 0;
}

bool xenpv_wire_type_known(uint32_t type)
{
	return type < XS_TYPE_COUNT;
}

/* errno names xenstored may send; the xs_wire.h table plus EPERM. */
static const struct {
	const char *name;
	int err;
} xenpv_wire_errors[] = {
	{ "EINVAL", EINVAL },
	{ "EACCES", EACCES },
	{ "EEXIST", EEXIST },
	{ "EISDIR", EISDIR },
	{ "ENOENT", ENOENT },
	{ "ENOMEM", ENOMEM },
	{ "ENOSPC", ENOSPC },
	{ "EIO", EIO },
	{ "ENOTEMPTY", ENOTEMPTY },
	{ "ENOSYS", ENOSYS },
	{ "EROFS", EROFS },
	{ "EBUSY", EBUSY },
	{ "EAGAIN", EAGAIN },
	{ "EISCONN", EISCONN },
	{ "E2BIG", E2BIG },
	{ "EPERM", EPERM },
};

/*
 * Map the payload of an XS_ERROR reply ("ENOENT", normally NUL-terminated)
 * to -errno.  Unknown or garbled names give -EINVAL, as xenstored itself
 * does for errors it has no name for.
 */
int xenpv_wire_errno(const char *body, size_t len)
{
	const char *nul = body ? memchr(body, '\0', len) : NULL;
	size_t n = nul ? (size_t)(nul - body) : len;
	unsigned int i;

	for (i = 0; i < sizeof(xenpv_wire_errors) /
			sizeof(xenpv_wire_errors[0]); i++) {
		const char *name = xenpv_wire_errors[i].name;

		if (strlen(name) == n && !strncmp(name, body, n))
			return -xenpv_wire_errors[i].err;
	}
	return -EINVAL;
}

/*
 * Status of a reply to a request of @req_type: 0, the xenstored error, or
 * -EIO when the reply is of another type (protocol violation).
 */
int xenpv_wire_reply_status(uint32_t req_type, uint32_t reply_type,
			    const char *body, size_t len)
{
	if (reply_type == XS_ERROR)
		return xenpv_wire_errno(body, len);
	if (reply_type != req_type)
		return -EIO;
	return 0;
}

/*
 * Count the non-empty NUL-terminated strings of a payload (directory
 * listings).  Every string must end inside the payload.
 */
int xenpv_wire_count_strings(const char *buf, size_t len)
{
	size_t i, start = 0;
	int n = 0;

	if (len && buf[len - 1] != '\0')
		return -EINVAL;
	for (i = 0; i < len; i++) {
		if (buf[i] != '\0')
			continue;
		if (i > start)
			n++;
		start = i + 1;
	}
	return n;
}

/* Point @vec at the non-empty strings of @buf (in place); returns the count. */
int xenpv_wire_split_strings(char *buf, size_t len, char **vec,
			     unsigned int max)
{
	size_t i, start = 0;
	unsigned int n = 0;

	if (len && buf[len - 1] != '\0')
		return -EINVAL;
	for (i = 0; i < len; i++) {
		if (buf[i] != '\0')
			continue;
		if (i > start) {
			if (n == max)
				return -ENOSPC;
			vec[n++] = buf + start;
		}
		start = i + 1;
	}
	return (int)n;
}

/* XS_WATCH_EVENT payload "<path>\0<token>\0": both present and non-empty. */
int xenpv_wire_parse_event(const char *body, size_t len, const char **path,
			   const char **token)
{
	const char *p, *t, *end;

	if (!len || body[len - 1] != '\0')
		return -EINVAL;
	end = body + len;
	p = body;
	t = memchr(p, '\0', (size_t)(end - p));
	if (!t || t == p)
		return -EINVAL;
	t++;
	if (t >= end || *t == '\0')
		return -EINVAL;
	*path = p;
	*token = t;
	return 0;
}

/*
 * One XS_DIRECTORY_PART reply: "<gencnt>\0" then child names, each followed
 * by NUL; the last part of the list ends with an extra empty string.
 * Returns the byte length of the names (with their NULs, without the
 * terminating empty string) and sets *end on the last part.
 */
long xenpv_wire_dirpart(const char *body, size_t len, const char **gen,
			const char **names, bool *end)
{
	const char *g_end;
	size_t off, nlen;

	if (!len || body[len - 1] != '\0')
		return -EIO;
	g_end = memchr(body, '\0', len);
	if (!g_end || g_end == body)
		return -EIO;
	off = (size_t)(g_end - body) + 1;
	*gen = body;
	*names = body + off;
	nlen = len - off;
	*end = false;
	/* "...name\0\0" or just "\0" after the generation ends the list. */
	if (nlen && (nlen == 1 || body[len - 2] == '\0')) {
		*end = true;
		nlen--;
	}
	return (long)nlen;
}

static bool xenpv_wire_char_ok(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c >= '0' && c <= '9') || c == '-' || c == '/' || c == '_' ||
	       c == '@';
}

/*
 * A path we may send: non-empty, only [A-Za-z0-9-/_@], no doubled or
 * trailing '/' (except "/" itself), within XENSTORE_ABS_PATH_MAX when
 * absolute and XENSTORE_REL_PATH_MAX when relative.
 */
bool xenpv_wire_path_valid(const char *path)
{
	size_t len, i;

	if (!path || !*path)
		return false;
	len = strlen(path);
	if (len > (path[0] == '/' ? XENSTORE_ABS_PATH_MAX :
				    XENSTORE_REL_PATH_MAX))
		return false;
	if (len == 1 && path[0] == '/')
		return true;
	for (i = 0; i < len; i++) {
		if (!xenpv_wire_char_ok(path[i]))
			return false;
		if (path[i] == '/' && (i + 1 == len || path[i + 1] == '/'))
			return false;
	}
	return true;
}

/* One path component (device type, device id): no '/', bounded length. */
bool xenpv_wire_name_valid(const char *name, size_t max)
{
	size_t i;

	if (!name || !*name)
		return false;
	for (i = 0; name[i]; i++) {
		if (i >= max || name[i] == '/' || !xenpv_wire_char_ok(name[i]))
			return false;
	}
	return true;
}

/* @path equals @prefix or lies below it. */
bool xenpv_wire_path_under(const char *path, const char *prefix)
{
	size_t n = strlen(prefix);

	if (!n || strncmp(path, prefix, n))
		return false;
	return path[n] == '\0' || path[n] == '/';
}

/*
 * A frontend's "backend" value, written by the toolstack but possibly
 * garbled or hostile: it must be a valid absolute path strictly below
 * /local/domain/<backend-id>/backend/.
 */
bool xenpv_wire_backend_path_ok(const char *path, unsigned int backend_id)
{
	char prefix[48];
	int n;

	if (!xenpv_wire_path_valid(path) || path[0] != '/')
		return false;
	n = snprintf(prefix, sizeof(prefix), "/local/domain/%u/backend",
		     backend_id);
	if (n < 0 || (size_t)n >= sizeof(prefix))
		return false;
	if (strncmp(path, prefix, (size_t)n) || path[n] != '/')
		return false;
	/* path_valid() already refused a trailing '/': something follows. */
	return true;
}

/*
 * Strict unsigned decimal: digits only (no sign, space, base prefix or
 * trailing bytes, embedded NUL included), no overflow, within [min, max].
 */
int xenpv_wire_parse_u64(const char *s, size_t len, uint64_t min,
			 uint64_t max, uint64_t *val)
{
	uint64_t v = 0;
	size_t i;

	if (!s || !len)
		return -EINVAL;
	for (i = 0; i < len; i++) {
		unsigned int d;

		if (s[i] < '0' || s[i] > '9')
			return -EINVAL;
		d = (unsigned int)(s[i] - '0');
		if (v > (~(uint64_t)0 - d) / 10)
			return -EINVAL;
		v = v * 10 + d;
	}
	if (v < min || v > max)
		return -EINVAL;
	*val = v;
	return 0;
}

/* A "state" node's value; XenbusStateUnknown when malformed. */
enum xenbus_state xenpv_wire_parse_state(const char *s, size_t len)
{
	uint64_t v;

	if (xenpv_wire_parse_u64(s, len, XenbusStateUnknown,
				 XenbusStateReconfigured, &v))
		return XenbusStateUnknown;
	return (enum xenbus_state)v;
}

const char *xenpv_wire_state_name(unsigned int state)
{
	static const char *const names[] = {
		"Unknown", "Initialising", "InitWait", "Initialised",
		"Connected", "Closing", "Closed", "Reconfiguring",
		"Reconfigured",
	};

	if (state >= sizeof(names) / sizeof(names[0]))
		return "Invalid";
	return names[state];
}

/* Watch tokens are "<generation>-<id>" in hex; the generation is per load. */
int xenpv_wire_format_token(char *buf, size_t size, uint32_t gen,
			    uint64_t id)
{
	int n = snprintf(buf, size, "%08x-%llx", (unsigned int)gen,
			 (unsigned long long)id);

	if (n < 0 || (size_t)n >= size)
		return -ENOSPC;
	return n;
}

static int xenpv_wire_hex(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

/*
 * Parse a token made by xenpv_wire_format_token(): -ENOENT when it carries
 * another generation (an earlier load of the module, a previous kernel),
 * -EINVAL when it is not ours at all.
 */
int xenpv_wire_parse_token(const char *token, uint32_t gen, uint64_t *id)
{
	uint32_t g = 0;
	uint64_t v = 0;
	unsigned int i;
	int d;

	for (i = 0; i < 8; i++) {
		d = xenpv_wire_hex(token[i]);
		if (d < 0)
			return -EINVAL;
		g = (g << 4) | (uint32_t)d;
	}
	if (token[8] != '-' || !token[9])
		return -EINVAL;
	for (i = 9; token[i]; i++) {
		d = xenpv_wire_hex(token[i]);
		if (d < 0 || i >= 9 + 16)
			return -EINVAL;
		v = (v << 4) | (uint64_t)d;
	}
	if (g != gen)
		return -ENOENT;
	*id = v;
	return 0;
}
