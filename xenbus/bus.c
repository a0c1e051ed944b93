// SPDX-License-Identifier: GPL-2.0
/*
 * Native frontend bus "xenpv": device enumeration from xenstore, hotplug,
 * driver binding, the backend-state watch and the bounded connect wait.
 *
 * Copyright (C) 2026 The xenpv authors
 *
 * Devices are the xenstore nodes device/<type>/<id> (console excepted),
 * named <type>-<id> under /sys/bus/xenpv/devices/ and parented by the
 * /sys/devices/xenpv root.  A watch on "device" adds nodes that appear in
 * state Initialising and removes devices whose node disappears; nodes found
 * at load in another state are left over from a previous driver instance
 * or kernel and are walked Closing -> Closed -> Initialising when a driver
 * binds (pitfall 22).  A node's "backend" path is untrusted: it must lie
 * below /local/domain/<backend-id>/backend/ or no device is created.
 *
 * Driver callbacks: probe/remove run in driver-core context with the
 * device lock held; otherend_changed runs in the watch thread; suspend and
 * resume run in the watch thread (control/shutdown) with the device lock.
 */
#include <linux/delay.h>
#include <linux/jiffies.h>
#include <linux/module.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "xenbus_internal.h"

#define XENPV_NBUS_NAME_MAX	31	/* xenpv_device_id.devicetype */

struct xenpv_nbus_drv {
	struct device_driver driver;
	struct xenpv_driver *xdrv;
};

#define to_nbus_dev(d)	container_of(d, struct xenpv_nbus_dev, dev)
#define to_nbus_drv(d)	container_of(d, struct xenpv_nbus_drv, driver)

static struct device *xenpv_nbus_root;
static DEFINE_MUTEX(xenpv_nbus_lock);		/* device add/remove */
static DECLARE_WAIT_QUEUE_HEAD(xenpv_nbus_state_wq);
static atomic_t xenpv_nbus_state_gen = ATOMIC_INIT(0);
static struct xenpv_watch xenpv_nbus_device_watch;

/* Some state of some device changed: wake the connect waiters. */
void xenpv_nbus_state_changed(void)
{
	atomic_inc(&xenpv_nbus_state_gen);
	wake_up_all(&xenpv_nbus_state_wq);
}

static const struct xenpv_device_id *
xenpv_nbus_match_id(const struct xenpv_device_id *ids, const char *type)
{
	for (; ids && ids->devicetype[0]; ids++)
		if (!strcmp(ids->devicetype, type))
			return ids;
	return NULL;
}

static struct xenpv_driver *xenpv_nbus_xdrv(struct device *dev)
{
	return dev->driver ? to_nbus_drv(dev->driver)->xdrv : NULL;
}

/* ---- sysfs ------------------------------------------------------------- */

static ssize_t nodename_show(struct device *dev,
			     struct device_attribute *attr, char *buf)
{
	return sysfs_emit(buf, "%s\n", to_nbus_dev(dev)->xdev.nodename);
}
static DEVICE_ATTR_RO(nodename);

static ssize_t devtype_show(struct device *dev,
			    struct device_attribute *attr, char *buf)
{
	return sysfs_emit(buf, "%s\n", to_nbus_dev(dev)->xdev.devicetype);
}
static DEVICE_ATTR_RO(devtype);

static ssize_t modalias_show(struct device *dev,
			     struct device_attribute *attr, char *buf)
{
	return sysfs_emit(buf, "xenpv:%s\n",
			  to_nbus_dev(dev)->xdev.devicetype);
}
static DEVICE_ATTR_RO(modalias);

static ssize_t backend_show(struct device *dev,
			    struct device_attribute *attr, char *buf)
{
	struct xenpv_nbus_dev *ndev = to_nbus_dev(dev);
	ssize_t ret;

	mutex_lock(&ndev->lock);
	ret = sysfs_emit(buf, "%s\n", ndev->xdev.otherend);
	mutex_unlock(&ndev->lock);
	return ret;
}
static DEVICE_ATTR_RO(backend);

static ssize_t backend_id_show(struct device *dev,
			       struct device_attribute *attr, char *buf)
{
	return sysfs_emit(buf, "%d\n", to_nbus_dev(dev)->xdev.otherend_id);
}
static DEVICE_ATTR_RO(backend_id);

static ssize_t state_show(struct device *dev,
			  struct device_attribute *attr, char *buf)
{
	return sysfs_emit(buf, "%d\n", READ_ONCE(to_nbus_dev(dev)->xdev.state));
}
static DEVICE_ATTR_RO(state);

static ssize_t backend_state_show(struct device *dev,
				  struct device_attribute *attr, char *buf)
{
	return sysfs_emit(buf, "%d\n",
			  READ_ONCE(to_nbus_dev(dev)->backend_state));
}
static DEVICE_ATTR_RO(backend_state);

static struct attribute *xenpv_nbus_dev_attrs[] = {
	&dev_attr_nodename.attr,
	&dev_attr_devtype.attr,
	&dev_attr_modalias.attr,
	&dev_attr_backend.attr,
	&dev_attr_backend_id.attr,
	&dev_attr_state.attr,
	&dev_attr_backend_state.attr,
	NULL,
};
ATTRIBUTE_GROUPS(xenpv_nbus_dev);

/* ---- the backend-state watch ---------------------------------------------- */

/* Before queueing (spinlock held): one pending event is enough (XSA-349). */
static bool xenpv_nbus_otherend_will_handle(struct xenpv_watch *w,
					    const char *path,
					    const char *token)
{
	struct xenpv_nbus_dev *ndev =
		container_of(w, struct xenpv_nbus_dev, otherend_watch);

	return !w->nr_pending &&
	       xenpv_wire_path_under(path, ndev->xdev.otherend);
}

static void xenpv_nbus_otherend_changed(struct xenpv_watch *w,
					const char *path, const char *token)
{
	struct xenpv_nbus_dev *ndev =
		container_of(w, struct xenpv_nbus_dev, otherend_watch);
	struct xenpv_driver *xdrv;
	enum xenbus_state state;

	/* Only the current backend counts (stale events after resume). */
	if (!xenpv_wire_path_under(path, ndev->xdev.otherend)) {
		ndev->stale_events++;
		return;
	}
	state = xenpv_read_state(ndev->xdev.otherend);
	WRITE_ONCE(ndev->backend_state, state);
	if (state == XenbusStateClosed)
		complete(&ndev->down);
	xenpv_nbus_state_changed();

	dev_dbg(&ndev->dev, "backend %s is %s\n", ndev->xdev.otherend,
		xenpv_wire_state_name(state));

	/* Going down: do no work that can fail, just finish closing. */
	if (system_state > SYSTEM_RUNNING) {
		if (state == XenbusStateClosing)
			xenpv_nat_frontend_closed(&ndev->xdev);
		return;
	}
	xdrv = xenpv_nbus_xdrv(&ndev->dev);
	if (xdrv && xdrv->otherend_changed)
		xdrv->otherend_changed(&ndev->xdev, state);
}

static int xenpv_nbus_watch_otherend(struct xenpv_nbus_dev *ndev)
{
	struct xenpv_watch *w = &ndev->otherend_watch;
	int err;

	if (ndev->otherend_watched)
		return 0;
	kfree(ndev->otherend_state);
	ndev->otherend_state = kasprintf(GFP_KERNEL, "%s/state",
					 ndev->xdev.otherend);
	if (!ndev->otherend_state)
		return -ENOMEM;
	memset(w, 0, sizeof(*w));
	INIT_LIST_HEAD(&w->list);
	w->node = ndev->otherend_state;
	w->will_handle = xenpv_nbus_otherend_will_handle;
	w->callback = xenpv_nbus_otherend_changed;
	err = xenpv_xs_watch_register(w);
	if (err)
		return err;
	ndev->otherend_watched = true;
	return 0;
}

static void xenpv_nbus_unwatch_otherend(struct xenpv_nbus_dev *ndev)
{
	if (!ndev->otherend_watched)
		return;
	xenpv_xs_watch_unregister(&ndev->otherend_watch);
	ndev->otherend_watched = false;
}

/* ---- reading a device node ------------------------------------------------- */

/*
 * The frontend node's backend-id and backend path, checked: the id below
 * DOMID_FIRST_RESERVED, the path absolute, well-formed and strictly below
 * /local/domain/<backend-id>/backend/.  Garbled or hostile values give a
 * clear error and no device.
 */
static int xenpv_nbus_read_otherend(const char *nodename, char **otherend,
				    unsigned int *otherend_id)
{
	unsigned int id, len;
	char *be;
	int err;

	err = xenpv_xs_read_uint(nodename, "backend-id", 0,
				 DOMID_FIRST_RESERVED - 1, &id);
	if (err) {
		pr_err_ratelimited("%s: backend-id %s: no device\n", nodename,
				   err == -ENOENT ? "missing" : "invalid");
		return err;
	}
	be = xenpv_xs_read(XENPV_XS_NIL, nodename, "backend", &len);
	if (IS_ERR(be)) {
		err = PTR_ERR(be);
		pr_err_ratelimited("%s: cannot read backend: %d: no device\n",
				   nodename, err);
		return err;
	}
	if (strlen(be) != len || !xenpv_wire_backend_path_ok(be, id)) {
		pr_err_ratelimited("%s: backend \"%*pE\" is not a path below /local/domain/%u/backend/: no device\n",
				   nodename, (int)min(len, 128U), be, id);
		kfree(be);
		return -EINVAL;
	}
	*otherend = be;
	*otherend_id = id;
	return 0;
}

/* Poll the backend state (bounded) until it is one of @mask. */
static enum xenbus_state xenpv_nbus_wait_backend(struct xenpv_nbus_dev *ndev,
						 unsigned long mask)
{
	unsigned long deadline = jiffies +
				 msecs_to_jiffies(XENPV_CLOSE_WAIT_MS);
	enum xenbus_state be;

	for (;;) {
		be = xenpv_read_state(ndev->xdev.otherend);
		WRITE_ONCE(ndev->backend_state, be);
		if ((mask & BIT(be)) || time_after(jiffies, deadline))
			return be;
		msleep(50);
	}
}

/*
 * Bring a node left over by an earlier driver instance or kernel back to
 * Initialising so the backend prepares a fresh connection (pitfall 22).
 * Each step waits a bounded time for the backend to follow.
 */
static int xenpv_nbus_reset_state(struct xenpv_nbus_dev *ndev)
{
	struct xenpv_device *xdev = &ndev->xdev;
	enum xenbus_state own, be;

	own = xenpv_read_state(xdev->nodename);
	if (own == XenbusStateUnknown)
		return -ENODEV;
	xdev->state = own;
	if (own == XenbusStateInitialising)
		return 0;

	be = xenpv_read_state(xdev->otherend);
	dev_info(&ndev->dev, "%s: resetting stale state %s (backend %s)\n",
		 xdev->nodename, xenpv_wire_state_name(own),
		 xenpv_wire_state_name(be));

	if (own != XenbusStateClosing && own != XenbusStateClosed) {
		xenpv_nat_switch_state(xdev, XenbusStateClosing);
		xenpv_nbus_wait_backend(ndev, BIT(XenbusStateClosing) |
					BIT(XenbusStateClosed) |
					BIT(XenbusStateUnknown));
	}
	if (xdev->state != XenbusStateClosed) {
		xenpv_nat_switch_state(xdev, XenbusStateClosed);
		xenpv_nbus_wait_backend(ndev, BIT(XenbusStateClosed) |
					BIT(XenbusStateUnknown) |
					BIT(XenbusStateInitialising) |
					BIT(XenbusStateInitWait));
	}
	if (xenpv_nat_switch_state(xdev, XenbusStateInitialising))
		return -EIO;
	if (xdev->state != XenbusStateInitialising)
		return -ENODEV;		/* the node went away meanwhile */
	be = xenpv_nbus_wait_backend(ndev, ~(BIT(XenbusStateClosing) |
					     BIT(XenbusStateClosed)));
	if (be == XenbusStateClosing || be == XenbusStateClosed)
		dev_warn(&ndev->dev, "%s: backend %s still %s %u ms after the reset (local state Initialising)\n",
			 xdev->nodename, xdev->otherend,
			 xenpv_wire_state_name(be), XENPV_CLOSE_WAIT_MS);
	return 0;
}

/* ---- bus callbacks ------------------------------------------------------------ */

static int xenpv_nbus_match(struct device *dev, XENPV_MATCH_DRV *drv)
{
	struct xenpv_nbus_drv *ndrv = to_nbus_drv(drv);

	return xenpv_nbus_match_id(ndrv->xdrv->ids,
				   to_nbus_dev(dev)->xdev.devicetype) != NULL;
}

static int xenpv_nbus_uevent(XENPV_UEVENT_DEV *dev,
			     struct kobj_uevent_env *env)
{
	const struct xenpv_nbus_dev *ndev = to_nbus_dev(dev);

	if (add_uevent_var(env, "MODALIAS=xenpv:%s", ndev->xdev.devicetype) ||
	    add_uevent_var(env, "XENPV_TYPE=%s", ndev->xdev.devicetype) ||
	    add_uevent_var(env, "XENPV_PATH=%s", ndev->xdev.nodename))
		return -ENOMEM;
	return 0;
}

static int xenpv_nbus_probe(struct device *dev)
{
	struct xenpv_nbus_dev *ndev = to_nbus_dev(dev);
	struct xenpv_driver *xdrv = xenpv_nbus_xdrv(dev);
	const struct xenpv_device_id *id;
	int err;

	id = xenpv_nbus_match_id(xdrv->ids, ndev->xdev.devicetype);
	if (!id || !xdrv->probe)
		return -ENODEV;

	err = xenpv_nbus_reset_state(ndev);
	if (err)
		return err;
	reinit_completion(&ndev->down);

	err = xdrv->probe(&ndev->xdev, id);
	if (err) {
		xenpv_dev_error(&ndev->xdev, err, "probe of %s by %s failed",
				ndev->xdev.nodename, xdrv->name);
		return err;
	}
	err = xenpv_nbus_watch_otherend(ndev);
	if (err) {
		dev_err(dev, "%s: cannot watch %s/state: %d\n",
			ndev->xdev.nodename, ndev->xdev.otherend, err);
		if (xdrv->remove)
			xdrv->remove(&ndev->xdev);
		return err;
	}
	xenpv_nbus_state_changed();
	return 0;
}

static bool xenpv_nbus_active(enum xenbus_state s)
{
	return s != XenbusStateUnknown && s != XenbusStateInitialising &&
	       s != XenbusStateClosing && s != XenbusStateClosed;
}

/*
 * Tell the backend we go away and give it a bounded time to follow: the
 * frontend's otherend_changed() sees the backend close and calls
 * xenpv_frontend_closed().  Not from the watch thread, which is the one
 * that would deliver that answer.
 */
static void xenpv_nbus_close(struct xenpv_nbus_dev *ndev)
{
	struct xenpv_device *xdev = &ndev->xdev;
	unsigned long start = jiffies;
	enum xenbus_state be;

	if (xenpv_xw_in_watch_thread() || !xenpv_nbus_active(xdev->state))
		return;
	reinit_completion(&ndev->down);
	if (xenpv_nat_switch_state(xdev, XenbusStateClosing) ||
	    xdev->state != XenbusStateClosing)
		return;
	/* A backend that is gone or closed already sends no more events. */
	be = xenpv_read_state(xdev->otherend);
	if (be == XenbusStateClosed || be == XenbusStateUnknown)
		return;
	if (!wait_for_completion_timeout(&ndev->down,
					 msecs_to_jiffies(XENPV_CLOSE_WAIT_MS)))
		dev_warn(&ndev->dev, "%s: backend %s did not close within %u ms (local state %s, backend state %s)\n",
			 xdev->nodename, xdev->otherend,
			 jiffies_to_msecs(jiffies - start),
			 xenpv_wire_state_name(xdev->state),
			 xenpv_wire_state_name(READ_ONCE(ndev->backend_state)));
}

static void xenpv_nbus_do_remove(struct device *dev)
{
	struct xenpv_nbus_dev *ndev = to_nbus_dev(dev);
	struct xenpv_driver *xdrv = xenpv_nbus_xdrv(dev);

	xenpv_nbus_close(ndev);
	xenpv_nbus_unwatch_otherend(ndev);
	if (xdrv && xdrv->remove)
		xdrv->remove(&ndev->xdev);
	/* Never leave the node half-open; a no-op when it is gone. */
	xenpv_nat_switch_state(&ndev->xdev, XenbusStateClosed);
	xenpv_nbus_state_changed();
}

#ifdef XENPV_HAVE_BUS_REMOVE_INT
static int xenpv_nbus_remove(struct device *dev)
{
	xenpv_nbus_do_remove(dev);
	return 0;
}
#else
static void xenpv_nbus_remove(struct device *dev)
{
	xenpv_nbus_do_remove(dev);
}
#endif

static void xenpv_nbus_shutdown(struct device *dev)
{
	if (dev->driver)
		xenpv_nbus_close(to_nbus_dev(dev));
}

static struct bus_type xenpv_nbus_type = {
	.name		= "xenpv",
	.dev_groups	= xenpv_nbus_dev_groups,
	.match		= xenpv_nbus_match,
	.uevent		= xenpv_nbus_uevent,
	.probe		= xenpv_nbus_probe,
	.remove		= xenpv_nbus_remove,
	.shutdown	= xenpv_nbus_shutdown,
};

/* ---- devices ----------------------------------------------------------------- */

static void xenpv_nbus_release(struct device *dev)
{
	struct xenpv_nbus_dev *ndev = to_nbus_dev(dev);

	kfree(ndev->otherend_state);
	kfree(ndev->old_otherend);
	kfree(ndev->xdev.otherend);
	kfree(ndev->xdev.nodename);
	kfree(ndev->xdev.devicetype);
	kfree(ndev);
}

static int xenpv_nbus_match_node(struct device *dev, const void *data)
{
	return !strcmp(to_nbus_dev(dev)->xdev.nodename, data);
}

static struct device *xenpv_nbus_find(const char *nodename)
{
	return bus_find_device(&xenpv_nbus_type, NULL, nodename,
			       xenpv_nbus_match_node);
}

/*
 * Create the device for device/<type>/<id> unless it exists.  Hotplugged
 * nodes must read Initialising; at load (@initial) any state but Unknown
 * is taken and reset when a driver binds.
 */
static void xenpv_nbus_add(const char *type, const char *id, bool initial)
{
	struct xenpv_nbus_dev *ndev;
	unsigned int otherend_id;
	enum xenbus_state state;
	char *nodename, *otherend;
	struct device *dev;
	int err;

	nodename = kasprintf(GFP_KERNEL, "device/%s/%s", type, id);
	if (!nodename)
		return;
	dev = xenpv_nbus_find(nodename);
	if (dev) {
		put_device(dev);
		goto out_free;
	}
	state = xenpv_read_state(nodename);
	if (state == XenbusStateUnknown ||
	    (!initial && state != XenbusStateInitialising))
		goto out_free;
	if (xenpv_nbus_read_otherend(nodename, &otherend, &otherend_id))
		goto out_free;

	ndev = kzalloc(sizeof(*ndev), GFP_KERNEL);
	if (!ndev) {
		kfree(otherend);
		goto out_free;
	}
	mutex_init(&ndev->lock);
	init_completion(&ndev->down);
	ndev->xdev.nodename = nodename;
	ndev->xdev.devicetype = kstrdup(type, GFP_KERNEL);
	ndev->xdev.otherend = otherend;
	ndev->xdev.otherend_id = otherend_id;
	ndev->xdev.state = state;
	ndev->xdev.dev = &ndev->dev;
	ndev->xdev.provider_priv = ndev;
	ndev->backend_state = xenpv_read_state(otherend);
	ndev->dev.bus = &xenpv_nbus_type;
	ndev->dev.parent = xenpv_nbus_root;
	ndev->dev.release = xenpv_nbus_release;
	device_initialize(&ndev->dev);
	/* From here the release function owns every allocation. */
	if (!ndev->xdev.devicetype) {
		put_device(&ndev->dev);
		return;
	}
	err = dev_set_name(&ndev->dev, "%s-%s", type, id);
	if (!err)
		err = device_add(&ndev->dev);
	if (err) {
		pr_err("%s: cannot register the device: %d\n", nodename, err);
		put_device(&ndev->dev);
		return;
	}
	dev_dbg(&ndev->dev, "%s added (state %s, backend %s)\n", nodename,
		xenpv_wire_state_name(state), otherend);
	return;

out_free:
	kfree(nodename);
}

/* Every id below device/<type>. */
static void xenpv_nbus_scan_type(const char *type, bool initial)
{
	unsigned int nids, i;
	char **ids;

	if (!strcmp(type, "console") ||
	    !xenpv_wire_name_valid(type, XENPV_NBUS_NAME_MAX))
		return;
	ids = xenpv_xs_directory(XENPV_XS_NIL, "device", type, &nids);
	if (IS_ERR(ids))
		return;
	for (i = 0; i < nids; i++)
		if (xenpv_wire_name_valid(ids[i], XENPV_NBUS_NAME_MAX))
			xenpv_nbus_add(type, ids[i], initial);
	kfree(ids);
}

static void xenpv_nbus_scan(bool initial)
{
	unsigned int ntypes, i;
	char **types;

	types = xenpv_xs_directory(XENPV_XS_NIL, "device", "", &ntypes);
	if (IS_ERR(types))
		return;
	for (i = 0; i < ntypes; i++)
		xenpv_nbus_scan_type(types[i], initial);
	kfree(types);
}

struct xenpv_nbus_gone_ctx {
	const char *type;	/* NULL: any */
};

static int xenpv_nbus_match_gone(struct device *dev, const void *data)
{
	const struct xenpv_nbus_gone_ctx *ctx = data;
	struct xenpv_nbus_dev *ndev = to_nbus_dev(dev);

	if (ctx->type && strcmp(ndev->xdev.devicetype, ctx->type))
		return 0;
	return !xenpv_xs_exists(XENPV_XS_NIL, ndev->xdev.nodename, "");
}

/* Unregister devices (of @type, or all) whose node is gone. */
static void xenpv_nbus_reap(const char *type)
{
	struct xenpv_nbus_gone_ctx ctx = { type };
	struct device *dev;

	while ((dev = bus_find_device(&xenpv_nbus_type, NULL, &ctx,
				      xenpv_nbus_match_gone))) {
		dev_info(dev, "%s removed\n", to_nbus_dev(dev)->xdev.nodename);
		device_unregister(dev);
		put_device(dev);
	}
}

/*
 * The "device" watch: @path is "device", "device/<type>" or below
 * "device/<type>/<id>".  Our own writes under a device fire it too, so the
 * common case (device known, node present) costs one existence check.
 */
static void xenpv_nbus_device_changed(struct xenpv_watch *w, const char *path,
				      const char *token)
{
	char type[XENPV_NBUS_NAME_MAX + 1], id[XENPV_NBUS_NAME_MAX + 1];
	const char *p, *slash;
	char *nodename;
	struct device *dev;
	size_t n;

	if (!xenpv_wire_path_under(path, "device"))
		return;
	mutex_lock(&xenpv_nbus_lock);
	p = path + strlen("device");
	if (!*p) {
		xenpv_nbus_reap(NULL);
		xenpv_nbus_scan(false);
		goto out;
	}
	p++;
	slash = strchr(p, '/');
	n = slash ? (size_t)(slash - p) : strlen(p);
	if (!n || n >= sizeof(type))
		goto out;
	memcpy(type, p, n);
	type[n] = '\0';
	if (!strcmp(type, "console") ||
	    !xenpv_wire_name_valid(type, XENPV_NBUS_NAME_MAX))
		goto out;
	if (!slash) {
		xenpv_nbus_reap(type);
		xenpv_nbus_scan_type(type, false);
		goto out;
	}
	p = slash + 1;
	slash = strchr(p, '/');
	n = slash ? (size_t)(slash - p) : strlen(p);
	if (!n || n >= sizeof(id))
		goto out;
	memcpy(id, p, n);
	id[n] = '\0';
	if (!xenpv_wire_name_valid(id, XENPV_NBUS_NAME_MAX))
		goto out;

	nodename = kasprintf(GFP_KERNEL, "device/%s/%s", type, id);
	if (!nodename)
		goto out;
	dev = xenpv_nbus_find(nodename);
	if (!xenpv_xs_exists(XENPV_XS_NIL, nodename, "")) {
		if (dev) {
			dev_info(dev, "%s removed\n", nodename);
			device_unregister(dev);
		}
	} else if (!dev) {
		xenpv_nbus_add(type, id, false);
	}
	if (dev)
		put_device(dev);
	kfree(nodename);
out:
	mutex_unlock(&xenpv_nbus_lock);
}

/* ---- drivers ------------------------------------------------------------------ */

/* Whether @dev (bound to @ndrv) is still on its way to Connected. */
static bool xenpv_nbus_connecting(struct xenpv_nbus_dev *ndev)
{
	enum xenbus_state own = READ_ONCE(ndev->xdev.state);
	enum xenbus_state be = READ_ONCE(ndev->backend_state);

	if (own >= XenbusStateConnected)
		return false;
	return be != XenbusStateClosing && be != XenbusStateClosed &&
	       be != XenbusStateUnknown;
}

struct xenpv_nbus_wait_ctx {
	struct device_driver *driver;
	unsigned int connecting;
	bool report;
	unsigned int elapsed_ms;
};

static int xenpv_nbus_count_connecting(struct device *dev, void *data)
{
	struct xenpv_nbus_wait_ctx *ctx = data;
	struct xenpv_nbus_dev *ndev = to_nbus_dev(dev);

	if (READ_ONCE(dev->driver) != ctx->driver ||
	    !xenpv_nbus_connecting(ndev))
		return 0;
	ctx->connecting++;
	if (ctx->report)
		dev_warn(dev, "timeout connecting to %s after %u ms (local state %s, backend %s state %s); continuing without it\n",
			 ndev->xdev.nodename, ctx->elapsed_ms,
			 xenpv_wire_state_name(READ_ONCE(ndev->xdev.state)),
			 ndev->xdev.otherend,
			 xenpv_wire_state_name(READ_ONCE(ndev->backend_state)));
	return 0;
}

/*
 * After an essential driver registered: wait up to connect_wait seconds
 * for its devices to connect (or for their backends to give up), so that
 * the disk or NIC exists when module loading returns (pitfalls C1, C7).
 */
static void xenpv_nbus_wait_connected(struct xenpv_nbus_drv *ndrv)
{
	unsigned long start = jiffies;
	unsigned long deadline = start + xenpv_xb_connect_wait * HZ;
	unsigned long next_note = start + 5 * HZ;
	struct xenpv_nbus_wait_ctx ctx = { .driver = &ndrv->driver };
	int gen;

	for (;;) {
		gen = atomic_read(&xenpv_nbus_state_gen);
		ctx.connecting = 0;
		bus_for_each_dev(&xenpv_nbus_type, NULL, &ctx,
				 xenpv_nbus_count_connecting);
		if (!ctx.connecting)
			return;
		if (time_after_eq(jiffies, deadline))
			break;
		if (time_after_eq(jiffies, next_note)) {
			pr_info("%s: waiting for %u device(s) to connect (%u s left)\n",
				ndrv->xdrv->name, ctx.connecting,
				jiffies_to_msecs(deadline - jiffies) / 1000);
			next_note = jiffies + 5 * HZ;
		}
		wait_event_timeout(xenpv_nbus_state_wq,
				   atomic_read(&xenpv_nbus_state_gen) != gen,
				   min_t(unsigned long, HZ,
					 deadline - jiffies + 1));
	}
	ctx.report = true;
	ctx.elapsed_ms = jiffies_to_msecs(jiffies - start);
	bus_for_each_dev(&xenpv_nbus_type, NULL, &ctx,
			 xenpv_nbus_count_connecting);
}

int xenpv_nbus_register_frontend(struct xenpv_driver *xdrv,
				 struct module *owner, const char *mod_name)
{
	struct xenpv_nbus_drv *ndrv;
	int err;

	if (!xdrv->name || !xdrv->ids || !xdrv->probe)
		return -EINVAL;
	ndrv = kzalloc(sizeof(*ndrv), GFP_KERNEL);
	if (!ndrv)
		return -ENOMEM;
	ndrv->xdrv = xdrv;
	ndrv->driver.name = xdrv->name;
	ndrv->driver.bus = &xenpv_nbus_type;
	ndrv->driver.owner = owner;
	ndrv->driver.mod_name = mod_name;
	xdrv->provider_priv = ndrv;

	/* Binds, and so probes, every matching device present now. */
	err = driver_register(&ndrv->driver);
	if (err) {
		pr_err("cannot register frontend driver %s: %d\n", xdrv->name,
		       err);
		xdrv->provider_priv = NULL;
		kfree(ndrv);
		return err;
	}
	if (!xdrv->not_essential && xenpv_xb_connect_wait)
		xenpv_nbus_wait_connected(ndrv);
	return 0;
}

void xenpv_nbus_unregister_frontend(struct xenpv_driver *xdrv)
{
	struct xenpv_nbus_drv *ndrv = xdrv->provider_priv;

	if (!ndrv)
		return;
	driver_unregister(&ndrv->driver);
	xdrv->provider_priv = NULL;
	kfree(ndrv);
}

/* ---- suspend and resume (from control.c, in the watch thread) ---------------- */

static int xenpv_nbus_suspend_one(struct device *dev, void *data)
{
	struct xenpv_nbus_dev *ndev = to_nbus_dev(dev);
	struct xenpv_driver *xdrv;
	int err = 0;

	device_lock(dev);
	xdrv = xenpv_nbus_xdrv(dev);
	if (xdrv && xdrv->suspend)
		err = xdrv->suspend(&ndev->xdev);
	device_unlock(dev);
	if (err)
		dev_err(dev, "%s refused to suspend: %d\n",
			ndev->xdev.nodename, err);
	return err;
}

int xenpv_nbus_suspend(void)
{
	return bus_for_each_dev(&xenpv_nbus_type, NULL, NULL,
				xenpv_nbus_suspend_one);
}

/*
 * In a new domain: the backend may have moved (new backend domain or
 * path), the toolstack recreated our node in state Initialising.  Re-read
 * the backend, let the driver reconnect, watch the new backend.
 */
static int xenpv_nbus_resume_one(struct device *dev, void *data)
{
	struct xenpv_nbus_dev *ndev = to_nbus_dev(dev);
	struct xenpv_device *xdev = &ndev->xdev;
	struct xenpv_driver *xdrv;
	unsigned int otherend_id;
	char *otherend;
	int err;

	device_lock(dev);
	xenpv_nbus_unwatch_otherend(ndev);
	err = xenpv_nbus_read_otherend(xdev->nodename, &otherend,
				       &otherend_id);
	if (err)
		goto out;	/* the device watch removes a vanished node */

	mutex_lock(&ndev->lock);
	/* Keep the previous string one more resume for late readers. */
	kfree(ndev->old_otherend);
	ndev->old_otherend = xdev->otherend;
	xdev->otherend = otherend;
	xdev->otherend_id = otherend_id;
	xdev->state = XenbusStateInitialising;
	mutex_unlock(&ndev->lock);
	WRITE_ONCE(ndev->backend_state, xenpv_read_state(otherend));

	xdrv = xenpv_nbus_xdrv(dev);
	if (!xdrv)
		goto out;
	reinit_completion(&ndev->down);
	if (xdrv->resume) {
		err = xdrv->resume(xdev);
		if (err) {
			xenpv_dev_fatal(xdev, err, "resume of %s failed",
					xdev->nodename);
			goto out;
		}
	}
	err = xenpv_nbus_watch_otherend(ndev);
	if (err)
		dev_err(dev, "%s: cannot watch %s/state after resume: %d\n",
			xdev->nodename, xdev->otherend, err);
out:
	device_unlock(dev);
	return 0;
}

void xenpv_nbus_resume(void)
{
	bus_for_each_dev(&xenpv_nbus_type, NULL, NULL, xenpv_nbus_resume_one);
	xenpv_nbus_state_changed();
}

/* ---- init, exit, debugfs ------------------------------------------------------ */

static void xenpv_nbus_remove_all(void)
{
	struct device *dev;

	while ((dev = bus_find_device(&xenpv_nbus_type, NULL, NULL,
				      device_match_any))) {
		device_unregister(dev);
		put_device(dev);
	}
}

int xenpv_nbus_init(void)
{
	int err;

	xenpv_nbus_root = root_device_register("xenpv");
	if (IS_ERR(xenpv_nbus_root)) {
		err = PTR_ERR(xenpv_nbus_root);
		pr_err("cannot register the xenpv root device: %d\n", err);
		return err;
	}
	err = bus_register(&xenpv_nbus_type);
	if (err) {
		pr_err("cannot register the xenpv bus: %d\n", err);
		goto out_root;
	}

	mutex_lock(&xenpv_nbus_lock);
	xenpv_nbus_scan(true);
	mutex_unlock(&xenpv_nbus_lock);

	xenpv_nbus_device_watch.node = "device";
	xenpv_nbus_device_watch.callback = xenpv_nbus_device_changed;
	INIT_LIST_HEAD(&xenpv_nbus_device_watch.list);
	err = xenpv_xs_watch_register(&xenpv_nbus_device_watch);
	if (err) {
		pr_err("cannot watch device/ for hotplug: %d\n", err);
		goto out_devices;
	}
	return 0;

out_devices:
	xenpv_nbus_remove_all();
	bus_unregister(&xenpv_nbus_type);
out_root:
	root_device_unregister(xenpv_nbus_root);
	return err;
}

/* Frontend drivers are gone (they depend on this module). */
void xenpv_nbus_exit(void)
{
	xenpv_xs_watch_unregister(&xenpv_nbus_device_watch);
	mutex_lock(&xenpv_nbus_lock);
	xenpv_nbus_remove_all();
	mutex_unlock(&xenpv_nbus_lock);
	bus_unregister(&xenpv_nbus_type);
	root_device_unregister(xenpv_nbus_root);
}

static int xenpv_nbus_show_one(struct device *dev, void *data)
{
	struct xenpv_nbus_dev *ndev = to_nbus_dev(dev);
	struct seq_file *m = data;
	struct xenpv_driver *xdrv;

	device_lock(dev);
	xdrv = xenpv_nbus_xdrv(dev);
	mutex_lock(&ndev->lock);
	seq_printf(m, "  %s %s state %s, backend %s (domain %d) %s, driver %s, stale events %lu\n",
		   dev_name(dev), ndev->xdev.nodename,
		   xenpv_wire_state_name(ndev->xdev.state), ndev->xdev.otherend,
		   ndev->xdev.otherend_id,
		   xenpv_wire_state_name(READ_ONCE(ndev->backend_state)),
		   xdrv ? xdrv->name : "-", ndev->stale_events);
	mutex_unlock(&ndev->lock);
	device_unlock(dev);
	return 0;
}

void xenpv_nbus_debugfs_show(struct seq_file *m)
{
	seq_puts(m, "devices:\n");
	bus_for_each_dev(&xenpv_nbus_type, NULL, m, xenpv_nbus_show_one);
}
