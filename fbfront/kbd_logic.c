// SPDX-License-Identifier: GPL-2.0
/*
 * Pure logic of xenpv_kbdfront: validation and translation of kbdif events.
 *
 * Copyright (C) 2026 The xenpv authors
 */
#include "kbd_logic.h"

enum xenpv_kbd_key_class xenpv_kbd_key_class(u32 code)
{
	if (code == KEY_RESERVED || code > KEY_MAX)
		return XENPV_KBD_KEY_INVALID;
	if (code >= BTN_LEFT && code <= BTN_TASK)
		return XENPV_KBD_KEY_POINTER;
	/* Joystick, gamepad, digitizer... buttons: no device of ours has them. */
	if (code >= BTN_MISC && code < KEY_OK)
		return XENPV_KBD_KEY_INVALID;
	if (code >= BTN_DPAD_UP && code <= BTN_DPAD_RIGHT)
		return XENPV_KBD_KEY_INVALID;
	if (code >= BTN_TRIGGER_HAPPY1 && code <= BTN_TRIGGER_HAPPY40)
		return XENPV_KBD_KEY_INVALID;
	return XENPV_KBD_KEY_KEYBOARD;
}

u32 xenpv_kbd_axis_max(u32 size, u32 fallback)
{
	if (!size || size > XENPV_KBD_MAX_DIM)
		size = fallback;
	return size ? size - 1 : 0;
}

static s32 xenpv_kbd_clamp(s32 v, u32 max, bool *clamped)
{
	if (v < 0) {
		*clamped = true;
		return 0;
	}
	if ((u32)v > max) {
		*clamped = true;
		return (s32)max;
	}
	return v;
}

/* Wheel: kbdif's rel_z counts towards the user, REL_WHEEL away from him. */
static s32 xenpv_kbd_wheel(s32 z)
{
	return z == S32_MIN ? S32_MAX : -z;
}

static enum xenpv_kbd_verdict
xenpv_kbd_translate_key(const struct xenpv_kbd_config *cfg,
			const struct xenpv_kbd_event *ev,
			struct xenpv_kbd_action *act)
{
	if (ev->pressed > 1)
		return XENPV_KBD_INVALID;
	switch (xenpv_kbd_key_class(ev->keycode)) {
	case XENPV_KBD_KEY_KEYBOARD:
		if (!cfg->keyboard)
			return XENPV_KBD_IGNORED;
		act->target = XENPV_KBD_TO_KEYBOARD;
		break;
	case XENPV_KBD_KEY_POINTER:
		if (!cfg->pointer)
			return XENPV_KBD_IGNORED;
		act->target = XENPV_KBD_TO_POINTER;
		break;
	default:
		return XENPV_KBD_INVALID;
	}
	act->op = XENPV_KBD_OP_KEY;
	act->code = ev->keycode;
	act->value = ev->pressed;
	return XENPV_KBD_DELIVER;
}

static enum xenpv_kbd_verdict
xenpv_kbd_translate_mt(const struct xenpv_kbd_config *cfg,
		       struct xenpv_kbd_mt_state *mt,
		       const struct xenpv_kbd_event *ev,
		       struct xenpv_kbd_action *act)
{
	u64 bit;

	if (!cfg->mtouch)
		return XENPV_KBD_IGNORED;
	act->target = XENPV_KBD_TO_MTOUCH;
	if (ev->kind == XENPV_KBD_EV_MT_SYN) {
		act->op = XENPV_KBD_OP_MT_SYN;
		return XENPV_KBD_DELIVER;
	}
	if (ev->kind == XENPV_KBD_EV_MT_UNKNOWN)
		return XENPV_KBD_IGNORED;
	if (!cfg->mt_contacts || cfg->mt_contacts > XENPV_KBD_MAX_CONTACTS ||
	    ev->contact >= cfg->mt_contacts)
		return XENPV_KBD_INVALID;

	bit = (u64)1 << ev->contact;
	act->slot = ev->contact;
	switch (ev->kind) {
	case XENPV_KBD_EV_MT_DOWN:
		/* A second DOWN for a live contact is just a move. */
		act->op = (mt->active & bit) ? XENPV_KBD_OP_MT_MOTION :
					       XENPV_KBD_OP_MT_DOWN;
		mt->active |= bit;
		act->x = xenpv_kbd_clamp(ev->x, cfg->mt_max_x, &act->clamped);
		act->y = xenpv_kbd_clamp(ev->y, cfg->mt_max_y, &act->clamped);
		return XENPV_KBD_DELIVER;
	case XENPV_KBD_EV_MT_MOTION:
		if (!(mt->active & bit))
			return XENPV_KBD_INVALID;
		act->op = XENPV_KBD_OP_MT_MOTION;
		act->x = xenpv_kbd_clamp(ev->x, cfg->mt_max_x, &act->clamped);
		act->y = xenpv_kbd_clamp(ev->y, cfg->mt_max_y, &act->clamped);
		return XENPV_KBD_DELIVER;
	case XENPV_KBD_EV_MT_UP:
		if (!(mt->active & bit))
			return XENPV_KBD_INVALID;
		mt->active &= ~bit;
		act->op = XENPV_KBD_OP_MT_UP;
		return XENPV_KBD_DELIVER;
	case XENPV_KBD_EV_MT_SHAPE:
		if (!(mt->active & bit))
			return XENPV_KBD_INVALID;
		act->op = XENPV_KBD_OP_MT_SHAPE;
		act->major = ev->major;
		act->minor = ev->minor;
		if (act->major > XENPV_KBD_MAX_DIM) {
			act->major = XENPV_KBD_MAX_DIM;
			act->clamped = true;
		}
		if (act->minor > act->major) {
			act->minor = act->major;
			act->clamped = true;
		}
		return XENPV_KBD_DELIVER;
	case XENPV_KBD_EV_MT_ORIENT:
		if (!(mt->active & bit))
			return XENPV_KBD_INVALID;
		act->op = XENPV_KBD_OP_MT_ORIENT;
		act->orientation = ev->orientation;
		if (act->orientation < -180 || act->orientation > 180) {
			act->orientation = act->orientation < 0 ? -180 : 180;
			act->clamped = true;
		}
		return XENPV_KBD_DELIVER;
	default:
		return XENPV_KBD_IGNORED;
	}
}

enum xenpv_kbd_verdict xenpv_kbd_translate(const struct xenpv_kbd_config *cfg,
					   struct xenpv_kbd_mt_state *mt,
					   const struct xenpv_kbd_event *ev,
					   struct xenpv_kbd_action *act)
{
	memset(act, 0, sizeof(*act));

	switch (ev->kind) {
	case XENPV_KBD_EV_KEY:
		return xenpv_kbd_translate_key(cfg, ev, act);
	case XENPV_KBD_EV_MOTION:
		if (!cfg->pointer)
			return XENPV_KBD_IGNORED;
		act->target = XENPV_KBD_TO_POINTER;
		act->op = XENPV_KBD_OP_REL;
		/* An absolute pointer has no REL_X/REL_Y; keep the wheel. */
		act->rel_xy = !cfg->abs;
		act->x = ev->x;
		act->y = ev->y;
		act->wheel = xenpv_kbd_wheel(ev->z);
		return XENPV_KBD_DELIVER;
	case XENPV_KBD_EV_POS:
		if (!cfg->pointer || !cfg->abs)
			return XENPV_KBD_IGNORED;
		act->target = XENPV_KBD_TO_POINTER;
		act->op = XENPV_KBD_OP_ABS;
		act->x = xenpv_kbd_clamp(ev->x, cfg->abs_max_x, &act->clamped);
		act->y = xenpv_kbd_clamp(ev->y, cfg->abs_max_y, &act->clamped);
		act->wheel = xenpv_kbd_wheel(ev->z);
		return XENPV_KBD_DELIVER;
	case XENPV_KBD_EV_MT_DOWN:
	case XENPV_KBD_EV_MT_UP:
	case XENPV_KBD_EV_MT_MOTION:
	case XENPV_KBD_EV_MT_SYN:
	case XENPV_KBD_EV_MT_SHAPE:
	case XENPV_KBD_EV_MT_ORIENT:
	case XENPV_KBD_EV_MT_UNKNOWN:
		return xenpv_kbd_translate_mt(cfg, mt, ev, act);
	default:
		return XENPV_KBD_IGNORED;
	}
}

size_t xenpv_kbd_sanitize_id(char *dst, size_t size, const char *src,
			     size_t src_len)
{
	size_t i, n = 0;

	if (!size)
		return 0;
	for (i = 0; src && i < src_len && src[i] && n + 1 < size; i++) {
		char c = src[i];

		if (c > 0x20 && c < 0x7f)
			dst[n++] = c;
	}
	dst[n] = '\0';
	return n;
}
