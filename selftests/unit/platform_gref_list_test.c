// SPDX-License-Identifier: GPL-2.0
/*
 * Host unit tests for the grant reference free list (platform/gref_list.c).
 *
 * Copyright (C) 2026 The xenpv authors
 *
 * Build and run on the build host (one translation unit):
 *
 *   cc -Wall -Wextra -O2 -o platform_gref_list_test \
 *      selftests/unit/platform_gref_list_test.c
 *   ./platform_gref_list_test
 *
 * Output is TAP; the exit status is 0 when every check passed.
 */
#define XENPV_HOST_TEST 1

#include <stdio.h>
#include <stdlib.h>

#include "../../platform/gref_list.c"

#include "unit.h"

#define CAP 64
#define FIRST 8		/* GNTTAB_NR_RESERVED_ENTRIES */

static u32 next_arr[CAP];

/* Walk the free chain: count, and check every member is free and >= first. */
static u32 free_chain_len(const struct xenpv_gref_list *l)
{
	u32 ref, n = 0;

	for (ref = l->head; ref != XENPV_GREF_END; ref = l->next[ref]) {
		if (ref < l->first || ref >= l->limit || ++n > CAP)
			return 0xffffffff;
	}
	return n;
}

static void test_basic(void)
{
	struct xenpv_gref_list l;
	u32 ref, i;
	int seen[CAP] = { 0 };

	xenpv_gref_init(&l, next_arr, CAP, FIRST);
	CHECK(l.nr_free == 0 && l.head == XENPV_GREF_END);
	CHECK(xenpv_gref_get(&l) == XENPV_GREF_END);

	CHECK(xenpv_gref_grow(&l, 32, NULL, NULL) == 32 - FIRST);
	CHECK(l.nr_free == 32 - FIRST && free_chain_len(&l) == 32 - FIRST);

	/* low references first, never a reserved one */
	CHECK(xenpv_gref_get(&l) == FIRST);
	for (i = FIRST + 1; i < 32; i++) {
		ref = xenpv_gref_get(&l);
		if (ref >= FIRST && ref < 32)
			seen[ref]++;
	}
	for (i = FIRST + 1; i < 32; i++)
		if (seen[i] != 1)
			break;
	CHECK(i == 32);
	CHECK(xenpv_gref_get(&l) == XENPV_GREF_END && l.nr_free == 0);

	/* put back, double put refused */
	CHECK(xenpv_gref_put(&l, 20) == 0 && l.nr_free == 1);
	CHECK(xenpv_gref_put(&l, 20) == -EINVAL && l.nr_free == 1);
	/* reserved and out-of-range references refused */
	CHECK(xenpv_gref_put(&l, 1) == -EINVAL);
	CHECK(xenpv_gref_put(&l, CAP) == -EINVAL);
	CHECK(xenpv_gref_get(&l) == 20);
}

static bool busy_odd(u32 ref, void *arg)
{
	(void)arg;
	return ref & 1;
}

static void test_grow_busy(void)
{
	struct xenpv_gref_list l;
	u32 ref, n = 0;

	xenpv_gref_init(&l, next_arr, CAP, FIRST);
	/* inherited busy entries (odd) stay out of the free list */
	CHECK(xenpv_gref_grow(&l, 16, busy_odd, NULL) == 4);
	while ((ref = xenpv_gref_get(&l)) != XENPV_GREF_END) {
		if (ref & 1)
			n = 100;
		n++;
	}
	CHECK(n == 4);
	/* a busy one can be returned later, once its grant is gone */
	CHECK(xenpv_gref_put(&l, 9) == 0 && l.nr_free == 1);

	/* growth is clamped to the capacity; no growth is a no-op */
	CHECK(xenpv_gref_grow(&l, CAP * 2, NULL, NULL) == CAP - 16);
	CHECK(l.limit == CAP);
	CHECK(xenpv_gref_grow(&l, 8, NULL, NULL) == 0);
}

static void test_chains(void)
{
	struct xenpv_gref_list l;
	u32 head = XENPV_GREF_END, head2, ref, a, b, c;

	xenpv_gref_init(&l, next_arr, CAP, FIRST);
	xenpv_gref_grow(&l, 16, NULL, NULL);	/* 8 free */

	CHECK(xenpv_gref_get_chain(&l, 0, &head) == -EINVAL);
	CHECK(xenpv_gref_get_chain(&l, 9, &head) == -ENOSPC && l.nr_free == 8);
	CHECK(xenpv_gref_get_chain(&l, 3, &head) == 0 && l.nr_free == 5);
	CHECK(free_chain_len(&l) == 5);

	a = xenpv_gref_chain_claim(&l, &head);
	b = xenpv_gref_chain_claim(&l, &head);
	c = xenpv_gref_chain_claim(&l, &head);
	CHECK(a == 8 && b == 9 && c == 10);
	CHECK(xenpv_gref_chain_claim(&l, &head) == XENPV_GREF_END);

	/* release onto the private chain, then return the chain */
	CHECK(xenpv_gref_chain_release(&l, &head, b) == 0);
	CHECK(xenpv_gref_chain_release(&l, &head, b) == -EINVAL);
	CHECK(xenpv_gref_chain_release(&l, &head, a) == 0);
	CHECK(xenpv_gref_put_chain(&l, head) == 0 && l.nr_free == 7);
	CHECK(free_chain_len(&l) == 7);
	/* c was claimed alone: it is used and comes back by itself */
	CHECK(xenpv_gref_put(&l, c) == 0 && l.nr_free == 8);

	/* an empty chain is fine */
	CHECK(xenpv_gref_put_chain(&l, XENPV_GREF_END) == 0);

	/* a chain with a used member is refused whole */
	CHECK(xenpv_gref_get_chain(&l, 2, &head2) == 0);
	ref = xenpv_gref_get(&l);
	l.next[l.next[head2]] = ref;	/* splice a used ref onto the tail */
	CHECK(xenpv_gref_put_chain(&l, head2) == -EINVAL);
	CHECK(l.nr_free == 5);
	l.next[l.next[head2]] = XENPV_GREF_END;
	CHECK(xenpv_gref_put_chain(&l, head2) == 0 && l.nr_free == 7);

	/* a looping chain is refused */
	CHECK(xenpv_gref_get_chain(&l, 2, &head2) == 0);
	l.next[l.next[head2]] = head2;
	CHECK(xenpv_gref_put_chain(&l, head2) == -EINVAL);
}

static void test_shrink(void)
{
	struct xenpv_gref_list l;
	u32 r_low, r_high, ref, head;

	xenpv_gref_init(&l, next_arr, CAP, FIRST);
	xenpv_gref_grow(&l, 48, NULL, NULL);
	r_low = xenpv_gref_get(&l);		/* 8 */
	/* take everything below 40, then hold one above it */
	while ((ref = xenpv_gref_get(&l)) < 40)
		;
	r_high = ref;				/* 40 */
	CHECK(r_low == 8 && r_high == 40);
	CHECK(l.nr_free == 7);
	CHECK(xenpv_gref_get_chain(&l, 2, &head) == 0);	/* 41, 42 */

	/* the table shrinks to 32 references */
	CHECK(xenpv_gref_shrink(&l, 32) == 5);
	CHECK(l.limit == 32 && l.nr_free == 0 && free_chain_len(&l) == 0);
	/* a used one above the limit becomes absent when it comes back */
	CHECK(xenpv_gref_put(&l, r_high) == 0 && l.nr_free == 0);
	CHECK(l.next[r_high] == XENPV_GREF_ABSENT);
	CHECK(xenpv_gref_put(&l, r_high) == -EINVAL);
	CHECK(xenpv_gref_put_chain(&l, head) == 0 && l.nr_free == 0);
	/* below the limit behaves as before */
	CHECK(xenpv_gref_put(&l, r_low) == 0 && l.nr_free == 1);

	/*
	 * Growing again brings back the absent ones (40..47), not 32..39
	 * which were handed out before the shrink and never returned.
	 */
	ref = xenpv_gref_get(&l);
	CHECK(ref == r_low);
	CHECK(xenpv_gref_grow(&l, 48, NULL, NULL) == 8);
	CHECK(free_chain_len(&l) == 8);
	CHECK(xenpv_gref_get(&l) == 40);
	CHECK(xenpv_gref_put(&l, 35) == 0 && l.nr_free == 8);

	/* shrink below first is clamped */
	CHECK(xenpv_gref_shrink(&l, 0) == 8 && l.limit == FIRST);
}

int main(void)
{
	test_basic();
	test_grow_busy();
	test_chains();
	test_shrink();
	return unit_done();
}
