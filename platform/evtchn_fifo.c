// SPDX-License-Identifier: GPL-2.0
/*
 * FIFO event channel ABI.
 *
 * Copyright (C) 2026 The xenpv authors
 *
 * Each port has a 32-bit event word in the event array (pages we give Xen
 * with EVTCHNOP_expand_array): PENDING, MASKED, LINKED, BUSY and a link to
 * the next port.  Each vCPU has a control block (EVTCHNOP_init_control)
 * with a READY bit and a HEAD port per priority queue.  Xen appends a
 * pending, unmasked event to the queue of the vCPU the port is bound to,
 * sets READY when the queue was empty and raises that vCPU's upcall
 * (vcpu_info's evtchn_upcall_pending, as with 2-level).  The guest walks
 * each ready queue from its head, unlinking each word with a compare-and-
 * swap (Xen links concurrently) and handling the port when it is pending
 * and unmasked.  Masking is the MASKED bit; an unmask that finds the port
 * pending asks Xen (EVTCHNOP_unmask), which queues it.
 *
 * We keep to the 2-level ABI's 4096 ports (the port table's size; the
 * frontends use a handful), so the event array is four pages, given to Xen
 * once at init with every word masked.  Control blocks are one page per
 * vCPU id 0 .. nr_cpu_ids - 1 (a vCPU id with no Linux CPU takes no ports).
 *
 * Xen keeps these pages until EVTCHNOP_reset, which closes every port the
 * guest has, the toolstack's xenstore and console channels included, and
 * returns the domain to 2-level.  Unload does exactly that, then binds the
 * toolstack's channels again at the same port numbers (the next load, or
 * another kernel, finds them where HVM_PARAM_*_EVTCHN says).  Load does it
 * too when a previous user left the domain in FIFO mode.  A new domain
 * after a restore starts in 2-level: resume registers everything again.
 */
#include <linux/atomic.h>
#include <linux/gfp.h>
#include <linux/kernel.h>
#include <linux/mm.h>
#include <linux/slab.h>
#include <xen/interface/xen.h>
#include <xen/interface/event_channel.h>
#include <xen/interface/hvm/params.h>

#include "platform.h"
#include "hypercall.h"

#define XENPV_FIFO_WORDS_PER_PAGE	(PAGE_SIZE / sizeof(event_word_t))
#define XENPV_FIFO_ARRAY_PAGES		\
	DIV_ROUND_UP(XENPV_2L_NR_PORTS, XENPV_FIFO_WORDS_PER_PAGE)

/*
 * Events handled per INTx upcall before the line is left asserted (by
 * setting upcall_pending again) so the rest comes after the EOI: the work
 * per interrupt stays bounded (XSA-332).  A vector upcall drains.
 */
#define XENPV_FIFO_INTX_BUDGET		1024

/* READY bits that name a queue (Xen sets no others). */
#define XENPV_FIFO_QUEUES_MASK		(BIT(EVTCHN_FIFO_MAX_QUEUES) - 1)

/* The consumer's state of one vCPU; only that vCPU's upcall touches it. */
struct xenpv_fifo_queue_state {
	u32 ready;			/* queues taken from the control block */
	u32 head[EVTCHN_FIFO_MAX_QUEUES];	/* next port; 0: re-read HEAD */
};

static struct {
	bool on;
	unsigned int nr_vcpus;		/* control blocks registered */
	struct evtchn_fifo_control_block **cb;	/* per vCPU id */
	struct xenpv_fifo_queue_state *qs;	/* per vCPU id */
	event_word_t *array[XENPV_FIFO_ARRAY_PAGES];
	unsigned long unlinked_bad;	/* HEAD/LINK outside our ports */
} xenpv_fifo;

static event_word_t *xenpv_fifo_word(evtchn_port_t port)
{
	return xenpv_fifo.array[port / XENPV_FIFO_WORDS_PER_PAGE] +
	       port % XENPV_FIFO_WORDS_PER_PAGE;
}

/* Atomic bit changes on a 32-bit word (Xen changes the others). */
static void xenpv_fifo_or(evtchn_port_t port, u32 bits)
{
	atomic_or(bits, (atomic_t *)xenpv_fifo_word(port));
}

static void xenpv_fifo_andnot(evtchn_port_t port, u32 bits)
{
	atomic_andnot(bits, (atomic_t *)xenpv_fifo_word(port));
}

void xenpv_fifo_mask(evtchn_port_t port)
{
	xenpv_fifo_or(port, XENPV_FIFO_MASKED);
}

void xenpv_fifo_unmask(evtchn_port_t port)
{
	atomic_t *w = (atomic_t *)xenpv_fifo_word(port);
	int old = atomic_read(w);
	u32 expect, next;

	for (;;) {
		switch (xenpv_fifo_unmask_step(old, &expect, &next)) {
		case XENPV_FIFO_UNMASK_NONE:
			return;
		case XENPV_FIFO_UNMASK_CLEAR:
			old = expect;
			if (atomic_try_cmpxchg(w, &old, next))
				return;
			break;	/* changed (or BUSY): decide again */
		case XENPV_FIFO_UNMASK_XEN: {
			struct evtchn_unmask op = { .port = port };

			xenpv_hc_event_channel_op(EVTCHNOP_unmask, &op);
			return;
		}
		}
	}
}

void xenpv_fifo_set_pending(evtchn_port_t port)
{
	xenpv_fifo_or(port, XENPV_FIFO_PENDING);
}

void xenpv_fifo_clear_pending(evtchn_port_t port)
{
	xenpv_fifo_andnot(port, XENPV_FIFO_PENDING);
}

void xenpv_fifo_mask_all(void)
{
	unsigned int p;

	for (p = 0; p < XENPV_2L_NR_PORTS; p++)
		xenpv_fifo_mask(p);
}

void xenpv_fifo_reset_scan(void)
{
	if (xenpv_fifo.qs)
		memset(xenpv_fifo.qs, 0, nr_cpu_ids * sizeof(*xenpv_fifo.qs));
}

/* Take the head of queue @q off it; handle the port if it should be. */
static void xenpv_fifo_consume_one(struct evtchn_fifo_control_block *cb,
				   struct xenpv_fifo_queue_state *st,
				   unsigned int q,
				   void (*dispatch)(evtchn_port_t port))
{
	evtchn_port_t port = st->head[q];
	atomic_t *w;
	int old;

	if (!port) {
		/* The word we reached last is written before HEAD. */
		smp_rmb();
		port = READ_ONCE(cb->head[q]);
	}
	if (!port || port >= XENPV_2L_NR_PORTS) {
		/* Empty after all, or not a port of ours: drop the queue. */
		if (port)
			xenpv_fifo.unlinked_bad++;
		st->head[q] = 0;
		st->ready &= ~BIT(q);
		return;
	}
	w = (atomic_t *)xenpv_fifo_word(port);
	old = atomic_read(w);
	while (!atomic_try_cmpxchg(w, &old, xenpv_fifo_unlinked(old)))
		;
	st->head[q] = xenpv_fifo_link(old);
	if (st->head[q] >= XENPV_2L_NR_PORTS) {
		xenpv_fifo.unlinked_bad++;
		st->head[q] = 0;
	}
	if (!st->head[q])
		st->ready &= ~BIT(q);
	if (xenpv_fifo_deliverable(old))
		dispatch(port);
}

bool xenpv_fifo_upcall(unsigned int cpu, u32 vcpu, bool drain,
		       void (*dispatch)(evtchn_port_t port))
{
	struct vcpu_info *vi = &xenpv_plat.shinfo->vcpu_info[vcpu];
	struct evtchn_fifo_control_block *cb;
	struct xenpv_fifo_queue_state *st;
	unsigned int budget = XENPV_FIFO_INTX_BUDGET;
	bool any = false;

	if (vcpu >= xenpv_fifo.nr_vcpus || vcpu >= MAX_VIRT_CPUS)
		return false;
	cb = xenpv_fifo.cb[vcpu];
	st = &xenpv_fifo.qs[vcpu];

	while (READ_ONCE(vi->evtchn_upcall_pending)) {
		any = true;
		WRITE_ONCE(vi->evtchn_upcall_pending, 0);
		/* xchg orders: READY is read after upcall_pending's clear. */
		st->ready |= xchg(&cb->ready, 0) & XENPV_FIFO_QUEUES_MASK;
		while (st->ready) {
			if (!drain && !budget--) {
				/* Keep the line asserted: the rest after EOI. */
				WRITE_ONCE(vi->evtchn_upcall_pending, 1);
				return any;
			}
			xenpv_fifo_consume_one(cb, st, __ffs(st->ready),
					       dispatch);
			st->ready |= xchg(&cb->ready, 0) &
				     XENPV_FIFO_QUEUES_MASK;
		}
	}
	return any;
}

bool xenpv_fifo_vcpu_ok(u32 vcpu)
{
	return vcpu < READ_ONCE(xenpv_fifo.nr_vcpus) && vcpu < MAX_VIRT_CPUS;
}

/*
 * A dead vCPU's queues (CPU hotplug, from another CPU; that vCPU runs no
 * upcall any more): take every word off them, @fn for each port that was
 * pending and unmasked.  Its ports were moved elsewhere before, so Xen
 * links nothing new there.
 */
void xenpv_fifo_drain(u32 vcpu, void (*fn)(evtchn_port_t port))
{
	struct evtchn_fifo_control_block *cb;
	struct xenpv_fifo_queue_state *st;
	unsigned int n = 0;

	if (!xenpv_fifo_vcpu_ok(vcpu))
		return;
	cb = xenpv_fifo.cb[vcpu];
	st = &xenpv_fifo.qs[vcpu];
	st->ready |= xchg(&cb->ready, 0) & XENPV_FIFO_QUEUES_MASK;
	/* Bounded: a queue holds each port at most once. */
	while (st->ready && n++ < XENPV_2L_NR_PORTS)
		xenpv_fifo_consume_one(cb, st, __ffs(st->ready), fn);
	memset(st, 0, sizeof(*st));
}

static int xenpv_fifo_init_control(u32 vcpu)
{
	struct evtchn_init_control op = {
		.control_gfn = page_to_pfn(virt_to_page(xenpv_fifo.cb[vcpu])),
		.offset = 0,
		.vcpu = vcpu,
	};

	return xenpv_hc_event_channel_op(EVTCHNOP_init_control, &op);
}

/*
 * Give Xen the control blocks and the (masked) event array: on a domain in
 * 2-level mode, at init or in a new domain after a restore.  Atomic
 * context allowed (resume runs under stop_machine).
 */
static int xenpv_fifo_register(void)
{
	unsigned int i, n;
	int ret;

	for (i = 0; i < nr_cpu_ids; i++)
		clear_page(xenpv_fifo.cb[i]);
	for (i = 0; i < XENPV_FIFO_ARRAY_PAGES; i++)
		memset32(xenpv_fifo.array[i], XENPV_FIFO_MASKED,
			 XENPV_FIFO_WORDS_PER_PAGE);
	xenpv_fifo_reset_scan();

	/* vCPU0's control block switches the domain to FIFO. */
	xenpv_fifo.nr_vcpus = 0;
	ret = xenpv_fifo_init_control(0);
	if (ret)
		return ret;
	xenpv_fifo.nr_vcpus = 1;
	for (i = 0; i < XENPV_FIFO_ARRAY_PAGES; i++) {
		struct evtchn_expand_array op = {
			.array_gfn = page_to_pfn(virt_to_page(xenpv_fifo.array[i])),
		};

		ret = xenpv_hc_event_channel_op(EVTCHNOP_expand_array, &op);
		if (ret) {
			pr_err("FIFO event array page %u refused: %d\n", i, ret);
			return ret;
		}
	}
	n = 1;
	for (i = 1; i < nr_cpu_ids; i++) {
		ret = xenpv_fifo_init_control(i);
		if (ret == -ENOENT)
			break;	/* no such vCPU: the domain has fewer */
		if (ret) {
			pr_err("FIFO control block of vCPU %u refused: %d\n",
			       i, ret);
			return ret;
		}
		n++;
	}
	xenpv_fifo.nr_vcpus = n;
	return 0;
}

/* The toolstack's channels, to bind again after EVTCHNOP_reset. */
struct xenpv_fifo_toolstack_port {
	evtchn_port_t port;
	struct evtchn_status st;
};

static unsigned int xenpv_fifo_toolstack_ports(struct xenpv_fifo_toolstack_port *tp)
{
	static const u32 params[] = {
		HVM_PARAM_STORE_EVTCHN,
		HVM_PARAM_CONSOLE_EVTCHN,
	};
	unsigned int i, n = 0;
	u64 val;

	for (i = 0; i < ARRAY_SIZE(params); i++) {
		if (xenpv_native_hvm_get_param(params[i], &val) || !val ||
		    val >= XENPV_2L_NR_PORTS)
			continue;
		tp[n].port = val;
		tp[n].st.dom = DOMID_SELF;
		tp[n].st.port = val;
		if (xenpv_hc_event_channel_op(EVTCHNOP_status, &tp[n].st))
			continue;
		if (tp[n].st.status != EVTCHNSTAT_interdomain &&
		    tp[n].st.status != EVTCHNSTAT_unbound)
			continue;
		n++;
	}
	/* Ascending: each is bound at the lowest free port in turn. */
	if (n == 2 && tp[0].port > tp[1].port)
		swap(tp[0], tp[1]);
	if (n == 2 && tp[0].port == tp[1].port)
		n = 1;
	return n;
}

/* Open @tp's channel again; Xen gives the lowest free port. */
static int xenpv_fifo_reopen(const struct xenpv_fifo_toolstack_port *tp,
			     evtchn_port_t *got)
{
	int ret;

	if (tp->st.status == EVTCHNSTAT_interdomain) {
		struct evtchn_bind_interdomain op = {
			.remote_dom = tp->st.u.interdomain.dom,
			.remote_port = tp->st.u.interdomain.port,
		};

		ret = xenpv_hc_event_channel_op(EVTCHNOP_bind_interdomain, &op);
		*got = op.local_port;
	} else {
		struct evtchn_alloc_unbound op = {
			.dom = DOMID_SELF,
			.remote_dom = tp->st.u.unbound.dom,
		};

		ret = xenpv_hc_event_channel_op(EVTCHNOP_alloc_unbound, &op);
		*got = op.port;
	}
	return ret;
}

static void xenpv_fifo_close(evtchn_port_t port)
{
	struct evtchn_close op = { .port = port };

	xenpv_hc_event_channel_op(EVTCHNOP_close, &op);
}

/*
 * Bind @tp's channel again at its old port number: hold every lower free
 * port with a placeholder, bind, release the placeholders.
 */
static int xenpv_fifo_rebind(const struct xenpv_fifo_toolstack_port *tp,
			     gfp_t gfp)
{
	evtchn_port_t *held, got = 0;
	unsigned int n = 0, i;
	int ret = 0;

	held = kcalloc(tp->port, sizeof(*held), gfp);
	if (!held)
		return -ENOMEM;
	for (;;) {
		struct evtchn_alloc_unbound op = {
			.dom = DOMID_SELF,
			.remote_dom = DOMID_SELF,
		};

		ret = xenpv_hc_event_channel_op(EVTCHNOP_alloc_unbound, &op);
		if (ret)
			break;
		if (op.port == tp->port) {
			/* The port is the lowest free one: take it for real. */
			xenpv_fifo_close(op.port);
			ret = xenpv_fifo_reopen(tp, &got);
			if (!ret && got != tp->port) {
				xenpv_fifo_close(got);
				ret = -EADDRINUSE;
			}
			break;
		}
		if (op.port > tp->port || n >= tp->port) {
			xenpv_fifo_close(op.port);
			ret = -EADDRINUSE;	/* someone holds our port */
			break;
		}
		held[n++] = op.port;
	}
	for (i = 0; i < n; i++)
		xenpv_fifo_close(held[i]);
	kfree(held);
	return ret;
}

/*
 * Close every port and go back to 2-level (EVTCHNOP_reset), then bind the
 * toolstack's channels again where they were (@gfp: GFP_ATOMIC under
 * stop_machine).  Fails
 * when the reset failed (Xen still uses our pages) or a channel could not
 * be bound again (*@reset_done tells the two apart).
 */
static int xenpv_fifo_reset_domain_gfp(bool *reset_done, gfp_t gfp)
{
	struct xenpv_fifo_toolstack_port tp[2];
	struct evtchn_reset op = { .dom = DOMID_SELF };
	unsigned int n, i, tries;
	int ret, err = 0;

	*reset_done = false;
	n = xenpv_fifo_toolstack_ports(tp);
	for (tries = 0; tries < 5; tries++) {
		ret = xenpv_hc_event_channel_op(EVTCHNOP_reset, &op);
		if (ret != -EAGAIN)
			break;
	}
	if (ret) {
		pr_err("EVTCHNOP_reset failed: %d\n", ret);
		return ret;
	}
	*reset_done = true;
	for (i = 0; i < n; i++) {
		ret = xenpv_fifo_rebind(&tp[i], gfp);
		if (ret) {
			pr_err("event channel %u (%s) not bound again after the reset: %d; that channel is lost until the domain restarts\n",
			       tp[i].port,
			       tp[i].st.status == EVTCHNSTAT_interdomain ?
			       "interdomain" : "unbound", ret);
			err = ret;
		}
	}
	return err;
}

static int xenpv_fifo_reset_domain(bool *reset_done)
{
	return xenpv_fifo_reset_domain_gfp(reset_done, GFP_KERNEL);
}

static void xenpv_fifo_free(void)
{
	unsigned int i;

	if (xenpv_fifo.cb) {
		for (i = 0; i < nr_cpu_ids; i++)
			free_page((unsigned long)xenpv_fifo.cb[i]);
		kfree(xenpv_fifo.cb);
		xenpv_fifo.cb = NULL;
	}
	for (i = 0; i < XENPV_FIFO_ARRAY_PAGES; i++) {
		free_page((unsigned long)xenpv_fifo.array[i]);
		xenpv_fifo.array[i] = NULL;
	}
	kfree(xenpv_fifo.qs);
	xenpv_fifo.qs = NULL;
}

static int xenpv_fifo_alloc(void)
{
	unsigned int i;

	/* pure.h's word layout is the interface's. */
	BUILD_BUG_ON(XENPV_FIFO_PENDING != 1u << EVTCHN_FIFO_PENDING);
	BUILD_BUG_ON(XENPV_FIFO_MASKED != 1u << EVTCHN_FIFO_MASKED);
	BUILD_BUG_ON(XENPV_FIFO_LINKED != 1u << EVTCHN_FIFO_LINKED);
	BUILD_BUG_ON(XENPV_FIFO_BUSY != 1u << EVTCHN_FIFO_BUSY);
	BUILD_BUG_ON(XENPV_FIFO_LINK_MASK != EVTCHN_FIFO_LINK_MASK);
	BUILD_BUG_ON(XENPV_2L_NR_PORTS % XENPV_FIFO_WORDS_PER_PAGE);

	xenpv_fifo.cb = kcalloc(nr_cpu_ids, sizeof(*xenpv_fifo.cb), GFP_KERNEL);
	xenpv_fifo.qs = kcalloc(nr_cpu_ids, sizeof(*xenpv_fifo.qs), GFP_KERNEL);
	if (!xenpv_fifo.cb || !xenpv_fifo.qs)
		goto nomem;
	for (i = 0; i < nr_cpu_ids; i++) {
		xenpv_fifo.cb[i] = (void *)get_zeroed_page(GFP_KERNEL);
		if (!xenpv_fifo.cb[i])
			goto nomem;
	}
	for (i = 0; i < XENPV_FIFO_ARRAY_PAGES; i++) {
		xenpv_fifo.array[i] = (void *)get_zeroed_page(GFP_KERNEL);
		if (!xenpv_fifo.array[i])
			goto nomem;
	}
	return 0;
nomem:
	xenpv_fifo_free();
	return -ENOMEM;
}

/*
 * vCPU0 refused its control block (-EINVAL): already registered (FIFO left
 * on by an earlier user), or something else.  EVTCHNOP_expand_array
 * answers -EOPNOTSUPP unless the domain is in FIFO mode; when it is, the
 * page it takes is given back by the reset that follows.
 */
static bool xenpv_fifo_left_on(void)
{
	struct evtchn_expand_array op = {
		.array_gfn = page_to_pfn(virt_to_page(xenpv_fifo.array[0])),
	};

	return xenpv_hc_event_channel_op(EVTCHNOP_expand_array, &op) !=
	       -EOPNOTSUPP;
}

/*
 * Switch the domain to FIFO.  -EOPNOTSUPP (and the domain untouched in
 * 2-level) when Xen does not offer it; -EIO when it may be left in FIFO
 * with pages we cannot take back (leaked); other errors with the domain in
 * 2-level.
 */
int xenpv_fifo_init(void)
{
	bool reset;
	int ret;

	ret = xenpv_fifo_alloc();
	if (ret)
		return ret;
	ret = xenpv_fifo_register();
	if (ret == -EINVAL && !xenpv_fifo.nr_vcpus && xenpv_fifo_left_on()) {
		/*
		 * vCPU0 has a control block already: an earlier user (a
		 * module whose reset failed, a kexec'ed kernel) left FIFO on.
		 * Start again from a clean 2-level domain.
		 */
		pr_info("event channels: FIFO left on by an earlier user; resetting\n");
		ret = xenpv_fifo_reset_domain(&reset);
		if (!reset) {
			pr_err("event channel pages leaked: Xen may still use them\n");
			return -EIO;
		}
		ret = xenpv_fifo_register();
	}
	if (ret) {
		/*
		 * Nothing is registered when vCPU0 was refused (-ENOSYS: no
		 * FIFO in this Xen); anything more takes the reset to undo,
		 * and pages Xen may still use are never freed.
		 */
		if (xenpv_fifo.nr_vcpus) {
			xenpv_fifo_reset_domain(&reset);
			if (!reset) {
				pr_err("event channel pages leaked: Xen may still use them\n");
				return -EIO;
			}
		}
		xenpv_fifo_free();
		return ret == -ENOSYS ? -EOPNOTSUPP : ret;
	}
	WRITE_ONCE(xenpv_fifo.on, true);
	return 0;
}

/*
 * Unload, after every binding is gone: EVTCHNOP_reset gives the pages back
 * and the domain returns to 2-level; the toolstack's channels are bound
 * again.  If the reset fails, Xen may still write to the pages: they are
 * leaked, not freed.
 */
void xenpv_fifo_exit(void)
{
	bool reset;

	if (!xenpv_fifo.on)
		return;
	WRITE_ONCE(xenpv_fifo.on, false);
	xenpv_fifo_reset_domain(&reset);
	if (!reset) {
		pr_err("event channel pages leaked: Xen may still use them\n");
		return;
	}
	xenpv_fifo_free();
}

/*
 * New domain after a restore (stop_machine context): it starts in
 * 2-level.  Register everything again; on failure carry on in 2-level.
 */
int xenpv_fifo_resume(void)
{
	int ret;

	if (!xenpv_fifo.on)
		return 0;
	ret = xenpv_fifo_register();
	if (ret) {
		bool reset = true;

		WRITE_ONCE(xenpv_fifo.on, false);
		/* Partly in FIFO: back to a 2-level domain (pages leaked if not). */
		if (xenpv_fifo.nr_vcpus)
			xenpv_fifo_reset_domain_gfp(&reset, GFP_ATOMIC);
		if (!reset)
			pr_err("event channels: FIFO half set up in the new domain and no reset: events are lost\n");
	}
	return ret;
}

void xenpv_fifo_debugfs_show(struct seq_file *m)
{
	if (!xenpv_fifo.on)
		return;
	seq_printf(m, "fifo_vcpus: %u\nfifo_array_pages: %u\nfifo_bad_links: %lu\n",
		   xenpv_fifo.nr_vcpus, (unsigned int)XENPV_FIFO_ARRAY_PAGES,
		   xenpv_fifo.unlinked_bad);
}
