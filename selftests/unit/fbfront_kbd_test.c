// SPDX-License-Identifier: GPL-2.0
/*
 * Host unit tests for xenpv_kbdfront's event validation and translation
 * (fbfront/kbd_logic.c).
 *
 * Copyright (C) 2026 The xenpv authors
 *
 * unit-sources: ../../fbfront/kbd_logic.c
 */
#include <stdint.h>

#include "unit.h"
#include "../../fbfront/kbd_logic.h"

static struct xenpv_kbd_config cfg_all(void)
{
	struct xenpv_kbd_config c = {
		.keyboard = true, .pointer = true, .abs = true, .mtouch = true,
		.abs_max_x = 799, .abs_max_y = 599,
		.mt_max_x = 1023, .mt_max_y = 767, .mt_contacts = 4,
	};

	return c;
}

static enum xenpv_kbd_verdict run(const struct xenpv_kbd_config *c,
				  struct xenpv_kbd_mt_state *mt,
				  struct xenpv_kbd_event ev,
				  struct xenpv_kbd_action *act)
{
	return xenpv_kbd_translate(c, mt, &ev, act);
}

static void test_key_class(void)
{
	UNIT_CHECK_EQ(xenpv_kbd_key_class(KEY_RESERVED), XENPV_KBD_KEY_INVALID,
		      "KEY_RESERVED is invalid");
	UNIT_CHECK_EQ(xenpv_kbd_key_class(KEY_ESC), XENPV_KBD_KEY_KEYBOARD,
		      "KEY_ESC is a keyboard key");
	UNIT_CHECK_EQ(xenpv_kbd_key_class(KEY_A), XENPV_KBD_KEY_KEYBOARD,
		      "KEY_A is a keyboard key");
	UNIT_CHECK_EQ(xenpv_kbd_key_class(BTN_LEFT), XENPV_KBD_KEY_POINTER,
		      "BTN_LEFT goes to the pointer");
	UNIT_CHECK_EQ(xenpv_kbd_key_class(BTN_TASK), XENPV_KBD_KEY_POINTER,
		      "BTN_TASK goes to the pointer");
	UNIT_CHECK_EQ(xenpv_kbd_key_class(BTN_JOYSTICK), XENPV_KBD_KEY_INVALID,
		      "joystick buttons are refused");
	UNIT_CHECK_EQ(xenpv_kbd_key_class(BTN_TOUCH), XENPV_KBD_KEY_INVALID,
		      "BTN_TOUCH is refused (no key-driven touch)");
	UNIT_CHECK_EQ(xenpv_kbd_key_class(KEY_OK), XENPV_KBD_KEY_KEYBOARD,
		      "KEY_OK (first key after the button block) accepted");
	UNIT_CHECK_EQ(xenpv_kbd_key_class(BTN_DPAD_UP), XENPV_KBD_KEY_INVALID,
		      "d-pad buttons refused");
	UNIT_CHECK_EQ(xenpv_kbd_key_class(BTN_TRIGGER_HAPPY1), XENPV_KBD_KEY_INVALID,
		      "trigger-happy buttons refused");
	UNIT_CHECK_EQ(xenpv_kbd_key_class(KEY_MAX), XENPV_KBD_KEY_KEYBOARD,
		      "KEY_MAX accepted");
	UNIT_CHECK_EQ(xenpv_kbd_key_class(KEY_MAX + 1), XENPV_KBD_KEY_INVALID,
		      "KEY_MAX + 1 refused");
	UNIT_CHECK_EQ(xenpv_kbd_key_class(UINT32_MAX), XENPV_KBD_KEY_INVALID,
		      "huge keycode refused");
}

static void test_keys(void)
{
	struct xenpv_kbd_config c = cfg_all();
	struct xenpv_kbd_mt_state mt = { 0 };
	struct xenpv_kbd_action a;
	struct xenpv_kbd_event ev = { .kind = XENPV_KBD_EV_KEY };

	ev.keycode = KEY_A;
	ev.pressed = 1;
	UNIT_CHECK(run(&c, &mt, ev, &a) == XENPV_KBD_DELIVER &&
		   a.target == XENPV_KBD_TO_KEYBOARD && a.op == XENPV_KBD_OP_KEY &&
		   a.code == KEY_A && a.value == 1, "key press delivered");
	ev.keycode = BTN_RIGHT;
	ev.pressed = 0;
	UNIT_CHECK(run(&c, &mt, ev, &a) == XENPV_KBD_DELIVER &&
		   a.target == XENPV_KBD_TO_POINTER && a.value == 0,
		   "button release to the pointer");
	ev.pressed = 2;
	UNIT_CHECK_EQ(run(&c, &mt, ev, &a), XENPV_KBD_INVALID,
		      "pressed=2 is invalid");
	ev.pressed = 1;
	ev.keycode = 0x12345;
	UNIT_CHECK_EQ(run(&c, &mt, ev, &a), XENPV_KBD_INVALID,
		      "out-of-range keycode is invalid");
	c.keyboard = false;
	ev.keycode = KEY_A;
	UNIT_CHECK_EQ(run(&c, &mt, ev, &a), XENPV_KBD_IGNORED,
		      "keyboard disabled: key ignored");
	c = cfg_all();
	c.pointer = false;
	ev.keycode = BTN_LEFT;
	UNIT_CHECK_EQ(run(&c, &mt, ev, &a), XENPV_KBD_IGNORED,
		      "pointer disabled: button ignored");
}

static void test_pointer(void)
{
	struct xenpv_kbd_config c = cfg_all();
	struct xenpv_kbd_mt_state mt = { 0 };
	struct xenpv_kbd_action a;
	struct xenpv_kbd_event ev = { .kind = XENPV_KBD_EV_POS, .x = 100,
				      .y = 200, .z = 1 };

	UNIT_CHECK(run(&c, &mt, ev, &a) == XENPV_KBD_DELIVER &&
		   a.op == XENPV_KBD_OP_ABS && a.x == 100 && a.y == 200 &&
		   a.wheel == -1 && !a.clamped, "absolute position delivered");
	ev.x = 5000;
	ev.y = -3;
	UNIT_CHECK(run(&c, &mt, ev, &a) == XENPV_KBD_DELIVER && a.x == 799 &&
		   a.y == 0 && a.clamped, "out-of-range position clamped");
	ev.z = INT32_MIN;
	UNIT_CHECK(run(&c, &mt, ev, &a) == XENPV_KBD_DELIVER &&
		   a.wheel == INT32_MAX, "wheel negation does not overflow");
	c.abs = false;
	UNIT_CHECK_EQ(run(&c, &mt, ev, &a), XENPV_KBD_IGNORED,
		      "position on a relative pointer ignored");

	ev.kind = XENPV_KBD_EV_MOTION;
	ev.x = -7;
	ev.y = 9;
	ev.z = 0;
	UNIT_CHECK(run(&c, &mt, ev, &a) == XENPV_KBD_DELIVER &&
		   a.op == XENPV_KBD_OP_REL && a.rel_xy && a.x == -7 && a.y == 9,
		   "relative motion delivered");
	c.abs = true;
	UNIT_CHECK(run(&c, &mt, ev, &a) == XENPV_KBD_DELIVER && !a.rel_xy,
		   "relative motion on an absolute pointer: wheel only");
	c.pointer = false;
	UNIT_CHECK_EQ(run(&c, &mt, ev, &a), XENPV_KBD_IGNORED,
		      "motion without a pointer ignored");

	UNIT_CHECK_EQ(xenpv_kbd_axis_max(0, 800), 799, "absent width: default");
	UNIT_CHECK_EQ(xenpv_kbd_axis_max(1024, 800), 1023, "width 1024: max 1023");
	UNIT_CHECK_EQ(xenpv_kbd_axis_max(70000, 800), 799, "huge width: default");
}

static void test_mtouch(void)
{
	struct xenpv_kbd_config c = cfg_all();
	struct xenpv_kbd_mt_state mt = { 0 };
	struct xenpv_kbd_action a;
	struct xenpv_kbd_event ev = { .kind = XENPV_KBD_EV_MT_DOWN, .contact = 2,
				      .x = 10, .y = 20 };

	UNIT_CHECK(run(&c, &mt, ev, &a) == XENPV_KBD_DELIVER &&
		   a.op == XENPV_KBD_OP_MT_DOWN && a.slot == 2 &&
		   a.target == XENPV_KBD_TO_MTOUCH && (mt.active & 4),
		   "contact 2 down");
	UNIT_CHECK(run(&c, &mt, ev, &a) == XENPV_KBD_DELIVER &&
		   a.op == XENPV_KBD_OP_MT_MOTION, "second down is a move");
	ev.kind = XENPV_KBD_EV_MT_MOTION;
	ev.x = 4000;
	UNIT_CHECK(run(&c, &mt, ev, &a) == XENPV_KBD_DELIVER && a.x == 1023 &&
		   a.clamped, "motion clamped to the touch area");
	ev.kind = XENPV_KBD_EV_MT_SHAPE;
	ev.major = 10;
	ev.minor = 30;
	UNIT_CHECK(run(&c, &mt, ev, &a) == XENPV_KBD_DELIVER &&
		   a.major == 10 && a.minor == 10 && a.clamped,
		   "minor axis never longer than major");
	ev.kind = XENPV_KBD_EV_MT_ORIENT;
	ev.orientation = -300;
	UNIT_CHECK(run(&c, &mt, ev, &a) == XENPV_KBD_DELIVER &&
		   a.orientation == -180, "orientation clamped to -180");
	ev.kind = XENPV_KBD_EV_MT_UP;
	UNIT_CHECK(run(&c, &mt, ev, &a) == XENPV_KBD_DELIVER &&
		   a.op == XENPV_KBD_OP_MT_UP && !(mt.active & 4), "contact 2 up");
	UNIT_CHECK_EQ(run(&c, &mt, ev, &a), XENPV_KBD_INVALID,
		      "up for a contact that is not down is invalid");
	ev.kind = XENPV_KBD_EV_MT_MOTION;
	UNIT_CHECK_EQ(run(&c, &mt, ev, &a), XENPV_KBD_INVALID,
		      "motion for a contact that is not down is invalid");
	ev.kind = XENPV_KBD_EV_MT_DOWN;
	ev.contact = 4;
	UNIT_CHECK_EQ(run(&c, &mt, ev, &a), XENPV_KBD_INVALID,
		      "contact id == num-contacts is invalid");
	ev.contact = 255;
	UNIT_CHECK_EQ(run(&c, &mt, ev, &a), XENPV_KBD_INVALID,
		      "contact id 255 is invalid");
	ev.kind = XENPV_KBD_EV_MT_SYN;
	UNIT_CHECK(run(&c, &mt, ev, &a) == XENPV_KBD_DELIVER &&
		   a.op == XENPV_KBD_OP_MT_SYN, "sync delivered (any contact id)");
	ev.kind = XENPV_KBD_EV_MT_UNKNOWN;
	UNIT_CHECK_EQ(run(&c, &mt, ev, &a), XENPV_KBD_IGNORED,
		      "unknown multi-touch sub-type ignored");
	c.mtouch = false;
	ev.kind = XENPV_KBD_EV_MT_DOWN;
	ev.contact = 0;
	UNIT_CHECK_EQ(run(&c, &mt, ev, &a), XENPV_KBD_IGNORED,
		      "no touch device: touch ignored");
	c = cfg_all();
	c.mt_contacts = 65;
	UNIT_CHECK_EQ(run(&c, &mt, ev, &a), XENPV_KBD_INVALID,
		      "more contacts than the bitmap holds: refused");
}

static void test_misc(void)
{
	struct xenpv_kbd_config c = cfg_all();
	struct xenpv_kbd_mt_state mt = { 0 };
	struct xenpv_kbd_action a;
	struct xenpv_kbd_event ev = { .kind = XENPV_KBD_EV_UNKNOWN };
	char id[8];

	UNIT_CHECK_EQ(run(&c, &mt, ev, &a), XENPV_KBD_IGNORED,
		      "unknown event type ignored");
	UNIT_CHECK(xenpv_kbd_sanitize_id(id, sizeof(id), "ab c\n\x01z", 7) == 4 &&
		   !strcmp(id, "abcz"), "unique-id: control chars and spaces dropped");
	UNIT_CHECK(xenpv_kbd_sanitize_id(id, sizeof(id), "0123456789", 10) == 7 &&
		   !strcmp(id, "0123456"), "unique-id truncated to the buffer");
	UNIT_CHECK(xenpv_kbd_sanitize_id(id, sizeof(id), NULL, 5) == 0 &&
		   id[0] == '\0', "unique-id: NULL gives an empty string");
	UNIT_CHECK_EQ(xenpv_kbd_sanitize_id(id, 0, "x", 1), 0,
		      "unique-id: zero-sized buffer untouched");
}

int main(void)
{
	test_key_class();
	test_keys();
	test_pointer();
	test_mtouch();
	test_misc();
	return unit_done();
}
