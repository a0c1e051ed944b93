// SPDX-License-Identifier: GPL-2.0
/*
 * xenpv_fbfront: Xen paravirtual framebuffer frontend (vfb), xenbus side.
 *
 * Copyright (C) 2026 The xenpv authors
 *
 * The backend (QEMU's xenfb in dom0 or a stub domain) maps the framebuffer
 * by FRAME NUMBER: the shared page's pd[] lists frames of directory pages
 * which list the frames of the framebuffer, and page-ref is the frame of
 * the shared page itself.  None of this is a grant, so only a privileged
 * backend can map it, and the frontend cannot revoke the access: see
 * Documentation/fbfront.rst.
 *
 * Lifecycle (every backend state handled in xenpv_fb_backend_changed()):
 *   probe       allocate the private structure only; arm the watchdog
 *   InitWait    talk_to_backend: size and allocate the framebuffer (first
 *               time), fill the shared page, event channel, one xenstore
 *               transaction -> Initialised
 *   Connected   read request-update/feature-resize, create the DRM device
 *               (first time), redraw everything -> Connected
 *   Closing     stop sending, -> Closed
 *   resume      drop the event channel; the backend's InitWait reconnects
 *               and the whole screen is sent again
 * A vfb whose backend never connects does not delay boot (not_essential);
 * it is reported once after connect_timeout seconds.
 */
#include <linux/bitops.h>
#include <linux/debugfs.h>
#include <linux/delay.h>
#include <linux/interrupt.h>
#include <linux/kernel.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/vmalloc.h>
#include <xen/interface/io/fbif.h>
#include <xen/interface/io/protocols.h>
#include <xenpv/xenpv.h>
#include <xenpv/xenbus.h>

#include "common.h"
#include "evring.h"
#include "fbfront.h"

/* Retry interval while the out ring is full (rate limit of the flush). */
#define XENPV_FB_RETRY_MS	20
/* How long remove() waits for the backend to let go of the frames. */
#define XENPV_FB_CLOSE_WAIT_MS	5000
#define XENPV_FB_CLOSE_POLL_MS	100

/* Frame numbers one directory page holds, and directory pages in pd[]. */
#define XENPV_FB_PER_PD		(PAGE_SIZE / sizeof(unsigned long))
#define XENPV_FB_NR_PD		(sizeof_field(struct xenfb_page, pd) / \
				 sizeof(unsigned long))

/* Bits of xenpv_fb_flags (per device). */
#define XENPV_FB_BROKEN		0

static unsigned int xenpv_fb_videoram = 16;
module_param_named(videoram, xenpv_fb_videoram, uint, 0444);
MODULE_PARM_DESC(videoram,
		 "Most video memory to allocate, MiB (1..256, default 16; the backend's videoram caps it further)");

static unsigned int xenpv_fb_width = XENFB_WIDTH;
module_param_named(width, xenpv_fb_width, uint, 0444);
MODULE_PARM_DESC(width,
		 "Framebuffer width when the backend gives none (320..8192, default 800)");

static unsigned int xenpv_fb_height = XENFB_HEIGHT;
module_param_named(height, xenpv_fb_height, uint, 0444);
MODULE_PARM_DESC(height,
		 "Framebuffer height when the backend gives none (200..8192, default 600)");

static unsigned int xenpv_fb_connect_timeout = 30;
module_param_named(connect_timeout, xenpv_fb_connect_timeout, uint, 0444);
MODULE_PARM_DESC(connect_timeout,
		 "Seconds after which a backend that never connected is reported (1..3600, default 30; boot never waits)");

static struct dentry *xenpv_fb_debugfs_root;

struct xenpv_fb_priv {
	struct xenpv_fb_info info;
	unsigned long flags;		/* XENPV_FB_BROKEN */
	bool removing;
	u32 last_out_cons;		/* irq handler only */
	char irq_name[40];
};

static struct xenpv_fb_priv *to_priv(struct xenpv_fb_info *info)
{
	return container_of(info, struct xenpv_fb_priv, info);
}

static bool xenpv_fb_broken(struct xenpv_fb_info *info)
{
	return test_bit(XENPV_FB_BROKEN, &to_priv(info)->flags);
}

/* Any context.  The device stops; the report runs in process context. */
static void xenpv_fb_protocol_error(struct xenpv_fb_info *info,
				    const char *what)
{
	if (test_and_set_bit(XENPV_FB_BROKEN, &to_priv(info)->flags))
		return;
	dev_err_ratelimited(info->xdev->dev,
			    "backend broke the fbif protocol (%s); device stopped\n",
			    what);
	info->stats.protocol_errors++;
	schedule_work(&info->fatal_work);
}

static void xenpv_fb_fatal_work(struct work_struct *work)
{
	struct xenpv_fb_info *info =
		container_of(work, struct xenpv_fb_info, fatal_work);

	xenpv_dev_fatal(info->xdev, -EPROTO, "fbif protocol violation");
}

/* ---- out ring --------------------------------------------------------- */

static void xenpv_fb_put_event(struct xenpv_fb_info *info, u32 idx,
			       const union xenfb_out_event *ev)
{
	memcpy(&XENFB_OUT_RING_REF(info->page, idx), ev, sizeof(*ev));
}

/*
 * Send what is pending: a resize first (never merged), then the bounding
 * box of all damage.  When the ring is full the damage keeps accumulating
 * and a retry is scheduled; the backend's next notification retries at
 * once.  Called with out_lock held.
 */
static void xenpv_fb_flush_locked(struct xenpv_fb_info *info)
{
	struct xenfb_page *page = info->page;
	union xenfb_out_event ev;
	struct xenpv_fb_rect r;
	u32 prod, cons, space;
	bool sent = false;

	if (!info->connected || xenpv_fb_broken(info))
		return;
	if (!info->want_update)
		xenpv_fb_dirty_reset(&info->dirty);	/* backend polls */
	if (!info->resize_pending && !xenpv_fb_dirty_pending(&info->dirty))
		return;

	cons = READ_ONCE(page->out_cons);
	/* Slots before @cons are reusable only after the backend read them. */
	virt_mb();
	prod = info->out_prod;
	if (!xenpv_evring_sane(prod, cons, XENFB_OUT_RING_LEN)) {
		xenpv_fb_protocol_error(info, "out_cons out of range");
		return;
	}
	space = xenpv_evring_free(prod, cons, XENFB_OUT_RING_LEN);

	if (info->resize_pending) {
		if (!space)
			goto out_full;
		memset(&ev, 0, sizeof(ev));
		ev.resize.type = XENFB_TYPE_RESIZE;
		ev.resize.width = info->cur_width;
		ev.resize.height = info->cur_height;
		ev.resize.stride = info->cur_width * XENPV_FB_CPP;
		ev.resize.depth = XENPV_FB_DEPTH;
		ev.resize.offset = 0;
		xenpv_fb_put_event(info, prod++, &ev);
		space--;
		info->resize_pending = false;
		info->be_width = info->cur_width;
		info->be_height = info->cur_height;
		info->stats.resizes++;
		sent = true;
	}
	if (xenpv_fb_dirty_pending(&info->dirty)) {
		if (!space)
			goto out_full;
		xenpv_fb_dirty_take(&info->dirty, &r);
		memset(&ev, 0, sizeof(ev));
		ev.update.type = XENFB_TYPE_UPDATE;
		ev.update.x = r.x1;
		ev.update.y = r.y1;
		ev.update.width = r.x2 - r.x1;
		ev.update.height = r.y2 - r.y1;
		xenpv_fb_put_event(info, prod++, &ev);
		info->stats.updates++;
		sent = true;
	}
	WRITE_ONCE(info->retry_wanted, false);
	goto out_publish;

out_full:
	info->stats.ring_full++;
	WRITE_ONCE(info->retry_wanted, true);
	schedule_delayed_work(&info->flush_work,
			      msecs_to_jiffies(XENPV_FB_RETRY_MS));
out_publish:
	if (sent) {
		/* Event contents before the index that publishes them. */
		virt_wmb();
		info->out_prod = prod;
		WRITE_ONCE(page->out_prod, prod);
		xenpv_evtchn_notify(info->port);
	}
}

static void xenpv_fb_flush_work(struct work_struct *work)
{
	struct xenpv_fb_info *info =
		container_of(to_delayed_work(work), struct xenpv_fb_info,
			     flush_work);

	spin_lock(&info->out_lock);
	xenpv_fb_flush_locked(info);
	spin_unlock(&info->out_lock);
}

/*
 * Event channel handler (hard irq).  The only in-event fbif defines
 * (refresh period) needs no answer, so in-events are consumed and counted.
 * A notification also means the backend consumed out-events: retry a
 * deferred flush.  out_lock is never taken here.
 */
static irqreturn_t xenpv_fb_event(int irq, void *dev_id)
{
	struct xenpv_fb_info *info = dev_id;
	struct xenpv_fb_priv *priv = to_priv(info);
	struct xenfb_page *page = info->page;
	bool work = false;
	u32 prod, cons, out_cons;

	/* Broken: no EOI, the channel stays masked. */
	if (xenpv_fb_broken(info))
		return IRQ_HANDLED;

	prod = READ_ONCE(page->in_prod);
	virt_rmb();
	cons = info->in_cons;
	if (!xenpv_evring_sane(prod, cons, XENFB_IN_RING_LEN)) {
		xenpv_fb_protocol_error(info, "in_prod out of range");
		return IRQ_HANDLED;
	}
	if (prod != cons) {
		info->stats.in_events += xenpv_evring_used(prod, cons);
		info->in_cons = prod;
		/* Done with the slots before telling the backend so. */
		virt_mb();
		WRITE_ONCE(page->in_cons, prod);
		xenpv_evtchn_notify(info->port);
		work = true;
	}
	out_cons = READ_ONCE(page->out_cons);
	if (out_cons != priv->last_out_cons) {
		priv->last_out_cons = out_cons;
		work = true;
	}
	if (READ_ONCE(info->retry_wanted)) {
		mod_delayed_work(system_wq, &info->flush_work, 0);
		work = true;
	}
	xenpv_evtchn_lateeoi(irq, work ? 0 : XENPV_EOI_SPURIOUS);
	return IRQ_HANDLED;
}

/* ---- services for the DRM side --------------------------------------- */

void xenpv_fb_kms_set_mode(struct xenpv_fb_info *info, u32 width, u32 height)
{
	spin_lock(&info->out_lock);
	if (WARN_ON_ONCE(!width || !height || width > info->geom.width ||
			 height > info->geom.height)) {
		spin_unlock(&info->out_lock);
		return;
	}
	info->cur_width = width;
	info->cur_height = height;
	if (width != info->be_width || height != info->be_height) {
		if (info->can_resize)
			info->resize_pending = true;
		else
			dev_warn_ratelimited(info->xdev->dev,
					     "mode %ux%u set but the backend cannot resize\n",
					     width, height);
	}
	spin_unlock(&info->out_lock);
}

bool xenpv_fb_kms_surface(struct xenpv_fb_info *info,
			  struct xenpv_fb_surface *surf)
{
	bool ok;

	spin_lock(&info->out_lock);
	ok = info->fb;
	surf->base = info->fb;
	surf->width = info->cur_width;
	surf->height = info->cur_height;
	surf->stride = info->cur_width * XENPV_FB_CPP;
	surf->len = info->geom.mem_length;
	spin_unlock(&info->out_lock);
	return ok;
}

void xenpv_fb_kms_damage(struct xenpv_fb_info *info,
			 const struct xenpv_fb_rect *rect, bool copy_failed)
{
	bool was_pending;

	spin_lock(&info->out_lock);
	if (copy_failed)
		info->stats.copy_failed++;
	was_pending = xenpv_fb_dirty_pending(&info->dirty);
	if (xenpv_fb_dirty_add(&info->dirty, rect, info->cur_width,
			       info->cur_height) && was_pending)
		info->stats.merged++;
	xenpv_fb_flush_locked(info);
	spin_unlock(&info->out_lock);
}

void xenpv_fb_kms_blank(struct xenpv_fb_info *info)
{
	struct xenpv_fb_rect all = { 0 };
	struct xenpv_fb_surface surf;

	if (!xenpv_fb_kms_surface(info, &surf))
		return;
	memset(surf.base, 0, (size_t)surf.stride * surf.height);
	all.x2 = surf.width;
	all.y2 = surf.height;
	xenpv_fb_kms_damage(info, &all, false);
}

/* ---- memory shared with the backend ----------------------------------- */

static void xenpv_fb_free(struct xenpv_fb_info *info)
{
	unsigned int i;

	if (info->pd) {
		for (i = 0; i < info->nr_pd; i++)
			free_page((unsigned long)info->pd[i]);
		kfree(info->pd);
		info->pd = NULL;
	}
	info->nr_pd = 0;
	vfree(info->fb);
	info->fb = NULL;
	free_page((unsigned long)info->page);
	info->page = NULL;
}

/* Read the backend's limits; 0 on success with @req filled. */
static int xenpv_fb_read_limits(struct xenpv_fb_info *info,
				struct xenpv_fb_request *req)
{
	struct xenpv_device *xdev = info->xdev;
	unsigned int mb, v;
	int err;

	memset(req, 0, sizeof(*req));
	req->max_bytes = (u64)xenpv_fb_videoram << 20;
	req->def_width = xenpv_fb_width;
	req->def_height = xenpv_fb_height;
	req->page_size = PAGE_SIZE;
	req->max_pages = XENPV_FB_NR_PD * XENPV_FB_PER_PD;

	err = xenpv_xs_read_uint(xdev->otherend, "videoram", 0, UINT_MAX, &mb);
	if (!err) {
		if (!mb) {
			dev_err(xdev->dev, "backend offers no video memory\n");
			return -EINVAL;
		}
		req->max_bytes = min_t(u64, req->max_bytes, (u64)mb << 20);
	} else if (err != -ENOENT) {
		dev_warn(xdev->dev, "ignoring malformed backend videoram\n");
	}

	err = xenpv_xs_read_uint(xdev->otherend, "width", 1, XENPV_FB_MAX_DIM,
				 &v);
	if (!err)
		req->be_width = v;
	else if (err != -ENOENT)
		dev_warn(xdev->dev, "ignoring malformed backend width\n");
	err = xenpv_xs_read_uint(xdev->otherend, "height", 1, XENPV_FB_MAX_DIM,
				 &v);
	if (!err)
		req->be_height = v;
	else if (err != -ENOENT)
		dev_warn(xdev->dev, "ignoring malformed backend height\n");
	return 0;
}

/* First connect: size and allocate everything the backend maps. */
static int xenpv_fb_alloc(struct xenpv_fb_info *info)
{
	struct device *dev = info->xdev->dev;
	struct xenpv_fb_request req;
	struct xenpv_fb_geometry geom;
	unsigned int i;
	int err;

	BUILD_BUG_ON(PAGE_SIZE != 4096);	/* Xen pages are 4 KiB */

	err = xenpv_fb_read_limits(info, &req);
	if (err)
		return err;
	err = xenpv_fb_pick_geometry(&req, &geom);
	if (err) {
		dev_err(dev, "no framebuffer size fits in %llu KiB\n",
			req.max_bytes >> 10);
		return err;
	}
	if (req.be_width && req.be_height &&
	    geom.source != XENPV_FB_GEOM_BACKEND)
		dev_warn(dev, "backend size %ux%u does not fit, using %ux%u\n",
			 req.be_width, req.be_height, geom.width, geom.height);

	info->page = (struct xenfb_page *)get_zeroed_page(GFP_KERNEL);
	info->fb = vzalloc(geom.mem_length);
	info->nr_pd = DIV_ROUND_UP(geom.nr_pages, XENPV_FB_PER_PD);
	info->pd = kcalloc(info->nr_pd, sizeof(*info->pd), GFP_KERNEL);
	if (!info->page || !info->fb || !info->pd)
		goto out_nomem;
	for (i = 0; i < info->nr_pd; i++) {
		info->pd[i] = (unsigned long *)get_zeroed_page(GFP_KERNEL);
		if (!info->pd[i])
			goto out_nomem;
	}
	info->geom = geom;
	info->cur_width = geom.width;
	info->cur_height = geom.height;
	dev_info(dev, "framebuffer %ux%ux%u, %u KiB\n", geom.width,
		 geom.height, XENPV_FB_DEPTH, geom.mem_length >> 10);
	return 0;

out_nomem:
	xenpv_fb_free(info);
	return -ENOMEM;
}

/*
 * The directory: the frame number of every framebuffer page.  Written for
 * each connection: a PV guest's frame numbers are machine frames, which a
 * restore (a new domain) changes under the same pages.
 */
static void xenpv_fb_fill_directory(struct xenpv_fb_info *info)
{
	unsigned int i;

	for (i = 0; i < info->geom.nr_pages; i++) {
		struct page *pg = vmalloc_to_page(info->fb + (size_t)i * PAGE_SIZE);

		info->pd[i / XENPV_FB_PER_PD][i % XENPV_FB_PER_PD] =
			xenpv_page_to_gfn(pg);
	}
}

/* (Re)initialise the shared page for a new connection. */
static void xenpv_fb_init_page(struct xenpv_fb_info *info)
{
	struct xenpv_fb_priv *priv = to_priv(info);
	struct xenfb_page *page = info->page;
	unsigned int i;

	xenpv_fb_fill_directory(info);

	spin_lock(&info->out_lock);
	memset(page, 0, PAGE_SIZE);
	/* The current layout, so a backend without resize shows it as is. */
	page->width = info->cur_width;
	page->height = info->cur_height;
	page->depth = XENPV_FB_DEPTH;
	page->line_length = info->cur_width * XENPV_FB_CPP;
	page->mem_length = info->geom.mem_length;
	for (i = 0; i < info->nr_pd; i++)
		page->pd[i] = xenpv_virt_to_gfn(info->pd[i]);
	info->out_prod = 0;
	info->in_cons = 0;
	priv->last_out_cons = 0;
	info->be_width = info->cur_width;
	info->be_height = info->cur_height;
	info->resize_pending = false;
	info->retry_wanted = false;
	info->connected = false;
	spin_unlock(&info->out_lock);
}

/* ---- connection ------------------------------------------------------- */

/* Stop sending and drop the event channel; memory stays for a reconnect. */
static void xenpv_fb_disconnect(struct xenpv_fb_info *info)
{
	spin_lock(&info->out_lock);
	info->connected = false;
	info->retry_wanted = false;
	spin_unlock(&info->out_lock);
	xenpv_fbk_unbind_evtchn(info, &info->port, &info->irq);
	cancel_delayed_work_sync(&info->flush_work);
}

/* Our nodes for the backend, in one transaction; then Initialised. */
static int xenpv_fb_publish(struct xenpv_fb_info *info)
{
	const struct xenpv_fbk_node nodes[] = {
		{ .name = "page-ref", .val = xenpv_virt_to_gfn(info->page) },
		{ .name = "event-channel", .val = info->port },
		{ .name = "protocol", .str = XEN_IO_PROTO_ABI_NATIVE },
		{ .name = "feature-update", .str = "1" },
	};

	return xenpv_fbk_publish(info->xdev, nodes, ARRAY_SIZE(nodes));
}

static int xenpv_fb_talk_to_backend(struct xenpv_fb_info *info)
{
	struct xenpv_fb_priv *priv = to_priv(info);
	struct xenpv_device *xdev = info->xdev;
	int err;

	if (!info->fb) {
		err = xenpv_fb_alloc(info);
		if (err) {
			xenpv_dev_fatal(xdev, err, "allocating the framebuffer");
			return err;
		}
	}
	xenpv_fb_init_page(info);
	clear_bit(XENPV_FB_BROKEN, &priv->flags);

	err = xenpv_fbk_bind_evtchn(xdev, xenpv_fb_event, priv->irq_name, info,
				    &info->port, &info->irq);
	if (err)
		return err;
	err = xenpv_fb_publish(info);
	if (err)
		xenpv_fb_disconnect(info);
	return err;
}

/* Backend Connected while we are Initialised. */
static void xenpv_fb_connect(struct xenpv_fb_info *info)
{
	struct xenpv_device *xdev = info->xdev;
	bool want_update, can_resize;
	int err;

	want_update = xenpv_xs_read_unsigned(xdev->otherend, "request-update",
					     0) != 0;
	can_resize = xenpv_xs_read_unsigned(xdev->otherend, "feature-resize",
					    0) != 0;

	spin_lock(&info->out_lock);
	info->want_update = want_update;
	info->can_resize = can_resize;
	spin_unlock(&info->out_lock);

	if (!info->kms) {
		err = xenpv_fb_kms_create(info);
		if (err) {
			xenpv_dev_fatal(xdev, err, "creating the DRM device");
			return;
		}
	}

	err = xenpv_switch_state(xdev, XenbusStateConnected);
	if (err) {
		xenpv_dev_fatal(xdev, err, "switching to Connected");
		return;
	}

	/* A new backend knows nothing: send the whole screen. */
	spin_lock(&info->out_lock);
	info->connected = true;
	xenpv_fb_dirty_reset(&info->dirty);
	xenpv_fb_dirty_add(&info->dirty,
			   &(struct xenpv_fb_rect){ 0, 0, info->cur_width,
						    info->cur_height },
			   info->cur_width, info->cur_height);
	xenpv_fb_flush_locked(info);
	spin_unlock(&info->out_lock);
	dev_info(xdev->dev, "connected (update events %s, resize %s)\n",
		 want_update ? "on" : "off", can_resize ? "on" : "off");
}

/* Backend InitWait (or Connected without it): publish our side. */
static void xenpv_fb_start(struct xenpv_fb_info *info)
{
	if (xenpv_fbk_want_connect(info->xdev))
		xenpv_fb_talk_to_backend(info);
}

static void xenpv_fb_backend_changed(struct xenpv_device *xdev,
				     enum xenbus_state backend_state)
{
	struct xenpv_fb_info *info = xenpv_get_drvdata(xdev);

	mutex_lock(&info->lock);
	if (to_priv(info)->removing)
		goto out_unlock;

	switch (backend_state) {
	case XenbusStateUnknown:
	case XenbusStateInitialising:
	case XenbusStateInitialised:
	case XenbusStateReconfiguring:
	case XenbusStateReconfigured:
		break;
	case XenbusStateInitWait:
		xenpv_fb_start(info);
		break;
	case XenbusStateConnected:
		/* The backend may skip InitWait; Connected may come twice. */
		xenpv_fb_start(info);
		if (xdev->state == XenbusStateInitialised)
			xenpv_fb_connect(info);
		break;
	case XenbusStateClosed:
		if (xdev->state == XenbusStateClosed)
			break;
		fallthrough;	/* missed the backend's Closing */
	case XenbusStateClosing:
		xenpv_fb_disconnect(info);
		xenpv_frontend_closed(xdev);
		break;
	}
out_unlock:
	mutex_unlock(&info->lock);
}

static void xenpv_fb_watchdog(struct work_struct *work)
{
	struct xenpv_fb_info *info =
		container_of(to_delayed_work(work), struct xenpv_fb_info,
			     watchdog);

	if (xenpv_fbk_report_unconnected(info->xdev, xenpv_fb_connect_timeout))
		info->watchdog_fired = true;
}

/* ---- debugfs ---------------------------------------------------------- */

static int xenpv_fb_stats_show(struct seq_file *m, void *v)
{
	struct xenpv_fb_info *info = m->private;
	struct xenpv_fb_stats st;
	u32 w, h, bw, bh;
	bool connected, upd, rsz;

	spin_lock(&info->out_lock);
	st = info->stats;
	w = info->cur_width;
	h = info->cur_height;
	bw = info->be_width;
	bh = info->be_height;
	connected = info->connected;
	upd = info->want_update;
	rsz = info->can_resize;
	spin_unlock(&info->out_lock);

	seq_printf(m, "connected: %d\nbroken: %d\n", connected,
		   xenpv_fb_broken(info));
	seq_printf(m, "framebuffer: %ux%u\nmode: %ux%u\nbackend_mode: %ux%u\n",
		   info->geom.width, info->geom.height, w, h, bw, bh);
	seq_printf(m, "request_update: %d\nfeature_resize: %d\n", upd, rsz);
	seq_printf(m, "updates: %llu\nmerged: %llu\nresizes: %llu\n",
		   st.updates, st.merged, st.resizes);
	seq_printf(m, "ring_full: %llu\nin_events: %llu\ncopy_failed: %llu\n",
		   st.ring_full, st.in_events, st.copy_failed);
	seq_printf(m, "protocol_errors: %llu\n", st.protocol_errors);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(xenpv_fb_stats);

/* ---- driver ----------------------------------------------------------- */

static int xenpv_fb_probe(struct xenpv_device *xdev,
			  const struct xenpv_device_id *id)
{
	struct xenpv_fb_priv *priv;
	struct xenpv_fb_info *info;

	priv = kzalloc(sizeof(*priv), GFP_KERNEL);
	if (!priv)
		return -ENOMEM;
	info = &priv->info;
	info->xdev = xdev;
	mutex_init(&info->lock);
	spin_lock_init(&info->out_lock);
	INIT_DELAYED_WORK(&info->flush_work, xenpv_fb_flush_work);
	INIT_DELAYED_WORK(&info->watchdog, xenpv_fb_watchdog);
	INIT_WORK(&info->fatal_work, xenpv_fb_fatal_work);
	snprintf(priv->irq_name, sizeof(priv->irq_name), "xenpv-fb-%s",
		 dev_name(xdev->dev));
	xenpv_set_drvdata(xdev, info);

	if (xenpv_fb_debugfs_root)
		info->debugfs = debugfs_create_file(dev_name(xdev->dev), 0444,
						    xenpv_fb_debugfs_root, info,
						    &xenpv_fb_stats_fops);
	schedule_delayed_work(&info->watchdog,
			      (unsigned long)xenpv_fb_connect_timeout * HZ);
	return 0;
}

/*
 * The backend maps our frames without grants, so they cannot be revoked:
 * before freeing them, ask the backend to close and wait a bounded time.
 * Returns true when the memory may be freed.
 */
static bool xenpv_fb_release_backend(struct xenpv_fb_info *info)
{
	struct xenpv_device *xdev = info->xdev;
	enum xenbus_state be;
	unsigned int waited;
	char *path;

	if (!info->page)
		return true;
	if (xdev->state != XenbusStateInitialised &&
	    xdev->state != XenbusStateConnected)
		return true;

	path = kasprintf(GFP_KERNEL, "%s/state", xdev->otherend);
	if (!path)
		return false;
	xenpv_switch_state(xdev, XenbusStateClosing);
	for (waited = 0; waited < XENPV_FB_CLOSE_WAIT_MS;
	     waited += XENPV_FB_CLOSE_POLL_MS) {
		be = xenpv_read_state(path);
		if (be == XenbusStateClosing || be == XenbusStateClosed ||
		    be == XenbusStateUnknown)
			break;
		msleep(XENPV_FB_CLOSE_POLL_MS);
	}
	kfree(path);
	xenpv_switch_state(xdev, XenbusStateClosed);
	return waited < XENPV_FB_CLOSE_WAIT_MS;
}

static void xenpv_fb_remove(struct xenpv_device *xdev)
{
	struct xenpv_fb_info *info = xenpv_get_drvdata(xdev);
	struct xenpv_fb_priv *priv = to_priv(info);
	bool release;

	cancel_delayed_work_sync(&info->watchdog);

	mutex_lock(&info->lock);
	priv->removing = true;
	xenpv_fb_kms_destroy(info);
	xenpv_fb_disconnect(info);
	mutex_unlock(&info->lock);
	/* Unlocked: the state changes it makes may call us back. */
	release = xenpv_fb_release_backend(info);

	cancel_work_sync(&info->fatal_work);
	debugfs_remove(info->debugfs);
	if (release)
		xenpv_fb_free(info);
	else
		dev_warn(xdev->dev,
			 "backend did not close; leaking %u KiB it may still map\n",
			 info->geom.mem_length >> 10);
	xenpv_set_drvdata(xdev, NULL);
	kfree(priv);
}

static int xenpv_fb_resume(struct xenpv_device *xdev)
{
	struct xenpv_fb_info *info = xenpv_get_drvdata(xdev);

	mutex_lock(&info->lock);
	xenpv_fb_disconnect(info);
	mutex_unlock(&info->lock);
	/* The backend's InitWait reconnects; connect() redraws everything. */
	return 0;
}

static const struct xenpv_device_id xenpv_fb_ids[] = {
	{ "vfb" },
	{ "" }
};

static struct xenpv_driver xenpv_fb_driver = {
	.name = "vfb",
	.ids = xenpv_fb_ids,
	.not_essential = true,
	.probe = xenpv_fb_probe,
	.otherend_changed = xenpv_fb_backend_changed,
	.remove = xenpv_fb_remove,
	.resume = xenpv_fb_resume,
};

static int __init xenpv_fb_check_params(void)
{
	if (xenpv_fb_videoram < 1 || xenpv_fb_videoram > 256) {
		pr_err("videoram=%u out of range (1..256 MiB)\n",
		       xenpv_fb_videoram);
		return -EINVAL;
	}
	if (!xenpv_fb_dims_valid(xenpv_fb_width, xenpv_fb_height)) {
		pr_err("width=%u height=%u out of range (320..8192 x 200..8192)\n",
		       xenpv_fb_width, xenpv_fb_height);
		return -EINVAL;
	}
	if ((u64)xenpv_fb_width * xenpv_fb_height * XENPV_FB_CPP >
	    (u64)xenpv_fb_videoram << 20) {
		pr_err("width=%u height=%u does not fit in videoram=%u MiB\n",
		       xenpv_fb_width, xenpv_fb_height, xenpv_fb_videoram);
		return -EINVAL;
	}
	if (xenpv_fb_connect_timeout < 1 || xenpv_fb_connect_timeout > 3600) {
		pr_err("connect_timeout=%u out of range (1..3600 s)\n",
		       xenpv_fb_connect_timeout);
		return -EINVAL;
	}
	return 0;
}

static int __init xenpv_fb_init(void)
{
	int err;

	err = xenpv_fb_check_params();
	if (err)
		return err;
	return xenpv_fbk_register(&xenpv_fb_driver, &xenpv_fb_debugfs_root);
}
module_init(xenpv_fb_init);

static void __exit xenpv_fb_exit(void)
{
	xenpv_fbk_unregister(&xenpv_fb_driver, xenpv_fb_debugfs_root);
}
module_exit(xenpv_fb_exit);

MODULE_DESCRIPTION("Xen paravirtual framebuffer frontend (DRM/KMS, xenpv)");
MODULE_LICENSE("GPL");
MODULE_AUTHOR("The xenpv authors");
MODULE_VERSION(XENPV_VERSION);
MODULE_ALIAS("xenpv:vfb");
