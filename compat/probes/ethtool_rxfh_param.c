// SPDX-License-Identifier: GPL-2.0
/*
 * 6.8 API change: ethtool_ops.get_rxfh/set_rxfh take a struct
 * ethtool_rxfh_param (before: indir, key and hfunc arguments).
 */
#include <linux/ethtool.h>
#include <linux/netdevice.h>

static int xenpv_probe_get(struct net_device *dev, struct ethtool_rxfh_param *p)
{
	return p->indir ? 0 : -EINVAL;
}

static int xenpv_probe_set(struct net_device *dev, struct ethtool_rxfh_param *p,
			   struct netlink_ext_ack *extack)
{
	return p->key ? 0 : -EINVAL;
}

static const struct ethtool_ops xenpv_probe_ops __maybe_unused = {
	.get_rxfh = xenpv_probe_get,
	.set_rxfh = xenpv_probe_set,
};
