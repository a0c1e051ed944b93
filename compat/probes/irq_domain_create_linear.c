// SPDX-License-Identifier: GPL-2.0
/*
 * irq_domain_create_linear() takes a fwnode_handle (all supported kernels
 * have it; probed to guard the domain code against its removal).
 */
#include <linux/irqdomain.h>

static __maybe_unused struct irq_domain *
xenpv_probe(struct fwnode_handle *fwnode, const struct irq_domain_ops *ops)
{
	return irq_domain_create_linear(fwnode, 32, ops, NULL);
}
