/* SPDX-License-Identifier: GPL-2.0 */
/*
 * 6.12 moved <asm/unaligned.h> to <linux/unaligned.h>; include this instead.
 *
 * Copyright (C) 2026 The xenpv authors
 */
#ifndef _XENPV_COMPAT_UNALIGNED_H
#define _XENPV_COMPAT_UNALIGNED_H

#ifdef XENPV_HAVE_LINUX_UNALIGNED_H
#include <linux/unaligned.h>
#else
#include <asm/unaligned.h>
#endif

#endif /* _XENPV_COMPAT_UNALIGNED_H */
