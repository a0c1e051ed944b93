// SPDX-License-Identifier: GPL-2.0
/*
 * xenpv netfront: per-queue transport (rings, event channels, NAPI).
 *
 * Copyright (C) 2026 The xenpv authors
 */
#include <linux/netdevice.h>

#include "netfront.h"

/* Once per device, at probe: the queue keeps no transport yet. */
void xenpv_nf_queue_init(struct nf_info *info, struct nf_queue *q,
			 unsigned int id)
{
	q->info = info;
	q->id = id;
	spin_lock_init(&q->tx_lock);
	INIT_DELAYED_WORK(&q->refill_work, xenpv_nf_refill_work);
	u64_stats_init(&q->stats.rx_syncp);
	u64_stats_init(&q->stats.tx_syncp);
	xenpv_nf_tx_slots_init(q);
}

static int nf_bind(struct nf_queue *q, evtchn_port_t *port, int *irq,
		   irq_handler_t handler, char *name, size_t name_len,
		   const char *suffix)
{
	struct xenpv_device *xdev = q->info->xdev;
	int ret;

	ret = xenpv_alloc_evtchn(xdev, port);
	if (ret)
		return ret;

	snprintf(name, name_len, "%s-q%u%s", dev_name(xdev->dev), q->id,
		 suffix);
	ret = xenpv_evtchn_bind_irq(*port, handler, 0, name, q,
				    XENPV_EVTCHN_LATEEOI);
	if (ret < 0) {
		xenpv_free_evtchn(xdev, *port);
		*port = 0;
		return ret;
	}
	*irq = ret;
	return 0;
}

static int nf_queue_bind(struct nf_queue *q)
{
	int err;

	if (!q->info->use_split) {
		err = nf_bind(q, &q->tx_port, &q->tx_irq, xenpv_nf_interrupt,
			      q->tx_irq_name, sizeof(q->tx_irq_name), "");
		if (err)
			return err;
		q->rx_port = q->tx_port;
		q->rx_irq = q->tx_irq;
		return 0;
	}

	err = nf_bind(q, &q->tx_port, &q->tx_irq, xenpv_nf_tx_interrupt,
		      q->tx_irq_name, sizeof(q->tx_irq_name), "-tx");
	if (err)
		return err;
	return nf_bind(q, &q->rx_port, &q->rx_irq, xenpv_nf_rx_interrupt,
		       q->rx_irq_name, sizeof(q->rx_irq_name), "-rx");
}

static void nf_queue_unbind(struct nf_queue *q)
{
	/* Unbinding waits for a running handler and closes the port. */
	if (q->rx_irq > 0 && q->rx_irq != q->tx_irq)
		xenpv_evtchn_unbind_irq(q->rx_irq, q);
	if (q->tx_irq > 0)
		xenpv_evtchn_unbind_irq(q->tx_irq, q);
	q->tx_irq = 0;
	q->rx_irq = 0;
	q->tx_port = 0;
	q->rx_port = 0;
}

/* Rings, event channels, NAPI; called under rtnl from connect. */
int xenpv_nf_queue_setup(struct nf_queue *q)
{
	struct nf_info *info = q->info;
	struct xenpv_device *xdev = info->xdev;
	struct xen_netif_tx_sring *txs;
	struct xen_netif_rx_sring *rxs;
	int err;

	xenpv_nf_tx_slots_init(q);
	q->tx_irq_prod = 0;
	q->rx_irq_prod = 0;

	err = xenpv_setup_ring(xdev, GFP_KERNEL, &q->tx_ring_va, 1,
			       &q->tx_ring_ref);
	if (err)
		goto teardown;
	txs = q->tx_ring_va;
	SHARED_RING_INIT(txs);
	FRONT_RING_INIT(&q->tx, txs, XENPV_NF_PAGE_SIZE);

	err = xenpv_setup_ring(xdev, GFP_KERNEL, &q->rx_ring_va, 1,
			       &q->rx_ring_ref);
	if (err)
		goto teardown;
	rxs = q->rx_ring_va;
	SHARED_RING_INIT(rxs);
	FRONT_RING_INIT(&q->rx, rxs, XENPV_NF_PAGE_SIZE);

	xenpv_netif_napi_add(info->netdev, &q->napi, xenpv_nf_poll);
	q->napi_added = true;

	err = xenpv_xdp_rxq_info_reg(&q->xdp_rxq, info->netdev, q->id,
			     q->napi.napi_id);
	if (err)
		goto teardown;
	q->xdp_rxq_reg = true;
	err = xdp_rxq_info_reg_mem_model(&q->xdp_rxq, MEM_TYPE_PAGE_ORDER0,
					 NULL);
	if (err)
		goto teardown;

	/* Last: handlers may run as soon as the channels are bound. */
	err = nf_queue_bind(q);
	if (err)
		goto teardown;

	q->active = true;
	return 0;

teardown:
	xenpv_nf_queue_teardown(q);
	return err;
}

/* Safe on a queue in any state, and twice.  rtnl held. */
void xenpv_nf_queue_teardown(struct nf_queue *q)
{
	nf_queue_unbind(q);
	xenpv_nf_queue_napi_disable(q);
	cancel_delayed_work_sync(&q->refill_work);

	if (q->xdp_rxq_reg) {
		xdp_rxq_info_unreg(&q->xdp_rxq);
		q->xdp_rxq_reg = false;
	}
	if (q->napi_added) {
		netif_napi_del(&q->napi);
		q->napi_added = false;
	}

	xenpv_nf_tx_reclaim_all(q);
	xenpv_nf_rx_reclaim_all(q);

	spin_lock_bh(&q->tx_lock);
	q->tx.sring = NULL;
	spin_unlock_bh(&q->tx_lock);
	q->rx.sring = NULL;
	/* Revokes the ring grants; deferred while the backend maps them. */
	if (q->tx_ring_va)
		xenpv_teardown_ring(&q->tx_ring_va, 1, &q->tx_ring_ref);
	if (q->rx_ring_va)
		xenpv_teardown_ring(&q->rx_ring_va, 1, &q->rx_ring_ref);
	q->active = false;
}

void xenpv_nf_queue_napi_enable(struct nf_queue *q)
{
	if (!q->napi_added || q->napi_enabled)
		return;
	napi_enable(&q->napi);
	q->napi_enabled = true;
	/* Pick up whatever arrived while polling was off. */
	local_bh_disable();
	napi_schedule(&q->napi);
	local_bh_enable();
}

void xenpv_nf_queue_napi_disable(struct nf_queue *q)
{
	if (!q->napi_enabled)
		return;
	napi_disable(&q->napi);
	q->napi_enabled = false;
}
