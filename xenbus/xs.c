// SPDX-License-Identifier: GPL-2.0
/*
 * Native xenstore client: the shared ring, request/reply matching, reads,
 * writes, directories and transactions.
 *
 * Copyright (C) 2026 The xenpv authors
 *
 * The ring page and event channel come from HVM_PARAM_STORE_PFN/EVTCHN
 * (protocol.md 11.1).  Callers build a request, put it on the in-flight
 * list under a fresh req_id, copy it into req[] (one message at a time,
 * write_lock), and sleep on a completion with a bounded timeout.  The
 * reader kthread, woken from the event channel interrupt, frames messages
 * out of rsp[], hands XS_WATCH_EVENT to xs_watch.c and completes the
 * request whose req_id the reply carries; replies may come in any order.
 *
 * Ring indices are free-running u32 counters shared with xenstored: read
 * the other side's index once, check it (more than XENSTORE_RING_SIZE
 * apart means corruption: the client stops with -EIO), barrier, copy,
 * barrier, publish our index, notify.
 */
#include <linux/delay.h>
#include <linux/interrupt.h>
#include <linux/io.h>
#include <linux/jiffies.h>
#include <linux/kthread.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <xen/interface/hvm/params.h>

#include "xenbus_internal.h"

struct xenpv_xsn_req {
	struct list_head list;
	struct completion done;
	u32 req_id;
	u32 type;
	unsigned long start;		/* jiffies, for debugfs */
	/* Filled in by the reader before it completes @done. */
	u32 reply_type;
	char *body;			/* NUL-terminated */
	unsigned int len;
};

static struct {
	struct xenstore_domain_interface *intf;
	u64 pfn;
	evtchn_port_t port;
	int irq;			/* 0 while unbound */

	wait_queue_head_t ring_wq;	/* event channel: space or data */
	unsigned long kick;		/* bit 0: the reader has work */
	struct task_struct *reader;

	struct mutex write_lock;	/* one message at a time in req[] */
	struct mutex read_lock;		/* reader state vs. resume */
	struct xsd_sockmsg rhdr;	/* message being read */
	unsigned int rhdr_got;
	char *rbody;
	unsigned int rbody_got;

	spinlock_t lock;		/* everything below */
	struct list_head reqs;		/* in flight */
	u32 next_id;
	unsigned int users;		/* requests + open transactions */
	bool suspending;		/* new work waits */
	bool broken;			/* ring corrupted or stream lost */
	wait_queue_head_t quiesce_wq;

	unsigned long nr_requests;
	unsigned long nr_timeouts;
	unsigned long nr_stray;		/* replies nobody waited for */
	unsigned long nr_errors;	/* XS_ERROR replies */
} xsn;

static unsigned long xenpv_xsn_timeout(void)
{
	return (unsigned long)xenpv_xb_xs_timeout * HZ;
}

static const char *xenpv_xsn_type_name(u32 type)
{
	static const char *const names[] = {
		[XS_CONTROL] = "CONTROL",
		[XS_DIRECTORY] = "DIRECTORY",
		[XS_READ] = "READ",
		[XS_GET_PERMS] = "GET_PERMS",
		[XS_WATCH] = "WATCH",
		[XS_UNWATCH] = "UNWATCH",
		[XS_TRANSACTION_START] = "TRANSACTION_START",
		[XS_TRANSACTION_END] = "TRANSACTION_END",
		[XS_WRITE] = "WRITE",
		[XS_MKDIR] = "MKDIR",
		[XS_RM] = "RM",
		[XS_WATCH_EVENT] = "WATCH_EVENT",
		[XS_ERROR] = "ERROR",
		[XS_RESET_WATCHES] = "RESET_WATCHES",
		[XS_DIRECTORY_PART] = "DIRECTORY_PART",
	};

	if (type < ARRAY_SIZE(names) && names[type])
		return names[type];
	return "?";
}

static irqreturn_t xenpv_xsn_interrupt(int irq, void *dev_id)
{
	set_bit(0, &xsn.kick);
	wake_up(&xsn.ring_wq);
	return IRQ_HANDLED;
}

/* Fail every request in flight (the stream is gone); lock held. */
static void xenpv_xsn_fail_all_locked(void)
{
	struct xenpv_xsn_req *req, *tmp;

	list_for_each_entry_safe(req, tmp, &xsn.reqs, list) {
		list_del_init(&req->list);
		req->reply_type = XS_INVALID;
		req->body = NULL;
		req->len = 0;
		complete(&req->done);
	}
}

static void xenpv_xsn_set_broken(const char *why)
{
	bool was;

	spin_lock(&xsn.lock);
	was = xsn.broken;
	xsn.broken = true;
	xenpv_xsn_fail_all_locked();
	spin_unlock(&xsn.lock);
	wake_up_all(&xsn.ring_wq);
	if (!was)
		pr_err("xenstore connection lost: %s; xenstore requests fail with -EIO until the next resume or module reload\n",
		       why);
}

/* ---- ring I/O ----------------------------------------------------------- */

/* Copy up to @len bytes out of rsp[]; returns the count, 0 or -EIO. */
static int xenpv_xsn_ring_read(void *data, unsigned int len)
{
	struct xenstore_domain_interface *intf = xsn.intf;
	XENSTORE_RING_IDX cons, prod;
	unsigned int avail, off, chunk;

	cons = intf->rsp_cons;
	prod = READ_ONCE(intf->rsp_prod);
	avail = prod - cons;
	if (avail > XENSTORE_RING_SIZE)
		return -EIO;
	if (!avail)
		return 0;
	/* Read the index before the bytes it covers. */
	virt_rmb();
	off = MASK_XENSTORE_IDX(cons);
	chunk = min3(avail, XENSTORE_RING_SIZE - off, len);
	memcpy(data, intf->rsp + off, chunk);
	/* Finish copying before xenstored may reuse the space. */
	virt_mb();
	WRITE_ONCE(intf->rsp_cons, cons + chunk);
	return chunk;
}

static bool xenpv_xsn_req_space(void)
{
	struct xenstore_domain_interface *intf = xsn.intf;

	return READ_ONCE(intf->req_prod) - READ_ONCE(intf->req_cons) !=
	       XENSTORE_RING_SIZE || READ_ONCE(xsn.broken);
}

/* Write one whole message into req[]; bounded by the xenstore timeout. */
static int xenpv_xsn_ring_write(const char *data, unsigned int len)
{
	unsigned long deadline = jiffies + xenpv_xsn_timeout();
	struct xenstore_domain_interface *intf;
	XENSTORE_RING_IDX cons, prod;
	unsigned int used, off, chunk;
	int err = 0;

	mutex_lock(&xsn.write_lock);
	intf = xsn.intf;
	while (len) {
		if (READ_ONCE(xsn.broken)) {
			err = -EIO;
			break;
		}
		prod = intf->req_prod;
		cons = READ_ONCE(intf->req_cons);
		used = prod - cons;
		if (used > XENSTORE_RING_SIZE) {
			xenpv_xsn_set_broken("request ring indices corrupted");
			err = -EIO;
			break;
		}
		if (used == XENSTORE_RING_SIZE) {
			long left = (long)(deadline - jiffies);

			if (left <= 0 ||
			    !wait_event_timeout(xsn.ring_wq,
						xenpv_xsn_req_space(), left)) {
				/* Part of a message may be out: framing lost. */
				xenpv_xsn_set_broken("xenstored stopped consuming requests");
				err = -ETIMEDOUT;
				break;
			}
			continue;
		}
		/* Read req_cons before overwriting the space it freed. */
		virt_mb();
		off = MASK_XENSTORE_IDX(prod);
		chunk = min3(XENSTORE_RING_SIZE - used,
			     XENSTORE_RING_SIZE - off, len);
		memcpy(intf->req + off, data, chunk);
		/* The bytes before the index that publishes them. */
		virt_wmb();
		WRITE_ONCE(intf->req_prod, prod + chunk);
		xenpv_evtchn_notify(xsn.port);
		data += chunk;
		len -= chunk;
	}
	mutex_unlock(&xsn.write_lock);
	return err;
}

/* ---- reader -------------------------------------------------------------- */

static void xenpv_xsn_dispatch(struct xsd_sockmsg *hdr, char *body)
{
	struct xenpv_xsn_req *req;

	if (hdr->type == XS_WATCH_EVENT) {
		xenpv_xw_event(body, hdr->len);
		return;
	}

	spin_lock(&xsn.lock);
	list_for_each_entry(req, &xsn.reqs, list) {
		if (req->req_id != hdr->req_id)
			continue;
		list_del_init(&req->list);
		req->reply_type = hdr->type;
		req->body = body;
		req->len = hdr->len;
		if (hdr->type == XS_ERROR)
			xsn.nr_errors++;
		complete(&req->done);
		spin_unlock(&xsn.lock);
		return;
	}
	xsn.nr_stray++;
	spin_unlock(&xsn.lock);
	pr_warn_ratelimited("dropped xenstore reply for unknown request %u (type %u)\n",
			    hdr->req_id, hdr->type);
	kfree(body);
}

/* Frame and dispatch every complete message in rsp[]; read_lock held. */
static void xenpv_xsn_process(void)
{
	bool consumed = false;
	int n;

	while (!READ_ONCE(xsn.broken)) {
		if (xsn.rhdr_got < sizeof(xsn.rhdr)) {
			n = xenpv_xsn_ring_read((char *)&xsn.rhdr + xsn.rhdr_got,
						sizeof(xsn.rhdr) - xsn.rhdr_got);
			if (n < 0)
				goto corrupt;
			if (!n)
				break;
			consumed = true;
			xsn.rhdr_got += n;
			if (xsn.rhdr_got < sizeof(xsn.rhdr))
				continue;
			if (xenpv_wire_check_header(&xsn.rhdr)) {
				pr_err("xenstore message of %u bytes exceeds the %u-byte limit\n",
				       xsn.rhdr.len, XENSTORE_PAYLOAD_MAX);
				xenpv_xsn_set_broken("oversized message from xenstored");
				break;
			}
			/* At most 4097 bytes: a small allocation that may wait. */
			xsn.rbody = kmalloc(xsn.rhdr.len + 1,
					    GFP_KERNEL | __GFP_NOFAIL);
			xsn.rbody_got = 0;
		}
		if (xsn.rbody_got < xsn.rhdr.len) {
			n = xenpv_xsn_ring_read(xsn.rbody + xsn.rbody_got,
						xsn.rhdr.len - xsn.rbody_got);
			if (n < 0)
				goto corrupt;
			if (!n)
				break;
			consumed = true;
			xsn.rbody_got += n;
			if (xsn.rbody_got < xsn.rhdr.len)
				continue;
		}
		xsn.rbody[xsn.rhdr.len] = '\0';
		xenpv_xsn_dispatch(&xsn.rhdr, xsn.rbody);
		xsn.rbody = NULL;
		xsn.rhdr_got = 0;
	}
	if (consumed)
		xenpv_evtchn_notify(xsn.port);
	return;

corrupt:
	xenpv_xsn_set_broken("response ring indices corrupted");
}

static void xenpv_xsn_reset_reader(void)
{
	kfree(xsn.rbody);
	xsn.rbody = NULL;
	xsn.rbody_got = 0;
	xsn.rhdr_got = 0;
}

static int xenpv_xsn_reader(void *unused)
{
	while (!kthread_should_stop()) {
		wait_event_interruptible(xsn.ring_wq,
					 test_bit(0, &xsn.kick) ||
					 kthread_should_stop());
		if (!test_and_clear_bit(0, &xsn.kick))
			continue;
		mutex_lock(&xsn.read_lock);
		xenpv_xsn_process();
		mutex_unlock(&xsn.read_lock);
	}
	return 0;
}

static void xenpv_xsn_kick(void)
{
	set_bit(0, &xsn.kick);
	wake_up(&xsn.ring_wq);
}

/* ---- requests ------------------------------------------------------------ */

/*
 * Every request counts as a user while it runs, a transaction from its
 * start to its end, so that suspend can wait for quiescence.  New work
 * waits while a suspend is under way; requests inside an open transaction
 * do not (the transaction has to finish for the suspend to proceed).
 */
static void xenpv_xsn_enter(bool may_wait)
{
	spin_lock(&xsn.lock);
	while (may_wait && xsn.suspending) {
		spin_unlock(&xsn.lock);
		wait_event(xsn.quiesce_wq, !READ_ONCE(xsn.suspending));
		spin_lock(&xsn.lock);
	}
	xsn.users++;
	spin_unlock(&xsn.lock);
}

static void xenpv_xsn_leave(void)
{
	bool idle;

	spin_lock(&xsn.lock);
	if (!WARN_ON_ONCE(!xsn.users))
		xsn.users--;
	idle = !xsn.users;
	spin_unlock(&xsn.lock);
	if (idle)
		wake_up_all(&xsn.quiesce_wq);
}

static bool xenpv_xsn_id_busy(u32 id)
{
	struct xenpv_xsn_req *req;

	list_for_each_entry(req, &xsn.reqs, list)
		if (req->req_id == id)
			return true;
	return false;
}

/*
 * Send one request and wait for its reply.  Returns the reply payload
 * (kmalloc()ed, NUL-terminated, *len without the NUL) or ERR_PTR: the
 * xenstored error, -E2BIG for an oversized request (never sent), -EIO when
 * the connection is broken or the reply malformed, -ETIMEDOUT when
 * xenstored did not answer within xs_timeout seconds.
 */
static void *xenpv_xsn_talk(u32 tx_id, u32 type, bool counted,
			    const struct xenpv_wire_seg *segs, unsigned int nr,
			    unsigned int *len)
{
	struct xenpv_xsn_req req;
	bool timed_out = false;
	long plen, mlen;
	char *msg;
	int err;

	plen = xenpv_wire_payload_len(segs, nr);
	if (plen < 0) {
		pr_warn_ratelimited("xenstore %s request of more than %u bytes refused\n",
				    xenpv_xsn_type_name(type),
				    XENSTORE_PAYLOAD_MAX);
		return ERR_PTR(plen);
	}
	msg = kmalloc(sizeof(struct xsd_sockmsg) + plen, GFP_KERNEL);
	if (!msg)
		return ERR_PTR(-ENOMEM);

	if (!counted)
		xenpv_xsn_enter(!tx_id);

	INIT_LIST_HEAD(&req.list);
	init_completion(&req.done);
	req.type = type;
	req.body = NULL;
	req.len = 0;
	req.reply_type = XS_INVALID;

	spin_lock(&xsn.lock);
	if (xsn.broken) {
		spin_unlock(&xsn.lock);
		err = -EIO;
		goto out_leave;
	}
	do {
		req.req_id = xsn.next_id++;
	} while (xenpv_xsn_id_busy(req.req_id));
	req.start = jiffies;
	list_add_tail(&req.list, &xsn.reqs);
	xsn.nr_requests++;
	spin_unlock(&xsn.lock);

	mlen = xenpv_wire_encode(msg, sizeof(struct xsd_sockmsg) + plen, type,
				 req.req_id, tx_id, segs, nr);
	if (mlen < 0)
		err = (int)mlen;
	else
		err = xenpv_xsn_ring_write(msg, (unsigned int)mlen);
	if (!err && !wait_for_completion_timeout(&req.done,
						 xenpv_xsn_timeout()))
		timed_out = true;

	/*
	 * Still listed: no reply came (or the message never went out);
	 * forget the request, a late reply will be dropped as stray.  Not
	 * listed: the reader (or a connection failure) completed it, possibly
	 * just after the timeout, and its result stands.
	 */
	spin_lock(&xsn.lock);
	if (!list_empty(&req.list)) {
		list_del_init(&req.list);
		if (timed_out) {
			xsn.nr_timeouts++;
			err = -ETIMEDOUT;
		}
	}
	spin_unlock(&xsn.lock);

	if (err == -ETIMEDOUT)
		pr_err_ratelimited("xenstored did not answer %s request %u within %u s (is event channel delivery working?)\n",
				   xenpv_xsn_type_name(type), req.req_id,
				   xenpv_xb_xs_timeout);
	if (err)
		goto out_free_reply;

	err = xenpv_wire_reply_status(type, req.reply_type, req.body,
				      req.len);
	if (err == -EIO && req.reply_type != XS_INVALID)
		pr_warn_ratelimited("xenstore reply of type %u to a %s request\n",
				    req.reply_type, xenpv_xsn_type_name(type));
	if (err)
		goto out_free_reply;
	if (len)
		*len = req.len;
	if (!counted)
		xenpv_xsn_leave();
	kfree(msg);
	return req.body;

out_free_reply:
	kfree(req.body);
out_leave:
	if (!counted)
		xenpv_xsn_leave();
	kfree(msg);
	return ERR_PTR(err);
}

/* Join @dir and @node ("" addresses @dir) and check the result. */
static char *xenpv_xsn_path(const char *dir, const char *node)
{
	char *path;

	if (node && *node)
		path = kasprintf(GFP_KERNEL, "%s/%s", dir, node);
	else
		path = kstrdup(dir, GFP_KERNEL);
	if (!path)
		return ERR_PTR(-ENOMEM);
	if (!xenpv_wire_path_valid(path)) {
		pr_warn_ratelimited("invalid xenstore path \"%.64s\" refused\n",
				    path);
		kfree(path);
		return ERR_PTR(-EINVAL);
	}
	return path;
}

/* A request whose payload is "<path>\0" plus an optional second segment. */
static void *xenpv_xsn_path_talk(struct xenpv_xs_tx t, u32 type,
				 const char *dir, const char *node,
				 const void *extra, size_t extra_len,
				 unsigned int *len)
{
	struct xenpv_wire_seg segs[2];
	char *path;
	void *reply;

	path = xenpv_xsn_path(dir, node);
	if (IS_ERR(path))
		return path;
	segs[0].data = path;
	segs[0].len = strlen(path) + 1;
	segs[1].data = extra;
	segs[1].len = extra_len;
	reply = xenpv_xsn_talk(t.id, type, false, segs, extra ? 2 : 1, len);
	kfree(path);
	return reply;
}

static int xenpv_xsn_path_cmd(struct xenpv_xs_tx t, u32 type,
			      const char *dir, const char *node,
			      const void *extra, size_t extra_len)
{
	void *reply = xenpv_xsn_path_talk(t, type, dir, node, extra,
					  extra_len, NULL);

	if (IS_ERR(reply))
		return PTR_ERR(reply);
	kfree(reply);
	return 0;
}

void *xenpv_xsn_read(struct xenpv_xs_tx t, const char *dir, const char *node,
		     unsigned int *len)
{
	return xenpv_xsn_path_talk(t, XS_READ, dir, node, NULL, 0, len);
}

int xenpv_xsn_write(struct xenpv_xs_tx t, const char *dir, const char *node,
		    const char *string)
{
	return xenpv_xsn_path_cmd(t, XS_WRITE, dir, node, string,
				  strlen(string));
}

int xenpv_xsn_mkdir(struct xenpv_xs_tx t, const char *dir, const char *node)
{
	return xenpv_xsn_path_cmd(t, XS_MKDIR, dir, node, NULL, 0);
}

int xenpv_xsn_rm(struct xenpv_xs_tx t, const char *dir, const char *node)
{
	return xenpv_xsn_path_cmd(t, XS_RM, dir, node, NULL, 0);
}

/*
 * Children lists longer than one payload: XS_DIRECTORY_PART by byte
 * offset, restarted when the node's generation changes between parts.
 * Returns the assembled "name\0name\0..." block.
 */
static char *xenpv_xsn_directory_part(struct xenpv_xs_tx t, const char *dir,
				      const char *node, unsigned int *len)
{
	char gen[24] = "", offstr[16], *names = NULL, *tmp, *reply;
	const char *rgen, *rnames;
	unsigned int off = 0, rlen, restarts = 0;
	long nlen;
	bool end;

	for (;;) {
		snprintf(offstr, sizeof(offstr), "%u", off);
		reply = xenpv_xsn_path_talk(t, XS_DIRECTORY_PART, dir, node,
					    offstr, strlen(offstr) + 1,
					    &rlen);
		if (IS_ERR(reply)) {
			kfree(names);
			/* Old xenstored: the list just does not fit. */
			if (PTR_ERR(reply) == -ENOSYS ||
			    PTR_ERR(reply) == -EINVAL)
				return ERR_PTR(-E2BIG);
			return reply;
		}
		nlen = xenpv_wire_dirpart(reply, rlen, &rgen, &rnames, &end);
		if (nlen < 0 || strlen(rgen) >= sizeof(gen) ||
		    (!nlen && !end)) {
			kfree(reply);
			kfree(names);
			return ERR_PTR(-EIO);
		}
		if (off && strcmp(gen, rgen)) {
			/* The node changed under us: start over. */
			kfree(reply);
			kfree(names);
			names = NULL;
			off = 0;
			if (++restarts > 8)
				return ERR_PTR(-EAGAIN);
			continue;
		}
		strscpy(gen, rgen, sizeof(gen));
		if (off + nlen > XENPV_WIRE_DIR_MAX) {
			kfree(reply);
			kfree(names);
			return ERR_PTR(-E2BIG);
		}
		tmp = krealloc(names, off + nlen + 1, GFP_KERNEL);
		if (!tmp) {
			kfree(reply);
			kfree(names);
			return ERR_PTR(-ENOMEM);
		}
		names = tmp;
		memcpy(names + off, rnames, nlen);
		off += nlen;
		kfree(reply);
		if (end)
			break;
	}
	names[off] = '\0';
	*len = off;
	return names;
}

char **xenpv_xsn_directory(struct xenpv_xs_tx t, const char *dir,
			   const char *node, unsigned int *num)
{
	unsigned int len = 0;
	char *strings, **vec;
	int n;

	strings = xenpv_xsn_path_talk(t, XS_DIRECTORY, dir, node, NULL, 0,
				      &len);
	if (IS_ERR(strings) && PTR_ERR(strings) == -E2BIG)
		strings = xenpv_xsn_directory_part(t, dir, node, &len);
	if (IS_ERR(strings))
		return (char **)strings;

	n = xenpv_wire_count_strings(strings, len);
	if (n < 0) {
		kfree(strings);
		return ERR_PTR(-EIO);
	}
	/* One block: the pointer array, then the strings it points into. */
	vec = kmalloc(n * sizeof(char *) + len + 1, GFP_KERNEL);
	if (!vec) {
		kfree(strings);
		return ERR_PTR(-ENOMEM);
	}
	memcpy(&vec[n], strings, len);
	((char *)&vec[n])[len] = '\0';
	kfree(strings);
	n = xenpv_wire_split_strings((char *)&vec[n], len, vec, n);
	if (n < 0) {
		kfree(vec);
		return ERR_PTR(-EIO);
	}
	*num = n;
	return vec;
}

int xenpv_xsn_transaction_start(struct xenpv_xs_tx *t)
{
	static const struct xenpv_wire_seg seg = { "", 1 };
	unsigned int len;
	u64 id;
	char *reply;
	int err;

	/* The transaction holds its own user count until its end. */
	xenpv_xsn_enter(true);
	reply = xenpv_xsn_talk(0, XS_TRANSACTION_START, true, &seg, 1, &len);
	if (IS_ERR(reply)) {
		xenpv_xsn_leave();
		return PTR_ERR(reply);
	}
	err = xenpv_wire_parse_u64(reply, strnlen(reply, len), 1, U32_MAX,
				   &id);
	kfree(reply);
	if (err) {
		xenpv_xsn_leave();
		return -EIO;
	}
	t->id = (u32)id;
	return 0;
}

int xenpv_xsn_transaction_end(struct xenpv_xs_tx t, bool abort)
{
	struct xenpv_wire_seg seg = { abort ? "F" : "T", 2 };
	char *reply;

	if (!t.id)
		return -EINVAL;
	reply = xenpv_xsn_talk(t.id, XS_TRANSACTION_END, true, &seg, 1, NULL);
	/* Over whatever the answer: drop the transaction's user count. */
	xenpv_xsn_leave();
	if (IS_ERR(reply))
		return PTR_ERR(reply);
	kfree(reply);
	return 0;
}

int xenpv_xsn_watch_cmd(u32 type, const char *path, const char *token)
{
	struct xenpv_wire_seg segs[2] = {
		{ path, strlen(path) + 1 },
		{ token, strlen(token) + 1 },
	};
	char *reply;

	if (!xenpv_wire_path_valid(path))
		return -EINVAL;
	reply = xenpv_xsn_talk(0, type, false, segs, 2, NULL);
	if (IS_ERR(reply))
		return PTR_ERR(reply);
	kfree(reply);
	return 0;
}

int xenpv_xsn_reset_watches(void)
{
	static const struct xenpv_wire_seg seg = { "", 1 };
	char *reply;

	reply = xenpv_xsn_talk(0, XS_RESET_WATCHES, false, &seg, 1, NULL);
	if (IS_ERR(reply))
		return PTR_ERR(reply);
	kfree(reply);
	return 0;
}

/* ---- setup, suspend, resume --------------------------------------------- */

static int xenpv_xsn_read_params(u64 *pfn, evtchn_port_t *port)
{
	u64 v;
	int err;

	err = xenpv_hvm_get_param(HVM_PARAM_STORE_PFN, &v);
	if (err) {
		pr_err("cannot read HVM_PARAM_STORE_PFN: %d\n", err);
		return err;
	}
	if (!v || v == ~0ULL || v > (U64_MAX >> PAGE_SHIFT)) {
		pr_err("no xenstore: HVM_PARAM_STORE_PFN is %#llx (the toolstack set up no xenstore ring)\n",
		       v);
		return -ENODEV;
	}
	*pfn = v;

	err = xenpv_hvm_get_param(HVM_PARAM_STORE_EVTCHN, &v);
	if (err) {
		pr_err("cannot read HVM_PARAM_STORE_EVTCHN: %d\n", err);
		return err;
	}
	if (!v || v >= U32_MAX) {
		pr_err("no xenstore: HVM_PARAM_STORE_EVTCHN is %#llx\n", v);
		return -ENODEV;
	}
	*port = (evtchn_port_t)v;
	return 0;
}

/*
 * Start from a clean stream: warn when requests are still queued (a
 * previous kernel or module instance), skip replies nobody waits for any
 * more, and wait (bounded) while xenstored finishes a reconnection.
 */
static void xenpv_xsn_ring_init(void)
{
	struct xenstore_domain_interface *intf = xsn.intf;
	unsigned long deadline = jiffies + xenpv_xsn_timeout();
	XENSTORE_RING_IDX prod, cons;

	if ((*xenpv_xs_ring_server_features(intf) &
	     XENSTORE_SERVER_FEATURE_RECONNECTION) &&
	    READ_ONCE(*xenpv_xs_ring_connection(intf)) != XENSTORE_CONNECTED) {
		pr_info("waiting for xenstored to finish reconnecting the ring\n");
		while (READ_ONCE(*xenpv_xs_ring_connection(intf)) !=
		       XENSTORE_CONNECTED &&
		       time_before(jiffies, deadline))
			msleep(20);
	}
	if (READ_ONCE(intf->req_prod) != READ_ONCE(intf->req_cons))
		pr_warn("xenstore request ring not quiescent (prod %u, cons %u)\n",
			READ_ONCE(intf->req_prod), READ_ONCE(intf->req_cons));
	prod = READ_ONCE(intf->rsp_prod);
	cons = READ_ONCE(intf->rsp_cons);
	if (prod != cons) {
		pr_warn("skipping %u stale bytes in the xenstore response ring\n",
			prod - cons);
		virt_mb();
		WRITE_ONCE(intf->rsp_cons, prod);
		xenpv_evtchn_notify(xsn.port);
	}
}

static int xenpv_xsn_bind(void)
{
	int irq;

	irq = xenpv_evtchn_bind_irq(xsn.port, xenpv_xsn_interrupt, 0,
				    "xenpv-xenstore", &xsn,
				    XENPV_EVTCHN_KEEP_OPEN);
	if (irq < 0) {
		pr_err("cannot bind xenstore event channel %u: %d\n",
		       xsn.port, irq);
		return irq;
	}
	xsn.irq = irq;
	return 0;
}

static void xenpv_xsn_unbind(void)
{
	if (xsn.irq > 0)
		xenpv_evtchn_unbind_irq(xsn.irq, &xsn);
	xsn.irq = 0;
}

int xenpv_xsn_init(void)
{
	int err;

	INIT_LIST_HEAD(&xsn.reqs);
	spin_lock_init(&xsn.lock);
	mutex_init(&xsn.write_lock);
	mutex_init(&xsn.read_lock);
	init_waitqueue_head(&xsn.ring_wq);
	init_waitqueue_head(&xsn.quiesce_wq);
	xsn.next_id = 1;
	xsn.broken = false;
	xsn.suspending = false;
	xsn.users = 0;
	xsn.kick = 0;

	err = xenpv_xsn_read_params(&xsn.pfn, &xsn.port);
	if (err)
		return err;
	xsn.intf = memremap(xsn.pfn << PAGE_SHIFT, PAGE_SIZE, MEMREMAP_WB);
	if (!xsn.intf) {
		pr_err("cannot map the xenstore page (pfn %#llx)\n", xsn.pfn);
		return -ENOMEM;
	}
	xenpv_xsn_ring_init();

	xsn.reader = kthread_run(xenpv_xsn_reader, NULL, "xenpv_xs");
	if (IS_ERR(xsn.reader)) {
		err = PTR_ERR(xsn.reader);
		pr_err("cannot start the xenstore reader thread: %d\n", err);
		goto out_unmap;
	}
	err = xenpv_xsn_bind();
	if (err)
		goto out_stop;
	xenpv_xsn_kick();
	pr_info("xenstore ring at pfn %#llx, event channel %u (irq %d)\n",
		xsn.pfn, xsn.port, xsn.irq);
	return 0;

out_stop:
	kthread_stop(xsn.reader);
out_unmap:
	memunmap(xsn.intf);
	xsn.intf = NULL;
	return err;
}

void xenpv_xsn_exit(void)
{
	xenpv_xsn_unbind();
	kthread_stop(xsn.reader);
	spin_lock(&xsn.lock);
	xsn.broken = true;
	xenpv_xsn_fail_all_locked();
	spin_unlock(&xsn.lock);
	mutex_lock(&xsn.read_lock);
	xenpv_xsn_reset_reader();
	mutex_unlock(&xsn.read_lock);
	memunmap(xsn.intf);
	xsn.intf = NULL;
}

/*
 * Before the platform suspends: block new requests, wait (bounded) until
 * nothing is in flight and no transaction is open, then detach the event
 * channel.  -EBUSY (suspend aborted, nothing changed) when the wait fails.
 */
int xenpv_xsn_suspend(void)
{
	unsigned int users;

	spin_lock(&xsn.lock);
	xsn.suspending = true;
	spin_unlock(&xsn.lock);

	if (!wait_event_timeout(xsn.quiesce_wq, !READ_ONCE(xsn.users),
				xenpv_xsn_timeout())) {
		spin_lock(&xsn.lock);
		users = xsn.users;
		xsn.suspending = false;
		spin_unlock(&xsn.lock);
		wake_up_all(&xsn.quiesce_wq);
		pr_err("suspend aborted: %u xenstore requests or transactions still open after %u s\n",
		       users, xenpv_xb_xs_timeout);
		return -EBUSY;
	}
	xenpv_xsn_unbind();
	return 0;
}

/*
 * After the platform resumed.  Cancelled: same domain, same ring and port,
 * xenstored kept our watches: re-attach the port and go on.  Otherwise a
 * new domain: re-read the parameters, remap if the page moved, restart the
 * stream, bind the new port and re-register every watch.
 */
void xenpv_xsn_resume(bool cancelled)
{
	u64 pfn = xsn.pfn;
	evtchn_port_t port = xsn.port;
	void *intf;
	int err = 0;

	if (!cancelled) {
		err = xenpv_xsn_read_params(&pfn, &port);
		mutex_lock(&xsn.read_lock);
		xenpv_xsn_reset_reader();
		if (!err && pfn != xsn.pfn) {
			intf = memremap(pfn << PAGE_SHIFT, PAGE_SIZE,
					MEMREMAP_WB);
			if (intf) {
				memunmap(xsn.intf);
				xsn.intf = intf;
				xsn.pfn = pfn;
			} else {
				err = -ENOMEM;
			}
		}
		if (!err) {
			xsn.port = port;
			xenpv_xsn_ring_init();
			spin_lock(&xsn.lock);
			xsn.broken = false;
			spin_unlock(&xsn.lock);
		}
		mutex_unlock(&xsn.read_lock);
	}
	if (!err)
		err = xenpv_xsn_bind();
	if (err)
		xenpv_xsn_set_broken("cannot reconnect after resume");
	else
		xenpv_xsn_kick();

	spin_lock(&xsn.lock);
	xsn.suspending = false;
	spin_unlock(&xsn.lock);
	wake_up_all(&xsn.quiesce_wq);

	if (!cancelled && !err)
		xenpv_xw_reregister_all();
}

void xenpv_xsn_debugfs_show(struct seq_file *m)
{
	struct xenpv_xsn_req *req;

	seq_printf(m, "store pfn:        %#llx\n", xsn.pfn);
	seq_printf(m, "store port:       %u (irq %d)\n", xsn.port, xsn.irq);
	spin_lock(&xsn.lock);
	seq_printf(m, "connection:       %s%s\n",
		   xsn.broken ? "broken" : "ok",
		   xsn.suspending ? ", suspending" : "");
	seq_printf(m, "users:            %u\n", xsn.users);
	seq_printf(m, "requests sent:    %lu\n", xsn.nr_requests);
	seq_printf(m, "error replies:    %lu\n", xsn.nr_errors);
	seq_printf(m, "timeouts:         %lu\n", xsn.nr_timeouts);
	seq_printf(m, "stray replies:    %lu\n", xsn.nr_stray);
	seq_puts(m, "in flight:\n");
	list_for_each_entry(req, &xsn.reqs, list)
		seq_printf(m, "  req %u %s, %u ms\n", req->req_id,
			   xenpv_xsn_type_name(req->type),
			   jiffies_to_msecs(jiffies - req->start));
	spin_unlock(&xsn.lock);
}
