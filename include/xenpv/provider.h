/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Provider interface between xenpv's layers (not for frontends).
 *
 * Copyright (C) 2026 The xenpv authors
 *
 * xenpv_platform owns the mode decision and the provider registry.  In
 * native mode the exported xenpv_* functions run our own implementation
 * (platform/ and xenbus/).  In pvops mode the xenpv_pvops module, which is
 * the only module that references kernel Xen symbols, registers the two
 * tables below, and every exported xenpv_* function forwards to them.
 *
 * Load order in pvops mode: xenpv_platform (decides the mode) ->
 * xenpv_xenbus (request_module("xenpv_pvops") from its init, then uses the
 * registered bus table) -> frontends.  xenpv_pvops depends only on
 * xenpv_platform, so no module waits on one that is still initialising.
 */
#ifndef _XENPV_PROVIDER_H
#define _XENPV_PROVIDER_H

#include <xenpv/xenpv.h>
#include <xenpv/xenbus.h>

struct xenpv_platform_ops {
	bool (*has_pv_disks)(void);
	bool (*has_pv_nics)(void);
	bool (*emulated_disks_present)(void);
	int (*hvm_get_param)(u32 index, u64 *value);

	int (*evtchn_alloc_unbound)(domid_t remote, evtchn_port_t *port);
	int (*evtchn_bind_interdomain)(domid_t remote, evtchn_port_t rport,
				       evtchn_port_t *lport);
	void (*evtchn_close)(evtchn_port_t port);
	void (*evtchn_notify)(evtchn_port_t port);
	int (*evtchn_bind_irq)(evtchn_port_t port, irq_handler_t handler,
			       unsigned long irqflags, const char *name,
			       void *dev_id, unsigned int flags);
	void (*evtchn_unbind_irq)(int irq, void *dev_id);
	evtchn_port_t (*evtchn_from_irq)(int irq);
	void (*evtchn_lateeoi)(int irq, unsigned int eoi_flags);

	unsigned long (*page_to_gfn)(struct page *page);
	unsigned long (*virt_to_gfn)(const void *vaddr);
	int (*gnttab_grant_access)(domid_t domid, unsigned long gfn,
				   bool readonly);
	bool (*gnttab_try_end_access)(grant_ref_t ref);
	void (*gnttab_end_access)(grant_ref_t ref, struct page *page);
	int (*gnttab_alloc_refs)(u16 count, grant_ref_t *head);
	void (*gnttab_free_refs)(grant_ref_t head);
	int (*gnttab_claim_ref)(grant_ref_t *head);
	void (*gnttab_release_ref)(grant_ref_t *head, grant_ref_t ref);
	void (*gnttab_grant_access_ref)(grant_ref_t ref, domid_t domid,
					unsigned long gfn, bool readonly);
	void (*gnttab_free_ref)(grant_ref_t ref);
	void (*gnttab_request_free_callback)(struct xenpv_gnttab_free_cb *cb,
					     void (*fn)(void *arg), void *arg,
					     u16 count);
	void (*gnttab_cancel_free_callback)(struct xenpv_gnttab_free_cb *cb);
	void (*gnttab_get_stats)(struct xenpv_gnttab_stats *stats);
};

struct xenpv_bus_ops {
	int (*transaction_start)(struct xenpv_xs_tx *t);
	int (*transaction_end)(struct xenpv_xs_tx t, bool abort);
	void *(*read)(struct xenpv_xs_tx t, const char *dir, const char *node,
		      unsigned int *len);
	int (*write)(struct xenpv_xs_tx t, const char *dir, const char *node,
		     const char *string);
	int (*mkdir)(struct xenpv_xs_tx t, const char *dir, const char *node);
	int (*rm)(struct xenpv_xs_tx t, const char *dir, const char *node);
	char **(*directory)(struct xenpv_xs_tx t, const char *dir,
			    const char *node, unsigned int *num);
	int (*watch_register)(struct xenpv_watch *w);
	void (*watch_unregister)(struct xenpv_watch *w);

	int (*register_frontend)(struct xenpv_driver *drv,
				 struct module *owner, const char *mod_name);
	void (*unregister_frontend)(struct xenpv_driver *drv);
	int (*switch_state)(struct xenpv_device *dev, enum xenbus_state state);
	void (*dev_error)(struct xenpv_device *dev, int err, const char *msg);
	void (*dev_fatal)(struct xenpv_device *dev, int err, const char *msg);
	int (*frontend_closed)(struct xenpv_device *dev);
	int (*setup_ring)(struct xenpv_device *dev, gfp_t gfp, void **vaddr,
			  unsigned int nr_pages, grant_ref_t *grefs);
	void (*teardown_ring)(void **vaddr, unsigned int nr_pages,
			      grant_ref_t *grefs);
	int (*alloc_evtchn)(struct xenpv_device *dev, evtchn_port_t *port);
	void (*free_evtchn)(struct xenpv_device *dev, evtchn_port_t port);
};

/* Exported by xenpv_platform.  Only valid in pvops mode (-EINVAL otherwise). */
int xenpv_register_provider(const struct xenpv_platform_ops *pops,
			    const struct xenpv_bus_ops *bops);
void xenpv_unregister_provider(const struct xenpv_platform_ops *pops);
/* NULL in native mode or before xenpv_pvops registered. */
const struct xenpv_bus_ops *xenpv_bus_provider(void);

#endif /* _XENPV_PROVIDER_H */
