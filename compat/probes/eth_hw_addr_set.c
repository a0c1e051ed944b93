// SPDX-License-Identifier: GPL-2.0
/*
 * 5.15 API change: net_device.dev_addr becomes const; the address is set
 * with eth_hw_addr_set() (also in later 5.10 stable releases).
 */
#include <linux/etherdevice.h>

static void __maybe_unused xenpv_probe(struct net_device *dev, const u8 *addr)
{
	eth_hw_addr_set(dev, addr);
}
