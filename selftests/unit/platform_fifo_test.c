// SPDX-License-Identifier: GPL-2.0
/*
 * Host unit tests for the FIFO event word helpers (platform/pure.h):
 * their bits against the Xen interface's values (EVTCHN_FIFO_* in
 * include/xen/interface/event_channel.h: bits 31, 30, 29, 28 and a 17-bit
 * link; platform/evtchn_fifo.c also checks them at build time), unlinking,
 * the delivery rule and the unmask decision.
 *
 * Copyright (C) 2026 The xenpv authors
 *
 * Run with the other host tests:  make -C selftests/unit T=platform_fifo_test
 */
#define XENPV_HOST_TEST 1

#include <stdio.h>
#include <stdlib.h>

#include "../../platform/pure.h"

#include "unit.h"

static void test_bits_match_interface(void)
{
	UNIT_CHECK_EQ(XENPV_FIFO_PENDING, 1u << 31, "PENDING");
	UNIT_CHECK_EQ(XENPV_FIFO_MASKED, 1u << 30, "MASKED");
	UNIT_CHECK_EQ(XENPV_FIFO_LINKED, 1u << 29, "LINKED");
	UNIT_CHECK_EQ(XENPV_FIFO_BUSY, 1u << 28, "BUSY");
	UNIT_CHECK_EQ(XENPV_FIFO_LINK_MASK, (1u << 17) - 1, "LINK mask");
	/* The flags and the link do not overlap. */
	CHECK(!((XENPV_FIFO_PENDING | XENPV_FIFO_MASKED | XENPV_FIFO_LINKED |
		 XENPV_FIFO_BUSY) & XENPV_FIFO_LINK_MASK));
}

static void test_unlink(void)
{
	u32 w = XENPV_FIFO_PENDING | XENPV_FIFO_LINKED | 4095;

	UNIT_CHECK_EQ(xenpv_fifo_link(w), 4095, "link of a linked word");
	UNIT_CHECK_EQ(xenpv_fifo_unlinked(w), XENPV_FIFO_PENDING,
		      "unlinked keeps PENDING only");
	/* MASKED and BUSY survive the unlink; the link goes. */
	w = XENPV_FIFO_MASKED | XENPV_FIFO_BUSY | XENPV_FIFO_LINKED | 17;
	UNIT_CHECK_EQ(xenpv_fifo_unlinked(w),
		      XENPV_FIFO_MASKED | XENPV_FIFO_BUSY, "flags kept");
	/* The tail of a queue links to 0. */
	UNIT_CHECK_EQ(xenpv_fifo_link(XENPV_FIFO_PENDING | XENPV_FIFO_LINKED),
		      0, "tail");
	/* A link uses 17 bits, no more. */
	UNIT_CHECK_EQ(xenpv_fifo_link(0xffffffffu), (1u << 17) - 1, "17 bits");
	UNIT_CHECK_EQ(xenpv_fifo_unlinked(0xffffffffu),
		      XENPV_FIFO_PENDING | XENPV_FIFO_MASKED | XENPV_FIFO_BUSY |
		      (0xffffffffu & ~(XENPV_FIFO_PENDING | XENPV_FIFO_MASKED |
				       XENPV_FIFO_LINKED | XENPV_FIFO_BUSY |
				       XENPV_FIFO_LINK_MASK)),
		      "unlinked of all ones");
}

static void test_deliverable(void)
{
	CHECK(xenpv_fifo_deliverable(XENPV_FIFO_PENDING));
	CHECK(xenpv_fifo_deliverable(XENPV_FIFO_PENDING | XENPV_FIFO_LINKED | 5));
	CHECK(xenpv_fifo_deliverable(XENPV_FIFO_PENDING | XENPV_FIFO_BUSY));
	CHECK(!xenpv_fifo_deliverable(XENPV_FIFO_PENDING | XENPV_FIFO_MASKED));
	CHECK(!xenpv_fifo_deliverable(0));
	CHECK(!xenpv_fifo_deliverable(XENPV_FIFO_LINKED | 3));
	CHECK(!xenpv_fifo_deliverable(XENPV_FIFO_MASKED));
}

static void test_unmask_step(void)
{
	u32 next = 0xdeadbeef, expect = 0xdeadbeef;

	/* Not masked: nothing to do, nothing written. */
	UNIT_CHECK_EQ(xenpv_fifo_unmask_step(XENPV_FIFO_PENDING, &expect, &next),
		      XENPV_FIFO_UNMASK_NONE, "unmasked pending");
	UNIT_CHECK_EQ(xenpv_fifo_unmask_step(0, &expect, &next),
		      XENPV_FIFO_UNMASK_NONE, "unmasked idle");
	UNIT_CHECK_EQ(next, 0xdeadbeef, "next untouched");

	/* Masked, not pending: clear MASKED, keep the rest. */
	UNIT_CHECK_EQ(xenpv_fifo_unmask_step(XENPV_FIFO_MASKED |
					     XENPV_FIFO_LINKED | 9, &expect, &next),
		      XENPV_FIFO_UNMASK_CLEAR, "masked idle");
	UNIT_CHECK_EQ(expect, XENPV_FIFO_MASKED | XENPV_FIFO_LINKED | 9,
		      "expect the word");
	UNIT_CHECK_EQ(next, XENPV_FIFO_LINKED | 9, "MASKED cleared");

	/* Xen busy with the word: the swap must expect BUSY clear (and fail). */
	UNIT_CHECK_EQ(xenpv_fifo_unmask_step(XENPV_FIFO_MASKED | XENPV_FIFO_BUSY,
					     &expect, &next),
		      XENPV_FIFO_UNMASK_CLEAR, "masked busy");
	UNIT_CHECK_EQ(expect, XENPV_FIFO_MASKED, "expect BUSY clear");
	UNIT_CHECK_EQ(next, 0, "next without BUSY or MASKED");

	/* Masked and pending: only Xen may unmask (it queues the event). */
	next = 1;
	UNIT_CHECK_EQ(xenpv_fifo_unmask_step(XENPV_FIFO_MASKED |
					     XENPV_FIFO_PENDING, &expect, &next),
		      XENPV_FIFO_UNMASK_XEN, "masked pending");
	UNIT_CHECK_EQ(next, 1, "next untouched when Xen unmasks");
}

int main(void)
{
	printf("TAP version 13\n");
	test_bits_match_interface();
	test_unlink();
	test_deliverable();
	test_unmask_step();
	return unit_done();
}
