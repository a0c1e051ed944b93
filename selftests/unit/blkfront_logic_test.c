// SPDX-License-Identifier: GPL-2.0
/*
 * Host unit tests for the pure logic of xenpv_blkfront (blkfront/vbd_logic.c).
 *
 * Copyright (C) 2026 The xenpv authors
 *
 * Build and run on the build host (one translation unit: the file under
 * test is included below):
 *
 *   cc -Wall -Wextra -O2 -o blkfront_logic_test \
 *      selftests/unit/blkfront_logic_test.c
 *   ./blkfront_logic_test
 *
 * Only the C library and the UAPI <linux/major.h> are needed.  The kernel
 * build takes the blkif constants from <xen/interface/io/blkif.h>; this
 * host build has no Xen interface headers, so the few it needs are given
 * here with the values of xen/include/public/io/blkif.h and io/ring.h.
 * Output is TAP; the exit status is 0 when every check passed.
 */
#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

typedef uint8_t u8;
typedef uint16_t u16;
typedef uint32_t u32;
typedef uint64_t u64;
typedef int16_t s16;

/* io/ring.h, io/blkif.h (64-bit layout: 112-byte ring entries). */
#define XEN_PAGE_SHIFT				12
#define BLKIF_OP_READ				0
#define BLKIF_OP_WRITE				1
#define BLKIF_OP_WRITE_BARRIER			2
#define BLKIF_OP_FLUSH_DISKCACHE		3
#define BLKIF_OP_DISCARD			5
#define BLKIF_OP_INDIRECT			6
#define BLKIF_MAX_SEGMENTS_PER_REQUEST		11
#define BLKIF_MAX_INDIRECT_PAGES_PER_REQUEST	8
#define BLKIF_RSP_EOPNOTSUPP			-2
#define BLKIF_RSP_ERROR				-1
#define BLKIF_RSP_OKAY				0
#define XENPV_VBD_SEG_SIZE			8
#define XENPV_VBD_RING_ENTRY			112
#define XENPV_VBD_RING_HDR			64

#include "../../blkfront/vbd_logic.c"

#include "unit.h"

/* Decode @vdev and compare with the expected name, minor and minor count. */
static bool decodes(u32 vdev, const char *name, unsigned int minor,
		    unsigned int nr_minors, unsigned int src_major)
{
	struct xenpv_vbd_id id;

	if (xenpv_vbd_decode(vdev, &id))
		return false;
	if (strcmp(id.name, name) || id.minor != minor ||
	    id.nr_minors != nr_minors || id.src_major != src_major) {
		printf("# 0x%x -> %s minor %u nr %u major %u\n", vdev,
		       id.name, id.minor, id.nr_minors, id.src_major);
		return false;
	}
	return true;
}

static int decode_err(u32 vdev)
{
	struct xenpv_vbd_id id;

	return xenpv_vbd_decode(vdev, &id);
}

#define XVD(d, p)	((202U << 8) | ((d) << 4) | (p))
#define EXT(d, p)	((1U << 28) | ((d) << 8) | (p))

static void test_decode_xvd(void)
{
	CHECK(decodes(51712, "xvda", 0, 16, 202));
	CHECK(decodes(XVD(0, 1), "xvda1", 1, 1, 202));
	CHECK(decodes(XVD(1, 0), "xvdb", 16, 16, 202));
	CHECK(decodes(XVD(15, 15), "xvdp15", 255, 1, 202));
	CHECK(decodes(EXT(16, 0), "xvdq", 4096, 256, 202));
	CHECK(decodes(EXT(16, 200), "xvdq200", 4296, 1, 202));
	CHECK(decodes(EXT(25, 0), "xvdz", 25 * 256, 256, 202));
	CHECK(decodes(EXT(26, 3), "xvdaa3", 26 * 256 + 3, 1, 202));
	CHECK(decodes(EXT(701, 0), "xvdzz", 701 * 256, 256, 202));
	CHECK(decodes(EXT(702, 0), "xvdaaa", 702 * 256, 256, 202));
	/* the extended form may also name a low disk (same minors) */
	CHECK(decodes(EXT(0, 0), "xvda", 0, 256, 202));
	/* last extended disk whose minors fit in 20 bits */
	CHECK(decode_err(EXT(4095, 0)) == 0);
	CHECK(decode_err(EXT(4096, 0)) == -ERANGE);
	CHECK(decode_err(EXT(4095, 255)) == 0);
	/* above the extended range */
	CHECK(decode_err(2U << 28) == -ERANGE);
	CHECK(decode_err(0xffffffffU) == -ERANGE);
}

static void test_decode_emulated(void)
{
	/* hda, hda1, hdb (disk << 6), hdb1 */
	CHECK(decodes(3U << 8, "xvda", 0, 16, 3));
	CHECK(decodes((3U << 8) | 1, "xvda1", 1, 1, 3));
	CHECK(decodes((3U << 8) | 64, "xvdb", 16, 16, 3));
	CHECK(decodes((3U << 8) | 65, "xvdb1", 17, 1, 3));
	/* hd partitions above 15 have no xvd minor */
	CHECK(decode_err((3U << 8) | 20) == -ERANGE);
	CHECK(decode_err((22U << 8) | 63) == -ERANGE);
	/* hdc, hdd */
	CHECK(decodes(22U << 8, "xvdc", 32, 16, 22));
	CHECK(decodes((22U << 8) | 64, "xvdd", 48, 16, 22));
	CHECK(decodes((22U << 8) | 66, "xvdd2", 50, 1, 22));
	/* sda, sdb1, sdq (major 65), sddx, major 128 and 135 */
	CHECK(decodes(8U << 8, "xvda", 0, 16, 8));
	CHECK(decodes((8U << 8) | 17, "xvdb1", 17, 1, 8));
	CHECK(decodes(65U << 8, "xvdq", 256, 16, 65));
	CHECK(decodes((71U << 8) | 240, "xvddx", 127 * 16, 16, 71));
	CHECK(decodes(128U << 8, "xvddy", 128 * 16, 16, 128));
	CHECK(decodes((135U << 8) | 255, "xvdiv15", 255 * 16 + 15, 1, 135));
	/* majors nobody defined for vbds are not understood */
	CHECK(decode_err(9U << 8) == -EINVAL);
	CHECK(decode_err(72U << 8) == -EINVAL);
	CHECK(decode_err(127U << 8) == -EINVAL);
	CHECK(decode_err(136U << 8) == -EINVAL);
	CHECK(decode_err(201U << 8) == -EINVAL);
	CHECK(decode_err(203U << 8) == -EINVAL);
	CHECK(decode_err(0) == -EINVAL);
	/* bits 16..27 set without the extended flag: major above 255 */
	CHECK(decode_err((202U << 8) | (1U << 16)) == -EINVAL);
}

static void test_disk_name(void)
{
	char buf[XENPV_VBD_NAME_LEN];

	CHECK(xenpv_vbd_disk_name(buf, sizeof(buf), 0, 0) == 0 &&
	      !strcmp(buf, "xvda"));
	CHECK(xenpv_vbd_disk_name(buf, sizeof(buf), 27, 12) == 0 &&
	      !strcmp(buf, "xvdab12"));
	CHECK(xenpv_vbd_disk_name(buf, sizeof(buf), 18277, 0) == 0 &&
	      !strcmp(buf, "xvdzzz"));
	CHECK(xenpv_vbd_disk_name(buf, sizeof(buf), 18278, 0) == 0 &&
	      !strcmp(buf, "xvdaaaa"));
	/* "xvda" needs 5 bytes */
	CHECK(xenpv_vbd_disk_name(buf, 5, 0, 0) == 0);
	CHECK(xenpv_vbd_disk_name(buf, 4, 0, 0) == -ENOSPC);
	CHECK(xenpv_vbd_disk_name(buf, 6, 0, 12) == -ENOSPC);
	CHECK(xenpv_vbd_disk_name(buf, sizeof(buf), 0xffffffffU,
				  0xffffffffU) == 0);
}

static void test_nr_queues(void)
{
	CHECK(xenpv_blkfront_nr_queues(false, 0, 4, 8) == 1);
	CHECK(xenpv_blkfront_nr_queues(false, 16, 4, 8) == 1);
	CHECK(xenpv_blkfront_nr_queues(true, 0, 4, 8) == 1);
	CHECK(xenpv_blkfront_nr_queues(true, 8, 4, 8) == 4);
	CHECK(xenpv_blkfront_nr_queues(true, 8, 4, 2) == 2);
	CHECK(xenpv_blkfront_nr_queues(true, 3, 4, 8) == 3);
	CHECK(xenpv_blkfront_nr_queues(true, 0xffffffffU, 4, 8) == 4);
	CHECK(xenpv_blkfront_nr_queues(true, 8, 0, 8) == 1);
}

static void test_ring_order(void)
{
	CHECK(xenpv_blkfront_ring_order(false, 0, false, 0, 4) == 0);
	CHECK(xenpv_blkfront_ring_order(true, 4, false, 0, 2) == 2);
	CHECK(xenpv_blkfront_ring_order(true, 2, false, 0, 4) == 2);
	CHECK(xenpv_blkfront_ring_order(true, 0xffffffffU, false, 0, 4) == 4);
	CHECK(xenpv_blkfront_ring_order(true, 30, false, 0, 30) == 4);
	CHECK(xenpv_blkfront_ring_order(false, 0, true, 16, 4) == 4);
	CHECK(xenpv_blkfront_ring_order(false, 0, true, 3, 4) == 1);
	CHECK(xenpv_blkfront_ring_order(false, 0, true, 0, 4) == 0);
	CHECK(xenpv_blkfront_ring_order(false, 0, true, 0xffffffffU, 4) == 4);
	/* max-ring-page-order wins over max-ring-pages */
	CHECK(xenpv_blkfront_ring_order(true, 1, true, 16, 4) == 1);
	CHECK(xenpv_blkfront_ring_order(true, 4, true, 16, 0) == 0);
}

static void test_ring_entries(void)
{
	CHECK(xenpv_blkfront_ring_entries(0) == 32);
	CHECK(xenpv_blkfront_ring_entries(1) == 64);
	CHECK(xenpv_blkfront_ring_entries(2) == 128);
	CHECK(xenpv_blkfront_ring_entries(4) == 512);
	CHECK(xenpv_blkfront_ring_entries(9) == 512);
}

static void test_indirect(void)
{
	CHECK(XENPV_BLKFRONT_SEGS_PER_INDIRECT == 512);
	CHECK(xenpv_blkfront_indirect_segs(false, 256, 32) == 0);
	CHECK(xenpv_blkfront_indirect_segs(true, 0, 32) == 0);
	CHECK(xenpv_blkfront_indirect_segs(true, 1, 32) == 0);
	CHECK(xenpv_blkfront_indirect_segs(true, 11, 32) == 0);
	CHECK(xenpv_blkfront_indirect_segs(true, 12, 32) == 12);
	CHECK(xenpv_blkfront_indirect_segs(true, 256, 32) == 32);
	CHECK(xenpv_blkfront_indirect_segs(true, 1U << 31, 256) == 256);
	CHECK(xenpv_blkfront_indirect_segs(true, 1U << 31, 100000) == 256);
	CHECK(xenpv_blkfront_indirect_segs(true, 256, 0) == 0);
	CHECK(xenpv_blkfront_indirect_segs(true, 256, 11) == 0);

	CHECK(xenpv_blkfront_max_segs(0) == 11);
	CHECK(xenpv_blkfront_max_segs(32) == 32);
	CHECK(xenpv_blkfront_indirect_pages(0) == 0);
	CHECK(xenpv_blkfront_indirect_pages(11) == 0);
	CHECK(xenpv_blkfront_indirect_pages(12) == 1);
	CHECK(xenpv_blkfront_indirect_pages(256) == 1);
	CHECK(xenpv_blkfront_indirect_pages(512) == 1);
	CHECK(xenpv_blkfront_indirect_pages(513) == 2);
	CHECK(xenpv_blkfront_indirect_pages(4096) == 8);
	CHECK(xenpv_blkfront_max_hw_sectors(11) == 88);
	CHECK(xenpv_blkfront_max_hw_sectors(256) == 2048);
}

static void test_sector_sizes(void)
{
	u64 cap = 77;

	CHECK(xenpv_blkfront_check_sector_size(512, 4096) == 0);
	CHECK(xenpv_blkfront_check_sector_size(4096, 4096) == 0);
	CHECK(xenpv_blkfront_check_sector_size(8192, 4096) == -EINVAL);
	CHECK(xenpv_blkfront_check_sector_size(8192, 65536) == 0);
	CHECK(xenpv_blkfront_check_sector_size(0, 4096) == -EINVAL);
	CHECK(xenpv_blkfront_check_sector_size(256, 4096) == -EINVAL);
	CHECK(xenpv_blkfront_check_sector_size(520, 4096) == -EINVAL);
	CHECK(xenpv_blkfront_check_sector_size(1000, 4096) == -EINVAL);

	CHECK(xenpv_blkfront_phys_sector_size(false, 0, 512) == 512);
	CHECK(xenpv_blkfront_phys_sector_size(true, 4096, 512) == 4096);
	CHECK(xenpv_blkfront_phys_sector_size(true, 256, 512) == 512);
	CHECK(xenpv_blkfront_phys_sector_size(true, 3000, 512) == 512);
	CHECK(xenpv_blkfront_phys_sector_size(true, 0, 512) == 512);
	CHECK(xenpv_blkfront_phys_sector_size(true, 2U << 20, 512) == 512);
	CHECK(xenpv_blkfront_phys_sector_size(true, 512, 4096) == 4096);

	CHECK(xenpv_blkfront_capacity(1024, 512, &cap) == 0 && cap == 1024);
	CHECK(xenpv_blkfront_capacity(1001, 4096, &cap) == 1 && cap == 1000);
	CHECK(xenpv_blkfront_capacity(1000, 4096, &cap) == 0 && cap == 1000);
	CHECK(xenpv_blkfront_capacity(0, 512, &cap) == 0 && cap == 0);
	CHECK(xenpv_blkfront_capacity(7, 4096, &cap) == 1 && cap == 0);
	cap = 5;
	CHECK(xenpv_blkfront_capacity(1ULL << 63, 512, &cap) == -EFBIG &&
	      cap == 5);
	CHECK(xenpv_blkfront_capacity(~0ULL, 512, &cap) == -EFBIG);
	/* the largest size whose byte count fits a loff_t */
	CHECK(xenpv_blkfront_capacity((~0ULL >> 1) >> 9, 512, &cap) == 0);
}

static void test_discard(void)
{
	u32 g, a;

	xenpv_blkfront_discard_params(512, false, 0, false, 0, &g, &a);
	CHECK(g == 512 && a == 0);
	xenpv_blkfront_discard_params(4096, true, 0, true, 100, &g, &a);
	CHECK(g == 4096 && a == 100);
	xenpv_blkfront_discard_params(512, true, 1000, false, 0, &g, &a);
	CHECK(g == 1024 && a == 0);
	xenpv_blkfront_discard_params(4096, true, 512, false, 0, &g, &a);
	CHECK(g == 4096);
	xenpv_blkfront_discard_params(512, true, 4096, true, 5000, &g, &a);
	CHECK(g == 4096 && a == 904);
	xenpv_blkfront_discard_params(512, true, 0xffffffffU, true,
				      0xffffffffU, &g, &a);
	CHECK(g == (1U << 30) && a < g);
}

static void test_xen_pages(void)
{
	CHECK(xenpv_blkfront_xen_pages(0, 0) == 0);
	CHECK(xenpv_blkfront_xen_pages(0, 4096) == 1);
	CHECK(xenpv_blkfront_xen_pages(512, 3584) == 1);
	CHECK(xenpv_blkfront_xen_pages(512, 4096) == 2);
	CHECK(xenpv_blkfront_xen_pages(4096 + 512, 512) == 1);
	CHECK(xenpv_blkfront_xen_pages(0, 65536) == 16);
	CHECK(xenpv_blkfront_xen_pages(3584, 65536) == 17);
}

static void test_split(void)
{
	u32 lens[64];
	u16 ends[64];
	unsigned int i;

	for (i = 0; i < 64; i++)
		lens[i] = 4096;
	/* 20 full pages, 11 per ring request */
	CHECK(xenpv_blkfront_split(lens, 20, 11, 512, ends, 64) == 2 &&
	      ends[0] == 11 && ends[1] == 20);
	/* fits in one */
	CHECK(xenpv_blkfront_split(lens, 11, 11, 4096, ends, 64) == 1 &&
	      ends[0] == 11);
	/* 64 pages after a migration to an 11-segment backend: 6 parts */
	CHECK(xenpv_blkfront_split(lens, 64, 11, 4096, ends, 64) == 6 &&
	      ends[5] == 64);
	CHECK(xenpv_blkfront_split(lens, 64, 11, 4096, ends, 5) == -E2BIG);
	/* nothing to split */
	CHECK(xenpv_blkfront_split(lens, 0, 11, 512, ends, 64) == 0);

	/* 16 x 512 bytes on a 4 KiB-sector disk: cuts on 4 KiB only */
	for (i = 0; i < 16; i++)
		lens[i] = 512;
	CHECK(xenpv_blkfront_split(lens, 16, 11, 4096, ends, 64) == 2 &&
	      ends[0] == 8 && ends[1] == 16);
	/* a 512-byte disk cuts anywhere */
	CHECK(xenpv_blkfront_split(lens, 16, 11, 512, ends, 64) == 2 &&
	      ends[0] == 11 && ends[1] == 16);

	/* no block-aligned cut within the limit */
	lens[0] = lens[1] = lens[2] = lens[3] = 1536;
	CHECK(xenpv_blkfront_split(lens, 4, 2, 4096, ends, 64) == -EINVAL);
	/* the request's own end is always a valid cut */
	CHECK(xenpv_blkfront_split(lens, 2, 2, 4096, ends, 64) == 1);

	/* malformed lengths and limits */
	lens[0] = 0;
	CHECK(xenpv_blkfront_split(lens, 1, 11, 512, ends, 64) == -EINVAL);
	lens[0] = 100;
	CHECK(xenpv_blkfront_split(lens, 1, 11, 512, ends, 64) == -EINVAL);
	lens[0] = 4096;
	CHECK(xenpv_blkfront_split(lens, 1, 0, 512, ends, 64) == -EINVAL);
	CHECK(xenpv_blkfront_split(lens, 1, 11, 1000, ends, 64) == -EINVAL);
}

static void test_rsp_prod(void)
{
	CHECK(xenpv_blkfront_rsp_prod_ok(0, 0, 32));
	CHECK(xenpv_blkfront_rsp_prod_ok(32, 0, 32));
	CHECK(!xenpv_blkfront_rsp_prod_ok(33, 0, 32));
	/* index wrap-around is fine */
	CHECK(xenpv_blkfront_rsp_prod_ok(5, 0xfffffff0U, 32));
	/* producer moved backwards: looks like a huge count */
	CHECK(!xenpv_blkfront_rsp_prod_ok(9, 10, 32));
	CHECK(!xenpv_blkfront_rsp_prod_ok(0x80000000U, 0, 512));
}

static void test_check_rsp(void)
{
	const unsigned int n = 32;

	CHECK(xenpv_blkfront_check_rsp(0, BLKIF_OP_READ, BLKIF_RSP_OKAY, n,
				       true, BLKIF_OP_READ, 0) ==
	      XENPV_BLKRSP_OK);
	CHECK(xenpv_blkfront_check_rsp(31, BLKIF_OP_WRITE, BLKIF_RSP_ERROR, n,
				       true, BLKIF_OP_WRITE, 0) ==
	      XENPV_BLKRSP_OK);
	CHECK(xenpv_blkfront_check_rsp(3, BLKIF_OP_DISCARD,
				       BLKIF_RSP_EOPNOTSUPP, n, true,
				       BLKIF_OP_DISCARD, 0) == XENPV_BLKRSP_OK);
	CHECK(xenpv_blkfront_check_rsp(32, BLKIF_OP_READ, 0, n, false, 0, 0) ==
	      XENPV_BLKRSP_BAD_ID);
	CHECK(xenpv_blkfront_check_rsp(~0ULL, BLKIF_OP_READ, 0, n, false, 0,
				       0) == XENPV_BLKRSP_BAD_ID);
	CHECK(xenpv_blkfront_check_rsp(1ULL << 32, BLKIF_OP_READ, 0, n, false,
				       0, 0) == XENPV_BLKRSP_BAD_ID);
	CHECK(xenpv_blkfront_check_rsp(4, BLKIF_OP_READ, 0, n, false, 0, 0) ==
	      XENPV_BLKRSP_NOT_PENDING);
	CHECK(xenpv_blkfront_check_rsp(4, BLKIF_OP_WRITE, 0, n, true,
				       BLKIF_OP_READ, 0) ==
	      XENPV_BLKRSP_BAD_OP);
	CHECK(xenpv_blkfront_check_rsp(4, BLKIF_OP_FLUSH_DISKCACHE, 0, n, true,
				       BLKIF_OP_WRITE_BARRIER, 0) ==
	      XENPV_BLKRSP_BAD_OP);
	/* indirect: the inner operation, or the outer one, is accepted */
	CHECK(xenpv_blkfront_check_rsp(4, BLKIF_OP_WRITE, 0, n, true,
				       BLKIF_OP_INDIRECT, BLKIF_OP_WRITE) ==
	      XENPV_BLKRSP_OK);
	CHECK(xenpv_blkfront_check_rsp(4, BLKIF_OP_INDIRECT, 0, n, true,
				       BLKIF_OP_INDIRECT, BLKIF_OP_READ) ==
	      XENPV_BLKRSP_OK);
	CHECK(xenpv_blkfront_check_rsp(4, BLKIF_OP_READ, 0, n, true,
				       BLKIF_OP_INDIRECT, BLKIF_OP_WRITE) ==
	      XENPV_BLKRSP_BAD_OP);
	/* statuses outside OKAY/ERROR/EOPNOTSUPP */
	CHECK(xenpv_blkfront_check_rsp(4, BLKIF_OP_READ, 1, n, true,
				       BLKIF_OP_READ, 0) ==
	      XENPV_BLKRSP_BAD_STATUS);
	CHECK(xenpv_blkfront_check_rsp(4, BLKIF_OP_READ, -3, n, true,
				       BLKIF_OP_READ, 0) ==
	      XENPV_BLKRSP_BAD_STATUS);
	CHECK(xenpv_blkfront_check_rsp(4, BLKIF_OP_READ, INT16_MIN, n, true,
				       BLKIF_OP_READ, 0) ==
	      XENPV_BLKRSP_BAD_STATUS);
	CHECK(strlen(xenpv_blkfront_verdict_str(XENPV_BLKRSP_BAD_OP)) > 0);
	CHECK(!strcmp(xenpv_blkfront_verdict_str(XENPV_BLKRSP_OK), "ok"));
}

int main(void)
{
	test_decode_xvd();
	test_decode_emulated();
	test_disk_name();
	test_nr_queues();
	test_ring_order();
	test_ring_entries();
	test_indirect();
	test_sector_sizes();
	test_discard();
	test_xen_pages();
	test_split();
	test_rsp_prod();
	test_check_rsp();
	return unit_done();
}
