// SPDX-License-Identifier: GPL-2.0
/*
 * Native mode control requests from the toolstack: control/shutdown
 * (poweroff, halt, reboot, suspend) and control/sysrq.
 *
 * Copyright (C) 2026 The xenpv authors
 *
 * A request is acknowledged by writing "" back, in a transaction that
 * re-reads the node, so a value the toolstack rewrote meanwhile is not
 * lost (protocol.md 13.2).  Both watches run in the watch thread.
 *
 * Suspend (protocol.md 15): ack; drivers' suspend callbacks; xenstore
 * quiesced (no request or transaction in flight, new ones wait, the port
 * detached); xenpv_platform_suspend() (SCHEDOP_shutdown on CPU0 with the
 * other CPUs stopped, then shared_info, callback, grant frames, unplug,
 * event channels redone); xenstore resumed; then, unless Xen reports the
 * suspend as cancelled (same domain, all connections intact), every
 * device re-reads its backend, goes back to Initialising and its driver
 * reconnects.  A failure before the platform step aborts the suspend with
 * nothing changed (the toolstack then reports that the guest did not
 * suspend).
 */
#include <linux/reboot.h>
#include <linux/slab.h>
#include <linux/sysrq.h>

#include "xenbus_internal.h"

static void xenpv_ctl_shutdown_changed(struct xenpv_watch *w,
				       const char *path, const char *token);
static void xenpv_ctl_sysrq_changed(struct xenpv_watch *w, const char *path,
				    const char *token);

static struct xenpv_watch xenpv_ctl_shutdown_watch = {
	.node = "control/shutdown",
	.callback = xenpv_ctl_shutdown_changed,
};

static struct xenpv_watch xenpv_ctl_sysrq_watch = {
	.node = "control/sysrq",
	.callback = xenpv_ctl_sysrq_changed,
};

static const char *const xenpv_ctl_features[] = {
	"feature-poweroff", "feature-reboot", "feature-suspend",
};

struct xenpv_ctl_req {
	const char *node;
	char *val;
};

static int xenpv_ctl_take_tx(struct xenpv_xs_tx t, void *arg, const char **what)
{
	struct xenpv_ctl_req *req = arg;
	unsigned int len;
	char *val;

	/* A commit that ended in -EAGAIN left the previous try's copy. */
	kfree(req->val);
	req->val = NULL;
	*what = "reading the request";
	val = xenpv_xs_read(t, "control", req->node, &len);
	if (IS_ERR(val))
		return PTR_ERR(val) == -ENOENT ? 1 : PTR_ERR(val);
	if (!len || !val[0]) {
		kfree(val);
		return 1;
	}
	req->val = val;
	*what = "clearing the request";
	return xenpv_xs_write(t, "control", req->node, "");
}

/*
 * Take a request: read control/@node and, when it is not empty, write ""
 * in the same transaction.  NULL when there is nothing to do.
 */
static char *xenpv_ctl_take(const char *node)
{
	struct xenpv_ctl_req req = { .node = node };
	const char *what;
	int err;

	err = xenpv_xs_transact(xenpv_ctl_take_tx, &req, &what);
	if (!err)
		return req.val;
	kfree(req.val);
	return err > 0 ? NULL : ERR_PTR(err);
}

static void xenpv_ctl_advertise(void)
{
	unsigned int i;
	int err;

	/* control/ may be read-only for the guest: failures are harmless. */
	for (i = 0; i < ARRAY_SIZE(xenpv_ctl_features); i++) {
		err = xenpv_xs_write(XENPV_XS_NIL, "control",
				     xenpv_ctl_features[i], "1");
		if (err)
			pr_debug("cannot write control/%s: %d\n",
				 xenpv_ctl_features[i], err);
	}
}

static void xenpv_ctl_suspend(void)
{
	bool cancelled = true;
	int err;

	pr_info("suspend requested by the toolstack\n");

	err = xenpv_nbus_suspend();
	if (err) {
		pr_err("suspend aborted: a device refused to suspend (%d)\n",
		       err);
		return;
	}
	err = xenpv_xsn_suspend();
	if (err)
		return;		/* logged; devices carry on as if cancelled */

	err = xenpv_platform_suspend(&cancelled);
	if (err) {
		pr_err("platform suspend failed (%d): continuing in this domain\n",
		       err);
		cancelled = true;
	}

	xenpv_xsn_resume(cancelled);
	if (cancelled) {
		pr_info("suspend cancelled: continuing with the same connections\n");
		return;
	}
	xenpv_nbus_resume();
	xenpv_ctl_advertise();
	pr_info("resumed in a new domain\n");
}

static void xenpv_ctl_shutdown_changed(struct xenpv_watch *w,
				       const char *path, const char *token)
{
	char *req;

	req = xenpv_ctl_take("shutdown");
	if (IS_ERR(req)) {
		pr_err("cannot read control/shutdown: %ld\n", PTR_ERR(req));
		return;
	}
	if (!req)
		return;

	if (!strcmp(req, "poweroff") || !strcmp(req, "halt")) {
		/* The kernel has no orderly halt: a halted domain is off. */
		pr_info("%s requested by the toolstack\n", req);
		orderly_poweroff(system_state != SYSTEM_RUNNING);
	} else if (!strcmp(req, "reboot")) {
		pr_info("reboot requested by the toolstack\n");
		orderly_reboot();
	} else if (!strcmp(req, "suspend")) {
		xenpv_ctl_suspend();
	} else {
		pr_warn("unknown shutdown request \"%*pE\" ignored\n",
			(int)min_t(size_t, strlen(req), 32), req);
	}
	kfree(req);
}

static void xenpv_ctl_sysrq_changed(struct xenpv_watch *w, const char *path,
				    const char *token)
{
	char *req;

	req = xenpv_ctl_take("sysrq");
	if (IS_ERR(req)) {
		pr_err("cannot read control/sysrq: %ld\n", PTR_ERR(req));
		return;
	}
	if (!req)
		return;
	/* Acknowledged first, so a retried transaction cannot repeat it. */
	handle_sysrq(req[0]);
	kfree(req);
}

int xenpv_ctl_init(void)
{
	int err;

	INIT_LIST_HEAD(&xenpv_ctl_shutdown_watch.list);
	INIT_LIST_HEAD(&xenpv_ctl_sysrq_watch.list);
	err = xenpv_xs_watch_register(&xenpv_ctl_shutdown_watch);
	if (err) {
		pr_err("cannot watch control/shutdown: %d\n", err);
		return err;
	}
	err = xenpv_xs_watch_register(&xenpv_ctl_sysrq_watch);
	if (err) {
		pr_err("cannot watch control/sysrq: %d\n", err);
		xenpv_xs_watch_unregister(&xenpv_ctl_shutdown_watch);
		return err;
	}
	xenpv_ctl_advertise();
	return 0;
}

void xenpv_ctl_exit(void)
{
	unsigned int i;

	/* Nobody answers any more: let the toolstack use its fallbacks. */
	for (i = 0; i < ARRAY_SIZE(xenpv_ctl_features); i++)
		xenpv_xs_rm(XENPV_XS_NIL, "control", xenpv_ctl_features[i]);
	xenpv_xs_watch_unregister(&xenpv_ctl_sysrq_watch);
	xenpv_xs_watch_unregister(&xenpv_ctl_shutdown_watch);
}
