// SPDX-License-Identifier: GPL-2.0
/*
 * Pure helpers: CPUID scan, callback via encoding, BAR1 allocator, late EOI
 * storm delay, 2-level pending bit search.
 *
 * Copyright (C) 2026 The xenpv authors
 *
 * Nothing here touches kernel state, so the unit tests in selftests/unit/
 * build this file on the host (see pure.h).
 */
#include "pure.h"

u32 xenpv_cpuid_find_base(xenpv_cpuid_fn cpuid, u32 first, const u32 sig[3],
			  u32 min_extra)
{
	u32 base, regs[4];

	for (base = first; base <= XENPV_CPUID_SCAN_LAST;
	     base += XENPV_CPUID_SCAN_STEP) {
		cpuid(base, regs);
		if (regs[1] != sig[0] || regs[2] != sig[1] || regs[3] != sig[2])
			continue;
		/* eax is the largest leaf of this hypervisor's range. */
		if (regs[0] < base || regs[0] - base < min_extra)
			continue;
		return base;
	}
	return 0;
}

u64 xenpv_callback_via(unsigned int irq, unsigned int pci_domain,
		       unsigned int bus, unsigned int devfn, unsigned int pin)
{
	/*
	 * Legacy IRQs are identity-mapped to GSIs on x86.  GSI 0 would read as
	 * "delivery off", so IRQ 0 (which callers reject as "no line routed")
	 * is never encoded as a GSI.
	 */
	if (irq > 0 && irq < 16)
		return (u64)irq;

	if (pin < 1 || pin > 4 || pci_domain > 0xffff || bus > 0xff ||
	    devfn > 0xff)
		return 0;

	return (1ull << XENPV_CALLBACK_VIA_TYPE_SHIFT) |
	       ((u64)pci_domain << 32) | ((u64)bus << 16) |
	       ((u64)devfn << 8) | (u64)(pin - 1);
}

void xenpv_bar_alloc_init(struct xenpv_bar_alloc *a, u64 base, u64 len,
			  unsigned int page_shift)
{
	u64 page = 1ull << page_shift;

	a->page_shift = page_shift;
	a->end = base + len;
	a->start = (base + page - 1) & ~(page - 1);
	if (a->start > a->end || a->end < base)
		a->start = a->end;
	a->next = a->start;
}

u64 xenpv_bar_alloc_avail(const struct xenpv_bar_alloc *a)
{
	return (a->end - a->next) >> a->page_shift;
}

int xenpv_bar_alloc_pages(struct xenpv_bar_alloc *a, u64 nr, u64 *addr)
{
	if (!nr)
		return -EINVAL;
	if (nr > xenpv_bar_alloc_avail(a))
		return -ENOSPC;
	*addr = a->next;
	a->next += nr << a->page_shift;
	return 0;
}

unsigned long xenpv_eoi_delay(unsigned int run, unsigned long max)
{
	unsigned int shift;
	unsigned long delay;

	if (run <= XENPV_SPURIOUS_FREE_RUN)
		return 0;
	shift = run - XENPV_SPURIOUS_FREE_RUN - 1;
	if (shift >= 8 * sizeof(unsigned long) - 1)
		return max;
	delay = 1ul << shift;
	return delay < max ? delay : max;
}

int xenpv_2l_next_port(unsigned long *words, unsigned int nwords,
		       unsigned int start)
{
	unsigned int total = nwords * XENPV_2L_BITS_PER_WORD;
	unsigned int w, b, i;

	if (!nwords)
		return -1;
	if (start >= total)
		start = 0;
	w = start / XENPV_2L_BITS_PER_WORD;
	b = start % XENPV_2L_BITS_PER_WORD;

	/*
	 * Visit the start word's bits at or after @b, every other word, then
	 * the start word's bits before @b.
	 */
	for (i = 0; i <= nwords; i++) {
		unsigned long m = words[w];
		unsigned int bit;

		if (i == 0)
			m &= ~0ul << b;
		else if (i == nwords)
			m &= b ? ~(~0ul << b) : 0;
		if (m) {
			bit = (unsigned int)__builtin_ctzl(m);
			words[w] &= ~(1ul << bit);
			return (int)(w * XENPV_2L_BITS_PER_WORD + bit);
		}
		w = (w + 1) % nwords;
	}
	return -1;
}

notrace u64 xenpv_pvclock_ns(u64 tsc, u64 tsc_timestamp, u64 system_time,
			     u32 mul, int shift)
{
	u64 delta = tsc - tsc_timestamp;

	if ((int64_t)delta <= 0)
		return system_time;
	if (shift < 0)
		delta = shift <= -64 ? 0 : delta >> -shift;
	else
		delta = shift >= 64 ? 0 : delta << shift;
	/* (delta * mul) >> 32 without a 128-bit product. */
	return system_time + (delta >> 32) * mul +
	       (((delta & 0xffffffffu) * mul) >> 32);
}
