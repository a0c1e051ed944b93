// SPDX-License-Identifier: GPL-2.0
/*
 * 5.10 API (XSA-332, backported to older stable series):
 * bind_evtchn_to_irqhandler_lateeoi() + xen_irq_lateeoi() let a driver
 * EOI an event only after it has handled it.
 */
#include <linux/interrupt.h>
#include <xen/events.h>

static irqreturn_t xenpv_probe_handler(int irq, void *data)
{
	xen_irq_lateeoi(irq, 0);
	return IRQ_HANDLED;
}

static int __maybe_unused xenpv_probe(evtchn_port_t port)
{
	return bind_evtchn_to_irqhandler_lateeoi(port, xenpv_probe_handler, 0,
						 "xenpv_probe", NULL);
}
