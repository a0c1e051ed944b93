// SPDX-License-Identifier: GPL-2.0
/*
 * 2-level event channel ABI over shared_info.
 *
 * Copyright (C) 2026 The xenpv authors
 *
 * evtchn_pending[] and evtchn_mask[] in shared_info hold one bit per port
 * (4096 ports on 64-bit); the vcpu_info of the vCPU a port is bound to has
 * evtchn_upcall_pending and a selector with one bit per word of
 * evtchn_pending[].  Xen sets a pending bit, and when the port is unmasked
 * and the selector bit was clear, sets the selector bit and upcall_pending
 * and raises that vCPU's upcall (its vector, or INTx for vCPU0).  All
 * shared bits are changed with locked bit operations: Xen changes them
 * concurrently.  Each CPU scans only the ports bound to its own vCPU (its
 * "bound" bitmap): the pending and mask words are shared by all vCPUs.
 */
#include <linux/kernel.h>
#include <linux/percpu.h>
#include <asm/sync_bitops.h>
#include <xen/interface/xen.h>
#include <xen/interface/event_channel.h>

#include "platform.h"
#include "hypercall.h"

#define XENPV_2L_NR_WORDS	(XENPV_2L_NR_PORTS / XENPV_2L_BITS_PER_WORD)

/*
 * Passes over the selector per INTx upcall.  Each pass handles every port
 * that was pending when it started at most once, so the work per interrupt
 * is bounded; what arrives after the last pass keeps upcall_pending set,
 * which keeps the line asserted and brings us back after the EOI
 * (XSA-332).  A vector upcall is an edge that Xen raises only when
 * upcall_pending goes from 0 to 1, so there we loop until it stays clear,
 * as the kernel's own upcall does; a port that floods us is held off by
 * its late EOI (the frontends' ports all use it), not by the loop.
 */
#define XENPV_2L_MAX_PASSES	2

/*
 * Per CPU: the ports bound to this CPU's vCPU (set/cleared atomically by
 * binding and affinity changes), and the scan snapshot and round-robin
 * position, which only this CPU's upcall uses (never nested).
 */
struct xenpv_2l_cpu {
	unsigned long bound[XENPV_2L_NR_WORDS];
	unsigned long active[XENPV_2L_NR_WORDS];
	unsigned int start;
};

static struct xenpv_2l_cpu __percpu *xenpv_2l_cpus;

int xenpv_2l_init(void)
{
	xenpv_2l_cpus = alloc_percpu(struct xenpv_2l_cpu);
	return xenpv_2l_cpus ? 0 : -ENOMEM;
}

void xenpv_2l_exit(void)
{
	free_percpu(xenpv_2l_cpus);
	xenpv_2l_cpus = NULL;
}

/* @port moves from @from's vCPU to @to's (either may be -1: none). */
void xenpv_2l_bind_cpu(evtchn_port_t port, int from, int to)
{
	if (from >= 0)
		clear_bit(port, per_cpu_ptr(xenpv_2l_cpus, from)->bound);
	if (to >= 0)
		set_bit(port, per_cpu_ptr(xenpv_2l_cpus, to)->bound);
}

static unsigned long *xenpv_2l_pending_words(void)
{
	return (unsigned long *)xenpv_plat.shinfo->evtchn_pending;
}

static unsigned long *xenpv_2l_mask_words(void)
{
	return (unsigned long *)xenpv_plat.shinfo->evtchn_mask;
}

void xenpv_2l_mask(evtchn_port_t port)
{
	sync_set_bit(port, xenpv_2l_mask_words());
}

/*
 * Unmask in an HVM guest: clearing the bit is enough unless the port is
 * already pending, in which case Xen must redeliver it.  EVTCHNOP_unmask
 * only raises the upcall when it is Xen that clears the mask bit, so the
 * bit is set again before the hypercall.
 */
void xenpv_2l_unmask(evtchn_port_t port)
{
	struct evtchn_unmask op = { .port = port };

	sync_clear_bit(port, xenpv_2l_mask_words());
	if (!sync_test_bit(port, xenpv_2l_pending_words()))
		return;
	sync_set_bit(port, xenpv_2l_mask_words());
	xenpv_hc_event_channel_op(EVTCHNOP_unmask, &op);
}

bool xenpv_2l_is_pending(evtchn_port_t port)
{
	return sync_test_bit(port, xenpv_2l_pending_words());
}

void xenpv_2l_set_pending(evtchn_port_t port)
{
	sync_set_bit(port, xenpv_2l_pending_words());
}

void xenpv_2l_clear_pending(evtchn_port_t port)
{
	sync_clear_bit(port, xenpv_2l_pending_words());
}

/*
 * Mask every port, and clear every vCPU's selector: a selector bit left
 * set by an earlier user that did not scan it (the boot before any
 * driver, or a FIFO load, which has no use for selectors) would keep Xen
 * from ever raising an upcall for the ports of that word (it raises one
 * only when it sets the bit).  Pending bits stay: unmasking a pending
 * port asks Xen to deliver it (xenpv_2l_unmask()), so nothing is lost.
 */
void xenpv_2l_mask_all(void)
{
	unsigned long *mask = xenpv_2l_mask_words();
	unsigned int i;

	BUILD_BUG_ON(sizeof(xen_ulong_t) != sizeof(unsigned long));
	BUILD_BUG_ON(XENPV_2L_NR_PORTS % XENPV_2L_BITS_PER_WORD);
	for (i = 0; i < XENPV_2L_NR_WORDS; i++)
		xchg(&mask[i], ~0ul);
	for (i = 0; i < MAX_VIRT_CPUS; i++)
		xchg(&xenpv_plat.shinfo->vcpu_info[i].evtchn_pending_sel, 0);
}

void xenpv_2l_reset_scan(void)
{
	unsigned int cpu;

	for_each_possible_cpu(cpu)
		memset(per_cpu_ptr(xenpv_2l_cpus, cpu), 0,
		       sizeof(struct xenpv_2l_cpu));
}

bool xenpv_2l_upcall(unsigned int cpu, u32 vcpu, bool drain,
		     void (*dispatch)(evtchn_port_t port))
{
	struct vcpu_info *vi = &xenpv_plat.shinfo->vcpu_info[vcpu];
	struct xenpv_2l_cpu *st = per_cpu_ptr(xenpv_2l_cpus, cpu);
	unsigned long *pending = xenpv_2l_pending_words();
	unsigned long *mask = xenpv_2l_mask_words();
	unsigned long sel;
	unsigned int pass, w;
	bool any = false;
	int port;

	for (pass = 0; drain || pass < XENPV_2L_MAX_PASSES; pass++) {
		if (!READ_ONCE(vi->evtchn_upcall_pending))
			break;
		any = true;
		WRITE_ONCE(vi->evtchn_upcall_pending, 0);
		/* xchg is a full barrier: the selector is read after the clear. */
		sel = xchg(&vi->evtchn_pending_sel, 0);

		while (sel) {
			w = __ffs(sel);
			sel &= sel - 1;
			st->active[w] = READ_ONCE(pending[w]) &
					~READ_ONCE(mask[w]) &
					READ_ONCE(st->bound[w]);
		}

		while ((port = xenpv_2l_next_port(st->active,
						  XENPV_2L_NR_WORDS,
						  st->start)) >= 0) {
			st->start = port + 1;
			dispatch(port);
		}
	}
	return any;
}
