// SPDX-License-Identifier: GPL-2.0
/*
 * xenpv netfront: transmit path (skbs, XDP frames, multicast-filter
 * requests) and TX completions.
 *
 * Copyright (C) 2026 The xenpv authors
 *
 * Wire rules kept here: all protocol headers in the first slot and at least
 * ETH_HLEN of them (XSA-423), no more than XEN_NETIF_NR_SLOTS_MIN data
 * slots per packet (else the skb is linearised), at most
 * XEN_NETIF_MAX_TX_SIZE bytes, notifications only as
 * RING_PUSH_REQUESTS_AND_CHECK_NOTIFY says.  With an untrusted backend every
 * byte is copied into fresh pages whose unused part is zeroed (XSA-403).
 */
#include <linux/if_ether.h>
#include <linux/mm.h>
#include <linux/tcp.h>
#include <linux/udp.h>

#include "netfront.h"

/* A piece of packet data that fits one 4 KiB slot. */
struct nf_tx_piece {
	struct page *page;
	u16 offset;
	u16 len;
	bool own;		/* freshly allocated copy, ours to free */
};

struct nf_tx_plan {
	unsigned int nr;
	u16 flags;		/* XEN_NETTXF_csum_blank / data_validated */
	u8 gso_type;		/* XEN_NETIF_GSO_TYPE_*, NONE when not GSO */
	u16 gso_size;
	struct nf_tx_piece p[XENPV_NF_MAX_SLOTS];
};

/* ---- slot table (tx_lock) ------------------------------------------------ */

void xenpv_nf_tx_slots_init(struct nf_queue *q)
{
	unsigned int i;

	BUILD_BUG_ON(NF_TX_RING_SIZE >= NF_TX_NO_ID);
	for (i = 0; i < NF_TX_RING_SIZE; i++) {
		memset(&q->tx_slots[i], 0, sizeof(q->tx_slots[i]));
		q->tx_slots[i].next_free = i + 1 < NF_TX_RING_SIZE ? i + 1 :
					   NF_TX_NO_ID;
	}
	q->tx_free_head = 0;
	q->tx_free_count = NF_TX_RING_SIZE;
}

static u16 nf_tx_get_id(struct nf_queue *q)
{
	u16 id = q->tx_free_head;

	q->tx_free_head = q->tx_slots[id].next_free;
	q->tx_free_count--;
	return id;
}

static void nf_tx_put_id(struct nf_queue *q, u16 id)
{
	struct nf_tx_slot *s = &q->tx_slots[id];

	memset(s, 0, sizeof(*s));
	s->next_free = q->tx_free_head;
	q->tx_free_head = id;
	q->tx_free_count++;
}

static bool nf_tx_room(struct nf_queue *q, unsigned int reqs,
		       unsigned int ids)
{
	return RING_FREE_REQUESTS(&q->tx) >= reqs && q->tx_free_count >= ids;
}

/*
 * End a slot's grant and drop what it holds.  When the backend still maps
 * the page (XSA-396) nothing that could be reused is freed: an own page is
 * parked with the grant on the deferred list, and the skb or XDP frame
 * whose memory is granted is deliberately leaked (skb orphaned first, so
 * its socket is not held).  Returns false in that case.
 */
static bool nf_tx_slot_release(struct nf_queue *q, struct nf_tx_slot *s,
			       int budget)
{
	bool revoked = true;

	if (s->granted && !xenpv_gnttab_try_end_access(s->gref)) {
		revoked = false;
		if (s->own_page) {
			xenpv_gnttab_end_access(s->gref, s->page);
			s->page = NULL;
		} else {
			xenpv_gnttab_end_access(s->gref, NULL);
			if (s->skb)
				skb_orphan(s->skb);
			s->skb = NULL;
			s->xdpf = NULL;
		}
	}
	s->granted = false;

	if (s->own_page && s->page)
		put_page(s->page);
	if (s->skb)
		napi_consume_skb(s->skb, budget);
	if (s->xdpf)
		xdp_return_frame(s->xdpf);
	s->skb = NULL;
	s->xdpf = NULL;
	s->page = NULL;
	return revoked;
}

static void nf_tx_push(struct nf_queue *q)
{
	int notify;

	RING_PUSH_REQUESTS_AND_CHECK_NOTIFY(&q->tx, notify);
	if (notify)
		xenpv_evtchn_notify(q->tx_port);
}

static void nf_tx_maybe_stop(struct nf_queue *q, struct netdev_queue *txq)
{
	if (!nf_tx_room(q, NF_TX_STOP_ROOM, XENPV_NF_MAX_SLOTS))
		netif_tx_stop_queue(txq);
}

/* ---- completions --------------------------------------------------------- */

/* Reap TX responses; the queue's NAPI poll is the only caller. */
void xenpv_nf_tx_gc(struct nf_queue *q, int budget)
{
	struct nf_info *info = q->info;
	struct netdev_queue *txq;
	bool mcast_err = false;
	RING_IDX prod, cons;

	spin_lock(&q->tx_lock);
	if (!q->tx.sring || nf_broken(info))
		goto unlock;

	prod = READ_ONCE(q->tx.sring->rsp_prod);
	virt_rmb();	/* responses are read after the producer */
	if (xenpv_nf_ring_check(prod, q->tx.rsp_cons, q->tx.req_prod_pvt,
				NF_TX_RING_SIZE) != XENPV_NF_RING_OK) {
		xenpv_nf_set_broken(info,
				    "queue %u: illegal TX producer %u (consumer %u, requests %u)",
				    q->id, prod, q->tx.rsp_cons,
				    q->tx.req_prod_pvt);
		goto unlock;
	}

	for (cons = q->tx.rsp_cons; cons != prod; cons++) {
		struct xen_netif_tx_response rsp;
		struct nf_tx_slot *s;
		bool failed;

		NF_COPY_RSP(&q->tx, cons, &rsp);
		switch (xenpv_nf_tx_rsp_check(&rsp, NF_TX_RING_SIZE)) {
		case XENPV_NF_TX_SKIP:
			continue;
		case XENPV_NF_TX_BAD_ID:
			xenpv_nf_set_broken(info, "queue %u: TX response has id %u",
					    q->id, rsp.id);
			goto stop;
		case XENPV_NF_TX_FAILED:
			failed = true;
			break;
		default:
			failed = false;
			break;
		}

		s = &q->tx_slots[rsp.id];
		if (s->kind == NF_TX_FREE) {
			xenpv_nf_set_broken(info,
					    "queue %u: TX response for inactive request %u",
					    q->id, rsp.id);
			goto stop;
		}
		if (failed) {
			if (s->kind == NF_TX_MCAST)
				mcast_err = true;
			else
				nf_count(&q->stats, NF_C_TX_ERR_RSP);
		}
		if (!nf_tx_slot_release(q, s, budget))
			xenpv_nf_set_broken(info,
					    "queue %u: backend still maps TX grant of request %u",
					    q->id, rsp.id);
		nf_tx_put_id(q, rsp.id);
		if (nf_broken(info)) {
			cons++;
			break;
		}
	}
stop:
	q->tx.rsp_cons = cons;

	txq = netdev_get_tx_queue(info->netdev, q->id);
	if (netif_tx_queue_stopped(txq) && READ_ONCE(info->data_ready) &&
	    netif_running(info->netdev) && !nf_broken(info) &&
	    nf_tx_room(q, NF_TX_WAKE_ROOM, 2 * XENPV_NF_MAX_SLOTS))
		netif_tx_wake_queue(txq);
unlock:
	spin_unlock(&q->tx_lock);

	if (mcast_err) {
		WRITE_ONCE(info->mcast_failed, true);
		schedule_delayed_work(&info->mcast_work, 0);
	}
}

/* Teardown, after the event channels are gone and NAPI is off. */
void xenpv_nf_tx_reclaim_all(struct nf_queue *q)
{
	unsigned int i;

	spin_lock_bh(&q->tx_lock);
	for (i = 0; i < NF_TX_RING_SIZE; i++) {
		struct nf_tx_slot *s = &q->tx_slots[i];

		if (s->kind == NF_TX_FREE)
			continue;
		if (!nf_tx_slot_release(q, s, 0))
			netdev_warn_once(q->info->netdev,
					 "queue %u: TX grant still mapped at disconnect\n",
					 q->id);
		nf_tx_put_id(q, i);
	}
	spin_unlock_bh(&q->tx_lock);
}

/* ---- building a packet --------------------------------------------------- */

static void nf_tx_plan_release(struct nf_tx_plan *pl)
{
	unsigned int i;

	for (i = 0; i < pl->nr; i++)
		if (pl->p[i].own)
			put_page(pl->p[i].page);
	pl->nr = 0;
}

static int nf_tx_add_buf(struct nf_tx_plan *pl, struct page *page,
			 unsigned long offset, unsigned int len)
{
	unsigned long pfn = page_to_pfn(page) + offset / PAGE_SIZE;

	offset %= PAGE_SIZE;
	while (len) {
		unsigned int n = min_t(unsigned int, len, PAGE_SIZE - offset);
		struct nf_tx_piece *pc;

		if (pl->nr == XENPV_NF_MAX_SLOTS)
			return -E2BIG;
		pc = &pl->p[pl->nr++];
		pc->page = pfn_to_page(pfn);
		pc->offset = offset;
		pc->len = n;
		pc->own = false;
		len -= n;
		offset = 0;
		pfn++;
	}
	return 0;
}

/* Zero-copy pieces of the skb's data from byte @skip on. */
static int nf_tx_plan_refs(struct nf_tx_plan *pl, struct sk_buff *skb,
			   unsigned int skip)
{
	unsigned int head = skb_headlen(skb);
	unsigned int i;
	int err;

	if (skip < head) {
		const u8 *data = skb->data + skip;

		err = nf_tx_add_buf(pl, virt_to_page(data),
				    offset_in_page(data), head - skip);
		if (err)
			return err;
		skip = 0;
	} else {
		skip -= head;
	}

	for (i = 0; i < skb_shinfo(skb)->nr_frags; i++) {
		const skb_frag_t *f = &skb_shinfo(skb)->frags[i];
		unsigned int size = skb_frag_size(f);

		if (skip >= size) {
			skip -= size;
			continue;
		}
		err = nf_tx_add_buf(pl, skb_frag_page(f),
				    skb_frag_off(f) + skip, size - skip);
		if (err)
			return err;
		skip = 0;
	}
	return 0;
}

/* Copy skb bytes [@from, @from + @len) into fresh pages, zero-filled. */
static int nf_tx_plan_copy(struct nf_tx_plan *pl, const struct sk_buff *skb,
			   unsigned int from, unsigned int len)
{
	while (len) {
		unsigned int n = min_t(unsigned int, len, PAGE_SIZE);
		struct nf_tx_piece *pc;
		struct page *page;
		u8 *va;

		if (pl->nr == XENPV_NF_MAX_SLOTS)
			return -E2BIG;
		page = alloc_page(GFP_ATOMIC | __GFP_NOWARN);
		if (!page)
			return -ENOMEM;
		va = page_address(page);
		if (skb_copy_bits(skb, from, va, n)) {
			put_page(page);
			return -EFAULT;
		}
		if (n < PAGE_SIZE)
			memset(va + n, 0, PAGE_SIZE - n);

		pc = &pl->p[pl->nr++];
		pc->page = page;
		pc->offset = 0;
		pc->len = n;
		pc->own = true;
		from += n;
		len -= n;
	}
	return 0;
}

/* Bytes the first slot must hold: Ethernet header up to the L4 header. */
static unsigned int nf_tx_header_len(const struct sk_buff *skb)
{
	unsigned int need = ETH_HLEN;
	unsigned int l4 = 0;

	if (skb_is_gso(skb) || skb->ip_summed == CHECKSUM_PARTIAL) {
		bool tcp = skb_is_gso(skb) ||
			   skb->csum_offset == offsetof(struct tcphdr, check);
		unsigned int t = skb_is_gso(skb) ? skb_transport_offset(skb) :
				 skb_checksum_start_offset(skb);
		u8 doff_byte, tmp;
		const u8 *p;

		l4 = sizeof(struct udphdr);
		if (tcp) {
			/* The TCP data offset, read safely wherever it lies. */
			p = skb_header_pointer(skb, t + 12, 1, &tmp);
			doff_byte = p ? *p : 0;
			l4 = max_t(unsigned int, (doff_byte >> 4) * 4,
				   sizeof(struct tcphdr));
		}
		need = max(need, t + l4);
	} else if (skb_transport_header_was_set(skb) &&
		   skb_transport_offset(skb) > 0) {
		need = max_t(unsigned int, need,
			     skb_transport_offset(skb) + sizeof(struct udphdr));
	}

	/* Very long header chains: a generous first slot is enough. */
	need = min_t(unsigned int, need, 512);
	return min(need, skb->len);
}

/*
 * Plan the data slots of @skb.  Returns 0, -E2BIG when it needs more than
 * XEN_NETIF_NR_SLOTS_MIN slots, or another -errno.
 */
static int nf_tx_plan(struct nf_info *info, struct nf_tx_plan *pl,
		      struct sk_buff *skb)
{
	unsigned int need, first;
	int err;

	pl->nr = 0;
	if (info->bounce)
		return nf_tx_plan_copy(pl, skb, 0, skb->len);

	need = nf_tx_header_len(skb);
	first = min_t(unsigned int, skb_headlen(skb),
		      PAGE_SIZE - offset_in_page(skb->data));
	if (first >= need)
		return nf_tx_plan_refs(pl, skb, 0);

	/* Headers would straddle slots: copy them into a slot of their own. */
	err = nf_tx_plan_copy(pl, skb, 0, need);
	if (!err)
		err = nf_tx_plan_refs(pl, skb, need);
	return err;
}

/* Post the planned slots; nothing is pushed yet.  tx_lock held. */
static int nf_tx_post(struct nf_queue *q, struct sk_buff *skb,
		      struct nf_tx_plan *pl)
{
	domid_t domid = q->info->xdev->otherend_id;
	RING_IDX start = q->tx.req_prod_pvt;
	u16 ids[XENPV_NF_MAX_SLOTS];
	unsigned int i;

	for (i = 0; i < pl->nr; i++) {
		struct nf_tx_piece *pc = &pl->p[i];
		struct xen_netif_tx_request *req;
		struct nf_tx_slot *s;
		int ref;

		ref = xenpv_gnttab_grant_access(domid,
						xenpv_page_to_gfn(pc->page),
						true);
		if (ref < 0)
			goto rollback;

		ids[i] = nf_tx_get_id(q);
		s = &q->tx_slots[ids[i]];
		s->kind = NF_TX_SKB;
		s->gref = ref;
		s->granted = true;
		s->page = pc->page;
		s->own_page = pc->own;
		pc->own = false;	/* the slot owns the copy now */
		s->skb = skb_get(skb);

		req = RING_GET_REQUEST(&q->tx, q->tx.req_prod_pvt++);
		req->gref = ref;
		req->offset = pc->offset;
		req->id = ids[i];
		if (i == 0) {
			/* The first slot carries the whole packet's size. */
			req->size = skb->len;
			req->flags = pl->flags;
			if (pl->nr > 1)
				req->flags |= XEN_NETTXF_more_data;
			if (pl->gso_type != XEN_NETIF_GSO_TYPE_NONE) {
				struct xen_netif_extra_info *gso;
				struct xen_netif_tx_request *slot;

				req->flags |= XEN_NETTXF_extra_info;
				/* Zero the whole 12-byte slot, not just 8. */
				slot = RING_GET_REQUEST(&q->tx,
							q->tx.req_prod_pvt++);
				memset(slot, 0, sizeof(*slot));
				gso = (struct xen_netif_extra_info *)slot;
				gso->type = XEN_NETIF_EXTRA_TYPE_GSO;
				gso->u.gso.size = pl->gso_size;
				gso->u.gso.type = pl->gso_type;
			}
		} else {
			req->size = pc->len;
			req->flags = i + 1 < pl->nr ? XEN_NETTXF_more_data : 0;
		}
	}
	return 0;

rollback:
	/* Nothing was pushed: take the requests back. */
	q->tx.req_prod_pvt = start;
	while (i--) {
		if (!nf_tx_slot_release(q, &q->tx_slots[ids[i]], 0))
			xenpv_nf_set_broken(q->info,
					    "queue %u: backend maps an unpublished TX grant",
					    q->id);
		nf_tx_put_id(q, ids[i]);
	}
	return -ENOSPC;
}

static int nf_tx_classify(struct nf_tx_plan *pl, const struct sk_buff *skb)
{
	pl->flags = 0;
	pl->gso_type = XEN_NETIF_GSO_TYPE_NONE;
	pl->gso_size = 0;

	if (skb->ip_summed == CHECKSUM_PARTIAL)
		pl->flags = XEN_NETTXF_csum_blank | XEN_NETTXF_data_validated;
	else if (skb->ip_summed == CHECKSUM_UNNECESSARY)
		pl->flags = XEN_NETTXF_data_validated;

	if (!skb_is_gso(skb))
		return 0;
	if (skb_shinfo(skb)->gso_type & SKB_GSO_TCPV4)
		pl->gso_type = XEN_NETIF_GSO_TYPE_TCPV4;
	else if (skb_shinfo(skb)->gso_type & SKB_GSO_TCPV6)
		pl->gso_type = XEN_NETIF_GSO_TYPE_TCPV6;
	else
		return -EPROTONOSUPPORT;
	pl->gso_size = skb_shinfo(skb)->gso_size;
	return 0;
}

static void nf_tx_flush(struct nf_queue *q)
{
	spin_lock(&q->tx_lock);
	if (q->tx.sring)
		nf_tx_push(q);
	spin_unlock(&q->tx_lock);
}

netdev_tx_t xenpv_nf_start_xmit(struct sk_buff *skb, struct net_device *dev)
{
	struct nf_info *info = netdev_priv(dev);
	unsigned int qid = skb_get_queue_mapping(skb);
	struct netdev_queue *txq;
	enum nf_counter why;
	struct nf_tx_plan pl;
	struct nf_queue *q;
	unsigned int len;
	int err;

	BUILD_BUG_ON(PAGE_SIZE != XENPV_NF_PAGE_SIZE);

	if (unlikely(!smp_load_acquire(&info->data_ready) ||
		     qid >= READ_ONCE(info->num_queues))) {
		dev_kfree_skb_any(skb);
		atomic_long_inc(&info->queues[0].stats.c[NF_C_TX_DROP_DOWN]);
		return NETDEV_TX_OK;
	}
	q = &info->queues[qid];
	txq = netdev_get_tx_queue(dev, qid);

	why = NF_C_TX_DROP_DOWN;
	if (unlikely(nf_broken(info)))
		goto drop;
	why = NF_C_TX_DROP_OVERSIZE;
	if (unlikely(skb->len > XEN_NETIF_MAX_TX_SIZE))
		goto drop;
	why = NF_C_TX_DROP_RUNT;
	if (unlikely(skb->len < ETH_HLEN))
		goto drop;
	why = NF_C_TX_DROP_BAD_GSO;
	if (unlikely(nf_tx_classify(&pl, skb)))
		goto drop;
	why = NF_C_TX_DROP_NOMEM;
	if (unlikely(skb_has_frag_list(skb)) && skb_linearize(skb))
		goto drop;

	err = nf_tx_plan(info, &pl, skb);
	if (err == -E2BIG) {
		nf_tx_plan_release(&pl);
		if (skb_linearize(skb))
			goto drop;
		nf_count(&q->stats, NF_C_TX_LINEARIZED);
		err = nf_tx_plan(info, &pl, skb);
	}
	if (unlikely(err)) {
		nf_tx_plan_release(&pl);
		goto drop;
	}
	if (info->bounce)
		nf_count(&q->stats, NF_C_TX_BOUNCED);
	else if (pl.p[0].own)
		nf_count(&q->stats, NF_C_TX_HDR_BOUNCE);

	len = skb->len;
	spin_lock(&q->tx_lock);
	if (unlikely(!nf_tx_room(q, pl.nr + 1, pl.nr))) {
		/* Stopped early in the normal case; seen only on a race. */
		netif_tx_stop_queue(txq);
		nf_count(&q->stats, NF_C_TX_RING_FULL);
		nf_tx_push(q);	/* what xmit_more left unpublished */
		spin_unlock(&q->tx_lock);
		nf_tx_plan_release(&pl);
		return NETDEV_TX_BUSY;
	}
	if (unlikely(nf_tx_post(q, skb, &pl))) {
		nf_tx_maybe_stop(q, txq);
		nf_tx_push(q);
		spin_unlock(&q->tx_lock);
		nf_tx_plan_release(&pl);
		why = NF_C_TX_DROP_NO_GRANT;
		goto drop_counted;
	}

	u64_stats_update_begin(&q->stats.tx_syncp);
	u64_stats_inc(&q->stats.tx_packets);
	u64_stats_add(&q->stats.tx_bytes, len);
	u64_stats_update_end(&q->stats.tx_syncp);
	skb_tx_timestamp(skb);

	nf_tx_maybe_stop(q, txq);
	if (!netdev_xmit_more() || netif_xmit_stopped(txq))
		nf_tx_push(q);
	spin_unlock(&q->tx_lock);

	/* The slots hold their own references. */
	dev_consume_skb_any(skb);
	return NETDEV_TX_OK;

drop:
	if (!netdev_xmit_more())
		nf_tx_flush(q);
drop_counted:
	nf_count(&q->stats, why);
	dev_kfree_skb_any(skb);
	return NETDEV_TX_OK;
}

/* ---- XDP ----------------------------------------------------------------- */

/* One frame into one slot; tx_lock held.  False: not taken (not freed). */
static bool nf_xdp_post(struct nf_queue *q, struct xdp_frame *xdpf)
{
	struct nf_info *info = q->info;
	struct xen_netif_tx_request *req;
	unsigned int off, len = xdpf->len;
	struct nf_tx_slot *s;
	struct page *page;
	bool own = false;
	int ref;
	u16 id;

	if (len < ETH_HLEN || len > PAGE_SIZE || !nf_tx_room(q, 1, 1))
		return false;

	page = virt_to_page(xdpf->data);
	off = offset_in_page(xdpf->data);
	if (info->bounce || off + len > PAGE_SIZE) {
		u8 *va;

		page = alloc_page(GFP_ATOMIC | __GFP_NOWARN);
		if (!page)
			return false;
		va = page_address(page);
		memcpy(va, xdpf->data, len);
		memset(va + len, 0, PAGE_SIZE - len);
		off = 0;
		own = true;
	}

	ref = xenpv_gnttab_grant_access(info->xdev->otherend_id,
					xenpv_page_to_gfn(page), true);
	if (ref < 0) {
		if (own)
			put_page(page);
		return false;
	}

	id = nf_tx_get_id(q);
	s = &q->tx_slots[id];
	s->kind = NF_TX_XDP;
	s->gref = ref;
	s->granted = true;
	s->page = page;
	s->own_page = own;
	if (own)
		xdp_return_frame(xdpf);	/* copied: the frame is done */
	else
		s->xdpf = xdpf;

	req = RING_GET_REQUEST(&q->tx, q->tx.req_prod_pvt++);
	req->gref = ref;
	req->offset = off;
	req->flags = 0;
	req->id = id;
	req->size = len;

	u64_stats_update_begin(&q->stats.tx_syncp);
	u64_stats_inc(&q->stats.tx_packets);
	u64_stats_add(&q->stats.tx_bytes, len);
	u64_stats_update_end(&q->stats.tx_syncp);
	nf_count(&q->stats, NF_C_TX_XDP_XMIT);
	return true;
}

int xenpv_nf_xdp_xmit(struct net_device *dev, int n, struct xdp_frame **frames,
		      u32 flags)
{
	struct nf_info *info = netdev_priv(dev);
	unsigned int nq;
	struct nf_queue *q;
	int i, sent = 0, drops = 0;

	if (unlikely(flags & ~XDP_XMIT_FLAGS_MASK))
		return -EINVAL;
	if (unlikely(!smp_load_acquire(&info->data_ready) || nf_broken(info) ||
		     !netif_running(dev)))
		return -ENETDOWN;
	nq = READ_ONCE(info->num_queues);
	if (unlikely(!nq))
		return -ENETDOWN;

	q = &info->queues[smp_processor_id() % nq];
	spin_lock(&q->tx_lock);
	for (i = 0; i < n; i++) {
		if (nf_xdp_post(q, frames[i])) {
			sent++;
			continue;
		}
		nf_count(&q->stats, NF_C_TX_XDP_DROP);
		if (!NF_XDP_XMIT_DRIVER_FREES)
			break;
		xdp_return_frame_rx_napi(frames[i]);
		drops++;
	}
	if (flags & XDP_XMIT_FLUSH)
		nf_tx_push(q);
	spin_unlock(&q->tx_lock);

	return NF_XDP_XMIT_DRIVER_FREES ? n - drops : sent;
}

/* XDP_TX from the queue's own NAPI poll.  False: the caller frees. */
bool xenpv_nf_xdp_tx_frame(struct nf_queue *q, struct xdp_frame *xdpf)
{
	bool ok;

	spin_lock(&q->tx_lock);
	ok = q->tx.sring && nf_xdp_post(q, xdpf);
	if (ok)
		nf_tx_push(q);
	spin_unlock(&q->tx_lock);
	return ok;
}

/* ---- multicast filter requests ------------------------------------------- */

/*
 * A data-less request carrying XEN_NETIF_EXTRA_TYPE_MCAST_{ADD,DEL}; the
 * backend answers it like a packet.  Process context.
 */
int xenpv_nf_tx_send_mcast(struct nf_queue *q, u8 type, const u8 *addr)
{
	struct xen_netif_extra_info *extra;
	struct xen_netif_tx_request *req;
	int err = 0;
	u16 id;

	spin_lock_bh(&q->tx_lock);
	if (!q->tx.sring || nf_broken(q->info)) {
		err = -ENOTCONN;
		goto unlock;
	}
	if (!nf_tx_room(q, NF_TX_STOP_ROOM + 2, XENPV_NF_MAX_SLOTS + 1)) {
		err = -EBUSY;
		goto unlock;
	}

	id = nf_tx_get_id(q);
	q->tx_slots[id].kind = NF_TX_MCAST;

	req = RING_GET_REQUEST(&q->tx, q->tx.req_prod_pvt++);
	memset(req, 0, sizeof(*req));
	req->id = id;
	req->flags = XEN_NETTXF_extra_info;

	req = RING_GET_REQUEST(&q->tx, q->tx.req_prod_pvt++);
	memset(req, 0, sizeof(*req));
	extra = (struct xen_netif_extra_info *)req;
	extra->type = type;
	memcpy(extra->u.mcast.addr, addr, ETH_ALEN);

	nf_tx_push(q);
unlock:
	spin_unlock_bh(&q->tx_lock);
	return err;
}
