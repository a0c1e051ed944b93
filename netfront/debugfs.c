// SPDX-License-Identifier: GPL-2.0
/*
 * xenpv netfront: debugfs view of each device's negotiated features and
 * ring state (/sys/kernel/debug/xenpv_netfront/<vif-N>/state).
 *
 * Copyright (C) 2026 The xenpv authors
 */
#include <linux/debugfs.h>
#include <linux/rtnetlink.h>
#include <linux/seq_file.h>

#include "netfront.h"

static struct dentry *nf_debugfs_root;

static const char *nf_yes(bool v)
{
	return v ? "yes" : "no";
}

static void nf_show_queue(struct seq_file *m, struct nf_queue *q)
{
	seq_printf(m, "queue %u: evtchn tx %u rx %u (irq %d/%d) napi %s\n",
		   q->id, q->tx_port, q->rx_port, q->tx_irq, q->rx_irq,
		   q->napi_enabled ? "on" : "off");

	spin_lock_bh(&q->tx_lock);
	if (q->tx.sring)
		seq_printf(m,
			   "  tx: req_prod_pvt %u rsp_cons %u rsp_prod %u rsp_event %u free ids %u\n",
			   q->tx.req_prod_pvt, q->tx.rsp_cons,
			   READ_ONCE(q->tx.sring->rsp_prod),
			   READ_ONCE(q->tx.sring->rsp_event), q->tx_free_count);
	spin_unlock_bh(&q->tx_lock);

	/* RX indices belong to NAPI: a racy snapshot, for reading only. */
	if (q->rx.sring)
		seq_printf(m,
			   "  rx: req_prod_pvt %u rsp_cons %u rsp_prod %u rsp_event %u\n",
			   READ_ONCE(q->rx.req_prod_pvt),
			   READ_ONCE(q->rx.rsp_cons),
			   READ_ONCE(q->rx.sring->rsp_prod),
			   READ_ONCE(q->rx.sring->rsp_event));
}

static int nf_state_show(struct seq_file *m, void *unused)
{
	struct nf_info *info = m->private;
	struct nf_be_features *be = &info->be;
	unsigned int i;

	rtnl_lock();
	seq_printf(m, "device: %s backend: %s (domain %d)\n",
		   info->xdev->nodename, info->xdev->otherend,
		   info->xdev->otherend_id);
	seq_printf(m, "state: ours %d connected %s broken %s reconnecting %s\n",
		   info->xdev->state, nf_yes(info->connected),
		   nf_yes(nf_broken(info)), nf_yes(info->reconnecting));
	seq_printf(m, "queues: %u (max %u, wanted %u, backend %s%u)\n",
		   info->num_queues, info->max_queues, info->want_queues,
		   be->multi_queue ? "max " : "single-queue ",
		   be->multi_queue ? be->max_queues : 1);
	seq_printf(m, "backend features: sg %s gso-tcpv4 %s gso-tcpv6 %s ip-csum %s ipv6-csum %s\n",
		   nf_yes(be->sg), nf_yes(be->gso_tcpv4), nf_yes(be->gso_tcpv6),
		   nf_yes(be->ip_csum), nf_yes(be->ipv6_csum));
	seq_printf(m, "backend features: split-evtchn %s xdp-headroom %s ctrl-ring %s mcast %s\n",
		   nf_yes(be->split_evtchn), nf_yes(be->xdp_headroom),
		   nf_yes(be->ctrl_ring), nf_yes(be->dyn_mcast));
	seq_printf(m, "in use: split-evtchn %s bounce %s xdp-headroom %u xdp %s\n",
		   nf_yes(info->use_split), nf_yes(info->bounce),
		   info->xdp_headroom,
		   nf_yes(rtnl_dereference(info->xdp_prog)));
	seq_printf(m, "ctrl ring: active %s broken %s hashing %s types %#x table %u%s\n",
		   nf_yes(info->ctrl.active), nf_yes(info->ctrl.broken),
		   nf_yes(info->ctrl.hash_on), info->ctrl.hash_flags,
		   info->ctrl.table_size,
		   info->ctrl.user_table ? " (user)" : "");
	seq_printf(m, "multicast filter: control %s filtering %s programmed %u refused %s\n",
		   nf_yes(info->use_mcast), nf_yes(info->mcast_filter_on),
		   info->mcast_nprog, nf_yes(READ_ONCE(info->mcast_failed)));
	for (i = 0; i < info->num_queues; i++)
		nf_show_queue(m, &info->queues[i]);
	rtnl_unlock();
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(nf_state);

void xenpv_nf_debugfs_init(void)
{
	nf_debugfs_root = debugfs_create_dir(NF_DRV_NAME, NULL);
}

void xenpv_nf_debugfs_exit(void)
{
	debugfs_remove_recursive(nf_debugfs_root);
	nf_debugfs_root = NULL;
}

void xenpv_nf_debugfs_add(struct nf_info *info)
{
	info->debugfs = debugfs_create_dir(dev_name(info->xdev->dev),
					   nf_debugfs_root);
	debugfs_create_file("state", 0400, info->debugfs, info,
			    &nf_state_fops);
}

void xenpv_nf_debugfs_remove(struct nf_info *info)
{
	debugfs_remove_recursive(info->debugfs);
	info->debugfs = NULL;
}
