// SPDX-License-Identifier: GPL-2.0
/*
 * /sys/kernel/debug/xenpv/: platform, event channel and grant table state.
 *
 * Copyright (C) 2026 The xenpv authors
 */
#include <linux/debugfs.h>
#include <linux/kernel.h>
#include <linux/seq_file.h>

#include "platform.h"
#include "hypercall.h"

static struct dentry *xenpv_debugfs_dir;

static int platform_show(struct seq_file *m, void *v)
{
	struct xenpv_platform *p = &xenpv_plat;
	char via[64];

	seq_printf(m, "mode: %s\n", xenpv_mode_name(p->mode));
	seq_printf(m, "mode_reason: %s\n", p->mode_why);
	seq_printf(m, "xen_version: %u.%u\n", p->version >> 16,
		   p->version & 0xffff);
	seq_printf(m, "cpuid_base: %#x\n", p->cpuid_base);
	seq_printf(m, "kernel_hypervisor: %d (pv_info: %s)\n",
		   (int)xenpv_kernel_hyper_type(),
		   xenpv_kernel_pv_name() ?: "none");
	if (!xenpv_is_native())
		return 0;

	xenpv_format_callback_via(p->callback_via, via, sizeof(via));
	seq_printf(m, "hypercall: %s\n", xenpv_hc_vmmcall ? "vmmcall" : "vmcall");
	seq_printf(m, "event_abi: %s\n", xenpv_evtchn_abi_name());
	seq_printf(m, "callback_via: %s (%#llx)\n", via, p->callback_via);
	if (p->pdev)
		seq_printf(m, "platform_irq: %u\n", p->pdev->irq);
	seq_printf(m, "shared_info: %#llx\n", p->shinfo_addr);
	seq_printf(m, "bar1_free_pages: %llu\n", xenpv_bar_alloc_avail(&p->bar));
	seq_printf(m, "unplug: %s (flags %#x, protocol %u)\n",
		   xenpv_unplug_status_name(p->unplug_status), p->unplug_flags,
		   p->unplug_protocol);
	seq_printf(m, "unplug_released: %u\n", p->unplug_released);
	seq_printf(m, "pv_disks: %d\npv_nics: %d\nemulated_disks: %d\n",
		   p->unplug.pv_disks, p->unplug.pv_nics,
		   p->unplug.emulated_disks);
	seq_printf(m, "suspends: %lu\nsuspends_cancelled: %lu\n",
		   p->nr_suspends, p->nr_suspends_cancelled);
	xenpv_vcpu_debugfs_show(m);
	xenpv_clock_debugfs_show(m);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(platform);

static int evtchn_show(struct seq_file *m, void *v)
{
	xenpv_evtchn_debugfs_show(m);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(evtchn);

static int gnttab_show(struct seq_file *m, void *v)
{
	xenpv_gnttab_debugfs_show(m);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(gnttab);

void xenpv_debugfs_init(void)
{
	/* Failures only lose the debug files (debugfs API: no checks). */
	xenpv_debugfs_dir = debugfs_create_dir("xenpv", NULL);
	debugfs_create_file("platform", 0444, xenpv_debugfs_dir, NULL,
			    &platform_fops);
	if (!xenpv_is_native())
		return;
	debugfs_create_file("evtchn", 0444, xenpv_debugfs_dir, NULL,
			    &evtchn_fops);
	debugfs_create_file("gnttab", 0444, xenpv_debugfs_dir, NULL,
			    &gnttab_fops);
}

void xenpv_debugfs_exit(void)
{
	debugfs_remove_recursive(xenpv_debugfs_dir);
	xenpv_debugfs_dir = NULL;
}
