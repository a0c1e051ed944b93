// SPDX-License-Identifier: GPL-2.0
/*
 * Xen detection: CPUID leaves, and whether the kernel's own Xen support runs.
 *
 * Copyright (C) 2026 The xenpv authors
 */
#include <linux/kernel.h>
#include <linux/string.h>
#include <asm/processor.h>
#include <asm/hypervisor.h>
#include <asm/xen/cpuid.h>

#include "platform.h"

/*
 * cpuid() is the kernel's: in a PV guest it goes through the paravirt ops,
 * which ask Xen, so pvops mode is detected there too.
 */
static void xenpv_cpuid_native(u32 leaf, u32 regs[4])
{
	cpuid(leaf, &regs[0], &regs[1], &regs[2], &regs[3]);
}

/* Xen's leaf base (0x40000000 or a later 0x100 step), or 0 when not on Xen. */
u32 xenpv_detect_cpuid_base(void)
{
	static const u32 sig[3] = {
		XEN_CPUID_SIGNATURE_EBX,
		XEN_CPUID_SIGNATURE_ECX,
		XEN_CPUID_SIGNATURE_EDX,
	};

	/* Bare metal: leaves above 0x40000000 may echo other leaves. */
	if (!boot_cpu_has(X86_FEATURE_HYPERVISOR) &&
	    xenpv_kernel_hyper_type() == X86_HYPER_NATIVE)
		return 0;
	/* base+1 (version) and base+2 (hypercall MSR) must exist. */
	return xenpv_cpuid_find_base(xenpv_cpuid_native, XEN_CPUID_FIRST_LEAF,
				     sig, 2);
}

/*
 * Did the kernel's Xen HVM code initialise?  With "nopv" (or the deprecated
 * "xen_nopv", which sets nopv) the kernel still *detects* Xen HVM: its
 * hypervisor_x86 entry has ignore_nopv set, so x86_hyper_type is
 * X86_HYPER_XEN_HVM either way (since 5.3, arch/x86/xen/enlighten_hvm.c
 * xen_platform_hvm()).  What nopv changes is that the init hooks become
 * no-ops: xen_hvm_guest_init() never runs, and that function is the only
 * place that sets pv_info.name to "Xen HVM" / "Xen PVH".  "nopv" itself is
 * __initdata and not readable from a module.
 */
static bool xenpv_kernel_xen_hvm_initialised(void)
{
	const char *name = xenpv_kernel_pv_name();

	/* No pv_info (no PARAVIRT) cannot happen with Xen HVM: assume active. */
	return !name || !strncmp(name, "Xen", 3);
}

bool xenpv_kernel_xen_active(const char **why)
{
	switch (xenpv_kernel_hyper_type()) {
	case X86_HYPER_XEN_PV:
		*why = "kernel runs as a Xen PV guest";
		return true;
	case X86_HYPER_XEN_HVM:
		if (xenpv_kernel_xen_hvm_initialised()) {
			*why = "kernel Xen HVM support is active";
			return true;
		}
		*why = "kernel Xen HVM support is off (nopv)";
		return false;
	default:
		*why = IS_ENABLED(CONFIG_HYPERVISOR_GUEST) ?
		       "kernel did not set up Xen guest support" :
		       "kernel built without hypervisor guest support";
		return false;
	}
}
