// SPDX-License-Identifier: GPL-2.0
/*
 * Save/restore and live migration: the hypervisor side of a suspend.
 *
 * Copyright (C) 2026 The xenpv authors
 *
 * xenbus (control/shutdown = "suspend") quiesces devices and xenstore, then
 * calls xenpv_platform_suspend().  On CPU0 with every other CPU stopped and
 * interrupts off, we suspend the syscore parts of the kernel (timekeeping,
 * interrupt controllers: their state is restored in whatever domain we wake
 * up in) and issue SCHEDOP_shutdown(SHUTDOWN_suspend).  It returns 0 in the
 * new domain, or 1 when the suspend was cancelled or was only a checkpoint
 * (same domain, everything still valid).  In a new domain we redo, before
 * any interrupt can run: shared_info at the same BAR1 frame, the callback
 * (which also latches the 64-bit layout again), all ports masked and every
 * binding marked dead (drivers bind new ports in their resume), the grant
 * frames at the same BAR1 frames, and the emulated-device unplug.
 */
#include <linux/cpumask.h>
#include <linux/kernel.h>
#include <linux/mutex.h>
#include <linux/stop_machine.h>
#include <linux/syscore_ops.h>
#include <xen/interface/xen.h>
#include <xen/interface/sched.h>

#include "platform.h"
#include "hypercall.h"

struct xenpv_suspend_ctx {
	int syscore_err;
	int shutdown_ret;
	int shinfo_err;
	int callback_err;
	int vector_err;
	int gnttab_err;
	int unplug_err;
};

static DEFINE_MUTEX(xenpv_suspend_mutex);

static int xenpv_suspend_cpu0(void *data)
{
	struct xenpv_suspend_ctx *c = data;
	struct sched_shutdown sd = { .reason = SHUTDOWN_suspend };

	c->syscore_err = syscore_suspend();
	if (c->syscore_err)
		return c->syscore_err;

	c->shutdown_ret = xenpv_hc_sched_op(SCHEDOP_shutdown, &sd);

	if (!c->shutdown_ret) {
		/* A new domain: nothing of ours survived but guest memory. */
		c->shinfo_err = xenpv_shinfo_remap();
		c->callback_err = xenpv_pci_restore_callback();
		c->vector_err = xenpv_vcpu_resume();
		xenpv_evtchn_resume(false);
		c->gnttab_err = xenpv_gnttab_resume();
		c->unplug_err = xenpv_unplug_devices(true);
	}

	syscore_resume();
	return 0;
}

int xenpv_native_platform_suspend(bool *cancelled)
{
	struct xenpv_suspend_ctx c = { };
	struct device *dev;
	int ret;

	if (!cancelled)
		return -EINVAL;
	*cancelled = true;
	if (!xenpv_plat.probed)
		return -ENODEV;
	dev = &xenpv_plat.pdev->dev;

	mutex_lock(&xenpv_suspend_mutex);
	/* No bind or unbind may run while the ports change under it. */
	xenpv_evtchn_suspend_lock();
	ret = stop_machine(xenpv_suspend_cpu0, &c, cpumask_of(0));
	xenpv_evtchn_suspend_unlock();

	if (ret || c.syscore_err) {
		dev_err(dev, "suspend aborted: syscore suspend failed (%d)\n",
			c.syscore_err ? c.syscore_err : ret);
		ret = c.syscore_err ? c.syscore_err : ret;
		goto out_unlock;
	}
	xenpv_plat.nr_suspends++;
	if (c.shutdown_ret) {
		xenpv_plat.nr_suspends_cancelled++;
		if (c.shutdown_ret < 0) {
			dev_err(dev, "SCHEDOP_shutdown(suspend) failed: %d\n",
				c.shutdown_ret);
			ret = -EIO;
		} else {
			dev_info(dev, "suspend cancelled: resumed in the same domain\n");
		}
		goto out_unlock;
	}

	*cancelled = false;
	dev_info(dev, "resumed in a new domain: event channel bindings reset, emulated devices %s\n",
		 xenpv_unplug_status_name(xenpv_plat.unplug_status));
	if (c.shinfo_err)
		dev_err(dev, "re-adding shared_info failed: %d\n", c.shinfo_err);
	if (c.callback_err)
		dev_err(dev, "restoring the event callback failed: %d\n",
			c.callback_err);
	if (c.vector_err)
		dev_warn(dev, "per-vCPU event vectors not restored (%d): those vCPUs get no events\n",
			 c.vector_err);
	if (c.gnttab_err)
		dev_err(dev, "re-adding grant frames failed: %d\n", c.gnttab_err);
	if (c.unplug_err)
		dev_err(dev, "the new host blacklists this driver; PV devices stay in use\n");
	if (c.shinfo_err || c.callback_err)
		ret = -EIO;

out_unlock:
	mutex_unlock(&xenpv_suspend_mutex);
	return ret;
}
