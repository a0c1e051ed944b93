/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Direct Xen hypercalls for HVM guests (native mode).
 *
 * Copyright (C) 2026 The xenpv authors
 *
 * We never execute a hypercall page (XSA-466: the page Xen writes holds
 * plain `ret`s and no `endbr`, unsuited to the kernel's speculation and CFI
 * hardening; Xen's hypercall-abi.rst calls the page optional).  Instead we
 * issue VMCALL (Intel and compatible VMX CPUs) or VMMCALL (AMD, Hygon: SVM)
 * ourselves with the 64-bit register ABI: RAX = hypercall number, then RDI,
 * RSI, RDX, R10, R8 for arguments 1-5, result in RAX.  Xen may clobber every
 * argument register (debug builds poison them), so all of them are outputs
 * or clobbers here even when unused.
 *
 * The guest's 32/64-bit ABI for shared_info is latched by setting
 * HVM_PARAM_CALLBACK_IRQ (see shinfo.c), not by the hypercall page.
 */
#ifndef _XENPV_PLATFORM_HYPERCALL_H
#define _XENPV_PLATFORM_HYPERCALL_H

#include <linux/types.h>
#include <linux/compiler.h>
#include <xen/interface/xen.h>

/* True on SVM (AMD, Hygon): use VMMCALL.  Set once before any hypercall. */
extern bool xenpv_hc_vmmcall;

static __always_inline long xenpv_hypercall3(unsigned long nr,
					     unsigned long a1,
					     unsigned long a2,
					     unsigned long a3)
{
	register unsigned long rax asm("rax") = nr;
	register unsigned long rdi asm("rdi") = a1;
	register unsigned long rsi asm("rsi") = a2;
	register unsigned long rdx asm("rdx") = a3;

	if (xenpv_hc_vmmcall)
		asm volatile("vmmcall"
			     : "+r" (rax), "+r" (rdi), "+r" (rsi), "+r" (rdx)
			     : : "r10", "r8", "memory");
	else
		asm volatile("vmcall"
			     : "+r" (rax), "+r" (rdi), "+r" (rsi), "+r" (rdx)
			     : : "r10", "r8", "memory");
	return (long)rax;
}

/* Typed wrappers; arguments are guest virtual addresses of the structures. */

static inline int xenpv_hc_xen_version(int cmd, void *arg)
{
	return (int)xenpv_hypercall3(__HYPERVISOR_xen_version, cmd,
				     (unsigned long)arg, 0);
}

static inline int xenpv_hc_memory_op(unsigned int cmd, void *arg)
{
	return (int)xenpv_hypercall3(__HYPERVISOR_memory_op, cmd,
				     (unsigned long)arg, 0);
}

static inline int xenpv_hc_sched_op(int cmd, void *arg)
{
	return (int)xenpv_hypercall3(__HYPERVISOR_sched_op, cmd,
				     (unsigned long)arg, 0);
}

static inline int xenpv_hc_event_channel_op(int cmd, void *arg)
{
	return (int)xenpv_hypercall3(__HYPERVISOR_event_channel_op, cmd,
				     (unsigned long)arg, 0);
}

static inline int xenpv_hc_hvm_op(int op, void *arg)
{
	return (int)xenpv_hypercall3(__HYPERVISOR_hvm_op, op,
				     (unsigned long)arg, 0);
}

static inline int xenpv_hc_grant_table_op(unsigned int cmd, void *uop,
					  unsigned int count)
{
	return (int)xenpv_hypercall3(__HYPERVISOR_grant_table_op, cmd,
				     (unsigned long)uop, count);
}

#endif /* _XENPV_PLATFORM_HYPERCALL_H */
