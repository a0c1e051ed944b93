/* SPDX-License-Identifier: GPL-2.0 */
/*
 * xenpv xenbus API: xenstore access and the frontend bus.
 *
 * Copyright (C) 2026 The xenpv authors
 *
 * Frontends are written once against this header.  In native mode it is
 * served by our own xenstore client and bus (xenbus/); in pvops mode the
 * xenpv_pvops module maps every call onto the kernel's xenbus.  The shape
 * deliberately follows the kernel's xenbus API so that frontend code reads
 * like the in-tree drivers; the names carry the xenpv_ prefix.
 */
#ifndef _XENPV_XENBUS_H
#define _XENPV_XENBUS_H

#include <linux/device.h>
#include <linux/list.h>
#include <linux/mod_devicetable.h>
#include <xen/interface/io/xenbus.h>
#include <xenpv/xenpv.h>

/* ---- xenstore ----------------------------------------------------------- */

struct xenpv_xs_tx {
	u32 id;
};

#define XENPV_XS_NIL ((struct xenpv_xs_tx) { 0 })

/* Largest payload xenstored accepts in either direction (XENSTORE_PAYLOAD_MAX). */
#define XENPV_XS_PAYLOAD_MAX	4096

int xenpv_xs_transaction_start(struct xenpv_xs_tx *t);
/* abort = true discards; commit returns -EAGAIN when the caller must retry. */
int xenpv_xs_transaction_end(struct xenpv_xs_tx t, bool abort);

/* Commits that keep ending in -EAGAIN before xenpv_xs_transact() gives up. */
#define XENPV_XS_TX_RETRIES	100

/*
 * Run @body(t, @arg, @what) inside one transaction and commit it; start over
 * while the commit ends in -EAGAIN (someone changed what we read), at most
 * XENPV_XS_TX_RETRIES times.  @body returns 0 to commit, -errno to abort
 * with that error, or a positive value to abort and have it returned as is
 * ("nothing to write").  On error *@what names the step that failed:
 * @body's own (it sets *@what as it goes) or "starting a transaction" /
 * "completing a transaction".  The caller reports it (xenpv_dev_fatal()).
 */
int xenpv_xs_transact(int (*body)(struct xenpv_xs_tx t, void *arg,
				  const char **what),
		      void *arg, const char **what);

/*
 * Path arguments: @dir and @node are joined with '/' (node may be "" to
 * address @dir itself).  Returned buffers are kmalloc()ed, NUL-terminated,
 * and freed by the caller with kfree().  Errors are ERR_PTR(-errno).
 */
void *xenpv_xs_read(struct xenpv_xs_tx t, const char *dir, const char *node,
		    unsigned int *len);
int xenpv_xs_write(struct xenpv_xs_tx t, const char *dir, const char *node,
		   const char *string);
__printf(4, 5)
int xenpv_xs_printf(struct xenpv_xs_tx t, const char *dir, const char *node,
		    const char *fmt, ...);
__scanf(4, 5)
int xenpv_xs_scanf(struct xenpv_xs_tx t, const char *dir, const char *node,
		   const char *fmt, ...);
int xenpv_xs_mkdir(struct xenpv_xs_tx t, const char *dir, const char *node);
int xenpv_xs_rm(struct xenpv_xs_tx t, const char *dir, const char *node);
bool xenpv_xs_exists(struct xenpv_xs_tx t, const char *dir, const char *node);
/* Child names; one kmalloc()ed block, free the array with kfree(). */
char **xenpv_xs_directory(struct xenpv_xs_tx t, const char *dir,
			  const char *node, unsigned int *num);

/*
 * Strict number parsing for values the other end controls: decimal only,
 * no sign, no trailing garbage, range-checked.  -ENOENT when absent,
 * -EINVAL when malformed or out of [min, max].
 */
int xenpv_xs_read_uint(const char *dir, const char *node, unsigned int min,
		       unsigned int max, unsigned int *val);
int xenpv_xs_read_u64(const char *dir, const char *node, u64 min, u64 max,
		      u64 *val);
/* Absent or malformed -> @default_val (malformed is logged once). */
unsigned int xenpv_xs_read_unsigned(const char *dir, const char *node,
				    unsigned int default_val);

struct xenpv_watch {
	struct list_head list;		/* owned by the provider */
	const char *node;		/* path watched */
	unsigned int nr_pending;	/* events queued, not yet handled */
	/* Optional filter run before queueing (bounded queues, XSA-349). */
	bool (*will_handle)(struct xenpv_watch *w, const char *path,
			    const char *token);
	/* Runs in the watch thread, may sleep and use xenstore. */
	void (*callback)(struct xenpv_watch *w, const char *path,
			 const char *token);
	void *provider_priv;
};

int xenpv_xs_watch_register(struct xenpv_watch *w);
void xenpv_xs_watch_unregister(struct xenpv_watch *w);

/* ---- frontend bus -------------------------------------------------------- */

struct xenpv_device {
	const char *devicetype;		/* "vbd", "vif", "vfb", "vkbd", ... */
	const char *nodename;		/* "device/vbd/51712" */
	const char *otherend;		/* backend path, re-read on resume */
	int otherend_id;		/* backend domain */
	enum xenbus_state state;	/* our own state as last written */
	struct device *dev;		/* parent for gendisk/netdev/drm/input */
	void *drvdata;			/* frontend's private data */
	void *provider_priv;		/* owned by the bus provider */
};

struct xenpv_device_id {
	char devicetype[32];
};

struct xenpv_driver {
	const char *name;
	const struct xenpv_device_id *ids;	/* terminated by { "" } */
	/* Boot does not wait for these devices (vfb, vkbd). */
	bool not_essential;
	int (*probe)(struct xenpv_device *dev,
		     const struct xenpv_device_id *id);
	/* The backend's state changed; runs in the watch thread. */
	void (*otherend_changed)(struct xenpv_device *dev,
				 enum xenbus_state backend_state);
	void (*remove)(struct xenpv_device *dev);
	/* Before a save/migration: quiesce, keep device-layer objects. */
	int (*suspend)(struct xenpv_device *dev);
	/* After it: tear down the old transport, reconnect to the backend. */
	int (*resume)(struct xenpv_device *dev);
	void *provider_priv;		/* owned by the bus provider */
};

int __xenpv_register_frontend(struct xenpv_driver *drv, struct module *owner,
			      const char *mod_name);
#define xenpv_register_frontend(drv) \
	__xenpv_register_frontend(drv, THIS_MODULE, KBUILD_MODNAME)
void xenpv_unregister_frontend(struct xenpv_driver *drv);

static inline void *xenpv_get_drvdata(struct xenpv_device *dev)
{
	return dev->drvdata;
}

static inline void xenpv_set_drvdata(struct xenpv_device *dev, void *data)
{
	dev->drvdata = data;
}

/*
 * Switch our state: no-op when unchanged, its own transaction, never
 * recreates a removed node.  Must not be called inside a transaction.
 */
int xenpv_switch_state(struct xenpv_device *dev, enum xenbus_state state);
/* Read a "state" node; XenbusStateUnknown when missing or malformed. */
enum xenbus_state xenpv_read_state(const char *path);
/* Log, write error/<nodename>/error, and (fatal) switch to Closing. */
__printf(3, 4)
void xenpv_dev_error(struct xenpv_device *dev, int err, const char *fmt, ...);
__printf(3, 4)
void xenpv_dev_fatal(struct xenpv_device *dev, int err, const char *fmt, ...);
/* Switch to Closed and wake anyone waiting for the close. */
int xenpv_frontend_closed(struct xenpv_device *dev);

/*
 * Shared rings: allocate @nr_pages zeroed, physically contiguous pages,
 * grant each to the backend and return the grant references in @grefs.
 * Teardown revokes the grants (deferring the free while the backend still
 * maps a page) and clears *vaddr.
 */
int xenpv_setup_ring(struct xenpv_device *dev, gfp_t gfp, void **vaddr,
		     unsigned int nr_pages, grant_ref_t *grefs);
void xenpv_teardown_ring(void **vaddr, unsigned int nr_pages,
			 grant_ref_t *grefs);

int xenpv_alloc_evtchn(struct xenpv_device *dev, evtchn_port_t *port);
void xenpv_free_evtchn(struct xenpv_device *dev, evtchn_port_t port);

#endif /* _XENPV_XENBUS_H */
