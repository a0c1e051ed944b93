// SPDX-License-Identifier: GPL-2.0
/*
 * 5.19 API change: drivers cap the TSO size with netif_set_tso_max_size();
 * netif_set_gso_max_size() became internal to the network core.
 */
#include <linux/netdevice.h>

static void __maybe_unused xenpv_probe(struct net_device *dev)
{
	netif_set_tso_max_size(dev, 65536);
}
