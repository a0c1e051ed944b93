// SPDX-License-Identifier: GPL-2.0
/*
 * nf_echo HOST PORT [IDLE_SECONDS]: send stdin over a TCP connection and
 * write what comes back to stdout.  After stdin ends the sending side is
 * shut down (half-close) and the program keeps reading until the peer
 * closes.  For transfer.sh against dom0's echo service.  Exit status 0 when
 * the peer closed normally, 1 on any error or after IDLE_SECONDS (default
 * 30) without progress (connecting included).
 *
 * The socket is non-blocking and data is only sent when poll() says there
 * is room: an echo peer stops reading once its replies back up, so a
 * client that blocks in send() while it does not read would deadlock with
 * it as soon as both directions' buffers are full.
 *
 * Copyright (C) 2026 The xenpv authors
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
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

/* Connect with at most @idle_ms of waiting; 0 on success. */
static int connect_within(int s, const struct sockaddr_in *sa, int idle_ms)
{
	struct pollfd p = { .fd = s, .events = POLLOUT };
	socklen_t len = sizeof(int);
	int err = 0, r;

	if (!connect(s, (const struct sockaddr *)sa, sizeof(*sa)))
		return 0;
	if (errno != EINPROGRESS)
		return -1;
	do
		r = poll(&p, 1, idle_ms);
	while (r < 0 && errno == EINTR);
	if (r == 0) {
		errno = ETIMEDOUT;
		return -1;
	}
	if (r < 0 || getsockopt(s, SOL_SOCKET, SO_ERROR, &err, &len))
		return -1;
	if (err) {
		errno = err;
		return -1;
	}
	return 0;
}

int main(int argc, char **argv)
{
	static char out[65536], in[65536];
	size_t out_len = 0, out_off = 0;
	struct sockaddr_in sa;
	struct pollfd p[2];
	int idle_ms, s, in_open = 1;

	if (argc < 3) {
		fprintf(stderr, "usage: %s HOST PORT [IDLE_SECONDS]\n", argv[0]);
		return 2;
	}
	idle_ms = (argc > 3 ? atoi(argv[3]) : 30) * 1000;
	if (idle_ms <= 0)
		idle_ms = 30000;

	memset(&sa, 0, sizeof(sa));
	sa.sin_family = AF_INET;
	sa.sin_port = htons((unsigned short)atoi(argv[2]));
	if (inet_pton(AF_INET, argv[1], &sa.sin_addr) != 1) {
		fprintf(stderr, "nf_echo: bad IPv4 address %s\n", argv[1]);
		return 2;
	}
	s = socket(AF_INET, SOCK_STREAM, 0);
	if (s < 0 || fcntl(s, F_SETFL, fcntl(s, F_GETFL) | O_NONBLOCK) ||
	    connect_within(s, &sa, idle_ms)) {
		perror("nf_echo: connect");
		return 1;
	}

	p[1].fd = s;
	for (;;) {
		ssize_t n;
		int r;

		/* Take more input only once the last chunk has been sent. */
		p[0].fd = in_open && out_off == out_len ? STDIN_FILENO : -1;
		p[0].events = POLLIN;
		p[1].events = POLLIN | (out_off < out_len ? POLLOUT : 0);
		r = poll(p, 2, idle_ms);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0) {
			fprintf(stderr, "nf_echo: %s (sent pending %zu, input %s)\n",
				r ? strerror(errno) : "no progress, giving up",
				out_len - out_off, in_open ? "open" : "done");
			return 1;
		}
		if (p[0].fd >= 0 && (p[0].revents & (POLLIN | POLLHUP | POLLERR))) {
			n = read(STDIN_FILENO, out, sizeof(out));
			if (n < 0 && errno != EINTR) {
				perror("nf_echo: read stdin");
				return 1;
			}
			if (n == 0) {
				shutdown(s, SHUT_WR);
				in_open = 0;
			} else if (n > 0) {
				out_len = (size_t)n;
				out_off = 0;
			}
		}
		if (out_off < out_len && (p[1].revents & (POLLOUT | POLLERR))) {
			n = send(s, out + out_off, out_len - out_off, MSG_NOSIGNAL);
			if (n < 0 && errno != EINTR && errno != EAGAIN &&
			    errno != EWOULDBLOCK) {
				perror("nf_echo: send");
				return 1;
			}
			if (n > 0)
				out_off += (size_t)n;
		}
		if (p[1].revents & (POLLIN | POLLHUP | POLLERR)) {
			n = read(s, in, sizeof(in));
			if (n < 0 && errno != EINTR && errno != EAGAIN &&
			    errno != EWOULDBLOCK) {
				perror("nf_echo: receive");
				return 1;
			}
			if (n == 0)
				return in_open || out_off < out_len ? 1 : 0;
			if (n > 0 && write_all(STDOUT_FILENO, in, (size_t)n)) {
				perror("nf_echo: write stdout");
				return 1;
			}
		}
	}
}
