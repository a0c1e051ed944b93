// SPDX-License-Identifier: GPL-2.0
/*
 * xenpv_pvops frontend bus: xenpv drivers on the kernel's xenbus.
 *
 * Copyright (C) 2026 The xenpv authors
 *
 * Each struct xenpv_driver becomes a struct xenbus_driver named
 * "xenpv_<name>" whose callbacks are trampolines; each bound struct
 * xenbus_device gets a struct xenpv_device wrapper, kept as its driver
 * data.  The kernel's bus does the device discovery, the otherend watch,
 * the boot wait (not for not_essential drivers: they register from a
 * worker) and suspend/resume sequencing; the trampolines copy the
 * fields that may have changed (backend path and id, our state) into the
 * wrapper before every call into the frontend.
 */

#include <linux/errno.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/workqueue.h>

#include "pvops.h"

/* More would mean a missing { "" } terminator. */
#define XENPV_PVOPS_MAX_IDS	16

struct xenpv_pvops_drv {
	struct xenbus_driver xd;
	struct xenpv_driver *drv;
	struct xenbus_device_id *ids;	/* the kernel's copy of drv->ids */
	unsigned int nr_ids;
	char *name;			/* "xenpv_<name>" */
	/* not_essential drivers register in the background (see below). */
	struct work_struct register_work;
	struct module *owner;
	const char *mod_name;
	bool registered;
};

struct xenpv_pvops_dev {
	struct xenpv_device pdev;
	struct xenbus_device *xbdev;
};

static struct xenpv_pvops_drv *xenpv_pvops_drv_of(struct xenbus_device *xbdev)
{
	return container_of(to_xenbus_driver(xbdev->dev.driver),
			    struct xenpv_pvops_drv, xd);
}

static struct xenbus_device *xenpv_pvops_xbdev(struct xenpv_device *dev)
{
	return container_of(dev, struct xenpv_pvops_dev, pdev)->xbdev;
}

/* The kernel rereads the backend details on resume and tracks our state. */
static void xenpv_pvops_dev_sync(struct xenpv_pvops_dev *pd)
{
	struct xenbus_device *xbdev = pd->xbdev;

	pd->pdev.otherend = xbdev->otherend;
	pd->pdev.otherend_id = xbdev->otherend_id;
	pd->pdev.state = xbdev->state;
}

/* ---- trampolines (called by the kernel's xenbus) ------------------------ */

static int xenpv_pvops_probe(struct xenbus_device *xbdev,
			     const struct xenbus_device_id *kid)
{
	struct xenpv_pvops_drv *pdrv = xenpv_pvops_drv_of(xbdev);
	struct xenpv_driver *drv = pdrv->drv;
	struct xenpv_pvops_dev *pd;
	ptrdiff_t idx = kid - pdrv->ids;
	int err;

	if (WARN_ON_ONCE(idx < 0 || idx >= (ptrdiff_t)pdrv->nr_ids))
		return -ENODEV;

	pd = kzalloc(sizeof(*pd), GFP_KERNEL);
	if (!pd)
		return -ENOMEM;
	pd->xbdev = xbdev;
	pd->pdev.devicetype = xbdev->devicetype;
	pd->pdev.nodename = xbdev->nodename;
	pd->pdev.dev = &xbdev->dev;
	pd->pdev.provider_priv = xbdev;
	dev_set_drvdata(&xbdev->dev, pd);

	/*
	 * A driver that was bound before (an in-tree frontend unbound through
	 * sysfs, or our own frontend before a module reload) left the device
	 * Closed.  Announce a new frontend so that the backend prepares for a
	 * reconnect, as it does for a freshly created device.
	 */
	if (xbdev->state != XenbusStateInitialising) {
		dev_info(&xbdev->dev, "left %s by a previous driver, restarting at Initialising\n",
			 xenbus_strstate(xbdev->state));
		err = xenbus_switch_state(xbdev, XenbusStateInitialising);
		if (err)
			goto out_free;
	}

	xenpv_pvops_dev_sync(pd);
	err = drv->probe(&pd->pdev, &drv->ids[idx]);
	if (err)
		goto out_free;
	return 0;

out_free:
	dev_set_drvdata(&xbdev->dev, NULL);
	kfree(pd);
	return err;
}

static void xenpv_pvops_otherend_changed(struct xenbus_device *xbdev,
					 enum xenbus_state backend_state)
{
	struct xenpv_pvops_dev *pd = dev_get_drvdata(&xbdev->dev);
	struct xenpv_driver *drv = xenpv_pvops_drv_of(xbdev)->drv;

	if (!pd || !drv->otherend_changed)
		return;

	xenpv_pvops_dev_sync(pd);
	drv->otherend_changed(&pd->pdev, backend_state);
}

static void xenpv_pvops_remove_dev(struct xenbus_device *xbdev)
{
	struct xenpv_pvops_dev *pd = dev_get_drvdata(&xbdev->dev);
	struct xenpv_driver *drv = xenpv_pvops_drv_of(xbdev)->drv;

	if (!pd)
		return;

	xenpv_pvops_dev_sync(pd);
	if (drv->remove)
		drv->remove(&pd->pdev);

	dev_set_drvdata(&xbdev->dev, NULL);
	kfree(pd);
}

/* XENPV_HAVE_XENBUS_DRIVER_REMOVE_VOID: remove() returns void since 6.1. */
#ifdef XENPV_HAVE_XENBUS_DRIVER_REMOVE_VOID
static void xenpv_pvops_remove(struct xenbus_device *xbdev)
{
	xenpv_pvops_remove_dev(xbdev);
}
#else
static int xenpv_pvops_remove(struct xenbus_device *xbdev)
{
	xenpv_pvops_remove_dev(xbdev);
	return 0;
}
#endif

static int xenpv_pvops_suspend(struct xenbus_device *xbdev)
{
	struct xenpv_pvops_dev *pd = dev_get_drvdata(&xbdev->dev);
	struct xenpv_driver *drv = xenpv_pvops_drv_of(xbdev)->drv;

	if (!pd)
		return 0;

	xenpv_pvops_dev_sync(pd);
	return drv->suspend(&pd->pdev);
}

/* The kernel has reread the backend details and reset our state. */
static int xenpv_pvops_resume(struct xenbus_device *xbdev)
{
	struct xenpv_pvops_dev *pd = dev_get_drvdata(&xbdev->dev);
	struct xenpv_driver *drv = xenpv_pvops_drv_of(xbdev)->drv;

	if (!pd)
		return 0;

	xenpv_pvops_dev_sync(pd);
	return drv->resume(&pd->pdev);
}

/* ---- driver registration ----------------------------------------------- */

static void xenpv_pvops_drv_free(struct xenpv_pvops_drv *pdrv)
{
	kfree(pdrv->name);
	kfree(pdrv->ids);
	kfree(pdrv);
}

static struct xenpv_pvops_drv *xenpv_pvops_drv_alloc(struct xenpv_driver *drv)
{
	struct xenpv_pvops_drv *pdrv;
	const char *base;
	unsigned int n;

	BUILD_BUG_ON(sizeof_field(struct xenpv_device_id, devicetype) !=
		     sizeof_field(struct xenbus_device_id, devicetype));

	for (n = 0; n < XENPV_PVOPS_MAX_IDS && drv->ids[n].devicetype[0]; n++)
		;
	if (!n || n == XENPV_PVOPS_MAX_IDS)
		return ERR_PTR(-EINVAL);

	pdrv = kzalloc(sizeof(*pdrv), GFP_KERNEL);
	if (!pdrv)
		return ERR_PTR(-ENOMEM);
	pdrv->drv = drv;
	pdrv->nr_ids = n;

	/* n + 1: the zeroed last entry terminates the kernel's table. */
	pdrv->ids = kcalloc(n + 1, sizeof(*pdrv->ids), GFP_KERNEL);
	if (!pdrv->ids)
		goto out_free;
	while (n--) {
		if (strscpy(pdrv->ids[n].devicetype, drv->ids[n].devicetype,
			    sizeof(pdrv->ids[n].devicetype)) < 0) {
			xenpv_pvops_drv_free(pdrv);
			return ERR_PTR(-EINVAL);
		}
	}

	base = drv->name ? drv->name : drv->ids[0].devicetype;
	if (strstarts(base, "xenpv_"))
		pdrv->name = kstrdup(base, GFP_KERNEL);
	else
		pdrv->name = kasprintf(GFP_KERNEL, "xenpv_%s", base);
	if (!pdrv->name)
		goto out_free;

	pdrv->xd.name = pdrv->name;
	pdrv->xd.ids = pdrv->ids;
#ifdef XENPV_HAVE_XENBUS_DRIVER_NOT_ESSENTIAL
	pdrv->xd.not_essential = drv->not_essential;
#endif
	pdrv->xd.probe = xenpv_pvops_probe;
	pdrv->xd.otherend_changed = xenpv_pvops_otherend_changed;
	pdrv->xd.remove = xenpv_pvops_remove;
	if (drv->suspend)
		pdrv->xd.suspend = xenpv_pvops_suspend;
	if (drv->resume)
		pdrv->xd.resume = xenpv_pvops_resume;
	return pdrv;

out_free:
	xenpv_pvops_drv_free(pdrv);
	return ERR_PTR(-ENOMEM);
}

/*
 * Registering a frontend from a module makes the kernel's xenbus wait, in
 * the registering task, up to 30 s for every device of the driver that has
 * not reached Connected, not_essential or not.  A vfb or vkbd whose backend
 * never comes would hold modprobe (and a boot that loads the module) for
 * those 30 s, so not_essential drivers register from a worker: the devices
 * are bound at once all the same, and only the worker waits.
 */
static void xenpv_pvops_register_work(struct work_struct *work)
{
	struct xenpv_pvops_drv *pdrv =
		container_of(work, struct xenpv_pvops_drv, register_work);
	int err;

	err = __xenbus_register_frontend(&pdrv->xd, pdrv->owner,
					 pdrv->mod_name);
	if (err)
		pr_err("registering xenbus driver %s failed: %d\n", pdrv->name,
		       err);
	pdrv->registered = !err;
}

/*
 * The kernel's xenbus pins @owner (the frontend module) for every device
 * bound to the driver, as for in-tree frontends.  The trampolines are our
 * code, so every registered driver also pins this module.
 */
int xenpv_pvops_register_frontend(struct xenpv_driver *drv,
				  struct module *owner, const char *mod_name)
{
	struct xenpv_pvops_drv *pdrv;
	int err;

	if (!drv->ids || !drv->probe)
		return -EINVAL;
	if (drv->provider_priv)
		return -EBUSY;
	if (!try_module_get(THIS_MODULE))
		return -ENODEV;

	pdrv = xenpv_pvops_drv_alloc(drv);
	if (IS_ERR(pdrv)) {
		err = PTR_ERR(pdrv);
		goto out_put;
	}

	if (drv->not_essential) {
		pdrv->owner = owner;
		pdrv->mod_name = mod_name;
		INIT_WORK(&pdrv->register_work, xenpv_pvops_register_work);
		drv->provider_priv = pdrv;
		queue_work(system_long_wq, &pdrv->register_work);
		return 0;
	}

	err = __xenbus_register_frontend(&pdrv->xd, owner, mod_name);
	if (err) {
		pr_err("registering xenbus driver %s failed: %d\n", pdrv->name,
		       err);
		goto out_free;
	}

	pdrv->registered = true;
	drv->provider_priv = pdrv;
	return 0;

out_free:
	xenpv_pvops_drv_free(pdrv);
out_put:
	module_put(THIS_MODULE);
	return err;
}

/* Unbinds (removes) every device of the driver, then drops our pin. */
void xenpv_pvops_unregister_frontend(struct xenpv_driver *drv)
{
	struct xenpv_pvops_drv *pdrv = drv->provider_priv;

	if (WARN_ON_ONCE(!pdrv))
		return;

	if (drv->not_essential)
		flush_work(&pdrv->register_work);
	if (pdrv->registered)
		xenbus_unregister_driver(&pdrv->xd);
	drv->provider_priv = NULL;
	xenpv_pvops_drv_free(pdrv);
	module_put(THIS_MODULE);
}

/* ---- device operations -------------------------------------------------- */

int xenpv_pvops_switch_state(struct xenpv_device *dev, enum xenbus_state state)
{
	struct xenbus_device *xbdev = xenpv_pvops_xbdev(dev);
	int err;

	err = xenbus_switch_state(xbdev, state);
	dev->state = xbdev->state;
	return err;
}

void xenpv_pvops_dev_error(struct xenpv_device *dev, int err, const char *msg)
{
	xenbus_dev_error(xenpv_pvops_xbdev(dev), err, "%s", msg);
}

/* The kernel also switches the device to Closing. */
void xenpv_pvops_dev_fatal(struct xenpv_device *dev, int err, const char *msg)
{
	struct xenbus_device *xbdev = xenpv_pvops_xbdev(dev);

	xenbus_dev_fatal(xbdev, err, "%s", msg);
	dev->state = xbdev->state;
}

int xenpv_pvops_frontend_closed(struct xenpv_device *dev)
{
	struct xenbus_device *xbdev = xenpv_pvops_xbdev(dev);
	int err;

	err = xenbus_frontend_closed(xbdev);
	dev->state = xbdev->state;
	return err;
}

#ifndef XENPV_HAVE_XENBUS_SETUP_RING
/*
 * Before 5.18 the kernel has no ring allocation helper; this one behaves
 * like the later kernel's: zeroed pages from alloc_pages_exact(), so that
 * each page can be kept alive on its own while the backend still maps it.
 */
static void xenpv_pvops_ungrant_ring(void **vaddr, unsigned int nr_pages,
				     grant_ref_t *grefs)
{
	struct page *page;
	unsigned int i;

	for (i = 0; i < nr_pages; i++) {
		if (grefs[i] == INVALID_GRANT_REF)
			continue;
		if (!xenpv_pvops_try_end_foreign_access(grefs[i])) {
			/* The kernel drops the ref and this page ref later. */
			page = NULL;
			if (*vaddr) {
				page = virt_to_page(*vaddr + i * XEN_PAGE_SIZE);
				get_page(page);
			}
			xenpv_pvops_end_foreign_access(grefs[i], page);
		}
		grefs[i] = INVALID_GRANT_REF;
	}

	if (*vaddr)
		free_pages_exact(*vaddr, nr_pages * XEN_PAGE_SIZE);
	*vaddr = NULL;
}

static int xenpv_pvops_grant_ring(struct xenbus_device *xbdev, gfp_t gfp,
				  void **vaddr, unsigned int nr_pages,
				  grant_ref_t *grefs)
{
	unsigned long gfn;
	unsigned int i;
	void *addr;
	int ref;

	for (i = 0; i < nr_pages; i++)
		grefs[i] = INVALID_GRANT_REF;

	addr = alloc_pages_exact(nr_pages * XEN_PAGE_SIZE, gfp | __GFP_ZERO);
	*vaddr = addr;
	if (!addr) {
		xenbus_dev_fatal(xbdev, -ENOMEM, "allocating %u ring pages",
				 nr_pages);
		return -ENOMEM;
	}

	for (i = 0; i < nr_pages; i++) {
		gfn = virt_to_gfn(addr + i * XEN_PAGE_SIZE);
		ref = gnttab_grant_foreign_access(xbdev->otherend_id, gfn, 0);
		if (ref < 0) {
			xenbus_dev_fatal(xbdev, ref,
					 "granting access to %u ring pages",
					 nr_pages);
			xenpv_pvops_ungrant_ring(vaddr, nr_pages, grefs);
			return ref;
		}
		grefs[i] = ref;
	}
	return 0;
}
#endif

/* XENPV_HAVE_XENBUS_SETUP_RING: xenbus_setup_ring/teardown_ring (5.18). */
int xenpv_pvops_setup_ring(struct xenpv_device *dev, gfp_t gfp, void **vaddr,
			   unsigned int nr_pages, grant_ref_t *grefs)
{
	if (!nr_pages)
		return -EINVAL;
#ifdef XENPV_HAVE_XENBUS_SETUP_RING
	return xenbus_setup_ring(xenpv_pvops_xbdev(dev), gfp, vaddr, nr_pages,
				 grefs);
#else
	return xenpv_pvops_grant_ring(xenpv_pvops_xbdev(dev), gfp, vaddr,
				      nr_pages, grefs);
#endif
}

void xenpv_pvops_teardown_ring(void **vaddr, unsigned int nr_pages,
			       grant_ref_t *grefs)
{
#ifdef XENPV_HAVE_XENBUS_SETUP_RING
	xenbus_teardown_ring(vaddr, nr_pages, grefs);
#else
	xenpv_pvops_ungrant_ring(vaddr, nr_pages, grefs);
#endif
}

int xenpv_pvops_alloc_evtchn(struct xenpv_device *dev, evtchn_port_t *port)
{
	return xenbus_alloc_evtchn(xenpv_pvops_xbdev(dev), port);
}

/* Failures are already reported by the kernel through xenbus_dev_error(). */
void xenpv_pvops_free_evtchn(struct xenpv_device *dev, evtchn_port_t port)
{
	xenbus_free_evtchn(xenpv_pvops_xbdev(dev), port);
}
