// SPDX-License-Identifier: GPL-2.0
/*
 * 5.12 API change: xdp_init_buff()/xdp_prepare_buff() set up a struct
 * xdp_buff (frame size, rxq, data pointers) in two calls.
 */
#include <net/xdp.h>

static void __maybe_unused xenpv_probe(struct xdp_buff *xdp,
				       struct xdp_rxq_info *rxq, void *hard)
{
	xdp_init_buff(xdp, 4096, rxq);
	xdp_prepare_buff(xdp, hard, 256, 64, false);
}
