/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Connection helpers shared by xenpv_fbfront and xenpv_kbdfront.
 *
 * Copyright (C) 2026 The xenpv authors
 *
 * Both frontends connect the same way: one shared page, one event channel
 * bound with late EOI, a few nodes written in one xenstore transaction,
 * then Initialised.  The helpers are static inline so that each module
 * compiles its own copy: one object linked into two modules would be built
 * with a single KBUILD_MODNAME and THIS_MODULE (wrong log prefix, debugfs
 * directory and driver owner in one of them), and kbuild warns about such
 * an object ("added to multiple modules") with W=1 from 6.10 on.
 */
#ifndef _XENPV_FBFRONT_COMMON_H
#define _XENPV_FBFRONT_COMMON_H

#include <linux/compiler.h>
#include <linux/debugfs.h>
#include <linux/device.h>
#include <linux/err.h>
#include <linux/interrupt.h>
#include <linux/types.h>
#include <xenpv/xenpv.h>
#include <xenpv/xenbus.h>

/* One node of our xenstore directory: the string @str, else @val. */
struct xenpv_fbk_node {
	const char *name;
	const char *str;
	unsigned long val;
};

/*
 * Allocate an event channel for the backend and bind it to @handler with
 * late EOI.  A failure is reported with xenpv_dev_fatal() and leaves no
 * channel allocated.
 */
static inline int xenpv_fbk_bind_evtchn(struct xenpv_device *xdev,
					irq_handler_t handler,
					const char *name, void *dev_id,
					evtchn_port_t *port, int *irq)
{
	int ret;

	ret = xenpv_alloc_evtchn(xdev, port);
	if (ret) {
		xenpv_dev_fatal(xdev, ret, "allocating an event channel");
		return ret;
	}
	ret = xenpv_evtchn_bind_irq(*port, handler, 0, name, dev_id,
				    XENPV_EVTCHN_LATEEOI);
	if (ret < 0) {
		xenpv_free_evtchn(xdev, *port);
		*port = 0;
		xenpv_dev_fatal(xdev, ret, "binding the event channel");
		return ret;
	}
	*irq = ret;
	return 0;
}

/* Undo xenpv_fbk_bind_evtchn(), if bound; unbinding closes the port. */
static inline void xenpv_fbk_unbind_evtchn(void *dev_id, evtchn_port_t *port,
					   int *irq)
{
	if (*irq <= 0)
		return;
	xenpv_evtchn_unbind_irq(*irq, dev_id);
	*irq = 0;
	*port = 0;
}

struct xenpv_fbk_nodes {
	struct xenpv_device *xdev;
	const struct xenpv_fbk_node *nodes;
	unsigned int nr_nodes;
};

static inline int xenpv_fbk_write_nodes(struct xenpv_xs_tx t, void *arg,
					const char **what)
{
	const struct xenpv_fbk_nodes *w = arg;
	const struct xenpv_fbk_node *node;
	unsigned int i;
	int err;

	for (i = 0; i < w->nr_nodes; i++) {
		node = &w->nodes[i];
		*what = node->name;
		if (node->str)
			err = xenpv_xs_write(t, w->xdev->nodename, node->name,
					     node->str);
		else
			err = xenpv_xs_printf(t, w->xdev->nodename, node->name,
					      "%lu", node->val);
		if (err)
			return err;
	}
	return 0;
}

/*
 * Write @nodes, in order, in one transaction, then switch to Initialised.
 * A failure is reported with xenpv_dev_fatal(); the caller drops what it
 * set up.
 */
static inline int xenpv_fbk_publish(struct xenpv_device *xdev,
				    const struct xenpv_fbk_node *nodes,
				    unsigned int nr_nodes)
{
	struct xenpv_fbk_nodes w = {
		.xdev = xdev, .nodes = nodes, .nr_nodes = nr_nodes,
	};
	const char *what;
	int err;

	err = xenpv_xs_transact(xenpv_fbk_write_nodes, &w, &what);
	if (err) {
		xenpv_dev_fatal(xdev, err, "publishing %s", what);
		return err;
	}
	err = xenpv_switch_state(xdev, XenbusStateInitialised);
	if (err)
		xenpv_dev_fatal(xdev, err, "switching to Initialised");
	return err;
}

/*
 * Backend InitWait, or Connected without it: true when our side is to be
 * set up and published.  A backend back after a close starts over.
 */
static inline bool xenpv_fbk_want_connect(struct xenpv_device *xdev)
{
	if (xdev->state == XenbusStateClosed)
		xenpv_switch_state(xdev, XenbusStateInitialising);
	return xdev->state == XenbusStateInitialising;
}

/*
 * The connect_timeout watchdog: report a backend that did not connect
 * within @timeout seconds.  Returns true when it reported.
 */
static inline bool xenpv_fbk_report_unconnected(struct xenpv_device *xdev,
						unsigned int timeout)
{
	enum xenbus_state state = READ_ONCE(xdev->state);

	if (state == XenbusStateConnected)
		return false;
	dev_info(xdev->dev,
		 "%s: backend not connected after %u s (frontend state %d); not needed for boot, still waiting\n",
		 xdev->nodename, timeout, state);
	return true;
}

/*
 * Module init: the module's debugfs directory (*@root stays NULL without
 * debugfs), then the frontend driver.  -ENODEV when not running on Xen.
 */
static inline int xenpv_fbk_register(struct xenpv_driver *drv,
				     struct dentry **root)
{
	int err;

	if (xenpv_mode() == XENPV_MODE_NONE)
		return -ENODEV;

	*root = debugfs_create_dir(KBUILD_MODNAME, NULL);
	if (IS_ERR(*root))
		*root = NULL;
	err = xenpv_register_frontend(drv);
	if (err)
		debugfs_remove(*root);
	return err;
}

/* Module exit: undo xenpv_fbk_register(). */
static inline void xenpv_fbk_unregister(struct xenpv_driver *drv,
					struct dentry *root)
{
	xenpv_unregister_frontend(drv);
	debugfs_remove(root);
}

#endif /* _XENPV_FBFRONT_COMMON_H */
