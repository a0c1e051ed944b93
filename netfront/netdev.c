// SPDX-License-Identifier: GPL-2.0
/*
 * xenpv netfront: net_device operations, offload negotiation, multicast
 * filter programming and XDP attachment.
 *
 * Copyright (C) 2026 The xenpv authors
 */
#include <linux/etherdevice.h>
#include <linux/netdevice.h>
#include <linux/rtnetlink.h>
#include <net/tcp.h>

#include "netfront.h"

/* ---- open / close -------------------------------------------------------- */

static int nf_open(struct net_device *dev)
{
	struct nf_info *info = netdev_priv(dev);
	unsigned int i;

	for (i = 0; i < info->num_queues; i++)
		xenpv_nf_queue_napi_enable(&info->queues[i]);
	if (info->connected && !nf_broken(info))
		netif_tx_start_all_queues(dev);
	return 0;
}

static int nf_close(struct net_device *dev)
{
	struct nf_info *info = netdev_priv(dev);
	unsigned int i;

	netif_tx_stop_all_queues(dev);
	for (i = 0; i < info->num_queues; i++) {
		xenpv_nf_queue_napi_disable(&info->queues[i]);
		/* Completions that came in meanwhile; no poll will run now. */
		local_bh_disable();
		xenpv_nf_tx_gc(&info->queues[i], 0);
		local_bh_enable();
	}
	return 0;
}

/* ---- statistics ---------------------------------------------------------- */

static unsigned long nf_sum(const struct nf_queue_stats *s,
			    enum nf_counter first, enum nf_counter last)
{
	unsigned long sum = 0;
	unsigned int c;

	for (c = first; c <= last; c++)
		sum += atomic_long_read(&s->c[c]);
	return sum;
}

static void nf_get_stats64(struct net_device *dev,
			   struct rtnl_link_stats64 *tot)
{
	struct nf_info *info = netdev_priv(dev);
	unsigned int i;

	/* All allocated queues: counters survive reconnects. */
	for (i = 0; i < info->max_queues; i++) {
		const struct nf_queue_stats *s = &info->queues[i].stats;
		u64 rxp, rxb, txp, txb;
		unsigned int start;

		do {
			start = u64_stats_fetch_begin(&s->rx_syncp);
			rxp = u64_stats_read(&s->rx_packets);
			rxb = u64_stats_read(&s->rx_bytes);
		} while (u64_stats_fetch_retry(&s->rx_syncp, start));
		do {
			start = u64_stats_fetch_begin(&s->tx_syncp);
			txp = u64_stats_read(&s->tx_packets);
			txb = u64_stats_read(&s->tx_bytes);
		} while (u64_stats_fetch_retry(&s->tx_syncp, start));

		tot->rx_packets += rxp;
		tot->rx_bytes += rxb;
		tot->tx_packets += txp;
		tot->tx_bytes += txb;
		tot->rx_errors += nf_sum(s, NF_C_RX_BAD_STATUS, NF_C_RX_RUNT) +
				  nf_sum(s, NF_C_RX_CSUM_FAIL, NF_C_RX_CSUM_FAIL);
		tot->rx_dropped += nf_sum(s, NF_C_RX_NOMEM, NF_C_RX_NOMEM) +
				   nf_sum(s, NF_C_RX_XDP_ABORTED,
					  NF_C_RX_XDP_UNSUPPORTED);
		tot->tx_dropped += nf_sum(s, NF_C_TX_DROP_DOWN,
					  NF_C_TX_DROP_NO_GRANT) +
				   nf_sum(s, NF_C_TX_XDP_DROP, NF_C_TX_XDP_DROP);
		tot->tx_errors += nf_sum(s, NF_C_TX_ERR_RSP, NF_C_TX_ERR_RSP);
	}
}

/* ---- features and MTU ---------------------------------------------------- */

unsigned int xenpv_nf_xdp_max_mtu(void)
{
	return PAGE_SIZE - XDP_PACKET_HEADROOM -
	       SKB_DATA_ALIGN(sizeof(struct skb_shared_info)) - ETH_HLEN;
}

static netdev_features_t nf_fix_features(struct net_device *dev,
					 netdev_features_t features)
{
	struct nf_info *info = netdev_priv(dev);

	/* Only what the backend advertised at the last connect. */
	if (!info->be.sg)
		features &= ~NETIF_F_SG;
	if (!info->be.gso_tcpv4)
		features &= ~NETIF_F_TSO;
	if (!info->be.gso_tcpv6)
		features &= ~NETIF_F_TSO6;
	if (!info->be.ip_csum)
		features &= ~NETIF_F_IP_CSUM;
	if (!info->be.ipv6_csum)
		features &= ~NETIF_F_IPV6_CSUM;

	/* Frames above ETH_DATA_LEN span slots: SG stays while they can occur. */
	if (info->be.sg && dev->mtu > ETH_DATA_LEN &&
	    !(features & NETIF_F_SG)) {
		netdev_info(dev,
			    "scatter-gather stays on while the MTU (%u) exceeds %u\n",
			    dev->mtu, ETH_DATA_LEN);
		features |= NETIF_F_SG;
	}
	return features;
}

static int nf_change_mtu(struct net_device *dev, int mtu)
{
	struct nf_info *info = netdev_priv(dev);

	if (!xenpv_nf_mtu_ok(mtu, dev->features & NETIF_F_SG)) {
		netdev_err(dev, "MTU %d needs scatter-gather (maximum %u without)\n",
			   mtu, xenpv_nf_max_mtu(false));
		return -EINVAL;
	}
	if (rtnl_dereference(info->xdp_prog) && mtu > xenpv_nf_xdp_max_mtu()) {
		netdev_err(dev, "MTU %d too large with XDP attached (maximum %u)\n",
			   mtu, xenpv_nf_xdp_max_mtu());
		return -EINVAL;
	}
	WRITE_ONCE(dev->mtu, mtu);
	return 0;
}

static void nf_tx_timeout(struct net_device *dev, unsigned int txqueue)
{
	struct nf_info *info = netdev_priv(dev);
	struct nf_queue *q;

	if (txqueue >= info->num_queues)
		return;
	q = &info->queues[txqueue];
	spin_lock_bh(&q->tx_lock);
	if (q->tx.sring)
		netdev_warn(dev,
			    "TX queue %u stalled: requests %u, responses %u/%u, %u ids free\n",
			    txqueue, q->tx.req_prod_pvt, q->tx.rsp_cons,
			    READ_ONCE(q->tx.sring->rsp_prod), q->tx_free_count);
	spin_unlock_bh(&q->tx_lock);
}

/* ---- multicast filter ---------------------------------------------------- */

static void nf_set_rx_mode(struct net_device *dev)
{
	struct nf_info *info = netdev_priv(dev);
	struct netdev_hw_addr *ha;
	unsigned int n = 0;
	bool filter;

	if (!READ_ONCE(info->use_mcast))
		return;

	filter = !(dev->flags & (IFF_PROMISC | IFF_ALLMULTI)) &&
		 netdev_mc_count(dev) <= XENPV_NF_MCAST_MAX;

	spin_lock_bh(&info->mcast_lock);
	if (filter)
		netdev_for_each_mc_addr(ha, dev)
			ether_addr_copy(info->mcast_want[n++], ha->addr);
	info->mcast_nwant = n;
	info->mcast_want_filter = filter;
	spin_unlock_bh(&info->mcast_lock);

	schedule_delayed_work(&info->mcast_work, 0);
}

/* At connect (rtnl): the backend starts with an empty list, filter off. */
void xenpv_nf_mcast_reset(struct nf_info *info)
{
	info->mcast_nprog = 0;
	info->mcast_filter_on = false;
	WRITE_ONCE(info->mcast_failed, false);
}

static int nf_mcast_set_filter(struct nf_info *info, bool on)
{
	int err;

	err = xenpv_xs_write(XENPV_XS_NIL, info->xdev->nodename,
			     "request-multicast-control", on ? "1" : "0");
	if (!err)
		info->mcast_filter_on = on;
	return err;
}

static void nf_mcast_remove_prog(struct nf_info *info, unsigned int i)
{
	info->mcast_nprog--;
	if (i != info->mcast_nprog)
		ether_addr_copy(info->mcast_prog[i],
				info->mcast_prog[info->mcast_nprog]);
}

/*
 * Bring the backend's filter list in line with the wanted one, then turn
 * filtering on; turn it off for promiscuous/all-multicast, for more
 * addresses than the backend keeps, or once the backend refused one.
 */
void xenpv_nf_mcast_work(struct work_struct *work)
{
	struct nf_info *info = container_of(to_delayed_work(work),
					    struct nf_info, mcast_work);
	u8 want[XENPV_NF_MCAST_MAX][ETH_ALEN];
	unsigned int idx[XENPV_NF_MCAST_MAX];
	unsigned int nwant, n, i;
	struct nf_queue *q;
	bool filter;
	int err = 0;

	rtnl_lock();
	if (info->removing || !info->connected || !info->use_mcast ||
	    nf_broken(info) || !netif_running(info->netdev))
		goto unlock;
	q = &info->queues[0];

	spin_lock_bh(&info->mcast_lock);
	nwant = info->mcast_nwant;
	memcpy(want, info->mcast_want, nwant * ETH_ALEN);
	filter = info->mcast_want_filter;
	spin_unlock_bh(&info->mcast_lock);

	if (READ_ONCE(info->mcast_failed))
		filter = false;
	if (!filter) {
		if (info->mcast_filter_on)
			err = nf_mcast_set_filter(info, false);
		goto unlock;
	}

	/* Deletions first: they make room in the backend's list. */
	n = xenpv_nf_mac_set_minus(info->mcast_prog, info->mcast_nprog,
				   want, nwant, idx);
	while (n--) {
		i = idx[n];	/* highest index first: removal moves the tail */
		err = xenpv_nf_tx_send_mcast(q, XEN_NETIF_EXTRA_TYPE_MCAST_DEL,
					     info->mcast_prog[i]);
		if (err)
			goto unlock;
		nf_mcast_remove_prog(info, i);
	}

	n = xenpv_nf_mac_set_minus(want, nwant, info->mcast_prog,
				   info->mcast_nprog, idx);
	for (i = 0; i < n; i++) {
		err = xenpv_nf_tx_send_mcast(q, XEN_NETIF_EXTRA_TYPE_MCAST_ADD,
					     want[idx[i]]);
		if (err)
			goto unlock;
		ether_addr_copy(info->mcast_prog[info->mcast_nprog++],
				want[idx[i]]);
	}

	if (!info->mcast_filter_on)
		err = nf_mcast_set_filter(info, true);

unlock:
	if (err == -EBUSY)	/* TX ring full: try again shortly */
		schedule_delayed_work(&info->mcast_work, HZ / 10);
	else if (err && err != -ENOTCONN)
		netdev_warn(info->netdev, "multicast filter update failed: %d\n",
			    err);
	rtnl_unlock();
}

/* ---- XDP ----------------------------------------------------------------- */

/*
 * Tell the backend how much headroom to leave in receive buffers: write
 * xdp-headroom, go Reconfiguring, wait for the backend's Reconfigured, go
 * back to Connected.  The receive path copes with any offset, so a backend
 * that is slow to apply it costs XDP headroom, not correctness.
 */
static int nf_xdp_headroom(struct nf_info *info, u16 headroom)
{
	struct xenpv_device *xdev = info->xdev;
	int err;

	err = xenpv_xs_printf(XENPV_XS_NIL, xdev->nodename, "xdp-headroom",
			      "%u", headroom);
	if (err)
		return err;
	err = xenpv_switch_state(xdev, XenbusStateReconfiguring);
	if (err)
		return err;
	if (!xenpv_nf_wait_be_state(info, BIT(XenbusStateReconfigured)))
		netdev_warn(info->netdev,
			    "backend did not acknowledge xdp-headroom %u\n",
			    headroom);
	err = xenpv_switch_state(xdev, XenbusStateConnected);
	if (!err)
		info->xdp_headroom = headroom;
	return err;
}

static int nf_xdp_set(struct net_device *dev, struct bpf_prog *prog,
		      struct netlink_ext_ack *extack)
{
	struct nf_info *info = netdev_priv(dev);
	struct bpf_prog *old;
	bool was_on;
	int err;

	if (prog) {
		if (!info->connected) {
			NL_SET_ERR_MSG_MOD(extack, "backend not connected");
			return -EBUSY;
		}
		if (!info->be.xdp_headroom) {
			NL_SET_ERR_MSG_MOD(extack,
					   "backend lacks feature-xdp-headroom");
			return -EOPNOTSUPP;
		}
		if (dev->mtu > xenpv_nf_xdp_max_mtu()) {
			netdev_err(dev, "XDP needs an MTU of at most %u\n",
				   xenpv_nf_xdp_max_mtu());
			NL_SET_ERR_MSG_MOD(extack, "MTU too large for XDP");
			return -EINVAL;
		}
	}

	was_on = rtnl_dereference(info->xdp_prog);
	if (was_on != !!prog && info->connected && info->be.xdp_headroom) {
		err = nf_xdp_headroom(info, prog ? XDP_PACKET_HEADROOM : 0);
		if (err) {
			NL_SET_ERR_MSG_MOD(extack, "cannot update xdp-headroom");
			return err;
		}
	}

	old = rcu_replace_pointer(info->xdp_prog, prog, lockdep_rtnl_is_held());
	if (old)
		bpf_prog_put(old);
	return 0;
}

static int nf_bpf(struct net_device *dev, struct netdev_bpf *bpf)
{
	switch (bpf->command) {
	case XDP_SETUP_PROG:
		return nf_xdp_set(dev, bpf->prog, bpf->extack);
	default:
		return -EINVAL;
	}
}

/* ---- setup --------------------------------------------------------------- */

const struct net_device_ops xenpv_nf_netdev_ops = {
	.ndo_open		= nf_open,
	.ndo_stop		= nf_close,
	.ndo_start_xmit		= xenpv_nf_start_xmit,
	.ndo_get_stats64	= nf_get_stats64,
	.ndo_set_rx_mode	= nf_set_rx_mode,
	.ndo_validate_addr	= eth_validate_addr,
	.ndo_change_mtu		= nf_change_mtu,
	.ndo_fix_features	= nf_fix_features,
	.ndo_tx_timeout		= nf_tx_timeout,
	.ndo_bpf		= nf_bpf,
	.ndo_xdp_xmit		= xenpv_nf_xdp_xmit,
};

/* At probe: the device is registered only once the backend connects. */
void xenpv_nf_netdev_setup(struct nf_info *info)
{
	struct net_device *dev = info->netdev;

	dev->netdev_ops = &xenpv_nf_netdev_ops;
	dev->ethtool_ops = &xenpv_nf_ethtool_ops;
	dev->hw_features = NETIF_F_SG | NETIF_F_IP_CSUM | NETIF_F_IPV6_CSUM |
			   NETIF_F_TSO | NETIF_F_TSO6 | NETIF_F_RXCSUM;
	dev->features = dev->hw_features | NETIF_F_GSO_ROBUST;
	dev->min_mtu = ETH_MIN_MTU;
	dev->max_mtu = xenpv_nf_max_mtu(true);
	dev->watchdog_timeo = 10 * HZ;
	/* A GSO packet plus headers must fit XEN_NETIF_MAX_TX_SIZE. */
	xenpv_netif_set_tso_max_size(dev,
				     XEN_NETIF_MAX_TX_SIZE - MAX_TCP_HEADER);
	xenpv_eth_hw_addr_set(dev, info->mac);
}
