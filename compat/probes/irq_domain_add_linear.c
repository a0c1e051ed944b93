// SPDX-License-Identifier: GPL-2.0
/*
 * 6.16 API change: the device_node based irq_domain_add_linear() goes away
 * in favour of irq_domain_create_linear().
 */
#include <linux/irqdomain.h>

static __maybe_unused struct irq_domain *
xenpv_probe(struct device_node *np, const struct irq_domain_ops *ops)
{
	return irq_domain_add_linear(np, 32, ops, NULL);
}
