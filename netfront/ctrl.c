// SPDX-License-Identifier: GPL-2.0
/*
 * xenpv netfront: the control ring (feature-ctrl-ring) and receive hashing
 * (Toeplitz key, hash types and the hash-to-queue mapping, ethtool -x/-X).
 *
 * Copyright (C) 2026 The xenpv authors
 *
 * One request is in flight at a time (ctrl->lock); the event handler copies
 * each response once, checks it answers that request, and wakes the
 * requester.  A protocol error or a request left unanswered for
 * NF_BACKEND_TIMEOUT disables the control ring until the next connect; the
 * data path is not affected.
 */
#include <linux/etherdevice.h>
#include <linux/ethtool.h>
#include <linux/mm.h>
#include <linux/netdevice.h>
#include <linux/rtnetlink.h>

#include "netfront.h"

void xenpv_nf_ctrl_init(struct nf_info *info)
{
	struct nf_ctrl *c = &info->ctrl;

	mutex_init(&c->lock);
	init_waitqueue_head(&c->wq);
	spin_lock_init(&c->rsp_lock);
	atomic_long_set(&c->errors, 0);
	netdev_rss_key_fill(c->key, sizeof(c->key));
}

/* rsp_lock held. */
static void nf_ctrl_fail(struct nf_info *info, const char *why)
{
	struct nf_ctrl *c = &info->ctrl;

	atomic_long_inc(&c->errors);
	if (c->broken)
		return;
	c->broken = true;
	c->waiting = false;
	netdev_warn(info->netdev, "control ring disabled: %s\n", why);
}

static irqreturn_t nf_ctrl_interrupt(int irq, void *dev_id)
{
	struct nf_info *info = dev_id;
	struct nf_ctrl *c = &info->ctrl;
	bool work = false, broken;
	unsigned long flags;
	RING_IDX prod, cons;
	int more;

	spin_lock_irqsave(&c->rsp_lock, flags);
	if (c->broken || !c->ring.sring)
		goto unlock;

	do {
		prod = READ_ONCE(c->ring.sring->rsp_prod);
		virt_rmb();	/* responses are read after the producer */
		if (xenpv_nf_ring_check(prod, c->ring.rsp_cons,
					c->ring.req_prod_pvt,
					XENPV_NF_CTRL_RING_SIZE)) {
			nf_ctrl_fail(info, "illegal response producer");
			goto unlock;
		}
		for (cons = c->ring.rsp_cons; cons != prod; cons++) {
			struct xen_netif_ctrl_response rsp;

			NF_COPY_RSP(&c->ring, cons, &rsp);
			work = true;
			if (!c->waiting ||
			    xenpv_nf_ctrl_rsp_check(&rsp, c->wait_id,
						    c->wait_type)) {
				nf_ctrl_fail(info, "unexpected response");
				goto unlock;
			}
			c->rsp = rsp;
			c->waiting = false;
			c->done = true;
		}
		c->ring.rsp_cons = cons;
		RING_FINAL_CHECK_FOR_RESPONSES(&c->ring, more);
	} while (more);

unlock:
	broken = c->broken;
	spin_unlock_irqrestore(&c->rsp_lock, flags);
	wake_up(&c->wq);

	/* Disabled: no EOI, the channel stays masked. */
	if (!broken)
		xenpv_evtchn_lateeoi(irq, work ? 0 : XENPV_EOI_SPURIOUS);
	return IRQ_HANDLED;
}

/* Send one request and wait for its answer; *data gets the response data. */
static int nf_ctrl_request(struct nf_info *info, u16 type, u32 d0, u32 d1,
			   u32 d2, u32 *data)
{
	struct nf_ctrl *c = &info->ctrl;
	struct xen_netif_ctrl_request *req;
	unsigned long flags;
	int notify, err;

	mutex_lock(&c->lock);
	spin_lock_irqsave(&c->rsp_lock, flags);
	if (!c->active || c->broken || !c->ring.sring) {
		spin_unlock_irqrestore(&c->rsp_lock, flags);
		err = -ENOTCONN;
		goto unlock;
	}
	if (RING_FULL(&c->ring)) {
		nf_ctrl_fail(info, "ring full");
		spin_unlock_irqrestore(&c->rsp_lock, flags);
		err = -EIO;
		goto unlock;
	}

	c->wait_id = c->next_id++;
	c->wait_type = type;
	c->waiting = true;
	c->done = false;
	req = RING_GET_REQUEST(&c->ring, c->ring.req_prod_pvt);
	req->id = c->wait_id;
	req->type = type;
	req->data[0] = d0;
	req->data[1] = d1;
	req->data[2] = d2;
	c->ring.req_prod_pvt++;
	RING_PUSH_REQUESTS_AND_CHECK_NOTIFY(&c->ring, notify);
	spin_unlock_irqrestore(&c->rsp_lock, flags);
	if (notify)
		xenpv_evtchn_notify(c->port);

	wait_event_timeout(c->wq, READ_ONCE(c->done) || READ_ONCE(c->broken),
			   NF_BACKEND_TIMEOUT);

	spin_lock_irqsave(&c->rsp_lock, flags);
	if (c->done) {
		c->done = false;
		err = xenpv_nf_ctrl_status_errno(c->rsp.status);
		if (!err && data)
			*data = c->rsp.data;
	} else {
		nf_ctrl_fail(info, "request not answered");
		err = -ETIMEDOUT;
	}
	spin_unlock_irqrestore(&c->rsp_lock, flags);
unlock:
	mutex_unlock(&c->lock);
	return err;
}

/* A request whose data[0] is a grant of @len bytes from @buf. */
static int nf_ctrl_request_buf(struct nf_info *info, u16 type,
			       const void *buf, size_t len, u32 d1, u32 d2)
{
	struct page *page;
	int ref, err;

	page = alloc_page(GFP_KERNEL | __GFP_ZERO);
	if (!page)
		return -ENOMEM;
	memcpy(page_address(page), buf, len);

	ref = xenpv_gnttab_grant_access(info->xdev->otherend_id,
					xenpv_page_to_gfn(page), true);
	if (ref < 0) {
		put_page(page);
		return ref;
	}

	err = nf_ctrl_request(info, type, ref, d1, d2, NULL);

	if (xenpv_gnttab_try_end_access(ref)) {
		put_page(page);
	} else {
		/* Still mapped after answering (or no answer): park it. */
		xenpv_gnttab_end_access(ref, page);
		if (!err)
			err = -EIO;
	}
	return err;
}

static int nf_rss_send_key(struct nf_info *info)
{
	struct nf_ctrl *c = &info->ctrl;

	return nf_ctrl_request_buf(info, XEN_NETIF_CTRL_TYPE_SET_HASH_KEY,
				   c->key, sizeof(c->key), sizeof(c->key), 0);
}

static int nf_rss_send_table(struct nf_info *info)
{
	struct nf_ctrl *c = &info->ctrl;

	return nf_ctrl_request_buf(info, XEN_NETIF_CTRL_TYPE_SET_HASH_MAPPING,
				   c->table, c->table_size * sizeof(u32),
				   c->table_size, 0);
}

/* After backend Connected (rtnl): Toeplitz, hash types, key, mapping. */
int xenpv_nf_rss_configure(struct nf_info *info)
{
	struct nf_ctrl *c = &info->ctrl;
	u32 supported = 0, size = 0;
	int err;

	ASSERT_RTNL();
	c->hash_on = false;
	c->table_size = 0;

	err = nf_ctrl_request(info, XEN_NETIF_CTRL_TYPE_SET_HASH_ALGORITHM,
			      XEN_NETIF_CTRL_HASH_ALGORITHM_TOEPLITZ, 0, 0,
			      NULL);
	if (err)
		goto fail;
	err = nf_ctrl_request(info, XEN_NETIF_CTRL_TYPE_GET_HASH_FLAGS, 0, 0, 0,
			      &supported);
	if (err)
		goto fail;
	c->hash_flags = xenpv_nf_hash_flags(supported);
	if (!c->hash_flags) {
		err = -EOPNOTSUPP;
		goto fail;
	}
	err = nf_ctrl_request(info, XEN_NETIF_CTRL_TYPE_SET_HASH_FLAGS,
			      c->hash_flags, 0, 0, NULL);
	if (err)
		goto fail;
	err = nf_rss_send_key(info);
	if (err)
		goto fail;

	err = nf_ctrl_request(info, XEN_NETIF_CTRL_TYPE_GET_HASH_MAPPING_SIZE,
			      0, 0, 0, &size);
	if (err)
		goto fail;
	c->table_size = xenpv_nf_rss_table_size(size);
	if (c->table_size) {
		if (!c->user_table || c->user_table_size != c->table_size ||
		    !xenpv_nf_rss_table_valid(c->table, c->table_size,
					      info->num_queues)) {
			xenpv_nf_rss_default_table(c->table, c->table_size,
						   info->num_queues);
			c->user_table = false;
		}
		err = nf_ctrl_request(info,
				      XEN_NETIF_CTRL_TYPE_SET_HASH_MAPPING_SIZE,
				      c->table_size, 0, 0, NULL);
		if (!err)
			err = nf_rss_send_table(info);
		if (err)
			goto fail;
	}

	c->hash_on = true;
	netdev_dbg(info->netdev,
		   "Toeplitz hashing on: types %#x, mapping table of %u\n",
		   c->hash_flags, c->table_size);
	return 0;

fail:
	c->table_size = 0;
	if (err == -EOPNOTSUPP)
		netdev_info(info->netdev, "backend offers no Toeplitz hashing\n");
	else
		netdev_warn(info->netdev, "receive hashing setup failed: %d\n",
			    err);
	return err;
}

u32 xenpv_nf_rss_key_size(struct net_device *dev)
{
	struct nf_info *info = netdev_priv(dev);

	return info->ctrl.hash_on ? XENPV_NF_RSS_KEY_SIZE : 0;
}

u32 xenpv_nf_rss_indir_size(struct net_device *dev)
{
	struct nf_info *info = netdev_priv(dev);

	return info->ctrl.hash_on ? info->ctrl.table_size : 0;
}

int xenpv_nf_rss_get(struct net_device *dev, u32 *indir, u8 *key, u8 *hfunc)
{
	struct nf_info *info = netdev_priv(dev);
	struct nf_ctrl *c = &info->ctrl;

	if (!c->hash_on)
		return -EOPNOTSUPP;
	if (hfunc)
		*hfunc = ETH_RSS_HASH_TOP;
	if (indir)
		memcpy(indir, c->table, c->table_size * sizeof(u32));
	if (key)
		memcpy(key, c->key, sizeof(c->key));
	return 0;
}

int xenpv_nf_rss_set(struct net_device *dev, const u32 *indir, const u8 *key,
		     u8 hfunc)
{
	struct nf_info *info = netdev_priv(dev);
	struct nf_ctrl *c = &info->ctrl;
	int err;

	if (!c->hash_on)
		return -EOPNOTSUPP;
	if (hfunc != ETH_RSS_HASH_NO_CHANGE && hfunc != ETH_RSS_HASH_TOP)
		return -EOPNOTSUPP;
	if (indir && (!c->table_size ||
		      !xenpv_nf_rss_table_valid(indir, c->table_size,
						info->num_queues)))
		return -EINVAL;

	if (key) {
		memcpy(c->key, key, sizeof(c->key));
		err = nf_rss_send_key(info);
		if (err)
			return err;
	}
	if (indir) {
		memcpy(c->table, indir, c->table_size * sizeof(u32));
		c->user_table = true;
		c->user_table_size = c->table_size;
		err = nf_rss_send_table(info);
		if (err)
			return err;
	}
	return 0;
}

/* At connect (rtnl): ring page and event channel, before the keys go out. */
int xenpv_nf_ctrl_setup(struct nf_info *info)
{
	struct xenpv_device *xdev = info->xdev;
	struct nf_ctrl *c = &info->ctrl;
	struct xen_netif_ctrl_sring *sring;
	int ret;

	c->broken = false;
	c->hash_on = false;
	c->table_size = 0;
	c->waiting = false;
	c->done = false;

	ret = xenpv_setup_ring(xdev, GFP_KERNEL, &c->ring_va, 1, &c->ring_ref);
	if (ret)
		return ret;
	sring = c->ring_va;
	SHARED_RING_INIT(sring);
	FRONT_RING_INIT(&c->ring, sring, XENPV_NF_PAGE_SIZE);

	ret = xenpv_alloc_evtchn(xdev, &c->port);
	if (ret)
		goto teardown;
	snprintf(c->irq_name, sizeof(c->irq_name), "%s-ctrl",
		 dev_name(xdev->dev));
	ret = xenpv_evtchn_bind_irq(c->port, nf_ctrl_interrupt, 0, c->irq_name,
				    info, XENPV_EVTCHN_LATEEOI);
	if (ret < 0) {
		xenpv_free_evtchn(xdev, c->port);
		c->port = 0;
		goto teardown;
	}
	c->irq = ret;
	c->active = true;
	return 0;

teardown:
	xenpv_nf_ctrl_teardown(info);
	return ret;
}

/* Safe in any state and twice.  rtnl held. */
void xenpv_nf_ctrl_teardown(struct nf_info *info)
{
	struct nf_ctrl *c = &info->ctrl;
	unsigned long flags;

	if (c->irq > 0)
		xenpv_evtchn_unbind_irq(c->irq, info);
	c->irq = 0;
	c->port = 0;

	mutex_lock(&c->lock);
	spin_lock_irqsave(&c->rsp_lock, flags);
	c->active = false;
	c->hash_on = false;
	c->waiting = false;
	c->ring.sring = NULL;
	spin_unlock_irqrestore(&c->rsp_lock, flags);
	mutex_unlock(&c->lock);

	if (c->ring_va)
		xenpv_teardown_ring(&c->ring_va, 1, &c->ring_ref);
}
