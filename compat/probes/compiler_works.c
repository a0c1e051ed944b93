// SPDX-License-Identifier: GPL-2.0
/*
 * Control probe: must compile on every kernel tree; if it does not, the
 * tree or the toolchain is broken and probe.sh fails.
 */
#include <linux/module.h>
#include <linux/kernel.h>

static int __maybe_unused xenpv_probe(int x)
{
	return x + 1;
}
