/* SPDX-License-Identifier: GPL-2.0 */
/*
 * xenpv netfront: private structures shared by the driver's files.
 *
 * Copyright (C) 2026 The xenpv authors
 *
 * Locking:
 *  - rtnl_lock: connect/disconnect, queue set-up and teardown, netdev
 *    registration, NAPI enable/disable, XDP program, ethtool, features,
 *    the control ring's hash configuration.
 *  - queue->tx_lock: the TX ring and its slot table.  Taken from xmit (BH
 *    off), ndo_xdp_xmit and XDP_TX (softirq), the NAPI poll (TX completions
 *    are reaped there only) and process-context teardown (spin_lock_bh).
 *  - The RX ring is touched by the queue's NAPI poll only, and by set-up and
 *    teardown while NAPI is disabled.
 *  - Interrupt handlers read the shared producers and their own "last seen"
 *    fields, schedule NAPI and end with a late EOI; they never consume.
 */
#ifndef _XENPV_NETFRONT_H
#define _XENPV_NETFRONT_H

#include <linux/atomic.h>
#include <linux/bitops.h>
#include <linux/mutex.h>
#include <linux/netdevice.h>
#include <linux/skbuff.h>
#include <linux/spinlock.h>
#include <linux/u64_stats_sync.h>
#include <linux/wait.h>
#include <linux/workqueue.h>
#include <net/xdp.h>
#include <xenpv/xenbus.h>

#include "nf_logic.h"
#include "netdev_compat.h"

#define NF_DRV_NAME		"xenpv_netfront"

#define NF_TX_RING_SIZE		XENPV_NF_TX_RING_SIZE
#define NF_RX_RING_SIZE		XENPV_NF_RX_RING_SIZE

/* TX ring requests one packet may take: data slots plus a GSO extra. */
#define NF_TX_MAX_REQS		(XENPV_NF_MAX_SLOTS + 1)
/* Stop the queue below this much room, wake it at twice that. */
#define NF_TX_STOP_ROOM		NF_TX_MAX_REQS
#define NF_TX_WAKE_ROOM		(2 * NF_TX_MAX_REQS)
#define NF_TX_NO_ID		0xffffu

/* Single-slot RX packets up to this size are copied and the page reused. */
#define NF_RX_COPYBREAK		1600u
/* Larger packets: bytes copied into the skb head, the rest stays a frag. */
#define NF_RX_PULL		256u

/* How long to wait for the backend in remove/XDP/control-ring requests. */
#define NF_BACKEND_TIMEOUT	(5 * HZ)

/* Copy one response out of the shared ring with a single read (XSA-155). */
#define NF_COPY_RSP(ring, idx, dst) \
	(*(dst) = *(volatile typeof(dst))RING_GET_RESPONSE(ring, idx))

/* ---- counters (ethtool -S) ----------------------------------------------- */

enum nf_counter {
	/* RX packets dropped, by cause (mirrors enum xenpv_nf_rx_err). */
	NF_C_RX_BAD_STATUS,
	NF_C_RX_BAD_LEN,
	NF_C_RX_BAD_ID,
	NF_C_RX_TOO_MANY_SLOTS,
	NF_C_RX_BAD_EXTRA,
	NF_C_RX_BAD_GSO,
	NF_C_RX_TRUNCATED,
	NF_C_RX_RUNT,
	/* other RX outcomes */
	NF_C_RX_NOMEM,
	NF_C_RX_CSUM_FAIL,
	NF_C_RX_GSO_CSUM_FIXUP,
	NF_C_RX_REFILL_FAIL,
	NF_C_RX_XDP_DROP,
	NF_C_RX_XDP_TX,
	NF_C_RX_XDP_REDIRECT,
	NF_C_RX_XDP_ABORTED,
	NF_C_RX_XDP_UNSUPPORTED,
	/* TX */
	NF_C_TX_DROP_DOWN,
	NF_C_TX_DROP_OVERSIZE,
	NF_C_TX_DROP_RUNT,
	NF_C_TX_DROP_BAD_GSO,
	NF_C_TX_DROP_NOMEM,
	NF_C_TX_DROP_NO_GRANT,
	NF_C_TX_LINEARIZED,
	NF_C_TX_HDR_BOUNCE,
	NF_C_TX_BOUNCED,
	NF_C_TX_ERR_RSP,
	NF_C_TX_RING_FULL,
	NF_C_TX_XDP_XMIT,
	NF_C_TX_XDP_DROP,
	/* events */
	NF_C_EVT_TX,
	NF_C_EVT_RX,
	NF_C_EVT_TX_SPURIOUS,
	NF_C_EVT_RX_SPURIOUS,
	NF_C_NR
};

extern const char *const xenpv_nf_counter_names[NF_C_NR];

struct nf_queue_stats {
	struct u64_stats_sync rx_syncp;
	u64_stats_t rx_packets;
	u64_stats_t rx_bytes;
	struct u64_stats_sync tx_syncp;
	u64_stats_t tx_packets;
	u64_stats_t tx_bytes;
	atomic_long_t c[NF_C_NR];
};

static inline void nf_count(struct nf_queue_stats *s, enum nf_counter c)
{
	atomic_long_inc(&s->c[c]);
}

/* ---- queues -------------------------------------------------------------- */

enum nf_tx_kind {
	NF_TX_FREE = 0,
	NF_TX_SKB,		/* data slot of an skb (holds one skb reference) */
	NF_TX_XDP,		/* XDP frame, returned on completion */
	NF_TX_MCAST,		/* multicast-filter request, no data */
};

struct nf_tx_slot {
	struct sk_buff *skb;
	struct xdp_frame *xdpf;
	struct page *page;	/* granted page */
	grant_ref_t gref;
	u16 next_free;
	u8 kind;
	bool granted;
	bool own_page;		/* bounce page: ours to free */
};

struct nf_rx_buf {
	struct page *page;	/* NULL: no buffer posted here */
	grant_ref_t gref;
};

struct nf_info;

struct nf_queue {
	struct nf_info *info;
	unsigned int id;
	bool active;		/* rings and event channels exist */
	bool napi_added;
	bool napi_enabled;
	bool xdp_rxq_reg;

	/* Event channels; tx_* and rx_* are the same channel when not split. */
	evtchn_port_t tx_port;
	evtchn_port_t rx_port;
	int tx_irq;
	int rx_irq;
	RING_IDX tx_irq_prod;	/* producer last seen by the handler */
	RING_IDX rx_irq_prod;
	char tx_irq_name[IFNAMSIZ + 16];
	char rx_irq_name[IFNAMSIZ + 16];

	struct napi_struct napi;

	spinlock_t tx_lock;
	struct xen_netif_tx_front_ring tx;
	void *tx_ring_va;
	grant_ref_t tx_ring_ref;
	u16 tx_free_head;
	unsigned int tx_free_count;
	struct nf_tx_slot tx_slots[NF_TX_RING_SIZE];

	struct xen_netif_rx_front_ring rx;
	void *rx_ring_va;
	grant_ref_t rx_ring_ref;
	struct nf_rx_buf rx_bufs[NF_RX_RING_SIZE];
	struct delayed_work refill_work;

	struct xdp_rxq_info xdp_rxq;
	struct nf_queue_stats stats;
};

/* ---- control ring -------------------------------------------------------- */

struct nf_ctrl {
	bool active;		/* ring and event channel exist */
	bool broken;		/* protocol error or timeout: unusable */
	void *ring_va;
	grant_ref_t ring_ref;
	struct xen_netif_ctrl_front_ring ring;
	evtchn_port_t port;
	int irq;
	char irq_name[IFNAMSIZ + 16];

	struct mutex lock;	/* one request in flight */
	wait_queue_head_t wq;
	spinlock_t rsp_lock;	/* the fields below, against the handler */
	u16 next_id;
	u16 wait_id;
	u16 wait_type;
	bool waiting;
	bool done;
	struct xen_netif_ctrl_response rsp;

	/* Hash configuration (rtnl). */
	bool hash_on;		/* backend accepted Toeplitz hashing */
	bool user_table;	/* table set by ethtool -X */
	unsigned int user_table_size;	/* table_size when it was set */
	u32 hash_flags;
	unsigned int table_size;	/* 0: backend has no mapping table */
	u8 key[XENPV_NF_RSS_KEY_SIZE];
	u32 table[XENPV_NF_RSS_MAX_TABLE];
	atomic_long_t errors;
};

/* ---- device -------------------------------------------------------------- */

/* What the backend offers, read at each connect. */
struct nf_be_features {
	bool sg;
	bool gso_tcpv4;
	bool gso_tcpv6;
	bool ip_csum;		/* !feature-no-csum-offload */
	bool ipv6_csum;
	bool split_evtchn;
	bool xdp_headroom;
	bool ctrl_ring;
	bool dyn_mcast;
	bool multi_queue;
	unsigned int max_queues;	/* valid when multi_queue */
};

enum nf_info_flags {
	NF_BROKEN,		/* protocol violation: disabled until reconnect */
};

struct nf_info {
	struct net_device *netdev;
	struct xenpv_device *xdev;
	u8 mac[ETH_ALEN];

	struct nf_queue *queues;	/* max_queues entries, for the device's life */
	unsigned int max_queues;
	unsigned int num_queues;	/* set up (rtnl) */
	unsigned int want_queues;	/* ethtool -L; 0: max_queues */

	struct nf_be_features be;
	bool bounce;			/* backend untrusted: bounce TX, zero RX */
	bool use_split;
	bool use_ctrl;
	bool use_mcast;

	unsigned long flags;		/* enum nf_info_flags */
	bool registered;
	bool connected;			/* data path up (rtnl) */
	bool data_ready;		/* READ_ONCE in xmit paths */
	bool reconnecting;		/* walking the backend back to InitWait */
	bool be_connected;		/* backend reached Connected with us */
	bool removing;
	bool notify_peers;		/* gratuitous ARP/ND at backend Connected */
	bool rss_pending;		/* program hashing at backend Connected */
	u16 xdp_headroom;		/* value last written to xenstore */
	struct bpf_prog __rcu *xdp_prog;

	spinlock_t state_lock;		/* removing vs. scheduling state_work */
	struct work_struct state_work;
	wait_queue_head_t be_wq;	/* woken on every backend state event */
	atomic_t be_event;		/* counts backend state events */

	struct xenpv_watch carrier_watch;
	bool carrier_watch_on;

	struct nf_ctrl ctrl;

	/* Multicast filter (feature-dynamic-multicast-control). */
	spinlock_t mcast_lock;		/* the wanted list, from ndo_set_rx_mode */
	struct delayed_work mcast_work;
	u8 mcast_want[XENPV_NF_MCAST_MAX][ETH_ALEN];
	unsigned int mcast_nwant;
	bool mcast_want_filter;
	u8 mcast_prog[XENPV_NF_MCAST_MAX][ETH_ALEN];	/* sent to backend */
	unsigned int mcast_nprog;
	bool mcast_filter_on;		/* request-multicast-control = 1 */
	bool mcast_failed;		/* backend refused an address */

	atomic_long_t protocol_errors;
	struct dentry *debugfs;
};

static inline bool nf_broken(const struct nf_info *info)
{
	return test_bit(NF_BROKEN, &info->flags);
}

/* main.c */
extern unsigned int xenpv_nf_param_max_queues;
extern bool xenpv_nf_param_trusted;
void xenpv_nf_schedule_state_work(struct nf_info *info);
bool xenpv_nf_wait_be_state(struct nf_info *info, unsigned long mask);
int xenpv_nf_reconnect(struct nf_info *info);
__printf(2, 3)
void xenpv_nf_set_broken(struct nf_info *info, const char *fmt, ...);

/* queue.c */
void xenpv_nf_queue_init(struct nf_info *info, struct nf_queue *q,
			 unsigned int id);
int xenpv_nf_queue_setup(struct nf_queue *q);
void xenpv_nf_queue_teardown(struct nf_queue *q);
void xenpv_nf_queue_napi_enable(struct nf_queue *q);
void xenpv_nf_queue_napi_disable(struct nf_queue *q);

/* tx.c */
netdev_tx_t xenpv_nf_start_xmit(struct sk_buff *skb, struct net_device *dev);
void xenpv_nf_tx_gc(struct nf_queue *q, int budget);
void xenpv_nf_tx_reclaim_all(struct nf_queue *q);
void xenpv_nf_tx_slots_init(struct nf_queue *q);
int xenpv_nf_xdp_xmit(struct net_device *dev, int n, struct xdp_frame **frames,
		      u32 flags);
bool xenpv_nf_xdp_tx_frame(struct nf_queue *q, struct xdp_frame *xdpf);
int xenpv_nf_tx_send_mcast(struct nf_queue *q, u8 type, const u8 *addr);

/* rx.c */
int xenpv_nf_poll(struct napi_struct *napi, int budget);
irqreturn_t xenpv_nf_interrupt(int irq, void *dev_id);
irqreturn_t xenpv_nf_tx_interrupt(int irq, void *dev_id);
irqreturn_t xenpv_nf_rx_interrupt(int irq, void *dev_id);
int xenpv_nf_rx_refill(struct nf_queue *q, gfp_t gfp);
void xenpv_nf_rx_reclaim_all(struct nf_queue *q);
void xenpv_nf_refill_work(struct work_struct *work);

/* netdev.c */
extern const struct net_device_ops xenpv_nf_netdev_ops;
void xenpv_nf_netdev_setup(struct nf_info *info);
void xenpv_nf_mcast_work(struct work_struct *work);
void xenpv_nf_mcast_reset(struct nf_info *info);
unsigned int xenpv_nf_xdp_max_mtu(void);

/* ethtool.c */
extern const struct ethtool_ops xenpv_nf_ethtool_ops;

/* ctrl.c */
int xenpv_nf_ctrl_setup(struct nf_info *info);
void xenpv_nf_ctrl_teardown(struct nf_info *info);
void xenpv_nf_ctrl_init(struct nf_info *info);
int xenpv_nf_rss_configure(struct nf_info *info);
int xenpv_nf_rss_get(struct net_device *dev, u32 *indir, u8 *key, u8 *hfunc);
int xenpv_nf_rss_set(struct net_device *dev, const u32 *indir, const u8 *key,
		     u8 hfunc);
u32 xenpv_nf_rss_indir_size(struct net_device *dev);
u32 xenpv_nf_rss_key_size(struct net_device *dev);

/* debugfs.c */
void xenpv_nf_debugfs_init(void);
void xenpv_nf_debugfs_exit(void);
void xenpv_nf_debugfs_add(struct nf_info *info);
void xenpv_nf_debugfs_remove(struct nf_info *info);

#endif /* _XENPV_NETFRONT_H */
