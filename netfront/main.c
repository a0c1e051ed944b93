// SPDX-License-Identifier: GPL-2.0
/*
 * xenpv netfront: module, frontend bus driver, backend state machine and the
 * connect/disconnect of the data path.
 *
 * Copyright (C) 2026 The xenpv authors
 */
#include <linux/cpumask.h>
#include <linux/module.h>
#include <linux/rtnetlink.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "netfront.h"

static unsigned int max_queues_param;
module_param_named(max_queues, max_queues_param, uint, 0444);
MODULE_PARM_DESC(max_queues,
		 "Maximum queues per device, 1-64 (default 0: min(8, online CPUs))");

bool xenpv_nf_param_trusted = true;
module_param_named(trusted, xenpv_nf_param_trusted, bool, 0644);
MODULE_PARM_DESC(trusted,
		 "Trust backends (default Y; read at each connect); N, or a device's node trusted=0, bounces all data through zeroed pages");

static bool split_param = true;
module_param_named(split_event_channels, split_param, bool, 0444);
MODULE_PARM_DESC(split_event_channels,
		 "Use separate TX/RX event channels when the backend offers them (default Y)");

static bool ctrl_ring_param = true;
module_param_named(ctrl_ring, ctrl_ring_param, bool, 0444);
MODULE_PARM_DESC(ctrl_ring,
		 "Use the backend's control ring for receive hashing (default Y)");

static bool mcast_param = true;
module_param_named(multicast_control, mcast_param, bool, 0444);
MODULE_PARM_DESC(multicast_control,
		 "Program the backend's multicast filter when offered (default Y)");

/* max_queues after resolving the default; fixed once the module is loaded. */
unsigned int xenpv_nf_param_max_queues;

/* ---- helpers ------------------------------------------------------------- */

void xenpv_nf_set_broken(struct nf_info *info, const char *fmt, ...)
{
	struct va_format vaf;
	va_list args;

	atomic_long_inc(&info->protocol_errors);
	if (test_and_set_bit(NF_BROKEN, &info->flags))
		return;

	va_start(args, fmt);
	vaf.fmt = fmt;
	vaf.va = &args;
	netdev_err(info->netdev,
		   "backend protocol error: %pV; device disabled until reconnect\n",
		   &vaf);
	va_end(args);

	netif_carrier_off(info->netdev);
	netif_tx_stop_all_queues(info->netdev);
}

static bool nf_be_flag(struct nf_info *info, const char *node)
{
	return xenpv_xs_read_unsigned(info->xdev->otherend, node, 0) != 0;
}

static enum xenbus_state nf_read_be_state(struct nf_info *info)
{
	/* Reads <otherend>/state, strictly; Unknown when absent or bad. */
	return xenpv_read_state(info->xdev->otherend);
}

/*
 * Wait until the backend is in one of the states in @mask (BIT(state)),
 * at most NF_BACKEND_TIMEOUT.  Events wake us early; xenstore is re-read on
 * every round so a missed event costs at most 100 ms.
 */
bool xenpv_nf_wait_be_state(struct nf_info *info, unsigned long mask)
{
	unsigned long deadline = jiffies + NF_BACKEND_TIMEOUT;
	enum xenbus_state state;
	int seen;

	for (;;) {
		seen = atomic_read(&info->be_event);
		state = nf_read_be_state(info);
		if ((unsigned int)state < BITS_PER_LONG && (mask & BIT(state)))
			return true;
		if (time_after(jiffies, deadline))
			break;
		wait_event_timeout(info->be_wq,
				   atomic_read(&info->be_event) != seen,
				   HZ / 10);
	}

	dev_warn(info->xdev->dev,
		 "backend %s still in state %d (ours %d) after %u ms\n",
		 info->xdev->otherend, state, info->xdev->state,
		 jiffies_to_msecs(NF_BACKEND_TIMEOUT));
	return false;
}

static int nf_read_mac(struct xenpv_device *xdev, u8 *mac)
{
	char *str;
	int err;

	str = xenpv_xs_read(XENPV_XS_NIL, xdev->nodename, "mac", NULL);
	if (IS_ERR(str)) {
		err = PTR_ERR(str);
		xenpv_dev_fatal(xdev, err, "reading %s/mac", xdev->nodename);
		return err;
	}

	err = xenpv_nf_parse_mac(str, mac);
	if (err)
		xenpv_dev_fatal(xdev, err,
				"invalid MAC \"%*pE\" in %s/mac (want unicast xx:xx:xx:xx:xx:xx)",
				(int)strnlen(str, 32), str, xdev->nodename);
	kfree(str);
	return err;
}

void xenpv_nf_schedule_state_work(struct nf_info *info)
{
	unsigned long flags;

	spin_lock_irqsave(&info->state_lock, flags);
	if (!info->removing)
		schedule_work(&info->state_work);
	spin_unlock_irqrestore(&info->state_lock, flags);
}

/* ---- carrier ------------------------------------------------------------- */

static void nf_update_carrier(struct nf_info *info)
{
	/* A missing "carrier" node means link up (netif.h). */
	unsigned int up = xenpv_xs_read_unsigned(info->xdev->otherend,
						 "carrier", 1);

	if (up && READ_ONCE(info->data_ready) && !nf_broken(info))
		netif_carrier_on(info->netdev);
	else
		netif_carrier_off(info->netdev);
}

static bool nf_carrier_will_handle(struct xenpv_watch *w, const char *path,
				   const char *token)
{
	/* The backend controls this node: keep one event queued at most. */
	return READ_ONCE(w->nr_pending) == 0;
}

static void nf_carrier_changed(struct xenpv_watch *w, const char *path,
			       const char *token)
{
	nf_update_carrier(container_of(w, struct nf_info, carrier_watch));
}

static void nf_carrier_watch_register(struct nf_info *info)
{
	struct xenpv_watch *w = &info->carrier_watch;
	char *node;

	node = kasprintf(GFP_KERNEL, "%s/carrier", info->xdev->otherend);
	if (!node)
		return;

	memset(w, 0, sizeof(*w));
	w->node = node;
	w->will_handle = nf_carrier_will_handle;
	w->callback = nf_carrier_changed;
	if (xenpv_xs_watch_register(w)) {
		dev_warn(info->xdev->dev,
			 "cannot watch %s; carrier follows the connection only\n",
			 node);
		kfree(node);
		w->node = NULL;
		return;
	}
	info->carrier_watch_on = true;
}

static void nf_carrier_watch_unregister(struct nf_info *info)
{
	if (!info->carrier_watch_on)
		return;
	xenpv_xs_watch_unregister(&info->carrier_watch);
	kfree(info->carrier_watch.node);
	info->carrier_watch.node = NULL;
	info->carrier_watch_on = false;
}

/* ---- xenstore keys ------------------------------------------------------- */

static void nf_read_backend(struct nf_info *info)
{
	struct nf_be_features *f = &info->be;
	unsigned int val;
	int err;

	memset(f, 0, sizeof(*f));
	f->sg = nf_be_flag(info, "feature-sg");
	f->gso_tcpv4 = nf_be_flag(info, "feature-gso-tcpv4");
	f->gso_tcpv6 = nf_be_flag(info, "feature-gso-tcpv6");
	f->ip_csum = !nf_be_flag(info, "feature-no-csum-offload");
	f->ipv6_csum = nf_be_flag(info, "feature-ipv6-csum-offload");
	f->split_evtchn = nf_be_flag(info, "feature-split-event-channels");
	f->xdp_headroom = nf_be_flag(info, "feature-xdp-headroom");
	f->ctrl_ring = nf_be_flag(info, "feature-ctrl-ring");
	f->dyn_mcast = nf_be_flag(info, "feature-dynamic-multicast-control");

	err = xenpv_xs_read_uint(info->xdev->otherend, "multi-queue-max-queues",
				 1, UINT_MAX, &val);
	if (!err) {
		f->multi_queue = true;
		f->max_queues = val;
	} else if (err != -ENOENT) {
		dev_warn(info->xdev->dev,
			 "ignoring malformed %s/multi-queue-max-queues; using one queue\n",
			 info->xdev->otherend);
	}

	info->use_split = split_param && f->split_evtchn;
	info->use_ctrl = ctrl_ring_param && f->ctrl_ring;
	info->use_mcast = mcast_param && f->dyn_mcast;
	/* The node can only lower trust (XSA-403); default 1 as libxl writes. */
	info->bounce = !READ_ONCE(xenpv_nf_param_trusted) ||
		       !xenpv_xs_read_unsigned(info->xdev->nodename, "trusted", 1);
}

static const char *const nf_stale_keys[] = {
	"multi-queue-num-queues", "tx-ring-ref", "rx-ring-ref",
	"event-channel", "event-channel-tx", "event-channel-rx",
	"ctrl-ring-ref", "event-channel-ctrl", "request-multicast-control",
	"xdp-headroom",
};

/* Remove what an earlier connection (or an earlier kernel) left behind. */
static int nf_clear_keys(struct nf_info *info, struct xenpv_xs_tx t)
{
	const char *dir = info->xdev->nodename;
	unsigned int i, num;
	char **names;
	int err;

	for (i = 0; i < ARRAY_SIZE(nf_stale_keys); i++) {
		err = xenpv_xs_rm(t, dir, nf_stale_keys[i]);
		if (err && err != -ENOENT)
			return err;
	}

	names = xenpv_xs_directory(t, dir, "", &num);
	if (IS_ERR(names))
		return PTR_ERR(names) == -ENOENT ? 0 : PTR_ERR(names);
	for (i = 0; i < num; i++) {
		if (strncmp(names[i], "queue-", 6))
			continue;
		err = xenpv_xs_rm(t, dir, names[i]);
		if (err && err != -ENOENT)
			break;
		err = 0;
	}
	kfree(names);
	return err;
}

static int nf_write_queue_keys(struct nf_info *info, struct xenpv_xs_tx t,
			       struct nf_queue *q, const char *dir)
{
	int err;

	err = xenpv_xs_printf(t, dir, "tx-ring-ref", "%u", q->tx_ring_ref);
	if (err)
		return err;
	err = xenpv_xs_printf(t, dir, "rx-ring-ref", "%u", q->rx_ring_ref);
	if (err)
		return err;
	if (!info->use_split)
		return xenpv_xs_printf(t, dir, "event-channel", "%u", q->tx_port);
	err = xenpv_xs_printf(t, dir, "event-channel-tx", "%u", q->tx_port);
	if (err)
		return err;
	return xenpv_xs_printf(t, dir, "event-channel-rx", "%u", q->rx_port);
}

static int nf_write_all_queue_keys(struct nf_info *info, struct xenpv_xs_tx t)
{
	const char *node = info->xdev->nodename;
	unsigned int i;
	char *dir;
	int err;

	if (info->be.multi_queue) {
		err = xenpv_xs_printf(t, node, "multi-queue-num-queues", "%u",
				      info->num_queues);
		if (err)
			return err;
	}

	/* One queue: flat keys; more: queue-N/ only (netif.h). */
	if (info->num_queues == 1)
		return nf_write_queue_keys(info, t, &info->queues[0], node);

	for (i = 0; i < info->num_queues; i++) {
		dir = kasprintf(GFP_KERNEL, "%s/queue-%u", node, i);
		if (!dir)
			return -ENOMEM;
		err = nf_write_queue_keys(info, t, &info->queues[i], dir);
		kfree(dir);
		if (err)
			return err;
	}
	return 0;
}

static int nf_write_feature_keys(struct nf_info *info, struct xenpv_xs_tx t)
{
	static const char *const ones[] = {
		"request-rx-copy", "feature-rx-notify", "feature-sg",
		"feature-gso-tcpv4", "feature-gso-tcpv6",
		"feature-ipv6-csum-offload",
	};
	const char *node = info->xdev->nodename;
	unsigned int i;
	int err;

	for (i = 0; i < ARRAY_SIZE(ones); i++) {
		err = xenpv_xs_write(t, node, ones[i], "1");
		if (err)
			return err;
	}

	if (info->be.xdp_headroom) {
		info->xdp_headroom = rtnl_dereference(info->xdp_prog) ?
				     XDP_PACKET_HEADROOM : 0;
		err = xenpv_xs_printf(t, node, "xdp-headroom", "%u",
				      info->xdp_headroom);
		if (err)
			return err;
	}

	if (info->ctrl.active) {
		err = xenpv_xs_printf(t, node, "ctrl-ring-ref", "%u",
				      info->ctrl.ring_ref);
		if (err)
			return err;
		err = xenpv_xs_printf(t, node, "event-channel-ctrl", "%u",
				      info->ctrl.port);
		if (err)
			return err;
	}

	/* Filtering starts off; the multicast work enables it once programmed. */
	if (info->use_mcast)
		return xenpv_xs_write(t, node, "request-multicast-control", "0");
	return 0;
}

static int nf_write_keys_tx(struct xenpv_xs_tx t, void *arg, const char **what)
{
	struct nf_info *info = arg;
	int err;

	*what = "removing stale keys";
	err = nf_clear_keys(info, t);
	if (err)
		return err;
	*what = "writing queue keys";
	err = nf_write_all_queue_keys(info, t);
	if (err)
		return err;
	*what = "writing feature keys";
	return nf_write_feature_keys(info, t);
}

/* The one transaction of talk_to_backend. */
static int nf_write_keys(struct nf_info *info)
{
	const char *what;
	int err;

	err = xenpv_xs_transact(nf_write_keys_tx, info, &what);
	if (err)
		xenpv_dev_fatal(info->xdev, err, "%s", what);
	return err;
}

/* ---- connect / disconnect ------------------------------------------------ */

/* No more transmits or carrier changes; the transport stays.  rtnl held. */
static void nf_stop_traffic(struct nf_info *info)
{
	WRITE_ONCE(info->data_ready, false);
	nf_carrier_watch_unregister(info);
	netif_carrier_off(info->netdev);
	netif_tx_disable(info->netdev);
}

/* Tear the data path down; safe in every half-connected state and twice. */
static void nf_disconnect(struct nf_info *info)
{
	struct net_device *dev = info->netdev;
	unsigned int i;

	ASSERT_RTNL();

	nf_stop_traffic(info);
	info->connected = false;
	info->be_connected = false;
	netif_device_detach(dev);
	/* ndo_xdp_xmit runs under RCU and checks data_ready first. */
	synchronize_net();

	xenpv_nf_ctrl_teardown(info);
	for (i = 0; i < info->max_queues; i++)
		xenpv_nf_queue_teardown(&info->queues[i]);
	WRITE_ONCE(info->num_queues, 0);
	nf_xdp_set_features(dev, false);
}

static void nf_apply_fe_mtu(struct nf_info *info)
{
	unsigned int mtu;

	/* Optional toolstack hint; a value we cannot honour is ignored. */
	if (xenpv_xs_read_uint(info->xdev->nodename, "mtu", ETH_MIN_MTU,
			       xenpv_nf_max_mtu(true), &mtu))
		return;
	if (xenpv_nf_mtu_ok(mtu, info->be.sg))
		info->netdev->mtu = mtu;
	else
		dev_warn(info->xdev->dev,
			 "ignoring mtu %u from xenstore (backend lacks feature-sg)\n",
			 mtu);
}

static void nf_update_mac(struct nf_info *info, const u8 *mac)
{
	if (ether_addr_equal(info->mac, mac))
		return;
	netdev_info(info->netdev, "MAC address changed to %pM by the toolstack\n",
		    mac);
	ether_addr_copy(info->mac, mac);
	xenpv_eth_hw_addr_set(info->netdev, mac);
}

/* talk_to_backend + connect: runs on backend InitWait, rtnl held. */
static int nf_connect(struct nf_info *info)
{
	struct xenpv_device *xdev = info->xdev;
	struct net_device *dev = info->netdev;
	unsigned int i, want, n;
	u8 mac[ETH_ALEN];
	int err;

	ASSERT_RTNL();

	nf_disconnect(info);
	clear_bit(NF_BROKEN, &info->flags);

	if (!nf_be_flag(info, "feature-rx-copy")) {
		xenpv_dev_fatal(xdev, -EOPNOTSUPP,
				"backend does not support copying receive path");
		return -EOPNOTSUPP;
	}
	nf_read_backend(info);

	err = nf_read_mac(xdev, mac);
	if (err)
		return err;
	nf_update_mac(info, mac);

	want = info->want_queues ? info->want_queues : info->max_queues;
	n = xenpv_nf_pick_queues(info->be.multi_queue, info->be.max_queues,
				 want);
	for (i = 0; i < n; i++) {
		err = xenpv_nf_queue_setup(&info->queues[i]);
		if (err) {
			xenpv_dev_fatal(xdev, err, "setting up queue %u", i);
			goto disconnect;
		}
		WRITE_ONCE(info->num_queues, i + 1);
	}

	if (info->use_ctrl) {
		/* Fails only when out of memory, grants or event channels. */
		err = xenpv_nf_ctrl_setup(info);
		if (err) {
			xenpv_dev_fatal(xdev, err, "setting up the control ring");
			goto disconnect;
		}
	}

	err = nf_write_keys(info);
	if (err)
		goto disconnect;

	err = netif_set_real_num_tx_queues(dev, n);
	if (!err)
		err = netif_set_real_num_rx_queues(dev, n);
	if (err) {
		xenpv_dev_fatal(xdev, err, "setting %u queues", n);
		goto disconnect;
	}

	if (!info->registered) {
		nf_apply_fe_mtu(info);
		err = register_netdevice(dev);
		if (err) {
			xenpv_dev_fatal(xdev, err, "registering net device");
			goto disconnect;
		}
		info->registered = true;
		netdev_info(dev, "%s, MAC %pM\n", xdev->nodename, dev->dev_addr);
	} else if (dev->mtu > ETH_DATA_LEN && !info->be.sg) {
		/* A backend without SG (after migration): one slot per frame. */
		netdev_warn(dev, "backend lacks feature-sg: MTU lowered to %u\n",
			    ETH_DATA_LEN);
		dev_set_mtu(dev, ETH_DATA_LEN);
	}
	netdev_update_features(dev);

	for (i = 0; i < n; i++)
		xenpv_nf_rx_refill(&info->queues[i], GFP_KERNEL);

	info->connected = true;
	/* xmit paths read num_queues after seeing data_ready. */
	smp_store_release(&info->data_ready, true);
	nf_carrier_watch_register(info);
	nf_update_carrier(info);
	nf_xdp_set_features(dev, info->be.xdp_headroom);
	if (rtnl_dereference(info->xdp_prog) && !info->be.xdp_headroom)
		netdev_warn(dev,
			    "XDP attached but the backend lacks feature-xdp-headroom: XDP_TX/REDIRECT will fail\n");
	xenpv_nf_mcast_reset(info);
	info->notify_peers = true;
	info->rss_pending = info->ctrl.active;

	if (netif_running(dev))
		for (i = 0; i < n; i++)
			xenpv_nf_queue_napi_enable(&info->queues[i]);
	netif_device_attach(dev);

	netdev_dbg(dev, "connected: %u queue(s)%s%s%s\n", n,
		   info->use_split ? ", split event channels" : "",
		   info->ctrl.active ? ", control ring" : "",
		   info->bounce ? ", bounce buffers" : "");
	return 0;

disconnect:
	nf_disconnect(info);
	return err;
}

/* Backend Connected (or Reconfigured) while we are Connected. */
static bool nf_backend_connected(struct nf_info *info)
{
	bool notify;

	if (!info->connected)
		return false;

	if (info->rss_pending) {
		info->rss_pending = false;
		xenpv_nf_rss_configure(info);
	}
	if (info->use_mcast)
		schedule_delayed_work(&info->mcast_work, 0);

	notify = info->notify_peers;
	info->notify_peers = false;
	return notify;
}

/*
 * Re-negotiate with the backend (ethtool -L): go back to Initialising; the
 * backend disconnects and returns to InitWait, where we connect again.  The
 * backend is given up to NF_BACKEND_TIMEOUT to let go of our pages first.
 */
int xenpv_nf_reconnect(struct nf_info *info)
{
	int err;

	ASSERT_RTNL();

	if (!info->connected)
		return 0;

	nf_stop_traffic(info);
	info->reconnecting = true;
	err = xenpv_switch_state(info->xdev, XenbusStateInitialising);
	if (!err && !xenpv_nf_wait_be_state(info, BIT(XenbusStateClosing) |
					    BIT(XenbusStateClosed) |
					    BIT(XenbusStateInitWait))) {
		/* The backend ignored Initialising: take the long way round. */
		err = xenpv_switch_state(info->xdev, XenbusStateClosing);
	}
	nf_disconnect(info);
	xenpv_nf_schedule_state_work(info);
	return err;
}

static void nf_state_work(struct work_struct *work)
{
	struct nf_info *info = container_of(work, struct nf_info, state_work);
	struct xenpv_device *xdev = info->xdev;
	enum xenbus_state be;
	bool notify = false;

	rtnl_lock();
	if (info->removing)
		goto unlock;

	be = nf_read_be_state(info);
	dev_dbg(xdev->dev, "backend state %d, ours %d%s\n", be, xdev->state,
		info->reconnecting ? " (reconnecting)" : "");

	switch (be) {
	case XenbusStateUnknown:
	case XenbusStateInitialising:
	case XenbusStateInitialised:
	case XenbusStateReconfiguring:
		break;

	case XenbusStateInitWait:
		/*
		 * Until the backend has answered our Connected it stays in
		 * InitWait, and a watch may fire meanwhile: that is not a
		 * restart (tearing down here would revoke the very grants it
		 * is about to map).  Only InitWait after the backend was
		 * Connected with us means it started over.
		 */
		if (xdev->state == XenbusStateConnected && info->be_connected) {
			nf_disconnect(info);
			xenpv_switch_state(xdev, XenbusStateInitialising);
		}
		if (xdev->state != XenbusStateInitialising)
			break;
		info->reconnecting = false;
		if (nf_connect(info))
			break;
		xenpv_switch_state(xdev, XenbusStateConnected);
		break;

	case XenbusStateConnected:
	case XenbusStateReconfigured:
		if (xdev->state == XenbusStateConnected) {
			info->be_connected = true;
			notify = nf_backend_connected(info);
		} else if (xdev->state == XenbusStateInitialising &&
			   !info->reconnecting) {
			/* Connected without us (kexec, stale backend): close first. */
			info->reconnecting = true;
			xenpv_switch_state(xdev, XenbusStateClosing);
		}
		break;

	case XenbusStateClosing:
		if (info->reconnecting && xdev->state == XenbusStateInitialising)
			break;
		nf_disconnect(info);
		if (xdev->state != XenbusStateClosed)
			xenpv_frontend_closed(xdev);
		break;

	case XenbusStateClosed:
		if (info->reconnecting) {
			if (xdev->state == XenbusStateClosed ||
			    xdev->state == XenbusStateClosing)
				xenpv_switch_state(xdev, XenbusStateInitialising);
			break;
		}
		nf_disconnect(info);
		if (xdev->state != XenbusStateClosed)
			xenpv_frontend_closed(xdev);
		break;

	default:
		dev_warn_ratelimited(xdev->dev, "ignoring backend state %d\n",
				     be);
		break;
	}

unlock:
	rtnl_unlock();
	/* Takes rtnl itself (gratuitous ARP / unsolicited NA after a move). */
	if (notify)
		netdev_notify_peers(info->netdev);
}

/* ---- bus driver ---------------------------------------------------------- */

static void nf_otherend_changed(struct xenpv_device *xdev,
				enum xenbus_state backend_state)
{
	struct nf_info *info = xenpv_get_drvdata(xdev);

	if (!info)
		return;
	atomic_inc(&info->be_event);
	wake_up_all(&info->be_wq);
	xenpv_nf_schedule_state_work(info);
}

static int nf_probe(struct xenpv_device *xdev, const struct xenpv_device_id *id)
{
	struct net_device *dev;
	struct nf_info *info;
	u8 mac[ETH_ALEN];
	unsigned int i;
	int err;

	err = nf_read_mac(xdev, mac);
	if (err)
		return err;

	dev = alloc_etherdev_mqs(sizeof(*info), xenpv_nf_param_max_queues,
				 xenpv_nf_param_max_queues);
	if (!dev) {
		xenpv_dev_fatal(xdev, -ENOMEM, "allocating net device");
		return -ENOMEM;
	}

	info = netdev_priv(dev);
	info->netdev = dev;
	info->xdev = xdev;
	info->max_queues = xenpv_nf_param_max_queues;
	ether_addr_copy(info->mac, mac);
	info->queues = kvcalloc(info->max_queues, sizeof(*info->queues),
				GFP_KERNEL);
	if (!info->queues) {
		err = -ENOMEM;
		xenpv_dev_fatal(xdev, err, "allocating queues");
		goto free_netdev;
	}
	for (i = 0; i < info->max_queues; i++)
		xenpv_nf_queue_init(info, &info->queues[i], i);

	spin_lock_init(&info->state_lock);
	INIT_WORK(&info->state_work, nf_state_work);
	init_waitqueue_head(&info->be_wq);
	spin_lock_init(&info->mcast_lock);
	INIT_DELAYED_WORK(&info->mcast_work, xenpv_nf_mcast_work);
	atomic_set(&info->be_event, 0);
	atomic_long_set(&info->protocol_errors, 0);
	xenpv_nf_ctrl_init(info);

	SET_NETDEV_DEV(dev, xdev->dev);
	xenpv_nf_netdev_setup(info);
	netif_carrier_off(dev);

	xenpv_set_drvdata(xdev, info);
	xenpv_nf_debugfs_add(info);
	/* Act on the backend's current state even without a first event. */
	xenpv_nf_schedule_state_work(info);
	return 0;

free_netdev:
	free_netdev(dev);
	return err;
}

static void nf_remove(struct xenpv_device *xdev)
{
	struct nf_info *info = xenpv_get_drvdata(xdev);
	enum xenbus_state be;
	unsigned long flags;

	if (!info)
		return;

	spin_lock_irqsave(&info->state_lock, flags);
	info->removing = true;
	spin_unlock_irqrestore(&info->state_lock, flags);
	cancel_work_sync(&info->state_work);

	rtnl_lock();
	nf_stop_traffic(info);
	rtnl_unlock();
	if (info->registered)
		unregister_netdev(info->netdev);
	cancel_delayed_work_sync(&info->mcast_work);

	/* Let the backend unmap our pages before we revoke the grants. */
	be = nf_read_be_state(info);
	if (be != XenbusStateClosed && be != XenbusStateUnknown) {
		xenpv_switch_state(xdev, XenbusStateClosing);
		xenpv_nf_wait_be_state(info, BIT(XenbusStateClosing) |
				       BIT(XenbusStateClosed) |
				       BIT(XenbusStateUnknown));
	}
	xenpv_frontend_closed(xdev);
	xenpv_nf_wait_be_state(info, BIT(XenbusStateClosed) |
			       BIT(XenbusStateUnknown));

	rtnl_lock();
	nf_disconnect(info);
	rtnl_unlock();

	xenpv_nf_debugfs_remove(info);
	xenpv_set_drvdata(xdev, NULL);
	kvfree(info->queues);
	free_netdev(info->netdev);
}

static int nf_resume(struct xenpv_device *xdev)
{
	struct nf_info *info = xenpv_get_drvdata(xdev);

	if (!info)
		return 0;

	/*
	 * A new backend (after migration) starts from scratch: drop the old
	 * transport and reconnect when it reaches InitWait.  The bus already
	 * switched us back to Initialising.
	 */
	rtnl_lock();
	nf_disconnect(info);
	info->reconnecting = false;
	rtnl_unlock();
	xenpv_nf_schedule_state_work(info);
	return 0;
}

static const struct xenpv_device_id nf_ids[] = {
	{ "vif" },
	{ "" }
};

static struct xenpv_driver nf_driver = {
	.name = NF_DRV_NAME,
	.ids = nf_ids,
	.probe = nf_probe,
	.otherend_changed = nf_otherend_changed,
	.remove = nf_remove,
	.resume = nf_resume,
};

static int __init nf_init(void)
{
	int err;

	if (!xenpv_nf_max_queues_param_ok(max_queues_param)) {
		pr_err("max_queues=%u is invalid: use 0 (automatic) or 1-%u\n",
		       max_queues_param, XENPV_NF_MAX_QUEUES);
		return -EINVAL;
	}
	xenpv_nf_param_max_queues = max_queues_param ? max_queues_param :
			      min(8u, num_online_cpus());

	if (!xenpv_has_pv_nics()) {
		pr_info("no PV network devices on this platform\n");
		return -ENODEV;
	}

	xenpv_nf_debugfs_init();
	err = xenpv_register_frontend(&nf_driver);
	if (err) {
		pr_err("cannot register the vif frontend: %d\n", err);
		xenpv_nf_debugfs_exit();
	}
	return err;
}
module_init(nf_init);

static void __exit nf_exit(void)
{
	xenpv_unregister_frontend(&nf_driver);
	xenpv_nf_debugfs_exit();
}
module_exit(nf_exit);

MODULE_DESCRIPTION("Xen virtual network interface frontend (xenpv)");
MODULE_LICENSE("GPL");
MODULE_AUTHOR("The xenpv authors");
MODULE_VERSION(XENPV_VERSION);
MODULE_ALIAS("xenpv:vif");
