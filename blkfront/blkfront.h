/* SPDX-License-Identifier: GPL-2.0 */
/*
 * xenpv_blkfront internals shared between the files of the module.
 *
 * Copyright (C) 2026 The xenpv authors
 *
 * Layout: main.c (module, parameters, xenbus state machine: probe,
 * talk_to_blkback, connect, resume, closing, remove), ring.c (request
 * submission, grants, responses, error state), disk.c (gendisk, tag set,
 * queue limits, block device operations, sysfs), queue_compat.[ch] (block
 * layer API drift), vbd_logic.[ch] (pure logic, host unit tested).
 *
 * Locking:
 *  - info->mutex serialises the xenbus side: otherend_changed, resume,
 *    remove, and the queue-limits work.  It is never taken in I/O paths.
 *  - ring->lock (irqsave) protects one ring: its shared page, shadows,
 *    grant pool and counters.  Locks of two rings are never held at once.
 *  - info->state changes under info->mutex with the queue quiesced and the
 *    ring interrupts unbound (or not yet serving), so ->queue_rq and the
 *    interrupt handler never run against a ring being replaced.  The one
 *    exception is CONNECTED -> ERROR, set from the interrupt handler of
 *    the ring that saw a protocol violation; I/O paths re-read the state
 *    under their ring lock and fail requests once it reads ERROR.
 */
#ifndef _XENPV_BLKFRONT_H
#define _XENPV_BLKFRONT_H

#include <linux/atomic.h>
#include <linux/blk-mq.h>
#include <linux/blkdev.h>
#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/spinlock.h>
#include <linux/workqueue.h>
#include <xen/interface/io/blkif.h>
#include <xenpv/xenpv.h>
#include <xenpv/xenbus.h>

#include "vbd_logic.h"

/* Guest pages per grant; x86 has 4 KiB pages, so this is 1 there. */
#define BLKFRONT_XEN_PFN_PER_PAGE	(PAGE_SIZE / XENPV_VBD_XEN_PAGE_SIZE)
/* Pages of the largest ring. */
#define BLKFRONT_MAX_RING_PAGES		(1U << XENPV_BLKFRONT_MAX_RING_ORDER)
/* Indirect pages of the largest ring request (256 segments: 1 page). */
#define BLKFRONT_MAX_IND_PAGES \
	DIV_ROUND_UP(XENPV_BLKFRONT_MAX_INDIRECT, XENPV_BLKFRONT_SEGS_PER_INDIRECT)
/* Upper bound of the bounce/persistent pool of one ring, in pages. */
#define BLKFRONT_POOL_MAX		1024
/* Marks a grant slot that holds no reference (0 is reserved by Xen too). */
#define BLKFRONT_GREF_NONE		((grant_ref_t)~0U)
/* Persistent grant reclaim and stuck-grant retry period. */
#define BLKFRONT_RECLAIM_MS		10000

enum blkfront_state {
	BLKFRONT_DISCONNECTED,	/* probed; transport maybe set up; no disk yet */
	BLKFRONT_CONNECTED,	/* I/O flows */
	BLKFRONT_SUSPENDED,	/* transport replaced after resume; disk kept */
	BLKFRONT_ERROR,		/* protocol violation: I/O fails until resume */
	BLKFRONT_CLOSED,	/* backend closed or device removed: I/O fails */
};

/* One Xen page of a request's data, as mapped for the ring. */
struct blkfront_chunk {
	struct page *page;
	u32 offset;		/* bytes into @page */
	u32 len;		/* bytes, multiple of 512, within one Xen page */
};

/* A page of the bounce / persistent-grant pool of a ring. */
struct blkfront_gnt {
	struct list_head node;
	struct page *page;
	grant_ref_t gref;	/* BLKFRONT_GREF_NONE when not granted */
};

/* One segment of a request on the ring, as we must undo it. */
struct blkfront_seg {
	struct page *page;	/* data page (the request's own) */
	u32 offset;
	u32 len;
	grant_ref_t gref;	/* grant of the data page (direct mode) */
	struct blkfront_gnt *gnt; /* pool page used instead (bounce mode) */
};

/* Private record of a ring request; the ring copy is never read back. */
struct blkfront_shadow {
	struct request *rq;	/* owning block request */
	struct blkfront_seg *segs; /* [info->max_segs] */
	struct page *ind_page[BLKFRONT_MAX_IND_PAGES];
	grant_ref_t ind_gref[BLKFRONT_MAX_IND_PAGES];
	u16 nr_segs;
	u8 nr_ind;
	u8 op;			/* BLKIF_OP_* put on the ring */
	u8 inner_op;		/* indirect_op of a BLKIF_OP_INDIRECT */
	bool in_flight;
	bool write;		/* data goes to the backend */
	u16 next_free;
};

/* Per-request driver data (blk_mq_rq_to_pdu()). */
enum blkfront_stage {
	BLKFRONT_STAGE_NEW = 0,	/* not yet seen by the driver */
	BLKFRONT_STAGE_DATA,	/* the request itself */
	BLKFRONT_STAGE_FLUSH,	/* FUA emulation: data done, flush pending */
};

struct blkfront_req {
	blk_status_t status;	/* first error of any part */
	u16 parts_left;		/* ring requests still in flight */
	u8 stage;		/* enum blkfront_stage */
	bool post_flush;	/* FUA write sent as write + flush */
	bool requeue;		/* resubmit instead of completing */
};

struct blkfront_info;

struct blkfront_ring {
	struct blkfront_info *info;
	unsigned int index;
	spinlock_t lock;

	/* transport (talk_to_blkback) */
	struct blkif_front_ring front;
	void *sring;
	grant_ref_t ring_refs[BLKFRONT_MAX_RING_PAGES];
	unsigned int ring_pages;	/* 0: no ring */
	evtchn_port_t evtchn;
	bool evtchn_valid;
	int irq;			/* 0: not bound */
	char irq_name[sizeof("xenpv-blk--4294967295") + XENPV_VBD_NAME_LEN];

	/* per-connection resources (connect) */
	struct blkfront_shadow *shadow;
	struct blkfront_seg *seg_store;
	unsigned int nr_shadow;
	unsigned int free_head;
	unsigned int nr_free;
	struct list_head pool;		/* free pool pages, granted ones first */
	unsigned int pool_total;
	unsigned int pool_free;
	unsigned int pool_free_granted;	/* free pool pages holding a grant */
	unsigned int pool_granted;	/* pool pages holding a grant */

	/* scratch for building one request, sized at probe */
	struct blkfront_chunk *chunks;
	u32 *lens;
	u16 *ends;
	unsigned int max_chunks;

	/* grant exhaustion: restart the queues once references are free */
	struct xenpv_gnttab_free_cb gnt_cb;
	struct work_struct restart_work;

	/* counters, under @lock */
	unsigned long st_requests;	/* block requests sent */
	unsigned long st_ring_reqs;	/* ring requests sent */
	unsigned long st_split;		/* block requests sent in pieces */
	unsigned long st_notify;	/* event channel notifications */
	unsigned long st_irqs;		/* interrupts */
	unsigned long st_spurious;	/* interrupts that brought nothing */
	unsigned long st_responses;	/* responses consumed */
	unsigned long st_errors;	/* responses with an error status */
	unsigned long st_busy;		/* submissions deferred (ring/grants) */
	unsigned long st_requeued;	/* requests requeued (resume, FUA) */
};

/* What the backend advertised (raw, after strict parsing), for sysfs. */
struct blkfront_be_caps {
	unsigned int max_queues;
	unsigned int max_ring_order;
	unsigned int max_ring_pages;
	unsigned int max_indirect;
	bool persistent;
	bool flush;
	bool barrier;
	bool discard;
	bool secure_discard;
};

struct blkfront_info {
	struct xenpv_device *xdev;
	struct mutex mutex;
	enum blkfront_state state;
	struct list_head node;		/* blkfront_devices */

	u32 vdevice;
	blkif_vdev_t handle;		/* last component of the node name */
	struct xenpv_vbd_id id;

	/* transport (talk_to_blkback) */
	unsigned int nr_rings;
	unsigned int nr_rings_alloc;
	unsigned int ring_order;
	bool persistent_local;		/* feature_persistent as advertised */
	bool trusted;			/* module parameter and FE "trusted" */
	unsigned int published_rings;	/* layout last written to xenstore */
	unsigned int published_order;
	struct blkfront_be_caps be;

	/* device and negotiated features (connect) */
	u64 sectors;
	unsigned int vdisk_info;
	unsigned int sector_size;
	unsigned int physical_sector_size;
	unsigned int max_indirect;	/* 0: no indirect descriptors */
	unsigned int max_segs;		/* grants per ring request */
	bool persistent;
	bool bounce;
	bool feature_flush;		/* changed from IRQ: READ/WRITE_ONCE */
	u8 flush_op;			/* FLUSH_DISKCACHE or WRITE_BARRIER */
	bool feature_fua;
	bool feature_discard;
	bool feature_secdiscard;
	u32 discard_granularity;
	u32 discard_alignment;

	struct blkfront_ring *rings;

	/* block layer */
	struct gendisk *gd;
	struct blk_mq_tag_set tag_set;
	bool tag_set_ready;
	bool disk_added;

	struct work_struct limits_work;	/* backend revoked a feature */
	struct work_struct error_work;	/* fail in-flight I/O on all rings */
	struct delayed_work reclaim_work;

	/* data pages the backend kept mapped: held until it lets go */
	spinlock_t stuck_lock;
	struct list_head stuck;
	unsigned int nr_stuck;
	unsigned long st_violations;
	atomic_long_t st_timeouts;	/* blk-mq timeouts reported */
};

/* main.c */
extern unsigned int xenpv_blkfront_max_indirect_param;
extern bool xenpv_blkfront_trusted_param;
const char *xenpv_blkfront_state_name(enum blkfront_state state);

/* ring.c */
extern const struct blk_mq_ops xenpv_blkfront_mq_ops;
int xenpv_blkfront_ring_init(struct blkfront_ring *ring,
			     struct blkfront_info *info, unsigned int index);
void xenpv_blkfront_ring_destroy(struct blkfront_ring *ring);
int xenpv_blkfront_ring_transport(struct blkfront_ring *ring,
				  unsigned int order);
int xenpv_blkfront_ring_connect(struct blkfront_ring *ring);
void xenpv_blkfront_ring_quiesce(struct blkfront_ring *ring);
unsigned int xenpv_blkfront_ring_drain(struct blkfront_ring *ring);
unsigned int xenpv_blkfront_ring_release(struct blkfront_ring *ring,
					 struct list_head *reqs);
void xenpv_blkfront_end_list(struct list_head *reqs, blk_status_t status);
void xenpv_blkfront_requeue_list(struct list_head *reqs);
irqreturn_t xenpv_blkfront_interrupt(int irq, void *dev_id);
void xenpv_blkfront_error_work(struct work_struct *work);
void xenpv_blkfront_reclaim_work(struct work_struct *work);
void xenpv_blkfront_stuck_release(struct blkfront_info *info);

/* disk.c */
int xenpv_blkfront_minors_claim(struct blkfront_info *info);
void xenpv_blkfront_minors_release(struct blkfront_info *info);
int xenpv_blkfront_disk_alloc(struct blkfront_info *info);
int xenpv_blkfront_disk_add(struct blkfront_info *info);
void xenpv_blkfront_disk_free(struct blkfront_info *info);
int xenpv_blkfront_apply_limits(struct blkfront_info *info);
void xenpv_blkfront_limits_work(struct work_struct *work);

#endif /* _XENPV_BLKFRONT_H */
