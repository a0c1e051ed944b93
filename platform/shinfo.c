// SPDX-License-Identifier: GPL-2.0
/*
 * shared_info placement, HVM parameters and the event callback parameter.
 *
 * Copyright (C) 2026 The xenpv authors
 *
 * shared_info lives in the first page we carve from the platform device's
 * BAR1: XENMEM_add_to_physmap(XENMAPSPACE_shared_info) makes that guest
 * frame show Xen's shared_info page, which we memremap() write-back.  The
 * page is chosen once per load and mapped again, at the same frame, after
 * a resume in a new domain.
 *
 * Layout latching: Xen decides whether shared_info/vcpu_info use the 32- or
 * 64-bit layout from the guest's execution mode at two points: when the
 * hypercall page MSR is written and when HVM_PARAM_CALLBACK_IRQ is set
 * (hvm_latch_shinfo_size() in Xen's hvm.c, called from both; XSA-466
 * discussion on xen-devel).  hvmloader runs 32-bit and may latch 32-bit.
 * We never write the MSR (no hypercall page at all: it would make Xen write
 * code into a guest page we would then have to keep forever; Linux itself
 * stopped writing it for HVM with the XSA-466 fixes).  Instead we set
 * HVM_PARAM_CALLBACK_IRQ to 0 from 64-bit code before touching any field
 * of shared_info: that latches the 64-bit layout and is otherwise a no-op
 * (0 means "no upcall", our state until the platform IRQ handler exists).
 * Setting the real callback later latches again, as does the resume path.
 */
#include <linux/io.h>
#include <linux/kernel.h>
#include <xen/interface/xen.h>
#include <xen/interface/memory.h>
#include <xen/interface/hvm/hvm_op.h>
#include <xen/interface/hvm/params.h>

#include "platform.h"
#include "hypercall.h"

int xenpv_hvm_set_param(u32 index, u64 value)
{
	struct xen_hvm_param p = {
		.domid = DOMID_SELF,
		.index = index,
		.value = value,
	};

	return xenpv_hc_hvm_op(HVMOP_set_param, &p);
}

int xenpv_native_hvm_get_param(u32 index, u64 *value)
{
	struct xen_hvm_param p = {
		.domid = DOMID_SELF,
		.index = index,
	};
	int ret;

	ret = xenpv_hc_hvm_op(HVMOP_get_param, &p);
	if (!ret)
		*value = p.value;
	return ret;
}

int xenpv_set_callback_via(u64 via)
{
	return xenpv_hvm_set_param(HVM_PARAM_CALLBACK_IRQ, via);
}

/* Add Xen's shared_info page at our BAR1 frame (probe and resume). */
int xenpv_shinfo_remap(void)
{
	struct xen_add_to_physmap xatp = {
		.domid = DOMID_SELF,
		.space = XENMAPSPACE_shared_info,
		.idx = 0,
		.gpfn = xenpv_plat.shinfo_addr >> XENPV_XEN_PAGE_SHIFT,
	};

	return xenpv_hc_memory_op(XENMEM_add_to_physmap, &xatp);
}

int xenpv_shinfo_map(void)
{
	struct xenpv_platform *p = &xenpv_plat;
	struct device *dev = &p->pdev->dev;
	u64 addr;
	int ret;

	BUILD_BUG_ON(PAGE_SHIFT != XENPV_XEN_PAGE_SHIFT);
	BUILD_BUG_ON(sizeof(struct shared_info) > PAGE_SIZE);

	ret = xenpv_bar_alloc_pages(&p->bar, 1, &addr);
	if (ret) {
		dev_err(dev, "BAR1 has no room for shared_info\n");
		return ret;
	}
	p->shinfo_addr = addr;

	ret = xenpv_shinfo_remap();
	if (ret) {
		dev_err(dev, "XENMEM_add_to_physmap(shared_info) failed: %d\n",
			ret);
		return -EIO;
	}

	/* Latch the 64-bit layout before any field is read or written. */
	ret = xenpv_set_callback_via(0);
	if (ret) {
		dev_err(dev, "HVM_PARAM_CALLBACK_IRQ (latch) failed: %d\n", ret);
		return -EIO;
	}

	p->shinfo = memremap(addr, PAGE_SIZE, MEMREMAP_WB);
	if (!p->shinfo) {
		dev_err(dev, "cannot map shared_info at %#llx\n", addr);
		return -ENOMEM;
	}
	return 0;
}

void xenpv_shinfo_unmap(void)
{
	/*
	 * The frame keeps showing shared_info until the next load maps it at
	 * the same place again; nothing else uses that part of BAR1.
	 */
	if (xenpv_plat.shinfo) {
		memunmap(xenpv_plat.shinfo);
		xenpv_plat.shinfo = NULL;
	}
}

void xenpv_format_callback_via(u64 via, char *buf, size_t len)
{
	unsigned int type = via >> XENPV_CALLBACK_VIA_TYPE_SHIFT;
	u64 val = via & ((1ull << XENPV_CALLBACK_VIA_TYPE_SHIFT) - 1);

	if (!via) {
		snprintf(buf, len, "none");
		return;
	}
	switch (type) {
	case HVM_PARAM_CALLBACK_TYPE_GSI:
		snprintf(buf, len, "GSI %llu", val);
		break;
	case HVM_PARAM_CALLBACK_TYPE_PCI_INTX:
		snprintf(buf, len, "PCI INTx %04llx:%02llx:%02llx.%llx INT%c",
			 (val >> 32) & 0xffff, (val >> 16) & 0xff,
			 (val >> 11) & 0x1f, (val >> 8) & 0x7,
			 (int)('A' + (val & 3)));
		break;
	case HVM_PARAM_CALLBACK_TYPE_VECTOR:
		snprintf(buf, len, "vector %llu", val & 0xff);
		break;
	default:
		snprintf(buf, len, "type %u value %#llx", type, val);
		break;
	}
}
