/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Host shim for unit tests of kernel-style pure-logic code.
 *
 * Copyright (C) 2026 The xenpv authors
 *
 * Include it first in a *_test.c whose code under test is written against
 * kernel headers (u8/u32, __le32, size_t, errno values, string functions,
 * BUILD_BUG_ON, min/max, READ_ONCE, kmalloc, pr_*...).  The wrappers in
 * selftests/unit/include/linux/ map kernel-only headers (<linux/string.h>,
 * <linux/slab.h>, ...) to this file; headers that also exist as host UAPI
 * (<linux/types.h>, <linux/errno.h>, <linux/kernel.h>) resolve to the host's
 * copy, which is harmless once this file has been read.
 *
 * Code that already has its own host branch (#ifndef __KERNEL__) does not
 * need it.  Only pure logic belongs under test here: nothing that touches
 * hardware, locks, or the scheduler.
 */
#ifndef _XENPV_UNIT_SHIM_H
#define _XENPV_UNIT_SHIM_H

#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <endian.h>

typedef uint8_t u8;
typedef uint16_t u16;
typedef uint32_t u32;
typedef uint64_t u64;
typedef int8_t s8;
typedef int16_t s16;
typedef int32_t s32;
typedef int64_t s64;
typedef uint16_t __le16;
typedef uint32_t __le32;
typedef uint64_t __le64;
typedef uint16_t __be16;
typedef uint32_t __be32;
typedef uint64_t __be64;
typedef unsigned int gfp_t;

/* Errno values the kernel has and the C library does not. */
#ifndef ERESTARTSYS
#define ERESTARTSYS	512
#endif
#ifndef EPROBE_DEFER
#define EPROBE_DEFER	517
#endif
#ifndef ENOTSUPP
#define ENOTSUPP	524
#endif

/* Annotations that mean nothing to a host compiler. */
#define __iomem
#define __user
#define __rcu
#define __percpu
#define __force
#define __bitwise
#define __must_hold(x)
#define __acquires(x)
#define __releases(x)
#define __init
#define __exit
#define __read_mostly
#define __always_unused		__attribute__((__unused__))
#define __maybe_unused		__attribute__((__unused__))
#define __must_check		__attribute__((__warn_unused_result__))
#define __packed		__attribute__((__packed__))
#define __aligned(x)		__attribute__((__aligned__(x)))
#define __printf(a, b)		__attribute__((__format__(printf, a, b)))
#define fallthrough		__attribute__((__fallthrough__))
#define likely(x)		__builtin_expect(!!(x), 1)
#define unlikely(x)		__builtin_expect(!!(x), 0)

#define EXPORT_SYMBOL(sym)
#define EXPORT_SYMBOL_GPL(sym)
#define EXPORT_SYMBOL_NS_GPL(sym, ns)

#define BUILD_BUG_ON(cond)	_Static_assert(!(cond), "BUILD_BUG_ON(" #cond ")")
#define ARRAY_SIZE(a)		(sizeof(a) / sizeof((a)[0]))
#define BIT(n)			(1UL << (n))
#define BIT_ULL(n)		(1ULL << (n))
#define GENMASK(h, l)		(((~0UL) << (l)) & (~0UL >> (sizeof(long) * 8 - 1 - (h))))
#define DIV_ROUND_UP(n, d)	(((n) + (d) - 1) / (d))
#define ALIGN(x, a)		(((x) + ((a) - 1)) & ~((__typeof__(x))(a) - 1))
#define IS_ALIGNED(x, a)	(((x) & ((__typeof__(x))(a) - 1)) == 0)
#define is_power_of_2(n)	((n) != 0 && (((n) & ((n) - 1)) == 0))

#define min(a, b)		((a) < (b) ? (a) : (b))
#define max(a, b)		((a) > (b) ? (a) : (b))
#define min_t(t, a, b)		((t)(a) < (t)(b) ? (t)(a) : (t)(b))
#define max_t(t, a, b)		((t)(a) > (t)(b) ? (t)(a) : (t)(b))
#define clamp(v, lo, hi)	min(max(v, lo), hi)
#define clamp_t(t, v, lo, hi)	min_t(t, max_t(t, v, lo), hi)

#define READ_ONCE(x)		(*(const volatile __typeof__(x) *)&(x))
#define WRITE_ONCE(x, v)	(*(volatile __typeof__(x) *)&(x) = (v))
#define barrier()		__asm__ __volatile__("" ::: "memory")
#define mb()			__atomic_thread_fence(__ATOMIC_SEQ_CST)
#define rmb()			__atomic_thread_fence(__ATOMIC_ACQUIRE)
#define wmb()			__atomic_thread_fence(__ATOMIC_RELEASE)
#define virt_mb()		mb()
#define virt_rmb()		rmb()
#define virt_wmb()		wmb()

/* A warning is a test failure signal, not a crash: report and go on. */
#define WARN_ON(cond) ({						\
	int __w = !!(cond);						\
	if (__w)							\
		fprintf(stderr, "# WARN_ON(%s) at %s:%d\n", #cond,	\
			__FILE__, __LINE__);				\
	__w;								\
})
#define WARN_ON_ONCE(cond)	WARN_ON(cond)

#define le16_to_cpu(x)		le16toh(x)
#define le32_to_cpu(x)		le32toh(x)
#define le64_to_cpu(x)		le64toh(x)
#define cpu_to_le16(x)		htole16(x)
#define cpu_to_le32(x)		htole32(x)
#define cpu_to_le64(x)		htole64(x)
#define be16_to_cpu(x)		be16toh(x)
#define be32_to_cpu(x)		be32toh(x)
#define cpu_to_be16(x)		htobe16(x)
#define cpu_to_be32(x)		htobe32(x)

#define GFP_KERNEL		0u
#define GFP_NOIO		0u
#define GFP_ATOMIC		0u
#define kmalloc(n, gfp)		malloc(n)
#define kzalloc(n, gfp)		calloc(1, (n))
#define kcalloc(n, s, gfp)	calloc((n), (s))
#define kfree(p)		free(p)
#define kstrdup(s, gfp)		strdup(s)

#define MAX_ERRNO		4095
#define IS_ERR_VALUE(x)		((unsigned long)(void *)(x) >= (unsigned long)-MAX_ERRNO)
static inline void *ERR_PTR(long error) { return (void *)error; }
static inline long PTR_ERR(const void *ptr) { return (long)ptr; }
static inline bool IS_ERR(const void *ptr) { return IS_ERR_VALUE(ptr); }
static inline bool IS_ERR_OR_NULL(const void *ptr) { return !ptr || IS_ERR_VALUE(ptr); }

/* Messages go to stderr as TAP comments; tests assert on return values. */
#define pr_err(fmt, ...)	fprintf(stderr, "# " fmt, ##__VA_ARGS__)
#define pr_warn(fmt, ...)	fprintf(stderr, "# " fmt, ##__VA_ARGS__)
#define pr_info(fmt, ...)	fprintf(stderr, "# " fmt, ##__VA_ARGS__)
#define pr_debug(fmt, ...)	do { } while (0)
#define pr_err_ratelimited	pr_err
#define pr_warn_ratelimited	pr_warn

/*
 * kstrto*() with the kernel's rules: optional leading + (and - when signed),
 * base 0 detects 0x/0 prefixes, one trailing newline allowed, nothing else;
 * -EINVAL for junk, -ERANGE for overflow.
 */
static inline int xenpv_unit_kstrtoull(const char *s, unsigned int base,
				       unsigned long long *res)
{
	unsigned long long v = 0;
	unsigned int digits = 0;

	if (base == 0) {
		if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X') && isxdigit((unsigned char)s[2])) {
			base = 16;
			s += 2;
		} else if (s[0] == '0') {
			base = 8;
		} else {
			base = 10;
		}
	} else if (base == 16 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
		s += 2;
	}
	for (; *s && *s != '\n'; s++, digits++) {
		unsigned int d;

		if (*s >= '0' && *s <= '9')
			d = *s - '0';
		else if (*s >= 'a' && *s <= 'f')
			d = *s - 'a' + 10;
		else if (*s >= 'A' && *s <= 'F')
			d = *s - 'A' + 10;
		else
			return -EINVAL;
		if (d >= base)
			return -EINVAL;
		if (v > (ULLONG_MAX - d) / base)
			return -ERANGE;
		v = v * base + d;
	}
	if (!digits || (*s == '\n' && s[1]))
		return -EINVAL;
	*res = v;
	return 0;
}

static inline int kstrtoull(const char *s, unsigned int base, unsigned long long *res)
{
	if (*s == '+')
		s++;
	return xenpv_unit_kstrtoull(s, base, res);
}

static inline int kstrtoul(const char *s, unsigned int base, unsigned long *res)
{
	unsigned long long v;
	int err = kstrtoull(s, base, &v);

	if (err)
		return err;
	if (v > ULONG_MAX)
		return -ERANGE;
	*res = v;
	return 0;
}

static inline int kstrtouint(const char *s, unsigned int base, unsigned int *res)
{
	unsigned long long v;
	int err = kstrtoull(s, base, &v);

	if (err)
		return err;
	if (v > UINT_MAX)
		return -ERANGE;
	*res = v;
	return 0;
}

static inline int kstrtou32(const char *s, unsigned int base, u32 *res)
{
	return kstrtouint(s, base, res);
}

static inline int kstrtoint(const char *s, unsigned int base, int *res)
{
	unsigned long long v;
	int err;

	if (*s == '-') {
		err = xenpv_unit_kstrtoull(s + 1, base, &v);
		if (err)
			return err;
		if (v > (unsigned long long)INT_MAX + 1)
			return -ERANGE;
		*res = (int)-(long long)v;
		return 0;
	}
	err = kstrtoull(s, base, &v);
	if (err)
		return err;
	if (v > INT_MAX)
		return -ERANGE;
	*res = (int)v;
	return 0;
}

#endif /* _XENPV_UNIT_SHIM_H */
