// SPDX-License-Identifier: GPL-2.0
/*
 * xenpv_platform: Xen detection, mode choice, module parameters.
 *
 * Copyright (C) 2026 The xenpv authors
 *
 * Loaded first of the xenpv modules.  It refuses to load outside Xen, then
 * decides once between native mode (our own platform implementation, for
 * HVM guests whose kernel has no Xen support or runs with nopv) and pvops
 * mode (the kernel's Xen support is active: we only forward the API to
 * xenpv_pvops).  Native mode binds the Xen platform PCI device (pci.c),
 * which sets up everything else.
 */
#include <linux/init.h>
#include <linux/kernel.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/string.h>
#include <asm/processor.h>
#include <xen/interface/xen.h>
#include <xen/interface/version.h>

#include "platform.h"
#include "hypercall.h"

struct xenpv_platform xenpv_plat;
bool xenpv_hc_vmmcall;

static char *xenpv_param_mode = "auto";
module_param_named(mode, xenpv_param_mode, charp, 0444);
MODULE_PARM_DESC(mode,
		 "auto (default): pvops when the kernel's Xen support is active, else native; native or pvops: require that mode");

static char *xenpv_param_event_abi = "auto";
module_param_named(event_abi, xenpv_param_event_abi, charp, 0444);
MODULE_PARM_DESC(event_abi,
		 "native mode event channel ABI: auto (default: FIFO when Xen offers it, else 2-level), fifo (required) or 2l (2-level)");

static char *xenpv_param_emul_unplug = "all";
module_param_named(emul_unplug, xenpv_param_emul_unplug, charp, 0444);
MODULE_PARM_DESC(emul_unplug,
		 "native mode: emulated devices to unplug, comma-separated: all (default), ide-disks, aux-ide-disks, nics; or alone: never (no unplug, no PV disks/NICs), unnecessary (no emulated devices exist)");

static int xenpv_parse_params(enum xenpv_mode *want)
{
	char bad[32];
	const char *why;
	int ret;

	if (sysfs_streq(xenpv_param_mode, "auto")) {
		*want = XENPV_MODE_NONE;
	} else if (sysfs_streq(xenpv_param_mode, "native")) {
		*want = XENPV_MODE_NATIVE;
	} else if (sysfs_streq(xenpv_param_mode, "pvops")) {
		*want = XENPV_MODE_PVOPS;
	} else {
		pr_err("mode=%s: expected auto, native or pvops\n",
		       xenpv_param_mode);
		return -EINVAL;
	}

	if (sysfs_streq(xenpv_param_event_abi, "auto")) {
		xenpv_plat.event_abi = XENPV_EVTCHN_ABI_AUTO;
	} else if (sysfs_streq(xenpv_param_event_abi, "fifo")) {
		xenpv_plat.event_abi = XENPV_EVTCHN_ABI_FIFO;
	} else if (sysfs_streq(xenpv_param_event_abi, "2l")) {
		xenpv_plat.event_abi = XENPV_EVTCHN_ABI_2L;
	} else {
		pr_err("event_abi=%s: expected auto, fifo or 2l\n",
		       xenpv_param_event_abi);
		return -EINVAL;
	}

	ret = xenpv_unplug_parse(xenpv_param_emul_unplug,
				 &xenpv_plat.unplug_flags, bad, sizeof(bad),
				 &why);
	if (ret) {
		pr_err("emul_unplug=%s: %s \"%s\" (expected all, ide-disks, aux-ide-disks, nics, or never or unnecessary alone)\n",
		       xenpv_param_emul_unplug, why, bad);
		return ret;
	}
	return 0;
}

static int xenpv_choose_mode(enum xenpv_mode want)
{
	const char *why;
	bool active = xenpv_kernel_xen_active(&why);

	xenpv_plat.mode_why = why;
	switch (want) {
	case XENPV_MODE_NATIVE:
		if (active) {
			/* Moving shared_info or the callback breaks the kernel. */
			pr_err("mode=native: %s; refusing to take Xen over from it\n",
			       why);
			return -EBUSY;
		}
		xenpv_plat.mode = XENPV_MODE_NATIVE;
		break;
	case XENPV_MODE_PVOPS:
		if (!active) {
			pr_err("mode=pvops: %s; pvops mode needs it\n", why);
			return -ENODEV;
		}
		xenpv_plat.mode = XENPV_MODE_PVOPS;
		break;
	default:
		xenpv_plat.mode = active ? XENPV_MODE_PVOPS : XENPV_MODE_NATIVE;
		break;
	}
	return 0;
}

static int xenpv_native_init(void)
{
	u8 vendor = boot_cpu_data.x86_vendor;
	int ver, ret;

	xenpv_hc_vmmcall = vendor == X86_VENDOR_AMD ||
			   vendor == X86_VENDOR_HYGON;

	/* The first hypercall: proves the instruction choice works. */
	ver = xenpv_hc_xen_version(XENVER_version, NULL);
	if (ver < 0) {
		pr_err("XENVER_version hypercall failed: %d\n", ver);
		return -ENODEV;
	}
	if ((u32)ver != xenpv_plat.version)
		pr_info("Xen reports version %u.%u by hypercall\n",
			(u32)ver >> 16, (u32)ver & 0xffff);

	/*
	 * Latch the 64-bit shared_info layout and switch off any callback a
	 * previous instance (or a kexec'ed kernel) left behind.
	 */
	ret = xenpv_set_callback_via(0);
	if (ret) {
		pr_err("HVM_PARAM_CALLBACK_IRQ cannot be set: %d\n", ret);
		return -ENODEV;
	}

	return xenpv_pci_register();
}

static int __init xenpv_platform_init(void)
{
	enum xenpv_mode want;
	char via[64];
	u32 base;
	int ret;

	ret = xenpv_parse_params(&want);
	if (ret)
		return ret;

	base = xenpv_detect_cpuid_base();
	if (!base) {
		pr_err("not running on Xen (no \"XenVMMXenVMM\" CPUID leaves): refusing to load\n");
		return -ENODEV;
	}
	xenpv_plat.cpuid_base = base;
	xenpv_plat.version = cpuid_eax(base + 1);

	ret = xenpv_choose_mode(want);
	if (ret)
		return ret;
	pr_info("Xen %u.%u (CPUID base %#x): %s mode (%s%s)\n",
		xenpv_plat.version >> 16, xenpv_plat.version & 0xffff, base,
		xenpv_mode_name(xenpv_plat.mode),
		want == XENPV_MODE_NONE ? "auto: " : "forced: ",
		xenpv_plat.mode_why);

	if (xenpv_is_native()) {
		ret = xenpv_native_init();
		if (ret) {
			xenpv_plat.mode = XENPV_MODE_NONE;
			return ret;
		}
	}

	xenpv_debugfs_init();
	if (xenpv_is_native()) {
		xenpv_format_callback_via(xenpv_plat.callback_via, via,
					  sizeof(via));
		pr_info("ready: Xen %u.%u, mode native, %s, event ABI %s, callback %s, PV disks %s, PV NICs %s\n",
			xenpv_plat.version >> 16, xenpv_plat.version & 0xffff,
			xenpv_hc_vmmcall ? "vmmcall" : "vmcall",
			xenpv_evtchn_abi_name(), via,
			xenpv_plat.unplug.pv_disks ? "yes" : "no",
			xenpv_plat.unplug.pv_nics ? "yes" : "no");
	} else {
		pr_info("ready: Xen %u.%u, mode pvops, waiting for xenpv_pvops to register\n",
			xenpv_plat.version >> 16, xenpv_plat.version & 0xffff);
	}
	return 0;
}

static void __exit xenpv_platform_exit(void)
{
	xenpv_debugfs_exit();
	if (xenpv_is_native())
		xenpv_pci_unregister();
	xenpv_provider_exit();
	xenpv_plat.mode = XENPV_MODE_NONE;
}

module_init(xenpv_platform_init);
module_exit(xenpv_platform_exit);

MODULE_DESCRIPTION("xenpv Xen platform: detection, hypercalls, event channels, grant tables");
MODULE_LICENSE("GPL");
MODULE_AUTHOR("The xenpv authors");
MODULE_VERSION(XENPV_VERSION);
