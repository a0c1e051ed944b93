// SPDX-License-Identifier: GPL-2.0
/*
 * 5.11 API change: xdp_rxq_info_reg() takes the NAPI id as a fourth
 * argument.
 */
#include <linux/netdevice.h>
#include <net/xdp.h>

static int __maybe_unused xenpv_probe(struct xdp_rxq_info *rxq,
				      struct net_device *dev)
{
	return xdp_rxq_info_reg(rxq, dev, 0, 0);
}
