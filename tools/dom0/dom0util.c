// SPDX-License-Identifier: GPL-2.0
/*
 * Helpers shared by the dom0 tools: signal handling, strict numbers.
 *
 * Copyright (C) 2026 The xenpv authors
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "dom0util.h"

volatile sig_atomic_t xenpv_stop_signal;

static void on_signal(int sig)
{
	xenpv_stop_signal = sig;
}

void xenpv_catch_signals(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
}

int xenpv_parse_ulong(const char *s, unsigned long max, unsigned long *val)
{
	unsigned long v;
	char *end;

	if (!s || *s < '0' || *s > '9')
		return -1;
	errno = 0;
	v = strtoul(s, &end, 10);
	if (errno || *end || v > max)
		return -1;
	*val = v;
	return 0;
}

bool xenpv_is_help(const char *arg)
{
	return !strcmp(arg, "--help") || !strcmp(arg, "-h") ||
	       !strcmp(arg, "help");
}
