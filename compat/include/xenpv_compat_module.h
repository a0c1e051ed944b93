/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Symbol namespace shims: 6.13 turned namespaces into string literals
 * (EXPORT_SYMBOL_NS_GPL(sym, "NS"), MODULE_IMPORT_NS("NS")).  Ours take a
 * bare identifier on every kernel: XENPV_EXPORT_SYMBOL_NS_GPL(sym, XENPV).
 *
 * Copyright (C) 2026 The xenpv authors
 */
#ifndef _XENPV_COMPAT_MODULE_H
#define _XENPV_COMPAT_MODULE_H

#include <linux/export.h>
#include <linux/module.h>
#include <linux/stringify.h>

#ifdef XENPV_HAVE_MODULE_IMPORT_NS_IDENT
#define XENPV_EXPORT_SYMBOL_NS_GPL(sym, ns)	EXPORT_SYMBOL_NS_GPL(sym, ns)
#define XENPV_MODULE_IMPORT_NS(ns)		MODULE_IMPORT_NS(ns)
#else
#define XENPV_EXPORT_SYMBOL_NS_GPL(sym, ns)	EXPORT_SYMBOL_NS_GPL(sym, __stringify(ns))
#define XENPV_MODULE_IMPORT_NS(ns)		MODULE_IMPORT_NS(__stringify(ns))
#endif

#endif /* _XENPV_COMPAT_MODULE_H */
