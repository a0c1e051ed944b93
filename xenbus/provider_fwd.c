// SPDX-License-Identifier: GPL-2.0
/*
 * The exported xenbus API: each call goes through xenpv_xb_ops, the native
 * table (our own client and bus) or the one xenpv_pvops registered (the
 * kernel's xenbus).  Formatting and parsing helpers are written once here
 * on top of the table, so both modes behave the same.
 *
 * Copyright (C) 2026 The xenpv authors
 *
 * xenpv_xb_ops is set before module init returns and never changes, and
 * frontends can only call in after that (they link against this module).
 */
#include <linux/export.h>
#include <linux/kernel.h>
#include <linux/sched.h>
#include <linux/slab.h>

#include "xenbus_internal.h"

/* ---- xenstore ----------------------------------------------------------- */

int xenpv_xs_transaction_start(struct xenpv_xs_tx *t)
{
	return xenpv_xb_ops->transaction_start(t);
}
EXPORT_SYMBOL_GPL(xenpv_xs_transaction_start);

int xenpv_xs_transaction_end(struct xenpv_xs_tx t, bool abort)
{
	return xenpv_xb_ops->transaction_end(t, abort);
}
EXPORT_SYMBOL_GPL(xenpv_xs_transaction_end);

int xenpv_xs_transact(int (*body)(struct xenpv_xs_tx t, void *arg,
				  const char **what),
		      void *arg, const char **what)
{
	unsigned int tries = 0;
	struct xenpv_xs_tx t;
	int err;

	do {
		*what = "starting a transaction";
		err = xenpv_xs_transaction_start(&t);
		if (err)
			return err;
		err = body(t, arg, what);
		if (err) {
			xenpv_xs_transaction_end(t, true);
			return err;
		}
		*what = "completing a transaction";
		err = xenpv_xs_transaction_end(t, false);
		if (err == -EAGAIN)
			cond_resched();
	} while (err == -EAGAIN && ++tries < XENPV_XS_TX_RETRIES);
	return err;
}
EXPORT_SYMBOL_GPL(xenpv_xs_transact);

void *xenpv_xs_read(struct xenpv_xs_tx t, const char *dir, const char *node,
		    unsigned int *len)
{
	return xenpv_xb_ops->read(t, dir, node, len);
}
EXPORT_SYMBOL_GPL(xenpv_xs_read);

int xenpv_xs_write(struct xenpv_xs_tx t, const char *dir, const char *node,
		   const char *string)
{
	return xenpv_xb_ops->write(t, dir, node, string);
}
EXPORT_SYMBOL_GPL(xenpv_xs_write);

int xenpv_xs_printf(struct xenpv_xs_tx t, const char *dir, const char *node,
		    const char *fmt, ...)
{
	va_list ap;
	char *buf;
	int err;

	va_start(ap, fmt);
	buf = kvasprintf(GFP_KERNEL, fmt, ap);
	va_end(ap);
	if (!buf)
		return -ENOMEM;
	err = xenpv_xb_ops->write(t, dir, node, buf);
	kfree(buf);
	return err;
}
EXPORT_SYMBOL_GPL(xenpv_xs_printf);

/* Returns the number of items converted, -ERANGE when none, or -errno. */
int xenpv_xs_scanf(struct xenpv_xs_tx t, const char *dir, const char *node,
		   const char *fmt, ...)
{
	va_list ap;
	char *val;
	int ret;

	val = xenpv_xb_ops->read(t, dir, node, NULL);
	if (IS_ERR(val))
		return PTR_ERR(val);
	va_start(ap, fmt);
	ret = vsscanf(val, fmt, ap);
	va_end(ap);
	kfree(val);
	return ret > 0 ? ret : -ERANGE;
}
EXPORT_SYMBOL_GPL(xenpv_xs_scanf);

int xenpv_xs_mkdir(struct xenpv_xs_tx t, const char *dir, const char *node)
{
	return xenpv_xb_ops->mkdir(t, dir, node);
}
EXPORT_SYMBOL_GPL(xenpv_xs_mkdir);

int xenpv_xs_rm(struct xenpv_xs_tx t, const char *dir, const char *node)
{
	return xenpv_xb_ops->rm(t, dir, node);
}
EXPORT_SYMBOL_GPL(xenpv_xs_rm);

char **xenpv_xs_directory(struct xenpv_xs_tx t, const char *dir,
			  const char *node, unsigned int *num)
{
	return xenpv_xb_ops->directory(t, dir, node, num);
}
EXPORT_SYMBOL_GPL(xenpv_xs_directory);

/* A node exists when it can be listed (a node may have an empty value). */
bool xenpv_xs_exists(struct xenpv_xs_tx t, const char *dir, const char *node)
{
	unsigned int num;
	char **d;

	d = xenpv_xb_ops->directory(t, dir, node, &num);
	if (IS_ERR(d))
		return false;
	kfree(d);
	return true;
}
EXPORT_SYMBOL_GPL(xenpv_xs_exists);

int xenpv_xs_read_u64(const char *dir, const char *node, u64 min, u64 max,
		      u64 *val)
{
	unsigned int len = 0;
	uint64_t v;
	char *buf;
	int err;

	buf = xenpv_xb_ops->read(XENPV_XS_NIL, dir, node, &len);
	if (IS_ERR(buf))
		return PTR_ERR(buf);
	err = xenpv_wire_parse_u64(buf, len, min, max, &v);
	kfree(buf);
	if (err)
		return err;
	*val = v;
	return 0;
}
EXPORT_SYMBOL_GPL(xenpv_xs_read_u64);

int xenpv_xs_read_uint(const char *dir, const char *node, unsigned int min,
		       unsigned int max, unsigned int *val)
{
	u64 v;
	int err;

	err = xenpv_xs_read_u64(dir, node, min, max, &v);
	if (!err)
		*val = (unsigned int)v;
	return err;
}
EXPORT_SYMBOL_GPL(xenpv_xs_read_uint);

unsigned int xenpv_xs_read_unsigned(const char *dir, const char *node,
				    unsigned int default_val)
{
	unsigned int v;
	int err;

	err = xenpv_xs_read_uint(dir, node, 0, UINT_MAX, &v);
	if (!err)
		return v;
	if (err != -ENOENT)
		pr_warn_ratelimited("%s/%s: unusable value (%d), using %u\n",
				    dir, node, err, default_val);
	return default_val;
}
EXPORT_SYMBOL_GPL(xenpv_xs_read_unsigned);

int xenpv_xs_watch_register(struct xenpv_watch *w)
{
	return xenpv_xb_ops->watch_register(w);
}
EXPORT_SYMBOL_GPL(xenpv_xs_watch_register);

void xenpv_xs_watch_unregister(struct xenpv_watch *w)
{
	xenpv_xb_ops->watch_unregister(w);
}
EXPORT_SYMBOL_GPL(xenpv_xs_watch_unregister);

/* ---- frontend bus ---------------------------------------------------------- */

int __xenpv_register_frontend(struct xenpv_driver *drv, struct module *owner,
			      const char *mod_name)
{
	return xenpv_xb_ops->register_frontend(drv, owner, mod_name);
}
EXPORT_SYMBOL_GPL(__xenpv_register_frontend);

void xenpv_unregister_frontend(struct xenpv_driver *drv)
{
	xenpv_xb_ops->unregister_frontend(drv);
}
EXPORT_SYMBOL_GPL(xenpv_unregister_frontend);

int xenpv_switch_state(struct xenpv_device *dev, enum xenbus_state state)
{
	return xenpv_xb_ops->switch_state(dev, state);
}
EXPORT_SYMBOL_GPL(xenpv_switch_state);

/* Reads <path>/state; Unknown when missing or malformed. */
enum xenbus_state xenpv_read_state(const char *path)
{
	unsigned int len = 0;
	enum xenbus_state state;
	char *buf;

	buf = xenpv_xb_ops->read(XENPV_XS_NIL, path, "state", &len);
	if (IS_ERR(buf))
		return XenbusStateUnknown;
	state = xenpv_wire_parse_state(buf, len);
	kfree(buf);
	return state;
}
EXPORT_SYMBOL_GPL(xenpv_read_state);

static __printf(4, 0)
void xenpv_report(struct xenpv_device *dev, int err, bool fatal,
		  const char *fmt, va_list ap)
{
	char *msg = kvasprintf(GFP_KERNEL, fmt, ap);
	const char *text = msg ? msg : "(no memory for the message)";

	if (fatal)
		xenpv_xb_ops->dev_fatal(dev, err, text);
	else
		xenpv_xb_ops->dev_error(dev, err, text);
	kfree(msg);
}

void xenpv_dev_error(struct xenpv_device *dev, int err, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	xenpv_report(dev, err, false, fmt, ap);
	va_end(ap);
}
EXPORT_SYMBOL_GPL(xenpv_dev_error);

void xenpv_dev_fatal(struct xenpv_device *dev, int err, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	xenpv_report(dev, err, true, fmt, ap);
	va_end(ap);
}
EXPORT_SYMBOL_GPL(xenpv_dev_fatal);

int xenpv_frontend_closed(struct xenpv_device *dev)
{
	return xenpv_xb_ops->frontend_closed(dev);
}
EXPORT_SYMBOL_GPL(xenpv_frontend_closed);

int xenpv_setup_ring(struct xenpv_device *dev, gfp_t gfp, void **vaddr,
		     unsigned int nr_pages, grant_ref_t *grefs)
{
	return xenpv_xb_ops->setup_ring(dev, gfp, vaddr, nr_pages, grefs);
}
EXPORT_SYMBOL_GPL(xenpv_setup_ring);

void xenpv_teardown_ring(void **vaddr, unsigned int nr_pages,
			 grant_ref_t *grefs)
{
	xenpv_xb_ops->teardown_ring(vaddr, nr_pages, grefs);
}
EXPORT_SYMBOL_GPL(xenpv_teardown_ring);

int xenpv_alloc_evtchn(struct xenpv_device *dev, evtchn_port_t *port)
{
	return xenpv_xb_ops->alloc_evtchn(dev, port);
}
EXPORT_SYMBOL_GPL(xenpv_alloc_evtchn);

void xenpv_free_evtchn(struct xenpv_device *dev, evtchn_port_t port)
{
	xenpv_xb_ops->free_evtchn(dev, port);
}
EXPORT_SYMBOL_GPL(xenpv_free_evtchn);
