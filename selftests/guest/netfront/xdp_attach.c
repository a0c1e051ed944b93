// SPDX-License-Identifier: GPL-2.0
/*
 * xdp_attach IFNAME pass|drop|tx|aborted|off: load a two-instruction XDP
 * program that returns the given action and attach it to IFNAME in native
 * (driver) mode over rtnetlink, or detach with "off".  The attachment
 * outlives this program.  Prints the kernel's extended ack message on
 * failure.  For xdp.sh; needs no libbpf or iproute2.
 *
 * Copyright (C) 2026 The xenpv authors
 */
#include <errno.h>
#include <linux/bpf.h>
#include <linux/if_link.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <net/if.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <unistd.h>

#ifndef SOL_NETLINK
#define SOL_NETLINK 270
#endif

static int prog_load(int action)
{
	struct bpf_insn insns[2];
	static char log[4096];
	union bpf_attr attr;
	int fd;

	memset(insns, 0, sizeof(insns));
	insns[0].code = BPF_ALU64 | BPF_MOV | BPF_K;	/* r0 = action */
	insns[0].dst_reg = BPF_REG_0;
	insns[0].imm = action;
	insns[1].code = BPF_JMP | BPF_EXIT;

	memset(&attr, 0, sizeof(attr));
	attr.prog_type = BPF_PROG_TYPE_XDP;
	attr.insns = (uintptr_t)insns;
	attr.insn_cnt = 2;
	attr.license = (uintptr_t)"GPL";
	attr.log_buf = (uintptr_t)log;
	attr.log_size = sizeof(log);
	attr.log_level = 1;
	fd = (int)syscall(__NR_bpf, BPF_PROG_LOAD, &attr, sizeof(attr));
	if (fd < 0)
		fprintf(stderr, "xdp_attach: BPF_PROG_LOAD: %s\n%s",
			strerror(errno), log);
	return fd;
}

static void add_attr(struct nlmsghdr *nh, unsigned short type,
		     const void *data, unsigned short len)
{
	struct rtattr *rta = (struct rtattr *)((char *)nh +
					       NLMSG_ALIGN(nh->nlmsg_len));

	rta->rta_type = type;
	rta->rta_len = RTA_LENGTH(len);
	memcpy(RTA_DATA(rta), data, len);
	nh->nlmsg_len = NLMSG_ALIGN(nh->nlmsg_len) + RTA_ALIGN(rta->rta_len);
}

/* The extended ack text after a failed request, if the kernel sent one. */
static const char *ext_ack_msg(struct nlmsghdr *nh, size_t len)
{
	struct nlmsgerr *e = NLMSG_DATA(nh);
	size_t off = sizeof(*e);
	struct rtattr *rta;
	int rem;

	if (!(nh->nlmsg_flags & NLM_F_ACK_TLVS))
		return NULL;
	if (!(nh->nlmsg_flags & NLM_F_CAPPED))
		off += e->msg.nlmsg_len - NLMSG_HDRLEN;
	if (NLMSG_HDRLEN + off > len)
		return NULL;
	rta = (struct rtattr *)((char *)e + off);
	rem = (int)(len - NLMSG_HDRLEN - off);
	for (; RTA_OK(rta, rem); rta = RTA_NEXT(rta, rem))
		if (rta->rta_type == NLMSGERR_ATTR_MSG)
			return RTA_DATA(rta);
	return NULL;
}

static int xdp_set(int ifindex, int prog_fd)
{
	struct {
		struct nlmsghdr nh;
		struct ifinfomsg ifi;
		char attrs[128];
	} req;
	static char reply[8192];
	__u32 flags = XDP_FLAGS_DRV_MODE;
	struct rtattr *nest;
	struct nlmsghdr *nh;
	struct nlmsgerr *e;
	const char *msg;
	int s, one = 1;
	ssize_t n;

	memset(&req, 0, sizeof(req));
	req.nh.nlmsg_len = NLMSG_LENGTH(sizeof(struct ifinfomsg));
	req.nh.nlmsg_type = RTM_SETLINK;
	req.nh.nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK;
	req.nh.nlmsg_seq = 1;
	req.ifi.ifi_family = AF_UNSPEC;
	req.ifi.ifi_index = ifindex;

	nest = (struct rtattr *)((char *)&req + NLMSG_ALIGN(req.nh.nlmsg_len));
	nest->rta_type = NLA_F_NESTED | IFLA_XDP;
	nest->rta_len = RTA_LENGTH(0);
	req.nh.nlmsg_len = NLMSG_ALIGN(req.nh.nlmsg_len) + nest->rta_len;
	add_attr(&req.nh, IFLA_XDP_FD, &prog_fd, sizeof(prog_fd));
	add_attr(&req.nh, IFLA_XDP_FLAGS, &flags, sizeof(flags));
	nest->rta_len = (unsigned short)((char *)&req + req.nh.nlmsg_len -
					 (char *)nest);

	s = socket(AF_NETLINK, SOCK_RAW, NETLINK_ROUTE);
	if (s < 0) {
		perror("xdp_attach: netlink socket");
		return -1;
	}
	setsockopt(s, SOL_NETLINK, NETLINK_EXT_ACK, &one, sizeof(one));
	if (send(s, &req, req.nh.nlmsg_len, 0) < 0) {
		perror("xdp_attach: send");
		close(s);
		return -1;
	}
	n = recv(s, reply, sizeof(reply), 0);
	close(s);
	if (n < (ssize_t)NLMSG_LENGTH(sizeof(*e))) {
		fprintf(stderr, "xdp_attach: no netlink answer\n");
		return -1;
	}
	nh = (struct nlmsghdr *)reply;
	if (nh->nlmsg_type != NLMSG_ERROR) {
		fprintf(stderr, "xdp_attach: unexpected netlink answer\n");
		return -1;
	}
	e = NLMSG_DATA(nh);
	if (!e->error)
		return 0;
	msg = ext_ack_msg(nh, (size_t)n);
	fprintf(stderr, "xdp_attach: %s%s%s\n", strerror(-e->error),
		msg ? ": " : "", msg ? msg : "");
	return e->error;
}

int main(int argc, char **argv)
{
	static const struct { const char *name; int act; } acts[] = {
		{ "aborted", XDP_ABORTED }, { "drop", XDP_DROP },
		{ "pass", XDP_PASS }, { "tx", XDP_TX },
	};
	int ifindex, fd = -1;
	unsigned int i;

	if (argc != 3) {
		fprintf(stderr, "usage: %s IFNAME pass|drop|tx|aborted|off\n",
			argv[0]);
		return 2;
	}
	ifindex = (int)if_nametoindex(argv[1]);
	if (!ifindex) {
		fprintf(stderr, "xdp_attach: no interface %s\n", argv[1]);
		return 2;
	}
	if (strcmp(argv[2], "off")) {
		for (i = 0; i < sizeof(acts) / sizeof(acts[0]); i++)
			if (!strcmp(argv[2], acts[i].name))
				break;
		if (i == sizeof(acts) / sizeof(acts[0])) {
			fprintf(stderr, "xdp_attach: unknown action %s\n",
				argv[2]);
			return 2;
		}
		fd = prog_load(acts[i].act);
		if (fd < 0)
			return 1;
	}
	return xdp_set(ifindex, fd) ? 1 : 0;
}
