// SPDX-License-Identifier: GPL-2.0
/*
 * xenpv netfront: ethtool operations.
 *
 * Copyright (C) 2026 The xenpv authors
 */
#include <linux/ethtool.h>
#include <linux/netdevice.h>
#include <linux/rtnetlink.h>
#include <linux/string.h>

#include "netfront.h"

const char *const xenpv_nf_counter_names[NF_C_NR] = {
	[NF_C_RX_BAD_STATUS]		= "rx_drop_bad_status",
	[NF_C_RX_BAD_LEN]		= "rx_drop_bad_len",
	[NF_C_RX_BAD_ID]		= "rx_drop_bad_id",
	[NF_C_RX_TOO_MANY_SLOTS]	= "rx_drop_too_many_slots",
	[NF_C_RX_BAD_EXTRA]		= "rx_drop_bad_extra",
	[NF_C_RX_BAD_GSO]		= "rx_drop_bad_gso",
	[NF_C_RX_TRUNCATED]		= "rx_drop_truncated",
	[NF_C_RX_RUNT]			= "rx_drop_runt",
	[NF_C_RX_NOMEM]			= "rx_drop_nomem",
	[NF_C_RX_CSUM_FAIL]		= "rx_drop_csum_setup",
	[NF_C_RX_GSO_CSUM_FIXUP]	= "rx_gso_checksum_fixup",
	[NF_C_RX_REFILL_FAIL]		= "rx_refill_fail",
	[NF_C_RX_XDP_DROP]		= "rx_xdp_drop",
	[NF_C_RX_XDP_TX]		= "rx_xdp_tx",
	[NF_C_RX_XDP_REDIRECT]		= "rx_xdp_redirect",
	[NF_C_RX_XDP_ABORTED]		= "rx_xdp_aborted",
	[NF_C_RX_XDP_UNSUPPORTED]	= "rx_xdp_unsupported",
	[NF_C_TX_DROP_DOWN]		= "tx_drop_not_connected",
	[NF_C_TX_DROP_OVERSIZE]		= "tx_drop_oversize",
	[NF_C_TX_DROP_RUNT]		= "tx_drop_runt",
	[NF_C_TX_DROP_BAD_GSO]		= "tx_drop_bad_gso",
	[NF_C_TX_DROP_NOMEM]		= "tx_drop_nomem",
	[NF_C_TX_DROP_NO_GRANT]		= "tx_drop_no_grant",
	[NF_C_TX_LINEARIZED]		= "tx_linearized",
	[NF_C_TX_HDR_BOUNCE]		= "tx_header_copied",
	[NF_C_TX_BOUNCED]		= "tx_bounced",
	[NF_C_TX_ERR_RSP]		= "tx_error_responses",
	[NF_C_TX_RING_FULL]		= "tx_ring_full",
	[NF_C_TX_XDP_XMIT]		= "tx_xdp_xmit",
	[NF_C_TX_XDP_DROP]		= "tx_xdp_drop",
	[NF_C_EVT_TX]			= "tx_events",
	[NF_C_EVT_RX]			= "rx_events",
	[NF_C_EVT_TX_SPURIOUS]		= "tx_spurious_events",
	[NF_C_EVT_RX_SPURIOUS]		= "rx_spurious_events",
};

/* Per-queue packet/byte counters, in this order, for every queue. */
static const char *const nf_queue_stat_fmt[] = {
	"rx_queue_%u_packets", "rx_queue_%u_bytes",
	"tx_queue_%u_packets", "tx_queue_%u_bytes",
};

/* Device-wide counters after the per-queue and per-cause ones. */
static const char *const nf_dev_stat_names[] = {
	"spurious_events", "protocol_errors", "ctrl_errors",
};

static void nf_get_drvinfo(struct net_device *dev,
			   struct ethtool_drvinfo *drv)
{
	struct nf_info *info = netdev_priv(dev);

	strscpy(drv->driver, NF_DRV_NAME, sizeof(drv->driver));
	strscpy(drv->version, XENPV_VERSION, sizeof(drv->version));
	strscpy(drv->bus_info, info->xdev->nodename, sizeof(drv->bus_info));
}

static int nf_get_sset_count(struct net_device *dev, int sset)
{
	struct nf_info *info = netdev_priv(dev);

	if (sset != ETH_SS_STATS)
		return -EOPNOTSUPP;
	return info->max_queues * ARRAY_SIZE(nf_queue_stat_fmt) + NF_C_NR +
	       ARRAY_SIZE(nf_dev_stat_names);
}

static void nf_get_strings(struct net_device *dev, u32 sset, u8 *data)
{
	struct nf_info *info = netdev_priv(dev);
	unsigned int q, i;

	if (sset != ETH_SS_STATS)
		return;

	for (q = 0; q < info->max_queues; q++)
		for (i = 0; i < ARRAY_SIZE(nf_queue_stat_fmt); i++) {
			snprintf(data, ETH_GSTRING_LEN, nf_queue_stat_fmt[i], q);
			data += ETH_GSTRING_LEN;
		}
	for (i = 0; i < NF_C_NR; i++) {
		strscpy(data, xenpv_nf_counter_names[i], ETH_GSTRING_LEN);
		data += ETH_GSTRING_LEN;
	}
	for (i = 0; i < ARRAY_SIZE(nf_dev_stat_names); i++) {
		strscpy(data, nf_dev_stat_names[i], ETH_GSTRING_LEN);
		data += ETH_GSTRING_LEN;
	}
}

static void nf_get_ethtool_stats(struct net_device *dev,
				 struct ethtool_stats *stats, u64 *data)
{
	struct nf_info *info = netdev_priv(dev);
	u64 spurious = 0;
	unsigned int q, c;

	for (q = 0; q < info->max_queues; q++) {
		const struct nf_queue_stats *s = &info->queues[q].stats;
		unsigned int start;

		do {
			start = u64_stats_fetch_begin(&s->rx_syncp);
			data[0] = u64_stats_read(&s->rx_packets);
			data[1] = u64_stats_read(&s->rx_bytes);
		} while (u64_stats_fetch_retry(&s->rx_syncp, start));
		do {
			start = u64_stats_fetch_begin(&s->tx_syncp);
			data[2] = u64_stats_read(&s->tx_packets);
			data[3] = u64_stats_read(&s->tx_bytes);
		} while (u64_stats_fetch_retry(&s->tx_syncp, start));
		data += ARRAY_SIZE(nf_queue_stat_fmt);
	}

	for (c = 0; c < NF_C_NR; c++) {
		u64 sum = 0;

		for (q = 0; q < info->max_queues; q++)
			sum += atomic_long_read(&info->queues[q].stats.c[c]);
		if (c == NF_C_EVT_TX_SPURIOUS || c == NF_C_EVT_RX_SPURIOUS)
			spurious += sum;
		*data++ = sum;
	}

	*data++ = spurious;
	*data++ = atomic_long_read(&info->protocol_errors);
	*data++ = atomic_long_read(&info->ctrl.errors);
}

/* ---- channels (queues) --------------------------------------------------- */

static unsigned int nf_max_channels(struct nf_info *info)
{
	if (!info->be.multi_queue)
		return 1;
	return min(info->max_queues, info->be.max_queues);
}

static void nf_get_channels(struct net_device *dev,
			    struct ethtool_channels *ch)
{
	struct nf_info *info = netdev_priv(dev);

	ch->max_combined = nf_max_channels(info);
	ch->combined_count = info->num_queues ? info->num_queues :
			     min(ch->max_combined,
				 info->want_queues ? info->want_queues :
						     info->max_queues);
}

/* Changing the queue count renegotiates with the backend (reconnect). */
static int nf_set_channels(struct net_device *dev,
			   struct ethtool_channels *ch)
{
	struct nf_info *info = netdev_priv(dev);

	if (ch->rx_count || ch->tx_count || ch->other_count)
		return -EINVAL;
	if (!ch->combined_count || ch->combined_count > nf_max_channels(info))
		return -EINVAL;
	if (ch->combined_count == info->num_queues)
		return 0;

	info->want_queues = ch->combined_count;
	netdev_info(dev, "reconnecting with %u queue(s)\n", ch->combined_count);
	return xenpv_nf_reconnect(info);
}

/* ---- receive hashing ----------------------------------------------------- */

static u32 nf_rx_ring_count(struct net_device *dev)
{
	struct nf_info *info = netdev_priv(dev);

	return info->num_queues;
}

static int nf_get_rxnfc(struct net_device *dev, struct ethtool_rxnfc *cmd,
			u32 *rule_locs)
{
	switch (cmd->cmd) {
	case ETHTOOL_GRXRINGS:
		cmd->data = nf_rx_ring_count(dev);
		return 0;
	default:
		return -EOPNOTSUPP;
	}
}

NF_DEFINE_RXFH_OPS(nf_get_rxfh, nf_set_rxfh, xenpv_nf_rss_get, xenpv_nf_rss_set)

const struct ethtool_ops xenpv_nf_ethtool_ops = {
	.get_drvinfo		= nf_get_drvinfo,
	.get_link		= ethtool_op_get_link,
	.get_ts_info		= ethtool_op_get_ts_info,
	.get_sset_count		= nf_get_sset_count,
	.get_strings		= nf_get_strings,
	.get_ethtool_stats	= nf_get_ethtool_stats,
	.get_channels		= nf_get_channels,
	.set_channels		= nf_set_channels,
	.get_rxnfc		= nf_get_rxnfc,
	NF_ETHTOOL_RX_RING_COUNT_OP(nf_rx_ring_count)
	.get_rxfh_key_size	= xenpv_nf_rss_key_size,
	.get_rxfh_indir_size	= xenpv_nf_rss_indir_size,
	.get_rxfh		= nf_get_rxfh,
	.set_rxfh		= nf_set_rxfh,
};
