// SPDX-License-Identifier: GPL-2.0
/*
 * Pure logic of xenpv_blkfront: vbd numbers, negotiation, segment math.
 *
 * Copyright (C) 2026 The xenpv authors
 *
 * No kernel state, no allocation, no locking: these functions are built
 * into the module and into the host unit tests alike (see vbd_logic.h).
 */
#include "vbd_logic.h"

static unsigned int vbd_min(unsigned int a, unsigned int b)
{
	return a < b ? a : b;
}

static bool vbd_is_pow2(unsigned int v)
{
	return v && !(v & (v - 1));
}

static unsigned int vbd_floor_log2(unsigned int v)
{
	unsigned int r = 0;

	while (v >>= 1)
		r++;
	return r;
}

/* ---- virtual-device numbers ------------------------------------------- */

/**
 * xenpv_vbd_disk_name() - build an xvd name
 * @buf: output
 * @len: size of @buf
 * @disk: disk index (0 = xvda, 25 = xvdz, 26 = xvdaa, ...)
 * @part: partition number, 0 for the whole disk
 *
 * Letters count in bijective base 26 like sd names, so every index has a
 * name: a..z, aa..zz, aaa... .
 *
 * Return: 0, or -ENOSPC when @buf is too short.
 */
int xenpv_vbd_disk_name(char *buf, unsigned int len, unsigned int disk,
			unsigned int part)
{
	char letters[8];
	char digits[12];
	unsigned int nl = 0, nd = 0, pos = 0;
	unsigned long long v = (unsigned long long)disk + 1;

	do {
		v--;
		letters[nl++] = (char)('a' + v % 26);
		v /= 26;
	} while (v && nl < sizeof(letters));
	if (v)
		return -ENOSPC;

	if (part) {
		unsigned int p = part;

		while (p) {
			digits[nd++] = (char)('0' + p % 10);
			p /= 10;
		}
	}

	if (3 + nl + nd + 1 > len)
		return -ENOSPC;

	buf[pos++] = 'x';
	buf[pos++] = 'v';
	buf[pos++] = 'd';
	while (nl)
		buf[pos++] = letters[--nl];
	while (nd)
		buf[pos++] = digits[--nd];
	buf[pos] = '\0';
	return 0;
}

/**
 * xenpv_vbd_decode() - decode a virtual-device / virtual-device-ext number
 * @vdevice: the number from xenstore
 * @id: the result
 *
 * Encodings (docs/man/xen-vbd-interface.7): 202 << 8 | disk << 4 | part;
 * 1 << 28 | disk << 8 | part; 8 << 8 | disk << 4 | part (and the further
 * sd majors 65..71, 128..135); 3 << 8 | disk << 6 | part for hda/hdb and
 * 22 << 8 | (disk - 2) << 6 | part for hdc/hdd.  Emulated-disk numbers map
 * onto the xvd name and minor of the same disk, as the in-tree driver does.
 *
 * Return: 0; -EINVAL for a major this driver does not understand (the
 * caller ignores such a device); -ERANGE for numbers beyond what Linux can
 * give minors to (above the extended range, minor overflow, or an hd
 * partition above 15, which has no xvd minor).
 */
int xenpv_vbd_decode(u32 vdevice, struct xenpv_vbd_id *id)
{
	unsigned int major, m, disk, part, parts;

	*id = (struct xenpv_vbd_id){ 0 };

	if ((vdevice >> XENPV_VBD_EXT_SHIFT) > 1)
		return -ERANGE;

	if (vdevice >> XENPV_VBD_EXT_SHIFT) {
		m = vdevice & ((1U << XENPV_VBD_EXT_SHIFT) - 1);
		parts = XENPV_VBD_PARTS_PER_EXT_DISK;
		disk = m / parts;
		part = m % parts;
		id->ext = true;
		id->src_major = XENVBD_MAJOR;
		id->minor = m;
	} else {
		major = vdevice >> 8;
		m = vdevice & 0xff;
		parts = XENPV_VBD_PARTS_PER_DISK;

		switch (major) {
		case XENVBD_MAJOR:
		case SCSI_DISK0_MAJOR:
			disk = m >> 4;
			part = m & 15;
			break;
		case IDE0_MAJOR:
			disk = m >> 6;
			part = m & 63;
			break;
		case IDE1_MAJOR:
			disk = (m >> 6) + 2;
			part = m & 63;
			break;
		case SCSI_DISK1_MAJOR ... SCSI_DISK7_MAJOR:
			disk = (major - SCSI_DISK1_MAJOR + 1) * 16 + (m >> 4);
			part = m & 15;
			break;
		case SCSI_DISK8_MAJOR ... SCSI_DISK15_MAJOR:
			disk = (major - SCSI_DISK8_MAJOR + 8) * 16 + (m >> 4);
			part = m & 15;
			break;
		default:
			return -EINVAL;
		}
		if (part >= parts)
			return -ERANGE;
		id->src_major = major;
		id->minor = disk * parts + part;
	}

	id->disk = disk;
	id->part = part;
	id->nr_minors = part ? 1 : parts;
	if (id->minor >= XENPV_VBD_MINOR_LIMIT ||
	    id->nr_minors > XENPV_VBD_MINOR_LIMIT - id->minor)
		return -ERANGE;

	return xenpv_vbd_disk_name(id->name, sizeof(id->name), disk, part) ?
		-ERANGE : 0;
}

/* ---- negotiation ------------------------------------------------------ */

/**
 * xenpv_blkfront_nr_queues() - rings to use
 * @present: the backend wrote multi-queue-max-queues
 * @be_max: its value
 * @local_max: the max_queues module parameter
 * @nr_cpus: CPUs in the guest
 *
 * Return: the ring count; absent or 0 means one ring, and never more than
 * the parameter or the CPUs.
 */
unsigned int xenpv_blkfront_nr_queues(bool present, unsigned int be_max,
				      unsigned int local_max,
				      unsigned int nr_cpus)
{
	unsigned int n;

	if (!present || !be_max)
		return 1;
	n = vbd_min(vbd_min(be_max, local_max), nr_cpus);
	return n ? n : 1;
}

/**
 * xenpv_blkfront_ring_order() - ring size (log2 of pages) to use
 * @has_order: the backend wrote max-ring-page-order (Citrix scheme)
 * @be_order: its value
 * @has_pages: the backend wrote max-ring-pages (RedHat/Amazon scheme)
 * @be_pages: its value
 * @local_max: the max_ring_page_order module parameter
 *
 * max-ring-page-order wins when both are present; a page count that is not
 * a power of two is rounded down.
 *
 * Return: the order, at most @local_max and XENPV_BLKFRONT_MAX_RING_ORDER.
 */
unsigned int xenpv_blkfront_ring_order(bool has_order, unsigned int be_order,
				       bool has_pages, unsigned int be_pages,
				       unsigned int local_max)
{
	unsigned int order = 0;

	if (has_order)
		order = be_order;
	else if (has_pages && be_pages)
		order = vbd_floor_log2(be_pages);

	order = vbd_min(order, local_max);
	return vbd_min(order, XENPV_BLKFRONT_MAX_RING_ORDER);
}

/* Requests in a ring of 2^@order pages (io/ring.h __CONST_RING_SIZE). */
unsigned int xenpv_blkfront_ring_entries(unsigned int order)
{
	unsigned int bytes, n;

	order = vbd_min(order, XENPV_BLKFRONT_MAX_RING_ORDER);
	bytes = XENPV_VBD_XEN_PAGE_SIZE << order;
	n = (bytes - (unsigned int)XENPV_VBD_RING_HDR) /
		(unsigned int)XENPV_VBD_RING_ENTRY;
	return n ? 1U << vbd_floor_log2(n) : 0;
}

/**
 * xenpv_blkfront_indirect_segs() - indirect segments per request
 * @present: the backend wrote feature-max-indirect-segments
 * @be_max: its value
 * @local_max: the max_indirect_segments module parameter
 *
 * Return: the segment limit, or 0 when indirect descriptors are not used:
 * absent, or a limit that does not beat the 11 direct segments.
 */
unsigned int xenpv_blkfront_indirect_segs(bool present, unsigned int be_max,
					  unsigned int local_max)
{
	unsigned int segs;

	if (!present)
		return 0;
	segs = vbd_min(vbd_min(be_max, local_max), XENPV_BLKFRONT_MAX_INDIRECT);
	segs = vbd_min(segs, BLKIF_MAX_INDIRECT_PAGES_PER_REQUEST *
			     (unsigned int)XENPV_BLKFRONT_SEGS_PER_INDIRECT);
	return segs > BLKIF_MAX_SEGMENTS_PER_REQUEST ? segs : 0;
}

/*
 * sector-size must be a power of two from 512 up to the guest page size
 * (the block layer's limit).  Returns 0 or -EINVAL.
 */
int xenpv_blkfront_check_sector_size(unsigned int sector_size,
				     unsigned int page_size)
{
	if (!vbd_is_pow2(sector_size) ||
	    sector_size < (1U << XENPV_VBD_SECTOR_SHIFT) ||
	    sector_size > page_size)
		return -EINVAL;
	return 0;
}

/*
 * physical-sector-size: absent means the logical size; a value that is not
 * a power of two, is below the logical size or is absurdly large (over
 * 1 MiB) is replaced by the logical size.
 */
unsigned int xenpv_blkfront_phys_sector_size(bool present, unsigned int pss,
					     unsigned int sector_size)
{
	if (!present || !vbd_is_pow2(pss) || pss < sector_size ||
	    pss > (1U << 20))
		return sector_size;
	return pss;
}

/**
 * xenpv_blkfront_capacity() - disk size from the backend's sectors
 * @sectors: the backend's value, in 512-byte units
 * @sector_size: validated logical sector size
 * @capacity: the usable size in 512-byte units
 *
 * The size is rounded down to whole logical sectors and must fit a loff_t
 * in bytes.
 *
 * Return: 0, 1 when it was rounded down, -EFBIG when too big.
 */
int xenpv_blkfront_capacity(u64 sectors, unsigned int sector_size,
			    u64 *capacity)
{
	u64 per = sector_size >> XENPV_VBD_SECTOR_SHIFT;
	u64 c;

	if (!per)
		per = 1;
	c = sectors - sectors % per;
	if (c > ((~0ULL >> 1) >> XENPV_VBD_SECTOR_SHIFT))
		return -EFBIG;
	*capacity = c;
	return c != sectors;
}

/**
 * xenpv_blkfront_discard_params() - discard granularity and alignment
 * @sector_size: validated logical sector size
 * @has_gran: discard-granularity present
 * @gran: its value (bytes)
 * @has_align: discard-alignment present
 * @align: its value (bytes)
 * @out_gran: granularity to use: a multiple of the sector size, at most 1 GiB
 * @out_align: alignment to use, below the granularity
 */
void xenpv_blkfront_discard_params(unsigned int sector_size,
				   bool has_gran, u32 gran,
				   bool has_align, u32 align,
				   u32 *out_gran, u32 *out_align)
{
	u32 g = (has_gran && gran) ? gran : sector_size;

	if (g > (1U << 30))
		g = 1U << 30;
	if (g < sector_size)
		g = sector_size;
	if (g % sector_size)
		g += sector_size - g % sector_size;

	*out_gran = g;
	*out_align = has_align ? align % g : 0;
}

/* ---- segments --------------------------------------------------------- */

/* Segments one request may carry: the indirect limit, else 11. */
unsigned int xenpv_blkfront_max_segs(unsigned int indirect_segs)
{
	return indirect_segs ? indirect_segs : BLKIF_MAX_SEGMENTS_PER_REQUEST;
}

/* Indirect pages for a ring request of @nsegs segments (0: direct). */
unsigned int xenpv_blkfront_indirect_pages(unsigned int nsegs)
{
	unsigned int per = XENPV_BLKFRONT_SEGS_PER_INDIRECT;

	if (nsegs <= BLKIF_MAX_SEGMENTS_PER_REQUEST)
		return 0;
	return (nsegs + per - 1) / per;
}

/* Largest request in 512-byte sectors: each segment is one Xen page. */
unsigned int xenpv_blkfront_max_hw_sectors(unsigned int max_segs)
{
	return max_segs * (XENPV_VBD_XEN_PAGE_SIZE >> XENPV_VBD_SECTOR_SHIFT);
}

/* Grants (Xen pages) a buffer at byte @offset of @len bytes touches. */
unsigned int xenpv_blkfront_xen_pages(unsigned int offset, unsigned int len)
{
	unsigned int first = offset % XENPV_VBD_XEN_PAGE_SIZE;

	if (!len)
		return 0;
	return (unsigned int)(((unsigned long long)first + len +
			       XENPV_VBD_XEN_PAGE_SIZE - 1) /
			      XENPV_VBD_XEN_PAGE_SIZE);
}

/**
 * xenpv_blkfront_split() - cut one block request into ring requests
 * @lens: byte length of each segment, in order (multiples of 512)
 * @n: number of segments
 * @max_per_part: segments one ring request may carry
 * @lbs: logical block size (power of two); each cut lies on a multiple
 * @ends: out: for each part, the index one past its last segment
 * @max_parts: room in @ends
 *
 * Needed when a request was built under larger limits than the backend
 * now accepts (after a migration to a backend with fewer segments).  Each
 * part takes as many segments as allowed that end on a logical block.
 *
 * Return: the number of parts; -EINVAL for malformed lengths or when no
 * block-aligned cut exists within @max_per_part segments; -E2BIG when more
 * than @max_parts parts would be needed.
 */
int xenpv_blkfront_split(const u32 *lens, unsigned int n,
			 unsigned int max_per_part, unsigned int lbs,
			 u16 *ends, unsigned int max_parts)
{
	unsigned int start = 0, parts = 0, i, limit, best;
	u64 cum;

	if (!max_per_part || !vbd_is_pow2(lbs))
		return -EINVAL;
	for (i = 0; i < n; i++)
		if (!lens[i] || lens[i] % (1U << XENPV_VBD_SECTOR_SHIFT))
			return -EINVAL;

	while (start < n) {
		limit = n - start > max_per_part ? start + max_per_part : n;
		cum = 0;
		best = 0;
		for (i = start; i < limit; i++) {
			cum += lens[i];
			if (i + 1 == n || !(cum & (lbs - 1)))
				best = i + 1;
		}
		if (!best)
			return -EINVAL;
		if (parts == max_parts)
			return -E2BIG;
		ends[parts++] = (u16)best;
		start = best;
	}
	return (int)parts;
}

/* ---- responses -------------------------------------------------------- */

/* The backend cannot have produced more responses than the ring holds. */
bool xenpv_blkfront_rsp_prod_ok(u32 prod, u32 cons, u32 ring_size)
{
	return (u32)(prod - cons) <= ring_size;
}

/**
 * xenpv_blkfront_check_rsp() - validate one response (already copied)
 * @id: response id
 * @op: response operation
 * @status: response status
 * @ring_size: entries in the ring (ids run 0..ring_size-1)
 * @pending: a request with this id is in flight (false when @id is out
 *	of range)
 * @sent_op: operation of that request
 * @inner_op: its indirect_op when @sent_op is BLKIF_OP_INDIRECT
 *
 * Backends answer an indirect request with its inner operation (Linux
 * blkback); the outer BLKIF_OP_INDIRECT is accepted as well.
 *
 * Return: XENPV_BLKRSP_OK or what is wrong with the response.
 */
enum xenpv_blkfront_verdict
xenpv_blkfront_check_rsp(u64 id, u8 op, s16 status, unsigned int ring_size,
			 bool pending, u8 sent_op, u8 inner_op)
{
	if (id >= ring_size)
		return XENPV_BLKRSP_BAD_ID;
	if (!pending)
		return XENPV_BLKRSP_NOT_PENDING;
	if (sent_op == BLKIF_OP_INDIRECT) {
		if (op != inner_op && op != BLKIF_OP_INDIRECT)
			return XENPV_BLKRSP_BAD_OP;
	} else if (op != sent_op) {
		return XENPV_BLKRSP_BAD_OP;
	}
	if (status != BLKIF_RSP_OKAY && status != BLKIF_RSP_ERROR &&
	    status != BLKIF_RSP_EOPNOTSUPP)
		return XENPV_BLKRSP_BAD_STATUS;
	return XENPV_BLKRSP_OK;
}

const char *xenpv_blkfront_verdict_str(enum xenpv_blkfront_verdict v)
{
	switch (v) {
	case XENPV_BLKRSP_OK:
		return "ok";
	case XENPV_BLKRSP_BAD_ID:
		return "response has an id outside the ring";
	case XENPV_BLKRSP_NOT_PENDING:
		return "response references no pending request";
	case XENPV_BLKRSP_BAD_OP:
		return "response has the wrong operation";
	case XENPV_BLKRSP_BAD_STATUS:
		return "response has an unknown status";
	}
	return "unknown verdict";
}
