/* SPDX-License-Identifier: GPL-2.0 */
/*
 * xenpv_platform internals shared between its source files.
 *
 * Copyright (C) 2026 The xenpv authors
 *
 * File map: main.c (module parameters, init/exit, mode decision),
 * detect.c (CPUID, "is the kernel's Xen support active"), provider.c
 * (exported API: native calls or forwarding to xenpv_pvops), shinfo.c
 * (shared_info, HVM params, callback), pci.c (platform PCI device, BAR1,
 * INTx upcall), evtchn.c + evtchn_2l.c + evtchn_fifo.c (event channels),
 * gnttab.c (grant table v1), unplug.c (emulated device unplug), suspend.c, clock.c (PV clock
 * clocksource), vcpu.c (vCPU ids, per-vCPU upcall vectors), debugfs.c;
 * pure helpers in lib.c, gref_list.c, unplug_parse.c (pure.h).
 */
#ifndef _XENPV_PLATFORM_H
#define _XENPV_PLATFORM_H

#include <linux/types.h>
#include <linux/interrupt.h>
#include <linux/pci.h>
#include <linux/seq_file.h>
#include <asm/hypervisor.h>
#ifdef CONFIG_PARAVIRT
#include <asm/paravirt.h>
#endif
#include <xen/interface/xen.h>
#include <xen/interface/event_channel.h>
#include <xen/interface/grant_table.h>
#include <xenpv/xenpv.h>
#include <xenpv/provider.h>

#include "pure.h"

/* Xen's ABI page is 4 KiB on x86 (the kernel's XEN_PAGE_SHIFT is private). */
#define XENPV_XEN_PAGE_SHIFT	12

/* Returned by the gfn helpers for addresses that have no frame. */
#define XENPV_INVALID_GFN	(~0ul)

/* v1 grant entries hold 32-bit frame numbers (16 TiB of guest memory). */
#define XENPV_GNTTAB_V1_MAX_GFN	0xfffffffful

/* ---- global state ----------------------------------------------------- */

enum xenpv_evtchn_abi {
	XENPV_EVTCHN_ABI_AUTO,		/* FIFO if Xen offers it */
	XENPV_EVTCHN_ABI_FIFO,		/* FIFO or fail */
	XENPV_EVTCHN_ABI_2L,
};

struct xenpv_platform {
	enum xenpv_mode mode;
	enum xenpv_evtchn_abi event_abi;	/* event_abi= */
	const char *mode_why;		/* how the mode was chosen */
	u32 cpuid_base;
	u32 version;			/* major << 16 | minor */

	/* Native mode only, set up by the PCI probe. */
	struct pci_dev *pdev;
	struct xenpv_bar_alloc bar;
	struct shared_info *shinfo;	/* memremap()ed BAR1 page */
	u64 shinfo_addr;		/* its guest physical address */
	u64 callback_via;		/* HVM_PARAM_CALLBACK_IRQ value */
	bool irq_requested;
	bool probed;			/* probe completed */
	int probe_err;			/* why it did not */

	/* Unplug outcome (native). */
	unsigned int unplug_flags;	/* parsed emul_unplug= */
	enum xenpv_unplug_status unplug_status;
	unsigned int unplug_protocol;	/* protocol version read at 0x12 */
	unsigned int unplug_released;	/* emulated PCI functions we removed */
	bool in_register;		/* probing from pci_register_driver() */
	struct xenpv_unplug_result unplug;

	unsigned long nr_suspends;
	unsigned long nr_suspends_cancelled;
};

extern struct xenpv_platform xenpv_plat;

static inline bool xenpv_is_native(void)
{
	return xenpv_plat.mode == XENPV_MODE_NATIVE;
}

/* ---- detect.c ---------------------------------------------------------- */

u32 xenpv_detect_cpuid_base(void);
/* Whether the running kernel's own Xen guest support is in use. */
bool xenpv_kernel_xen_active(const char **why);

/* ---- shinfo.c ---------------------------------------------------------- */

int xenpv_hvm_set_param(u32 index, u64 value);
int xenpv_native_hvm_get_param(u32 index, u64 *value);
/* HVM_PARAM_CALLBACK_IRQ: also latches the 64-bit shared_info layout. */
int xenpv_set_callback_via(u64 via);
int xenpv_shinfo_map(void);		/* probe: BAR1 page, add_to_physmap */
int xenpv_shinfo_remap(void);		/* resume: add_to_physmap again */
void xenpv_shinfo_unmap(void);
/* Describe a callback via for logs and debugfs. */
void xenpv_format_callback_via(u64 via, char *buf, size_t len);

/* ---- clock.c ----------------------------------------------------------- */

void xenpv_clock_init(void);		/* probe, after shared_info */
bool xenpv_clock_exit(void);		/* remove, before shared_info goes */
struct seq_file;
void xenpv_clock_debugfs_show(struct seq_file *m);

/* ---- vcpu.c ------------------------------------------------------------ */

#define XENPV_VCPU_ID_UNKNOWN	U32_MAX
int xenpv_vcpu_init(void);		/* probe, after the INTx callback */
void xenpv_vcpu_exit(void);		/* remove, after every port is gone */
int xenpv_vcpu_resume(void);		/* new domain: vectors again */
u32 xenpv_cpu_vcpu(unsigned int cpu);	/* Xen vCPU id or ..._UNKNOWN */
u32 xenpv_this_vcpu(void);		/* same, running CPU, preempt off */
bool xenpv_upcall_vectors(void);	/* per-vCPU vector delivery on */
const char *xenpv_vcpu_delivery(void);	/* how events arrive, for logs */
bool xenpv_vcpu_ids_known(void);	/* CPUID reports vCPU ids */
bool xenpv_cpu_events_ok(unsigned int cpu); /* events can be bound there */
void xenpv_vcpu_debugfs_show(struct seq_file *m);

/* ---- pci.c ------------------------------------------------------------- */

int xenpv_pci_register(void);
void xenpv_pci_unregister(void);
/* Re-set HVM_PARAM_CALLBACK_IRQ after a resume (atomic context). */
int xenpv_pci_restore_callback(void);

/* ---- evtchn.c / evtchn_2l.c -------------------------------------------- */

int xenpv_evtchn_init(void);
void xenpv_evtchn_exit(void);
/* Upcall from the platform interrupt: true when anything was pending. */
bool xenpv_evtchn_upcall(void);
/* Upcall from @cpu's vector (vcpu.c), for Xen vCPU @vcpu. */
void xenpv_evtchn_upcall_vector(unsigned int cpu, u32 vcpu);
/* Resume (stop_machine context): every binding of the old domain is gone. */
void xenpv_evtchn_resume(bool cancelled);
/* evtchn_mutex around a suspend, so no bind/unbind runs across it. */
void xenpv_evtchn_suspend_lock(void);
void xenpv_evtchn_suspend_unlock(void);
void xenpv_evtchn_debugfs_show(struct seq_file *m);
const char *xenpv_evtchn_abi_name(void);
/* @cpu is dead: what its vCPU's queues still hold goes elsewhere. */
void xenpv_evtchn_cpu_dead(unsigned int cpu);

int xenpv_native_evtchn_alloc_unbound(domid_t remote, evtchn_port_t *port);
int xenpv_native_evtchn_bind_interdomain(domid_t remote, evtchn_port_t rport,
					 evtchn_port_t *lport);
void xenpv_native_evtchn_close(evtchn_port_t port);
void xenpv_native_evtchn_notify(evtchn_port_t port);
int xenpv_native_evtchn_bind_irq(evtchn_port_t port, irq_handler_t handler,
				 unsigned long irqflags, const char *name,
				 void *dev_id, unsigned int flags);
void xenpv_native_evtchn_unbind_irq(int irq, void *dev_id);
evtchn_port_t xenpv_native_evtchn_from_irq(int irq);
void xenpv_native_evtchn_lateeoi(int irq, unsigned int eoi_flags);

/* 2-level ABI over shared_info (evtchn_2l.c). */
#define XENPV_2L_NR_PORTS	EVTCHN_2L_NR_CHANNELS
void xenpv_2l_mask(evtchn_port_t port);
void xenpv_2l_unmask(evtchn_port_t port);
bool xenpv_2l_is_pending(evtchn_port_t port);
void xenpv_2l_set_pending(evtchn_port_t port);
void xenpv_2l_clear_pending(evtchn_port_t port);
void xenpv_2l_mask_all(void);
/*
 * Handle the pending events of vCPU @vcpu on @cpu: @dispatch is called for
 * every pending, unmasked port bound to @cpu.  Two passes at most (INTx:
 * the level brings us back), or until upcall_pending stays clear (@drain,
 * for the edge-triggered vectors).  True when anything was pending.
 */
bool xenpv_2l_upcall(unsigned int cpu, u32 vcpu, bool drain,
		     void (*dispatch)(evtchn_port_t port));
/* Forget every port's CPU and the scan state (init, new domain). */
void xenpv_2l_reset_scan(void);
int xenpv_2l_init(void);
void xenpv_2l_exit(void);
/* @port moves from CPU @from to CPU @to (-1: none) for the upcall scan. */
void xenpv_2l_bind_cpu(evtchn_port_t port, int from, int to);

/* FIFO ABI (evtchn_fifo.c); the same 4096 ports. */
/* -EOPNOTSUPP: Xen has no FIFO; -EIO: the domain may be left in FIFO. */
int xenpv_fifo_init(void);
void xenpv_fifo_exit(void);		/* EVTCHNOP_reset, toolstack ports back */
int xenpv_fifo_resume(void);		/* new domain, stop_machine context */
bool xenpv_fifo_vcpu_ok(u32 vcpu);	/* @vcpu has a control block */
/* Take everything off @vcpu's queues; @fn for each pending, unmasked port. */
void xenpv_fifo_drain(u32 vcpu, void (*fn)(evtchn_port_t port));
void xenpv_fifo_mask(evtchn_port_t port);
void xenpv_fifo_unmask(evtchn_port_t port);
void xenpv_fifo_set_pending(evtchn_port_t port);
void xenpv_fifo_clear_pending(evtchn_port_t port);
void xenpv_fifo_mask_all(void);
void xenpv_fifo_reset_scan(void);
/* As xenpv_2l_upcall(); @vcpu's queues. */
bool xenpv_fifo_upcall(unsigned int cpu, u32 vcpu, bool drain,
		       void (*dispatch)(evtchn_port_t port));
void xenpv_fifo_debugfs_show(struct seq_file *m);

/* ---- gnttab.c ---------------------------------------------------------- */

int xenpv_gnttab_init(void);
void xenpv_gnttab_exit(void);
int xenpv_gnttab_resume(void);		/* stop_machine context */
void xenpv_gnttab_debugfs_show(struct seq_file *m);

int xenpv_native_gnttab_grant_access(domid_t domid, unsigned long gfn,
				     bool readonly);
bool xenpv_native_gnttab_try_end_access(grant_ref_t ref);
void xenpv_native_gnttab_end_access(grant_ref_t ref, struct page *page);
int xenpv_native_gnttab_alloc_refs(u16 count, grant_ref_t *head);
void xenpv_native_gnttab_free_refs(grant_ref_t head);
int xenpv_native_gnttab_claim_ref(grant_ref_t *head);
void xenpv_native_gnttab_release_ref(grant_ref_t *head, grant_ref_t ref);
void xenpv_native_gnttab_grant_access_ref(grant_ref_t ref, domid_t domid,
					  unsigned long gfn, bool readonly);
void xenpv_native_gnttab_free_ref(grant_ref_t ref);
void xenpv_native_gnttab_request_free_callback(struct xenpv_gnttab_free_cb *cb,
					       void (*fn)(void *arg),
					       void *arg, u16 count);
void xenpv_native_gnttab_cancel_free_callback(struct xenpv_gnttab_free_cb *cb);
void xenpv_native_gnttab_get_stats(struct xenpv_gnttab_stats *stats);

/* ---- unplug.c ---------------------------------------------------------- */

/* Run the unplug handshake; -EPERM when the host blacklists us. */
int xenpv_unplug_devices(bool resume);
const char *xenpv_unplug_status_name(enum xenpv_unplug_status st);

/* ---- suspend.c --------------------------------------------------------- */

int xenpv_native_platform_suspend(bool *cancelled);

/* ---- debugfs.c --------------------------------------------------------- */

void xenpv_debugfs_init(void);
void xenpv_debugfs_exit(void);

/* ---- provider.c -------------------------------------------------------- */

/* Drop a provider that was left registered (module exit). */
void xenpv_provider_exit(void);

/* ---- kernel configuration helpers -------------------------------------- */

/* x86_hyper_type exists only with CONFIG_HYPERVISOR_GUEST. */
static inline enum x86_hypervisor_type xenpv_kernel_hyper_type(void)
{
#ifdef CONFIG_HYPERVISOR_GUEST
	return x86_hyper_type;
#else
	return X86_HYPER_NATIVE;	/* no hypervisor guest support at all */
#endif
}

/* pv_info.name ("bare hardware", "Xen HVM", "KVM", ...), NULL without it. */
static inline const char *xenpv_kernel_pv_name(void)
{
#ifdef CONFIG_PARAVIRT
	return pv_info.name;
#else
	return NULL;
#endif
}

/* ---- compat shims used here -------------------------------------------- */

/*
 * Pin the platform INTx to CPU0: 5.12 made irq_set_affinity() a plain
 * exported function; before, the hint setter (which also applied the
 * affinity) was the exported way.  The hint must be cleared before
 * free_irq().
 */
static inline void xenpv_irq_pin_cpu0(unsigned int irq)
{
#ifdef XENPV_HAVE_IRQ_SET_AFFINITY
	irq_set_affinity(irq, cpumask_of(0));
#else
	irq_set_affinity_hint(irq, cpumask_of(0));
#endif
}

static inline void xenpv_irq_unpin(unsigned int irq)
{
#ifndef XENPV_HAVE_IRQ_SET_AFFINITY
	irq_set_affinity_hint(irq, NULL);
#endif
}

#endif /* _XENPV_PLATFORM_H */
