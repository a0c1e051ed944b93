// SPDX-License-Identifier: GPL-2.0
/*
 * Native xenstore watches: registration, event queueing, the watch thread.
 *
 * Copyright (C) 2026 The xenpv authors
 *
 * Each watch gets a token "<generation>-<id>" (generation random per module
 * load, id never reused) that is looked up when an event arrives, so events
 * for watches of an earlier load or a previous kernel are dropped.  Events
 * are queued to one kthread, "xenpv_watch", which runs the callbacks one at
 * a time (they may sleep and use xenstore).
 *
 * Bounded queues (XSA-349): the watch's will_handle() filter runs before
 * queueing, and no watch ever has more than XENPV_XW_MAX_PENDING events
 * queued; what is dropped is counted (debugfs).  Unregistering drops the
 * watch's queued events and waits for its running callback, unless it is
 * called from the watch thread itself.
 */
#include <linux/kthread.h>
#include <linux/random.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/spinlock.h>

#include "xenbus_internal.h"

/* Hard cap for any watch; will_handle() filters bound it further. */
#define XENPV_XW_MAX_PENDING	1024

struct xenpv_xw_priv {
	u64 id;
	unsigned long dropped;		/* by will_handle() or the cap */
	char token[XENPV_WIRE_TOKEN_MAX];
};

struct xenpv_xw_event {
	struct list_head list;
	struct xenpv_watch *w;
	char *body;			/* owns path and token */
	const char *path;
	const char *token;
};

static struct {
	spinlock_t lock;		/* watches, events, running */
	struct list_head watches;
	struct list_head events;
	struct xenpv_watch *running;	/* callback in progress */
	wait_queue_head_t event_wq;
	wait_queue_head_t done_wq;	/* a callback finished */
	struct mutex reg_lock;		/* (un)register, re-register */
	struct task_struct *thread;
	u32 gen;
	u64 next_id;

	unsigned long delivered;
	unsigned long dropped_will_handle;
	unsigned long dropped_full;
	unsigned long dropped_unknown;	/* token not (or no longer) ours */
	unsigned long dropped_bad;	/* malformed event */
} xw;

bool xenpv_xw_in_watch_thread(void)
{
	return current == xw.thread;
}

/* Drop the queued events of @w; lock held. */
static void xenpv_xw_purge_locked(struct xenpv_watch *w)
{
	struct xenpv_xw_event *ev, *tmp;

	list_for_each_entry_safe(ev, tmp, &xw.events, list) {
		if (ev->w != w)
			continue;
		list_del(&ev->list);
		kfree(ev->body);
		kfree(ev);
	}
	w->nr_pending = 0;
}

static struct xenpv_watch *xenpv_xw_find_locked(u64 id)
{
	struct xenpv_watch *w;

	list_for_each_entry(w, &xw.watches, list) {
		struct xenpv_xw_priv *priv = w->provider_priv;

		if (priv->id == id)
			return w;
	}
	return NULL;
}

/*
 * From the xenstore reader: an XS_WATCH_EVENT payload.  Takes ownership of
 * @body.  Runs in process context, never in the watch thread.
 */
void xenpv_xw_event(char *body, unsigned int len)
{
	struct xenpv_xw_event *ev;
	struct xenpv_xw_priv *priv;
	struct xenpv_watch *w;
	const char *path, *token;
	u64 id;

	if (xenpv_wire_parse_event(body, len, &path, &token)) {
		spin_lock(&xw.lock);
		xw.dropped_bad++;
		spin_unlock(&xw.lock);
		pr_warn_ratelimited("malformed xenstore watch event dropped\n");
		kfree(body);
		return;
	}
	if (xenpv_wire_parse_token(token, xw.gen, &id))
		goto drop_unknown;

	ev = kmalloc(sizeof(*ev), GFP_KERNEL);
	if (!ev) {
		pr_warn_ratelimited("no memory to queue a watch event for %s\n",
				    path);
		kfree(body);
		return;
	}

	spin_lock(&xw.lock);
	w = xenpv_xw_find_locked(id);
	if (!w) {
		spin_unlock(&xw.lock);
		kfree(ev);
		goto drop_unknown;
	}
	priv = w->provider_priv;
	if (w->will_handle && !w->will_handle(w, path, token)) {
		xw.dropped_will_handle++;
		priv->dropped++;
		goto drop_locked;
	}
	if (w->nr_pending >= XENPV_XW_MAX_PENDING) {
		xw.dropped_full++;
		priv->dropped++;
		goto drop_locked;
	}
	w->nr_pending++;
	ev->w = w;
	ev->body = body;
	ev->path = path;
	ev->token = token;
	list_add_tail(&ev->list, &xw.events);
	spin_unlock(&xw.lock);
	wake_up(&xw.event_wq);
	return;

drop_locked:
	spin_unlock(&xw.lock);
	kfree(ev);
	kfree(body);
	return;

drop_unknown:
	spin_lock(&xw.lock);
	xw.dropped_unknown++;
	spin_unlock(&xw.lock);
	kfree(body);
}

static int xenpv_xw_thread(void *unused)
{
	struct xenpv_xw_event *ev;

	while (!kthread_should_stop()) {
		wait_event_interruptible(xw.event_wq,
					 !list_empty(&xw.events) ||
					 kthread_should_stop());
		spin_lock(&xw.lock);
		ev = list_first_entry_or_null(&xw.events,
					      struct xenpv_xw_event, list);
		if (ev) {
			list_del(&ev->list);
			ev->w->nr_pending--;
			xw.running = ev->w;
			xw.delivered++;
		}
		spin_unlock(&xw.lock);
		if (!ev)
			continue;

		ev->w->callback(ev->w, ev->path, ev->token);

		/* @ev->w may be gone once running is cleared. */
		spin_lock(&xw.lock);
		xw.running = NULL;
		spin_unlock(&xw.lock);
		wake_up_all(&xw.done_wq);
		kfree(ev->body);
		kfree(ev);
	}
	return 0;
}

/* Wait until @w's callback is not running (not from the watch thread). */
static void xenpv_xw_wait_idle(struct xenpv_watch *w)
{
	if (xenpv_xw_in_watch_thread())
		return;
	wait_event(xw.done_wq, READ_ONCE(xw.running) != w);
}

int xenpv_xw_register(struct xenpv_watch *w)
{
	struct xenpv_xw_priv *priv;
	int err;

	if (!w->callback || !xenpv_wire_path_valid(w->node))
		return -EINVAL;
	priv = kzalloc(sizeof(*priv), GFP_KERNEL);
	if (!priv)
		return -ENOMEM;

	mutex_lock(&xw.reg_lock);
	priv->id = xw.next_id++;
	xenpv_wire_format_token(priv->token, sizeof(priv->token), xw.gen,
				priv->id);
	w->provider_priv = priv;
	w->nr_pending = 0;
	/* Listed before XS_WATCH: the first event may beat the reply. */
	spin_lock(&xw.lock);
	list_add_tail(&w->list, &xw.watches);
	spin_unlock(&xw.lock);

	err = xenpv_xsn_watch_cmd(XS_WATCH, w->node, priv->token);
	if (err) {
		spin_lock(&xw.lock);
		list_del_init(&w->list);
		xenpv_xw_purge_locked(w);
		spin_unlock(&xw.lock);
	}
	mutex_unlock(&xw.reg_lock);

	if (err) {
		/* A timed-out XS_WATCH may still have delivered an event. */
		xenpv_xw_wait_idle(w);
		w->provider_priv = NULL;
		kfree(priv);
		pr_warn("cannot watch %s: %d\n", w->node, err);
	}
	return err;
}

void xenpv_xw_unregister(struct xenpv_watch *w)
{
	struct xenpv_xw_priv *priv = w->provider_priv;
	int err;

	if (!priv)
		return;		/* never registered, or already gone */

	mutex_lock(&xw.reg_lock);
	spin_lock(&xw.lock);
	list_del_init(&w->list);
	xenpv_xw_purge_locked(w);
	spin_unlock(&xw.lock);
	err = xenpv_xsn_watch_cmd(XS_UNWATCH, w->node, priv->token);
	mutex_unlock(&xw.reg_lock);
	/* -ENOENT: xenstored forgot it already (resume into a new domain). */
	if (err && err != -ENOENT)
		pr_warn_ratelimited("cannot remove the watch on %s: %d\n",
				    w->node, err);

	xenpv_xw_wait_idle(w);
	w->provider_priv = NULL;
	kfree(priv);
}

/* After resuming in a new domain xenstored knows none of our watches. */
void xenpv_xw_reregister_all(void)
{
	struct xenpv_xw_priv *priv;
	struct xenpv_watch *w;
	int err;

	/* The list only changes under reg_lock, so it can be walked here. */
	mutex_lock(&xw.reg_lock);
	list_for_each_entry(w, &xw.watches, list) {
		priv = w->provider_priv;
		err = xenpv_xsn_watch_cmd(XS_WATCH, w->node, priv->token);
		if (err)
			pr_err("cannot re-register the watch on %s after resume: %d\n",
			       w->node, err);
	}
	mutex_unlock(&xw.reg_lock);
}

int xenpv_xw_init(void)
{
	spin_lock_init(&xw.lock);
	INIT_LIST_HEAD(&xw.watches);
	INIT_LIST_HEAD(&xw.events);
	init_waitqueue_head(&xw.event_wq);
	init_waitqueue_head(&xw.done_wq);
	mutex_init(&xw.reg_lock);
	xw.gen = get_random_u32();
	xw.next_id = 1;
	xw.running = NULL;

	xw.thread = kthread_run(xenpv_xw_thread, NULL, "xenpv_watch");
	if (IS_ERR(xw.thread)) {
		int err = PTR_ERR(xw.thread);

		pr_err("cannot start the watch thread: %d\n", err);
		xw.thread = NULL;
		return err;
	}
	return 0;
}

void xenpv_xw_exit(void)
{
	struct xenpv_xw_event *ev, *tmp;

	kthread_stop(xw.thread);
	xw.thread = NULL;
	spin_lock(&xw.lock);
	list_for_each_entry_safe(ev, tmp, &xw.events, list) {
		list_del(&ev->list);
		kfree(ev->body);
		kfree(ev);
	}
	spin_unlock(&xw.lock);
	WARN_ON_ONCE(!list_empty(&xw.watches));
}

void xenpv_xw_debugfs_show(struct seq_file *m)
{
	struct xenpv_xw_priv *priv;
	struct xenpv_watch *w;

	spin_lock(&xw.lock);
	seq_printf(m, "watch events delivered:            %lu\n", xw.delivered);
	seq_printf(m, "events dropped by will_handle:     %lu\n",
		   xw.dropped_will_handle);
	seq_printf(m, "events dropped, queue full:        %lu\n",
		   xw.dropped_full);
	seq_printf(m, "events dropped, unknown token:     %lu\n",
		   xw.dropped_unknown);
	seq_printf(m, "events dropped, malformed:         %lu\n",
		   xw.dropped_bad);
	seq_puts(m, "watches (token pending dropped path):\n");
	list_for_each_entry(w, &xw.watches, list) {
		priv = w->provider_priv;
		seq_printf(m, "  %s %u %lu %s%s\n", priv->token, w->nr_pending,
			   priv->dropped, w->node,
			   xw.running == w ? " (running)" : "");
	}
	spin_unlock(&xw.lock);
}
