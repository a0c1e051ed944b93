// SPDX-License-Identifier: GPL-2.0
/*
 * /sys/kernel/debug/xenpv/xenbus: the state of the xenstore client, the
 * watches and the frontend bus.
 *
 * Copyright (C) 2026 The xenpv authors
 */
#include <linux/dcache.h>
#include <linux/debugfs.h>
#include <linux/seq_file.h>

#include "xenbus_internal.h"

static struct dentry *xenpv_xbdebug_dir;
static struct dentry *xenpv_xbdebug_file;
static bool xenpv_xbdebug_own_dir;

static int xenpv_xbdebug_show(struct seq_file *m, void *unused)
{
	enum xenpv_mode mode = xenpv_mode();

	seq_printf(m, "mode:             %s\n", xenpv_mode_name(mode));
	if (mode != XENPV_MODE_NATIVE) {
		seq_puts(m, "served by the kernel's xenbus through xenpv_pvops\n");
		return 0;
	}
	xenpv_xsn_debugfs_show(m);
	xenpv_xw_debugfs_show(m);
	xenpv_nbus_debugfs_show(m);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(xenpv_xbdebug);

/* The "xenpv" directory may already belong to xenpv_platform. */
void xenpv_xbdebug_init(void)
{
	struct dentry *dir;

	dir = debugfs_lookup("xenpv", NULL);
	if (!dir) {
		dir = debugfs_create_dir("xenpv", NULL);
		if (IS_ERR(dir))
			return;
		xenpv_xbdebug_own_dir = true;
	}
	xenpv_xbdebug_dir = dir;
	xenpv_xbdebug_file = debugfs_create_file("xenbus", 0400, dir, NULL,
						 &xenpv_xbdebug_fops);
}

void xenpv_xbdebug_exit(void)
{
	if (!xenpv_xbdebug_dir)
		return;
	debugfs_remove(xenpv_xbdebug_file);
	if (xenpv_xbdebug_own_dir)
		debugfs_remove(xenpv_xbdebug_dir);
	else
		dput(xenpv_xbdebug_dir);
	xenpv_xbdebug_dir = NULL;
}
