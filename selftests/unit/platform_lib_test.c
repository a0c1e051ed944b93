// SPDX-License-Identifier: GPL-2.0
/*
 * Host unit tests for the platform's pure helpers (platform/lib.c): CPUID
 * scan, callback via encoding, BAR1 allocator, late EOI storm delay and the
 * 2-level round-robin port search.
 *
 * Copyright (C) 2026 The xenpv authors
 *
 * Build and run on the build host (one translation unit):
 *
 *   cc -Wall -Wextra -O2 -o platform_lib_test \
 *      selftests/unit/platform_lib_test.c
 *   ./platform_lib_test
 *
 * Output is TAP; the exit status is 0 when every check passed.
 */
#define XENPV_HOST_TEST 1

#include <stdio.h>
#include <stdlib.h>

#include "../../platform/lib.c"

#include "unit.h"

/* ---- CPUID ---------------------------------------------------------------- */

#define FAKE_LEAVES 8
static struct {
	u32 base;
	u32 regs[4];
} fake_cpuid[FAKE_LEAVES];
static int fake_nr, fake_calls;

static void sig_regs(const char *sig12, u32 regs[4])
{
	memcpy(&regs[1], sig12, 4);
	memcpy(&regs[2], sig12 + 4, 4);
	memcpy(&regs[3], sig12 + 8, 4);
}

static void fake_add(u32 base, const char *sig12, u32 max_leaf)
{
	fake_cpuid[fake_nr].base = base;
	fake_cpuid[fake_nr].regs[0] = max_leaf;
	sig_regs(sig12, fake_cpuid[fake_nr].regs);
	fake_nr++;
}

static void fake_fn(u32 leaf, u32 regs[4])
{
	int i;

	fake_calls++;
	for (i = 0; i < fake_nr; i++) {
		if (fake_cpuid[i].base == leaf) {
			memcpy(regs, fake_cpuid[i].regs, 4 * sizeof(u32));
			return;
		}
	}
	memset(regs, 0, 4 * sizeof(u32));
}

static void test_cpuid(void)
{
	u32 xen_sig[4];

	sig_regs("XenVMMXenVMM", xen_sig);

	fake_nr = 0;
	CHECK(xenpv_cpuid_find_base(fake_fn, 0x40000000, &xen_sig[1], 2) == 0);

	fake_nr = 0;
	fake_add(0x40000000, "XenVMMXenVMM", 0x40000005);
	CHECK(xenpv_cpuid_find_base(fake_fn, 0x40000000, &xen_sig[1], 2) ==
	      0x40000000);

	/* Viridian first, Xen moved up by 0x100 */
	fake_nr = 0;
	fake_add(0x40000000, "Microsoft Hv", 0x40000006);
	fake_add(0x40000100, "XenVMMXenVMM", 0x40000105);
	CHECK(xenpv_cpuid_find_base(fake_fn, 0x40000000, &xen_sig[1], 2) ==
	      0x40000100);

	/* too few leaves: skipped, a later complete range is found */
	fake_nr = 0;
	fake_add(0x40000000, "XenVMMXenVMM", 0x40000001);
	fake_add(0x40000300, "XenVMMXenVMM", 0x40000302);
	CHECK(xenpv_cpuid_find_base(fake_fn, 0x40000000, &xen_sig[1], 2) ==
	      0x40000300);

	/* eax below the base must not wrap into a huge count */
	fake_nr = 0;
	fake_add(0x40000200, "XenVMMXenVMM", 0x00000010);
	CHECK(xenpv_cpuid_find_base(fake_fn, 0x40000000, &xen_sig[1], 2) == 0);

	/* the last base scanned is 0x4000ff00, and the scan stops there */
	fake_nr = 0;
	fake_calls = 0;
	fake_add(0x4000ff00, "XenVMMXenVMM", 0x4000ff04);
	CHECK(xenpv_cpuid_find_base(fake_fn, 0x40000000, &xen_sig[1], 2) ==
	      0x4000ff00);
	CHECK(fake_calls == 256);
	fake_nr = 0;
	fake_calls = 0;
	fake_add(0x40010000, "XenVMMXenVMM", 0x40010004);
	CHECK(xenpv_cpuid_find_base(fake_fn, 0x40000000, &xen_sig[1], 2) == 0);
	CHECK(fake_calls == 256);

	/* a near miss of the signature */
	fake_nr = 0;
	fake_add(0x40000000, "XenVMMXenVMm", 0x40000005);
	CHECK(xenpv_cpuid_find_base(fake_fn, 0x40000000, &xen_sig[1], 2) == 0);
}

/* ---- callback via ----------------------------------------------------------- */

static void test_callback_via(void)
{
	/* legacy IRQ: GSI type (type 0) carrying the IRQ */
	CHECK(xenpv_callback_via(11, 0, 0, 0x18, 1) == 11);
	CHECK(xenpv_callback_via(15, 0, 0, 0x18, 1) == 15);
	/* IRQ 0 never is GSI 0 ("off"): PCI INTx instead */
	CHECK(xenpv_callback_via(0, 0, 0, 0x18, 1) ==
	      ((1ull << 56) | (0x18ull << 8)));
	/* IRQ >= 16: PCI INTx, pin - 1 in bits 1:0 */
	CHECK(xenpv_callback_via(28, 0, 0, 0x18, 1) ==
	      ((1ull << 56) | (0x18ull << 8) | 0));
	CHECK(xenpv_callback_via(28, 0x12, 0x3, 0x10, 4) ==
	      ((1ull << 56) | (0x12ull << 32) | (0x3ull << 16) |
	       (0x10ull << 8) | 3));
	/* no pin, or out-of-range fields: nothing encodable */
	CHECK(xenpv_callback_via(28, 0, 0, 0x18, 0) == 0);
	CHECK(xenpv_callback_via(28, 0, 0, 0x18, 5) == 0);
	CHECK(xenpv_callback_via(28, 0x10000, 0, 0x18, 1) == 0);
	CHECK(xenpv_callback_via(28, 0, 0x100, 0x18, 1) == 0);
}

/* ---- BAR allocator ------------------------------------------------------------ */

static void test_bar_alloc(void)
{
	struct xenpv_bar_alloc a;
	u64 addr = 0;

	xenpv_bar_alloc_init(&a, 0xf0000000ull, 16ull << 20, 12);
	CHECK(xenpv_bar_alloc_avail(&a) == 4096);
	CHECK(xenpv_bar_alloc_pages(&a, 1, &addr) == 0 && addr == 0xf0000000ull);
	CHECK(xenpv_bar_alloc_pages(&a, 64, &addr) == 0 &&
	      addr == 0xf0001000ull);
	CHECK(xenpv_bar_alloc_avail(&a) == 4096 - 65);
	CHECK(xenpv_bar_alloc_pages(&a, 4096, &addr) == -ENOSPC);
	CHECK(xenpv_bar_alloc_avail(&a) == 4096 - 65);	/* nothing taken */
	CHECK(xenpv_bar_alloc_pages(&a, 4096 - 65, &addr) == 0 &&
	      addr == 0xf0041000ull);
	CHECK(xenpv_bar_alloc_avail(&a) == 0);
	CHECK(xenpv_bar_alloc_pages(&a, 1, &addr) == -ENOSPC);
	CHECK(xenpv_bar_alloc_pages(&a, 0, &addr) == -EINVAL);

	/* unaligned base: starts at the next page */
	xenpv_bar_alloc_init(&a, 0xf0000800ull, 0x3000, 12);
	CHECK(xenpv_bar_alloc_avail(&a) == 2);
	CHECK(xenpv_bar_alloc_pages(&a, 2, &addr) == 0 && addr == 0xf0001000ull);

	/* smaller than a page after alignment */
	xenpv_bar_alloc_init(&a, 0xf0000800ull, 0x700, 12);
	CHECK(xenpv_bar_alloc_avail(&a) == 0);

	/* a huge request does not overflow the shift */
	xenpv_bar_alloc_init(&a, 0, 1ull << 40, 12);
	CHECK(xenpv_bar_alloc_pages(&a, ~0ull, &addr) == -ENOSPC);
}

/* ---- EOI delay ------------------------------------------------------------------ */

static void test_eoi_delay(void)
{
	CHECK(xenpv_eoi_delay(0, 10) == 0);
	CHECK(xenpv_eoi_delay(XENPV_SPURIOUS_FREE_RUN, 10) == 0);
	CHECK(xenpv_eoi_delay(XENPV_SPURIOUS_FREE_RUN + 1, 10) == 1);
	CHECK(xenpv_eoi_delay(XENPV_SPURIOUS_FREE_RUN + 2, 10) == 2);
	CHECK(xenpv_eoi_delay(XENPV_SPURIOUS_FREE_RUN + 4, 10) == 8);
	CHECK(xenpv_eoi_delay(XENPV_SPURIOUS_FREE_RUN + 5, 10) == 10);
	CHECK(xenpv_eoi_delay(1000, 10) == 10);
	CHECK(xenpv_eoi_delay(~0u, 10) == 10);
}

/* ---- PV clock --------------------------------------------------------------- */

/* The formula of xen.h's vcpu_time_info comment, with a 128-bit product. */
static u64 pvclock_ref(u64 tsc, u64 stamp, u64 sys, u32 mul, int shift)
{
	u64 d = tsc - stamp;

	if ((int64_t)d <= 0)
		return sys;
	d = shift < 0 ? d >> -shift : d << shift;
	return sys + (u64)(((unsigned __int128)d * mul) >> 32);
}

static void test_pvclock(void)
{
	/* 2.6 GHz: one second of ticks, shift -1, mul = 2^33 / 2.6. */
	u32 mul = (u32)((1ull << 33) * 10 / 26);
	u64 ns, x = 88172645463325252ull;
	int i;

	CHECK(xenpv_pvclock_ns(1000, 0, 0, 1u << 31, 0) == 500);
	CHECK(xenpv_pvclock_ns(1000, 0, 0, 1u << 31, -1) == 250);
	CHECK(xenpv_pvclock_ns(1000, 0, 0, 1u << 31, 1) == 1000);
	CHECK(xenpv_pvclock_ns(5000, 4000, 77, 1u << 31, 0) == 577);
	ns = xenpv_pvclock_ns(2600000000ull + 5, 5, 1000, mul, -1);
	CHECK(ns >= 1000 + 999999999ull && ns <= 1000 + 1000000000ull);

	/* TSC behind the record's stamp: no ticks, never backwards. */
	CHECK(xenpv_pvclock_ns(100, 200, 5555, mul, -1) == 5555);
	CHECK(xenpv_pvclock_ns(200, 200, 5555, mul, -1) == 5555);
	/* Shifts out of range give no ticks instead of undefined shifts. */
	CHECK(xenpv_pvclock_ns(1ull << 40, 0, 9, ~0u, -64) == 9);
	CHECK(xenpv_pvclock_ns(1ull << 40, 0, 9, ~0u, 64) == 9);

	/* Against the 128-bit reference over pseudo-random inputs. */
	for (i = 0; i < 20000; i++) {
		u64 stamp, tsc, sys;
		u32 m;
		int sh;

		x ^= x << 13; x ^= x >> 7; x ^= x << 17;
		stamp = x >> 2;
		tsc = stamp + (x >> (i % 40 + 20));
		sys = x >> 20;
		m = (u32)x | 0x80000000u;
		sh = (int)(x % 8) - 4;
		if (xenpv_pvclock_ns(tsc, stamp, sys, m, sh) !=
		    pvclock_ref(tsc, stamp, sys, m, sh)) {
			CHECK(!"pvclock matches the 128-bit reference");
			break;
		}
	}
	CHECK(i == 20000);
}

/* ---- 2-level search ----------------------------------------------------------- */

#define B (8 * sizeof(unsigned long))

static void test_2l_next(void)
{
	unsigned long w[4];
	int order[8], n, p;

	memset(w, 0, sizeof(w));
	CHECK(xenpv_2l_next_port(w, 4, 0) == -1);
	CHECK(xenpv_2l_next_port(w, 0, 0) == -1);

	/* from 0: ascending order, each bit once, cleared */
	w[0] = 1ul << 3 | 1ul << 5;
	w[2] = 1ul;
	w[3] = 1ul << (B - 1);
	n = 0;
	while ((p = xenpv_2l_next_port(w, 4, 0)) >= 0 && n < 8)
		order[n++] = p;
	CHECK(n == 4);
	CHECK(order[0] == 3 && order[1] == 5 && order[2] == (int)(2 * B) &&
	      order[3] == (int)(4 * B - 1));
	CHECK(!w[0] && !w[1] && !w[2] && !w[3]);

	/* round robin: start after the last port served, wrap around once */
	w[0] = 1ul << 3 | 1ul << 5;
	w[2] = 1ul;
	CHECK(xenpv_2l_next_port(w, 4, 4) == 5);
	CHECK(xenpv_2l_next_port(w, 4, 6) == (int)(2 * B));
	CHECK(xenpv_2l_next_port(w, 4, 2 * B + 1) == 3);
	CHECK(xenpv_2l_next_port(w, 4, 2 * B + 1) == -1);

	/* start inside a word: bits below start in that word come last */
	w[1] = 1ul << 1 | 1ul << 9;
	CHECK(xenpv_2l_next_port(w, 4, B + 5) == (int)(B + 9));
	CHECK(xenpv_2l_next_port(w, 4, B + 5) == (int)(B + 1));
	CHECK(!w[1]);

	/* start beyond the end: from 0 */
	w[0] = 1ul << 7;
	CHECK(xenpv_2l_next_port(w, 4, 4 * B) == 7);

	/* a single word, start at its last bit */
	w[0] = 1ul | 1ul << (B - 1);
	CHECK(xenpv_2l_next_port(w, 1, B - 1) == (int)(B - 1));
	CHECK(xenpv_2l_next_port(w, 1, B - 1) == 0);
	CHECK(xenpv_2l_next_port(w, 1, B - 1) == -1);
}

int main(void)
{
	test_cpuid();
	test_callback_via();
	test_bar_alloc();
	test_eoi_delay();
	test_pvclock();
	test_2l_next();
	return unit_done();
}
