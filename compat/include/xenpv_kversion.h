/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Kernel version arithmetic for compat/ only (drivers test XENPV_HAVE_*).
 *
 * Copyright (C) 2026 The xenpv authors
 *
 * Plain macros with no kernel includes, so the host unit tests can check
 * them.  Ranges are low-inclusive, high-exclusive.  The sublevel is clamped
 * to 255 the way the kernel clamps LINUX_VERSION_CODE, so a long-lived
 * stable series (5.10.223) never spills into the next minor.
 */
#ifndef _XENPV_KVERSION_H
#define _XENPV_KVERSION_H

#define XENPV_KVER(a, b, c) \
	(((a) << 16) + ((b) << 8) + ((c) > 255 ? 255 : (c)))

/* True when @code lies in [low, high). */
#define XENPV_KVER_IN(code, la, lb, lc, ha, hb, hc) \
	((code) >= XENPV_KVER(la, lb, lc) && (code) < XENPV_KVER(ha, hb, hc))

/*
 * The supported range, declared here once for C; dkms.conf repeats it as
 * BUILD_EXCLUSIVE_KERNEL (selftests/unit/compat_range_test.c checks that
 * the two agree).
 */
#define XENPV_KVER_MIN_MAJOR	5
#define XENPV_KVER_MIN_MINOR	10
#define XENPV_KVER_END_MAJOR	8	/* first unsupported major */

#define XENPV_KVER_SUPPORTED(code) \
	XENPV_KVER_IN(code, XENPV_KVER_MIN_MAJOR, XENPV_KVER_MIN_MINOR, 0, \
		      XENPV_KVER_END_MAJOR, 0, 0)

#endif /* _XENPV_KVERSION_H */
