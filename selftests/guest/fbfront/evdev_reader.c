// SPDX-License-Identifier: GPL-2.0
/*
 * evdev_reader: print input events of the Xen virtual input devices as
 * lines (guest test helper).
 *
 * Copyright (C) 2026 The xenpv authors
 *
 *   evdev_reader caps                 one line per device with vendor 0x5853:
 *       "dev EVENTN PRODUCT NAME" and "abs EVENTN CODE MIN MAX" lines
 *   evdev_reader read [-t SEC] [-n COUNT] [-p PRODUCT]
 *       one line per event: "EVENTN TYPE CODE VALUE" (numbers; SYN_REPORT
 *       lines included), until COUNT events (not counting SYN) or SEC
 *       seconds (default 10); exit status 0 when at least one event came.
 *
 * PRODUCT is 0xffff (keyboard), 0xfffe (pointer), 0xfffd (multi-touch).
 */
#include <dirent.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>
#include <linux/input.h>

#define XEN_VENDOR	0x5853
#define MAX_DEVS	16

struct dev {
	int fd;
	char node[16];
	unsigned int product;
	char name[128];
};

static int open_devs(struct dev *devs, int product)
{
	struct dirent *de;
	int n = 0;
	DIR *d = opendir("/dev/input");

	if (!d)
		return 0;
	while ((de = readdir(d)) && n < MAX_DEVS) {
		struct input_id id;
		char path[300];
		int fd;

		if (strncmp(de->d_name, "event", 5))
			continue;
		snprintf(path, sizeof(path), "/dev/input/%s", de->d_name);
		fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
		if (fd < 0)
			continue;
		if (ioctl(fd, EVIOCGID, &id) || id.vendor != XEN_VENDOR ||
		    (product >= 0 && id.product != product)) {
			close(fd);
			continue;
		}
		devs[n].fd = fd;
		devs[n].product = id.product;
		snprintf(devs[n].node, sizeof(devs[n].node), "%.15s", de->d_name);
		if (ioctl(fd, EVIOCGNAME(sizeof(devs[n].name)), devs[n].name) < 0)
			strcpy(devs[n].name, "?");
		n++;
	}
	closedir(d);
	return n;
}

static int cmd_caps(struct dev *devs, int n)
{
	int i, code;

	for (i = 0; i < n; i++) {
		unsigned long absbits[(ABS_CNT + 8 * sizeof(long) - 1) / (8 * sizeof(long))];

		printf("dev %s 0x%04x %s\n", devs[i].node, devs[i].product,
		       devs[i].name);
		memset(absbits, 0, sizeof(absbits));
		if (ioctl(devs[i].fd, EVIOCGBIT(EV_ABS, sizeof(absbits)), absbits) < 0)
			continue;
		for (code = 0; code < ABS_CNT; code++) {
			struct input_absinfo ai;

			if (!(absbits[code / (8 * sizeof(long))] &
			      (1UL << (code % (8 * sizeof(long))))))
				continue;
			if (ioctl(devs[i].fd, EVIOCGABS(code), &ai) == 0)
				printf("abs %s %d %d %d\n", devs[i].node, code,
				       ai.minimum, ai.maximum);
		}
	}
	return n ? 0 : 1;
}

static int cmd_read(struct dev *devs, int n, int seconds, long count)
{
	struct pollfd pfd[MAX_DEVS];
	long got = 0;
	time_t end = time(NULL) + seconds;
	int i;

	for (i = 0; i < n; i++) {
		pfd[i].fd = devs[i].fd;
		pfd[i].events = POLLIN;
	}
	while (time(NULL) < end && (count <= 0 || got < count)) {
		int left = (int)(end - time(NULL));

		if (poll(pfd, n, left > 0 ? left * 1000 : 0) <= 0)
			continue;
		for (i = 0; i < n; i++) {
			struct input_event ev;

			if (!(pfd[i].revents & POLLIN))
				continue;
			while (read(devs[i].fd, &ev, sizeof(ev)) == sizeof(ev)) {
				printf("%s %u %u %d\n", devs[i].node, ev.type,
				       ev.code, ev.value);
				if (ev.type != EV_SYN)
					got++;
			}
		}
	}
	fflush(stdout);
	return got ? 0 : 1;
}

static void usage(void)
{
	fprintf(stderr, "usage: evdev_reader caps\n"
			"       evdev_reader read [-t SEC] [-n COUNT] [-p PRODUCT]\n");
	exit(2);
}

int main(int argc, char **argv)
{
	struct dev devs[MAX_DEVS];
	int i, n, seconds = 10, product = -1;
	long count = 0;

	setvbuf(stdout, NULL, _IOLBF, 0);
	if (argc < 2)
		usage();
	for (i = 2; i < argc; i++) {
		if (!strcmp(argv[i], "-t") && i + 1 < argc)
			seconds = atoi(argv[++i]);
		else if (!strcmp(argv[i], "-n") && i + 1 < argc)
			count = atol(argv[++i]);
		else if (!strcmp(argv[i], "-p") && i + 1 < argc)
			product = (int)strtol(argv[++i], NULL, 0);
		else
			usage();
	}
	n = open_devs(devs, product);
	if (!strcmp(argv[1], "caps"))
		return cmd_caps(devs, n);
	if (!strcmp(argv[1], "read")) {
		if (!n) {
			fprintf(stderr, "evdev_reader: no Xen input device\n");
			return 1;
		}
		return cmd_read(devs, n, seconds, count);
	}
	usage();
	return 2;
}
