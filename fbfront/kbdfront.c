// SPDX-License-Identifier: GPL-2.0
/*
 * xenpv_kbdfront: Xen paravirtual keyboard, pointer and touch frontend (vkbd).
 *
 * Copyright (C) 2026 The xenpv authors
 *
 * One shared page (granted; its frame is also written as the obsolete
 * page-ref for old backends) carries the kbdif rings: 40-byte events, the
 * in ring at offset 1024 (51 slots), the out ring unused.  Each in-event
 * is copied off the ring once, decoded, validated by xenpv_kbd_translate()
 * (kbd_logic.c) and reported to up to three input devices: keyboard,
 * pointer (relative or absolute) and multi-touch.
 *
 * Lifecycle (every backend state handled in xenpv_kbd_backend_changed()):
 *   probe       allocate the private structure only; arm the watchdog
 *   InitWait    talk_to_backend: read features, create or adapt the input
 *               devices, grant the page, event channel, one transaction
 *               -> Initialised
 *   Connected   -> Connected
 *   Closing     release the transport, -> Closed
 *   resume      release the transport (keys and contacts are released);
 *               the backend's InitWait reconnects with a fresh zeroed page
 */
#include <linux/bitops.h>
#include <linux/debugfs.h>
#include <linux/input.h>
#include <linux/input/mt.h>
#include <linux/interrupt.h>
#include <linux/kernel.h>
#include <linux/module.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <xen/interface/io/kbdif.h>
#include <xenpv/xenpv.h>
#include <xenpv/xenbus.h>

#include "common.h"
#include "evring.h"
#include "kbd_logic.h"

#define XENPV_KBD_VENDOR		0x5853
#define XENPV_KBD_PRODUCT_KBD		0xffff
#define XENPV_KBD_PRODUCT_PTR		0xfffe
#define XENPV_KBD_PRODUCT_MTOUCH	0xfffd

/* Bits of xenpv_kbd_info.flags. */
#define XENPV_KBD_BROKEN	0

static unsigned int xenpv_kbd_ptr_size[2] = { 800, 600 };
module_param_array_named(ptr_size, xenpv_kbd_ptr_size, uint, NULL, 0444);
MODULE_PARM_DESC(ptr_size,
		 "Absolute pointer area width,height when the backend gives none (1..65535 each, default 800,600)");

static bool xenpv_kbd_raw_pointer;
module_param_named(raw_pointer, xenpv_kbd_raw_pointer, bool, 0444);
MODULE_PARM_DESC(raw_pointer,
		 "Request raw absolute coordinates 0..0x7fff when the backend offers them (default off)");

static unsigned int xenpv_kbd_connect_timeout = 30;
module_param_named(connect_timeout, xenpv_kbd_connect_timeout, uint, 0444);
MODULE_PARM_DESC(connect_timeout,
		 "Seconds after which a backend that never connected is reported (1..3600, default 30; boot never waits)");

static struct dentry *xenpv_kbd_debugfs_root;

struct xenpv_kbd_stats {
	u64 events;		/* in-events consumed */
	u64 delivered;
	u64 unknown;		/* unknown type or multi-touch sub-type */
	u64 ignored;		/* for a device we do not expose */
	u64 invalid;		/* out-of-range keycode, contact, value */
	u64 clamped;		/* coordinates clamped into range */
	u64 protocol_errors;
};

struct xenpv_kbd_info {
	struct xenpv_device *xdev;
	struct mutex lock;		/* xenbus callbacks, resume, remove */
	bool removing;

	struct input_dev *kbd;
	struct input_dev *ptr;
	struct input_dev *mtouch;
	/* Read by the irq handler; changed only while no irq is bound. */
	struct xenpv_kbd_config cfg;
	struct xenpv_kbd_mt_state mt;

	struct xenkbd_page *page;	/* granted, NULL when disconnected */
	grant_ref_t gref;
	evtchn_port_t port;
	int irq;			/* > 0 while bound */
	u32 in_cons;			/* private consumer index */
	unsigned long flags;		/* XENPV_KBD_BROKEN */

	struct xenpv_kbd_stats stats;
	struct delayed_work watchdog;
	struct work_struct fatal_work;
	struct dentry *debugfs;
	char phys[96];
	char uniq[64];
	char irq_name[40];
};

/* ---- events ----------------------------------------------------------- */

static void xenpv_kbd_protocol_error(struct xenpv_kbd_info *info,
				     const char *what)
{
	if (test_and_set_bit(XENPV_KBD_BROKEN, &info->flags))
		return;
	dev_err_ratelimited(info->xdev->dev,
			    "backend broke the kbdif protocol (%s); device stopped\n",
			    what);
	info->stats.protocol_errors++;
	schedule_work(&info->fatal_work);
}

static void xenpv_kbd_fatal_work(struct work_struct *work)
{
	struct xenpv_kbd_info *info =
		container_of(work, struct xenpv_kbd_info, fatal_work);

	xenpv_dev_fatal(info->xdev, -EPROTO, "kbdif protocol violation");
}

/* The only place that knows the layout of a kbdif in-event. */
static void xenpv_kbd_decode(const union xenkbd_in_event *e,
			     struct xenpv_kbd_event *ev)
{
	memset(ev, 0, sizeof(*ev));
	switch (e->type) {
	case XENKBD_TYPE_MOTION:
		ev->kind = XENPV_KBD_EV_MOTION;
		ev->x = e->motion.rel_x;
		ev->y = e->motion.rel_y;
		ev->z = e->motion.rel_z;
		break;
	case XENKBD_TYPE_KEY:
		ev->kind = XENPV_KBD_EV_KEY;
		ev->pressed = e->key.pressed;
		ev->keycode = e->key.keycode;
		break;
	case XENKBD_TYPE_POS:
		ev->kind = XENPV_KBD_EV_POS;
		ev->x = e->pos.abs_x;
		ev->y = e->pos.abs_y;
		ev->z = e->pos.rel_z;
		break;
	case XENKBD_TYPE_MTOUCH:
		ev->contact = e->mtouch.contact_id;
		switch (e->mtouch.event_type) {
		case XENKBD_MT_EV_DOWN:
			ev->kind = XENPV_KBD_EV_MT_DOWN;
			ev->x = e->mtouch.u.pos.abs_x;
			ev->y = e->mtouch.u.pos.abs_y;
			break;
		case XENKBD_MT_EV_MOTION:
			ev->kind = XENPV_KBD_EV_MT_MOTION;
			ev->x = e->mtouch.u.pos.abs_x;
			ev->y = e->mtouch.u.pos.abs_y;
			break;
		case XENKBD_MT_EV_UP:
			ev->kind = XENPV_KBD_EV_MT_UP;
			break;
		case XENKBD_MT_EV_SYN:
			ev->kind = XENPV_KBD_EV_MT_SYN;
			break;
		case XENKBD_MT_EV_SHAPE:
			ev->kind = XENPV_KBD_EV_MT_SHAPE;
			ev->major = e->mtouch.u.shape.major;
			ev->minor = e->mtouch.u.shape.minor;
			break;
		case XENKBD_MT_EV_ORIENT:
			ev->kind = XENPV_KBD_EV_MT_ORIENT;
			ev->orientation = e->mtouch.u.orientation;
			break;
		default:
			ev->kind = XENPV_KBD_EV_MT_UNKNOWN;
			break;
		}
		break;
	default:
		ev->kind = XENPV_KBD_EV_UNKNOWN;
		break;
	}
}

static struct input_dev *xenpv_kbd_target(struct xenpv_kbd_info *info,
					  enum xenpv_kbd_target target)
{
	switch (target) {
	case XENPV_KBD_TO_KEYBOARD:
		return info->kbd;
	case XENPV_KBD_TO_POINTER:
		return info->ptr;
	case XENPV_KBD_TO_MTOUCH:
		return info->mtouch;
	}
	return NULL;
}

static void xenpv_kbd_report(struct xenpv_kbd_info *info,
			     const struct xenpv_kbd_action *act)
{
	struct input_dev *dev = xenpv_kbd_target(info, act->target);

	if (WARN_ON_ONCE(!dev))
		return;
	switch (act->op) {
	case XENPV_KBD_OP_KEY:
		input_report_key(dev, act->code, act->value);
		input_sync(dev);
		break;
	case XENPV_KBD_OP_REL:
		if (act->rel_xy) {
			input_report_rel(dev, REL_X, act->x);
			input_report_rel(dev, REL_Y, act->y);
		}
		if (act->wheel)
			input_report_rel(dev, REL_WHEEL, act->wheel);
		input_sync(dev);
		break;
	case XENPV_KBD_OP_ABS:
		input_report_abs(dev, ABS_X, act->x);
		input_report_abs(dev, ABS_Y, act->y);
		if (act->wheel)
			input_report_rel(dev, REL_WHEEL, act->wheel);
		input_sync(dev);
		break;
	case XENPV_KBD_OP_MT_DOWN:
		input_mt_slot(dev, act->slot);
		input_mt_report_slot_state(dev, MT_TOOL_FINGER, true);
		input_report_abs(dev, ABS_MT_POSITION_X, act->x);
		input_report_abs(dev, ABS_MT_POSITION_Y, act->y);
		break;
	case XENPV_KBD_OP_MT_MOTION:
		input_mt_slot(dev, act->slot);
		input_report_abs(dev, ABS_MT_POSITION_X, act->x);
		input_report_abs(dev, ABS_MT_POSITION_Y, act->y);
		break;
	case XENPV_KBD_OP_MT_UP:
		input_mt_slot(dev, act->slot);
		input_mt_report_slot_state(dev, MT_TOOL_FINGER, false);
		break;
	case XENPV_KBD_OP_MT_SHAPE:
		input_mt_slot(dev, act->slot);
		input_report_abs(dev, ABS_MT_TOUCH_MAJOR, act->major);
		input_report_abs(dev, ABS_MT_TOUCH_MINOR, act->minor);
		break;
	case XENPV_KBD_OP_MT_ORIENT:
		input_mt_slot(dev, act->slot);
		input_report_abs(dev, ABS_MT_ORIENTATION, act->orientation);
		break;
	case XENPV_KBD_OP_MT_SYN:
		input_mt_sync_frame(dev);
		input_sync(dev);
		break;
	}
}

static void xenpv_kbd_handle(struct xenpv_kbd_info *info,
			     const union xenkbd_in_event *e)
{
	struct xenpv_kbd_action act;
	struct xenpv_kbd_event ev;

	xenpv_kbd_decode(e, &ev);
	switch (xenpv_kbd_translate(&info->cfg, &info->mt, &ev, &act)) {
	case XENPV_KBD_DELIVER:
		if (act.clamped)
			info->stats.clamped++;
		info->stats.delivered++;
		xenpv_kbd_report(info, &act);
		break;
	case XENPV_KBD_IGNORED:
		if (ev.kind == XENPV_KBD_EV_UNKNOWN ||
		    ev.kind == XENPV_KBD_EV_MT_UNKNOWN)
			info->stats.unknown++;
		else
			info->stats.ignored++;
		break;
	case XENPV_KBD_INVALID:
		info->stats.invalid++;
		dev_dbg_ratelimited(info->xdev->dev,
				    "dropped invalid event (type %u)\n",
				    e->type);
		break;
	}
}

/* Event channel handler (hard irq): consume the in ring. */
static irqreturn_t xenpv_kbd_event(int irq, void *dev_id)
{
	struct xenpv_kbd_info *info = dev_id;
	struct xenkbd_page *page = info->page;
	union xenkbd_in_event e;
	u32 prod, cons;

	/* Broken: no EOI, the channel stays masked. */
	if (test_bit(XENPV_KBD_BROKEN, &info->flags))
		return IRQ_HANDLED;

	prod = READ_ONCE(page->in_prod);
	virt_rmb();
	cons = info->in_cons;
	if (!xenpv_evring_sane(prod, cons, XENKBD_IN_RING_LEN)) {
		xenpv_kbd_protocol_error(info, "in_prod out of range");
		return IRQ_HANDLED;
	}
	if (prod == cons) {
		xenpv_evtchn_lateeoi(irq, XENPV_EOI_SPURIOUS);
		return IRQ_HANDLED;
	}
	for (; cons != prod; cons++) {
		/* One copy; the compiler may not re-read the shared slot. */
		memcpy(&e, &XENKBD_IN_RING_REF(page, cons), sizeof(e));
		barrier();
		info->stats.events++;
		xenpv_kbd_handle(info, &e);
	}
	info->in_cons = prod;
	/* Done with the slots before handing them back. */
	virt_mb();
	WRITE_ONCE(page->in_cons, prod);
	xenpv_evtchn_notify(info->port);
	xenpv_evtchn_lateeoi(irq, 0);
	return IRQ_HANDLED;
}

/* ---- input devices ----------------------------------------------------- */

static struct input_dev *xenpv_kbd_new_input(struct xenpv_kbd_info *info,
					     const char *name, u16 product)
{
	struct input_dev *dev = input_allocate_device();

	if (!dev)
		return NULL;
	dev->name = name;
	dev->phys = info->phys;
	dev->uniq = info->uniq[0] ? info->uniq : NULL;
	dev->id.bustype = BUS_PCI;
	dev->id.vendor = XENPV_KBD_VENDOR;
	dev->id.product = product;
	dev->id.version = 1;
	dev->dev.parent = info->xdev->dev;
	return dev;
}

static int xenpv_kbd_register(struct input_dev **slot, struct input_dev *dev)
{
	int err = input_register_device(dev);

	if (err) {
		input_free_device(dev);
		return err;
	}
	*slot = dev;
	return 0;
}

static void xenpv_kbd_unregister_all(struct xenpv_kbd_info *info)
{
	if (info->kbd)
		input_unregister_device(info->kbd);
	if (info->ptr)
		input_unregister_device(info->ptr);
	if (info->mtouch)
		input_unregister_device(info->mtouch);
	info->kbd = NULL;
	info->ptr = NULL;
	info->mtouch = NULL;
}

static int xenpv_kbd_create_inputs(struct xenpv_kbd_info *info,
				   const struct xenpv_kbd_config *cfg)
{
	struct input_dev *dev;
	unsigned int code;
	int err;

	if (cfg->keyboard) {
		dev = xenpv_kbd_new_input(info, "Xen Virtual Keyboard",
					  XENPV_KBD_PRODUCT_KBD);
		if (!dev)
			return -ENOMEM;
		__set_bit(EV_KEY, dev->evbit);
		for (code = 0; code <= KEY_MAX; code++)
			if (xenpv_kbd_key_class(code) == XENPV_KBD_KEY_KEYBOARD)
				__set_bit(code, dev->keybit);
		err = xenpv_kbd_register(&info->kbd, dev);
		if (err)
			return err;
	}

	if (cfg->pointer) {
		dev = xenpv_kbd_new_input(info, "Xen Virtual Pointer",
					  XENPV_KBD_PRODUCT_PTR);
		if (!dev)
			return -ENOMEM;
		__set_bit(EV_KEY, dev->evbit);
		for (code = BTN_LEFT; code <= BTN_TASK; code++)
			__set_bit(code, dev->keybit);
		input_set_capability(dev, EV_REL, REL_WHEEL);
		if (cfg->abs) {
			input_set_abs_params(dev, ABS_X, 0, cfg->abs_max_x, 0, 0);
			input_set_abs_params(dev, ABS_Y, 0, cfg->abs_max_y, 0, 0);
		} else {
			input_set_capability(dev, EV_REL, REL_X);
			input_set_capability(dev, EV_REL, REL_Y);
		}
		err = xenpv_kbd_register(&info->ptr, dev);
		if (err)
			return err;
	}

	if (cfg->mtouch) {
		dev = xenpv_kbd_new_input(info, "Xen Virtual Multi-touch",
					  XENPV_KBD_PRODUCT_MTOUCH);
		if (!dev)
			return -ENOMEM;
		input_set_abs_params(dev, ABS_MT_POSITION_X, 0, cfg->mt_max_x,
				     0, 0);
		input_set_abs_params(dev, ABS_MT_POSITION_Y, 0, cfg->mt_max_y,
				     0, 0);
		input_set_abs_params(dev, ABS_MT_TOUCH_MAJOR, 0,
				     XENPV_KBD_MAX_DIM, 0, 0);
		input_set_abs_params(dev, ABS_MT_TOUCH_MINOR, 0,
				     XENPV_KBD_MAX_DIM, 0, 0);
		input_set_abs_params(dev, ABS_MT_ORIENTATION, -180, 180, 0, 0);
		err = input_mt_init_slots(dev, cfg->mt_contacts, INPUT_MT_DIRECT);
		if (err) {
			input_free_device(dev);
			return err;
		}
		err = xenpv_kbd_register(&info->mtouch, dev);
		if (err)
			return err;
	}
	return 0;
}

/* Lift every key and contact (the backend changed, state is unknown). */
static void xenpv_kbd_release_all(struct xenpv_kbd_info *info)
{
	struct input_dev *devs[] = { info->kbd, info->ptr };
	unsigned int i, code;

	for (i = 0; i < ARRAY_SIZE(devs); i++) {
		if (!devs[i])
			continue;
		for_each_set_bit(code, devs[i]->key, KEY_CNT)
			input_report_key(devs[i], code, 0);
		input_sync(devs[i]);
	}
	if (info->mtouch && info->mt.active) {
		for (i = 0; i < info->cfg.mt_contacts; i++) {
			if (!(info->mt.active & ((u64)1 << i)))
				continue;
			input_mt_slot(info->mtouch, i);
			input_mt_report_slot_state(info->mtouch, MT_TOOL_FINGER,
						   false);
		}
		input_mt_sync_frame(info->mtouch);
		input_sync(info->mtouch);
	}
	info->mt.active = 0;
}

/* ---- connection ------------------------------------------------------- */

/* What the backend offers, combined with our parameters. */
static int xenpv_kbd_read_config(struct xenpv_kbd_info *info,
				 struct xenpv_kbd_config *cfg, bool *raw)
{
	struct xenpv_device *xdev = info->xdev;
	const char *be = xdev->otherend;
	unsigned int w = 0, h = 0, n;
	char *id;
	unsigned int len;

	memset(cfg, 0, sizeof(*cfg));
	cfg->keyboard = !xenpv_xs_read_unsigned(be, XENKBD_FIELD_FEAT_DSBL_KEYBRD, 0);
	cfg->pointer = !xenpv_xs_read_unsigned(be, XENKBD_FIELD_FEAT_DSBL_POINTER, 0);
	cfg->abs = cfg->pointer &&
		   xenpv_xs_read_unsigned(be, XENKBD_FIELD_FEAT_ABS_POINTER, 0);
	*raw = cfg->abs && xenpv_kbd_raw_pointer &&
	       xenpv_xs_read_unsigned(be, XENKBD_FIELD_FEAT_RAW_POINTER, 0);

	if (xenpv_xs_read_uint(be, XENKBD_FIELD_WIDTH, 1, XENPV_KBD_MAX_DIM, &w))
		w = 0;
	if (xenpv_xs_read_uint(be, XENKBD_FIELD_HEIGHT, 1, XENPV_KBD_MAX_DIM, &h))
		h = 0;
	if (*raw) {
		cfg->abs_max_x = XENPV_KBD_RAW_MAX;
		cfg->abs_max_y = XENPV_KBD_RAW_MAX;
	} else {
		cfg->abs_max_x = xenpv_kbd_axis_max(w, xenpv_kbd_ptr_size[0]);
		cfg->abs_max_y = xenpv_kbd_axis_max(h, xenpv_kbd_ptr_size[1]);
	}

	if (xenpv_xs_read_unsigned(be, XENKBD_FIELD_FEAT_MTOUCH, 0)) {
		unsigned int mw, mh;

		if (!xenpv_xs_read_uint(be, XENKBD_FIELD_MT_NUM_CONTACTS, 1,
					XENPV_KBD_MAX_CONTACTS, &n) &&
		    !xenpv_xs_read_uint(be, XENKBD_FIELD_MT_WIDTH, 1,
					XENPV_KBD_MAX_DIM, &mw) &&
		    !xenpv_xs_read_uint(be, XENKBD_FIELD_MT_HEIGHT, 1,
					XENPV_KBD_MAX_DIM, &mh)) {
			cfg->mtouch = true;
			cfg->mt_contacts = n;
			cfg->mt_max_x = mw - 1;
			cfg->mt_max_y = mh - 1;
		} else {
			dev_warn(xdev->dev,
				 "backend multi-touch parameters missing or out of range; no touch device\n");
		}
	}

	id = xenpv_xs_read(XENPV_XS_NIL, be, XENKBD_FIELD_UNIQUE_ID, &len);
	if (IS_ERR(id)) {
		info->uniq[0] = '\0';
	} else {
		xenpv_kbd_sanitize_id(info->uniq, sizeof(info->uniq), id, len);
		kfree(id);
	}

	if (!cfg->keyboard && !cfg->pointer && !cfg->mtouch)
		return -ENXIO;
	return 0;
}

/* Drop the transport; the input devices stay. */
static void xenpv_kbd_disconnect(struct xenpv_kbd_info *info)
{
	xenpv_fbk_unbind_evtchn(info, &info->port, &info->irq);
	if (info->page) {
		void *vaddr = info->page;

		xenpv_teardown_ring(&vaddr, 1, &info->gref);
		info->page = NULL;
	}
	xenpv_kbd_release_all(info);
}

/* Our nodes for the backend, in one transaction; then Initialised. */
static int xenpv_kbd_publish(struct xenpv_kbd_info *info,
			     const struct xenpv_kbd_config *cfg, bool raw)
{
	const struct xenpv_fbk_node nodes[] = {
		{ .name = XENKBD_FIELD_RING_GREF, .val = info->gref },
		/* Obsolete, but old backends map the page by frame. */
		{ .name = XENKBD_FIELD_RING_REF,
		  .val = xenpv_virt_to_gfn(info->page) },
		{ .name = XENKBD_FIELD_EVT_CHANNEL, .val = info->port },
		{ .name = XENKBD_FIELD_REQ_ABS_POINTER,
		  .str = cfg->abs ? "1" : "0" },
		{ .name = XENKBD_FIELD_REQ_RAW_POINTER, .str = raw ? "1" : "0" },
		{ .name = XENKBD_FIELD_REQ_MTOUCH,
		  .str = cfg->mtouch ? "1" : "0" },
	};

	return xenpv_fbk_publish(info->xdev, nodes, ARRAY_SIZE(nodes));
}

static int xenpv_kbd_talk_to_backend(struct xenpv_kbd_info *info)
{
	struct xenpv_device *xdev = info->xdev;
	struct xenpv_kbd_config cfg;
	void *vaddr = NULL;
	bool raw;
	int err;

	err = xenpv_kbd_read_config(info, &cfg, &raw);
	if (err) {
		xenpv_dev_fatal(xdev, err, "backend disabled every input device");
		return err;
	}
	/* Devices are kept across reconnects unless the features changed. */
	if (memcmp(&cfg, &info->cfg, sizeof(cfg)) ||
	    (!info->kbd && !info->ptr && !info->mtouch)) {
		xenpv_kbd_unregister_all(info);
		info->mt.active = 0;
		info->cfg = cfg;
		err = xenpv_kbd_create_inputs(info, &cfg);
		if (err) {
			xenpv_kbd_unregister_all(info);
			xenpv_dev_fatal(xdev, err, "creating input devices");
			return err;
		}
	}

	err = xenpv_setup_ring(xdev, GFP_KERNEL, &vaddr, 1, &info->gref);
	if (err) {
		xenpv_dev_fatal(xdev, err, "granting the shared page");
		return err;
	}
	info->page = vaddr;
	info->in_cons = 0;
	clear_bit(XENPV_KBD_BROKEN, &info->flags);

	err = xenpv_fbk_bind_evtchn(xdev, xenpv_kbd_event, info->irq_name, info,
				    &info->port, &info->irq);
	if (!err)
		err = xenpv_kbd_publish(info, &cfg, raw);
	if (err)
		xenpv_kbd_disconnect(info);
	return err;
}

static void xenpv_kbd_start(struct xenpv_kbd_info *info)
{
	if (xenpv_fbk_want_connect(info->xdev))
		xenpv_kbd_talk_to_backend(info);
}

static void xenpv_kbd_backend_changed(struct xenpv_device *xdev,
				      enum xenbus_state backend_state)
{
	struct xenpv_kbd_info *info = xenpv_get_drvdata(xdev);
	int err;

	mutex_lock(&info->lock);
	if (info->removing)
		goto out_unlock;

	switch (backend_state) {
	case XenbusStateUnknown:
	case XenbusStateInitialising:
	case XenbusStateInitialised:
	case XenbusStateReconfiguring:
	case XenbusStateReconfigured:
		break;
	case XenbusStateInitWait:
		xenpv_kbd_start(info);
		break;
	case XenbusStateConnected:
		/* The backend may skip InitWait; Connected may come twice. */
		xenpv_kbd_start(info);
		if (xdev->state != XenbusStateInitialised)
			break;
		err = xenpv_switch_state(xdev, XenbusStateConnected);
		if (err)
			xenpv_dev_fatal(xdev, err, "switching to Connected");
		else
			dev_info(xdev->dev, "connected:%s%s%s%s\n",
				 info->kbd ? " keyboard" : "",
				 info->ptr ? (info->cfg.abs ? " abs-pointer" :
							      " pointer") : "",
				 info->mtouch ? " multi-touch" : "",
				 info->uniq[0] ? "" : " (no unique-id)");
		break;
	case XenbusStateClosed:
		if (xdev->state == XenbusStateClosed)
			break;
		fallthrough;	/* missed the backend's Closing */
	case XenbusStateClosing:
		xenpv_kbd_disconnect(info);
		xenpv_frontend_closed(xdev);
		break;
	}
out_unlock:
	mutex_unlock(&info->lock);
}

static void xenpv_kbd_watchdog(struct work_struct *work)
{
	struct xenpv_kbd_info *info =
		container_of(to_delayed_work(work), struct xenpv_kbd_info,
			     watchdog);

	xenpv_fbk_report_unconnected(info->xdev, xenpv_kbd_connect_timeout);
}

/* ---- debugfs ---------------------------------------------------------- */

static int xenpv_kbd_stats_show(struct seq_file *m, void *v)
{
	struct xenpv_kbd_info *info = m->private;
	struct xenpv_kbd_stats st = info->stats;

	seq_printf(m, "broken: %d\n",
		   test_bit(XENPV_KBD_BROKEN, &info->flags));
	seq_printf(m, "keyboard: %d\npointer: %d\nabs: %d\nmtouch: %d\n",
		   !!info->kbd, !!info->ptr, info->cfg.abs, !!info->mtouch);
	seq_printf(m, "events: %llu\ndelivered: %llu\nunknown: %llu\n",
		   st.events, st.delivered, st.unknown);
	seq_printf(m, "ignored: %llu\ninvalid: %llu\nclamped: %llu\n",
		   st.ignored, st.invalid, st.clamped);
	seq_printf(m, "protocol_errors: %llu\n", st.protocol_errors);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(xenpv_kbd_stats);

/* ---- driver ----------------------------------------------------------- */

static int xenpv_kbd_probe(struct xenpv_device *xdev,
			   const struct xenpv_device_id *id)
{
	struct xenpv_kbd_info *info;

	info = kzalloc(sizeof(*info), GFP_KERNEL);
	if (!info)
		return -ENOMEM;
	info->xdev = xdev;
	mutex_init(&info->lock);
	INIT_DELAYED_WORK(&info->watchdog, xenpv_kbd_watchdog);
	INIT_WORK(&info->fatal_work, xenpv_kbd_fatal_work);
	snprintf(info->phys, sizeof(info->phys), "xenbus/%s", xdev->nodename);
	snprintf(info->irq_name, sizeof(info->irq_name), "xenpv-kbd-%s",
		 dev_name(xdev->dev));
	xenpv_set_drvdata(xdev, info);

	if (xenpv_kbd_debugfs_root)
		info->debugfs = debugfs_create_file(dev_name(xdev->dev), 0444,
						    xenpv_kbd_debugfs_root, info,
						    &xenpv_kbd_stats_fops);
	schedule_delayed_work(&info->watchdog,
			      (unsigned long)xenpv_kbd_connect_timeout * HZ);
	return 0;
}

static void xenpv_kbd_remove(struct xenpv_device *xdev)
{
	struct xenpv_kbd_info *info = xenpv_get_drvdata(xdev);

	cancel_delayed_work_sync(&info->watchdog);

	mutex_lock(&info->lock);
	info->removing = true;
	xenpv_kbd_disconnect(info);
	xenpv_kbd_unregister_all(info);
	mutex_unlock(&info->lock);

	cancel_work_sync(&info->fatal_work);
	debugfs_remove(info->debugfs);
	xenpv_set_drvdata(xdev, NULL);
	kfree(info);
}

static int xenpv_kbd_resume(struct xenpv_device *xdev)
{
	struct xenpv_kbd_info *info = xenpv_get_drvdata(xdev);

	mutex_lock(&info->lock);
	xenpv_kbd_disconnect(info);
	mutex_unlock(&info->lock);
	/* The backend's InitWait reconnects with a fresh, zeroed page. */
	return 0;
}

static const struct xenpv_device_id xenpv_kbd_ids[] = {
	{ XENKBD_DRIVER_NAME },
	{ "" }
};

static struct xenpv_driver xenpv_kbd_driver = {
	.name = XENKBD_DRIVER_NAME,
	.ids = xenpv_kbd_ids,
	.not_essential = true,
	.probe = xenpv_kbd_probe,
	.otherend_changed = xenpv_kbd_backend_changed,
	.remove = xenpv_kbd_remove,
	.resume = xenpv_kbd_resume,
};

static int __init xenpv_kbd_init(void)
{
	if (!xenpv_kbd_ptr_size[0] || xenpv_kbd_ptr_size[0] > XENPV_KBD_MAX_DIM ||
	    !xenpv_kbd_ptr_size[1] || xenpv_kbd_ptr_size[1] > XENPV_KBD_MAX_DIM) {
		pr_err("ptr_size=%u,%u out of range (1..65535 each)\n",
		       xenpv_kbd_ptr_size[0], xenpv_kbd_ptr_size[1]);
		return -EINVAL;
	}
	if (xenpv_kbd_connect_timeout < 1 || xenpv_kbd_connect_timeout > 3600) {
		pr_err("connect_timeout=%u out of range (1..3600 s)\n",
		       xenpv_kbd_connect_timeout);
		return -EINVAL;
	}
	return xenpv_fbk_register(&xenpv_kbd_driver, &xenpv_kbd_debugfs_root);
}
module_init(xenpv_kbd_init);

static void __exit xenpv_kbd_exit(void)
{
	xenpv_fbk_unregister(&xenpv_kbd_driver, xenpv_kbd_debugfs_root);
}
module_exit(xenpv_kbd_exit);

MODULE_DESCRIPTION("Xen paravirtual keyboard, pointer and touch frontend (xenpv)");
MODULE_LICENSE("GPL");
MODULE_AUTHOR("The xenpv authors");
MODULE_VERSION(XENPV_VERSION);
MODULE_ALIAS("xenpv:vkbd");
