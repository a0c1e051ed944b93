/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Driver-core shims.
 *
 * Copyright (C) 2026 The xenpv authors
 */
#ifndef _XENPV_COMPAT_DEVICE_H
#define _XENPV_COMPAT_DEVICE_H

#include <linux/device.h>
#include <linux/module.h>

/* 6.4: class_create() lost its owner argument.  Returns an ERR_PTR on failure. */
static inline struct class *xenpv_class_create(const char *name)
{
#ifdef XENPV_HAVE_CLASS_CREATE_1ARG
	return class_create(name);
#else
	return class_create(THIS_MODULE, name);
#endif
}

#endif /* _XENPV_COMPAT_DEVICE_H */
