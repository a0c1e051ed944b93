/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Helpers shared by the dom0 tools: signal handling, strict numbers.
 *
 * Copyright (C) 2026 The xenpv authors
 */
#ifndef XENPV_TOOLS_DOM0UTIL_H
#define XENPV_TOOLS_DOM0UTIL_H

#include <signal.h>
#include <stdbool.h>

/* The last of SIGTERM, SIGINT, SIGHUP seen, 0 before any. */
extern volatile sig_atomic_t xenpv_stop_signal;

/* SIGTERM, SIGINT and SIGHUP only set xenpv_stop_signal. */
void xenpv_catch_signals(void);

/*
 * Strict unsigned decimal in [0, max]: digits only, no sign, no spaces.
 * Returns 0 and stores it in *val, or -1 (*val untouched).
 */
int xenpv_parse_ulong(const char *s, unsigned long max, unsigned long *val);

/* "--help", "-h" or "help": the argument that asks for the usage text. */
bool xenpv_is_help(const char *arg);

#endif /* XENPV_TOOLS_DOM0UTIL_H */
