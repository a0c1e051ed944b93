/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Xen ABI definitions that older kernels' headers lack.
 *
 * Copyright (C) 2026 The xenpv authors
 *
 * Include this instead of <xen/interface/grant_table.h>,
 * <xen/interface/io/xs_wire.h> and <xen/grant_table.h>: it includes them
 * and then adds only what the kernel being built against does not
 * define.  Values are the Xen public ABI's.  Constants that are enum
 * members upstream cannot be tested with #ifndef, so a probe decides.
 *
 * The xenstore part is also compiled on the build host (xenbus/xs_wire.c
 * in selftests/unit), where only <xen/interface/...> is visible and there
 * are no probe results: everything kernel-only is under __KERNEL__.
 */
#ifndef _XENPV_COMPAT_XEN_ABI_H
#define _XENPV_COMPAT_XEN_ABI_H

#ifndef __KERNEL__
/* 7.x's xs_wire.h marks its error table __maybe_unused. */
#ifndef __maybe_unused
#define __maybe_unused		__attribute__((__unused__))
#endif
#endif
#include <xen/interface/io/xs_wire.h>
#ifdef __KERNEL__
#include <linux/build_bug.h>
#include <linux/types.h>
#include <xen/interface/grant_table.h>
#include <xen/grant_table.h>
#endif

#ifdef __KERNEL__
/* Grant entries the toolstack reserves (Xen public grant_table.h). */
#ifndef GNTTAB_NR_RESERVED_ENTRIES
#define GNTTAB_NR_RESERVED_ENTRIES	8
#endif

/* A grant reference that is never valid (all bits set). */
#ifndef INVALID_GRANT_REF
#define INVALID_GRANT_REF		((grant_ref_t)-1)
#endif
#endif /* __KERNEL__ */

/*
 * Xen 4.15's xs_wire.h: XS_DEBUG became XS_CONTROL, XS_RESTRICT's slot was
 * retired, XS_DIRECTORY_PART follows XS_RESET_WATCHES, and XS_INVALID is
 * reserved as never valid.  The kernel build asks the probe; the host
 * build has none and recognises the old enum by XS_DEBUG not being a
 * macro (the same sync made it an alias of XS_CONTROL).
 */
#ifdef __KERNEL__
#ifndef XENPV_HAVE_XS_DIRECTORY_PART
#define XENPV_XS_OLD_TYPES		1
#endif
#elif !defined(XS_DEBUG)
#define XENPV_XS_OLD_TYPES		1
#endif

#ifdef XENPV_XS_OLD_TYPES
#define XS_CONTROL			XS_DEBUG
#define XS_DIRECTORY_PART		(XS_RESET_WATCHES + 1)
#define XS_TYPE_COUNT			(XS_RESET_WATCHES + 2)
#define XS_INVALID			0xffff
#endif

/* Path length limits xenstored enforces. */
#ifndef XENSTORE_ABS_PATH_MAX
#define XENSTORE_ABS_PATH_MAX		3072
#endif
#ifndef XENSTORE_REL_PATH_MAX
#define XENSTORE_REL_PATH_MAX		2048
#endif

/*
 * The same sync described the ring page's reconnection words, which
 * follow rsp_prod (protocol.md 11.2): server_features at byte 2064,
 * connection at 2068, error at 2072.  The page layout is fixed by the ABI
 * whatever the kernel's struct xenstore_domain_interface declares, so the
 * words are reached through these accessors on every kernel; where the
 * struct ends at rsp_prod (5.10), they are the u32s right after it.
 */
#ifndef XENSTORE_SERVER_FEATURE_RECONNECTION
#define XENSTORE_SERVER_FEATURE_RECONNECTION	1
#endif
#ifndef XENSTORE_CONNECTED
#define XENSTORE_CONNECTED		0
#endif
#ifndef XENSTORE_RECONNECT
#define XENSTORE_RECONNECT		1
#endif

#ifdef __KERNEL__
#ifdef XENPV_HAVE_XENSTORE_SERVER_FEATURES
static inline u32 *
xenpv_xs_ring_server_features(struct xenstore_domain_interface *intf)
{
	return &intf->server_features;
}

static inline u32 *
xenpv_xs_ring_connection(struct xenstore_domain_interface *intf)
{
	return &intf->connection;
}
#else
static inline u32 *xenpv_xs_ring_tail(struct xenstore_domain_interface *intf)
{
	BUILD_BUG_ON(sizeof(*intf) != 2 * XENSTORE_RING_SIZE +
				      4 * sizeof(XENSTORE_RING_IDX));
	return (u32 *)(intf + 1);
}

static inline u32 *
xenpv_xs_ring_server_features(struct xenstore_domain_interface *intf)
{
	return &xenpv_xs_ring_tail(intf)[0];
}

static inline u32 *
xenpv_xs_ring_connection(struct xenstore_domain_interface *intf)
{
	return &xenpv_xs_ring_tail(intf)[1];
}
#endif /* XENPV_HAVE_XENSTORE_SERVER_FEATURES */
#endif /* __KERNEL__ */

#endif /* _XENPV_COMPAT_XEN_ABI_H */
