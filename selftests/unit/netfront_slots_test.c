// SPDX-License-Identifier: GPL-2.0
/*
 * Host unit tests for netfront's slot arithmetic, control-ring hashing
 * helpers and multicast list diff (netfront/nf_logic.c).
 *
 * Copyright (C) 2026 The xenpv authors
 *
 * Run:  make -C selftests/unit T=netfront_slots_test
 */
/*
 * The harness exposes the kernel's include/xen and asm/xen only, and
 * <xen/interface/xen.h> needs further arch headers (asm/pvclock-abi.h).
 * netif.h uses nothing of grant_table.h but grant_ref_t, so that header
 * is skipped by its guard and the one type supplied here.
 */
#include <stdint.h>
#define __XEN_PUBLIC_GRANT_TABLE_H__
typedef uint32_t grant_ref_t;

#include "../../netfront/nf_logic.c"

#include "unit.h"

static void test_ring_sizes(void)
{
	UNIT_CHECK_EQ(XENPV_NF_TX_RING_SIZE, 256, "TX ring: 256 slots per page");
	UNIT_CHECK_EQ(XENPV_NF_RX_RING_SIZE, 256, "RX ring: 256 slots per page");
	UNIT_CHECK_EQ(XENPV_NF_CTRL_RING_SIZE, 128, "control ring: 128 slots");
	UNIT_CHECK_EQ(XENPV_NF_MAX_SLOTS, 18, "18 data slots per packet");
	UNIT_CHECK_EQ(sizeof(struct xen_netif_extra_info),
		      sizeof(struct xen_netif_rx_response),
		      "an extra overlays an RX response exactly");
	UNIT_CHECK(sizeof(struct xen_netif_extra_info) <=
		   sizeof(struct xen_netif_tx_request),
		   "an extra fits a TX request slot");
}

static void test_buf_slots(void)
{
	UNIT_CHECK_EQ(xenpv_nf_buf_slots(0, 0), 0, "empty buffer: no slot");
	UNIT_CHECK_EQ(xenpv_nf_buf_slots(0, 1), 1, "one byte");
	UNIT_CHECK_EQ(xenpv_nf_buf_slots(0, 4096), 1, "one whole page");
	UNIT_CHECK_EQ(xenpv_nf_buf_slots(1, 4096), 2, "a page, misaligned");
	UNIT_CHECK_EQ(xenpv_nf_buf_slots(4095, 2), 2, "two bytes over a boundary");
	UNIT_CHECK_EQ(xenpv_nf_buf_slots(4096 + 10, 100), 1,
		      "offset beyond the first page is taken modulo");
	UNIT_CHECK_EQ(xenpv_nf_buf_slots(0, 65535), 16, "64 KiB aligned: 16");
	UNIT_CHECK_EQ(xenpv_nf_buf_slots(4000, 65535), 17,
		      "64 KiB misaligned: 17, within the 18-slot limit");
}

static void test_hash_flags(void)
{
	uint32_t all = XEN_NETIF_CTRL_HASH_TYPE_IPV4 |
		       XEN_NETIF_CTRL_HASH_TYPE_IPV4_TCP |
		       XEN_NETIF_CTRL_HASH_TYPE_IPV6 |
		       XEN_NETIF_CTRL_HASH_TYPE_IPV6_TCP;

	UNIT_CHECK_EQ(xenpv_nf_hash_flags(0), 0, "backend supports none");
	UNIT_CHECK_EQ(xenpv_nf_hash_flags(~0u), all,
		      "unknown bits from the backend are not requested");
	UNIT_CHECK_EQ(xenpv_nf_hash_flags(XEN_NETIF_CTRL_HASH_TYPE_IPV4_TCP),
		      XEN_NETIF_CTRL_HASH_TYPE_IPV4_TCP, "subset kept");
}

static void test_rss_table(void)
{
	uint32_t t[XENPV_NF_RSS_MAX_TABLE];
	unsigned int i;
	bool spread = true;

	UNIT_CHECK_EQ(xenpv_nf_rss_table_size(0), 0, "no table at the backend");
	UNIT_CHECK_EQ(xenpv_nf_rss_table_size(64), 64, "smaller backend table");
	UNIT_CHECK_EQ(xenpv_nf_rss_table_size(4096), XENPV_NF_RSS_MAX_TABLE,
		      "clamped to what we keep");
	UNIT_CHECK_EQ(xenpv_nf_rss_table_size(~0u), XENPV_NF_RSS_MAX_TABLE,
		      "huge value clamped");

	xenpv_nf_rss_default_table(t, XENPV_NF_RSS_MAX_TABLE, 3);
	for (i = 0; i < XENPV_NF_RSS_MAX_TABLE; i++)
		if (t[i] != i % 3)
			spread = false;
	UNIT_CHECK(spread, "default table spreads round-robin");
	UNIT_CHECK(xenpv_nf_rss_table_valid(t, XENPV_NF_RSS_MAX_TABLE, 3),
		   "default table valid for its queue count");
	UNIT_CHECK(!xenpv_nf_rss_table_valid(t, XENPV_NF_RSS_MAX_TABLE, 2),
		   "invalid after the queue count shrinks");
	xenpv_nf_rss_default_table(t, 8, 0);
	UNIT_CHECK(t[7] == 0, "zero queues does not divide by zero");
	UNIT_CHECK(!xenpv_nf_rss_table_valid(t, 8, 0), "nothing valid for 0");
}

static void test_ctrl_rsp(void)
{
	struct xen_netif_ctrl_response r = {
		.id = 5, .type = XEN_NETIF_CTRL_TYPE_SET_HASH_KEY,
		.status = XEN_NETIF_CTRL_STATUS_SUCCESS,
	};

	UNIT_CHECK_EQ(xenpv_nf_ctrl_rsp_check(&r, 5,
					      XEN_NETIF_CTRL_TYPE_SET_HASH_KEY), 0,
		      "matching response");
	UNIT_CHECK_EQ(xenpv_nf_ctrl_rsp_check(&r, 6,
					      XEN_NETIF_CTRL_TYPE_SET_HASH_KEY),
		      -EPROTO, "wrong id");
	UNIT_CHECK_EQ(xenpv_nf_ctrl_rsp_check(&r, 5,
					      XEN_NETIF_CTRL_TYPE_SET_HASH_FLAGS),
		      -EPROTO, "wrong type");
	UNIT_CHECK_EQ(xenpv_nf_ctrl_status_errno(XEN_NETIF_CTRL_STATUS_SUCCESS),
		      0, "success");
	UNIT_CHECK_EQ(xenpv_nf_ctrl_status_errno(XEN_NETIF_CTRL_STATUS_NOT_SUPPORTED),
		      -EOPNOTSUPP, "not supported");
	UNIT_CHECK_EQ(xenpv_nf_ctrl_status_errno(XEN_NETIF_CTRL_STATUS_INVALID_PARAMETER),
		      -EINVAL, "invalid parameter");
	UNIT_CHECK_EQ(xenpv_nf_ctrl_status_errno(XEN_NETIF_CTRL_STATUS_BUFFER_OVERFLOW),
		      -ENOSPC, "buffer overflow");
	UNIT_CHECK_EQ(xenpv_nf_ctrl_status_errno(12345), -EPROTO,
		      "unknown status");
}

static void test_mac_set_minus(void)
{
	static const uint8_t a[3][ETH_ALEN] = {
		{ 0x01, 0x00, 0x5e, 0, 0, 1 },
		{ 0x33, 0x33, 0, 0, 0, 1 },
		{ 0x33, 0x33, 0xff, 1, 2, 3 },
	};
	static const uint8_t b[2][ETH_ALEN] = {
		{ 0x33, 0x33, 0, 0, 0, 1 },
		{ 0x01, 0x00, 0x5e, 0, 0, 0xfb },
	};
	unsigned int idx[3];
	unsigned int n;

	n = xenpv_nf_mac_set_minus(a, 3, b, 2, idx);
	UNIT_CHECK(n == 2 && idx[0] == 0 && idx[1] == 2,
		   "a minus b: first and third of a");
	n = xenpv_nf_mac_set_minus(b, 2, a, 3, idx);
	UNIT_CHECK(n == 1 && idx[0] == 1, "b minus a: second of b");
	n = xenpv_nf_mac_set_minus(a, 3, a, 3, idx);
	UNIT_CHECK_EQ(n, 0, "a minus a: nothing");
	n = xenpv_nf_mac_set_minus(a, 3, b, 0, idx);
	UNIT_CHECK_EQ(n, 3, "minus the empty set: everything");
	n = xenpv_nf_mac_set_minus(a, 0, b, 2, idx);
	UNIT_CHECK_EQ(n, 0, "empty minus anything: nothing");
}

int main(void)
{
	test_ring_sizes();
	test_buf_slots();
	test_hash_flags();
	test_rss_table();
	test_ctrl_rsp();
	test_mac_set_minus();
	return unit_done();
}
