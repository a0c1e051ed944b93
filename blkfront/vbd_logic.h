/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Pure logic of xenpv_blkfront: vbd numbers, negotiation, segment math.
 *
 * Copyright (C) 2026 The xenpv authors
 *
 * vbd_logic.c is built twice: into the module, and unchanged into the host
 * unit tests (selftests/unit/blkfront_*_test.c).  Nothing here touches
 * kernel state; every value the other end controls comes in as a plain
 * number and leaves clamped or refused.
 *
 * In the kernel the blkif constants come from <xen/interface/io/blkif.h>.
 * A host build has no Xen interface headers: the test that includes
 * vbd_logic.c defines the integer types, errno values and the BLKIF_*
 * constants used below (with the values of io/blkif.h) first.
 */
#ifndef _XENPV_BLKFRONT_VBD_LOGIC_H
#define _XENPV_BLKFRONT_VBD_LOGIC_H

#ifdef __KERNEL__
#include <linux/types.h>
#include <linux/errno.h>
#include <linux/major.h>
#include <linux/stddef.h>
#include <xen/interface/io/blkif.h>

/* Sizes of the shared structures, for the segment and ring math. */
#define XENPV_VBD_SEG_SIZE	sizeof(struct blkif_request_segment)
#define XENPV_VBD_RING_ENTRY	sizeof(union blkif_sring_entry)
#define XENPV_VBD_RING_HDR	offsetof(struct blkif_sring, ring)
#else
#include <linux/major.h>
#endif

/* Grants are always 4 KiB (XEN_PAGE_SHIFT comes with io/ring.h). */
#define XENPV_VBD_XEN_PAGE_SIZE	(1U << XEN_PAGE_SHIFT)

/* blkif addresses the disk in 512-byte units whatever the sector size. */
#define XENPV_VBD_SECTOR_SHIFT	9

/* Minors per disk under major 202, and per "extended" (1 << 28) disk. */
#define XENPV_VBD_PARTS_PER_DISK	16
#define XENPV_VBD_PARTS_PER_EXT_DISK	256
#define XENPV_VBD_EXT_SHIFT		28
/* Linux minor numbers are 20 bits wide (MINORBITS). */
#define XENPV_VBD_MINOR_LIMIT		(1U << 20)
/* Longest name we build: "xvd" + 6 letters + partition digits + NUL. */
#define XENPV_VBD_NAME_LEN		32

/* Indirect segments accepted by the module parameter (Linux blkback: 256). */
#define XENPV_BLKFRONT_MAX_INDIRECT	256
/* Largest ring the frontend sets up: 2^4 pages (XENBUS_MAX_RING_GRANT_ORDER). */
#define XENPV_BLKFRONT_MAX_RING_ORDER	4
/* Segment descriptors that fit in one indirect page. */
#define XENPV_BLKFRONT_SEGS_PER_INDIRECT \
	(XENPV_VBD_XEN_PAGE_SIZE / XENPV_VBD_SEG_SIZE)

/**
 * struct xenpv_vbd_id - a decoded virtual-device number
 * @minor: first minor under major 202 (XENVBD_MAJOR)
 * @nr_minors: minors the device occupies: a whole disk gets 16 (256 for the
 *	extended encoding), a single partition gets 1
 * @disk: disk index, 0 = xvda
 * @part: partition, 0 = whole disk
 * @src_major: the major the encoding named (202, 3, 22, 8, 65..71, 128..135)
 * @ext: the number used the 1 << 28 extended encoding
 * @name: the xvd name ("xvda", "xvdab", "xvdc3")
 */
struct xenpv_vbd_id {
	unsigned int minor;
	unsigned int nr_minors;
	unsigned int disk;
	unsigned int part;
	unsigned int src_major;
	bool ext;
	char name[XENPV_VBD_NAME_LEN];
};

int xenpv_vbd_decode(u32 vdevice, struct xenpv_vbd_id *id);
int xenpv_vbd_disk_name(char *buf, unsigned int len, unsigned int disk,
			unsigned int part);

/* ---- negotiation ------------------------------------------------------ */

unsigned int xenpv_blkfront_nr_queues(bool present, unsigned int be_max,
				      unsigned int local_max,
				      unsigned int nr_cpus);
unsigned int xenpv_blkfront_ring_order(bool has_order, unsigned int be_order,
				       bool has_pages, unsigned int be_pages,
				       unsigned int local_max);
unsigned int xenpv_blkfront_ring_entries(unsigned int order);
unsigned int xenpv_blkfront_indirect_segs(bool present, unsigned int be_max,
					  unsigned int local_max);
int xenpv_blkfront_check_sector_size(unsigned int sector_size,
				     unsigned int page_size);
unsigned int xenpv_blkfront_phys_sector_size(bool present, unsigned int pss,
					     unsigned int sector_size);
int xenpv_blkfront_capacity(u64 sectors, unsigned int sector_size,
			    u64 *capacity);
void xenpv_blkfront_discard_params(unsigned int sector_size,
				   bool has_gran, u32 gran,
				   bool has_align, u32 align,
				   u32 *out_gran, u32 *out_align);

/* ---- segments --------------------------------------------------------- */

unsigned int xenpv_blkfront_max_segs(unsigned int indirect_segs);
unsigned int xenpv_blkfront_indirect_pages(unsigned int nsegs);
unsigned int xenpv_blkfront_max_hw_sectors(unsigned int max_segs);
unsigned int xenpv_blkfront_xen_pages(unsigned int offset, unsigned int len);
int xenpv_blkfront_split(const u32 *lens, unsigned int n,
			 unsigned int max_per_part, unsigned int lbs,
			 u16 *ends, unsigned int max_parts);

/* ---- responses -------------------------------------------------------- */

enum xenpv_blkfront_verdict {
	XENPV_BLKRSP_OK = 0,
	XENPV_BLKRSP_BAD_ID,		/* id outside the ring */
	XENPV_BLKRSP_NOT_PENDING,	/* no request in flight with that id */
	XENPV_BLKRSP_BAD_OP,		/* operation differs from the request's */
	XENPV_BLKRSP_BAD_STATUS,	/* status is not OKAY, ERROR, EOPNOTSUPP */
};

bool xenpv_blkfront_rsp_prod_ok(u32 prod, u32 cons, u32 ring_size);
enum xenpv_blkfront_verdict
xenpv_blkfront_check_rsp(u64 id, u8 op, s16 status, unsigned int ring_size,
			 bool pending, u8 sent_op, u8 inner_op);
const char *xenpv_blkfront_verdict_str(enum xenpv_blkfront_verdict v);

#endif /* _XENPV_BLKFRONT_VBD_LOGIC_H */
