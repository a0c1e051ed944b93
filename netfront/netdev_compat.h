/* SPDX-License-Identifier: GPL-2.0 */
/*
 * xenpv netfront: networking-API drift between the supported kernels.
 *
 * Copyright (C) 2026 The xenpv authors
 *
 * The only place in netfront/ that knows kernel APIs differ.  Each
 * XENPV_HAVE_* macro is a compat/ probe result (xenpv_probes.h, included by
 * the force-included compat/compat.h); the newer API is the defined branch,
 * the fallback serves 5.10.  Documentation/netfront.rst lists the probes.
 */
#ifndef _XENPV_NETDEV_COMPAT_H
#define _XENPV_NETDEV_COMPAT_H

#include <linux/etherdevice.h>
#include <linux/ethtool.h>
#include <linux/filter.h>
#include <linux/netdevice.h>
#include <linux/string.h>
#include <net/xdp.h>
#include <xenpv_compat_net.h>
#include <xenpv_compat_unaligned.h>

/*
 * netif_napi_add() weight (6.1), eth_hw_addr_set() (5.15),
 * netif_set_tso_max_size() and xdp_rxq_info_reg()'s NAPI id are shared with
 * the other drivers: xenpv_netif_napi_add(), xenpv_eth_hw_addr_set(),
 * xenpv_netif_set_tso_max_size() and xenpv_xdp_rxq_info_reg() from
 * compat/include/xenpv_compat_net.h.
 */

/* 5.12: xdp_init_buff() / xdp_prepare_buff(). */
static inline void nf_xdp_buff_init(struct xdp_buff *xdp,
				    struct xdp_rxq_info *rxq, void *hard_start,
				    unsigned int headroom, unsigned int len,
				    u32 frame_sz)
{
#ifdef XENPV_HAVE_XDP_INIT_BUFF
	xdp_init_buff(xdp, frame_sz, rxq);
	xdp_prepare_buff(xdp, hard_start, headroom, len, false);
#else
	xdp->data_hard_start = hard_start;
	xdp->data = (u8 *)hard_start + headroom;
	xdp->data_end = (u8 *)xdp->data + len;
	xdp_set_data_meta_invalid(xdp);
	xdp->rxq = rxq;
	xdp->frame_sz = frame_sz;
#endif
}

/* 5.17: bpf_warn_invalid_xdp_action() names the device and program. */
static inline void nf_xdp_warn_action(struct net_device *dev,
				      struct bpf_prog *prog, u32 act)
{
#ifdef XENPV_HAVE_BPF_WARN_INVALID_XDP_ACTION_DEV
	bpf_warn_invalid_xdp_action(dev, prog, act);
#else
	bpf_warn_invalid_xdp_action(act);
#endif
}

/* 6.3: drivers advertise their XDP abilities in dev->xdp_features. */
static inline void nf_xdp_set_features(struct net_device *dev, bool on)
{
#ifdef XENPV_HAVE_XDP_FEATURES
	if (on)
		xdp_set_features_flag(dev, NETDEV_XDP_ACT_BASIC |
					   NETDEV_XDP_ACT_REDIRECT |
					   NETDEV_XDP_ACT_NDO_XMIT);
	else
		xdp_clear_features_flag(dev);
#endif
}

/*
 * 5.13: ndo_xdp_xmit() returns how many leading frames it consumed and the
 * caller frees the rest; before, the driver freed what it dropped and
 * returned n - drops.
 */
#ifdef XENPV_HAVE_XDP_XMIT_CALLER_FREES
#define NF_XDP_XMIT_DRIVER_FREES	false
#else
#define NF_XDP_XMIT_DRIVER_FREES	true
#endif

/*
 * 6.8: get_rxfh/set_rxfh take struct ethtool_rxfh_param.  The driver
 * implements xenpv_nf_rss_get()/xenpv_nf_rss_set() and this macro wraps them.
 */
#ifdef XENPV_HAVE_ETHTOOL_RXFH_PARAM
#define NF_DEFINE_RXFH_OPS(get_name, set_name, do_get, do_set)		\
static int get_name(struct net_device *dev,				\
		    struct ethtool_rxfh_param *p)			\
{									\
	return do_get(dev, p->indir, p->key, &p->hfunc);		\
}									\
static int set_name(struct net_device *dev,				\
		    struct ethtool_rxfh_param *p,			\
		    struct netlink_ext_ack *extack)			\
{									\
	return do_set(dev, p->indir, p->key, p->hfunc);			\
}
#else
#define NF_DEFINE_RXFH_OPS(get_name, set_name, do_get, do_set)		\
static int get_name(struct net_device *dev, u32 *indir, u8 *key,	\
		    u8 *hfunc)						\
{									\
	return do_get(dev, indir, key, hfunc);				\
}									\
static int set_name(struct net_device *dev, const u32 *indir,		\
		    const u8 *key, const u8 hfunc)			\
{									\
	return do_set(dev, indir, key, hfunc);				\
}
#endif

/*
 * 6.19: ethtool_ops.get_rx_ring_count() reports the RX queue count that
 * ETHTOOL_GRXRINGS used to; drivers keep answering get_rxnfc too.
 */
#ifdef XENPV_HAVE_ETHTOOL_GET_RX_RING_COUNT
#define NF_ETHTOOL_RX_RING_COUNT_OP(fn)	.get_rx_ring_count = fn,
#else
#define NF_ETHTOOL_RX_RING_COUNT_OP(fn)
#endif

#endif /* _XENPV_NETDEV_COMPAT_H */
