/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Minimal TAP helpers for host unit tests (selftests/unit).
 *
 * Copyright (C) 2026 The xenpv authors
 *
 * A test program prints one "ok"/"not ok" line per check and exits 0 only
 * if all passed; run-tests.sh numbers the lines of every program into one
 * TAP stream and prints the "N passed, N failed" total.  Using this header
 * is optional: any program printing TAP test lines works with the runner.
 */
#ifndef _XENPV_UNIT_H
#define _XENPV_UNIT_H

#include <stdio.h>

static int unit_run, unit_failed;

/* Record one check; @...: printf-style description. */
#define UNIT_CHECK(cond, ...) do {					\
	int __ok = !!(cond);						\
	unit_run++;							\
	if (!__ok)							\
		unit_failed++;						\
	printf("%s %d - ", __ok ? "ok" : "not ok", unit_run);		\
	printf(__VA_ARGS__);						\
	printf("\n");							\
	if (!__ok)							\
		printf("# failed at %s:%d: %s\n", __FILE__, __LINE__,	\
		       #cond);						\
} while (0)

/*
 * A check that is its own description: "function:line expression".  For
 * tests with many small checks whose expression says what is checked.
 */
#define CHECK(cond) UNIT_CHECK(cond, "%s:%d %s", __func__, __LINE__, #cond)

/* Equality of two integers, printing both values when they differ. */
#define UNIT_CHECK_EQ(a, b, ...) do {					\
	long long __a = (long long)(a), __b = (long long)(b);		\
	UNIT_CHECK(__a == __b, __VA_ARGS__);				\
	if (__a != __b)							\
		printf("# %s = %lld, %s = %lld\n", #a, __a, #b, __b);	\
} while (0)

/* Print the plan and return the exit status for main(). */
static inline int unit_done(void)
{
	printf("1..%d\n", unit_run);
	return unit_failed ? 1 : 0;
}

#endif /* _XENPV_UNIT_H */
