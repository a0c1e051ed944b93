// SPDX-License-Identifier: GPL-2.0
/*
 * Host unit tests for the fbif/kbdif event-ring arithmetic (fbfront/evring.h).
 *
 * Copyright (C) 2026 The xenpv authors
 *
 * The rings are 40-byte events in fixed areas of one page, so their
 * lengths are 1024/40 = 25 and 2048/40 = 51: not powers of two.  Indices
 * are free-running u32 counters and the slot is index % length.
 */
#include <stdint.h>

#include "unit.h"
#include "../../fbfront/evring.h"

/* The ring lengths of io/fbif.h and io/kbdif.h (area size / 40). */
#define LEN_25	(1024 / 40)
#define LEN_51	(2048 / 40)

static void test_lengths(void)
{
	UNIT_CHECK_EQ(LEN_25, 25, "1024-byte area holds 25 events");
	UNIT_CHECK_EQ(LEN_51, 51, "2048-byte area holds 51 events");
	UNIT_CHECK((LEN_25 & (LEN_25 - 1)) != 0 && (LEN_51 & (LEN_51 - 1)) != 0,
		   "neither length is a power of two");
}

static void test_used_free(void)
{
	UNIT_CHECK_EQ(xenpv_evring_used(10, 10), 0, "empty ring: used 0");
	UNIT_CHECK_EQ(xenpv_evring_free(10, 10, LEN_51), 51, "empty ring: 51 free");
	UNIT_CHECK_EQ(xenpv_evring_free(61, 10, LEN_51), 0, "full ring: 0 free");
	UNIT_CHECK_EQ(xenpv_evring_free(40, 10, LEN_51), 21, "30 used: 21 free");
	UNIT_CHECK_EQ(xenpv_evring_free(35, 10, LEN_25), 0, "25-ring full");
	UNIT_CHECK_EQ(xenpv_evring_free(34, 10, LEN_25), 1, "25-ring one free");
}

static void test_wrap(void)
{
	uint32_t cons = UINT32_MAX - 4, prod = cons + 10;	/* wraps to 5 */

	UNIT_CHECK_EQ(prod, 5, "producer index wrapped past 2^32");
	UNIT_CHECK_EQ(xenpv_evring_used(prod, cons), 10,
		      "used count is right across the wrap");
	UNIT_CHECK(xenpv_evring_sane(prod, cons, LEN_25),
		   "10 in flight across the wrap is sane");
	UNIT_CHECK_EQ(xenpv_evring_free(prod, cons, LEN_25), 15,
		      "free count is right across the wrap");
}

static void test_sanity(void)
{
	UNIT_CHECK(xenpv_evring_sane(51, 0, LEN_51), "exactly full is sane");
	UNIT_CHECK(!xenpv_evring_sane(52, 0, LEN_51),
		   "producer 52 ahead of a 51-ring is a violation");
	UNIT_CHECK(!xenpv_evring_sane(5, 6, LEN_51),
		   "consumer ahead of producer is a violation");
	UNIT_CHECK(!xenpv_evring_sane(0, 0x80000000u, LEN_51),
		   "wild consumer index is a violation");
	UNIT_CHECK(!xenpv_evring_sane(0, 0, 0), "zero-length ring is never sane");
	UNIT_CHECK_EQ(xenpv_evring_free(5, 6, LEN_51), 0,
		      "an insane ring has no free slots");
}

static void test_slots(void)
{
	uint32_t i;
	int seen[51] = { 0 }, dup = 0;

	UNIT_CHECK_EQ(xenpv_evring_slot(0, LEN_51), 0, "index 0 -> slot 0");
	UNIT_CHECK_EQ(xenpv_evring_slot(50, LEN_51), 50, "index 50 -> slot 50");
	UNIT_CHECK_EQ(xenpv_evring_slot(51, LEN_51), 0, "index 51 wraps to 0");
	UNIT_CHECK_EQ(xenpv_evring_slot(76, LEN_25), 1, "76 mod 25 = 1");
	for (i = 1000; i < 1000 + LEN_51; i++)
		if (seen[xenpv_evring_slot(i, LEN_51)]++)
			dup = 1;
	UNIT_CHECK(!dup, "51 consecutive indices use 51 distinct slots");
	/*
	 * Property of the ABI itself (XENFB/XENKBD *_RING_REF use % on the
	 * u32 index): at the 2^32 wrap the slot sequence jumps, since 2^32
	 * is no multiple of 51.  Both ends compute it the same way.
	 */
	UNIT_CHECK_EQ(xenpv_evring_slot(UINT32_MAX, LEN_51), UINT32_MAX % 51,
		      "slot of the last index is plain modulo");
	UNIT_CHECK_EQ(xenpv_evring_slot(0, LEN_51), 0,
		      "after the wrap the slot restarts at 0");
}

int main(void)
{
	test_lengths();
	test_used_free();
	test_wrap();
	test_sanity();
	test_slots();
	return unit_done();
}
