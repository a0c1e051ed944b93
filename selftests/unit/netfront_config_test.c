// SPDX-License-Identifier: GPL-2.0
/*
 * Host unit tests for netfront's configuration logic (netfront/nf_logic.c):
 * strict MAC parsing, the max_queues parameter, queue and MTU clamps.
 *
 * Copyright (C) 2026 The xenpv authors
 *
 * Run:  make -C selftests/unit T=netfront_config_test
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

static void test_mac_good(void)
{
	uint8_t mac[ETH_ALEN] = { 0 };
	static const uint8_t want[ETH_ALEN] = { 0x00, 0x16, 0x3e, 0x5a, 0xbc, 0xde };

	UNIT_CHECK_EQ(xenpv_nf_parse_mac("00:16:3e:5a:bc:de", mac), 0,
		      "lower-case MAC parses");
	UNIT_CHECK(!memcmp(mac, want, ETH_ALEN), "lower-case MAC value");
	memset(mac, 0, sizeof(mac));
	UNIT_CHECK_EQ(xenpv_nf_parse_mac("00:16:3E:5A:BC:DE", mac), 0,
		      "upper-case MAC parses");
	UNIT_CHECK(!memcmp(mac, want, ETH_ALEN), "upper-case MAC value");
	UNIT_CHECK_EQ(xenpv_nf_parse_mac("02:00:00:00:00:01", mac), 0,
		      "locally administered unicast is fine");
}

static void test_mac_bad(void)
{
	static const char *const bad[] = {
		"", "00:16:3e:5a:bc", "00:16:3e:5a:bc:de:", "00:16:3e:5a:bc:de ",
		" 00:16:3e:5a:bc:de", "0:16:3e:5a:bc:de", "00:16:3e:5a:bc:d",
		"00-16-3e-5a-bc-de", "00:16:3e:5a:bc:dg", "00:16:3e:5a:bcde0",
		"0x:16:3e:5a:bc:de", "+0:16:3e:5a:bc:de", "00:16:3e:5a:bc:de\n",
		"00:16:3e:5a:bc:de00", "00::3e:5a:bc:de:0",
	};
	uint8_t mac[ETH_ALEN] = { 1, 2, 3, 4, 5, 6 };
	unsigned int i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		UNIT_CHECK_EQ(xenpv_nf_parse_mac(bad[i], mac), -EINVAL,
			      "malformed MAC \"%s\" refused", bad[i]);
	UNIT_CHECK_EQ(xenpv_nf_parse_mac(NULL, mac), -EINVAL, "NULL refused");
	UNIT_CHECK(mac[0] == 1 && mac[5] == 6, "output untouched on error");

	UNIT_CHECK_EQ(xenpv_nf_parse_mac("01:00:5e:00:00:01", mac),
		      -EADDRNOTAVAIL, "multicast MAC refused");
	UNIT_CHECK_EQ(xenpv_nf_parse_mac("ff:ff:ff:ff:ff:ff", mac),
		      -EADDRNOTAVAIL, "broadcast MAC refused");
	UNIT_CHECK_EQ(xenpv_nf_parse_mac("00:00:00:00:00:00", mac),
		      -EADDRNOTAVAIL, "all-zero MAC refused");
}

static void test_max_queues_param(void)
{
	UNIT_CHECK(xenpv_nf_max_queues_param_ok(0), "0 means automatic");
	UNIT_CHECK(xenpv_nf_max_queues_param_ok(1), "1 accepted");
	UNIT_CHECK(xenpv_nf_max_queues_param_ok(64), "64 accepted");
	UNIT_CHECK(!xenpv_nf_max_queues_param_ok(65), "65 refused");
	UNIT_CHECK(!xenpv_nf_max_queues_param_ok(~0u), "huge refused");
}

static void test_pick_queues(void)
{
	UNIT_CHECK_EQ(xenpv_nf_pick_queues(false, 0, 8), 1,
		      "no multi-queue key: one queue");
	UNIT_CHECK_EQ(xenpv_nf_pick_queues(false, 16, 8), 1,
		      "key not advertised: value ignored");
	UNIT_CHECK_EQ(xenpv_nf_pick_queues(true, 0, 8), 1,
		      "backend max 0: one queue");
	UNIT_CHECK_EQ(xenpv_nf_pick_queues(true, 4, 8), 4, "backend limits");
	UNIT_CHECK_EQ(xenpv_nf_pick_queues(true, 16, 8), 8, "we limit");
	UNIT_CHECK_EQ(xenpv_nf_pick_queues(true, 4294967295u, 2), 2,
		      "huge backend value clamped");
	UNIT_CHECK_EQ(xenpv_nf_pick_queues(true, 4294967295u, 1000), 64,
		      "never above the local hard limit");
	UNIT_CHECK_EQ(xenpv_nf_pick_queues(true, 8, 0), 1,
		      "never zero");
}

static void test_mtu(void)
{
	UNIT_CHECK_EQ(xenpv_nf_max_mtu(false), 1500, "no SG: 1500");
	UNIT_CHECK_EQ(xenpv_nf_max_mtu(true), 65535 - 14,
		      "SG: frame fits XEN_NETIF_MAX_TX_SIZE");
	UNIT_CHECK(xenpv_nf_mtu_ok(68, false), "68 is the minimum");
	UNIT_CHECK(!xenpv_nf_mtu_ok(67, true), "67 refused");
	UNIT_CHECK(!xenpv_nf_mtu_ok(1501, false), "1501 needs SG");
	UNIT_CHECK(xenpv_nf_mtu_ok(9000, true), "jumbo with SG");
	UNIT_CHECK(!xenpv_nf_mtu_ok(65522, true), "frame above 0xFFFF refused");
}

int main(void)
{
	test_mac_good();
	test_mac_bad();
	test_max_queues_param();
	test_pick_queues();
	test_mtu();
	return unit_done();
}
