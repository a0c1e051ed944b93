/* SPDX-License-Identifier: GPL-2.0 */
/*
 * xenpv netfront: pure protocol logic shared by the driver and the host unit
 * tests (MAC parsing, ring producer checks, RX response chain validation,
 * slot counting, negotiation clamps, RSS table and multicast list helpers).
 *
 * Copyright (C) 2026 The xenpv authors
 *
 * Nothing here touches kernel objects: inputs are private copies of ring
 * entries and plain numbers, so the same file builds in the module and in
 * selftests/unit/ on the host (with the kernel's xen/interface headers on
 * the include path after the system headers; only fixed-width C types are
 * used here).
 */
#ifndef _XENPV_NF_LOGIC_H
#define _XENPV_NF_LOGIC_H

#ifdef __KERNEL__
#include <linux/types.h>
#include <linux/errno.h>
#include <linux/stddef.h>
#include <linux/if_ether.h>
#else
/* Host build (selftests/unit): C library types, host UAPI if_ether.h. */
#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <linux/if_ether.h>
#endif

#include <xen/interface/io/netif.h>

/* Grant granularity: a ring page or a buffer slot covers one 4 KiB frame. */
#define XENPV_NF_PAGE_SIZE	4096u

#define XENPV_NF_TX_RING_SIZE	__CONST_RING_SIZE(xen_netif_tx, XENPV_NF_PAGE_SIZE)
#define XENPV_NF_RX_RING_SIZE	__CONST_RING_SIZE(xen_netif_rx, XENPV_NF_PAGE_SIZE)
#define XENPV_NF_CTRL_RING_SIZE	__CONST_RING_SIZE(xen_netif_ctrl, XENPV_NF_PAGE_SIZE)

/* Data slots per packet, both directions (backends accept this many). */
#define XENPV_NF_MAX_SLOTS	XEN_NETIF_NR_SLOTS_MIN
/* Extra-info slots per RX packet: one per valid type at most. */
#define XENPV_NF_MAX_EXTRAS	(XEN_NETIF_EXTRA_TYPE_MAX - 1)

/* Local limits. */
#define XENPV_NF_MAX_QUEUES	64u
#define XENPV_NF_RSS_KEY_SIZE	40u
#define XENPV_NF_RSS_MAX_TABLE	128u
#define XENPV_NF_MCAST_MAX	64u

/* ---- xenstore values ----------------------------------------------------- */

/*
 * Parse "xx:xx:xx:xx:xx:xx" (exactly two hex digits per octet, nothing
 * else).  Returns 0, -EINVAL when malformed, -EADDRNOTAVAIL for a
 * multicast or all-zero address (not usable as a station address).
 */
int xenpv_nf_parse_mac(const char *str, uint8_t mac[ETH_ALEN]);

/* Module parameter max_queues: 0 (automatic) or 1..XENPV_NF_MAX_QUEUES. */
bool xenpv_nf_max_queues_param_ok(unsigned int val);

/*
 * Queues to request: @be_mq is true when the backend advertised
 * multi-queue-max-queues (parsed strictly into @be_max, >= 1); @want is the
 * local wish (>= 1).  Never 0, never above either side's limit.
 */
unsigned int xenpv_nf_pick_queues(bool be_mq, unsigned int be_max,
				  unsigned int want);

/*
 * Largest MTU: with SG a frame must fit XEN_NETIF_MAX_TX_SIZE; without SG
 * the classic ETH_DATA_LEN.
 */
unsigned int xenpv_nf_max_mtu(bool sg);
bool xenpv_nf_mtu_ok(unsigned int mtu, bool sg);

/* ---- rings --------------------------------------------------------------- */

enum xenpv_nf_ring_verdict {
	XENPV_NF_RING_OK = 0,
	XENPV_NF_RING_BACKWARDS,	/* producer behind our consumer */
	XENPV_NF_RING_OVERFLOW,		/* more responses than ring slots */
	XENPV_NF_RING_UNREQUESTED,	/* responses to requests never made */
};

/*
 * Check a response producer read from the shared page against the private
 * consumer @cons and private request producer @req_prod (ring of @size).
 */
enum xenpv_nf_ring_verdict xenpv_nf_ring_check(uint32_t prod, uint32_t cons,
					       uint32_t req_prod,
					       uint32_t size);

/* Number of 4 KiB slots a buffer at page offset @offset of @len bytes spans. */
unsigned int xenpv_nf_buf_slots(unsigned long offset, unsigned long len);

/* ---- TX responses -------------------------------------------------------- */

enum xenpv_nf_tx_verdict {
	XENPV_NF_TX_DONE = 0,		/* completes request @id, status OKAY */
	XENPV_NF_TX_FAILED,		/* completes @id, backend reported an error */
	XENPV_NF_TX_SKIP,		/* XEN_NETIF_RSP_NULL (extra-info slot) */
	XENPV_NF_TX_BAD_ID,		/* id outside the ring */
};

enum xenpv_nf_tx_verdict
xenpv_nf_tx_rsp_check(const struct xen_netif_tx_response *rsp,
		      unsigned int ring_size);

/* ---- RX response chains -------------------------------------------------- */

enum xenpv_nf_rx_err {
	XENPV_NF_RX_OK = 0,
	XENPV_NF_RX_ERR_STATUS,		/* negative status */
	XENPV_NF_RX_ERR_LEN,		/* empty, or offset + size beyond the page */
	XENPV_NF_RX_ERR_ID,		/* id differs from the slot's request id */
	XENPV_NF_RX_ERR_SLOTS,		/* more data slots than allowed */
	XENPV_NF_RX_ERR_EXTRA,		/* bad extra type or too many extras */
	XENPV_NF_RX_ERR_GSO,		/* GSO size 0 or unknown GSO type */
	XENPV_NF_RX_ERR_TRUNC,		/* chain cut off at the producer */
	XENPV_NF_RX_ERR_RUNT,		/* shorter than an Ethernet header */
	XENPV_NF_RX_ERR_NR
};

const char *xenpv_nf_rx_err_name(enum xenpv_nf_rx_err err);

/* Parser state of one packet's response chain. */
struct xenpv_nf_rx_chain {
	unsigned int state;
	unsigned int nr_slots;		/* ring slots consumed */
	unsigned int nr_data;		/* data slots seen */
	unsigned int nr_extras;		/* extra-info slots seen */
	unsigned int len;		/* bytes in valid data slots */
	uint16_t first_flags;		/* XEN_NETRXF_* of the first slot */
	enum xenpv_nf_rx_err err;	/* first problem found */
	uint32_t extra_mask;		/* BIT(type - 1) for each extra stored */
	uint16_t min_status;		/* smallest status of a data slot */
	uint16_t max_offset;		/* largest offset of a data slot */
	uint16_t headroom;		/* XDP headroom to skip in every slot */
	struct xen_netif_extra_info extras[XENPV_NF_MAX_EXTRAS];
};

/* What the driver does with the buffer of one consumed slot. */
struct xenpv_nf_rx_slot {
	bool data;			/* valid packet data in [offset, +len) */
	uint16_t offset;
	uint16_t len;
};

void xenpv_nf_rx_chain_init(struct xenpv_nf_rx_chain *c);

/*
 * Feed the private copy of the next response.  @slot_id is the id of the
 * request posted at that ring position.  Returns true once the chain is
 * complete (also after an error, once the backend's chain has ended).
 */
bool xenpv_nf_rx_chain_feed(struct xenpv_nf_rx_chain *c,
			    const struct xen_netif_rx_response *rsp,
			    uint16_t slot_id, struct xenpv_nf_rx_slot *out);

/* The producer was reached before the chain ended. */
void xenpv_nf_rx_chain_truncated(struct xenpv_nf_rx_chain *c);

/*
 * Whole-packet checks once complete (XDP headroom, length, GSO and hash
 * extras).  With an XDP extra, Linux's netback copies every slot's data to
 * the headroom yet reports offset 0 and status = headroom + length; then
 * c->headroom is set, c->len excludes it, and each data slot handed out by
 * feed must be narrowed with xenpv_nf_rx_slot_skip_headroom().
 */
void xenpv_nf_rx_chain_finish(struct xenpv_nf_rx_chain *c);

static inline void
xenpv_nf_rx_slot_skip_headroom(const struct xenpv_nf_rx_chain *c,
			       uint16_t *offset, uint16_t *len)
{
	*offset = (uint16_t)(*offset + c->headroom);
	*len = (uint16_t)(*len - c->headroom);
}

/* Extra of @type stored in the chain, or NULL. */
const struct xen_netif_extra_info *
xenpv_nf_rx_chain_extra(const struct xenpv_nf_rx_chain *c, unsigned int type);

/* ---- control ring (hashing / RSS) ---------------------------------------- */

/* Hash types we ask for, limited to what the backend supports. */
uint32_t xenpv_nf_hash_flags(uint32_t supported);

/* Mapping table size: 0 when the backend has none, else clamped. */
unsigned int xenpv_nf_rss_table_size(uint32_t be_max);

void xenpv_nf_rss_default_table(uint32_t *table, unsigned int size,
				unsigned int queues);
bool xenpv_nf_rss_table_valid(const uint32_t *table, unsigned int size,
			      unsigned int queues);

/* 0 when @rsp answers request (@id, @type); -EPROTO otherwise. */
int xenpv_nf_ctrl_rsp_check(const struct xen_netif_ctrl_response *rsp,
			    uint16_t id, uint16_t type);
/* XEN_NETIF_CTRL_STATUS_* to 0 / -errno. */
int xenpv_nf_ctrl_status_errno(uint32_t status);

/* ---- multicast filter ---------------------------------------------------- */

/*
 * Indices (into @a) of the addresses of @a missing from @b, written to @idx
 * (room for @na entries).  Returns how many.
 */
unsigned int xenpv_nf_mac_set_minus(const uint8_t (*a)[ETH_ALEN],
				    unsigned int na,
				    const uint8_t (*b)[ETH_ALEN],
				    unsigned int nb, unsigned int *idx);

#endif /* _XENPV_NF_LOGIC_H */
