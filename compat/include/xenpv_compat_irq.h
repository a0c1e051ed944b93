/* SPDX-License-Identifier: GPL-2.0 */
/*
 * IRQ domain shims (native mode's event channel demultiplexer).
 *
 * Copyright (C) 2026 The xenpv authors
 */
#ifndef _XENPV_COMPAT_IRQ_H
#define _XENPV_COMPAT_IRQ_H

#include <linux/irq.h>
#include <linux/irqdesc.h>
#include <linux/irqdomain.h>

/*
 * 5.15: generic_handle_domain_irq() looks up and handles a hwirq in one
 * call.  Returns 0, or -EINVAL when @hwirq has no mapping.
 */
static inline int xenpv_generic_handle_domain_irq(struct irq_domain *domain,
						  unsigned int hwirq)
{
#ifdef XENPV_HAVE_GENERIC_HANDLE_DOMAIN_IRQ
	return generic_handle_domain_irq(domain, hwirq);
#else
	unsigned int irq = irq_find_mapping(domain, hwirq);

	if (!irq)
		return -EINVAL;
	return generic_handle_irq(irq);
#endif
}

#endif /* _XENPV_COMPAT_IRQ_H */
