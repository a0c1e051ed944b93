// SPDX-License-Identifier: GPL-2.0
/*
 * Host unit test of the harness itself: the kernel-API stand-ins in
 * unit_shim.h must behave like the kernel's, or tests built on them would
 * pass for the wrong reasons.  The expected values follow the kernel's
 * documented kstrto*() and ERR_PTR() rules.
 *
 * Copyright (C) 2026 The xenpv authors
 */
#include "unit_shim.h"

#include <linux/kstrtox.h>
#include <linux/err.h>

#include "unit.h"

static void test_kstrtouint(void)
{
	unsigned int v = 7;

	UNIT_CHECK(kstrtouint("42", 10, &v) == 0 && v == 42, "decimal");
	UNIT_CHECK(kstrtouint("42\n", 10, &v) == 0 && v == 42,
		   "one trailing newline is accepted");
	UNIT_CHECK(kstrtouint("+42", 10, &v) == 0 && v == 42, "leading plus");
	UNIT_CHECK(kstrtouint("0x1f", 0, &v) == 0 && v == 31, "base 0 detects hex");
	UNIT_CHECK(kstrtouint("017", 0, &v) == 0 && v == 15, "base 0 detects octal");
	UNIT_CHECK(kstrtouint("0x1f", 16, &v) == 0 && v == 31, "base 16 skips 0x");
	UNIT_CHECK(kstrtouint("4294967295", 10, &v) == 0 && v == UINT_MAX,
		   "UINT_MAX fits");

	v = 7;
	UNIT_CHECK(kstrtouint("4294967296", 10, &v) == -ERANGE && v == 7,
		   "overflow is -ERANGE and leaves the result alone");
	UNIT_CHECK(kstrtouint("", 10, &v) == -EINVAL, "empty is -EINVAL");
	UNIT_CHECK(kstrtouint("\n", 10, &v) == -EINVAL, "newline only is -EINVAL");
	UNIT_CHECK(kstrtouint("12a", 10, &v) == -EINVAL, "trailing junk is -EINVAL");
	UNIT_CHECK(kstrtouint("12\n\n", 10, &v) == -EINVAL,
		   "a second newline is -EINVAL");
	UNIT_CHECK(kstrtouint(" 12", 10, &v) == -EINVAL, "leading space is -EINVAL");
	UNIT_CHECK(kstrtouint("-1", 10, &v) == -EINVAL, "minus is -EINVAL when unsigned");
	UNIT_CHECK(kstrtouint("08", 0, &v) == -EINVAL, "8 is not an octal digit");
	UNIT_CHECK(kstrtouint("0x", 0, &v) == -EINVAL,
		   "\"0x\" without digits is -EINVAL");
	UNIT_CHECK(v == 7, "rejected input leaves the result alone");
}

static void test_kstrtoint(void)
{
	int v = 0;

	UNIT_CHECK(kstrtoint("-2147483648", 10, &v) == 0 && v == INT_MIN, "INT_MIN");
	UNIT_CHECK(kstrtoint("2147483647", 10, &v) == 0 && v == INT_MAX, "INT_MAX");
	UNIT_CHECK(kstrtoint("2147483648", 10, &v) == -ERANGE, "INT_MAX + 1 is -ERANGE");
	UNIT_CHECK(kstrtoint("-2147483649", 10, &v) == -ERANGE, "INT_MIN - 1 is -ERANGE");
	UNIT_CHECK(kstrtoint("-+1", 10, &v) == -EINVAL, "-+1 is -EINVAL");
	UNIT_CHECK(kstrtoint("+-1", 10, &v) == -EINVAL, "+-1 is -EINVAL");
}

static void test_err_ptr(void)
{
	void *p = ERR_PTR(-ENOMEM);
	int x;

	UNIT_CHECK(IS_ERR(p) && PTR_ERR(p) == -ENOMEM, "ERR_PTR round trip");
	UNIT_CHECK(IS_ERR(ERR_PTR(-MAX_ERRNO)), "-MAX_ERRNO is an error pointer");
	UNIT_CHECK(!IS_ERR(&x) && !IS_ERR_OR_NULL(&x), "a real pointer is not an error");
	UNIT_CHECK(IS_ERR_OR_NULL(NULL) && !IS_ERR(NULL), "NULL is not an error pointer");
}

static void test_helpers(void)
{
	BUILD_BUG_ON(sizeof(u32) != 4 || sizeof(__le64) != 8);
	UNIT_CHECK_EQ(clamp(17, 1, 16), 16, "clamp high");
	UNIT_CHECK_EQ(clamp_t(unsigned int, 0, 1, 16), 1, "clamp_t low");
	UNIT_CHECK_EQ(DIV_ROUND_UP(4097, 4096), 2, "DIV_ROUND_UP");
	UNIT_CHECK_EQ(ALIGN(4097UL, 4096), 8192, "ALIGN");
	UNIT_CHECK_EQ(GENMASK(7, 4), 0xf0, "GENMASK");
	UNIT_CHECK(is_power_of_2(4096) && !is_power_of_2(0) && !is_power_of_2(12),
		   "is_power_of_2");
	UNIT_CHECK_EQ(le32_to_cpu(cpu_to_le32(0x12345678)), 0x12345678,
		      "le32 round trip");
}

int main(void)
{
	test_kstrtouint();
	test_kstrtoint();
	test_err_ptr();
	test_helpers();
	return unit_done();
}
