// SPDX-License-Identifier: GPL-2.0
/*
 * Compile check of every compat shim against the target kernel.
 *
 * Copyright (C) 2026 The xenpv authors
 *
 * Each shim is called once with the types a driver would pass, so the
 * matrix proves that every shim builds warning-free (W=1, sparse) on every
 * supported kernel.  The module is never loaded: its init only reports
 * which kernel it was probed against.
 */
#include <linux/module.h>
#include <linux/init.h>

#include <xenpv_compat_blk.h>
#include <xenpv_compat_device.h>
#include <xenpv_compat_irq.h>
#include <xenpv_compat_module.h>
#include <xenpv_compat_net.h>
#include <xenpv_compat_srcu.h>
#include <xenpv_compat_timer.h>
#include <xenpv_compat_unaligned.h>
#include <xenpv_compat_xen.h>
#include <xenpv_compat_xen_abi.h>

struct xenpv_check_obj {
	struct timer_list timer;
	int fired;
};

static __maybe_unused struct gendisk *
xenpv_check_blk(struct blk_mq_tag_set *set, void *queuedata)
{
	struct xenpv_blk_limits xl = {
		.logical_block_size = 512,
		.physical_block_size = 4096,
		.max_hw_sectors = 88,
		.max_segments = 11,
		.max_segment_size = PAGE_SIZE,
		.seg_boundary_mask = PAGE_SIZE - 1,
		.max_discard_sectors = 1024,
		.discard_granularity = 4096,
		.write_cache = true,
		.fua = true,
	};
	struct gendisk *disk;
	unsigned int flags = XENPV_BLK_MQ_F_SHOULD_MERGE;

	set->flags |= flags;
	disk = xenpv_blk_mq_alloc_disk(set, &xl, queuedata);
	if (IS_ERR(disk))
		return disk;
	xl.max_segments = 32;
	if (xenpv_blk_update_limits(disk, &xl) || xenpv_add_disk(disk)) {
		xenpv_blk_cleanup_disk(disk);
		return ERR_PTR(-EIO);
	}
	return disk;
}

static int xenpv_check_poll(struct napi_struct *napi, int budget)
{
	return 0;
}

static __maybe_unused int xenpv_check_net(struct net_device *dev,
					  struct napi_struct *napi,
					  struct xdp_rxq_info *rxq)
{
	static const u8 mac[ETH_ALEN] = { 0x00, 0x16, 0x3e, 0x00, 0x00, 0x01 };

	xenpv_netif_napi_add(dev, napi, xenpv_check_poll);
	xenpv_eth_hw_addr_set(dev, mac);
	xenpv_netif_set_tso_max_size(dev, 65536);
	return xenpv_xdp_rxq_info_reg(rxq, dev, 0, napi->napi_id);
}

static void xenpv_check_timer_fn(struct timer_list *t)
{
	struct xenpv_check_obj *obj = xenpv_timer_container_of(obj, t, timer);

	obj->fired = 1;
}

static __maybe_unused void xenpv_check_timer(struct xenpv_check_obj *obj)
{
	timer_setup(&obj->timer, xenpv_check_timer_fn, 0);
	xenpv_timer_delete(&obj->timer);
	xenpv_timer_delete_sync(&obj->timer);
}

static __maybe_unused int xenpv_check_irq(struct irq_domain *domain)
{
	return xenpv_generic_handle_domain_irq(domain, 1);
}

static __maybe_unused struct class *xenpv_check_class(void)
{
	return xenpv_class_create("xenpv_check");
}

static __maybe_unused u32 xenpv_check_unaligned(const void *p)
{
	return get_unaligned_le32(p);
}

static __maybe_unused void xenpv_check_xen(grant_ref_t ref, struct page *page)
{
	xenpv_gnttab_end_foreign_access(ref, page);
}

static __maybe_unused bool xenpv_check_xen_abi(grant_ref_t ref, u32 type, size_t len)
{
	BUILD_BUG_ON(XS_CONTROL != 0 || XS_DIRECTORY_PART != XS_RESET_WATCHES + 1);
	return ref != INVALID_GRANT_REF && ref >= GNTTAB_NR_RESERVED_ENTRIES &&
	       type < XS_TYPE_COUNT && type != XS_INVALID &&
	       len <= XENSTORE_ABS_PATH_MAX;
}

static __maybe_unused bool
xenpv_check_xs_ring(struct xenstore_domain_interface *intf)
{
	return (*xenpv_xs_ring_server_features(intf) &
		XENSTORE_SERVER_FEATURE_RECONNECTION) &&
	       READ_ONCE(*xenpv_xs_ring_connection(intf)) != XENSTORE_RECONNECT;
}

XENPV_DEFINE_STATIC_SRCU(xenpv_check_srcu);

static __maybe_unused int xenpv_check_srcu_read(void)
{
	int idx = srcu_read_lock(&xenpv_check_srcu);

	srcu_read_unlock(&xenpv_check_srcu, idx);
	return idx;
}

static int __init xenpv_compat_check_init(void)
{
	pr_info("compat shims built for %s\n", XENPV_PROBED_RELEASE);
	return 0;
}
module_init(xenpv_compat_check_init);

MODULE_DESCRIPTION("xenpv compat shim compile check (not for loading)");
MODULE_LICENSE("GPL");
MODULE_AUTHOR("The xenpv authors");
MODULE_VERSION(XENPV_VERSION);
