// SPDX-License-Identifier: GPL-2.0
/*
 * xenpv netfront: pure protocol logic (see nf_logic.h).
 *
 * Copyright (C) 2026 The xenpv authors
 */
#include "nf_logic.h"

#ifdef __KERNEL__
#include <linux/string.h>
#else
#include <string.h>
#endif

/* ---- xenstore values ----------------------------------------------------- */

static int nf_hex_digit(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

int xenpv_nf_parse_mac(const char *str, uint8_t mac[ETH_ALEN])
{
	uint8_t out[ETH_ALEN];
	unsigned int i;
	bool zero = true;

	if (!str)
		return -EINVAL;

	for (i = 0; i < ETH_ALEN; i++) {
		const char *p = str + 3 * i;
		int hi, lo;

		hi = nf_hex_digit(p[0]);
		if (hi < 0)
			return -EINVAL;
		lo = nf_hex_digit(p[1]);
		if (lo < 0)
			return -EINVAL;
		if (p[2] != (i == ETH_ALEN - 1 ? '\0' : ':'))
			return -EINVAL;
		out[i] = (uint8_t)(hi << 4 | lo);
		if (out[i])
			zero = false;
	}

	/* Group bit set, or nothing at all: not a station address. */
	if (zero || (out[0] & 0x01))
		return -EADDRNOTAVAIL;

	memcpy(mac, out, ETH_ALEN);
	return 0;
}

bool xenpv_nf_max_queues_param_ok(unsigned int val)
{
	return val <= XENPV_NF_MAX_QUEUES;
}

unsigned int xenpv_nf_pick_queues(bool be_mq, unsigned int be_max,
				  unsigned int want)
{
	unsigned int n;

	if (!be_mq || be_max == 0)
		return 1;
	n = want < be_max ? want : be_max;
	if (n > XENPV_NF_MAX_QUEUES)
		n = XENPV_NF_MAX_QUEUES;
	return n ? n : 1;
}

unsigned int xenpv_nf_max_mtu(bool sg)
{
	return sg ? XEN_NETIF_MAX_TX_SIZE - ETH_HLEN : ETH_DATA_LEN;
}

bool xenpv_nf_mtu_ok(unsigned int mtu, bool sg)
{
	return mtu >= ETH_MIN_MTU && mtu <= xenpv_nf_max_mtu(sg);
}

/* ---- rings --------------------------------------------------------------- */

enum xenpv_nf_ring_verdict xenpv_nf_ring_check(uint32_t prod, uint32_t cons,
					       uint32_t req_prod,
					       uint32_t size)
{
	if ((int32_t)(prod - cons) < 0)
		return XENPV_NF_RING_BACKWARDS;
	if (prod - cons > size)
		return XENPV_NF_RING_OVERFLOW;
	if ((int32_t)(prod - req_prod) > 0)
		return XENPV_NF_RING_UNREQUESTED;
	return XENPV_NF_RING_OK;
}

unsigned int xenpv_nf_buf_slots(unsigned long offset, unsigned long len)
{
	if (!len)
		return 0;
	offset %= XENPV_NF_PAGE_SIZE;
	return (unsigned int)((offset + len + XENPV_NF_PAGE_SIZE - 1) /
			      XENPV_NF_PAGE_SIZE);
}

/* ---- TX responses -------------------------------------------------------- */

enum xenpv_nf_tx_verdict
xenpv_nf_tx_rsp_check(const struct xen_netif_tx_response *rsp,
		      unsigned int ring_size)
{
	if (rsp->status == XEN_NETIF_RSP_NULL)
		return XENPV_NF_TX_SKIP;
	if (rsp->id >= ring_size)
		return XENPV_NF_TX_BAD_ID;
	if (rsp->status != XEN_NETIF_RSP_OKAY)
		return XENPV_NF_TX_FAILED;
	return XENPV_NF_TX_DONE;
}

/* ---- RX response chains -------------------------------------------------- */

enum {
	NF_RXS_FIRST = 0,	/* expecting the first data slot */
	NF_RXS_EXTRA,		/* expecting an extra-info slot */
	NF_RXS_DATA,		/* expecting a follow-on data slot */
	NF_RXS_DONE,
};

static const char *const nf_rx_err_names[XENPV_NF_RX_ERR_NR] = {
	[XENPV_NF_RX_OK]	= "ok",
	[XENPV_NF_RX_ERR_STATUS] = "bad_status",
	[XENPV_NF_RX_ERR_LEN]	= "bad_len",
	[XENPV_NF_RX_ERR_ID]	= "bad_id",
	[XENPV_NF_RX_ERR_SLOTS]	= "too_many_slots",
	[XENPV_NF_RX_ERR_EXTRA]	= "bad_extra",
	[XENPV_NF_RX_ERR_GSO]	= "bad_gso",
	[XENPV_NF_RX_ERR_TRUNC]	= "truncated",
	[XENPV_NF_RX_ERR_RUNT]	= "runt",
};

const char *xenpv_nf_rx_err_name(enum xenpv_nf_rx_err err)
{
	if ((unsigned int)err >= XENPV_NF_RX_ERR_NR)
		return "unknown";
	return nf_rx_err_names[err];
}

static void nf_rx_fail(struct xenpv_nf_rx_chain *c, enum xenpv_nf_rx_err err)
{
	if (c->err == XENPV_NF_RX_OK)
		c->err = err;
}

void xenpv_nf_rx_chain_init(struct xenpv_nf_rx_chain *c)
{
	memset(c, 0, sizeof(*c));
	c->state = NF_RXS_FIRST;
}

static void nf_rx_feed_data(struct xenpv_nf_rx_chain *c,
			    const struct xen_netif_rx_response *rsp,
			    uint16_t slot_id, struct xenpv_nf_rx_slot *out)
{
	bool ok = true;

	c->nr_data++;
	if (c->nr_data > XENPV_NF_MAX_SLOTS) {
		nf_rx_fail(c, XENPV_NF_RX_ERR_SLOTS);
		ok = false;
	}
	if (rsp->id != slot_id) {
		nf_rx_fail(c, XENPV_NF_RX_ERR_ID);
		ok = false;
	}
	if (rsp->status < 0) {
		nf_rx_fail(c, XENPV_NF_RX_ERR_STATUS);
		ok = false;
	} else if (rsp->status == 0 ||
		   (uint32_t)rsp->offset + (uint32_t)rsp->status >
		   XENPV_NF_PAGE_SIZE) {
		nf_rx_fail(c, XENPV_NF_RX_ERR_LEN);
		ok = false;
	}

	if (ok) {
		out->data = true;
		out->offset = rsp->offset;
		out->len = (uint16_t)rsp->status;
		c->len += (unsigned int)rsp->status;
		if (c->nr_data == 1 || out->len < c->min_status)
			c->min_status = out->len;
		if (out->offset > c->max_offset)
			c->max_offset = out->offset;
	}
}

bool xenpv_nf_rx_chain_feed(struct xenpv_nf_rx_chain *c,
			    const struct xen_netif_rx_response *rsp,
			    uint16_t slot_id, struct xenpv_nf_rx_slot *out)
{
	struct xen_netif_extra_info extra;

	out->data = false;
	out->offset = 0;
	out->len = 0;
	c->nr_slots++;

	switch (c->state) {
	case NF_RXS_FIRST:
		c->first_flags = rsp->flags;
		nf_rx_feed_data(c, rsp, slot_id, out);
		if (rsp->flags & XEN_NETRXF_extra_info)
			c->state = NF_RXS_EXTRA;
		else if (rsp->flags & XEN_NETRXF_more_data)
			c->state = NF_RXS_DATA;
		else
			c->state = NF_RXS_DONE;
		break;

	case NF_RXS_EXTRA:
		/* The extra overlays the response slot (8 bytes both). */
		memcpy(&extra, rsp, sizeof(extra));
		c->nr_extras++;
		if (c->nr_extras > XENPV_NF_MAX_EXTRAS ||
		    extra.type == XEN_NETIF_EXTRA_TYPE_NONE ||
		    extra.type >= XEN_NETIF_EXTRA_TYPE_MAX) {
			nf_rx_fail(c, XENPV_NF_RX_ERR_EXTRA);
		} else {
			c->extras[extra.type - 1] = extra;
			c->extra_mask |= 1u << (extra.type - 1);
		}
		if (!(extra.flags & XEN_NETIF_EXTRA_FLAG_MORE))
			c->state = (c->first_flags & XEN_NETRXF_more_data) ?
				   NF_RXS_DATA : NF_RXS_DONE;
		break;

	case NF_RXS_DATA:
		nf_rx_feed_data(c, rsp, slot_id, out);
		if (!(rsp->flags & XEN_NETRXF_more_data))
			c->state = NF_RXS_DONE;
		break;

	default:
		/* Fed past the end: a caller bug, never backend input. */
		nf_rx_fail(c, XENPV_NF_RX_ERR_SLOTS);
		c->state = NF_RXS_DONE;
		break;
	}

	return c->state == NF_RXS_DONE;
}

void xenpv_nf_rx_chain_truncated(struct xenpv_nf_rx_chain *c)
{
	nf_rx_fail(c, XENPV_NF_RX_ERR_TRUNC);
	c->state = NF_RXS_DONE;
}

const struct xen_netif_extra_info *
xenpv_nf_rx_chain_extra(const struct xenpv_nf_rx_chain *c, unsigned int type)
{
	if (type == XEN_NETIF_EXTRA_TYPE_NONE ||
	    type >= XEN_NETIF_EXTRA_TYPE_MAX)
		return NULL;
	if (!(c->extra_mask & (1u << (type - 1))))
		return NULL;
	return &c->extras[type - 1];
}

void xenpv_nf_rx_chain_finish(struct xenpv_nf_rx_chain *c)
{
	const struct xen_netif_extra_info *ex;

	if (c->err != XENPV_NF_RX_OK)
		return;

	/*
	 * The XDP extra says where the data starts.  Only a backend that
	 * reports offset 0 everywhere left the headroom inside the reported
	 * range (Linux's netback does); one that reports real offsets has
	 * already excluded it.  Every slot must then hold more than the
	 * headroom, or the lengths are lies.
	 */
	ex = xenpv_nf_rx_chain_extra(c, XEN_NETIF_EXTRA_TYPE_XDP);
	if (ex && ex->u.xdp.headroom && c->max_offset == 0) {
		if (c->min_status <= ex->u.xdp.headroom) {
			nf_rx_fail(c, XENPV_NF_RX_ERR_LEN);
			return;
		}
		c->headroom = ex->u.xdp.headroom;
		c->len -= (unsigned int)c->headroom * c->nr_data;
	}

	if (c->len < ETH_HLEN) {
		nf_rx_fail(c, XENPV_NF_RX_ERR_RUNT);
		return;
	}

	ex = xenpv_nf_rx_chain_extra(c, XEN_NETIF_EXTRA_TYPE_GSO);
	if (ex && (ex->u.gso.size == 0 ||
		   (ex->u.gso.type != XEN_NETIF_GSO_TYPE_TCPV4 &&
		    ex->u.gso.type != XEN_NETIF_GSO_TYPE_TCPV6))) {
		nf_rx_fail(c, XENPV_NF_RX_ERR_GSO);
		return;
	}

	/* A hash we cannot interpret is just not used. */
	ex = xenpv_nf_rx_chain_extra(c, XEN_NETIF_EXTRA_TYPE_HASH);
	if (ex && (ex->u.hash.type > _XEN_NETIF_CTRL_HASH_TYPE_IPV6_TCP ||
		   ex->u.hash.algorithm !=
		   XEN_NETIF_CTRL_HASH_ALGORITHM_TOEPLITZ))
		c->extra_mask &= ~(1u << (XEN_NETIF_EXTRA_TYPE_HASH - 1));
}

/* ---- control ring (hashing / RSS) ---------------------------------------- */

uint32_t xenpv_nf_hash_flags(uint32_t supported)
{
	return supported & (XEN_NETIF_CTRL_HASH_TYPE_IPV4 |
			    XEN_NETIF_CTRL_HASH_TYPE_IPV4_TCP |
			    XEN_NETIF_CTRL_HASH_TYPE_IPV6 |
			    XEN_NETIF_CTRL_HASH_TYPE_IPV6_TCP);
}

unsigned int xenpv_nf_rss_table_size(uint32_t be_max)
{
	if (be_max == 0)
		return 0;
	if (be_max > XENPV_NF_RSS_MAX_TABLE)
		return XENPV_NF_RSS_MAX_TABLE;
	return be_max;
}

void xenpv_nf_rss_default_table(uint32_t *table, unsigned int size,
				unsigned int queues)
{
	unsigned int i;

	for (i = 0; i < size; i++)
		table[i] = queues ? i % queues : 0;
}

bool xenpv_nf_rss_table_valid(const uint32_t *table, unsigned int size,
			      unsigned int queues)
{
	unsigned int i;

	for (i = 0; i < size; i++)
		if (table[i] >= queues)
			return false;
	return true;
}

int xenpv_nf_ctrl_rsp_check(const struct xen_netif_ctrl_response *rsp,
			    uint16_t id, uint16_t type)
{
	if (rsp->id != id || rsp->type != type)
		return -EPROTO;
	return 0;
}

int xenpv_nf_ctrl_status_errno(uint32_t status)
{
	switch (status) {
	case XEN_NETIF_CTRL_STATUS_SUCCESS:
		return 0;
	case XEN_NETIF_CTRL_STATUS_NOT_SUPPORTED:
		return -EOPNOTSUPP;
	case XEN_NETIF_CTRL_STATUS_INVALID_PARAMETER:
		return -EINVAL;
	case XEN_NETIF_CTRL_STATUS_BUFFER_OVERFLOW:
		return -ENOSPC;
	default:
		return -EPROTO;
	}
}

/* ---- multicast filter ---------------------------------------------------- */

unsigned int xenpv_nf_mac_set_minus(const uint8_t (*a)[ETH_ALEN],
				    unsigned int na,
				    const uint8_t (*b)[ETH_ALEN],
				    unsigned int nb, unsigned int *idx)
{
	unsigned int i, j, n = 0;

	for (i = 0; i < na; i++) {
		for (j = 0; j < nb; j++)
			if (!memcmp(a[i], b[j], ETH_ALEN))
				break;
		if (j == nb)
			idx[n++] = i;
	}
	return n;
}
