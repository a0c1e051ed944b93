/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Network shims across 5.10 .. 7.x.
 *
 * Copyright (C) 2026 The xenpv authors
 */
#ifndef _XENPV_COMPAT_NET_H
#define _XENPV_COMPAT_NET_H

#include <linux/etherdevice.h>
#include <linux/netdevice.h>
#include <linux/string.h>
#include <net/xdp.h>

/* 6.1 dropped the weight argument; the default weight is what we want. */
static inline void xenpv_netif_napi_add(struct net_device *dev,
					struct napi_struct *napi,
					int (*poll)(struct napi_struct *, int))
{
#ifdef XENPV_HAVE_NETIF_NAPI_ADD_NO_WEIGHT
	netif_napi_add(dev, napi, poll);
#else
	netif_napi_add(dev, napi, poll, NAPI_POLL_WEIGHT);
#endif
}

/* 5.15: dev_addr is const, written through eth_hw_addr_set(). */
static inline void xenpv_eth_hw_addr_set(struct net_device *dev, const u8 *addr)
{
#ifdef XENPV_HAVE_ETH_HW_ADDR_SET
	eth_hw_addr_set(dev, addr);
#else
	memcpy(dev->dev_addr, addr, ETH_ALEN);
#endif
}

/* 5.19: drivers cap TSO with netif_set_tso_max_size(). */
static inline void xenpv_netif_set_tso_max_size(struct net_device *dev,
						unsigned int size)
{
#ifdef XENPV_HAVE_NETIF_SET_TSO_MAX_SIZE
	netif_set_tso_max_size(dev, size);
#else
	netif_set_gso_max_size(dev, size);
#endif
}

/* 5.11: xdp_rxq_info_reg() takes the NAPI id. */
static inline int xenpv_xdp_rxq_info_reg(struct xdp_rxq_info *rxq,
					 struct net_device *dev,
					 u32 queue_index, unsigned int napi_id)
{
#ifdef XENPV_HAVE_XDP_RXQ_INFO_REG_NAPI_ID
	return xdp_rxq_info_reg(rxq, dev, queue_index, napi_id);
#else
	return xdp_rxq_info_reg(rxq, dev, queue_index);
#endif
}

#endif /* _XENPV_COMPAT_NET_H */
