// SPDX-License-Identifier: GPL-2.0
/*
 * nf_echo HOST PORT [IDLE_SECONDS]: send stdin over a TCP connection and
 * write what comes back to stdout.  After stdin ends the sending side is
 * shut down (half-close) and the program keeps reading until the peer
 * closes.  For transfer.sh against dom0's echo service.  Exit status 0 when
 * the peer closed normally, 1 on any error or after IDLE_SECONDS (default
 * 30) without progress.
 *
 * Copyright (C) 2026 The xenpv authors
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

static int write_all(int fd, const char *buf, size_t len)
{
	while (len) {
		ssize_t n = write(fd, buf, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return -1;
		buf += n;
		len -= (size_t)n;
	}
	return 0;
}

int main(int argc, char **argv)
{
	static char buf[65536];
	struct sockaddr_in sa;
	struct pollfd p[2];
	int idle_ms, s, in_open = 1;

	if (argc < 3) {
		fprintf(stderr, "usage: %s HOST PORT [IDLE_SECONDS]\n", argv[0]);
		return 2;
	}
	idle_ms = (argc > 3 ? atoi(argv[3]) : 30) * 1000;

	memset(&sa, 0, sizeof(sa));
	sa.sin_family = AF_INET;
	sa.sin_port = htons((unsigned short)atoi(argv[2]));
	if (inet_pton(AF_INET, argv[1], &sa.sin_addr) != 1) {
		fprintf(stderr, "nf_echo: bad IPv4 address %s\n", argv[1]);
		return 2;
	}
	s = socket(AF_INET, SOCK_STREAM, 0);
	if (s < 0 || connect(s, (struct sockaddr *)&sa, sizeof(sa))) {
		perror("nf_echo: connect");
		return 1;
	}

	p[0].fd = STDIN_FILENO;
	p[0].events = POLLIN;
	p[1].fd = s;
	p[1].events = POLLIN;
	for (;;) {
		int r = poll(p, 2, idle_ms);
		ssize_t n;

		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0) {
			fprintf(stderr, "nf_echo: %s\n", r ? strerror(errno) :
				"no progress, giving up");
			return 1;
		}
		if (in_open && (p[0].revents & (POLLIN | POLLHUP | POLLERR))) {
			n = read(STDIN_FILENO, buf, sizeof(buf));
			if (n < 0 && errno != EINTR) {
				perror("nf_echo: read stdin");
				return 1;
			}
			if (n == 0) {
				shutdown(s, SHUT_WR);
				in_open = 0;
				p[0].fd = -1;
			} else if (n > 0 && write_all(s, buf, (size_t)n)) {
				perror("nf_echo: send");
				return 1;
			}
		}
		if (p[1].revents & (POLLIN | POLLHUP | POLLERR)) {
			n = read(s, buf, sizeof(buf));
			if (n < 0 && errno != EINTR) {
				perror("nf_echo: receive");
				return 1;
			}
			if (n == 0)
				return in_open ? 1 : 0;
			if (n > 0 && write_all(STDOUT_FILENO, buf, (size_t)n)) {
				perror("nf_echo: write stdout");
				return 1;
			}
		}
	}
}
