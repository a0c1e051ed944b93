// SPDX-License-Identifier: GPL-2.0
/*
 * Host unit tests for the xenstore wire helpers (xenbus/xs_wire.c).
 *
 * Copyright (C) 2026 The xenpv authors
 *
 * Run with the other host tests:  make -C selftests/unit T=xenbus_wire_test
 * The file under test is included below, so this is one translation unit;
 * <xen/interface/io/{xs_wire,xenbus}.h> come from the kernel headers the
 * harness makes visible after the C library's own headers.
 */
#include <stdio.h>
#include <stdlib.h>

#include "../../xenbus/xs_wire.c"

#include "unit.h"

static void test_payload_limit(void)
{
	static char big[XENSTORE_PAYLOAD_MAX + 1];
	struct xenpv_wire_seg s[3] = {
		{ big, XENSTORE_PAYLOAD_MAX }, { "", 0 }, { "x", 1 },
	};
	struct xenpv_wire_seg wrap[2] = {
		{ big, 16 }, { big, (size_t)-8 },
	};

	CHECK(xenpv_wire_payload_len(s, 2) == XENSTORE_PAYLOAD_MAX);
	CHECK(xenpv_wire_payload_len(s, 3) == -E2BIG);
	/* a length that would wrap the sum is refused on its own */
	CHECK(xenpv_wire_payload_len(wrap, 2) == -E2BIG);
	CHECK(xenpv_wire_payload_len(s, 0) == 0);
}

static void test_encode(void)
{
	char buf[64];
	struct xsd_sockmsg hdr;
	struct xenpv_wire_seg s[2] = {
		{ "device/vbd\0", 11 }, { "tok\0", 4 },
	};
	static char big[XENSTORE_PAYLOAD_MAX + 16];
	static char out[XENSTORE_PAYLOAD_MAX + 16];
	struct xenpv_wire_seg over = { big, XENSTORE_PAYLOAD_MAX + 1 };
	long n;

	n = xenpv_wire_encode(buf, sizeof(buf), XS_WATCH, 7, 0, s, 2);
	CHECK(n == (long)sizeof(hdr) + 15);
	memcpy(&hdr, buf, sizeof(hdr));
	CHECK(hdr.type == XS_WATCH);
	CHECK(hdr.req_id == 7);
	CHECK(hdr.tx_id == 0);
	CHECK(hdr.len == 15);
	CHECK(!memcmp(buf + sizeof(hdr), "device/vbd\0tok\0", 15));
	/* buffer too small: nothing claimed as written */
	CHECK(xenpv_wire_encode(buf, 20, XS_WATCH, 1, 0, s, 2) == -ENOSPC);
	CHECK(xenpv_wire_encode(buf, 8, XS_READ, 1, 0, s, 0) == -ENOSPC);
	/* oversized payload is refused before anything is built */
	CHECK(xenpv_wire_encode(out, sizeof(out), XS_WRITE, 1, 0, &over, 1) ==
	      -E2BIG);
	/* exactly the limit is fine */
	over.len = XENSTORE_PAYLOAD_MAX;
	CHECK(xenpv_wire_encode(out, sizeof(out), XS_WRITE, 1, 3, &over, 1) ==
	      (long)(sizeof(hdr) + XENSTORE_PAYLOAD_MAX));
	CHECK(xenpv_wire_encode(out, sizeof(hdr) + XENSTORE_PAYLOAD_MAX - 1,
				XS_WRITE, 1, 3, &over, 1) == -ENOSPC);
}

static void test_header(void)
{
	struct xsd_sockmsg h = { XS_READ, 1, 0, 0 };

	CHECK(xenpv_wire_check_header(&h) == 0);
	h.len = XENSTORE_PAYLOAD_MAX;
	CHECK(xenpv_wire_check_header(&h) == 0);
	h.len = XENSTORE_PAYLOAD_MAX + 1;
	CHECK(xenpv_wire_check_header(&h) == -EIO);
	h.len = 0xffffffffu;
	CHECK(xenpv_wire_check_header(&h) == -EIO);
	CHECK(xenpv_wire_type_known(XS_WATCH_EVENT));
	CHECK(xenpv_wire_type_known(XS_DIRECTORY_PART));
	CHECK(!xenpv_wire_type_known(XS_TYPE_COUNT));
	CHECK(!xenpv_wire_type_known(XS_INVALID));
}

static void test_errors(void)
{
	CHECK(xenpv_wire_errno("ENOENT", 7) == -ENOENT);
	CHECK(xenpv_wire_errno("ENOENT", 6) == -ENOENT);
	CHECK(xenpv_wire_errno("EAGAIN", 7) == -EAGAIN);
	CHECK(xenpv_wire_errno("E2BIG", 6) == -E2BIG);
	CHECK(xenpv_wire_errno("EACCES", 7) == -EACCES);
	CHECK(xenpv_wire_errno("EQUOTA", 7) == -EINVAL);
	CHECK(xenpv_wire_errno("ENOENTX", 8) == -EINVAL);
	CHECK(xenpv_wire_errno("ENOEN", 6) == -EINVAL);
	CHECK(xenpv_wire_errno("", 0) == -EINVAL);
	CHECK(xenpv_wire_errno(NULL, 0) == -EINVAL);
	/* bytes after the NUL are ignored */
	CHECK(xenpv_wire_errno("EIO\0junk", 9) == -EIO);

	CHECK(xenpv_wire_reply_status(XS_READ, XS_READ, "v", 1) == 0);
	CHECK(xenpv_wire_reply_status(XS_READ, XS_ERROR, "ENOENT", 7) ==
	      -ENOENT);
	CHECK(xenpv_wire_reply_status(XS_READ, XS_WRITE, "OK", 3) == -EIO);
	CHECK(xenpv_wire_reply_status(XS_TRANSACTION_END, XS_ERROR,
				      "EAGAIN", 7) == -EAGAIN);
}

static void test_strings(void)
{
	char dir[] = "0\0" "51712\0" "768\0";
	char gap[] = "a\0\0b\0";
	char bad[] = { 'a', '\0', 'b' };
	char *vec[4];

	CHECK(xenpv_wire_count_strings(dir, sizeof(dir) - 1) == 3);
	CHECK(xenpv_wire_split_strings(dir, sizeof(dir) - 1, vec, 4) == 3);
	CHECK(!strcmp(vec[0], "0"));
	CHECK(!strcmp(vec[1], "51712"));
	CHECK(!strcmp(vec[2], "768"));
	CHECK(xenpv_wire_split_strings(dir, sizeof(dir) - 1, vec, 2) ==
	      -ENOSPC);
	/* empty names are skipped consistently */
	CHECK(xenpv_wire_count_strings(gap, sizeof(gap) - 1) == 2);
	CHECK(xenpv_wire_split_strings(gap, sizeof(gap) - 1, vec, 4) == 2);
	CHECK(!strcmp(vec[1], "b"));
	/* unterminated last string (truncated reply) */
	CHECK(xenpv_wire_count_strings(bad, sizeof(bad)) == -EINVAL);
	CHECK(xenpv_wire_split_strings(bad, sizeof(bad), vec, 4) == -EINVAL);
	/* empty directory */
	CHECK(xenpv_wire_count_strings("", 0) == 0);
	CHECK(xenpv_wire_count_strings("\0", 1) == 0);
}

static void test_event(void)
{
	const char *p, *t;
	static const char ok[] = "device/vbd/1/state\0" "00000001-2a\0";

	CHECK(xenpv_wire_parse_event(ok, sizeof(ok) - 1, &p, &t) == 0);
	CHECK(!strcmp(p, "device/vbd/1/state"));
	CHECK(!strcmp(t, "00000001-2a"));
	/* extra strings after the token are tolerated */
	CHECK(xenpv_wire_parse_event("a\0b\0c\0", 6, &p, &t) == 0);
	CHECK(xenpv_wire_parse_event("a\0b", 3, &p, &t) == -EINVAL);
	CHECK(xenpv_wire_parse_event("a\0", 2, &p, &t) == -EINVAL);
	CHECK(xenpv_wire_parse_event("a\0\0", 3, &p, &t) == -EINVAL);
	CHECK(xenpv_wire_parse_event("\0b\0", 3, &p, &t) == -EINVAL);
	CHECK(xenpv_wire_parse_event("", 0, &p, &t) == -EINVAL);
	CHECK(xenpv_wire_parse_event("abc", 3, &p, &t) == -EINVAL);
}

static void test_dirpart(void)
{
	const char *gen, *names;
	bool end;

	CHECK(xenpv_wire_dirpart("42\0a\0b\0", 7, &gen, &names, &end) == 4);
	CHECK(!strcmp(gen, "42") && !end && !strcmp(names, "a"));
	CHECK(xenpv_wire_dirpart("42\0c\0\0", 6, &gen, &names, &end) == 2);
	CHECK(end && !strcmp(names, "c"));
	CHECK(xenpv_wire_dirpart("42\0\0", 4, &gen, &names, &end) == 0);
	CHECK(end);
	CHECK(xenpv_wire_dirpart("42\0", 3, &gen, &names, &end) == 0);
	CHECK(!end);
	CHECK(xenpv_wire_dirpart("\0a\0", 3, &gen, &names, &end) == -EIO);
	CHECK(xenpv_wire_dirpart("42\0a", 4, &gen, &names, &end) == -EIO);
	CHECK(xenpv_wire_dirpart("", 0, &gen, &names, &end) == -EIO);
}

static void test_paths(void)
{
	static char longrel[XENSTORE_REL_PATH_MAX + 2];
	static char longabs[XENSTORE_ABS_PATH_MAX + 2];

	CHECK(xenpv_wire_path_valid("device/vbd/51712"));
	CHECK(xenpv_wire_path_valid("/local/domain/0/backend/vbd/3/51712"));
	CHECK(xenpv_wire_path_valid("/"));
	CHECK(xenpv_wire_path_valid("@releaseDomain"));
	CHECK(xenpv_wire_path_valid("control/feature-xs_reset_watches"));
	CHECK(!xenpv_wire_path_valid(""));
	CHECK(!xenpv_wire_path_valid(NULL));
	CHECK(!xenpv_wire_path_valid("device//vbd"));
	CHECK(!xenpv_wire_path_valid("device/vbd/"));
	CHECK(!xenpv_wire_path_valid("device/v bd"));
	CHECK(!xenpv_wire_path_valid("device/vbd\n"));
	CHECK(!xenpv_wire_path_valid("device/../x"));
	CHECK(!xenpv_wire_path_valid("//"));

	memset(longrel, 'a', XENSTORE_REL_PATH_MAX);
	CHECK(xenpv_wire_path_valid(longrel));
	longrel[XENSTORE_REL_PATH_MAX] = 'a';
	CHECK(!xenpv_wire_path_valid(longrel));
	memset(longabs, 'a', XENSTORE_ABS_PATH_MAX);
	longabs[0] = '/';
	CHECK(xenpv_wire_path_valid(longabs));
	longabs[XENSTORE_ABS_PATH_MAX] = 'a';
	CHECK(!xenpv_wire_path_valid(longabs));

	CHECK(xenpv_wire_name_valid("vbd", 31));
	CHECK(xenpv_wire_name_valid("51712", 31));
	CHECK(!xenpv_wire_name_valid("", 31));
	CHECK(!xenpv_wire_name_valid("a/b", 31));
	CHECK(!xenpv_wire_name_valid("a.b", 31));
	CHECK(!xenpv_wire_name_valid("abcd", 3));

	CHECK(xenpv_wire_path_under("/be/vbd/1/state", "/be/vbd/1"));
	CHECK(xenpv_wire_path_under("/be/vbd/1", "/be/vbd/1"));
	CHECK(!xenpv_wire_path_under("/be/vbd/10/state", "/be/vbd/1"));
	CHECK(!xenpv_wire_path_under("/be/vbd", "/be/vbd/1"));
	CHECK(!xenpv_wire_path_under("/be", ""));
}

static void test_backend_path(void)
{
	CHECK(xenpv_wire_backend_path_ok("/local/domain/0/backend/vbd/5/51712",
					 0));
	CHECK(xenpv_wire_backend_path_ok("/local/domain/7/backend/vif/5/0",
					 7));
	/* wrong domain, or domain spelled differently */
	CHECK(!xenpv_wire_backend_path_ok("/local/domain/0/backend/vbd/5/1",
					  7));
	CHECK(!xenpv_wire_backend_path_ok("/local/domain/00/backend/vbd/5/1",
					  0));
	CHECK(!xenpv_wire_backend_path_ok("/local/domain/01/backend/vbd/5/1",
					  1));
	/* not absolute, empty, nothing below backend/, wrong subtree */
	CHECK(!xenpv_wire_backend_path_ok("local/domain/0/backend/vbd/5/1",
					  0));
	CHECK(!xenpv_wire_backend_path_ok("", 0));
	CHECK(!xenpv_wire_backend_path_ok("/local/domain/0/backend", 0));
	CHECK(!xenpv_wire_backend_path_ok("/local/domain/0/backend/", 0));
	CHECK(!xenpv_wire_backend_path_ok("/local/domain/0/backendx/vbd", 0));
	CHECK(!xenpv_wire_backend_path_ok("/local/domain/0/device/vbd/1", 0));
	CHECK(!xenpv_wire_backend_path_ok("/vm/0/backend/vbd/1", 0));
	/* garbage characters and traversal attempts */
	CHECK(!xenpv_wire_backend_path_ok("/local/domain/0/backend/../x", 0));
	CHECK(!xenpv_wire_backend_path_ok("/local/domain/0/backend//vbd", 0));
	CHECK(!xenpv_wire_backend_path_ok("/local/domain/0/backend/vbd\n", 0));
	CHECK(!xenpv_wire_backend_path_ok("/local/domain/65535/backend/v",
					  4294967295u));
}

static void test_uint(void)
{
	uint64_t v = 99;

	CHECK(xenpv_wire_parse_u64("42", 2, 0, 100, &v) == 0 && v == 42);
	CHECK(xenpv_wire_parse_u64("0", 1, 0, 100, &v) == 0 && v == 0);
	CHECK(xenpv_wire_parse_u64("007", 3, 0, 100, &v) == 0 && v == 7);
	v = 99;
	CHECK(xenpv_wire_parse_u64("", 0, 0, 100, &v) == -EINVAL);
	CHECK(xenpv_wire_parse_u64("-1", 2, 0, 100, &v) == -EINVAL);
	CHECK(xenpv_wire_parse_u64("+1", 2, 0, 100, &v) == -EINVAL);
	CHECK(xenpv_wire_parse_u64("4x", 2, 0, 100, &v) == -EINVAL);
	CHECK(xenpv_wire_parse_u64(" 1", 2, 0, 100, &v) == -EINVAL);
	CHECK(xenpv_wire_parse_u64("1 ", 2, 0, 100, &v) == -EINVAL);
	CHECK(xenpv_wire_parse_u64("0x10", 4, 0, 100, &v) == -EINVAL);
	CHECK(xenpv_wire_parse_u64("1\0", 2, 0, 100, &v) == -EINVAL);
	CHECK(xenpv_wire_parse_u64(NULL, 0, 0, 100, &v) == -EINVAL);
	/* range: 32-bit callers pass UINT_MAX, zero refused with min 1 */
	CHECK(xenpv_wire_parse_u64("99999999999", 11, 0, 0xffffffffu, &v) ==
	      -EINVAL);
	CHECK(xenpv_wire_parse_u64("4294967295", 10, 0, 0xffffffffu, &v) ==
	      0 && v == 0xffffffffu);
	CHECK(xenpv_wire_parse_u64("0", 1, 1, 16, &v) == -EINVAL);
	CHECK(xenpv_wire_parse_u64("17", 2, 1, 16, &v) == -EINVAL);
	CHECK(xenpv_wire_parse_u64("16", 2, 1, 16, &v) == 0 && v == 16);
	/* 64-bit limit and overflow */
	CHECK(xenpv_wire_parse_u64("18446744073709551615", 20, 0, ~0ull, &v) ==
	      0 && v == ~0ull);
	CHECK(xenpv_wire_parse_u64("18446744073709551616", 20, 0, ~0ull, &v) ==
	      -EINVAL);
	CHECK(xenpv_wire_parse_u64("99999999999999999999999", 23, 0, ~0ull,
				   &v) == -EINVAL);
	/* failures leave the output alone */
	v = 5;
	CHECK(xenpv_wire_parse_u64("x", 1, 0, 9, &v) == -EINVAL && v == 5);
}

static void test_state(void)
{
	CHECK(xenpv_wire_parse_state("4", 1) == XenbusStateConnected);
	CHECK(xenpv_wire_parse_state("1", 1) == XenbusStateInitialising);
	CHECK(xenpv_wire_parse_state("8", 1) == XenbusStateReconfigured);
	CHECK(xenpv_wire_parse_state("9", 1) == XenbusStateUnknown);
	CHECK(xenpv_wire_parse_state("-4", 2) == XenbusStateUnknown);
	CHECK(xenpv_wire_parse_state("", 0) == XenbusStateUnknown);
	CHECK(xenpv_wire_parse_state("4\n", 2) == XenbusStateUnknown);
	CHECK(!strcmp(xenpv_wire_state_name(4), "Connected"));
	CHECK(!strcmp(xenpv_wire_state_name(99), "Invalid"));
}

static void test_token(void)
{
	char buf[XENPV_WIRE_TOKEN_MAX];
	uint64_t id = 0;

	CHECK(xenpv_wire_format_token(buf, sizeof(buf), 0xdeadbeef, 42) > 0);
	CHECK(!strcmp(buf, "deadbeef-2a"));
	CHECK(xenpv_wire_parse_token(buf, 0xdeadbeef, &id) == 0 && id == 42);
	CHECK(xenpv_wire_parse_token(buf, 0x1, &id) == -ENOENT);
	CHECK(xenpv_wire_format_token(buf, sizeof(buf), 1, ~0ull) > 0);
	CHECK(xenpv_wire_parse_token(buf, 1, &id) == 0 && id == ~0ull);
	CHECK(xenpv_wire_format_token(buf, 8, 1, 1) == -ENOSPC);
	CHECK(xenpv_wire_parse_token("", 1, &id) == -EINVAL);
	CHECK(xenpv_wire_parse_token("00000001", 1, &id) == -EINVAL);
	CHECK(xenpv_wire_parse_token("00000001-", 1, &id) == -EINVAL);
	CHECK(xenpv_wire_parse_token("00000001-xyz", 1, &id) == -EINVAL);
	CHECK(xenpv_wire_parse_token("FFFFFFFF-1", 0xffffffff, &id) ==
	      -EINVAL);
	CHECK(xenpv_wire_parse_token("00000001-11111111111111111", 1, &id) ==
	      -EINVAL);
	CHECK(xenpv_wire_parse_token("ffffa0001234abcd", 1, &id) == -EINVAL);
}

int main(void)
{
	test_payload_limit();
	test_encode();
	test_header();
	test_errors();
	test_strings();
	test_event();
	test_dirpart();
	test_paths();
	test_backend_path();
	test_uint();
	test_state();
	test_token();
	return unit_done();
}
