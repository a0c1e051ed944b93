// SPDX-License-Identifier: GPL-2.0
/*
 * xenpv_pvops: serve the xenpv API from the running kernel's Xen services.
 *
 * Copyright (C) 2026 The xenpv authors
 *
 * This is the only xenpv module that references kernel Xen symbols.  It is
 * loaded (by xenpv_xenbus, or by hand) only when xenpv_platform chose pvops
 * mode, i.e. the kernel's own Xen support is active in a PV, PVH or PVHVM
 * guest.  It registers two tables of thin calls into the kernel's event
 * channel, grant table and xenbus code; xenpv_platform and xenpv_xenbus
 * forward every exported xenpv_* call to them.  See
 * Documentation/pvops.rst.
 */

#include <linux/errno.h>
#include <linux/module.h>
#include <xen/xen.h>
#include <xen/platform_pci.h>
#include <xen/interface/hvm/hvm_op.h>
#include <asm/xen/hypercall.h>

#include "pvops.h"

static bool xenpv_pvops_has_pv_disks(void)
{
	return xen_has_pv_disk_devices();
}

static bool xenpv_pvops_has_pv_nics(void)
{
	return xen_has_pv_nic_devices();
}

/*
 * The kernel reports "PV disks and legacy (emulated) disks" when the unplug
 * was declared unnecessary (xen_emul_unplug=unnecessary): the emulated IDE
 * disks stayed, so a vbd that names an IDE/SCSI disk would show the same
 * disk twice.  Frontends then refuse such vbds.
 */
static bool xenpv_pvops_emulated_disks_present(void)
{
	return xen_has_pv_and_legacy_disk_devices();
}

/*
 * HVMOP_get_param on our own domain.  PV guests have no HVM parameters.
 * The hypercall is made directly rather than through the kernel's
 * hvm_get_parameter(), which logs an error for every absent parameter;
 * callers here probe parameters that may legitimately be missing.
 */
static int xenpv_pvops_hvm_get_param(u32 index, u64 *value)
{
	struct xen_hvm_param param = {
		.domid = DOMID_SELF,
		.index = index,
	};
	int err;

	if (!xen_hvm_domain())
		return -EOPNOTSUPP;

	err = HYPERVISOR_hvm_op(HVMOP_get_param, &param);
	if (err)
		return err;

	*value = param.value;
	return 0;
}

const struct xenpv_platform_ops xenpv_pvops_platform_ops = {
	.has_pv_disks			= xenpv_pvops_has_pv_disks,
	.has_pv_nics			= xenpv_pvops_has_pv_nics,
	.emulated_disks_present		= xenpv_pvops_emulated_disks_present,
	.hvm_get_param			= xenpv_pvops_hvm_get_param,

	.evtchn_alloc_unbound		= xenpv_pvops_evtchn_alloc_unbound,
	.evtchn_bind_interdomain	= xenpv_pvops_evtchn_bind_interdomain,
	.evtchn_close			= xenpv_pvops_evtchn_close,
	.evtchn_notify			= xenpv_pvops_evtchn_notify,
	.evtchn_bind_irq		= xenpv_pvops_evtchn_bind_irq,
	.evtchn_unbind_irq		= xenpv_pvops_evtchn_unbind_irq,
	.evtchn_from_irq		= xenpv_pvops_evtchn_from_irq,
	.evtchn_lateeoi			= xenpv_pvops_evtchn_lateeoi,

	.page_to_gfn			= xenpv_pvops_page_to_gfn,
	.virt_to_gfn			= xenpv_pvops_virt_to_gfn,
	.gnttab_grant_access		= xenpv_pvops_gnttab_grant_access,
	.gnttab_try_end_access		= xenpv_pvops_gnttab_try_end_access,
	.gnttab_end_access		= xenpv_pvops_gnttab_end_access,
	.gnttab_alloc_refs		= xenpv_pvops_gnttab_alloc_refs,
	.gnttab_free_refs		= xenpv_pvops_gnttab_free_refs,
	.gnttab_claim_ref		= xenpv_pvops_gnttab_claim_ref,
	.gnttab_release_ref		= xenpv_pvops_gnttab_release_ref,
	.gnttab_grant_access_ref	= xenpv_pvops_gnttab_grant_access_ref,
	.gnttab_free_ref		= xenpv_pvops_gnttab_free_ref,
	.gnttab_request_free_callback	= xenpv_pvops_gnttab_request_free_callback,
	.gnttab_cancel_free_callback	= xenpv_pvops_gnttab_cancel_free_callback,
	.gnttab_get_stats		= xenpv_pvops_gnttab_get_stats,
};

const struct xenpv_bus_ops xenpv_pvops_bus_ops = {
	.transaction_start		= xenpv_pvops_xs_transaction_start,
	.transaction_end		= xenpv_pvops_xs_transaction_end,
	.read				= xenpv_pvops_xs_read,
	.write				= xenpv_pvops_xs_write,
	.mkdir				= xenpv_pvops_xs_mkdir,
	.rm				= xenpv_pvops_xs_rm,
	.directory			= xenpv_pvops_xs_directory,
	.watch_register			= xenpv_pvops_xs_watch_register,
	.watch_unregister		= xenpv_pvops_xs_watch_unregister,

	.register_frontend		= xenpv_pvops_register_frontend,
	.unregister_frontend		= xenpv_pvops_unregister_frontend,
	.switch_state			= xenpv_pvops_switch_state,
	.dev_error			= xenpv_pvops_dev_error,
	.dev_fatal			= xenpv_pvops_dev_fatal,
	.frontend_closed		= xenpv_pvops_frontend_closed,
	.setup_ring			= xenpv_pvops_setup_ring,
	.teardown_ring			= xenpv_pvops_teardown_ring,
	.alloc_evtchn			= xenpv_pvops_alloc_evtchn,
	.free_evtchn			= xenpv_pvops_free_evtchn,
};

/* PVH guests run in an HVM container: the kernel reports them as HVM. */
static const char *xenpv_pvops_guest_type(void)
{
	return xen_pv_domain() ? "PV" : "HVM or PVH";
}

static int __init xenpv_pvops_init(void)
{
	enum xenpv_mode mode = xenpv_mode();
	int err;

	if (mode != XENPV_MODE_PVOPS) {
		pr_err("xenpv_platform runs in %s mode; this module serves only pvops mode\n",
		       xenpv_mode_name(mode));
		return -ENODEV;
	}
	if (!xen_domain()) {
		pr_err("the kernel's Xen support is not active in this guest\n");
		return -ENODEV;
	}

	err = xenpv_register_provider(&xenpv_pvops_platform_ops,
				      &xenpv_pvops_bus_ops);
	if (err) {
		pr_err("registering with xenpv_platform failed: %d\n", err);
		return err;
	}

	pr_info("serving the xenpv API from the kernel's Xen services (%s guest)\n",
		xenpv_pvops_guest_type());
	return 0;
}
module_init(xenpv_pvops_init);

/*
 * Runs only when nothing holds a reference on this module: every frontend
 * driver registered through us and every watch pins it (see bus.c, xs.c).
 */
static void __exit xenpv_pvops_exit(void)
{
	xenpv_unregister_provider(&xenpv_pvops_platform_ops);
	xenpv_pvops_evtchn_exit();
}
module_exit(xenpv_pvops_exit);

MODULE_DESCRIPTION("xenpv provider on top of the kernel's Xen services (pvops mode)");
MODULE_LICENSE("GPL");
MODULE_AUTHOR("The xenpv authors");
MODULE_VERSION(XENPV_VERSION);
