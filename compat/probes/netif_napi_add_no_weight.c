// SPDX-License-Identifier: GPL-2.0
/*
 * 6.1 API change: netif_napi_add() lost its weight argument (drivers that
 * need another weight call netif_napi_add_weight()).
 */
#include <linux/netdevice.h>

static int xenpv_probe_poll(struct napi_struct *napi, int budget)
{
	return 0;
}

static void __maybe_unused xenpv_probe(struct net_device *dev,
				       struct napi_struct *napi)
{
	netif_napi_add(dev, napi, xenpv_probe_poll);
}
