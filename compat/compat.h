/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Force-included into every xenpv source file (see compat/xenpv.kbuild).
 *
 * Copyright (C) 2026 The xenpv authors
 *
 * This is the only place where kernel-version drift is handled.  Drivers
 * see feature-named macros (XENPV_HAVE_*) from the generated probe results
 * and xenpv_-prefixed shims from compat/include/xenpv_compat_*.h; they
 * never test LINUX_VERSION_CODE (`make lint` enforces that).
 *
 * Kept light: it is read before every source file, so it pulls in only
 * <linux/version.h> and the probe results; the shim headers include what
 * they wrap and are included by the drivers that need them.
 */
#ifndef _XENPV_COMPAT_H
#define _XENPV_COMPAT_H

#ifndef pr_fmt
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt
#endif

#include <linux/version.h>
#include <xenpv_kversion.h>

#if !XENPV_KVER_SUPPORTED(LINUX_VERSION_CODE)
#error "xenpv supports Linux 5.10 up to 7.x; this kernel is outside that range"
#endif

/*
 * Probe results for this kernel: compat/generated/<release>/, on the
 * include path via compat/xenpv.kbuild.
 */
#include <xenpv_probes.h>

/*
 * Version ranges, only where no probe can see the change: what changed is
 * behaviour, not a declaration.
 */

/*
 * 5.13: ndo_xdp_xmit() returns how many leading frames it consumed and the
 * caller frees the rest; before, the driver freed the frames it dropped.
 */
#if LINUX_VERSION_CODE >= XENPV_KVER(5, 13, 0)
#define XENPV_HAVE_XDP_XMIT_CALLER_FREES 1
#endif

/* Derived feature macros, from combinations of probes. */
#if defined(XENPV_HAVE_BLK_MQ_ALLOC_DISK_QUEUEDATA) || \
	defined(XENPV_HAVE_BLK_MQ_ALLOC_DISK_LIMITS)
#define XENPV_HAVE_BLK_MQ_ALLOC_DISK 1
#endif

#endif /* _XENPV_COMPAT_H */
