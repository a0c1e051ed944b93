// SPDX-License-Identifier: GPL-2.0
/*
 * 6.19 API change: ethtool_ops.get_rx_ring_count() reports the number of
 * RX rings (before: only through get_rxnfc(ETHTOOL_GRXRINGS)).
 */
#include <linux/ethtool.h>
#include <linux/netdevice.h>

static u32 xenpv_probe_rx_ring_count(struct net_device *dev)
{
	return dev ? 1 : 0;
}

static const struct ethtool_ops xenpv_probe_ops __maybe_unused = {
	.get_rx_ring_count = xenpv_probe_rx_ring_count,
};
