// SPDX-License-Identifier: GPL-2.0
/*
 * 5.15 API change: generic_handle_domain_irq() maps and handles a hwirq of
 * an irq_domain in one call (before: irq_find_mapping() +
 * generic_handle_irq()).
 */
#include <linux/irq.h>
#include <linux/irqdesc.h>
#include <linux/irqdomain.h>

static int __maybe_unused xenpv_probe(struct irq_domain *d)
{
	return generic_handle_domain_irq(d, 0);
}
