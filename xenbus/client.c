// SPDX-License-Identifier: GPL-2.0
/*
 * Native frontend helpers: state switching, error reporting, shared ring
 * pages and event channels.
 *
 * Copyright (C) 2026 The xenpv authors
 *
 * State rules (protocol.md 12.3, pitfall 20): a switch is a no-op when the
 * state is unchanged, runs in its own transaction, reads "state" first and
 * gives up silently when the node is gone (never recreate a removed
 * device directory), and retries when the commit reports -EAGAIN.
 */
#include <linux/gfp.h>
#include <linux/mm.h>
#include <linux/sched.h>
#include <linux/slab.h>

#include "xenbus_internal.h"

/* Ring pages are granted one 4 KiB Xen page each. */
static_assert(PAGE_SIZE == 4096, "xenpv rings assume 4 KiB pages");

/* Largest shared ring a frontend may ask for (16 pages = order 4). */
#define XENPV_RING_MAX_PAGES	16

struct xenpv_state_write {
	const char *nodename;
	enum xenbus_state state;
};

/* 1 (abort: nothing to write) when the node is gone. */
static int xenpv_nat_write_state_tx(struct xenpv_xs_tx t, void *arg,
				    const char **what)
{
	const struct xenpv_state_write *w = arg;
	char *cur;

	*what = "reading state";
	cur = xenpv_xs_read(t, w->nodename, "state", NULL);
	if (IS_ERR(cur))
		return PTR_ERR(cur) == -ENOENT ? 1 : PTR_ERR(cur);
	kfree(cur);
	*what = "writing state";
	return xenpv_xs_printf(t, w->nodename, "state", "%d", w->state);
}

/*
 * Write @state to <nodename>/state if the node still exists.  Returns 1
 * when written, 0 when the node is gone (nothing written), or -errno.
 */
int xenpv_nat_write_state(const char *nodename, enum xenbus_state state)
{
	struct xenpv_state_write w = { .nodename = nodename, .state = state };
	const char *what;
	int err;

	err = xenpv_xs_transact(xenpv_nat_write_state_tx, &w, &what);
	if (err < 0)
		return err;
	return err ? 0 : 1;
}

int xenpv_nat_switch_state(struct xenpv_device *xdev, enum xenbus_state state)
{
	struct xenpv_nbus_dev *ndev = xenpv_to_nbus(xdev);
	int err;

	mutex_lock(&ndev->lock);
	if (state == xdev->state) {
		mutex_unlock(&ndev->lock);
		return 0;
	}
	err = xenpv_nat_write_state(xdev->nodename, state);
	if (err > 0) {
		xdev->state = state;
		err = 0;
	} else if (!err) {
		dev_dbg(xdev->dev, "%s is gone: state %s not written\n",
			xdev->nodename, xenpv_wire_state_name(state));
	} else {
		dev_err(xdev->dev, "cannot switch %s to state %s: %d\n",
			xdev->nodename, xenpv_wire_state_name(state), err);
	}
	mutex_unlock(&ndev->lock);
	if (!err)
		xenpv_nbus_state_changed();
	return err;
}

/* Longest message stored under error/<nodename>/error. */
#define XENPV_ERROR_MSG_MAX	512

void xenpv_nat_dev_error(struct xenpv_device *xdev, int err, const char *msg)
{
	char *path, *buf;
	int ret;

	dev_err(xdev->dev, "%s: %s (%d)\n", xdev->nodename, msg, err);

	buf = kasprintf(GFP_KERNEL, "%i %s", -err, msg);
	path = kasprintf(GFP_KERNEL, "error/%s", xdev->nodename);
	if (!buf || !path)
		goto out;
	if (strlen(buf) > XENPV_ERROR_MSG_MAX)
		buf[XENPV_ERROR_MSG_MAX] = '\0';
	ret = xenpv_xs_write(XENPV_XS_NIL, path, "error", buf);
	if (ret)
		dev_err(xdev->dev, "cannot write %s/error: %d\n", path, ret);
out:
	kfree(path);
	kfree(buf);
}

void xenpv_nat_dev_fatal(struct xenpv_device *xdev, int err, const char *msg)
{
	xenpv_nat_dev_error(xdev, err, msg);
	xenpv_nat_switch_state(xdev, XenbusStateClosing);
}

/* The frontend finished closing: Closed, and wake a waiting remove(). */
int xenpv_nat_frontend_closed(struct xenpv_device *xdev)
{
	struct xenpv_nbus_dev *ndev = xenpv_to_nbus(xdev);
	int err;

	err = xenpv_nat_switch_state(xdev, XenbusStateClosed);
	complete(&ndev->down);
	return err;
}

/*
 * alloc_pages_exact() splits its allocation into independent order-0
 * pages, so each ring page is handed to xenpv_gnttab_end_access() on its
 * own: pages the backend released are freed at once, a page it still
 * maps waits on the platform's deferred list.  Freeing the whole range
 * with free_pages_exact() afterwards would free pages twice.
 */
static void xenpv_nat_release_ring(void *vaddr, unsigned int nr_pages,
				   const grant_ref_t *grefs,
				   unsigned int nr_granted)
{
	unsigned int i;

	for (i = 0; i < nr_pages; i++) {
		void *addr = vaddr + i * PAGE_SIZE;

		if (i < nr_granted)
			xenpv_gnttab_end_access(grefs[i], virt_to_page(addr));
		else
			free_page((unsigned long)addr);
	}
}

int xenpv_nat_setup_ring(struct xenpv_device *xdev, gfp_t gfp, void **vaddr,
			 unsigned int nr_pages, grant_ref_t *grefs)
{
	unsigned int i;
	void *addr;
	int ref;

	*vaddr = NULL;
	if (!nr_pages || nr_pages > XENPV_RING_MAX_PAGES)
		return -EINVAL;

	/* Zeroed before it is shared (XSA-403). */
	addr = alloc_pages_exact(nr_pages * PAGE_SIZE, gfp | __GFP_ZERO);
	if (!addr) {
		xenpv_dev_fatal(xdev, -ENOMEM, "allocating a %u-page ring",
				nr_pages);
		return -ENOMEM;
	}
	for (i = 0; i < nr_pages; i++) {
		ref = xenpv_gnttab_grant_access(xdev->otherend_id,
						xenpv_virt_to_gfn(addr +
								  i * PAGE_SIZE),
						false);
		if (ref < 0) {
			xenpv_nat_release_ring(addr, nr_pages, grefs, i);
			xenpv_dev_fatal(xdev, ref, "granting ring page %u", i);
			return ref;
		}
		grefs[i] = ref;
	}
	*vaddr = addr;
	return 0;
}

/* Safe on a ring that was never set up or is already torn down. */
void xenpv_nat_teardown_ring(void **vaddr, unsigned int nr_pages,
			     grant_ref_t *grefs)
{
	if (!*vaddr)
		return;
	xenpv_nat_release_ring(*vaddr, nr_pages, grefs, nr_pages);
	*vaddr = NULL;
}

int xenpv_nat_alloc_evtchn(struct xenpv_device *xdev, evtchn_port_t *port)
{
	int err;

	err = xenpv_evtchn_alloc_unbound(xdev->otherend_id, port);
	if (err)
		xenpv_dev_fatal(xdev, err, "allocating an event channel");
	return err;
}

void xenpv_nat_free_evtchn(struct xenpv_device *xdev, evtchn_port_t port)
{
	xenpv_evtchn_close(port);
}
