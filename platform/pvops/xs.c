// SPDX-License-Identifier: GPL-2.0
/*
 * xenpv_pvops xenstore access and watches: the kernel's xenbus client.
 *
 * Copyright (C) 2026 The xenpv authors
 *
 * Reads, writes and transactions map one to one (both APIs return
 * kmalloc()ed, NUL-terminated data and ERR_PTR()s).  A xenpv watch is
 * wrapped in a struct xenbus_watch whose callbacks forward to it; the
 * wrapper hangs off xenpv_watch.provider_priv while registered.
 */

#include <linux/errno.h>
#include <linux/module.h>
#include <linux/slab.h>

#include "pvops.h"

struct xenpv_pvops_watch {
	struct xenbus_watch kw;
	struct xenpv_watch *w;
};

static struct xenbus_transaction xenpv_pvops_tx(struct xenpv_xs_tx t)
{
	return (struct xenbus_transaction) { .id = t.id };
}

int xenpv_pvops_xs_transaction_start(struct xenpv_xs_tx *t)
{
	struct xenbus_transaction kt;
	int err;

	err = xenbus_transaction_start(&kt);
	if (err)
		return err;

	t->id = kt.id;
	return 0;
}

int xenpv_pvops_xs_transaction_end(struct xenpv_xs_tx t, bool abort)
{
	return xenbus_transaction_end(xenpv_pvops_tx(t), abort);
}

void *xenpv_pvops_xs_read(struct xenpv_xs_tx t, const char *dir,
			  const char *node, unsigned int *len)
{
	return xenbus_read(xenpv_pvops_tx(t), dir, node, len);
}

int xenpv_pvops_xs_write(struct xenpv_xs_tx t, const char *dir,
			 const char *node, const char *string)
{
	return xenbus_write(xenpv_pvops_tx(t), dir, node, string);
}

int xenpv_pvops_xs_mkdir(struct xenpv_xs_tx t, const char *dir,
			 const char *node)
{
	return xenpv_pvops_xenbus_mkdir(xenpv_pvops_tx(t), dir, node);
}

int xenpv_pvops_xs_rm(struct xenpv_xs_tx t, const char *dir, const char *node)
{
	return xenbus_rm(xenpv_pvops_tx(t), dir, node);
}

char **xenpv_pvops_xs_directory(struct xenpv_xs_tx t, const char *dir,
				const char *node, unsigned int *num)
{
	return xenbus_directory(xenpv_pvops_tx(t), dir, node, num);
}

static struct xenpv_pvops_watch *xenpv_pvops_watch_of(struct xenbus_watch *kw)
{
	return container_of(kw, struct xenpv_pvops_watch, kw);
}

#ifdef XENPV_HAVE_XENBUS_WATCH_WILL_HANDLE
/*
 * Runs with the kernel's watch-event lock held, before the event is
 * queued; nr_pending is the kernel's count for this watch.
 */
static bool xenpv_pvops_watch_will_handle(struct xenbus_watch *kw,
					  const char *path, const char *token)
{
	struct xenpv_watch *w = xenpv_pvops_watch_of(kw)->w;

	WRITE_ONCE(w->nr_pending, kw->nr_pending);
	return w->will_handle(w, path, token);
}

/* Runs in the kernel's xenwatch thread. */
static void xenpv_pvops_watch_fire(struct xenbus_watch *kw, const char *path,
				   const char *token)
{
	struct xenpv_watch *w = xenpv_pvops_watch_of(kw)->w;

	WRITE_ONCE(w->nr_pending, READ_ONCE(kw->nr_pending));
	w->callback(w, path, token);
}

static void xenpv_pvops_watch_init(struct xenpv_pvops_watch *pw)
{
	pw->kw.callback = xenpv_pvops_watch_fire;
	if (pw->w->will_handle)
		pw->kw.will_handle = xenpv_pvops_watch_will_handle;
}
#else
/*
 * A kernel without the XSA-349 filter queues every event; the filter then
 * runs in the xenwatch thread just before the callback, and nr_pending
 * stays 0.
 */
static void xenpv_pvops_watch_fire(struct xenbus_watch *kw, const char *path,
				   const char *token)
{
	struct xenpv_watch *w = xenpv_pvops_watch_of(kw)->w;

	if (w->will_handle && !w->will_handle(w, path, token))
		return;
	w->callback(w, path, token);
}

static void xenpv_pvops_watch_init(struct xenpv_pvops_watch *pw)
{
	pw->kw.callback = xenpv_pvops_watch_fire;
}
#endif

/* Each registered watch pins this module: its callbacks are our code. */
int xenpv_pvops_xs_watch_register(struct xenpv_watch *w)
{
	struct xenpv_pvops_watch *pw;
	int err;

	if (!w->node || !w->callback)
		return -EINVAL;
	if (w->provider_priv)
		return -EBUSY;
	if (!try_module_get(THIS_MODULE))
		return -ENODEV;

	pw = kzalloc(sizeof(*pw), GFP_KERNEL);
	if (!pw) {
		err = -ENOMEM;
		goto out_put;
	}
	pw->w = w;
	pw->kw.node = w->node;
	xenpv_pvops_watch_init(pw);

	w->nr_pending = 0;
	w->provider_priv = pw;
	err = register_xenbus_watch(&pw->kw);
	if (err)
		goto out_free;
	return 0;

out_free:
	w->provider_priv = NULL;
	kfree(pw);
out_put:
	module_put(THIS_MODULE);
	return err;
}

/*
 * The kernel waits for a running callback of this watch unless called from
 * that callback itself; either way the wrapper is unused once it returns.
 */
void xenpv_pvops_xs_watch_unregister(struct xenpv_watch *w)
{
	struct xenpv_pvops_watch *pw = w->provider_priv;

	if (!pw)
		return;

	unregister_xenbus_watch(&pw->kw);
	w->provider_priv = NULL;
	w->nr_pending = 0;
	kfree(pw);
	module_put(THIS_MODULE);
}
