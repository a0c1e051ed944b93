// SPDX-License-Identifier: GPL-2.0
/*
 * Host unit test of the supported-kernel range: the version arithmetic in
 * compat/include/xenpv_kversion.h (behind compat.h's #error) and the
 * BUILD_EXCLUSIVE_KERNEL regex in dkms.conf must accept exactly the same
 * kernel releases.
 *
 * Copyright (C) 2026 The xenpv authors
 */
#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <xenpv_kversion.h>

#include "unit.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/*
 * Release strings as kernels report them (uname -r), with the verdict the
 * supported range (5.10 <= kernel < 8.0) gives.
 */
static const struct {
	const char *release;
	int supported;
} releases[] = {
	{ "4.19.0-27-amd64", 0 },
	{ "5.4.0-150-generic", 0 },
	{ "5.9.16", 0 },
	{ "5.10.0-32-amd64", 1 },
	{ "5.10.255", 1 },
	{ "5.10.300-cip", 1 },
	{ "5.15.0-1070-azure", 1 },
	{ "5.19.17", 1 },
	{ "6.0.0", 1 },
	{ "6.1.0-56-amd64", 1 },
	{ "6.12.117+deb13-amd64", 1 },
	{ "6.19.0-rc3", 1 },
	{ "7.0.0", 1 },
	{ "7.3.4+deb13-amd64", 1 },
	{ "7.99.1", 1 },
	{ "8.0.0", 0 },
	{ "8.1.2-arch1-1", 0 },
	{ "10.1.0", 0 },
	{ "15.10.0", 0 },
	{ "3.10.0-1160.el7.x86_64", 0 },
};

/* "A.B[.C][anything]" -> XENPV_KVER(A, B, C); -1 if not a release. */
static long release_code(const char *s)
{
	unsigned long v[3] = { 0, 0, 0 };
	char *end;
	int i;

	for (i = 0; i < 3; i++) {
		v[i] = strtoul(s, &end, 10);
		if (end == s)
			return i >= 2 ? (long)XENPV_KVER(v[0], v[1], 0) : -1;
		s = end;
		if (*s != '.')
			break;
		s++;
	}
	return i == 0 ? -1 : (long)XENPV_KVER(v[0], v[1], v[2]);
}

/*
 * True when bash reads the double-quoted text @v unchanged: no backquote,
 * quote or backslash pair, and a '$' only where it cannot start an
 * expansion (before ')' or '|' or at the end, as a regex anchor).  Other
 * backslashes are kept by bash inside double quotes.
 */
static int bash_literal(const char *v)
{
	const char *p;

	if (strpbrk(v, "`\"") || strstr(v, "\\\\"))
		return 0;
	for (p = strchr(v, '$'); p; p = strchr(p + 1, '$'))
		if (p[1] && p[1] != ')' && p[1] != '|')
			return 0;
	return 1;
}

/*
 * The value of BUILD_EXCLUSIVE_KERNEL="..." in dkms.conf, as the regex
 * bash's =~ sees when DKMS sources the file.
 */
static int dkms_regex(char *buf, size_t len)
{
	static const char key[] = "BUILD_EXCLUSIVE_KERNEL=\"";
	char line[512];
	FILE *f = fopen(XENPV_SRCROOT "/dkms.conf", "r");
	int found = 0;

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f)) {
		char *v, *q;

		if (strncmp(line, key, sizeof(key) - 1))
			continue;
		v = line + sizeof(key) - 1;
		q = strrchr(v, '"');
		if (!q || (size_t)(q - v) >= len)
			break;
		*q = '\0';
		if (!bash_literal(v))
			break;
		strcpy(buf, v);
		found = 1;
		break;
	}
	fclose(f);
	return found ? 0 : -1;
}

static void test_kver_arithmetic(void)
{
	UNIT_CHECK_EQ(XENPV_KVER(5, 10, 0), 0x050a00, "5.10.0 encodes as 0x050a00");
	UNIT_CHECK_EQ(XENPV_KVER(5, 10, 300), XENPV_KVER(5, 10, 255),
		      "sublevel clamps at 255 like the kernel version code");
	UNIT_CHECK(XENPV_KVER(5, 10, 300) < XENPV_KVER(5, 11, 0),
		   "a long stable series stays below the next minor");
	UNIT_CHECK(XENPV_KVER(6, 255, 255) < XENPV_KVER(7, 0, 0),
		   "minor 255 stays below the next major");
	UNIT_CHECK(XENPV_KVER_IN(XENPV_KVER(6, 9, 0), 6, 9, 0, 6, 12, 0),
		   "ranges include their low end");
	UNIT_CHECK(!XENPV_KVER_IN(XENPV_KVER(6, 12, 0), 6, 9, 0, 6, 12, 0),
		   "ranges exclude their high end");
	UNIT_CHECK(XENPV_KVER_IN(XENPV_KVER(6, 11, 300), 6, 9, 0, 6, 12, 0),
		   "a clamped sublevel stays inside its minor's range");
}

static void test_range_agreement(void)
{
	char re_text[256];
	regex_t re;
	size_t i;

	UNIT_CHECK(dkms_regex(re_text, sizeof(re_text)) == 0,
		   "dkms.conf has a plain BUILD_EXCLUSIVE_KERNEL regex");
	if (unit_failed)
		return;
	UNIT_CHECK(regcomp(&re, re_text, REG_EXTENDED | REG_NOSUB) == 0,
		   "BUILD_EXCLUSIVE_KERNEL compiles as an extended regex");
	if (unit_failed)
		return;

	for (i = 0; i < ARRAY_SIZE(releases); i++) {
		const char *r = releases[i].release;
		long code = release_code(r);
		int by_c = code >= 0 && XENPV_KVER_SUPPORTED(code);
		int by_dkms = regexec(&re, r, 0, NULL, 0) == 0;

		UNIT_CHECK(by_c == releases[i].supported,
			   "compat.h range %s %s", by_c ? "accepts" : "refuses", r);
		UNIT_CHECK(by_dkms == releases[i].supported,
			   "dkms.conf regex %s %s", by_dkms ? "accepts" : "refuses", r);
	}
	regfree(&re);
}

int main(void)
{
	test_kver_arithmetic();
	test_range_agreement();
	return unit_done();
}
