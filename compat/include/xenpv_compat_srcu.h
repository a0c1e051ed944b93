/* SPDX-License-Identifier: GPL-2.0 */
/*
 * SRCU shim: a file-scope static srcu_struct in module code.
 *
 * Copyright (C) 2026 The xenpv authors
 *
 * In a module, DEFINE_STATIC_SRCU() also defines a non-static pointer to
 * the srcu_struct (__srcu_struct_<name>, in a section the module loader
 * walks).  Up to 5.10 the macro did not declare that pointer first, so
 * sparse asks whether it should be static; later kernels (6.1 included)
 * declare it.  XENPV_DEFINE_STATIC_SRCU() adds the declaration where the
 * kernel's macro lacks it and is DEFINE_STATIC_SRCU() everywhere else.
 */
#ifndef _XENPV_COMPAT_SRCU_H
#define _XENPV_COMPAT_SRCU_H

#include <linux/srcu.h>

#if defined(XENPV_HAVE_SRCU_MODULE_PTR_DECL) || !defined(MODULE)
#define XENPV_DEFINE_STATIC_SRCU(name)	DEFINE_STATIC_SRCU(name)
#else
#define XENPV_DEFINE_STATIC_SRCU(name)					\
	extern struct srcu_struct * const __srcu_struct_##name;		\
	DEFINE_STATIC_SRCU(name)
#endif

#endif /* _XENPV_COMPAT_SRCU_H */
