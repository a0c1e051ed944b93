// SPDX-License-Identifier: GPL-2.0
/*
 * 2-level event channel ABI over shared_info.
 *
 * Copyright (C) 2026 The xenpv authors
 *
 * evtchn_pending[] and evtchn_mask[] in shared_info hold one bit per port
 * (4096 ports on 64-bit); vCPU0's vcpu_info has evtchn_upcall_pending and a
 * selector with one bit per word of evtchn_pending[].  Xen sets a pending
 * bit, and when the port is unmasked and the selector bit was clear, sets
 * the selector bit and upcall_pending and raises the callback.  All shared
 * bits are changed with locked bit operations: Xen changes them
 * concurrently.
 */
#include <linux/kernel.h>
#include <asm/sync_bitops.h>
#include <xen/interface/xen.h>
#include <xen/interface/event_channel.h>

#include "platform.h"
#include "hypercall.h"

#define XENPV_2L_NR_WORDS	(XENPV_2L_NR_PORTS / XENPV_2L_BITS_PER_WORD)

/*
 * Passes over the selector per upcall.  Each pass handles every port that
 * was pending when it started at most once, so the work per interrupt is
 * bounded; what arrives after the last pass keeps upcall_pending set, which
 * keeps the line asserted and brings us back after the EOI (XSA-332).
 */
#define XENPV_2L_MAX_PASSES	2

/*
 * Scan snapshot and round-robin position.  Only the platform interrupt
 * handler uses them, and it never runs concurrently with itself.
 */
static unsigned long xenpv_2l_active[XENPV_2L_NR_WORDS];
static unsigned int xenpv_2l_start;

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

void xenpv_2l_mask_all(void)
{
	unsigned long *mask = xenpv_2l_mask_words();
	unsigned int i;

	BUILD_BUG_ON(sizeof(xen_ulong_t) != sizeof(unsigned long));
	BUILD_BUG_ON(XENPV_2L_NR_PORTS % XENPV_2L_BITS_PER_WORD);
	for (i = 0; i < XENPV_2L_NR_WORDS; i++)
		xchg(&mask[i], ~0ul);
}

void xenpv_2l_reset_scan(void)
{
	memset(xenpv_2l_active, 0, sizeof(xenpv_2l_active));
	xenpv_2l_start = 0;
}

bool xenpv_2l_upcall(void (*dispatch)(evtchn_port_t port))
{
	struct vcpu_info *vi = &xenpv_plat.shinfo->vcpu_info[0];
	unsigned long *pending = xenpv_2l_pending_words();
	unsigned long *mask = xenpv_2l_mask_words();
	unsigned long sel;
	unsigned int pass, w;
	bool any = false;
	int port;

	for (pass = 0; pass < XENPV_2L_MAX_PASSES; pass++) {
		if (!READ_ONCE(vi->evtchn_upcall_pending))
			break;
		any = true;
		WRITE_ONCE(vi->evtchn_upcall_pending, 0);
		/* xchg is a full barrier: the selector is read after the clear. */
		sel = xchg(&vi->evtchn_pending_sel, 0);

		while (sel) {
			w = __ffs(sel);
			sel &= sel - 1;
			xenpv_2l_active[w] = READ_ONCE(pending[w]) &
					     ~READ_ONCE(mask[w]);
		}

		while ((port = xenpv_2l_next_port(xenpv_2l_active,
						  XENPV_2L_NR_WORDS,
						  xenpv_2l_start)) >= 0) {
			xenpv_2l_start = port + 1;
			dispatch(port);
		}
	}
	return any;
}
