/* SPDX-License-Identifier: GPL-2.0 */
/*
 * xenstore wire format: pure helpers with no kernel state (host-testable).
 *
 * Copyright (C) 2026 The xenpv authors
 *
 * Everything here works on caller-provided buffers and returns -errno
 * values; nothing allocates, sleeps or logs.  The same file is compiled
 * into xenpv_xenbus.ko and into selftests/unit/xenbus_wire_test.c on the
 * build host, so it uses only the C library subset both sides share
 * (fixed-width types, memcpy/memchr/strlen/strncmp, snprintf).
 */
#ifndef _XENPV_XS_WIRE_H
#define _XENPV_XS_WIRE_H

#ifdef __KERNEL__
#include <linux/types.h>
#include <linux/errno.h>
#include <linux/string.h>
#else
#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#endif
#include <xenpv_compat_xen_abi.h>
#include <xen/interface/io/xenbus.h>

/* Longest token we generate or accept: "<8 hex>-<16 hex>" plus NUL. */
#define XENPV_WIRE_TOKEN_MAX	32

/* Largest child list assembled from XS_DIRECTORY_PART replies. */
#define XENPV_WIRE_DIR_MAX	(64 * 1024)

/* One piece of a request payload; strings include their NUL when wanted. */
struct xenpv_wire_seg {
	const void *data;
	size_t len;
};

long xenpv_wire_payload_len(const struct xenpv_wire_seg *segs,
			    unsigned int nr);
long xenpv_wire_encode(void *buf, size_t size, uint32_t type,
		       uint32_t req_id, uint32_t tx_id,
		       const struct xenpv_wire_seg *segs, unsigned int nr);

int xenpv_wire_check_header(const struct xsd_sockmsg *hdr);
bool xenpv_wire_type_known(uint32_t type);
int xenpv_wire_errno(const char *body, size_t len);
int xenpv_wire_reply_status(uint32_t req_type, uint32_t reply_type,
			    const char *body, size_t len);

int xenpv_wire_count_strings(const char *buf, size_t len);
int xenpv_wire_split_strings(char *buf, size_t len, char **vec,
			     unsigned int max);
int xenpv_wire_parse_event(const char *body, size_t len, const char **path,
			   const char **token);
long xenpv_wire_dirpart(const char *body, size_t len, const char **gen,
			const char **names, bool *end);

bool xenpv_wire_path_valid(const char *path);
bool xenpv_wire_name_valid(const char *name, size_t max);
bool xenpv_wire_path_under(const char *path, const char *prefix);
bool xenpv_wire_backend_path_ok(const char *path, unsigned int backend_id);

int xenpv_wire_parse_u64(const char *s, size_t len, uint64_t min,
			 uint64_t max, uint64_t *val);
enum xenbus_state xenpv_wire_parse_state(const char *s, size_t len);
const char *xenpv_wire_state_name(unsigned int state);

int xenpv_wire_format_token(char *buf, size_t size, uint32_t gen,
			    uint64_t id);
int xenpv_wire_parse_token(const char *token, uint32_t gen, uint64_t *id);

#endif /* _XENPV_XS_WIRE_H */
