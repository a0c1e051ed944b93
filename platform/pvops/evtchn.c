// SPDX-License-Identifier: GPL-2.0
/*
 * xenpv_pvops event channels: the kernel's event channel core.
 *
 * Copyright (C) 2026 The xenpv authors
 *
 * Ports are allocated and bound with the event channel hypercalls, so that
 * the xenpv API keeps its split between "have a port" and "handle its
 * events on an IRQ"; the IRQ binding itself is the kernel's.  The kernel
 * does not export its IRQ-to-port lookup, so the ports we bound are kept in
 * a small table, keyed by port, that also lets xenpv_evtchn_close() refuse
 * a port that an IRQ still owns.
 */

#include <linux/errno.h>
#include <linux/xarray.h>
#include <xen/events.h>
#include <xen/interface/event_channel.h>
#include <asm/xen/hypercall.h>

#include "pvops.h"

/* port -> xa_mk_value(irq); a reserved (NULL) slot while binding. */
static DEFINE_XARRAY(xenpv_pvops_bound_ports);

int xenpv_pvops_evtchn_alloc_unbound(domid_t remote, evtchn_port_t *port)
{
	struct evtchn_alloc_unbound op = {
		.dom = DOMID_SELF,
		.remote_dom = remote,
	};
	int err;

	err = HYPERVISOR_event_channel_op(EVTCHNOP_alloc_unbound, &op);
	if (err)
		return err;

	*port = op.port;
	return 0;
}

int xenpv_pvops_evtchn_bind_interdomain(domid_t remote, evtchn_port_t rport,
					evtchn_port_t *lport)
{
	struct evtchn_bind_interdomain op = {
		.remote_dom = remote,
		.remote_port = rport,
	};
	int err;

	err = HYPERVISOR_event_channel_op(EVTCHNOP_bind_interdomain, &op);
	if (err)
		return err;

	*lport = op.local_port;
	return 0;
}

void xenpv_pvops_evtchn_close(evtchn_port_t port)
{
	struct evtchn_close op = { .port = port };
	int err;

	if (!port)
		return;

	/* Closing under an IRQ binding would leave the kernel's tables stale. */
	if (WARN_ON_ONCE(xa_load(&xenpv_pvops_bound_ports, port))) {
		pr_err("port %u is bound to an IRQ: unbind it instead of closing\n",
		       port);
		return;
	}

	err = HYPERVISOR_event_channel_op(EVTCHNOP_close, &op);
	if (err)
		pr_warn_ratelimited("closing port %u failed: %d\n", port, err);
}

void xenpv_pvops_evtchn_notify(evtchn_port_t port)
{
	notify_remote_via_evtchn(port);
}

int xenpv_pvops_evtchn_bind_irq(evtchn_port_t port, irq_handler_t handler,
				unsigned long irqflags, const char *name,
				void *dev_id, unsigned int flags)
{
	int irq;
	int err;

	if (!port || !handler || (flags & ~XENPV_EVTCHN_LATEEOI))
		return -EINVAL;

	/* Allocate the table slot first: after binding, nothing may fail. */
	err = xa_reserve(&xenpv_pvops_bound_ports, port, GFP_KERNEL);
	if (err)
		return err;
	if (xa_load(&xenpv_pvops_bound_ports, port)) {
		/* Already bound through us: a caller bug, refuse it. */
		return -EBUSY;
	}

	if (flags & XENPV_EVTCHN_LATEEOI)
		irq = xenpv_pvops_bind_lateeoi(port, handler, irqflags, name,
					       dev_id);
	else
		irq = bind_evtchn_to_irqhandler(port, handler, irqflags, name,
						dev_id);
	if (irq < 0) {
		xa_release(&xenpv_pvops_bound_ports, port);
		return irq;
	}
	if (WARN_ON_ONCE(!irq)) {
		/* The xenpv API promises an IRQ number > 0. */
		unbind_from_irqhandler(irq, dev_id);
		xa_release(&xenpv_pvops_bound_ports, port);
		return -EINVAL;
	}

	xa_store(&xenpv_pvops_bound_ports, port, xa_mk_value(irq), GFP_KERNEL);
	return irq;
}

/* Port bound to @irq through us, or 0. */
static evtchn_port_t xenpv_pvops_port_of_irq(int irq)
{
	unsigned long port;
	void *entry;

	xa_for_each(&xenpv_pvops_bound_ports, port, entry) {
		if (xa_to_value(entry) == (unsigned long)irq)
			return port;
	}
	return 0;
}

void xenpv_pvops_evtchn_unbind_irq(int irq, void *dev_id)
{
	evtchn_port_t port;

	if (irq <= 0)
		return;

	port = xenpv_pvops_port_of_irq(irq);
	if (!port)
		pr_warn("unbinding IRQ %d that was not bound through xenpv\n",
			irq);

	/* Frees the IRQ and closes the port. */
	unbind_from_irqhandler(irq, dev_id);

	if (port)
		xa_erase(&xenpv_pvops_bound_ports, port);
}

evtchn_port_t xenpv_pvops_evtchn_from_irq(int irq)
{
	if (irq <= 0)
		return 0;
	return xenpv_pvops_port_of_irq(irq);
}

void xenpv_pvops_evtchn_lateeoi(int irq, unsigned int eoi_flags)
{
	xenpv_pvops_irq_lateeoi(irq, eoi_flags & XENPV_EOI_SPURIOUS);
}

/* Module exit: every user has gone, so every binding should have too. */
void xenpv_pvops_evtchn_exit(void)
{
	unsigned long port;
	void *entry;

	xa_for_each(&xenpv_pvops_bound_ports, port, entry)
		pr_warn("port %lu is still bound to IRQ %lu at unload\n",
			port, xa_to_value(entry));
	xa_destroy(&xenpv_pvops_bound_ports);
}
