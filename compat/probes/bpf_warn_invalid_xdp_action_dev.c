// SPDX-License-Identifier: GPL-2.0
/*
 * 5.17 API change: bpf_warn_invalid_xdp_action(dev, prog, act) names the
 * device and the program (before: the action only).
 */
#include <linux/filter.h>
#include <linux/netdevice.h>

static void __maybe_unused xenpv_probe(struct net_device *dev,
				       struct bpf_prog *prog, u32 act)
{
	bpf_warn_invalid_xdp_action(dev, prog, act);
}
