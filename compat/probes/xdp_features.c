// SPDX-License-Identifier: GPL-2.0
/*
 * 6.3 API change: drivers advertise their XDP abilities in
 * net_device.xdp_features (xdp_set_features_flag()).
 */
#include <linux/netdevice.h>
#include <net/xdp.h>

static void __maybe_unused xenpv_probe(struct net_device *dev)
{
	xdp_set_features_flag(dev, NETDEV_XDP_ACT_BASIC | NETDEV_XDP_ACT_REDIRECT);
	xdp_clear_features_flag(dev);
}
