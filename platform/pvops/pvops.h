/* SPDX-License-Identifier: GPL-2.0 */
/*
 * xenpv_pvops internals: the provider tables and the kernel-API shims.
 *
 * Copyright (C) 2026 The xenpv authors
 *
 * Only this module includes the kernel's <xen/...> service headers.  Every
 * place where those services differ between the supported kernels is
 * handled here, behind the XENPV_HAVE_* results of the compat probes.
 */
#ifndef _XENPV_PVOPS_H
#define _XENPV_PVOPS_H

#include <linux/gfp.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <xen/events.h>
#include <xen/grant_table.h>
#include <xen/page.h>
#include <xen/xenbus.h>
#include <xenpv/provider.h>
#include <xenpv_compat_xen_abi.h>

/* main.c */
extern const struct xenpv_platform_ops xenpv_pvops_platform_ops;
extern const struct xenpv_bus_ops xenpv_pvops_bus_ops;

/* evtchn.c */
int xenpv_pvops_evtchn_alloc_unbound(domid_t remote, evtchn_port_t *port);
int xenpv_pvops_evtchn_bind_interdomain(domid_t remote, evtchn_port_t rport,
					evtchn_port_t *lport);
void xenpv_pvops_evtchn_close(evtchn_port_t port);
void xenpv_pvops_evtchn_notify(evtchn_port_t port);
int xenpv_pvops_evtchn_bind_irq(evtchn_port_t port, irq_handler_t handler,
				unsigned long irqflags, const char *name,
				void *dev_id, unsigned int flags);
void xenpv_pvops_evtchn_unbind_irq(int irq, void *dev_id);
evtchn_port_t xenpv_pvops_evtchn_from_irq(int irq);
void xenpv_pvops_evtchn_lateeoi(int irq, unsigned int eoi_flags);
void xenpv_pvops_evtchn_exit(void);

/* gnttab.c */
unsigned long xenpv_pvops_page_to_gfn(struct page *page);
unsigned long xenpv_pvops_virt_to_gfn(const void *vaddr);
int xenpv_pvops_gnttab_grant_access(domid_t domid, unsigned long gfn,
				    bool readonly);
bool xenpv_pvops_gnttab_try_end_access(grant_ref_t ref);
void xenpv_pvops_gnttab_end_access(grant_ref_t ref, struct page *page);
int xenpv_pvops_gnttab_alloc_refs(u16 count, grant_ref_t *head);
void xenpv_pvops_gnttab_free_refs(grant_ref_t head);
int xenpv_pvops_gnttab_claim_ref(grant_ref_t *head);
void xenpv_pvops_gnttab_release_ref(grant_ref_t *head, grant_ref_t ref);
void xenpv_pvops_gnttab_grant_access_ref(grant_ref_t ref, domid_t domid,
					 unsigned long gfn, bool readonly);
void xenpv_pvops_gnttab_free_ref(grant_ref_t ref);
void xenpv_pvops_gnttab_request_free_callback(struct xenpv_gnttab_free_cb *cb,
					      void (*fn)(void *arg), void *arg,
					      u16 count);
void xenpv_pvops_gnttab_cancel_free_callback(struct xenpv_gnttab_free_cb *cb);
void xenpv_pvops_gnttab_get_stats(struct xenpv_gnttab_stats *stats);

/* xs.c */
int xenpv_pvops_xs_transaction_start(struct xenpv_xs_tx *t);
int xenpv_pvops_xs_transaction_end(struct xenpv_xs_tx t, bool abort);
void *xenpv_pvops_xs_read(struct xenpv_xs_tx t, const char *dir,
			  const char *node, unsigned int *len);
int xenpv_pvops_xs_write(struct xenpv_xs_tx t, const char *dir,
			 const char *node, const char *string);
int xenpv_pvops_xs_mkdir(struct xenpv_xs_tx t, const char *dir,
			 const char *node);
int xenpv_pvops_xs_rm(struct xenpv_xs_tx t, const char *dir, const char *node);
char **xenpv_pvops_xs_directory(struct xenpv_xs_tx t, const char *dir,
				const char *node, unsigned int *num);
int xenpv_pvops_xs_watch_register(struct xenpv_watch *w);
void xenpv_pvops_xs_watch_unregister(struct xenpv_watch *w);

/* bus.c */
int xenpv_pvops_register_frontend(struct xenpv_driver *drv,
				  struct module *owner, const char *mod_name);
void xenpv_pvops_unregister_frontend(struct xenpv_driver *drv);
int xenpv_pvops_switch_state(struct xenpv_device *dev,
			     enum xenbus_state state);
void xenpv_pvops_dev_error(struct xenpv_device *dev, int err, const char *msg);
void xenpv_pvops_dev_fatal(struct xenpv_device *dev, int err, const char *msg);
int xenpv_pvops_frontend_closed(struct xenpv_device *dev);
int xenpv_pvops_setup_ring(struct xenpv_device *dev, gfp_t gfp, void **vaddr,
			   unsigned int nr_pages, grant_ref_t *grefs);
void xenpv_pvops_teardown_ring(void **vaddr, unsigned int nr_pages,
			       grant_ref_t *grefs);
int xenpv_pvops_alloc_evtchn(struct xenpv_device *dev, evtchn_port_t *port);
void xenpv_pvops_free_evtchn(struct xenpv_device *dev, evtchn_port_t port);

/* ---- kernel-API shims --------------------------------------------------- */

/*
 * Atomically revoke an unused grant and free its reference.
 * XENPV_HAVE_GNTTAB_TRY_END_FOREIGN_ACCESS: the XSA-396 helper (5.17, and
 * 5.10.103+ stable).  Without it, the older kernel's end_foreign_access_ref
 * (which then still takes a readonly flag) followed by an explicit free has
 * the same effect.
 */
static inline bool xenpv_pvops_try_end_foreign_access(grant_ref_t ref)
{
#ifdef XENPV_HAVE_GNTTAB_TRY_END_FOREIGN_ACCESS
	return gnttab_try_end_foreign_access(ref);
#else
	if (!gnttab_end_foreign_access_ref(ref, 0))
		return false;
	gnttab_free_grant_reference(ref);
	return true;
#endif
}

/*
 * Revoke a grant and free the reference, handing the caller's reference on
 * @page (may be NULL) to the kernel, which drops it once the peer unmapped.
 * XENPV_HAVE_GNTTAB_END_FOREIGN_ACCESS_2ARGS: (ref, struct page *) since
 * 5.18; older kernels take (ref, readonly, kernel virtual address).
 */
static inline void xenpv_pvops_end_foreign_access(grant_ref_t ref,
						  struct page *page)
{
#ifdef XENPV_HAVE_GNTTAB_END_FOREIGN_ACCESS_2ARGS
	gnttab_end_foreign_access(ref, page);
#else
	unsigned long vaddr = page ? (unsigned long)page_address(page) : 0UL;

	gnttab_end_foreign_access(ref, 0, vaddr);
#endif
}

/*
 * XENPV_HAVE_BIND_EVTCHN_TO_IRQHANDLER_LATEEOI: late EOI (XSA-332, in
 * every 5.10 stable release after 5.10.1).  A kernel without it EOIs each
 * event itself when the handler returns, so a late EOI has nothing left to
 * do there.
 */
static inline int xenpv_pvops_bind_lateeoi(evtchn_port_t port,
					   irq_handler_t handler,
					   unsigned long irqflags,
					   const char *name, void *dev_id)
{
#ifdef XENPV_HAVE_BIND_EVTCHN_TO_IRQHANDLER_LATEEOI
	return bind_evtchn_to_irqhandler_lateeoi(port, handler, irqflags, name,
						 dev_id);
#else
	return bind_evtchn_to_irqhandler(port, handler, irqflags, name, dev_id);
#endif
}

static inline void xenpv_pvops_irq_lateeoi(int irq, bool spurious)
{
#ifdef XENPV_HAVE_BIND_EVTCHN_TO_IRQHANDLER_LATEEOI
	xen_irq_lateeoi(irq, spurious ? XEN_EOI_FLAG_SPURIOUS : 0);
#endif
}

/*
 * Create the node @dir/@node, keeping its value if it exists.
 * XENPV_HAVE_XENBUS_MKDIR: xenbus_mkdir() (XS_MKDIR), gone from the
 * kernel's xenbus client in 7.x.  Without it, XS_WRITE of an empty value
 * creates the node and its missing parents just as XS_MKDIR does; it would
 * also empty an existing node's value, which XS_MKDIR leaves alone, so an
 * existing node is left untouched (inside @t, the check and the write see
 * the same snapshot).
 */
static inline int xenpv_pvops_xenbus_mkdir(struct xenbus_transaction t,
					   const char *dir, const char *node)
{
#ifdef XENPV_HAVE_XENBUS_MKDIR
	return xenbus_mkdir(t, dir, node);
#else
	if (xenbus_exists(t, dir, node))
		return 0;
	return xenbus_write(t, dir, node, "");
#endif
}

#endif /* _XENPV_PVOPS_H */
