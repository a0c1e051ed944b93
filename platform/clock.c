// SPDX-License-Identifier: GPL-2.0
/*
 * Native mode: Xen's PV clock as a clocksource.
 *
 * Copyright (C) 2026 The xenpv authors
 *
 * A kernel without Xen support reads time from what the emulated platform
 * offers: the TSC when it trusts it, else the HPET or the ACPI PM timer,
 * whose every read is an exit to Xen's emulation.  When the TSCs of the
 * vCPUs look unsynchronised (vCPUs migrate between physical CPUs; under
 * nested virtualisation they always do), every ktime_get() costs an HPET
 * exit, and the block and network paths read the clock several times per
 * request: measured, 4 KiB random reads at queue depth 32 ran 12x slower
 * than with a usable clock (Documentation/benchmarks.rst).
 *
 * Xen keeps, per vCPU, a time record in shared_info (vcpu_time_info, which
 * the kernel's xen.h types as struct pvclock_vcpu_time_info):
 * system time in ns at a TSC timestamp and the TSC-to-ns scale of the
 * physical CPU the vCPU last ran on, refreshed whenever the vCPU moves.
 * Time is system_time + scaled(TSC - tsc_timestamp), read under the
 * record's version counter (odd while Xen writes it).  We register that as
 * the "xenpv" clocksource with rating 275: above the HPET (250) and the
 * ACPI PM timer (200), below a TSC the kernel trusts (300), which stays
 * the better clock.  The records of vCPUs run on different physical CPUs
 * may disagree by a little; unless Xen flags the TSC as stable, readings
 * are kept monotonic across CPUs by never returning less than the largest
 * value returned so far (as the kernel's own pvclock does).
 *
 * Which record is ours: each CPU learns its Xen vCPU id from CPUID leaf
 * base+4 (XEN_HVM_CPUID_VCPU_ID_PRESENT) in vcpu.c's CPU hotplug callback,
 * which runs on that CPU and before this clock exists.  Only vCPUs 0..31 have a record in shared_info (the
 * others need VCPUOP_register_vcpu_info, which cannot be undone at
 * unload); a CPU without a usable id of its own reads vCPU0's record,
 * which the monotonic guard keeps safe.  Without vCPU ids at all the clock
 * is offered only when Xen flags the TSC stable (then any record will do).
 *
 * Save/restore: the new host's system time is unrelated to the old one.
 * The suspend path suspends and resumes timekeeping around the shutdown
 * hypercall (suspend.c); timekeeping_resume() calls our resume hook, which
 * forgets the monotonic floor, then takes the clock's new value as its
 * base, so time goes on from the persistent clock, not from Xen's.
 *
 * Unload: a registered clocksource is more than the current one: it may be
 * the clocksource watchdog (xenpv is continuous and rated above HPET and
 * ACPI PM), which takes no module reference, and clocksource_unregister()
 * fails (-EBUSY) when nothing can replace it in its role.  Module exit
 * cannot fail, so the clock is not withdrawn there: while it is offered,
 * the module holds a reference on itself and rmmod says "in use".  Writing
 * N to the pvclock parameter withdraws it (the write fails with the
 * kernel's error if it cannot), after which the module unloads; Y offers
 * it again.
  */
#include <linux/atomic.h>
#include <linux/clocksource.h>
#include <linux/kernel.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/mutex.h>
#include <linux/percpu.h>
#include <asm/msr.h>
#include <asm/pvclock-abi.h>
#include <asm/tsc.h>
#include <xen/interface/xen.h>

#include "platform.h"

#define XENPV_CLOCK_RATING		275

static bool xenpv_param_pvclock = true;
static atomic64_t xenpv_clock_last;
static bool xenpv_clock_registered;	/* offered, and we hold our module */
static bool xenpv_clock_usable;		/* shared_info mapped (probe..remove) */
static DEFINE_MUTEX(xenpv_clock_mutex);

static int xenpv_clock_offer(void);
static int xenpv_clock_withdraw(void);

/*
 * Writable at runtime: N withdraws the clocksource (so the module can be
 * unloaded), Y offers it again.
 */
static int xenpv_param_pvclock_set(const char *val, const struct kernel_param *kp)
{
	bool on;
	int ret;

	ret = kstrtobool(val, &on);
	if (ret)
		return ret;
	mutex_lock(&xenpv_clock_mutex);
	if (!xenpv_clock_usable) {
		/* At load (before probe), or without a platform device. */
		xenpv_param_pvclock = on;
	} else if (on) {
		xenpv_param_pvclock = true;
		ret = xenpv_clock_offer();
	} else {
		ret = xenpv_clock_withdraw();
		if (!ret)
			xenpv_param_pvclock = false;
	}
	mutex_unlock(&xenpv_clock_mutex);
	return ret;
}

static const struct kernel_param_ops xenpv_param_pvclock_ops = {
	.set = xenpv_param_pvclock_set,
	.get = param_get_bool,
};
module_param_cb(pvclock, &xenpv_param_pvclock_ops, &xenpv_param_pvclock, 0644);
MODULE_PARM_DESC(pvclock,
		 "native mode: offer Xen's PV clock as the \"xenpv\" clocksource, preferred over HPET and ACPI PM, not over a trusted TSC (default Y); while offered the module stays loaded: write N to withdraw it");

static __always_inline const struct pvclock_vcpu_time_info *
xenpv_clock_record(u32 vcpu)
{
	if (vcpu >= MAX_VIRT_CPUS)	/* also XENPV_VCPU_ID_UNKNOWN */
		vcpu = 0;
	return &xenpv_plat.shinfo->vcpu_info[vcpu].time;
}

/* One consistent reading of @t; *@flags gets the record's flags. */
static __always_inline u64 xenpv_clock_read_record(const struct pvclock_vcpu_time_info *t,
					   u8 *flags)
{
	u32 version;
	u64 ns;

	do {
		version = READ_ONCE(t->version);
		/* The record is read after the version (Xen: write, then bump). */
		virt_rmb();
		ns = xenpv_pvclock_ns(rdtsc_ordered(), READ_ONCE(t->tsc_timestamp),
				      READ_ONCE(t->system_time),
				      READ_ONCE(t->tsc_to_system_mul),
				      READ_ONCE(t->tsc_shift));
		*flags = READ_ONCE(t->flags);
		virt_rmb();
	} while ((version & 1) || version != READ_ONCE(t->version));
	return ns;
}

static notrace u64 xenpv_clock_read(struct clocksource *cs)
{
	u64 ns, last;
	u8 flags;

	preempt_disable_notrace();
	ns = xenpv_clock_read_record(xenpv_clock_record(xenpv_this_vcpu()),
				     &flags);
	preempt_enable_notrace();

	if (flags & PVCLOCK_TSC_STABLE_BIT)
		return ns;
	/* Never less than what any CPU was given before. */
	last = atomic64_read(&xenpv_clock_last);
	do {
		if (ns <= last)
			return last;
	} while (!atomic64_try_cmpxchg(&xenpv_clock_last, &last, ns));
	return ns;
}

static void xenpv_clock_resume(struct clocksource *cs)
{
	/* A new host's system time: the old floor means nothing there. */
	atomic64_set(&xenpv_clock_last, 0);
}

static struct clocksource xenpv_clocksource = {
	.name	= "xenpv",
	/* The timekeeper's reference while current (ours covers more). */
	.owner	= THIS_MODULE,
	.rating	= XENPV_CLOCK_RATING,
	.read	= xenpv_clock_read,
	.resume	= xenpv_clock_resume,
	.mask	= CLOCKSOURCE_MASK(64),
	.flags	= CLOCK_SOURCE_IS_CONTINUOUS,
};

static const char *xenpv_clock_state(void)
{
	if (xenpv_clock_registered)
		return "registered";
	return xenpv_param_pvclock ? "not offered" : "off (pvclock=0)";
}

/* Clock mutex held, shared_info mapped. */
static int xenpv_clock_offer(void)
{
	u8 flags;
	int ret;

	if (xenpv_clock_registered)
		return 0;
	/* vcpu.c (set up before us) knows each CPU's record, or not. */
	xenpv_clock_read_record(xenpv_clock_record(0), &flags);
	if (!xenpv_vcpu_ids_known() && !(flags & PVCLOCK_TSC_STABLE_BIT)) {
		pr_info("clocksource not offered: no vCPU ids and the TSC is not flagged stable\n");
		return -ENODEV;
	}

	atomic64_set(&xenpv_clock_last, 0);
	/* Ours to hold from before the kernel can use it. */
	__module_get(THIS_MODULE);
	ret = clocksource_register_hz(&xenpv_clocksource, NSEC_PER_SEC);
	if (ret) {
		module_put(THIS_MODULE);
		pr_warn("clocksource not offered: registration failed: %d\n",
			ret);
		return ret;
	}
	xenpv_clock_registered = true;
	pr_info("clocksource xenpv (Xen PV clock, rating %d%s) offered; write N to /sys/module/%s/parameters/pvclock before unloading\n",
		XENPV_CLOCK_RATING,
		flags & PVCLOCK_TSC_STABLE_BIT ? ", TSC stable" : "",
		KBUILD_MODNAME);
	return 0;
}

/* Clock mutex held.  The kernel switches away first, or refuses. */
static int xenpv_clock_withdraw(void)
{
	int ret;

	if (!xenpv_clock_registered)
		return 0;
	ret = clocksource_unregister(&xenpv_clocksource);
	if (ret) {
		pr_warn("clocksource xenpv cannot be withdrawn: %d (no other clocksource can take its place)\n",
			ret);
		return ret;
	}
	xenpv_clock_registered = false;
	pr_info("clocksource xenpv withdrawn\n");
	module_put(THIS_MODULE);
	return 0;
}

/* After shared_info is mapped.  Failing to offer the clock is not fatal. */
void xenpv_clock_init(void)
{
	mutex_lock(&xenpv_clock_mutex);
	xenpv_clock_usable = true;
	if (xenpv_param_pvclock)
		xenpv_clock_offer();
	mutex_unlock(&xenpv_clock_mutex);
}

/*
 * Before shared_info goes away.  From module exit the clock is never
 * registered (it holds the module).  Only a removal of the PCI device
 * through sysfs gets here with it registered; if the kernel will not let
 * it go, shared_info must stay mapped for it: returns false then.
 */
bool xenpv_clock_exit(void)
{
	bool gone;

	mutex_lock(&xenpv_clock_mutex);
	gone = !xenpv_clock_withdraw();
	if (gone)
		xenpv_clock_usable = false;
	else
		pr_crit("shared_info stays mapped for the xenpv clocksource\n");
	mutex_unlock(&xenpv_clock_mutex);
	return gone;
}

void xenpv_clock_debugfs_show(struct seq_file *m)
{
	unsigned int cpu;
	u8 flags;

	seq_printf(m, "clocksource: %s\n", xenpv_clock_state());
	if (!xenpv_clock_registered)
		return;
	xenpv_clock_read_record(xenpv_clock_record(0), &flags);
	seq_printf(m, "clock_tsc_stable: %s\nclock_vcpu_ids:",
		   flags & PVCLOCK_TSC_STABLE_BIT ? "yes" : "no");
	for_each_online_cpu(cpu) {
		u32 id = xenpv_cpu_vcpu(cpu);

		if (id == XENPV_VCPU_ID_UNKNOWN)
			seq_printf(m, " cpu%u=?", cpu);
		else
			seq_printf(m, " cpu%u=%u", cpu, id);
	}
	seq_putc(m, '\n');
}
