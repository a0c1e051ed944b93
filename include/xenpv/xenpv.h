/* SPDX-License-Identifier: GPL-2.0 */
/*
 * xenpv platform API: what the frontends and the xenbus layer may use of the
 * Xen platform, independent of the mode the modules run in.
 *
 * Copyright (C) 2026 The xenpv authors
 *
 * Two providers implement this API, chosen once when xenpv_platform loads:
 *
 *  - native: our own implementation (platform/), for HVM guests whose kernel
 *    has no Xen support or has it switched off (nopv, xen_nopv);
 *  - pvops:  thin calls into the running kernel's own Xen services, provided
 *    by the xenpv_pvops module (platform/pvops.c), for PV and PVHVM guests.
 *
 * Callers never test the mode to decide how to do something; they may test
 * it to report it.  ABI types and constants come from the kernel headers'
 * include/xen/interface/ (plus compat/ for what old kernels lack).
 */
#ifndef _XENPV_XENPV_H
#define _XENPV_XENPV_H

#include <linux/types.h>
#include <linux/interrupt.h>
#include <linux/mm_types.h>
#include <xen/interface/xen.h>
#include <xen/interface/grant_table.h>
#include <xen/interface/event_channel.h>

enum xenpv_mode {
	XENPV_MODE_NONE = 0,	/* not (yet) running on Xen */
	XENPV_MODE_NATIVE,	/* our own platform implementation */
	XENPV_MODE_PVOPS,	/* the kernel's Xen services */
};

/* ---- platform ---------------------------------------------------------- */

enum xenpv_mode xenpv_mode(void);
const char *xenpv_mode_name(enum xenpv_mode mode);

/* Xen version as reported by XENVER_version (major << 16 | minor). */
u32 xenpv_xen_version(void);

/*
 * Emulated devices that were unplugged (or never existed): a frontend for that
 * class may bind.  In pvops mode these follow the kernel's xen_has_pv_*().
 */
bool xenpv_has_pv_disks(void);
bool xenpv_has_pv_nics(void);
/* True when emulated IDE disks were left plugged (refuse non-xvd vbds). */
bool xenpv_emulated_disks_present(void);

/* HVM parameters (HVMOP_get_param on DOMID_SELF). */
int xenpv_hvm_get_param(u32 index, u64 *value);

/*
 * Native mode only (xenbus/control.c drives it): quiesce, SCHEDOP_shutdown
 * (SHUTDOWN_suspend) on CPU0 with the other CPUs stopped, then redo
 * shared_info, the callback, grant frames, unplug and the event channel
 * state.  *cancelled is set when Xen resumed us in the same domain (all
 * bindings still valid).  Returns -EOPNOTSUPP in pvops mode.
 */
int xenpv_platform_suspend(bool *cancelled);

/* ---- event channels ---------------------------------------------------- */

int xenpv_evtchn_alloc_unbound(domid_t remote_domid, evtchn_port_t *port);
int xenpv_evtchn_bind_interdomain(domid_t remote_domid,
				  evtchn_port_t remote_port,
				  evtchn_port_t *local_port);
void xenpv_evtchn_close(evtchn_port_t port);
void xenpv_evtchn_notify(evtchn_port_t port);

/* Flags for xenpv_evtchn_bind_irq(). */
#define XENPV_EVTCHN_LATEEOI	BIT(0)	/* handler calls xenpv_evtchn_lateeoi() */
/*
 * Unbinding leaves the port open: for ports the toolstack set up and that
 * outlive the binding (the xenstore port, re-bound after a module reload or
 * a cancelled suspend).
 */
#define XENPV_EVTCHN_KEEP_OPEN	BIT(1)

/*
 * Bind an already allocated port to a Linux IRQ and request it with
 * @handler.  Returns the IRQ number (> 0) or -errno.  The IRQ shows in
 * /proc/interrupts under @name.  Unbinding closes the port
 * unless XENPV_EVTCHN_KEEP_OPEN was given.
 */
int xenpv_evtchn_bind_irq(evtchn_port_t port, irq_handler_t handler,
			  unsigned long irqflags, const char *name,
			  void *dev_id, unsigned int flags);
void xenpv_evtchn_unbind_irq(int irq, void *dev_id);
evtchn_port_t xenpv_evtchn_from_irq(int irq);

/* Flags for xenpv_evtchn_lateeoi(). */
#define XENPV_EOI_SPURIOUS	BIT(0)	/* the event brought no new work */

/* End of event handling for a XENPV_EVTCHN_LATEEOI binding. */
void xenpv_evtchn_lateeoi(int irq, unsigned int eoi_flags);

/* ---- grant tables ------------------------------------------------------ */

/* Guest frame number of a page / kernel virtual address (4 KiB Xen pages). */
unsigned long xenpv_page_to_gfn(struct page *page);
unsigned long xenpv_virt_to_gfn(const void *vaddr);

/* Grant @domid access to @gfn; returns the grant reference or -errno. */
int xenpv_gnttab_grant_access(domid_t domid, unsigned long gfn, bool readonly);

/*
 * Atomically revoke a grant (XSA-396).  Returns true when access ended and the
 * reference was freed; false when the peer still maps it (nothing changed).
 */
bool xenpv_gnttab_try_end_access(grant_ref_t ref);

/*
 * Revoke a grant and free the reference and @page (may be NULL).  When the
 * peer still maps the page, both are parked on a deferred list that is
 * retried in the background; the page is never reused while mapped.
 */
void xenpv_gnttab_end_access(grant_ref_t ref, struct page *page);

/* Batches of references, for hot paths. */
int xenpv_gnttab_alloc_refs(u16 count, grant_ref_t *head);
void xenpv_gnttab_free_refs(grant_ref_t head);
int xenpv_gnttab_claim_ref(grant_ref_t *head);
void xenpv_gnttab_release_ref(grant_ref_t *head, grant_ref_t ref);
void xenpv_gnttab_grant_access_ref(grant_ref_t ref, domid_t domid,
				   unsigned long gfn, bool readonly);
void xenpv_gnttab_free_ref(grant_ref_t ref);

/* Called once @count references are free again (grant exhaustion). */
struct xenpv_gnttab_free_cb {
	struct xenpv_gnttab_free_cb *next;
	void (*fn)(void *arg);
	void *arg;
	u16 count;
	bool queued;
	unsigned long provider_priv[4];	/* pvops: the kernel's callback */
};
void xenpv_gnttab_request_free_callback(struct xenpv_gnttab_free_cb *cb,
					void (*fn)(void *arg), void *arg,
					u16 count);
void xenpv_gnttab_cancel_free_callback(struct xenpv_gnttab_free_cb *cb);

/* Counters for debugfs and the selftests. */
struct xenpv_gnttab_stats {
	unsigned int nr_frames;		/* grant frames mapped */
	unsigned int max_frames;	/* what Xen allows */
	unsigned int refs_in_use;	/* allocated references */
	unsigned int deferred;		/* revocations waiting for the peer */
	unsigned long leaked;		/* given up on (logged) */
};
void xenpv_gnttab_get_stats(struct xenpv_gnttab_stats *stats);

#endif /* _XENPV_XENPV_H */
