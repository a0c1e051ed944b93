// SPDX-License-Identifier: GPL-2.0
/*
 * xenpv netfront: event handlers, NAPI poll, receive path and XDP.
 *
 * Copyright (C) 2026 The xenpv authors
 *
 * Every RX response is copied out of the ring once and validated by the
 * pure chain parser (nf_logic.c) before any buffer is touched.  Each
 * consumed buffer ends in exactly one place (XSA-405): re-posted to the
 * ring, handed to an skb or XDP with its grant revoked, freed after a
 * successful revocation, or parked with its grant on the deferred list.
 */
#include <linux/bpf_trace.h>
#include <linux/etherdevice.h>
#include <linux/mm.h>
#include <linux/rcupdate.h>

#include "netfront.h"

/* A data slot taken off the ring, with its buffer. */
struct nf_rx_frag {
	struct nf_rx_buf buf;
	bool granted;		/* grant still in place */
	u16 offset;
	u16 len;
};

/* ---- buffers ------------------------------------------------------------- */

/* Post @buf (granted) at the next request slot.  NAPI context or teardown. */
static void nf_rx_repost(struct nf_queue *q, const struct nf_rx_buf *buf)
{
	RING_IDX pos = q->rx.req_prod_pvt;
	unsigned int idx = pos & (NF_RX_RING_SIZE - 1);
	struct xen_netif_rx_request *req;

	q->rx_bufs[idx] = *buf;
	req = RING_GET_REQUEST(&q->rx, pos);
	req->id = idx;
	req->pad = 0;
	req->gref = buf->gref;
	q->rx.req_prod_pvt = pos + 1;
}

/* Give a buffer back for good: revoke and free, or defer both. */
static void nf_rx_release(struct nf_rx_buf *buf, bool granted)
{
	if (!buf->page)
		return;
	if (!granted || xenpv_gnttab_try_end_access(buf->gref))
		put_page(buf->page);
	else
		xenpv_gnttab_end_access(buf->gref, buf->page);
	buf->page = NULL;
}

/* Dispose of frags [@from, @n): back to the ring, or released if revoked. */
static void nf_rx_recycle(struct nf_queue *q, struct nf_rx_frag *f,
			  unsigned int from, unsigned int n)
{
	unsigned int i;

	for (i = from; i < n; i++) {
		if (!f[i].buf.page)
			continue;
		if (f[i].granted && !nf_broken(q->info))
			nf_rx_repost(q, &f[i].buf);
		else
			nf_rx_release(&f[i].buf, f[i].granted);
		f[i].buf.page = NULL;
	}
}

/*
 * Revoke a buffer's grant so the page can leave the ring.  The backend
 * copies into our pages and never needs to map them; if it did and still
 * does, the page stays parked with the grant and the device is disabled.
 */
static bool nf_rx_take(struct nf_queue *q, struct nf_rx_frag *f)
{
	if (!f->granted)
		return true;
	f->granted = false;
	if (xenpv_gnttab_try_end_access(f->buf.gref))
		return true;
	xenpv_gnttab_end_access(f->buf.gref, f->buf.page);
	f->buf.page = NULL;
	xenpv_nf_set_broken(q->info, "queue %u: backend still maps a receive buffer",
			    q->id);
	return false;
}

int xenpv_nf_rx_refill(struct nf_queue *q, gfp_t gfp)
{
	domid_t domid = q->info->xdev->otherend_id;
	int notify, posted = 0;

	if (!q->rx.sring || nf_broken(q->info))
		return 0;

	while (q->rx.req_prod_pvt - q->rx.rsp_cons < NF_RX_RING_SIZE) {
		struct nf_rx_buf buf;
		int ref;

		/* Zeroed: a granted page shows nothing of ours (XSA-403). */
		buf.page = alloc_page(gfp | __GFP_NOWARN | __GFP_ZERO);
		if (!buf.page)
			goto retry;
		ref = xenpv_gnttab_grant_access(domid,
						xenpv_page_to_gfn(buf.page),
						false);
		if (ref < 0) {
			put_page(buf.page);
			goto retry;
		}
		buf.gref = ref;
		nf_rx_repost(q, &buf);
		posted++;
	}
	goto push;

retry:
	nf_count(&q->stats, NF_C_RX_REFILL_FAIL);
	schedule_delayed_work(&q->refill_work, HZ / 10);
push:
	RING_PUSH_REQUESTS_AND_CHECK_NOTIFY(&q->rx, notify);
	if (notify)
		xenpv_evtchn_notify(q->rx_port);
	return posted;
}

void xenpv_nf_refill_work(struct work_struct *work)
{
	struct nf_queue *q = container_of(to_delayed_work(work),
					  struct nf_queue, refill_work);

	/* The poll refills; a disabled NAPI ignores this. */
	local_bh_disable();
	napi_schedule(&q->napi);
	local_bh_enable();
}

/* Teardown: NAPI is off and the event channels are gone. */
void xenpv_nf_rx_reclaim_all(struct nf_queue *q)
{
	unsigned int i;

	for (i = 0; i < NF_RX_RING_SIZE; i++)
		nf_rx_release(&q->rx_bufs[i], true);
}

/* ---- packets ------------------------------------------------------------- */

static void nf_rx_drop(struct nf_queue *q, enum nf_counter why)
{
	nf_count(&q->stats, why);
}

static int nf_rx_offloads(struct nf_queue *q, struct sk_buff *skb,
			  const struct xenpv_nf_rx_chain *c)
{
	const struct xen_netif_extra_info *gso, *hash;
	bool recalc = false;

	if (c->first_flags & XEN_NETRXF_csum_blank)
		skb->ip_summed = CHECKSUM_PARTIAL;
	else if ((c->first_flags & XEN_NETRXF_data_validated) &&
		 (q->info->netdev->features & NETIF_F_RXCSUM))
		skb->ip_summed = CHECKSUM_UNNECESSARY;

	gso = xenpv_nf_rx_chain_extra(c, XEN_NETIF_EXTRA_TYPE_GSO);
	if (gso) {
		skb_shinfo(skb)->gso_size = gso->u.gso.size;
		skb_shinfo(skb)->gso_type =
			(gso->u.gso.type == XEN_NETIF_GSO_TYPE_TCPV4 ?
			 SKB_GSO_TCPV4 : SKB_GSO_TCPV6) | SKB_GSO_DODGY;
		skb_shinfo(skb)->gso_segs = 0;
		if (skb->ip_summed != CHECKSUM_PARTIAL) {
			/* GSO needs a partial checksum: set one up. */
			skb->ip_summed = CHECKSUM_PARTIAL;
			recalc = true;
			nf_count(&q->stats, NF_C_RX_GSO_CSUM_FIXUP);
		}
	}

	if (skb->ip_summed == CHECKSUM_PARTIAL &&
	    skb_checksum_setup(skb, recalc))
		return -EINVAL;

	hash = xenpv_nf_rx_chain_extra(c, XEN_NETIF_EXTRA_TYPE_HASH);
	if (hash) {
		u8 t = hash->u.hash.type;
		bool l4 = t == _XEN_NETIF_CTRL_HASH_TYPE_IPV4_TCP ||
			  t == _XEN_NETIF_CTRL_HASH_TYPE_IPV6_TCP;

		skb_set_hash(skb, get_unaligned_le32(hash->u.hash.value),
			     l4 ? PKT_HASH_TYPE_L4 : PKT_HASH_TYPE_L3);
	}
	return 0;
}

/*
 * Build an skb from @n validated frags and pass it up.  Small single-slot
 * packets are copied and their page goes straight back to the ring; the
 * rest become page frags once their grants are revoked.
 */
static void nf_rx_skb(struct nf_queue *q, const struct xenpv_nf_rx_chain *c,
		      struct nf_rx_frag *f, unsigned int n)
{
	struct net_device *dev = q->info->netdev;
	struct sk_buff *skb;
	unsigned int copy, i;

	BUILD_BUG_ON(MAX_SKB_FRAGS + 1 < XENPV_NF_MAX_SLOTS);

	if (n == 1 && f[0].len <= NF_RX_COPYBREAK)
		copy = f[0].len;
	else if (n > MAX_SKB_FRAGS)
		copy = f[0].len;	/* keep frags within MAX_SKB_FRAGS */
	else
		copy = min_t(unsigned int, f[0].len, NF_RX_PULL);

	skb = napi_alloc_skb(&q->napi, copy);
	if (unlikely(!skb)) {
		nf_rx_recycle(q, f, 0, n);
		nf_rx_drop(q, NF_C_RX_NOMEM);
		return;
	}
	skb_put_data(skb, (u8 *)page_address(f[0].buf.page) + f[0].offset,
		     copy);

	for (i = 0; i < n; i++) {
		unsigned int off = f[i].offset, len = f[i].len;

		if (i == 0) {
			off += copy;
			len -= copy;
			if (!len) {
				nf_rx_recycle(q, f, 0, 1);
				continue;
			}
		}
		if (!nf_rx_take(q, &f[i])) {
			nf_rx_recycle(q, f, i + 1, n);
			kfree_skb(skb);
			return;
		}
		skb_add_rx_frag(skb, skb_shinfo(skb)->nr_frags, f[i].buf.page,
				off, len, PAGE_SIZE);
		f[i].buf.page = NULL;	/* the skb owns it now */
	}

	if (unlikely(!pskb_may_pull(skb, ETH_HLEN))) {
		kfree_skb(skb);
		nf_rx_drop(q, NF_C_RX_RUNT);
		return;
	}
	skb->protocol = eth_type_trans(skb, dev);
	skb_reset_network_header(skb);
	if (unlikely(nf_rx_offloads(q, skb, c))) {
		kfree_skb(skb);
		nf_rx_drop(q, NF_C_RX_CSUM_FAIL);
		return;
	}
	skb_record_rx_queue(skb, q->id);
	napi_gro_receive(&q->napi, skb);
}

/* The XDP path: single-slot packets only, as the headroom allows. */
static void nf_rx_xdp(struct nf_queue *q, struct bpf_prog *prog,
		      const struct xenpv_nf_rx_chain *c, struct nf_rx_frag *f,
		      unsigned int n, bool *redirect)
{
	struct net_device *dev = q->info->netdev;
	struct xdp_frame *xdpf;
	struct xdp_buff xdp;
	struct page *page;
	u32 act;

	if (n != 1 || xenpv_nf_rx_chain_extra(c, XEN_NETIF_EXTRA_TYPE_GSO) ||
	    f[0].offset + f[0].len >
	    PAGE_SIZE - SKB_DATA_ALIGN(sizeof(struct skb_shared_info))) {
		nf_rx_recycle(q, f, 0, n);
		nf_rx_drop(q, NF_C_RX_XDP_UNSUPPORTED);
		return;
	}
	if (!nf_rx_take(q, &f[0]))
		return;
	page = f[0].buf.page;

	nf_xdp_buff_init(&xdp, &q->xdp_rxq, page_address(page), f[0].offset,
			 f[0].len, PAGE_SIZE);
	act = bpf_prog_run_xdp(prog, &xdp);

	switch (act) {
	case XDP_PASS:
		f[0].offset = (u8 *)xdp.data - (u8 *)xdp.data_hard_start;
		f[0].len = (u8 *)xdp.data_end - (u8 *)xdp.data;
		nf_rx_skb(q, c, f, 1);
		return;

	case XDP_TX:
		xdpf = xdp_convert_buff_to_frame(&xdp);
		if (xdpf && xenpv_nf_xdp_tx_frame(q, xdpf)) {
			nf_count(&q->stats, NF_C_RX_XDP_TX);
			return;
		}
		if (xdpf)
			xdp_return_frame_rx_napi(xdpf);
		else
			put_page(page);
		trace_xdp_exception(dev, prog, act);
		nf_rx_drop(q, NF_C_RX_XDP_ABORTED);
		return;

	case XDP_REDIRECT:
		if (!xdp_do_redirect(dev, &xdp, prog)) {
			*redirect = true;
			nf_count(&q->stats, NF_C_RX_XDP_REDIRECT);
			return;
		}
		put_page(page);
		trace_xdp_exception(dev, prog, act);
		nf_rx_drop(q, NF_C_RX_XDP_ABORTED);
		return;

	default:
		nf_xdp_warn_action(dev, prog, act);
		fallthrough;
	case XDP_ABORTED:
		trace_xdp_exception(dev, prog, act);
		put_page(page);
		nf_rx_drop(q, NF_C_RX_XDP_ABORTED);
		return;

	case XDP_DROP:
		put_page(page);
		nf_count(&q->stats, NF_C_RX_XDP_DROP);
		return;
	}
}

/* Consume one response chain (one packet) starting at rx.rsp_cons. */
static void nf_rx_one(struct nf_queue *q, RING_IDX prod, struct bpf_prog *prog,
		      bool *redirect)
{
	struct nf_rx_frag f[XENPV_NF_MAX_SLOTS];
	struct xenpv_nf_rx_chain chain;
	unsigned int i, n = 0;
	bool done = false;

	BUILD_BUG_ON(NF_C_RX_RUNT - NF_C_RX_BAD_STATUS !=
		     XENPV_NF_RX_ERR_RUNT - XENPV_NF_RX_ERR_STATUS);

	xenpv_nf_rx_chain_init(&chain);
	while (!done) {
		RING_IDX cons = q->rx.rsp_cons;
		unsigned int idx = cons & (NF_RX_RING_SIZE - 1);
		struct xen_netif_rx_response rsp;
		struct xenpv_nf_rx_slot slot;
		struct nf_rx_buf buf;

		if (cons == prod) {
			/* Backends publish whole packets: this one is cut. */
			xenpv_nf_rx_chain_truncated(&chain);
			break;
		}

		NF_COPY_RSP(&q->rx, cons, &rsp);
		buf = q->rx_bufs[idx];
		q->rx_bufs[idx].page = NULL;
		q->rx.rsp_cons = cons + 1;

		if (unlikely(!buf.page)) {
			xenpv_nf_set_broken(q->info,
					    "queue %u: RX response in slot %u without a posted buffer",
					    q->id, idx);
			nf_rx_recycle(q, f, 0, n);
			return;
		}

		done = xenpv_nf_rx_chain_feed(&chain, &rsp, idx, &slot);
		if (slot.data && n < XENPV_NF_MAX_SLOTS) {
			f[n].buf = buf;
			f[n].granted = true;
			f[n].offset = slot.offset;
			f[n].len = slot.len;
			n++;
		} else {
			/* Extra-info or rejected slot: the buffer goes back. */
			nf_rx_repost(q, &buf);
		}
	}

	xenpv_nf_rx_chain_finish(&chain);
	if (chain.err != XENPV_NF_RX_OK) {
		nf_rx_recycle(q, f, 0, n);
		nf_rx_drop(q, (enum nf_counter)(NF_C_RX_BAD_STATUS + chain.err -
						XENPV_NF_RX_ERR_STATUS));
		net_dbg_ratelimited("%s: queue %u: dropped RX packet: %s\n",
				    q->info->netdev->name, q->id,
				    xenpv_nf_rx_err_name(chain.err));
		return;
	}

	for (i = 0; i < n; i++)
		xenpv_nf_rx_slot_skip_headroom(&chain, &f[i].offset, &f[i].len);

	u64_stats_update_begin(&q->stats.rx_syncp);
	u64_stats_inc(&q->stats.rx_packets);
	u64_stats_add(&q->stats.rx_bytes, chain.len);
	u64_stats_update_end(&q->stats.rx_syncp);

	if (prog)
		nf_rx_xdp(q, prog, &chain, f, n, redirect);
	else
		nf_rx_skb(q, &chain, f, n);
}

static int nf_rx(struct nf_queue *q, int budget, bool *redirect)
{
	struct nf_info *info = q->info;
	struct bpf_prog *prog;
	RING_IDX prod;
	int done = 0;

	if (!q->rx.sring)
		return 0;

	prod = READ_ONCE(q->rx.sring->rsp_prod);
	virt_rmb();	/* responses are read after the producer */
	if (xenpv_nf_ring_check(prod, q->rx.rsp_cons, q->rx.req_prod_pvt,
				NF_RX_RING_SIZE) != XENPV_NF_RING_OK) {
		xenpv_nf_set_broken(info,
				    "queue %u: illegal RX producer %u (consumer %u, requests %u)",
				    q->id, prod, q->rx.rsp_cons,
				    q->rx.req_prod_pvt);
		return 0;
	}

	rcu_read_lock();
	prog = rcu_dereference(info->xdp_prog);
	while (q->rx.rsp_cons != prod && done < budget && !nf_broken(info)) {
		nf_rx_one(q, prod, prog, redirect);
		done++;
	}
	rcu_read_unlock();
	return done;
}

int xenpv_nf_poll(struct napi_struct *napi, int budget)
{
	struct nf_queue *q = container_of(napi, struct nf_queue, napi);
	bool redirect = false;
	int work, more_rx, more_tx;

	if (unlikely(nf_broken(q->info))) {
		napi_complete(napi);
		return 0;
	}

	xenpv_nf_tx_gc(q, budget);
	work = nf_rx(q, budget, &redirect);
	if (redirect)
		xdp_do_flush();
	xenpv_nf_rx_refill(q, GFP_ATOMIC);

	if (work < budget && napi_complete_done(napi, work) &&
	    !nf_broken(q->info)) {
		/* Ask for an event on the next response, then look again. */
		RING_FINAL_CHECK_FOR_RESPONSES(&q->rx, more_rx);
		RING_FINAL_CHECK_FOR_RESPONSES(&q->tx, more_tx);
		if (more_rx || more_tx)
			napi_schedule(napi);
	}
	return work;
}

/* ---- event channels ------------------------------------------------------ */

/*
 * New work = the shared producer moved since the handler last looked; the
 * consumer side does not matter, so work reaped by the poll before the
 * event arrived is not mistaken for a spurious event (XSA-391).  A
 * producer moving backwards disables the device.
 */
static bool nf_ring_event(struct nf_queue *q, RING_IDX prod, RING_IDX *seen,
			  const char *what)
{
	if (prod == *seen)
		return false;
	if ((s32)(prod - *seen) < 0) {
		xenpv_nf_set_broken(q->info,
				    "queue %u: %s response producer went back from %u to %u",
				    q->id, what, *seen, prod);
		return false;
	}
	*seen = prod;
	return true;
}

static irqreturn_t nf_handle_event(struct nf_queue *q, int irq, bool tx,
				   bool rx)
{
	struct nf_info *info = q->info;
	bool work = false;

	/* Disabled: no EOI, the channel stays masked. */
	if (nf_broken(info))
		return IRQ_HANDLED;

	if (tx) {
		nf_count(&q->stats, NF_C_EVT_TX);
		if (q->tx.sring &&
		    nf_ring_event(q, READ_ONCE(q->tx.sring->rsp_prod),
				  &q->tx_irq_prod, "TX"))
			work = true;
	}
	if (rx) {
		nf_count(&q->stats, NF_C_EVT_RX);
		if (q->rx.sring &&
		    nf_ring_event(q, READ_ONCE(q->rx.sring->rsp_prod),
				  &q->rx_irq_prod, "RX"))
			work = true;
	}
	if (nf_broken(info))
		return IRQ_HANDLED;

	if (work) {
		napi_schedule(&q->napi);
		xenpv_evtchn_lateeoi(irq, 0);
	} else {
		nf_count(&q->stats, rx ? NF_C_EVT_RX_SPURIOUS :
					 NF_C_EVT_TX_SPURIOUS);
		xenpv_evtchn_lateeoi(irq, XENPV_EOI_SPURIOUS);
	}
	return IRQ_HANDLED;
}

irqreturn_t xenpv_nf_interrupt(int irq, void *dev_id)
{
	return nf_handle_event(dev_id, irq, true, true);
}

irqreturn_t xenpv_nf_tx_interrupt(int irq, void *dev_id)
{
	return nf_handle_event(dev_id, irq, true, false);
}

irqreturn_t xenpv_nf_rx_interrupt(int irq, void *dev_id)
{
	return nf_handle_event(dev_id, irq, false, true);
}
