// SPDX-License-Identifier: GPL-2.0
/*
 * 5.11 API change: kmap_local_page()/kunmap_local(), thread-local
 * mappings that replace kmap_atomic().
 */
#include <linux/highmem.h>

static void __maybe_unused xenpv_probe(struct page *page)
{
	void *p = kmap_local_page(page);

	kunmap_local(p);
}
