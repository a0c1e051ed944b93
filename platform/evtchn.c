// SPDX-License-Identifier: GPL-2.0
/*
 * Event channels (native mode): ports, their Linux IRQs, late EOI.
 *
 * Copyright (C) 2026 The xenpv authors
 *
 * Every bound port gets a Linux IRQ from our own irq_domain, so frontends
 * use request_irq() semantics and /proc/interrupts shows "xenpv-evtchn".
 * The domain's hwirq is a binding number, not the port: after a resume in
 * a new domain the old bindings are dead but their IRQs stay requested
 * until each driver unbinds, while the same port numbers are handed out
 * again by Xen; a separate port -> binding table (RCU) serves dispatch.
 *
 * Masking: a port is masked in shared_info while any reason holds:
 *  LINUX  the IRQ core masked or disabled it (and before request_irq),
 *  EOI    a XENPV_EVTCHN_LATEEOI binding's event is being handled: set by
 *         the flow's irq_ack, cleared only by xenpv_evtchn_lateeoi()
 *         (after a delay when the peer sends a storm of spurious events:
 *         XSA-332/391),
 *  CLOSED the binding is being torn down or its port died in a resume.
 * The flow handler is handle_edge_irq(): irq_ack clears the pending bit
 * before the handler runs, so no notification is lost; an event arriving
 * while the IRQ is disabled is acked with irq_mask_ack (no EOI reason, the
 * handler does not run) and replayed through irq_retrigger on enable.
 * Each upcall pass works on a snapshot of the pending bits, so a port is
 * handled at most once per pass however fast its peer signals.
 *
 * Unbinding (XSA-331): free_irq() waits for the handler, the port leaves
 * the dispatch table, synchronize_rcu() waits for a dispatch that may
 * still hold the binding, then the port is closed and the IRQ disposed.
 *
 * The ABI is FIFO when Xen offers it (evtchn_fifo.c; event_abi=), else
 * 2-level (evtchn_2l.c); the xenpv_ev_* helpers below pick one.  Both
 * serve the same 4096 ports.
 */
#include <linux/delay.h>
#include <linux/idr.h>
#include <linux/interrupt.h>
#include <linux/irq.h>
#include <linux/irqdomain.h>
#include <linux/kernel.h>
#include <linux/list.h>
#include <linux/mm.h>
#include <linux/mutex.h>
#include <linux/rcupdate.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/workqueue.h>
#include <xen/interface/xen.h>
#include <xen/interface/event_channel.h>
#include <xen/interface/hvm/params.h>
#include <xenpv_compat_irq.h>

#include "platform.h"
#include "hypercall.h"

/* Simultaneous bindings (the irq_domain's size); hwirq 0 is unused. */
#define XENPV_EVTCHN_MAX_BINDINGS	1024

/* Longest late-EOI delay for a port flooding us with spurious events. */
#define XENPV_EOI_DELAY_MAX		10	/* jiffies */

#define XENPV_MASK_LINUX	BIT(0)
#define XENPV_MASK_EOI		BIT(1)
#define XENPV_MASK_CLOSED	BIT(2)

struct xenpv_evtchn_binding {
	raw_spinlock_t lock;		/* reasons, spurious_run, eoi_delayed,
					 * and the port's shared bits */
	evtchn_port_t port;
	unsigned int irq;
	unsigned int hwirq;
	unsigned int reasons;		/* XENPV_MASK_* */
	bool lateeoi;
	bool keep_open;		/* XENPV_EVTCHN_KEEP_OPEN: unbind only masks */
	bool stale;			/* port died in a resume */
	unsigned int cpu;		/* the CPU whose vCPU it is bound to */
	bool eoi_delayed;		/* eoi_work will clear XENPV_MASK_EOI */
	unsigned int spurious_run;	/* spurious late EOIs in a row */
	struct delayed_work eoi_work;
	struct list_head node;		/* xenpv_evtchn.bindings */
	char *name;
	atomic_long_t events;		/* dispatches, from whichever CPU scans it */
	atomic_long_t spurious;
	atomic_long_t delayed;
};

static struct {
	struct mutex mutex;		/* bind/unbind/resume, bindings list */
	struct list_head bindings;
	struct xenpv_evtchn_binding __rcu **port_map;
	struct irq_domain *domain;
	struct fwnode_handle *fwnode;
	struct ida hwirqs;
	bool ready;
	/* Counters written by the INTx upcall only (CPU0). */
	unsigned long upcalls;
	unsigned long upcalls_empty;	/* shared line, nothing for us */
	atomic_long_t unbound_events;	/* any CPU */
} xenpv_evtchn = {
	.mutex = __MUTEX_INITIALIZER(xenpv_evtchn.mutex),
	.bindings = LIST_HEAD_INIT(xenpv_evtchn.bindings),
};

static struct irq_chip xenpv_evtchn_chip;

/* ---- the ABI in use ----------------------------------------------------- */

static bool xenpv_evtchn_fifo;	/* set at init, cleared if a resume fails */

static void xenpv_ev_mask(evtchn_port_t port)
{
	if (xenpv_evtchn_fifo)
		xenpv_fifo_mask(port);
	else
		xenpv_2l_mask(port);
}

static void xenpv_ev_unmask(evtchn_port_t port)
{
	if (xenpv_evtchn_fifo)
		xenpv_fifo_unmask(port);
	else
		xenpv_2l_unmask(port);
}

static void xenpv_ev_set_pending(evtchn_port_t port)
{
	if (xenpv_evtchn_fifo)
		xenpv_fifo_set_pending(port);
	else
		xenpv_2l_set_pending(port);
}

static void xenpv_ev_clear_pending(evtchn_port_t port)
{
	if (xenpv_evtchn_fifo)
		xenpv_fifo_clear_pending(port);
	else
		xenpv_2l_clear_pending(port);
}

static void xenpv_ev_mask_all(void)
{
	if (xenpv_evtchn_fifo)
		xenpv_fifo_mask_all();
	else
		xenpv_2l_mask_all();
}

static void xenpv_ev_reset_scan(void)
{
	if (xenpv_evtchn_fifo)
		xenpv_fifo_reset_scan();
	else
		xenpv_2l_reset_scan();
}

/* Events bound to @cpu's vCPU reach us (FIFO: it has a control block). */
static bool xenpv_evtchn_cpu_ok(unsigned int cpu)
{
	if (!xenpv_cpu_events_ok(cpu))
		return false;
	return !xenpv_evtchn_fifo || cpu == 0 ||
	       xenpv_fifo_vcpu_ok(xenpv_cpu_vcpu(cpu));
}

/* 2-level scans only the ports bound to a CPU; FIFO queues per vCPU. */
static void xenpv_ev_bind_cpu(evtchn_port_t port, int from, int to)
{
	xenpv_2l_bind_cpu(port, from, to);
}

static bool xenpv_ev_upcall(unsigned int cpu, u32 vcpu, bool drain,
			    void (*dispatch)(evtchn_port_t port))
{
	if (xenpv_evtchn_fifo)
		return xenpv_fifo_upcall(cpu, vcpu, drain, dispatch);
	return xenpv_2l_upcall(cpu, vcpu, drain, dispatch);
}

/* Bindings per CPU, to spread new ones (and moved ones) evenly. */
static DEFINE_PER_CPU(atomic_t, xenpv_evtchn_load);

const char *xenpv_evtchn_abi_name(void)
{
	return xenpv_evtchn_fifo ? "FIFO" : "2-level";
}

static bool xenpv_evtchn_port_valid(evtchn_port_t port)
{
	return port > 0 && port < XENPV_2L_NR_PORTS;
}

/* Apply the mask reasons to shared_info; b->lock held. */
static void xenpv_evtchn_apply(struct xenpv_evtchn_binding *b)
{
	if (b->stale)
		return;
	if (b->reasons)
		xenpv_ev_mask(b->port);
	else
		xenpv_ev_unmask(b->port);
}

static void xenpv_evtchn_set_reason(struct xenpv_evtchn_binding *b,
				    unsigned int reason, bool on)
{
	unsigned long flags;

	raw_spin_lock_irqsave(&b->lock, flags);
	if (on)
		b->reasons |= reason;
	else
		b->reasons &= ~reason;
	xenpv_evtchn_apply(b);
	raw_spin_unlock_irqrestore(&b->lock, flags);
}

/* ---- irq_chip ---------------------------------------------------------- */

static void xenpv_evtchn_irq_mask(struct irq_data *d)
{
	xenpv_evtchn_set_reason(irq_data_get_irq_chip_data(d),
				XENPV_MASK_LINUX, true);
}

static void xenpv_evtchn_irq_unmask(struct irq_data *d)
{
	xenpv_evtchn_set_reason(irq_data_get_irq_chip_data(d),
				XENPV_MASK_LINUX, false);
}

/* Before the handler runs: the event is consumed. */
static void xenpv_evtchn_irq_ack(struct irq_data *d)
{
	struct xenpv_evtchn_binding *b = irq_data_get_irq_chip_data(d);
	unsigned long flags;

	raw_spin_lock_irqsave(&b->lock, flags);
	if (!b->stale) {
		xenpv_ev_clear_pending(b->port);
		/* A late-EOI binding stays masked until xenpv_evtchn_lateeoi(). */
		if (b->lateeoi) {
			b->reasons |= XENPV_MASK_EOI;
			xenpv_evtchn_apply(b);
		}
	}
	raw_spin_unlock_irqrestore(&b->lock, flags);
}

/* The IRQ is disabled or busy: mask, drop the event (replayed on enable). */
static void xenpv_evtchn_irq_mask_ack(struct irq_data *d)
{
	struct xenpv_evtchn_binding *b = irq_data_get_irq_chip_data(d);
	unsigned long flags;

	raw_spin_lock_irqsave(&b->lock, flags);
	b->reasons |= XENPV_MASK_LINUX;
	xenpv_evtchn_apply(b);
	if (!b->stale)
		xenpv_ev_clear_pending(b->port);
	raw_spin_unlock_irqrestore(&b->lock, flags);
}

/*
 * Deliver again an event the IRQ core had to drop (it arrived while the
 * IRQ was disabled): mark the port pending; once it is unmasked, the
 * unmask path asks Xen to raise the upcall for it.
 */
static int xenpv_evtchn_irq_retrigger(struct irq_data *d)
{
	struct xenpv_evtchn_binding *b = irq_data_get_irq_chip_data(d);
	unsigned long flags;

	raw_spin_lock_irqsave(&b->lock, flags);
	if (!b->stale) {
		/*
		 * Masked first: the unmask that follows (when nothing else
		 * holds the port) then finds it pending and asks Xen to
		 * deliver it; FIFO queues only what Xen links.
		 */
		xenpv_ev_mask(b->port);
		xenpv_ev_set_pending(b->port);
		xenpv_evtchn_apply(b);
	}
	raw_spin_unlock_irqrestore(&b->lock, flags);
	return 1;
}

/*
 * The least loaded CPU of @dest that can take events (@cur counts one less:
 * staying is free), or nr_cpu_ids.
 */
static unsigned int xenpv_evtchn_pick_cpu(const struct cpumask *dest,
					  unsigned int cur)
{
	unsigned int cpu, load, best = nr_cpu_ids, best_load = UINT_MAX;

	for_each_cpu_and(cpu, dest, cpu_online_mask) {
		if (!xenpv_evtchn_cpu_ok(cpu))
			continue;
		load = atomic_read(per_cpu_ptr(&xenpv_evtchn_load, cpu));
		if (cpu == cur && load)
			load--;
		if (load < best_load) {
			best = cpu;
			best_load = load;
		}
	}
	return best;
}

/*
 * Vector delivery only (otherwise the IRQ is IRQ_NO_BALANCING and every
 * port stays on vCPU0).  Rebinding: mask, EVTCHNOP_bind_vcpu, then the
 * mask state is applied again; an event that was already pending is raised
 * on the new vCPU by the unmask (xenpv_ev_unmask()).
 */
static int xenpv_evtchn_irq_set_affinity(struct irq_data *d,
					 const struct cpumask *dest, bool force)
{
	struct xenpv_evtchn_binding *b = irq_data_get_irq_chip_data(d);
	unsigned long flags;
	unsigned int cpu;
	int ret = 0;

	cpu = xenpv_evtchn_pick_cpu(dest, b->cpu);
	if (cpu >= nr_cpu_ids) {
		/* Nothing in @dest can take events: stay, or go to CPU0. */
		cpu = cpu_online(b->cpu) && xenpv_evtchn_cpu_ok(b->cpu) ?
		      b->cpu : 0;
	}

	raw_spin_lock_irqsave(&b->lock, flags);
	if (b->reasons & XENPV_MASK_CLOSED) {
		/* Being unbound: the port may already be someone else's. */
		raw_spin_unlock_irqrestore(&b->lock, flags);
		return -EINVAL;
	}
	if (cpu != b->cpu && !b->stale) {
		struct evtchn_bind_vcpu bv = {
			.port = b->port,
			.vcpu = cpu ? xenpv_cpu_vcpu(cpu) : 0,
		};

		xenpv_ev_mask(b->port);
		ret = xenpv_hc_event_channel_op(EVTCHNOP_bind_vcpu, &bv);
		if (!ret)
			xenpv_ev_bind_cpu(b->port, b->cpu, cpu);
		xenpv_evtchn_apply(b);
	}
	if (!ret && cpu != b->cpu) {
		atomic_dec(per_cpu_ptr(&xenpv_evtchn_load, b->cpu));
		atomic_inc(per_cpu_ptr(&xenpv_evtchn_load, cpu));
		b->cpu = cpu;
	}
	raw_spin_unlock_irqrestore(&b->lock, flags);
	if (ret) {
		pr_warn_ratelimited("port %u: cannot bind to CPU%u: %d\n",
				    b->port, cpu, ret);
		return -EIO;
	}
	irq_data_update_effective_affinity(d, cpumask_of(cpu));
	return IRQ_SET_MASK_OK;
}

static struct irq_chip xenpv_evtchn_chip = {
	.name		= "xenpv-evtchn",
	.irq_mask	= xenpv_evtchn_irq_mask,
	.irq_unmask	= xenpv_evtchn_irq_unmask,
	.irq_disable	= xenpv_evtchn_irq_mask,
	.irq_enable	= xenpv_evtchn_irq_unmask,
	.irq_ack	= xenpv_evtchn_irq_ack,
	.irq_mask_ack	= xenpv_evtchn_irq_mask_ack,
	.irq_retrigger	= xenpv_evtchn_irq_retrigger,
	.irq_set_affinity = xenpv_evtchn_irq_set_affinity,
	.flags		= IRQCHIP_SKIP_SET_WAKE,
};

static int xenpv_evtchn_domain_map(struct irq_domain *d, unsigned int virq,
				   irq_hw_number_t hwirq)
{
	unsigned long set = IRQ_NOPROBE;

	irq_set_chip_and_handler_name(virq, &xenpv_evtchn_chip,
				      handle_edge_irq, "event");
	/* With INTx alone, every port must stay on vCPU0. */
	if (!xenpv_upcall_vectors())
		set |= IRQ_NO_BALANCING;
#ifdef XENPV_HAVE_IRQ_MOVE_PCNTXT
	/* Rebinding is a hypercall: fine from any context, no deferral. */
	set |= IRQ_MOVE_PCNTXT;
#endif
	irq_modify_status(virq, IRQ_NOREQUEST, set);
	return 0;
}

static const struct irq_domain_ops xenpv_evtchn_domain_ops = {
	.map = xenpv_evtchn_domain_map,
};

static struct xenpv_evtchn_binding *xenpv_evtchn_binding_of(int irq)
{
	struct irq_data *d;

	if (irq <= 0)
		return NULL;
	d = irq_get_irq_data(irq);
	if (!d || irq_data_get_irq_chip(d) != &xenpv_evtchn_chip)
		return NULL;
	return irq_data_get_irq_chip_data(d);
}

/* ---- upcall ------------------------------------------------------------ */

/* The port is pending and was unmasked when the pass began. */
static void xenpv_evtchn_dispatch(evtchn_port_t port)
{
	struct xenpv_evtchn_binding *b;

	rcu_read_lock();
	b = rcu_dereference(xenpv_evtchn.port_map[port]);
	if (b) {
		atomic_long_inc(&b->events);
		if (!xenpv_generic_handle_domain_irq(xenpv_evtchn.domain,
						     b->hwirq))
			goto out_unlock;
	}
	/* Not ours, or being torn down: keep it quiet. */
	xenpv_ev_mask(port);
	xenpv_ev_clear_pending(port);
	atomic_long_inc(&xenpv_evtchn.unbound_events);
out_unlock:
	rcu_read_unlock();
}

bool xenpv_evtchn_upcall(void)
{
	bool any;

	if (!xenpv_evtchn.ready)
		return false;
	/* INTx reports vCPU0, and its handler is pinned to CPU0. */
	any = xenpv_ev_upcall(0, 0, false, xenpv_evtchn_dispatch);
	if (any)
		xenpv_evtchn.upcalls++;
	else
		xenpv_evtchn.upcalls_empty++;
	return any;
}

void xenpv_evtchn_upcall_vector(unsigned int cpu, u32 vcpu)
{
	if (READ_ONCE(xenpv_evtchn.ready))
		xenpv_ev_upcall(cpu, vcpu, true, xenpv_evtchn_dispatch);
}

/* ---- ports ------------------------------------------------------------- */

/*
 * The toolstack creates the xenstore and console channels; closing ours
 * would leave the next xenbus load (or the console) with a dead port, so
 * unbinding only masks them.
 */
static bool xenpv_evtchn_toolstack_port(evtchn_port_t port)
{
	static const u32 params[] = {
		HVM_PARAM_STORE_EVTCHN,
		HVM_PARAM_CONSOLE_EVTCHN,
	};
	unsigned int i;
	u64 val;

	for (i = 0; i < ARRAY_SIZE(params); i++) {
		if (!xenpv_native_hvm_get_param(params[i], &val) && val == port)
			return true;
	}
	return false;
}

static void xenpv_evtchn_close_port(evtchn_port_t port)
{
	struct evtchn_close op = { .port = port };
	int ret;

	xenpv_ev_mask(port);
	if (xenpv_evtchn_toolstack_port(port)) {
		pr_debug("port %u belongs to the toolstack: left open\n", port);
		return;
	}
	ret = xenpv_hc_event_channel_op(EVTCHNOP_close, &op);
	if (ret)
		pr_warn_ratelimited("closing event channel %u failed: %d\n",
				    port, ret);
	xenpv_ev_clear_pending(port);
}

int xenpv_native_evtchn_alloc_unbound(domid_t remote, evtchn_port_t *port)
{
	struct evtchn_alloc_unbound op = {
		.dom = DOMID_SELF,
		.remote_dom = remote,
	};
	int ret;

	ret = xenpv_hc_event_channel_op(EVTCHNOP_alloc_unbound, &op);
	if (ret)
		return ret;
	if (!xenpv_evtchn_port_valid(op.port)) {
		xenpv_evtchn_close_port(op.port);
		return -ENOSPC;
	}
	xenpv_ev_mask(op.port);
	*port = op.port;
	return 0;
}

int xenpv_native_evtchn_bind_interdomain(domid_t remote, evtchn_port_t rport,
					 evtchn_port_t *lport)
{
	struct evtchn_bind_interdomain op = {
		.remote_dom = remote,
		.remote_port = rport,
	};
	int ret;

	ret = xenpv_hc_event_channel_op(EVTCHNOP_bind_interdomain, &op);
	if (ret)
		return ret;
	if (!xenpv_evtchn_port_valid(op.local_port)) {
		xenpv_evtchn_close_port(op.local_port);
		return -ENOSPC;
	}
	/* Masked, but still pending if the peer already signalled. */
	xenpv_ev_mask(op.local_port);
	*lport = op.local_port;
	return 0;
}

void xenpv_native_evtchn_close(evtchn_port_t port)
{
	if (!xenpv_evtchn_port_valid(port))
		return;
	if (rcu_access_pointer(xenpv_evtchn.port_map[port])) {
		WARN_ONCE(1, "xenpv: close of event channel %u bound to an IRQ (use xenpv_evtchn_unbind_irq)\n",
			  port);
		return;
	}
	xenpv_evtchn_close_port(port);
}

void xenpv_native_evtchn_notify(evtchn_port_t port)
{
	struct evtchn_send op = { .port = port };

	if (!xenpv_evtchn_port_valid(port))
		return;
	/* A failure means a dead port (e.g. before reconnecting on resume). */
	xenpv_hc_event_channel_op(EVTCHNOP_send, &op);
}

/* ---- IRQ bindings ------------------------------------------------------- */

static void xenpv_evtchn_eoi_work(struct work_struct *work)
{
	struct xenpv_evtchn_binding *b =
		container_of(to_delayed_work(work), struct xenpv_evtchn_binding,
			     eoi_work);
	unsigned long flags;

	raw_spin_lock_irqsave(&b->lock, flags);
	if (b->eoi_delayed) {
		b->eoi_delayed = false;
		b->reasons &= ~XENPV_MASK_EOI;
		xenpv_evtchn_apply(b);
	}
	raw_spin_unlock_irqrestore(&b->lock, flags);
}

int xenpv_native_evtchn_bind_irq(evtchn_port_t port, irq_handler_t handler,
				 unsigned long irqflags, const char *name,
				 void *dev_id, unsigned int flags)
{
	struct xenpv_evtchn_binding *b;
	struct evtchn_bind_vcpu bv = { .port = port, .vcpu = 0 };
	int hwirq, ret;
	unsigned int virq;

	if (!xenpv_evtchn_port_valid(port) || !handler)
		return -EINVAL;
	if (flags & ~(XENPV_EVTCHN_LATEEOI | XENPV_EVTCHN_KEEP_OPEN))
		return -EINVAL;

	b = kzalloc(sizeof(*b), GFP_KERNEL);
	if (!b)
		return -ENOMEM;
	b->name = kstrdup(name ? name : "xenpv-evtchn", GFP_KERNEL);
	if (!b->name) {
		ret = -ENOMEM;
		goto out_free;
	}
	raw_spin_lock_init(&b->lock);
	INIT_DELAYED_WORK(&b->eoi_work, xenpv_evtchn_eoi_work);
	atomic_long_set(&b->spurious, 0);
	atomic_long_set(&b->delayed, 0);
	b->port = port;
	b->lateeoi = flags & XENPV_EVTCHN_LATEEOI;
	b->keep_open = flags & XENPV_EVTCHN_KEEP_OPEN;
	/* Masked until request_irq() starts the IRQ up. */
	b->reasons = XENPV_MASK_LINUX;

	mutex_lock(&xenpv_evtchn.mutex);
	if (rcu_access_pointer(xenpv_evtchn.port_map[port])) {
		ret = -EBUSY;
		goto out_unlock;
	}
	hwirq = ida_alloc_range(&xenpv_evtchn.hwirqs, 1,
				XENPV_EVTCHN_MAX_BINDINGS - 1, GFP_KERNEL);
	if (hwirq < 0) {
		ret = hwirq;	/* -ENOSPC: XENPV_EVTCHN_MAX_BINDINGS reached */
		goto out_unlock;
	}
	b->hwirq = hwirq;
	virq = irq_create_mapping(xenpv_evtchn.domain, hwirq);
	if (!virq) {
		ret = -ENOMEM;
		goto out_ida;
	}
	b->irq = virq;
	irq_set_chip_data(virq, b);

	xenpv_ev_mask(port);
	/*
	 * Start on vCPU0 (INTx reports only its events); with vectors,
	 * request_irq() then applies the IRQ's affinity, which spreads.
	 */
	ret = xenpv_hc_event_channel_op(EVTCHNOP_bind_vcpu, &bv);
	if (ret)
		pr_debug("port %u: bind_vcpu(0) failed: %d\n", port, ret);
	b->cpu = 0;
	xenpv_ev_bind_cpu(port, -1, 0);
	atomic_inc(per_cpu_ptr(&xenpv_evtchn_load, 0));

	rcu_assign_pointer(xenpv_evtchn.port_map[port], b);
	list_add_tail(&b->node, &xenpv_evtchn.bindings);

	ret = request_irq(virq, handler, irqflags, b->name, dev_id);
	if (ret)
		goto out_unmap;
	mutex_unlock(&xenpv_evtchn.mutex);
	return virq;

out_unmap:
	list_del(&b->node);
	RCU_INIT_POINTER(xenpv_evtchn.port_map[port], NULL);
	xenpv_ev_mask(port);
	xenpv_ev_bind_cpu(port, b->cpu, -1);
	atomic_dec(per_cpu_ptr(&xenpv_evtchn_load, b->cpu));
	synchronize_rcu();
	irq_dispose_mapping(virq);
out_ida:
	ida_free(&xenpv_evtchn.hwirqs, hwirq);
out_unlock:
	mutex_unlock(&xenpv_evtchn.mutex);
	kfree(b->name);
out_free:
	kfree(b);
	return ret;
}

void xenpv_native_evtchn_unbind_irq(int irq, void *dev_id)
{
	struct xenpv_evtchn_binding *b = xenpv_evtchn_binding_of(irq);
	unsigned long flags;
	evtchn_port_t port;
	bool stale;

	if (!b) {
		WARN_ONCE(1, "xenpv: unbind of IRQ %d, not an event channel IRQ\n",
			  irq);
		return;
	}
	/* Waits for a running handler; a wrong dev_id leaves all in place. */
	if (!free_irq(irq, dev_id))
		return;

	mutex_lock(&xenpv_evtchn.mutex);
	raw_spin_lock_irqsave(&b->lock, flags);
	b->reasons |= XENPV_MASK_CLOSED;
	b->eoi_delayed = false;
	xenpv_evtchn_apply(b);
	port = b->port;
	stale = b->stale;
	/* CLOSED keeps irq_set_affinity() away from here on. */
	if (!stale)
		xenpv_ev_bind_cpu(port, b->cpu, -1);
	atomic_dec(per_cpu_ptr(&xenpv_evtchn_load, b->cpu));
	raw_spin_unlock_irqrestore(&b->lock, flags);
	if (!stale &&
	    rcu_access_pointer(xenpv_evtchn.port_map[port]) == b)
		RCU_INIT_POINTER(xenpv_evtchn.port_map[port], NULL);
	list_del(&b->node);
	mutex_unlock(&xenpv_evtchn.mutex);

	cancel_delayed_work_sync(&b->eoi_work);
	/* A dispatch that found the binding before it left the table. */
	synchronize_rcu();
	if (!stale && b->keep_open)
		xenpv_ev_mask(port);
	else if (!stale)
		xenpv_evtchn_close_port(port);
	irq_dispose_mapping(irq);
	ida_free(&xenpv_evtchn.hwirqs, b->hwirq);
	kfree(b->name);
	kfree(b);
}

evtchn_port_t xenpv_native_evtchn_from_irq(int irq)
{
	struct xenpv_evtchn_binding *b = xenpv_evtchn_binding_of(irq);

	if (!b || READ_ONCE(b->stale))
		return 0;
	return b->port;
}

void xenpv_native_evtchn_lateeoi(int irq, unsigned int eoi_flags)
{
	struct xenpv_evtchn_binding *b = xenpv_evtchn_binding_of(irq);
	unsigned long flags, delay;

	if (!b || !b->lateeoi) {
		WARN_ONCE(1, "xenpv: late EOI for IRQ %d without a late-EOI binding\n",
			  irq);
		return;
	}

	raw_spin_lock_irqsave(&b->lock, flags);
	if (eoi_flags & XENPV_EOI_SPURIOUS) {
		atomic_long_inc(&b->spurious);
		if (b->spurious_run < UINT_MAX)
			b->spurious_run++;
	} else {
		b->spurious_run = 0;
	}
	/* Nothing outstanding, or the EOI is already scheduled. */
	if (!(b->reasons & XENPV_MASK_EOI) || b->eoi_delayed ||
	    (b->reasons & XENPV_MASK_CLOSED))
		goto out_unlock;

	delay = xenpv_eoi_delay(b->spurious_run, XENPV_EOI_DELAY_MAX);
	if (delay) {
		/* A storm of events that bring nothing: slow the peer down. */
		b->eoi_delayed = true;
		atomic_long_inc(&b->delayed);
		schedule_delayed_work(&b->eoi_work, delay);
	} else {
		b->reasons &= ~XENPV_MASK_EOI;
		xenpv_evtchn_apply(b);
	}
out_unlock:
	raw_spin_unlock_irqrestore(&b->lock, flags);
}

/* ---- lifecycle ---------------------------------------------------------- */

int xenpv_evtchn_init(void)
{
	int ret;

	ret = xenpv_2l_init();
	if (ret)
		return ret;
	xenpv_evtchn.port_map = kvcalloc(XENPV_2L_NR_PORTS,
					 sizeof(*xenpv_evtchn.port_map),
					 GFP_KERNEL);
	if (!xenpv_evtchn.port_map) {
		xenpv_2l_exit();
		return -ENOMEM;
	}

	xenpv_evtchn.fwnode = irq_domain_alloc_named_fwnode("xenpv-evtchn");
	if (!xenpv_evtchn.fwnode) {
		ret = -ENOMEM;
		goto out_free_map;
	}
	xenpv_evtchn.domain = irq_domain_create_linear(xenpv_evtchn.fwnode,
						       XENPV_EVTCHN_MAX_BINDINGS,
						       &xenpv_evtchn_domain_ops,
						       NULL);
	if (!xenpv_evtchn.domain) {
		ret = -ENOMEM;
		goto out_free_fwnode;
	}
	ida_init(&xenpv_evtchn.hwirqs);

	xenpv_evtchn_fifo = false;
	if (xenpv_plat.event_abi != XENPV_EVTCHN_ABI_2L) {
		ret = xenpv_fifo_init();
		if (!ret) {
			xenpv_evtchn_fifo = true;
		} else if (ret == -EOPNOTSUPP &&
			   xenpv_plat.event_abi == XENPV_EVTCHN_ABI_AUTO) {
			pr_info("event channels: Xen offers no FIFO ABI, using 2-level\n");
		} else if (ret != -EIO &&
			   xenpv_plat.event_abi == XENPV_EVTCHN_ABI_AUTO) {
			/* The domain is back in (or never left) 2-level. */
			pr_warn("event channels: FIFO ABI failed (%d), using 2-level\n",
				ret);
		} else {
			pr_err("event channels: FIFO ABI not available: %d\n",
			       ret);
			goto out_remove_domain;
		}
	}

	/*
	 * Nothing is bound yet: mask every port (xenstore's too, until xenbus
	 * binds it).  Pending bits stay, so no event that already arrived is
	 * lost.
	 */
	xenpv_ev_mask_all();
	xenpv_ev_reset_scan();
	xenpv_evtchn.upcalls = 0;
	xenpv_evtchn.upcalls_empty = 0;
	atomic_long_set(&xenpv_evtchn.unbound_events, 0);
	xenpv_evtchn.ready = true;
	return 0;

out_remove_domain:
	ida_destroy(&xenpv_evtchn.hwirqs);
	irq_domain_remove(xenpv_evtchn.domain);
	xenpv_evtchn.domain = NULL;
out_free_fwnode:
	irq_domain_free_fwnode(xenpv_evtchn.fwnode);
	xenpv_evtchn.fwnode = NULL;
out_free_map:
	kvfree(xenpv_evtchn.port_map);
	xenpv_evtchn.port_map = NULL;
	xenpv_2l_exit();
	return ret;
}

/* After the callback is off and the platform IRQ is freed. */
void xenpv_evtchn_exit(void)
{
	struct xenpv_evtchn_binding *b;
	unsigned int left = 0;

	if (!xenpv_evtchn.port_map)
		return;
	xenpv_evtchn.ready = false;

	mutex_lock(&xenpv_evtchn.mutex);
	list_for_each_entry(b, &xenpv_evtchn.bindings, node) {
		/* Only a frontend that forgot to unbind gets here. */
		if (!b->stale)
			xenpv_evtchn_close_port(b->port);
		left++;
	}
	mutex_unlock(&xenpv_evtchn.mutex);

	if (left) {
		/* Their IRQ descriptors still point at our chip: keep it all. */
		pr_err("%u event channel IRQs still bound at unload; ports closed, IRQ domain leaked\n",
		       left);
	} else {
		irq_domain_remove(xenpv_evtchn.domain);
		irq_domain_free_fwnode(xenpv_evtchn.fwnode);
		ida_destroy(&xenpv_evtchn.hwirqs);
		xenpv_2l_exit();
	}
	xenpv_evtchn.domain = NULL;
	xenpv_evtchn.fwnode = NULL;
	synchronize_rcu();
	kvfree(xenpv_evtchn.port_map);
	xenpv_evtchn.port_map = NULL;
	/* Every port closed: back to 2-level, the toolstack's ports rebound. */
	if (xenpv_evtchn_fifo) {
		xenpv_fifo_exit();
		xenpv_evtchn_fifo = false;
	}
}

/*
 * Redeliver an event found on a dead vCPU's queue: its port has moved to
 * another vCPU by now (the IRQ core migrated the IRQ), where Xen queues it
 * again when we mask and unmask it (the unmask finds it pending).
 */
static void xenpv_evtchn_redeliver(evtchn_port_t port)
{
	struct xenpv_evtchn_binding *b;
	unsigned long flags;

	rcu_read_lock();
	b = rcu_dereference(xenpv_evtchn.port_map[port]);
	if (b) {
		raw_spin_lock_irqsave(&b->lock, flags);
		if (!b->stale) {
			xenpv_ev_mask(b->port);
			xenpv_evtchn_apply(b);
		}
		raw_spin_unlock_irqrestore(&b->lock, flags);
	}
	rcu_read_unlock();
}

/*
 * @cpu is dead (CPU hotplug, on another CPU).  FIFO: words still linked
 * on its vCPU's queues would never be linked anywhere else; take them off
 * and redeliver the pending ones.
 */
void xenpv_evtchn_cpu_dead(unsigned int cpu)
{
	u32 vcpu = xenpv_cpu_vcpu(cpu);

	if (!READ_ONCE(xenpv_evtchn.ready) || !xenpv_evtchn_fifo || !cpu ||
	    vcpu == XENPV_VCPU_ID_UNKNOWN)
		return;
	xenpv_fifo_drain(vcpu, xenpv_evtchn_redeliver);
}

void xenpv_evtchn_suspend_lock(void)
{
	mutex_lock(&xenpv_evtchn.mutex);
}

void xenpv_evtchn_suspend_unlock(void)
{
	mutex_unlock(&xenpv_evtchn.mutex);
}

/*
 * stop_machine() context on CPU0, evtchn_mutex held by the caller.  In a
 * new domain, shared_info is a fresh page and none of our ports exist any
 * more: mask everything and declare every binding dead; drivers unbind and
 * bind new ports in their resume.
 */
void xenpv_evtchn_resume(bool cancelled)
{
	struct xenpv_evtchn_binding *b;

	if (cancelled)
		return;
	/* The new domain starts in 2-level: register the FIFO pages again. */
	if (xenpv_evtchn_fifo && xenpv_fifo_resume()) {
		xenpv_evtchn_fifo = false;
		pr_err("event channels: FIFO refused in the new domain; using 2-level\n");
	}
	xenpv_ev_mask_all();
	xenpv_ev_reset_scan();
	list_for_each_entry(b, &xenpv_evtchn.bindings, node) {
		raw_spin_lock(&b->lock);
		if (!b->stale) {
			RCU_INIT_POINTER(xenpv_evtchn.port_map[b->port], NULL);
			b->stale = true;
		}
		b->reasons |= XENPV_MASK_CLOSED;
		b->eoi_delayed = false;
		raw_spin_unlock(&b->lock);
	}
}

void xenpv_evtchn_debugfs_show(struct seq_file *m)
{
	struct xenpv_evtchn_binding *b;

	seq_printf(m, "abi: %s (%u ports)\n", xenpv_evtchn_abi_name(),
		   (unsigned int)XENPV_2L_NR_PORTS);
	xenpv_fifo_debugfs_show(m);
	seq_printf(m, "upcalls: %lu\nupcalls_not_ours: %lu\nunbound_events: %ld\n",
		   xenpv_evtchn.upcalls, xenpv_evtchn.upcalls_empty,
		   atomic_long_read(&xenpv_evtchn.unbound_events));
	seq_printf(m, "%6s %5s %5s %-8s %-7s %10s %10s %8s %4s  %s\n", "port",
		   "irq", "hwirq", "mode", "state", "events", "spurious",
		   "delayed", "cpu", "name");

	mutex_lock(&xenpv_evtchn.mutex);
	list_for_each_entry(b, &xenpv_evtchn.bindings, node) {
		seq_printf(m, "%6u %5u %5u %-8s %-7s %10ld %10ld %8ld %4u  %s\n",
			   b->port, b->irq, b->hwirq,
			   b->lateeoi ? "lateeoi" : "eoi",
			   b->stale ? "stale" :
			   (READ_ONCE(b->reasons) ? "masked" : "open"),
			   atomic_long_read(&b->events),
			   atomic_long_read(&b->spurious),
			   atomic_long_read(&b->delayed), b->cpu, b->name);
	}
	mutex_unlock(&xenpv_evtchn.mutex);
}
