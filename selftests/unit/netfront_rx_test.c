// SPDX-License-Identifier: GPL-2.0
/*
 * Host unit tests for netfront's response validation (netfront/nf_logic.c):
 * ring producer checks, TX responses and RX response chains against the
 * hostile-backend cases of hardening.md section 5 (items 1-3, 6-8).
 *
 * Copyright (C) 2026 The xenpv authors
 *
 * Run:  make -C selftests/unit T=netfront_rx_test
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

/* A ring of copied responses, fed to the parser as the driver does. */
struct chain_run {
	struct xenpv_nf_rx_chain c;
	struct xenpv_nf_rx_slot slots[64];
	unsigned int fed;
	bool complete;
};

static void run_chain(struct chain_run *r, const struct xen_netif_rx_response *rsp,
		      unsigned int n, uint16_t first_id)
{
	unsigned int i;

	memset(r, 0, sizeof(*r));
	xenpv_nf_rx_chain_init(&r->c);
	for (i = 0; i < n && !r->complete; i++) {
		r->complete = xenpv_nf_rx_chain_feed(&r->c, &rsp[i],
						     (uint16_t)(first_id + i),
						     &r->slots[i]);
		r->fed++;
	}
	if (!r->complete)
		xenpv_nf_rx_chain_truncated(&r->c);
	xenpv_nf_rx_chain_finish(&r->c);
}

static struct xen_netif_rx_response data(uint16_t id, uint16_t off,
					 uint16_t flags, int16_t status)
{
	struct xen_netif_rx_response r = {
		.id = id, .offset = off, .flags = flags, .status = status,
	};
	return r;
}

static struct xen_netif_rx_response extra(uint8_t type, uint8_t flags,
					  const void *payload, size_t len)
{
	struct xen_netif_extra_info ex;
	struct xen_netif_rx_response r;

	memset(&ex, 0, sizeof(ex));
	ex.type = type;
	ex.flags = flags;
	memcpy(&ex.u, payload, len);
	memcpy(&r, &ex, sizeof(r));
	return r;
}

static void test_ring_check(void)
{
	UNIT_CHECK_EQ(xenpv_nf_ring_check(10, 10, 10, 256), XENPV_NF_RING_OK,
		      "empty ring is fine");
	UNIT_CHECK_EQ(xenpv_nf_ring_check(266, 10, 266, 256), XENPV_NF_RING_OK,
		      "a full ring of responses is fine");
	UNIT_CHECK_EQ(xenpv_nf_ring_check(267, 10, 300, 256),
		      XENPV_NF_RING_OVERFLOW, "more than the ring: overflow");
	UNIT_CHECK_EQ(xenpv_nf_ring_check(9, 10, 20, 256),
		      XENPV_NF_RING_BACKWARDS, "producer behind consumer");
	UNIT_CHECK_EQ(xenpv_nf_ring_check(21, 10, 20, 256),
		      XENPV_NF_RING_UNREQUESTED, "answers to requests never made");
	UNIT_CHECK_EQ(xenpv_nf_ring_check(5, 0xfffffff0u, 10, 256),
		      XENPV_NF_RING_OK, "indices wrap around 2^32");
	UNIT_CHECK_EQ(xenpv_nf_ring_check(0x80000000u, 0, 0x80000000u, 256),
		      XENPV_NF_RING_BACKWARDS, "half the index space away");
}

static void test_tx_rsp(void)
{
	struct xen_netif_tx_response r = { .id = 3, .status = XEN_NETIF_RSP_OKAY };

	UNIT_CHECK_EQ(xenpv_nf_tx_rsp_check(&r, 256), XENPV_NF_TX_DONE, "okay");
	r.status = XEN_NETIF_RSP_ERROR;
	UNIT_CHECK_EQ(xenpv_nf_tx_rsp_check(&r, 256), XENPV_NF_TX_FAILED,
		      "error status completes as failed");
	r.status = XEN_NETIF_RSP_DROPPED;
	UNIT_CHECK_EQ(xenpv_nf_tx_rsp_check(&r, 256), XENPV_NF_TX_FAILED,
		      "dropped status completes as failed");
	r.status = 77;
	UNIT_CHECK_EQ(xenpv_nf_tx_rsp_check(&r, 256), XENPV_NF_TX_FAILED,
		      "unknown status completes as failed");
	r.status = XEN_NETIF_RSP_NULL;
	r.id = 0xffff;
	UNIT_CHECK_EQ(xenpv_nf_tx_rsp_check(&r, 256), XENPV_NF_TX_SKIP,
		      "RSP_NULL skipped whatever its id");
	r.status = XEN_NETIF_RSP_OKAY;
	r.id = 256;
	UNIT_CHECK_EQ(xenpv_nf_tx_rsp_check(&r, 256), XENPV_NF_TX_BAD_ID,
		      "id = ring size refused");
}

static void test_single(void)
{
	struct xen_netif_rx_response rsp[] = {
		data(7, 0, XEN_NETRXF_data_validated, 60),
	};
	struct chain_run r;

	run_chain(&r, rsp, 1, 7);
	UNIT_CHECK(r.complete && r.c.err == XENPV_NF_RX_OK, "one-slot packet");
	UNIT_CHECK(r.slots[0].data && r.slots[0].len == 60, "its data slot");
	UNIT_CHECK_EQ(r.c.len, 60, "length");
	UNIT_CHECK_EQ(r.c.nr_slots, 1, "one ring slot consumed");
	UNIT_CHECK(r.c.first_flags & XEN_NETRXF_data_validated, "flags kept");
}

static void test_multi_with_extras(void)
{
	struct { uint16_t size; uint8_t type, pad; uint16_t features; } gso = {
		1448, XEN_NETIF_GSO_TYPE_TCPV4, 0, 0,
	};
	struct { uint8_t type, alg, value[4]; } hash = {
		_XEN_NETIF_CTRL_HASH_TYPE_IPV4_TCP,
		XEN_NETIF_CTRL_HASH_ALGORITHM_TOEPLITZ, { 1, 2, 3, 4 },
	};
	struct xen_netif_rx_response rsp[] = {
		data(0, 256, XEN_NETRXF_csum_blank | XEN_NETRXF_extra_info |
			     XEN_NETRXF_more_data, 3840),
		extra(XEN_NETIF_EXTRA_TYPE_GSO, XEN_NETIF_EXTRA_FLAG_MORE,
		      &gso, sizeof(gso)),
		extra(XEN_NETIF_EXTRA_TYPE_HASH, 0, &hash, sizeof(hash)),
		data(3, 0, XEN_NETRXF_more_data, 4096),
		data(4, 0, 0, 100),
	};
	const struct xen_netif_extra_info *ex;
	struct chain_run r;

	run_chain(&r, rsp, 5, 0);
	UNIT_CHECK(r.complete && r.c.err == XENPV_NF_RX_OK,
		   "GSO packet with two extras and three data slots");
	UNIT_CHECK_EQ(r.c.nr_data, 3, "three data slots");
	UNIT_CHECK_EQ(r.c.nr_slots, 5, "five ring slots");
	UNIT_CHECK_EQ(r.c.len, 3840 + 4096 + 100, "total length");
	UNIT_CHECK(!r.slots[1].data && !r.slots[2].data,
		   "extra slots carry no data");
	ex = xenpv_nf_rx_chain_extra(&r.c, XEN_NETIF_EXTRA_TYPE_GSO);
	UNIT_CHECK(ex && ex->u.gso.size == 1448, "GSO extra kept");
	ex = xenpv_nf_rx_chain_extra(&r.c, XEN_NETIF_EXTRA_TYPE_HASH);
	UNIT_CHECK(ex && ex->u.hash.value[3] == 4, "hash extra kept");
	UNIT_CHECK(!xenpv_nf_rx_chain_extra(&r.c, XEN_NETIF_EXTRA_TYPE_MCAST_ADD),
		   "absent extra not reported");
	UNIT_CHECK(!xenpv_nf_rx_chain_extra(&r.c, XEN_NETIF_EXTRA_TYPE_NONE),
		   "type NONE never reported");
}

static void expect_err(const struct xen_netif_rx_response *rsp, unsigned int n,
		       enum xenpv_nf_rx_err want, const char *what)
{
	struct chain_run r;

	run_chain(&r, rsp, n, 0);
	UNIT_CHECK(r.complete || want == XENPV_NF_RX_ERR_TRUNC,
		   "%s: chain consumed to its end", what);
	UNIT_CHECK_EQ(r.c.err, want, "%s: %s", what, xenpv_nf_rx_err_name(want));
}

static void test_bad_data(void)
{
	struct xen_netif_rx_response rsp[2];

	rsp[0] = data(0, 0, 0, XEN_NETIF_RSP_ERROR);
	expect_err(rsp, 1, XENPV_NF_RX_ERR_STATUS, "negative status");
	rsp[0] = data(0, 0, 0, 0);
	expect_err(rsp, 1, XENPV_NF_RX_ERR_LEN, "zero length");
	rsp[0] = data(0, 4000, 0, 97);
	expect_err(rsp, 1, XENPV_NF_RX_ERR_LEN, "offset + size beyond the page");
	rsp[0] = data(0, 0xffff, 0, 0x7fff);
	expect_err(rsp, 1, XENPV_NF_RX_ERR_LEN, "huge offset and size");
	rsp[0] = data(5, 0, 0, 60);
	expect_err(rsp, 1, XENPV_NF_RX_ERR_ID, "id of another slot");
	rsp[0] = data(0, 0, 0, 13);
	expect_err(rsp, 1, XENPV_NF_RX_ERR_RUNT, "shorter than ETH_HLEN");
	rsp[0] = data(0, 0, XEN_NETRXF_more_data, 8);
	rsp[1] = data(1, 0, 0, 8);
	expect_err(rsp, 2, XENPV_NF_RX_OK, "runt head, enough in total");
	rsp[0] = data(0, 4000, 0, 96);
	expect_err(rsp, 1, XENPV_NF_RX_OK, "exactly to the end of the page");
}

static void test_bad_data_slot_keeps_chain(void)
{
	struct xen_netif_rx_response rsp[] = {
		data(0, 0, XEN_NETRXF_more_data, 1000),
		data(1, 0, XEN_NETRXF_more_data, -1),
		data(2, 0, 0, 1000),
		data(3, 0, 0, 1000),
	};
	struct chain_run r;

	run_chain(&r, rsp, 4, 0);
	UNIT_CHECK_EQ(r.c.err, XENPV_NF_RX_ERR_STATUS,
		      "bad middle slot fails the packet");
	UNIT_CHECK_EQ(r.fed, 3, "but its chain is still consumed to the end");
	UNIT_CHECK(!r.slots[1].data, "the bad slot carries no data");
}

static void test_too_many_slots(void)
{
	struct xen_netif_rx_response rsp[XENPV_NF_MAX_SLOTS + 2];
	unsigned int i;
	struct chain_run r;

	for (i = 0; i < XENPV_NF_MAX_SLOTS; i++)
		rsp[i] = data((uint16_t)i, 0, XEN_NETRXF_more_data, 1000);
	rsp[XENPV_NF_MAX_SLOTS - 1].flags = 0;
	expect_err(rsp, XENPV_NF_MAX_SLOTS, XENPV_NF_RX_OK,
		   "XEN_NETIF_NR_SLOTS_MIN slots accepted");

	rsp[XENPV_NF_MAX_SLOTS - 1].flags = XEN_NETRXF_more_data;
	rsp[XENPV_NF_MAX_SLOTS] = data(XENPV_NF_MAX_SLOTS, 0, 0, 1000);
	run_chain(&r, rsp, XENPV_NF_MAX_SLOTS + 1, 0);
	UNIT_CHECK_EQ(r.c.err, XENPV_NF_RX_ERR_SLOTS, "one slot more refused");
	UNIT_CHECK(!r.slots[XENPV_NF_MAX_SLOTS].data,
		   "the slot over the limit is not used as data");
}

static void test_bad_extras(void)
{
	struct { uint16_t size; uint8_t type, pad; uint16_t features; } gso = {
		1448, XEN_NETIF_GSO_TYPE_TCPV6, 0, 0,
	};
	struct xen_netif_rx_response rsp[12];
	unsigned int i;

	rsp[0] = data(0, 0, XEN_NETRXF_extra_info, 100);
	rsp[1] = extra(XEN_NETIF_EXTRA_TYPE_NONE, 0, &gso, 0);
	expect_err(rsp, 2, XENPV_NF_RX_ERR_EXTRA, "extra type 0");
	rsp[1] = extra(XEN_NETIF_EXTRA_TYPE_MAX, 0, &gso, 0);
	expect_err(rsp, 2, XENPV_NF_RX_ERR_EXTRA, "extra type MAX");
	rsp[1] = extra(0xff, 0, &gso, 0);
	expect_err(rsp, 2, XENPV_NF_RX_ERR_EXTRA, "extra type 255");

	for (i = 1; i < 12; i++)
		rsp[i] = extra(XEN_NETIF_EXTRA_TYPE_HASH,
			       XEN_NETIF_EXTRA_FLAG_MORE, &gso, 0);
	rsp[11] = extra(XEN_NETIF_EXTRA_TYPE_HASH, 0, &gso, 0);
	expect_err(rsp, 12, XENPV_NF_RX_ERR_EXTRA, "eleven extras");

	expect_err(rsp, 1, XENPV_NF_RX_ERR_TRUNC,
		   "extra info missing at the producer");
	rsp[0] = data(0, 0, XEN_NETRXF_more_data, 100);
	expect_err(rsp, 1, XENPV_NF_RX_ERR_TRUNC,
		   "more_data missing at the producer");

	rsp[0] = data(0, 0, XEN_NETRXF_extra_info, 100);
	rsp[1] = extra(XEN_NETIF_EXTRA_TYPE_GSO, 0, &gso, sizeof(gso));
	expect_err(rsp, 2, XENPV_NF_RX_OK, "valid GSO TCPv6");
	gso.size = 0;
	rsp[1] = extra(XEN_NETIF_EXTRA_TYPE_GSO, 0, &gso, sizeof(gso));
	expect_err(rsp, 2, XENPV_NF_RX_ERR_GSO, "GSO size 0");
	gso.size = 1448;
	gso.type = 3;
	rsp[1] = extra(XEN_NETIF_EXTRA_TYPE_GSO, 0, &gso, sizeof(gso));
	expect_err(rsp, 2, XENPV_NF_RX_ERR_GSO, "unknown GSO type");
}

static void test_hash_ignored(void)
{
	struct { uint8_t type, alg, value[4]; } hash = {
		7, XEN_NETIF_CTRL_HASH_ALGORITHM_TOEPLITZ, { 0 },
	};
	struct xen_netif_rx_response rsp[2];
	struct chain_run r;

	rsp[0] = data(0, 0, XEN_NETRXF_extra_info, 100);
	rsp[1] = extra(XEN_NETIF_EXTRA_TYPE_HASH, 0, &hash, sizeof(hash));
	run_chain(&r, rsp, 2, 0);
	UNIT_CHECK(r.c.err == XENPV_NF_RX_OK &&
		   !xenpv_nf_rx_chain_extra(&r.c, XEN_NETIF_EXTRA_TYPE_HASH),
		   "unknown hash type: packet kept, hash dropped");
	hash.type = 0;
	hash.alg = 9;
	rsp[1] = extra(XEN_NETIF_EXTRA_TYPE_HASH, 0, &hash, sizeof(hash));
	run_chain(&r, rsp, 2, 0);
	UNIT_CHECK(r.c.err == XENPV_NF_RX_OK &&
		   !xenpv_nf_rx_chain_extra(&r.c, XEN_NETIF_EXTRA_TYPE_HASH),
		   "unknown hash algorithm: hash dropped");
}

static void test_padding_ignored(void)
{
	/* XSA-216: junk in fields we do not use changes nothing. */
	struct xen_netif_rx_response rsp[] = {
		data(0, 0, XEN_NETRXF_data_validated | 0xffe0u, 60),
	};
	struct chain_run r;

	run_chain(&r, rsp, 1, 0);
	UNIT_CHECK(r.c.err == XENPV_NF_RX_OK && r.fed == 1,
		   "unknown flag bits ignored");
}

/*
 * XDP headroom as Linux's netback delivers it: the data of every slot
 * starts at the headroom, the response says offset 0 and status =
 * headroom + length, and an XDP extra carries the headroom.
 */
static void test_xdp_headroom(void)
{
	uint16_t hr = 256, off, len;
	struct xen_netif_rx_response rsp[] = {
		data(0, 0, XEN_NETRXF_extra_info | XEN_NETRXF_more_data, 4096),
		extra(XEN_NETIF_EXTRA_TYPE_XDP, 0, &hr, sizeof(hr)),
		data(2, 0, 0, 256 + 100),
	};
	struct chain_run r;

	rsp[0].flags = XEN_NETRXF_extra_info;
	rsp[0].status = 256 + 98;
	run_chain(&r, rsp, 2, 0);
	UNIT_CHECK(r.complete && r.c.err == XENPV_NF_RX_OK,
		   "ping reply with an XDP extra");
	UNIT_CHECK_EQ(r.c.headroom, 256, "headroom taken from the extra");
	UNIT_CHECK_EQ(r.c.len, 98, "length excludes the headroom");
	off = r.slots[0].offset;
	len = r.slots[0].len;
	xenpv_nf_rx_slot_skip_headroom(&r.c, &off, &len);
	UNIT_CHECK(off == 256 && len == 98, "slot narrowed to the data");

	rsp[0].flags = XEN_NETRXF_extra_info | XEN_NETRXF_more_data;
	rsp[0].status = 4096;
	run_chain(&r, rsp, 3, 0);
	UNIT_CHECK(r.c.err == XENPV_NF_RX_OK && r.c.len == 3840 + 100,
		   "headroom skipped in every slot");

	rsp[2].status = 256;
	run_chain(&r, rsp, 3, 0);
	UNIT_CHECK_EQ(r.c.err, XENPV_NF_RX_ERR_LEN,
		      "a slot no longer than the headroom is refused");

	rsp[2].status = 100;
	rsp[2].offset = 256;
	run_chain(&r, rsp, 3, 0);
	UNIT_CHECK(r.c.err == XENPV_NF_RX_OK && r.c.headroom == 0 &&
		   r.c.len == 4096 + 100,
		   "a backend reporting real offsets is taken as it says");

	hr = 0;
	rsp[1] = extra(XEN_NETIF_EXTRA_TYPE_XDP, 0, &hr, sizeof(hr));
	rsp[2].offset = 0;
	run_chain(&r, rsp, 3, 0);
	UNIT_CHECK(r.c.err == XENPV_NF_RX_OK && r.c.headroom == 0,
		   "headroom 0 changes nothing");
}

int main(void)
{
	test_ring_check();
	test_tx_rsp();
	test_single();
	test_multi_with_extras();
	test_bad_data();
	test_bad_data_slot_keeps_chain();
	test_too_many_slots();
	test_bad_extras();
	test_hash_ignored();
	test_padding_ignored();
	test_xdp_headroom();
	return unit_done();
}
