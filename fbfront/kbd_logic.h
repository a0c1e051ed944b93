/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Pure logic of xenpv_kbdfront: validation and translation of kbdif events.
 *
 * Copyright (C) 2026 The xenpv authors
 *
 * The driver copies each 40-byte in-event off the shared ring once, decodes
 * it into struct xenpv_kbd_event (the only place that knows the kbdif
 * layout) and asks xenpv_kbd_translate() what, if anything, to report to
 * the input layer.  Nothing here touches shared memory or kernel services,
 * so the host unit tests build this file unchanged.
 */
#ifndef _XENPV_FBFRONT_KBD_LOGIC_H
#define _XENPV_FBFRONT_KBD_LOGIC_H

#include "logic_types.h"

/* Most multi-touch contacts we accept from a backend (one u64 bitmap). */
#define XENPV_KBD_MAX_CONTACTS	64
/* Raw (unscaled) pointer range defined by kbdif (request-raw-pointer). */
#define XENPV_KBD_RAW_MAX	0x7fff
/* Largest pointer or touch area we accept from the backend, pixels. */
#define XENPV_KBD_MAX_DIM	65535

enum xenpv_kbd_kind {
	XENPV_KBD_EV_UNKNOWN = 0,	/* type we do not know: ignore */
	XENPV_KBD_EV_MOTION,
	XENPV_KBD_EV_KEY,
	XENPV_KBD_EV_POS,
	XENPV_KBD_EV_MT_DOWN,
	XENPV_KBD_EV_MT_UP,
	XENPV_KBD_EV_MT_MOTION,
	XENPV_KBD_EV_MT_SYN,
	XENPV_KBD_EV_MT_SHAPE,
	XENPV_KBD_EV_MT_ORIENT,
	XENPV_KBD_EV_MT_UNKNOWN,	/* multi-touch sub-type we do not know */
};

/* One in-event as copied off the ring (fields unused by a kind are 0). */
struct xenpv_kbd_event {
	enum xenpv_kbd_kind kind;
	u8 pressed;		/* KEY */
	u32 keycode;		/* KEY */
	s32 x, y;		/* MOTION: relative; POS, MT_DOWN/MOTION: absolute */
	s32 z;			/* MOTION, POS: wheel (relative) */
	u8 contact;		/* MT_* */
	u32 major, minor;	/* MT_SHAPE */
	s16 orientation;	/* MT_ORIENT */
};

/* What the frontend negotiated and exposes. */
struct xenpv_kbd_config {
	bool keyboard;		/* keyboard device exists */
	bool pointer;		/* pointer device exists */
	bool abs;		/* pointer reports absolute positions */
	bool mtouch;		/* multi-touch device exists */
	u32 abs_max_x;		/* inclusive maxima of ABS_X/ABS_Y */
	u32 abs_max_y;
	u32 mt_max_x;		/* inclusive maxima of ABS_MT_POSITION_* */
	u32 mt_max_y;
	u32 mt_contacts;	/* 1..XENPV_KBD_MAX_CONTACTS */
};

/* Contacts currently down, to keep slot state consistent. */
struct xenpv_kbd_mt_state {
	u64 active;
};

enum xenpv_kbd_verdict {
	XENPV_KBD_DELIVER,	/* report @act */
	XENPV_KBD_IGNORED,	/* unknown type, or for a device we do not expose */
	XENPV_KBD_INVALID,	/* malformed: out of range keycode, contact, ... */
};

enum xenpv_kbd_target {
	XENPV_KBD_TO_KEYBOARD,
	XENPV_KBD_TO_POINTER,
	XENPV_KBD_TO_MTOUCH,
};

enum xenpv_kbd_op {
	XENPV_KBD_OP_KEY,	/* code, value */
	XENPV_KBD_OP_REL,	/* x, y (only when rel_xy), wheel */
	XENPV_KBD_OP_ABS,	/* x, y, wheel */
	XENPV_KBD_OP_MT_DOWN,	/* slot, x, y */
	XENPV_KBD_OP_MT_MOTION,	/* slot, x, y */
	XENPV_KBD_OP_MT_UP,	/* slot */
	XENPV_KBD_OP_MT_SHAPE,	/* slot, major, minor */
	XENPV_KBD_OP_MT_ORIENT,	/* slot, orientation */
	XENPV_KBD_OP_MT_SYN,	/* end of a multi-touch frame */
};

struct xenpv_kbd_action {
	enum xenpv_kbd_target target;
	enum xenpv_kbd_op op;
	u32 code;
	s32 value;
	bool rel_xy;		/* REL: report x/y too */
	s32 x, y;
	s32 wheel;
	u32 slot;
	u32 major, minor;
	s32 orientation;
	bool clamped;		/* a coordinate was out of range and clamped */
};

enum xenpv_kbd_key_class {
	XENPV_KBD_KEY_INVALID,
	XENPV_KBD_KEY_KEYBOARD,	/* reported by the keyboard device */
	XENPV_KBD_KEY_POINTER,	/* BTN_LEFT..BTN_TASK: the pointer device */
};

enum xenpv_kbd_key_class xenpv_kbd_key_class(u32 code);

/* Inclusive maximum of an axis that is @size pixels wide (default if 0). */
u32 xenpv_kbd_axis_max(u32 size, u32 fallback);

enum xenpv_kbd_verdict xenpv_kbd_translate(const struct xenpv_kbd_config *cfg,
					   struct xenpv_kbd_mt_state *mt,
					   const struct xenpv_kbd_event *ev,
					   struct xenpv_kbd_action *act);

/*
 * Sanitise a backend "unique-id" for input_dev->uniq: printable ASCII only,
 * at most @size - 1 characters, NUL-terminated.  Returns the length.
 */
size_t xenpv_kbd_sanitize_id(char *dst, size_t size, const char *src,
			     size_t src_len);

#endif /* _XENPV_FBFRONT_KBD_LOGIC_H */
