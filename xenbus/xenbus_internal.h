/* SPDX-License-Identifier: GPL-2.0 */
/*
 * xenpv_xenbus internals shared between the files of the module.
 *
 * Copyright (C) 2026 The xenpv authors
 *
 * Layout: xs_wire.c (pure wire format), xs.c (native xenstore ring client),
 * xs_watch.c (watches and the watch thread), bus.c (native frontend bus),
 * client.c (native state/ring/evtchn helpers), control.c (control/shutdown,
 * sysrq, suspend), provider_fwd.c (the exported API, forwarding through
 * xenpv_xb_ops), debugfs.c, main.c (mode selection, init/exit).
 */
#ifndef _XENPV_XENBUS_INTERNAL_H
#define _XENPV_XENBUS_INTERNAL_H

#include <linux/completion.h>
#include <linux/device.h>
#include <linux/mutex.h>
#include <linux/seq_file.h>
#include <linux/wait.h>
#include <xenpv/xenbus.h>
#include <xenpv/provider.h>
#include "xs_wire.h"

/*
 * Driver-core callback signatures that drifted (compat/ probes):
 *  - bus_type.uevent takes a const device from 6.3;
 *  - bus_type.match takes a const device_driver from 6.11;
 *  - bus_type.remove returns void from 5.15 (int before: the probe
 *    XENPV_HAVE_BUS_REMOVE_INT is set on 5.10).
 */
#ifdef XENPV_HAVE_BUS_UEVENT_CONST_DEV
#define XENPV_UEVENT_DEV	const struct device
#else
#define XENPV_UEVENT_DEV	struct device
#endif
#ifdef XENPV_HAVE_BUS_MATCH_CONST_DRV
#define XENPV_MATCH_DRV		const struct device_driver
#else
#define XENPV_MATCH_DRV		struct device_driver
#endif

/* Bounded wait for the backend to follow a close (unbind, shutdown). */
#define XENPV_CLOSE_WAIT_MS	5000

/* ---- main.c ------------------------------------------------------------ */

/* The table every exported call goes through (native or pvops provider). */
extern const struct xenpv_bus_ops *xenpv_xb_ops;
/* Module parameters (validated at load). */
extern unsigned int xenpv_xb_xs_timeout;	/* seconds */
extern unsigned int xenpv_xb_connect_wait;	/* seconds */

/* ---- xs.c: the native xenstore client ---------------------------------- */

int xenpv_xsn_init(void);
void xenpv_xsn_exit(void);
int xenpv_xsn_suspend(void);
void xenpv_xsn_resume(bool cancelled);
int xenpv_xsn_watch_cmd(u32 type, const char *path, const char *token);
int xenpv_xsn_reset_watches(void);
void xenpv_xsn_debugfs_show(struct seq_file *m);

int xenpv_xsn_transaction_start(struct xenpv_xs_tx *t);
int xenpv_xsn_transaction_end(struct xenpv_xs_tx t, bool abort);
void *xenpv_xsn_read(struct xenpv_xs_tx t, const char *dir, const char *node,
		     unsigned int *len);
int xenpv_xsn_write(struct xenpv_xs_tx t, const char *dir, const char *node,
		    const char *string);
int xenpv_xsn_mkdir(struct xenpv_xs_tx t, const char *dir, const char *node);
int xenpv_xsn_rm(struct xenpv_xs_tx t, const char *dir, const char *node);
char **xenpv_xsn_directory(struct xenpv_xs_tx t, const char *dir,
			   const char *node, unsigned int *num);

/* ---- xs_watch.c: watches and the watch thread --------------------------- */

int xenpv_xw_init(void);
void xenpv_xw_exit(void);
int xenpv_xw_register(struct xenpv_watch *w);
void xenpv_xw_unregister(struct xenpv_watch *w);
void xenpv_xw_event(char *body, unsigned int len);
void xenpv_xw_reregister_all(void);
bool xenpv_xw_in_watch_thread(void);
void xenpv_xw_debugfs_show(struct seq_file *m);

/* ---- bus.c: the native frontend bus ------------------------------------- */

struct xenpv_nbus_dev {
	struct device dev;
	struct xenpv_device xdev;
	struct mutex lock;		/* state switches, otherend swaps */
	struct completion down;		/* frontend Closed or backend Closed */
	struct xenpv_watch otherend_watch;	/* <otherend>/state */
	char *otherend_state;		/* the watched path */
	const char *old_otherend;	/* previous backend path (resume) */
	bool otherend_watched;
	enum xenbus_state backend_state;	/* last value seen */
	unsigned long stale_events;	/* events for a former backend path */
};

static inline struct xenpv_nbus_dev *xenpv_to_nbus(struct xenpv_device *xdev)
{
	return xdev->provider_priv;
}

int xenpv_nbus_init(void);
void xenpv_nbus_exit(void);
int xenpv_nbus_register_frontend(struct xenpv_driver *drv,
				 struct module *owner, const char *mod_name);
void xenpv_nbus_unregister_frontend(struct xenpv_driver *drv);
int xenpv_nbus_suspend(void);
void xenpv_nbus_resume(void);
void xenpv_nbus_state_changed(void);
void xenpv_nbus_debugfs_show(struct seq_file *m);

/* ---- client.c: native state, error, ring and evtchn helpers ------------- */

int xenpv_nat_write_state(const char *nodename, enum xenbus_state state);
int xenpv_nat_switch_state(struct xenpv_device *dev, enum xenbus_state state);
void xenpv_nat_dev_error(struct xenpv_device *dev, int err, const char *msg);
void xenpv_nat_dev_fatal(struct xenpv_device *dev, int err, const char *msg);
int xenpv_nat_frontend_closed(struct xenpv_device *dev);
int xenpv_nat_setup_ring(struct xenpv_device *dev, gfp_t gfp, void **vaddr,
			 unsigned int nr_pages, grant_ref_t *grefs);
void xenpv_nat_teardown_ring(void **vaddr, unsigned int nr_pages,
			     grant_ref_t *grefs);
int xenpv_nat_alloc_evtchn(struct xenpv_device *dev, evtchn_port_t *port);
void xenpv_nat_free_evtchn(struct xenpv_device *dev, evtchn_port_t port);

/* ---- control.c ----------------------------------------------------------- */

int xenpv_ctl_init(void);
void xenpv_ctl_exit(void);

/* ---- debugfs.c ------------------------------------------------------------ */

void xenpv_xbdebug_init(void);
void xenpv_xbdebug_exit(void);

#endif /* _XENPV_XENBUS_INTERNAL_H */
