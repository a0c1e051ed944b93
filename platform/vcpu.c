// SPDX-License-Identifier: GPL-2.0
/*
 * Native mode: Xen vCPU ids and per-vCPU event upcall vectors.
 *
 * Copyright (C) 2026 The xenpv authors
 *
 * The platform device's INTx line reports vCPU0's events only, so with it
 * alone every event channel is bound to vCPU0 and every completion of
 * every queue of every frontend is handled on CPU0.  Xen can instead
 * inject an event upcall per vCPU as an ordinary local APIC vector
 * (HVMOP_set_evtchn_upcall_vector, Xen 4.6+; the Windows PV drivers use
 * it): events bound to a vCPU then interrupt that vCPU.
 *
 * A module cannot install an IDT entry, but it can take a vector the
 * kernel's own way: an IRQ allocated straight from the x86 vector domain,
 * with a one-CPU affinity, gets a vector on that CPU, and the kernel's
 * common interrupt entry dispatches it to our handler; handle_edge_irq()
 * acknowledges it at the local APIC (the vector is injected as an edge
 * interrupt, so it needs the EOI).  IRQ_NO_BALANCING keeps the vector
 * where it is.  The hotplug callback that runs on each CPU as it comes
 * online reads the CPU's Xen vCPU id (CPUID leaf base+4), takes the vector
 * and tells Xen; as it goes offline it stops taking new bindings, the IRQ
 * core moves the bound ones away (through evtchn.c's irq_set_affinity),
 * and once it is dead its vector is freed.
 *
 * vCPU0 keeps INTx: Xen has no way to withdraw a vector (a vector below
 * 16 is refused) and prefers a vCPU's vector to INTx, so a vector on vCPU0
 * would outlive us and silence vCPU0 (xenstore included) for whatever
 * comes next: a reload with upcall_vectors=0 or on a kernel without the
 * allocator, a kexec'ed kernel on the callback parameter.  vCPUs 1..31 get
 * vectors; at unload they stay registered while no port can raise them
 * (all are closed or masked by then) and the next load registers new
 * ones.  Only vCPUs 0..31 have a vcpu_info in shared_info (more would need
 * VCPUOP_register_vcpu_info, which cannot be undone at unload), so CPUs
 * beyond get no events.  Without vectors (old Xen, kernel 5.10 which does
 * not export the allocator, upcall_vectors=0) everything stays on vCPU0
 * and INTx.
 */
#include <linux/cpu.h>
#include <linux/cpuhotplug.h>
#include <linux/interrupt.h>
#include <linux/irq.h>
#include <linux/irqdomain.h>
#include <linux/irq_work.h>
#include <linux/kernel.h>
#include <linux/module.h>
#include <linux/percpu.h>
#include <linux/seq_file.h>
#include <asm/hw_irq.h>
#include <asm/irqdomain.h>
#include <asm/processor.h>
#include <asm/xen/cpuid.h>
#include <xen/interface/xen.h>
#include <xen/interface/hvm/hvm_op.h>

#include "platform.h"
#include "hypercall.h"

#if defined(XENPV_HAVE_IRQ_DOMAIN_ALLOC_EXPORT) && \
	defined(XENPV_HAVE_IRQ_SET_AFFINITY)
#define XENPV_VECTORS_BUILT	1
#else
#define XENPV_VECTORS_BUILT	0
#endif

static bool xenpv_param_upcall_vectors = true;
module_param_named(upcall_vectors, xenpv_param_upcall_vectors, bool, 0444);
MODULE_PARM_DESC(upcall_vectors,
		 "native mode: per-vCPU event upcall vectors, so event channels can be bound to any of vCPUs 0..31 (default Y); N: INTx only, every event on vCPU0");

struct xenpv_vcpu {
	u32 id;			/* Xen vCPU id, XENPV_VCPU_ID_UNKNOWN */
	unsigned int irq;	/* our vector's Linux IRQ, 0 if none */
	u8 vector;
	bool ready;		/* Xen delivers this vCPU's events to us */
	unsigned long upcalls;
	struct irq_work kick;	/* an upcall in hard IRQ context, on it */
};

static DEFINE_PER_CPU(struct xenpv_vcpu, xenpv_vcpu) = {
	.id = XENPV_VCPU_ID_UNKNOWN,
};
static int xenpv_vcpu_hp_state = -1;
static int xenpv_vcpu_hp_dead = -1;
static bool xenpv_vcpu_vectors;		/* vector delivery chosen at init */
static bool xenpv_vcpu_ids;		/* every online CPU learns its id */
static const char *xenpv_vcpu_why = "not set up";

u32 xenpv_cpu_vcpu(unsigned int cpu)
{
	return READ_ONCE(per_cpu(xenpv_vcpu, cpu).id);
}

/* The running CPU's vCPU id (preemption off): for the clock's reads. */
notrace u32 xenpv_this_vcpu(void)
{
	return this_cpu_read(xenpv_vcpu.id);
}

bool xenpv_vcpu_ids_known(void)
{
	return xenpv_vcpu_ids;
}

const char *xenpv_vcpu_delivery(void)
{
	return xenpv_vcpu_why;
}

bool xenpv_upcall_vectors(void)
{
	return xenpv_vcpu_vectors;
}

/* Can an event channel bound to @cpu's vCPU reach us? */
bool xenpv_cpu_events_ok(unsigned int cpu)
{
	if (cpu == 0)
		return true;	/* INTx */
	return READ_ONCE(per_cpu(xenpv_vcpu, cpu).ready);
}

#if XENPV_VECTORS_BUILT

static int xenpv_vcpu_set_vector(u32 vcpu, u8 vector)
{
	struct xen_hvm_evtchn_upcall_vector op = {
		.vcpu = vcpu,
		.vector = vector,
	};

	return xenpv_hc_hvm_op(HVMOP_set_evtchn_upcall_vector, &op);
}

static irqreturn_t xenpv_vcpu_interrupt(int irq, void *dev_id)
{
	struct xenpv_vcpu *v = dev_id;

	v->upcalls++;
	xenpv_evtchn_upcall_vector(smp_processor_id(), v->id);
	return IRQ_HANDLED;
}

static void xenpv_vcpu_kick(struct irq_work *work)
{
	struct xenpv_vcpu *v = container_of(work, struct xenpv_vcpu, kick);

	xenpv_evtchn_upcall_vector(smp_processor_id(), v->id);
}

/* On @cpu as it comes online: a vector there, registered with Xen. */
static int xenpv_vcpu_vector_setup(unsigned int cpu, struct xenpv_vcpu *v)
{
	struct irq_affinity_desc aff = { };
	struct irq_alloc_info info;
	struct irq_data *d;
	struct irq_cfg *cfg;
	int irq, ret;

	init_irq_work(&v->kick, xenpv_vcpu_kick);
	memset(&info, 0, sizeof(info));
	info.mask = cpumask_of(cpu);
	cpumask_copy(&aff.mask, cpumask_of(cpu));
	irq = __irq_domain_alloc_irqs(x86_vector_domain, -1, 1,
				      cpu_to_node(cpu), &info, false, &aff);
	if (irq <= 0)
		return irq ? irq : -ENOSPC;
	irq_set_handler(irq, handle_edge_irq);
	ret = request_irq(irq, xenpv_vcpu_interrupt,
			  IRQF_NO_THREAD | IRQF_NOBALANCING, "xenpv-upcall", v);
	if (ret)
		goto out_dispose;

	d = irq_get_irq_data(irq);
	cfg = d ? irqd_cfg(d) : NULL;
	if (!cfg || cfg->vector < 0x20 || cfg->vector > 0xff ||
	    !cpumask_equal(irq_data_get_effective_affinity_mask(d),
			   cpumask_of(cpu))) {
		ret = -ERANGE;
		goto out_free;
	}
	ret = xenpv_vcpu_set_vector(v->id, cfg->vector);
	if (ret)
		goto out_free;
	v->irq = irq;
	v->vector = cfg->vector;
	WRITE_ONCE(v->ready, true);
	/*
	 * Xen before 4.17 injects nothing at registration: an upcall_pending
	 * left set (by an earlier load) would never go 0 -> 1 again.  The
	 * upcall runs from an IRQ work: event flow handlers want hard IRQ
	 * context.  We run on @cpu (a CPU hotplug callback of the AP states,
	 * in its bound hotplug thread), so the work runs there too.
	 */
	if (READ_ONCE(xenpv_plat.shinfo->vcpu_info[v->id].evtchn_upcall_pending))
		irq_work_queue(&v->kick);
	return 0;

out_free:
	free_irq(irq, v);
out_dispose:
	irq_dispose_mapping(irq);
	return ret;
}

static void xenpv_vcpu_vector_teardown(struct xenpv_vcpu *v)
{
	if (!v->irq)
		return;
	irq_work_sync(&v->kick);
	free_irq(v->irq, v);
	irq_dispose_mapping(v->irq);
	v->irq = 0;
	v->vector = 0;
}

#else /* !XENPV_VECTORS_BUILT */

static int xenpv_vcpu_set_vector(u32 vcpu, u8 vector)
{
	return -EOPNOTSUPP;
}

static int xenpv_vcpu_vector_setup(unsigned int cpu, struct xenpv_vcpu *v)
{
	return -EOPNOTSUPP;
}

static void xenpv_vcpu_vector_teardown(struct xenpv_vcpu *v)
{
}

#endif

static int xenpv_vcpu_online(unsigned int cpu)
{
	struct xenpv_vcpu *v = per_cpu_ptr(&xenpv_vcpu, cpu);
	u32 eax, ebx, ecx, edx, id = XENPV_VCPU_ID_UNKNOWN;
	int ret;

	cpuid(xenpv_plat.cpuid_base + 4, &eax, &ebx, &ecx, &edx);
	if (eax & XEN_HVM_CPUID_VCPU_ID_PRESENT)
		id = ebx;
	WRITE_ONCE(v->id, id);

	if (!xenpv_vcpu_vectors || id == 0)
		return 0;	/* vCPU0: INTx (see above) */
	if (v->irq) {
		/* Back online after a failed offline: the vector is still ours. */
		if (!xenpv_vcpu_set_vector(id, v->vector))
			WRITE_ONCE(v->ready, true);
		return 0;
	}
	if (id >= MAX_VIRT_CPUS) {
		pr_warn("CPU%u (Xen vCPU %d) has no vcpu_info in shared_info: no events there\n",
			cpu, id == XENPV_VCPU_ID_UNKNOWN ? -1 : (int)id);
		return 0;
	}
	ret = xenpv_vcpu_vector_setup(cpu, v);
	if (ret)
		pr_warn("CPU%u: no event upcall vector (%d): no events there\n",
			cpu, ret);
	return 0;	/* never keep a CPU from coming online */
}

/*
 * As @cpu goes offline (on it): no new binding may choose it.  The event
 * channels bound there keep their vector until the IRQ core, taking the
 * CPU down, migrates every IRQ off it: our irq_set_affinity() then rebinds
 * each port to a CPU that is still ready.
 */
static int xenpv_vcpu_offline(unsigned int cpu)
{
	WRITE_ONCE(per_cpu(xenpv_vcpu, cpu).ready, false);
	return 0;
}

/* After @cpu is dead (on another CPU): its vector goes. */
static int xenpv_vcpu_dead(unsigned int cpu)
{
	xenpv_evtchn_cpu_dead(cpu);
	xenpv_vcpu_vector_teardown(per_cpu_ptr(&xenpv_vcpu, cpu));
	return 0;
}

int xenpv_vcpu_init(void)
{
	int ret;

	xenpv_vcpu_vectors = false;
	if (!xenpv_param_upcall_vectors)
		xenpv_vcpu_why = "INTx (upcall_vectors=0)";
	else if (!XENPV_VECTORS_BUILT)
		xenpv_vcpu_why = "INTx (this kernel does not export the vector allocator)";
	else if (xenpv_plat.cpuid_base + 4 > cpuid_eax(xenpv_plat.cpuid_base) ||
		 !(cpuid_eax(xenpv_plat.cpuid_base + 4) &
		   XEN_HVM_CPUID_VCPU_ID_PRESENT))
		xenpv_vcpu_why = "INTx (Xen does not report vCPU ids)";
	else
		xenpv_vcpu_vectors = true;

	ret = cpuhp_setup_state_nocalls(CPUHP_BP_PREPARE_DYN, "xenpv/vcpu:dead",
					NULL, xenpv_vcpu_dead);
	if (ret < 0) {
		pr_err("CPU hotplug state: %d\n", ret);
		xenpv_vcpu_vectors = false;
		return ret;
	}
	xenpv_vcpu_hp_dead = ret;
	ret = cpuhp_setup_state(CPUHP_AP_ONLINE_DYN, "xenpv/vcpu:online",
				xenpv_vcpu_online, xenpv_vcpu_offline);
	if (ret < 0) {
		cpuhp_remove_state_nocalls(xenpv_vcpu_hp_dead);
		xenpv_vcpu_hp_dead = -1;
		pr_err("CPU hotplug state: %d\n", ret);
		xenpv_vcpu_vectors = false;
		return ret;
	}
	xenpv_vcpu_hp_state = ret;
	xenpv_vcpu_ids = xenpv_plat.cpuid_base + 4 <=
			 cpuid_eax(xenpv_plat.cpuid_base) &&
			 (cpuid_eax(xenpv_plat.cpuid_base + 4) &
			  XEN_HVM_CPUID_VCPU_ID_PRESENT);
	if (xenpv_vcpu_vectors) {
		unsigned int cpu, n = 0;

		for_each_online_cpu(cpu)
			n += per_cpu(xenpv_vcpu, cpu).ready;
		xenpv_vcpu_why = n ? "per-vCPU vectors (vCPU0: INTx)" :
				     "INTx (no other CPU, or none got a vector)";
	}
	return 0;
}

/* After every port is closed or masked: nothing can raise a vector. */
void xenpv_vcpu_exit(void)
{
	unsigned int cpu;

	if (xenpv_vcpu_hp_state >= 0) {
		/* The offline step on every CPU: none is ready any more. */
		cpuhp_remove_state(xenpv_vcpu_hp_state);
		xenpv_vcpu_hp_state = -1;
	}
	if (xenpv_vcpu_hp_dead >= 0) {
		cpuhp_remove_state_nocalls(xenpv_vcpu_hp_dead);
		xenpv_vcpu_hp_dead = -1;
	}
	/* Every possible CPU: one may have gone offline in between. */
	cpus_read_lock();
	for_each_possible_cpu(cpu)
		xenpv_vcpu_vector_teardown(per_cpu_ptr(&xenpv_vcpu, cpu));
	cpus_read_unlock();
	xenpv_vcpu_vectors = false;
	xenpv_vcpu_ids = false;
}

/* Resume in a new domain (CPU0, others stopped): Xen forgot the vectors. */
int xenpv_vcpu_resume(void)
{
	unsigned int cpu;
	int ret, err = 0;

	for_each_online_cpu(cpu) {
		struct xenpv_vcpu *v = per_cpu_ptr(&xenpv_vcpu, cpu);

		if (!v->ready)
			continue;
		ret = xenpv_vcpu_set_vector(v->id, v->vector);
		if (ret) {
			WRITE_ONCE(v->ready, false);
			err = ret;
		}
	}
	return err;
}

void xenpv_vcpu_debugfs_show(struct seq_file *m)
{
	unsigned int cpu;

	seq_printf(m, "event_delivery: %s\n", xenpv_vcpu_why);
	for_each_online_cpu(cpu) {
		struct xenpv_vcpu *v = per_cpu_ptr(&xenpv_vcpu, cpu);

		if (v->id == XENPV_VCPU_ID_UNKNOWN)
			seq_printf(m, "cpu%u: vcpu ?", cpu);
		else
			seq_printf(m, "cpu%u: vcpu %u", cpu, v->id);
		if (v->ready)
			seq_printf(m, " vector %#x irq %u upcalls %lu\n",
				   v->vector, v->irq, READ_ONCE(v->upcalls));
		else
			seq_puts(m, cpu ? " no events\n" : " INTx\n");
	}
}
