/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Index arithmetic for the fbif/kbdif event rings.
 *
 * Copyright (C) 2026 The xenpv authors
 *
 * fbif and kbdif do not use io/ring.h: each ring is a fixed array of
 * 40-byte events inside the one shared page (fbif: in 25 slots, out 51;
 * kbdif: in 51, out 25), so the lengths are not powers of two.  Producer
 * and consumer indices are free-running u32 counters and the slot of index
 * i is i % len, exactly as the XENFB_*_RING_REF / XENKBD_*_RING_REF macros
 * of the ABI compute it; never mask.
 *
 * Everything here is pure and also built into host unit tests.
 */
#ifndef _XENPV_FBFRONT_EVRING_H
#define _XENPV_FBFRONT_EVRING_H

#include "logic_types.h"

/* Events between @cons and @prod (valid only when xenpv_evring_sane()). */
static inline u32 xenpv_evring_used(u32 prod, u32 cons)
{
	return prod - cons;
}

/*
 * A producer can never be more than @len events ahead of the consumer.
 * Anything else is a protocol violation by the peer that wrote one of the
 * two indices.
 */
static inline bool xenpv_evring_sane(u32 prod, u32 cons, u32 len)
{
	return len && prod - cons <= len;
}

/* Free slots for the producer; 0 when full or when the indices are insane. */
static inline u32 xenpv_evring_free(u32 prod, u32 cons, u32 len)
{
	if (!xenpv_evring_sane(prod, cons, len))
		return 0;
	return len - (prod - cons);
}

/* Slot of free-running index @idx, as the ABI's *_RING_REF macros do. */
static inline u32 xenpv_evring_slot(u32 idx, u32 len)
{
	return idx % len;
}

#endif /* _XENPV_FBFRONT_EVRING_H */
