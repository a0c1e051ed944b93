/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Minimal types for the pure logic of xenpv_fbfront/xenpv_kbdfront.
 *
 * Copyright (C) 2026 The xenpv authors
 *
 * fb_logic.c, kbd_logic.c and evring.h are built twice: into the modules
 * and, unchanged, into host unit tests (selftests/unit/fbfront_*_test.c).
 * This header gives both builds the few kernel types they use.
 */
#ifndef _XENPV_FBFRONT_LOGIC_TYPES_H
#define _XENPV_FBFRONT_LOGIC_TYPES_H

#ifdef __KERNEL__
#include <linux/types.h>
#include <linux/kernel.h>
#include <linux/errno.h>
#include <linux/string.h>
#include <linux/input.h>
#else
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <errno.h>
#include <linux/input-event-codes.h>

typedef uint8_t u8;
typedef uint16_t u16;
typedef uint32_t u32;
typedef uint64_t u64;
typedef int16_t s16;
typedef int32_t s32;
typedef int64_t s64;

#define S16_MIN INT16_MIN
#define S16_MAX INT16_MAX
#define S32_MIN INT32_MIN
#define S32_MAX INT32_MAX
#define U32_MAX UINT32_MAX
#endif

#endif /* _XENPV_FBFRONT_LOGIC_TYPES_H */
