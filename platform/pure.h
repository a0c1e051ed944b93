/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Pure helpers of the platform layer: no kernel state, host-testable.
 *
 * Copyright (C) 2026 The xenpv authors
 *
 * The functions declared here depend only on the few types and string
 * helpers below, so selftests/unit/platform_*_test.c can build them on the
 * host.  Host builds define XENPV_HOST_TEST before including this header.
 */
#ifndef _XENPV_PLATFORM_PURE_H
#define _XENPV_PLATFORM_PURE_H

#if defined(__KERNEL__) && !defined(XENPV_HOST_TEST)
#include <linux/types.h>
#include <linux/errno.h>
#include <linux/string.h>
#include <linux/ctype.h>
#else
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <ctype.h>
#include <errno.h>
typedef uint8_t u8;
typedef uint16_t u16;
typedef uint32_t u32;
typedef uint64_t u64;
#define notrace
#endif

/* ---- CPUID detection ---------------------------------------------------- */

/*
 * Hypervisor leaves are searched on 0x100 boundaries up to this leaf (Xen
 * moves its leaves up when it also offers Viridian; protocol.md section 1).
 */
#define XENPV_CPUID_SCAN_STEP	0x100u
#define XENPV_CPUID_SCAN_LAST	0x4000ff00u

/* Reads one CPUID leaf (subleaf 0) into regs[0..3] = eax, ebx, ecx, edx. */
typedef void (*xenpv_cpuid_fn)(u32 leaf, u32 regs[4]);

/*
 * Return the first leaf base in [first, XENPV_CPUID_SCAN_LAST] whose
 * ebx/ecx/edx equal sig[0..2] and whose eax (largest leaf) is at least
 * base + min_extra, or 0 when there is none.
 */
u32 xenpv_cpuid_find_base(xenpv_cpuid_fn cpuid, u32 first, const u32 sig[3],
			  u32 min_extra);

/* ---- event callback ----------------------------------------------------- */

/*
 * HVM_PARAM_CALLBACK_IRQ value for an INTx-wired platform device: the GSI
 * type when the Linux IRQ is a legacy (identity-mapped ISA) one, else the
 * PCI INTx type addressing the device and its pin (1 = INTA).  Returns 0
 * (= "delivery off", never a valid via) when neither can be encoded.
 */
u64 xenpv_callback_via(unsigned int irq, unsigned int pci_domain,
		       unsigned int bus, unsigned int devfn, unsigned int pin);

/* Type field of a callback via (bits 63:56). */
#define XENPV_CALLBACK_VIA_TYPE_SHIFT	56

/* ---- BAR1 allocator ----------------------------------------------------- */

/*
 * Page allocator over the platform device's MMIO BAR.  It only grows: the
 * platform allocates shared_info and all grant frames once, at probe, and
 * reuses them across resume; nothing is ever given back.
 */
struct xenpv_bar_alloc {
	u64 start;	/* first page-aligned address inside the BAR */
	u64 end;	/* one past the last usable byte */
	u64 next;	/* next free address */
	unsigned int page_shift;
};

void xenpv_bar_alloc_init(struct xenpv_bar_alloc *a, u64 base, u64 len,
			  unsigned int page_shift);
/* Pages still available. */
u64 xenpv_bar_alloc_avail(const struct xenpv_bar_alloc *a);
/* Take @nr contiguous pages; -ENOSPC (nothing taken) when they don't fit. */
int xenpv_bar_alloc_pages(struct xenpv_bar_alloc *a, u64 nr, u64 *addr);

/* ---- late EOI storm delay ----------------------------------------------- */

/*
 * Delay (in jiffies) before re-enabling a port whose last @run late EOIs in
 * a row were all flagged spurious: none for short runs, then doubling from
 * one jiffy, capped at @max.
 */
#define XENPV_SPURIOUS_FREE_RUN	2
unsigned long xenpv_eoi_delay(unsigned int run, unsigned long max);

/* ---- 2-level event channel scan ----------------------------------------- */

#define XENPV_2L_BITS_PER_WORD	(8 * sizeof(unsigned long))

/*
 * Round-robin search over a snapshot of active (pending and unmasked)
 * bits, words[0 .. nwords-1]: return the first set bit at or after @start,
 * wrapping around once, and clear it in the snapshot.  -1 when none is set.
 */
int xenpv_2l_next_port(unsigned long *words, unsigned int nwords,
		       unsigned int start);

/* ---- FIFO event channel words ------------------------------------------- */

/*
 * An event word of the FIFO ABI (protocol.md; the bit numbers are the
 * interface's EVTCHN_FIFO_*, repeated here for host builds): PENDING,
 * MASKED, LINKED and BUSY flags, and the 17-bit LINK to the next port of
 * the queue.
 */
#define XENPV_FIFO_PENDING	(1u << 31)
#define XENPV_FIFO_MASKED	(1u << 30)
#define XENPV_FIFO_LINKED	(1u << 29)
#define XENPV_FIFO_BUSY		(1u << 28)
#define XENPV_FIFO_LINK_MASK	((1u << 17) - 1)

/* The word once the guest has taken it off its queue. */
static inline u32 xenpv_fifo_unlinked(u32 w)
{
	return w & ~(XENPV_FIFO_LINKED | XENPV_FIFO_LINK_MASK);
}

/* The next port of the queue after this word's port (0: the tail). */
static inline u32 xenpv_fifo_link(u32 w)
{
	return w & XENPV_FIFO_LINK_MASK;
}

/* Taken off the queue, the port is handled only if pending and unmasked. */
static inline bool xenpv_fifo_deliverable(u32 w)
{
	return (w & (XENPV_FIFO_PENDING | XENPV_FIFO_MASKED)) ==
	       XENPV_FIFO_PENDING;
}

enum xenpv_fifo_unmask_step {
	XENPV_FIFO_UNMASK_NONE,		/* not masked: nothing to do */
	XENPV_FIFO_UNMASK_CLEAR,	/* store *next (MASKED cleared) */
	XENPV_FIFO_UNMASK_XEN,		/* pending: Xen must unmask and queue */
};

/*
 * Unmasking a word: a pending event must be queued, which only Xen can do
 * (EVTCHNOP_unmask clears MASKED and links it), so MASKED is cleared here
 * only while PENDING is not set.  Xen sets BUSY while it links the word
 * and expects it unmasked by nobody meanwhile: the compare-and-swap
 * expects *@expect (the word with BUSY clear), so it fails until Xen is
 * done.
 */
static inline enum xenpv_fifo_unmask_step xenpv_fifo_unmask_step(u32 w,
								 u32 *expect,
								 u32 *next)
{
	if (!(w & XENPV_FIFO_MASKED))
		return XENPV_FIFO_UNMASK_NONE;
	if (w & XENPV_FIFO_PENDING)
		return XENPV_FIFO_UNMASK_XEN;
	*expect = w & ~XENPV_FIFO_BUSY;
	*next = *expect & ~XENPV_FIFO_MASKED;
	return XENPV_FIFO_UNMASK_CLEAR;
}

/* ---- grant reference free list ------------------------------------------ */

#define XENPV_GREF_END		0xffffffffu	/* terminates a chain */
#define XENPV_GREF_USED		0xfffffffeu	/* handed out alone */
#define XENPV_GREF_ABSENT	0xfffffffdu	/* not (or no longer) in the table */

/*
 * Free list of grant references kept in an array of "next" links, one per
 * reference: free references form one chain, batches handed out with
 * xenpv_gref_get_chain() form private chains (linked in the same array),
 * references handed out alone are marked XENPV_GREF_USED, references the
 * table doesn't have are XENPV_GREF_ABSENT.  References below @first are
 * never listed.  The caller provides locking; private chains belong to
 * their owner and need none.
 */
struct xenpv_gref_list {
	u32 *next;
	u32 first;	/* lowest reference ever listed */
	u32 limit;	/* references < limit exist */
	u32 capacity;	/* size of next[] */
	u32 head;	/* first free reference or XENPV_GREF_END */
	u32 nr_free;
};

/*
 * Set up an empty list over next[0 .. capacity-1] (all references absent),
 * with no reference existing yet (limit = first).
 */
void xenpv_gref_init(struct xenpv_gref_list *l, u32 *next, u32 capacity,
		     u32 first);
/*
 * Make references [limit, new_limit) exist (new_limit is clamped to the
 * capacity).  Absent ones for which @busy(ref, arg) returns true (@busy may
 * be NULL) become used, the other absent ones free; ones still used since a
 * shrink stay used.  Returns the number of references freed.
 */
u32 xenpv_gref_grow(struct xenpv_gref_list *l, u32 new_limit,
		    bool (*busy)(u32 ref, void *arg), void *arg);
/* Pop one free reference (marked used) or XENPV_GREF_END. */
u32 xenpv_gref_get(struct xenpv_gref_list *l);
/* Detach @count free references as a private chain; -ENOSPC if short. */
int xenpv_gref_get_chain(struct xenpv_gref_list *l, u32 count, u32 *head);
/*
 * Return one used reference (one at or above the limit becomes absent).
 * -EINVAL (nothing changed) when @ref is out of range or not marked used
 * (double free, or a member of a chain).
 */
int xenpv_gref_put(struct xenpv_gref_list *l, u32 ref);
/*
 * Return a whole private chain (members at or above the limit become
 * absent).  -EINVAL (nothing changed) when the chain is malformed
 * (out-of-range member, a used or absent member, or a loop).
 */
int xenpv_gref_put_chain(struct xenpv_gref_list *l, u32 head);
/* Pop the first reference of a private chain (marked used), or END. */
u32 xenpv_gref_chain_claim(struct xenpv_gref_list *l, u32 *head);
/* Push a used reference back onto a private chain; -EINVAL if not used. */
int xenpv_gref_chain_release(struct xenpv_gref_list *l, u32 *head, u32 ref);
/*
 * Forget references at or above @new_limit (after a resume onto a host
 * with a smaller table): free ones leave the free chain and become absent,
 * used ones become absent when they come back.  Returns the free
 * references dropped.
 */
u32 xenpv_gref_shrink(struct xenpv_gref_list *l, u32 new_limit);

/* ---- emulated device unplug --------------------------------------------- */

/* Parsed emul_unplug= options (the mask bits are the Xen unplug bits). */
#define XENPV_UNPLUG_IDE_DISKS		0x1u	/* all IDE/SCSI disks */
#define XENPV_UNPLUG_NICS		0x2u	/* all emulated NICs */
#define XENPV_UNPLUG_AUX_IDE_DISKS	0x4u	/* all but the primary master */
#define XENPV_UNPLUG_ALL		0x7u
#define XENPV_UNPLUG_UNNECESSARY	0x10000u /* no emulated devices exist */
#define XENPV_UNPLUG_NEVER		0x20000u /* don't unplug, no PV devices */
#define XENPV_UNPLUG_MASK_BITS		0xffffu

/*
 * Parse a comma-separated option list (all, ide-disks, aux-ide-disks, nics,
 * unnecessary, never; blanks around tokens ignored).  On error returns
 * -EINVAL, copies the offending token (truncated, NUL-terminated) into
 * @bad and points *why at a short reason.
 */
int xenpv_unplug_parse(const char *str, unsigned int *flags, char *bad,
		       size_t badlen, const char **why);

/* What the unplug handshake at the I/O ports found. */
enum xenpv_unplug_status {
	XENPV_UNPLUG_DONE = 0,		/* handshake done, mask written */
	XENPV_UNPLUG_SKIPPED,		/* never / unnecessary: ports untouched */
	XENPV_UNPLUG_NO_PROTOCOL,	/* magic missing: no unplug support */
	XENPV_UNPLUG_BLACKLISTED,	/* host refuses this product/build */
};

struct xenpv_unplug_result {
	bool pv_disks;		/* a vbd frontend may bind */
	bool pv_nics;		/* a vif frontend may bind */
	bool emulated_disks;	/* emulated IDE disks may still be present */
};

void xenpv_unplug_outcome(unsigned int flags, enum xenpv_unplug_status st,
			  struct xenpv_unplug_result *res);

/*
 * The fate of one guest PCI function when the unplug mask @flags is
 * written.  The device model (qemu-xen, hw/i386/xen/xen_platform.c) takes
 * away whole PCI functions on its own bus: every SCSI-class storage
 * function with the disks bit (virtio-blk, virtio-scsi, LSI 53c895a,
 * mptsas, pvscsi; "aux" alone keeps them) and every Ethernet function with
 * the NICs bit.  IDE/SATA
 * controllers stay (only their drives go) and NVMe needs a bit we never
 * set.  It leaves passed-through functions alone, which the guest cannot
 * tell apart by class: a function is RELEASE only when its vendor/device
 * is one a device model emulates; a FOREIGN one may or may not be removed.
 */
enum xenpv_unplug_pci_fate {
	XENPV_UNPLUG_PCI_STAYS = 0,
	XENPV_UNPLUG_PCI_RELEASE,	/* emulated: the device model removes it */
	XENPV_UNPLUG_PCI_FOREIGN,	/* removed if emulated, kept if passed through */
};

/* @class is the 24-bit PCI class code (class << 16 | subclass << 8 | prog-if). */
enum xenpv_unplug_pci_fate xenpv_unplug_pci_fate(unsigned int flags, u32 class,
						 u16 vendor, u16 device);

/*
 * The device model detaches IDE drives but keeps the emulated IDE
 * controller (PIIX3/PIIX4) itself: with the disks bit every disk on such a
 * function goes, with "aux" alone every disk but the primary master.
 * True for the functions whose disks (some or all) the guest must let go
 * of first.
 */
bool xenpv_unplug_ide_detaches_disks(unsigned int flags, u32 class,
				     u16 vendor, u16 device);

/*
 * On such a function, does the disk at @port (0 primary, 1 secondary
 * channel), @devno (0 master, 1 slave) go?
 */
bool xenpv_unplug_ide_disk_goes(unsigned int flags, unsigned int port,
				unsigned int devno);

/* ---- PV clock ----------------------------------------------------------- */

/*
 * Xen's per-vCPU time record (vcpu_time_info) turned into nanoseconds of
 * Xen system time for a TSC reading @tsc: system_time plus the TSC ticks
 * since tsc_timestamp, shifted by @shift (negative: right) and multiplied
 * by @mul / 2^32.  A reading before the timestamp counts as no ticks, so a
 * record a little ahead of this CPU's TSC never moves time backwards.
 */
notrace u64 xenpv_pvclock_ns(u64 tsc, u64 tsc_timestamp, u64 system_time,
			     u32 mul, int shift);

#endif /* _XENPV_PLATFORM_PURE_H */
