// SPDX-License-Identifier: GPL-2.0
/*
 * The exported xenpv platform API, and the provider registry for pvops mode.
 *
 * Copyright (C) 2026 The xenpv authors
 *
 * Every exported function runs our own implementation in native mode.  In
 * pvops mode it forwards to the tables xenpv_pvops registered, inside an
 * SRCU read section, so that xenpv_unregister_provider() returns only when
 * no call into the provider is running any more; before registration (or
 * after it is gone) calls fail with -ENODEV or do nothing.  SRCU readers may
 * sleep and may run in interrupt context, which covers every call here.
 */
#include <linux/export.h>
#include <linux/kernel.h>
#include <linux/mm.h>
#include <linux/mutex.h>
#include <linux/srcu.h>
#include <xenpv_compat_srcu.h>

#include "platform.h"

XENPV_DEFINE_STATIC_SRCU(xenpv_provider_srcu);
static DEFINE_MUTEX(xenpv_provider_mutex);
static const struct xenpv_platform_ops __rcu *xenpv_pops;
static const struct xenpv_bus_ops __rcu *xenpv_bops;

/* ---- registry ------------------------------------------------------------ */

int xenpv_register_provider(const struct xenpv_platform_ops *pops,
			    const struct xenpv_bus_ops *bops)
{
	int ret = 0;

	if (xenpv_plat.mode != XENPV_MODE_PVOPS) {
		pr_err("a provider can only register in pvops mode (mode is %s)\n",
		       xenpv_mode_name(xenpv_plat.mode));
		return -EINVAL;
	}
	if (!pops || !bops)
		return -EINVAL;

	mutex_lock(&xenpv_provider_mutex);
	if (rcu_access_pointer(xenpv_pops)) {
		ret = -EBUSY;
		goto out_unlock;
	}
	rcu_assign_pointer(xenpv_bops, bops);
	rcu_assign_pointer(xenpv_pops, pops);
	pr_info("pvops provider registered\n");
out_unlock:
	mutex_unlock(&xenpv_provider_mutex);
	return ret;
}
EXPORT_SYMBOL_GPL(xenpv_register_provider);

void xenpv_unregister_provider(const struct xenpv_platform_ops *pops)
{
	mutex_lock(&xenpv_provider_mutex);
	if (!pops || rcu_access_pointer(xenpv_pops) != pops) {
		mutex_unlock(&xenpv_provider_mutex);
		WARN_ONCE(1, "xenpv: unregistering a provider that is not registered\n");
		return;
	}
	RCU_INIT_POINTER(xenpv_pops, NULL);
	RCU_INIT_POINTER(xenpv_bops, NULL);
	mutex_unlock(&xenpv_provider_mutex);
	/* Wait for calls still running in the provider's code. */
	synchronize_srcu(&xenpv_provider_srcu);
	pr_info("pvops provider unregistered\n");
}
EXPORT_SYMBOL_GPL(xenpv_unregister_provider);

const struct xenpv_bus_ops *xenpv_bus_provider(void)
{
	/*
	 * A plain snapshot: xenpv_xenbus must keep the provider module loaded
	 * while it uses the table (the module owning it stays pinned).
	 */
	if (xenpv_plat.mode != XENPV_MODE_PVOPS)
		return NULL;
	return rcu_access_pointer(xenpv_bops);
}
EXPORT_SYMBOL_GPL(xenpv_bus_provider);

void xenpv_provider_exit(void)
{
	mutex_lock(&xenpv_provider_mutex);
	RCU_INIT_POINTER(xenpv_pops, NULL);
	RCU_INIT_POINTER(xenpv_bops, NULL);
	mutex_unlock(&xenpv_provider_mutex);
	synchronize_srcu(&xenpv_provider_srcu);
}

/*
 * pvops forwarding: enter the SRCU section, fetch the table, call @member
 * if the provider implements it.  Spelled out per function below.
 */
static const struct xenpv_platform_ops *xenpv_pops_get(int *idx)
	__acquires(&xenpv_provider_srcu)
{
	*idx = srcu_read_lock(&xenpv_provider_srcu);
	return srcu_dereference(xenpv_pops, &xenpv_provider_srcu);
}

static void xenpv_pops_put(int idx)
	__releases(&xenpv_provider_srcu)
{
	srcu_read_unlock(&xenpv_provider_srcu, idx);
}

/* ---- platform -------------------------------------------------------------- */

enum xenpv_mode xenpv_mode(void)
{
	return xenpv_plat.mode;
}
EXPORT_SYMBOL_GPL(xenpv_mode);

const char *xenpv_mode_name(enum xenpv_mode mode)
{
	switch (mode) {
	case XENPV_MODE_NONE:
		return "none";
	case XENPV_MODE_NATIVE:
		return "native";
	case XENPV_MODE_PVOPS:
		return "pvops";
	}
	return "unknown";
}
EXPORT_SYMBOL_GPL(xenpv_mode_name);

u32 xenpv_xen_version(void)
{
	return xenpv_plat.version;
}
EXPORT_SYMBOL_GPL(xenpv_xen_version);

bool xenpv_has_pv_disks(void)
{
	const struct xenpv_platform_ops *ops;
	bool ret = false;
	int idx;

	if (xenpv_is_native())
		return xenpv_plat.unplug.pv_disks;
	ops = xenpv_pops_get(&idx);
	if (ops && ops->has_pv_disks)
		ret = ops->has_pv_disks();
	xenpv_pops_put(idx);
	return ret;
}
EXPORT_SYMBOL_GPL(xenpv_has_pv_disks);

bool xenpv_has_pv_nics(void)
{
	const struct xenpv_platform_ops *ops;
	bool ret = false;
	int idx;

	if (xenpv_is_native())
		return xenpv_plat.unplug.pv_nics;
	ops = xenpv_pops_get(&idx);
	if (ops && ops->has_pv_nics)
		ret = ops->has_pv_nics();
	xenpv_pops_put(idx);
	return ret;
}
EXPORT_SYMBOL_GPL(xenpv_has_pv_nics);

bool xenpv_emulated_disks_present(void)
{
	const struct xenpv_platform_ops *ops;
	bool ret = true;
	int idx;

	if (xenpv_is_native())
		return xenpv_plat.unplug.emulated_disks;
	ops = xenpv_pops_get(&idx);
	if (ops && ops->emulated_disks_present)
		ret = ops->emulated_disks_present();
	xenpv_pops_put(idx);
	return ret;
}
EXPORT_SYMBOL_GPL(xenpv_emulated_disks_present);

int xenpv_hvm_get_param(u32 index, u64 *value)
{
	const struct xenpv_platform_ops *ops;
	int ret = -ENODEV;
	int idx;

	if (xenpv_is_native())
		return xenpv_native_hvm_get_param(index, value);
	ops = xenpv_pops_get(&idx);
	if (ops && ops->hvm_get_param)
		ret = ops->hvm_get_param(index, value);
	xenpv_pops_put(idx);
	return ret;
}
EXPORT_SYMBOL_GPL(xenpv_hvm_get_param);

int xenpv_platform_suspend(bool *cancelled)
{
	if (!xenpv_is_native())
		return -EOPNOTSUPP;
	return xenpv_native_platform_suspend(cancelled);
}
EXPORT_SYMBOL_GPL(xenpv_platform_suspend);

/* ---- event channels ---------------------------------------------------------- */

int xenpv_evtchn_alloc_unbound(domid_t remote_domid, evtchn_port_t *port)
{
	const struct xenpv_platform_ops *ops;
	int ret = -ENODEV;
	int idx;

	if (xenpv_is_native())
		return xenpv_native_evtchn_alloc_unbound(remote_domid, port);
	ops = xenpv_pops_get(&idx);
	if (ops && ops->evtchn_alloc_unbound)
		ret = ops->evtchn_alloc_unbound(remote_domid, port);
	xenpv_pops_put(idx);
	return ret;
}
EXPORT_SYMBOL_GPL(xenpv_evtchn_alloc_unbound);

int xenpv_evtchn_bind_interdomain(domid_t remote_domid,
				  evtchn_port_t remote_port,
				  evtchn_port_t *local_port)
{
	const struct xenpv_platform_ops *ops;
	int ret = -ENODEV;
	int idx;

	if (xenpv_is_native())
		return xenpv_native_evtchn_bind_interdomain(remote_domid,
							    remote_port,
							    local_port);
	ops = xenpv_pops_get(&idx);
	if (ops && ops->evtchn_bind_interdomain)
		ret = ops->evtchn_bind_interdomain(remote_domid, remote_port,
						   local_port);
	xenpv_pops_put(idx);
	return ret;
}
EXPORT_SYMBOL_GPL(xenpv_evtchn_bind_interdomain);

void xenpv_evtchn_close(evtchn_port_t port)
{
	const struct xenpv_platform_ops *ops;
	int idx;

	if (xenpv_is_native()) {
		xenpv_native_evtchn_close(port);
		return;
	}
	ops = xenpv_pops_get(&idx);
	if (ops && ops->evtchn_close)
		ops->evtchn_close(port);
	xenpv_pops_put(idx);
}
EXPORT_SYMBOL_GPL(xenpv_evtchn_close);

void xenpv_evtchn_notify(evtchn_port_t port)
{
	const struct xenpv_platform_ops *ops;
	int idx;

	if (xenpv_is_native()) {
		xenpv_native_evtchn_notify(port);
		return;
	}
	ops = xenpv_pops_get(&idx);
	if (ops && ops->evtchn_notify)
		ops->evtchn_notify(port);
	xenpv_pops_put(idx);
}
EXPORT_SYMBOL_GPL(xenpv_evtchn_notify);

int xenpv_evtchn_bind_irq(evtchn_port_t port, irq_handler_t handler,
			  unsigned long irqflags, const char *name,
			  void *dev_id, unsigned int flags)
{
	const struct xenpv_platform_ops *ops;
	int ret = -ENODEV;
	int idx;

	if (xenpv_is_native())
		return xenpv_native_evtchn_bind_irq(port, handler, irqflags,
						    name, dev_id, flags);
	ops = xenpv_pops_get(&idx);
	if (ops && ops->evtchn_bind_irq)
		ret = ops->evtchn_bind_irq(port, handler, irqflags, name,
					   dev_id, flags);
	xenpv_pops_put(idx);
	return ret;
}
EXPORT_SYMBOL_GPL(xenpv_evtchn_bind_irq);

void xenpv_evtchn_unbind_irq(int irq, void *dev_id)
{
	const struct xenpv_platform_ops *ops;
	int idx;

	if (xenpv_is_native()) {
		xenpv_native_evtchn_unbind_irq(irq, dev_id);
		return;
	}
	ops = xenpv_pops_get(&idx);
	if (ops && ops->evtchn_unbind_irq)
		ops->evtchn_unbind_irq(irq, dev_id);
	xenpv_pops_put(idx);
}
EXPORT_SYMBOL_GPL(xenpv_evtchn_unbind_irq);

evtchn_port_t xenpv_evtchn_from_irq(int irq)
{
	const struct xenpv_platform_ops *ops;
	evtchn_port_t ret = 0;
	int idx;

	if (xenpv_is_native())
		return xenpv_native_evtchn_from_irq(irq);
	ops = xenpv_pops_get(&idx);
	if (ops && ops->evtchn_from_irq)
		ret = ops->evtchn_from_irq(irq);
	xenpv_pops_put(idx);
	return ret;
}
EXPORT_SYMBOL_GPL(xenpv_evtchn_from_irq);

void xenpv_evtchn_lateeoi(int irq, unsigned int eoi_flags)
{
	const struct xenpv_platform_ops *ops;
	int idx;

	if (xenpv_is_native()) {
		xenpv_native_evtchn_lateeoi(irq, eoi_flags);
		return;
	}
	ops = xenpv_pops_get(&idx);
	if (ops && ops->evtchn_lateeoi)
		ops->evtchn_lateeoi(irq, eoi_flags);
	xenpv_pops_put(idx);
}
EXPORT_SYMBOL_GPL(xenpv_evtchn_lateeoi);

/* ---- grant tables ------------------------------------------------------------- */

/* Native: a pfn is a gfn for an HVM guest, and Xen pages are our pages. */
unsigned long xenpv_page_to_gfn(struct page *page)
{
	const struct xenpv_platform_ops *ops;
	unsigned long ret = XENPV_INVALID_GFN;
	int idx;

	BUILD_BUG_ON(PAGE_SHIFT != XENPV_XEN_PAGE_SHIFT);
	if (xenpv_is_native())
		return page_to_pfn(page);
	ops = xenpv_pops_get(&idx);
	if (ops && ops->page_to_gfn)
		ret = ops->page_to_gfn(page);
	xenpv_pops_put(idx);
	return ret;
}
EXPORT_SYMBOL_GPL(xenpv_page_to_gfn);

unsigned long xenpv_virt_to_gfn(const void *vaddr)
{
	const struct xenpv_platform_ops *ops;
	unsigned long ret = XENPV_INVALID_GFN;
	int idx;

	if (xenpv_is_native()) {
		/* Only the direct map has a frame behind every address. */
		if (WARN_ONCE(!virt_addr_valid(vaddr),
			      "xenpv: no gfn for address %px\n", vaddr))
			return XENPV_INVALID_GFN;
		return page_to_pfn(virt_to_page(vaddr));
	}
	ops = xenpv_pops_get(&idx);
	if (ops && ops->virt_to_gfn)
		ret = ops->virt_to_gfn(vaddr);
	xenpv_pops_put(idx);
	return ret;
}
EXPORT_SYMBOL_GPL(xenpv_virt_to_gfn);

int xenpv_gnttab_grant_access(domid_t domid, unsigned long gfn, bool readonly)
{
	const struct xenpv_platform_ops *ops;
	int ret = -ENODEV;
	int idx;

	if (xenpv_is_native())
		return xenpv_native_gnttab_grant_access(domid, gfn, readonly);
	ops = xenpv_pops_get(&idx);
	if (ops && ops->gnttab_grant_access)
		ret = ops->gnttab_grant_access(domid, gfn, readonly);
	xenpv_pops_put(idx);
	return ret;
}
EXPORT_SYMBOL_GPL(xenpv_gnttab_grant_access);

bool xenpv_gnttab_try_end_access(grant_ref_t ref)
{
	const struct xenpv_platform_ops *ops;
	bool ret = false;
	int idx;

	if (xenpv_is_native())
		return xenpv_native_gnttab_try_end_access(ref);
	ops = xenpv_pops_get(&idx);
	if (ops && ops->gnttab_try_end_access)
		ret = ops->gnttab_try_end_access(ref);
	xenpv_pops_put(idx);
	return ret;
}
EXPORT_SYMBOL_GPL(xenpv_gnttab_try_end_access);

void xenpv_gnttab_end_access(grant_ref_t ref, struct page *page)
{
	const struct xenpv_platform_ops *ops;
	int idx;

	if (xenpv_is_native()) {
		xenpv_native_gnttab_end_access(ref, page);
		return;
	}
	ops = xenpv_pops_get(&idx);
	if (ops && ops->gnttab_end_access)
		ops->gnttab_end_access(ref, page);
	else
		/* Nobody can tell whether the page is still mapped: keep it. */
		WARN_ONCE(1, "xenpv: end of grant %u without a provider: page leaked\n",
			  ref);
	xenpv_pops_put(idx);
}
EXPORT_SYMBOL_GPL(xenpv_gnttab_end_access);

int xenpv_gnttab_alloc_refs(u16 count, grant_ref_t *head)
{
	const struct xenpv_platform_ops *ops;
	int ret = -ENODEV;
	int idx;

	if (xenpv_is_native())
		return xenpv_native_gnttab_alloc_refs(count, head);
	ops = xenpv_pops_get(&idx);
	if (ops && ops->gnttab_alloc_refs)
		ret = ops->gnttab_alloc_refs(count, head);
	xenpv_pops_put(idx);
	return ret;
}
EXPORT_SYMBOL_GPL(xenpv_gnttab_alloc_refs);

void xenpv_gnttab_free_refs(grant_ref_t head)
{
	const struct xenpv_platform_ops *ops;
	int idx;

	if (xenpv_is_native()) {
		xenpv_native_gnttab_free_refs(head);
		return;
	}
	ops = xenpv_pops_get(&idx);
	if (ops && ops->gnttab_free_refs)
		ops->gnttab_free_refs(head);
	xenpv_pops_put(idx);
}
EXPORT_SYMBOL_GPL(xenpv_gnttab_free_refs);

int xenpv_gnttab_claim_ref(grant_ref_t *head)
{
	const struct xenpv_platform_ops *ops;
	int ret = -ENODEV;
	int idx;

	if (xenpv_is_native())
		return xenpv_native_gnttab_claim_ref(head);
	ops = xenpv_pops_get(&idx);
	if (ops && ops->gnttab_claim_ref)
		ret = ops->gnttab_claim_ref(head);
	xenpv_pops_put(idx);
	return ret;
}
EXPORT_SYMBOL_GPL(xenpv_gnttab_claim_ref);

void xenpv_gnttab_release_ref(grant_ref_t *head, grant_ref_t ref)
{
	const struct xenpv_platform_ops *ops;
	int idx;

	if (xenpv_is_native()) {
		xenpv_native_gnttab_release_ref(head, ref);
		return;
	}
	ops = xenpv_pops_get(&idx);
	if (ops && ops->gnttab_release_ref)
		ops->gnttab_release_ref(head, ref);
	xenpv_pops_put(idx);
}
EXPORT_SYMBOL_GPL(xenpv_gnttab_release_ref);

void xenpv_gnttab_grant_access_ref(grant_ref_t ref, domid_t domid,
				   unsigned long gfn, bool readonly)
{
	const struct xenpv_platform_ops *ops;
	int idx;

	if (xenpv_is_native()) {
		xenpv_native_gnttab_grant_access_ref(ref, domid, gfn, readonly);
		return;
	}
	ops = xenpv_pops_get(&idx);
	if (ops && ops->gnttab_grant_access_ref)
		ops->gnttab_grant_access_ref(ref, domid, gfn, readonly);
	xenpv_pops_put(idx);
}
EXPORT_SYMBOL_GPL(xenpv_gnttab_grant_access_ref);

void xenpv_gnttab_free_ref(grant_ref_t ref)
{
	const struct xenpv_platform_ops *ops;
	int idx;

	if (xenpv_is_native()) {
		xenpv_native_gnttab_free_ref(ref);
		return;
	}
	ops = xenpv_pops_get(&idx);
	if (ops && ops->gnttab_free_ref)
		ops->gnttab_free_ref(ref);
	xenpv_pops_put(idx);
}
EXPORT_SYMBOL_GPL(xenpv_gnttab_free_ref);

void xenpv_gnttab_request_free_callback(struct xenpv_gnttab_free_cb *cb,
					void (*fn)(void *arg), void *arg,
					u16 count)
{
	const struct xenpv_platform_ops *ops;
	int idx;

	if (xenpv_is_native()) {
		xenpv_native_gnttab_request_free_callback(cb, fn, arg, count);
		return;
	}
	ops = xenpv_pops_get(&idx);
	if (ops && ops->gnttab_request_free_callback)
		ops->gnttab_request_free_callback(cb, fn, arg, count);
	xenpv_pops_put(idx);
}
EXPORT_SYMBOL_GPL(xenpv_gnttab_request_free_callback);

void xenpv_gnttab_cancel_free_callback(struct xenpv_gnttab_free_cb *cb)
{
	const struct xenpv_platform_ops *ops;
	int idx;

	if (xenpv_is_native()) {
		xenpv_native_gnttab_cancel_free_callback(cb);
		return;
	}
	ops = xenpv_pops_get(&idx);
	if (ops && ops->gnttab_cancel_free_callback)
		ops->gnttab_cancel_free_callback(cb);
	xenpv_pops_put(idx);
}
EXPORT_SYMBOL_GPL(xenpv_gnttab_cancel_free_callback);

void xenpv_gnttab_get_stats(struct xenpv_gnttab_stats *stats)
{
	const struct xenpv_platform_ops *ops;
	int idx;

	memset(stats, 0, sizeof(*stats));
	if (xenpv_is_native()) {
		xenpv_native_gnttab_get_stats(stats);
		return;
	}
	ops = xenpv_pops_get(&idx);
	if (ops && ops->gnttab_get_stats)
		ops->gnttab_get_stats(stats);
	xenpv_pops_put(idx);
}
EXPORT_SYMBOL_GPL(xenpv_gnttab_get_stats);
