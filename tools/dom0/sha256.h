/* SPDX-License-Identifier: GPL-2.0 */
/*
 * SHA-256 (FIPS 180-4) for the dom0 helpers.
 *
 * Copyright (C) 2026 The xenpv authors
 */
#ifndef XENPV_TOOLS_SHA256_H
#define XENPV_TOOLS_SHA256_H

#include <stddef.h>
#include <stdint.h>

#define SHA256_DIGEST_LEN	32
#define SHA256_HEX_LEN		64

struct sha256_ctx {
	uint32_t h[8];
	uint64_t bytes;
	uint8_t buf[64];
	size_t fill;
};

void sha256_init(struct sha256_ctx *c);
void sha256_update(struct sha256_ctx *c, const void *data, size_t len);
void sha256_final(struct sha256_ctx *c, uint8_t digest[SHA256_DIGEST_LEN]);
/* One-shot digest as lower-case hex. */
void sha256_hex(const void *data, size_t len, char hex[SHA256_HEX_LEN + 1]);

#endif /* XENPV_TOOLS_SHA256_H */
