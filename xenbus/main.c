// SPDX-License-Identifier: GPL-2.0
/*
 * xenpv_xenbus: xenstore access and the frontend bus, in native or pvops
 * mode as xenpv_platform decided.
 *
 * Copyright (C) 2026 The xenpv authors
 *
 * Native: our xenstore client over the HVM_PARAM_STORE_* ring, our watch
 * thread, the "xenpv" bus and control/shutdown handling.  The platform
 * module has set up event delivery at its PCI probe, so the store port can
 * be bound before the first request (pitfall 3).
 *
 * pvops: xenpv_pvops (loaded on demand) registers a struct xenpv_bus_ops
 * backed by the kernel's xenbus, and every exported call forwards to it;
 * the kernel then handles control/shutdown itself.
 */
#include <linux/kmod.h>
#include <linux/module.h>
#include <linux/moduleparam.h>

#include "xenbus_internal.h"

const struct xenpv_bus_ops *xenpv_xb_ops;

unsigned int xenpv_xb_xs_timeout = 30;
module_param_named(xs_timeout, xenpv_xb_xs_timeout, uint, 0444);
MODULE_PARM_DESC(xs_timeout,
		 "Seconds to wait for a xenstore reply, ring space or "
		 "quiescence before failing (1-3600, default 30)");

unsigned int xenpv_xb_connect_wait = 30;
module_param_named(connect_wait, xenpv_xb_connect_wait, uint, 0444);
MODULE_PARM_DESC(connect_wait,
		 "Seconds a frontend driver's registration waits for its "
		 "devices to connect (0-3600, 0 = no wait, default 30; "
		 "not_essential drivers such as vfb/vkbd never wait)");

static const struct xenpv_bus_ops xenpv_native_ops = {
	.transaction_start	= xenpv_xsn_transaction_start,
	.transaction_end	= xenpv_xsn_transaction_end,
	.read			= xenpv_xsn_read,
	.write			= xenpv_xsn_write,
	.mkdir			= xenpv_xsn_mkdir,
	.rm			= xenpv_xsn_rm,
	.directory		= xenpv_xsn_directory,
	.watch_register		= xenpv_xw_register,
	.watch_unregister	= xenpv_xw_unregister,
	.register_frontend	= xenpv_nbus_register_frontend,
	.unregister_frontend	= xenpv_nbus_unregister_frontend,
	.switch_state		= xenpv_nat_switch_state,
	.dev_error		= xenpv_nat_dev_error,
	.dev_fatal		= xenpv_nat_dev_fatal,
	.frontend_closed	= xenpv_nat_frontend_closed,
	.setup_ring		= xenpv_nat_setup_ring,
	.teardown_ring		= xenpv_nat_teardown_ring,
	.alloc_evtchn		= xenpv_nat_alloc_evtchn,
	.free_evtchn		= xenpv_nat_free_evtchn,
};

static int xenpv_xb_check_params(void)
{
	if (xenpv_xb_xs_timeout < 1 || xenpv_xb_xs_timeout > 3600) {
		pr_err("xs_timeout=%u is out of range (1-3600)\n",
		       xenpv_xb_xs_timeout);
		return -EINVAL;
	}
	if (xenpv_xb_connect_wait > 3600) {
		pr_err("connect_wait=%u is out of range (0-3600)\n",
		       xenpv_xb_connect_wait);
		return -EINVAL;
	}
	return 0;
}

/* Which operation a provider table lacks, or NULL when it is complete. */
static const char *xenpv_xb_missing_op(const struct xenpv_bus_ops *o)
{
#define XENPV_XB_NEED(op) do { if (!o->op) return #op; } while (0)
	XENPV_XB_NEED(transaction_start);
	XENPV_XB_NEED(transaction_end);
	XENPV_XB_NEED(read);
	XENPV_XB_NEED(write);
	XENPV_XB_NEED(mkdir);
	XENPV_XB_NEED(rm);
	XENPV_XB_NEED(directory);
	XENPV_XB_NEED(watch_register);
	XENPV_XB_NEED(watch_unregister);
	XENPV_XB_NEED(register_frontend);
	XENPV_XB_NEED(unregister_frontend);
	XENPV_XB_NEED(switch_state);
	XENPV_XB_NEED(dev_error);
	XENPV_XB_NEED(dev_fatal);
	XENPV_XB_NEED(frontend_closed);
	XENPV_XB_NEED(setup_ring);
	XENPV_XB_NEED(teardown_ring);
	XENPV_XB_NEED(alloc_evtchn);
	XENPV_XB_NEED(free_evtchn);
#undef XENPV_XB_NEED
	return NULL;
}

static int xenpv_xb_pvops_init(void)
{
	const struct xenpv_bus_ops *ops;
	const char *missing;
	int err;

	err = request_module("xenpv_pvops");
	ops = xenpv_bus_provider();
	if (!ops) {
		pr_err("pvops mode, but no bus provider registered (request_module(\"xenpv_pvops\") returned %d): is xenpv_pvops.ko installed for this kernel?\n",
		       err);
		return -ENODEV;
	}
	missing = xenpv_xb_missing_op(ops);
	if (missing) {
		pr_err("the pvops bus provider lacks the %s operation\n",
		       missing);
		return -EINVAL;
	}
	xenpv_xb_ops = ops;
	return 0;
}

/*
 * XS_RESET_WATCHES drops watches and transactions a previous kernel left
 * (kexec); only when the toolstack says xenstored supports it.
 */
static void xenpv_xb_reset_watches(void)
{
	unsigned int v;
	int err;

	if (xenpv_xs_read_uint("control", "platform-feature-xs_reset_watches",
			       0, 1, &v) || v != 1)
		return;
	err = xenpv_xsn_reset_watches();
	if (err)
		pr_warn("XS_RESET_WATCHES failed: %d\n", err);
}

static int xenpv_xb_native_init(void)
{
	int err;

	/* Our own helpers go through the table too. */
	xenpv_xb_ops = &xenpv_native_ops;

	err = xenpv_xw_init();
	if (err)
		return err;
	err = xenpv_xsn_init();
	if (err)
		goto out_watch;
	xenpv_xb_reset_watches();
	err = xenpv_nbus_init();
	if (err)
		goto out_xs;
	err = xenpv_ctl_init();
	if (err)
		goto out_bus;
	return 0;

out_bus:
	xenpv_nbus_exit();
out_xs:
	xenpv_xsn_exit();
out_watch:
	xenpv_xw_exit();
	return err;
}

static void xenpv_xb_native_exit(void)
{
	xenpv_ctl_exit();
	xenpv_nbus_exit();
	xenpv_xsn_exit();
	xenpv_xw_exit();
}

static int __init xenpv_xenbus_init(void)
{
	enum xenpv_mode mode = xenpv_mode();
	u32 ver;
	int err;

	err = xenpv_xb_check_params();
	if (err)
		return err;

	switch (mode) {
	case XENPV_MODE_NATIVE:
		err = xenpv_xb_native_init();
		break;
	case XENPV_MODE_PVOPS:
		err = xenpv_xb_pvops_init();
		break;
	default:
		pr_err("not running on Xen (xenpv_platform reports mode \"%s\"): no xenstore to serve\n",
		       xenpv_mode_name(mode));
		return -ENODEV;
	}
	if (err)
		return err;

	xenpv_xbdebug_init();
	ver = xenpv_xen_version();
	pr_info("xenbus %s ready in %s mode on Xen %u.%u\n", XENPV_VERSION,
		xenpv_mode_name(mode), ver >> 16, ver & 0xffff);
	return 0;
}

static void __exit xenpv_xenbus_exit(void)
{
	xenpv_xbdebug_exit();
	if (xenpv_xb_ops == &xenpv_native_ops)
		xenpv_xb_native_exit();
}

module_init(xenpv_xenbus_init);
module_exit(xenpv_xenbus_exit);

MODULE_DESCRIPTION("xenpv xenstore client and Xen frontend bus");
MODULE_LICENSE("GPL");
MODULE_AUTHOR("The xenpv authors");
MODULE_VERSION(XENPV_VERSION);
