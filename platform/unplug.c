// SPDX-License-Identifier: GPL-2.0
/*
 * Unplugging emulated disks and NICs through the platform I/O ports.
 *
 * Copyright (C) 2026 The xenpv authors
 *
 * Protocol (Xen docs/misc/hvm-emulated-unplug.pandoc): read the magic at
 * 0x10; with protocol version >= 1 at 0x12, write our product number to
 * 0x12 and build number to 0x10, then read 0x10 again: anything but the
 * magic (0xd249 in practice) means the host blacklists this product/build
 * and PV drivers must not be used.  Finally write the unplug mask to 0x10.
 * The ports are fixed ISA addresses served by the platform device's
 * emulator (not part of its BAR0).  This runs at probe, before any
 * frontend can load, and again after every resume in a new domain, since
 * the device model there starts with the emulated devices plugged (qemu
 * keeps the disk image busy otherwise).
 */
#include <linux/io.h>
#include <linux/kernel.h>
#include <linux/libata.h>
#include <linux/pci.h>
#include <scsi/scsi_device.h>
#include <scsi/scsi_host.h>
#include <xen/platform_pci.h>

#include "platform.h"

/*
 * Build number sent with product 0x0003 (Linux): ours, distinct from the
 * in-kernel drivers' 1, so a host can blacklist either.  Decimal 2020605953,
 * i.e. xenstore /mh/driver-blacklist/linux/2020605953 (hex 0x78700001).
 */
#define XENPV_UNPLUG_BUILD	0x78700001u

/*
 * The device model removes whole emulated PCI functions with the mask (a
 * virtio-blk boot disk goes with the disks bit, an emulated NIC with the
 * NICs bit; xenpv_unplug_pci_fate()).  A driver still bound to one would
 * then talk to a function that is gone: a virtio disk's reset at power-off
 * polls its status register forever.  So the guest lets go of them first,
 * as for a hot-unplug, while they still answer.  In-tree Linux never meets
 * this because it unplugs at early boot, before any driver binds; we load
 * later.  Only at probe from pci_register_driver() (a probe from a PCI
 * rescan holds the rescan lock we would need), and not at resume (the
 * guest never saw the new device model's functions).  Lock order: our
 * device's lock (probe), then the rescan lock; removing the platform
 * device itself while it is being probed would take them the other way
 * round, which nothing does during a modprobe.
 */
static void xenpv_unplug_release_pci(unsigned int flags)
{
	struct xenpv_platform *p = &xenpv_plat;
	struct pci_dev *found[8], *pdev = NULL;
	unsigned int i, n = 0;

	for_each_pci_dev(pdev) {
		/* qemu-xen walks the platform device's own bus, not behind bridges. */
		if (pdev == p->pdev || pdev->bus != p->pdev->bus)
			continue;
		switch (xenpv_unplug_pci_fate(flags, pdev->class, pdev->vendor,
					      pdev->device)) {
		case XENPV_UNPLUG_PCI_STAYS:
			continue;
		case XENPV_UNPLUG_PCI_FOREIGN:
			if (pdev->dev.driver)
				pci_warn(pdev, "class %06x, driver %s: the device model removes this function at the unplug if it is emulated (kept if passed through); unbind it first, or load xenpv_platform with emul_unplug= set to spare it\n",
					 pdev->class,
					 dev_driver_string(&pdev->dev));
			continue;
		case XENPV_UNPLUG_PCI_RELEASE:
			break;
		}
		if (!p->in_register) {
			/* A rescan or an asynchronous probe: not ours to remove. */
			pci_warn(pdev, "emulated function the unplug removes, still in the guest (platform probed outside its module load): unbind it first\n");
			continue;
		}
		if (n == ARRAY_SIZE(found)) {
			pci_warn(pdev, "emulated function the unplug removes: too many, left in the guest\n");
			continue;
		}
		found[n++] = pci_dev_get(pdev);
	}
	for (i = 0; i < n; i++) {
		pci_info(found[i], "emulated %04x:%04x (class %06x, driver %s) leaves the guest before the unplug removes it from the device model\n",
			 found[i]->vendor, found[i]->device, found[i]->class,
			 dev_driver_string(&found[i]->dev));
		pci_stop_and_remove_bus_device_locked(found[i]);
		pci_dev_put(found[i]);
		p->unplug_released++;
	}
}

/*
 * IDE: the device model detaches the drives but keeps the controller, so
 * a disk the guest already drives (ata_piix and sd loaded first) would
 * stay as a block device over a drive that is gone.  Its sd binding is
 * released first, while the drive still answers (sd flushes its cache and
 * deletes the disk); the controller and any CD-ROM stay.  With "aux"
 * alone the primary master stays too, so each disk's place is looked up.
 */
struct xenpv_unplug_sd {
	unsigned int flags;
	struct device *found[8];
	unsigned int n;
};

/*
 * Where a disk sd drives sits on a libata controller: the ATA port (the
 * channel) of its SCSI host and its device number (libata's SCSI id; SCSI
 * channel 0 unless behind a port multiplier, which PATA has not).  sd
 * binds SCSI devices only, and libata's SCSI hosts hang below their port's
 * device "ataN".  False when the disk is not on a libata port.
 */
static bool xenpv_unplug_ide_place(struct device *dev, unsigned int *port,
				   unsigned int *devno)
{
	struct scsi_device *sdev = to_scsi_device(dev);
	struct Scsi_Host *shost = sdev->host;
	struct device *parent = shost->shost_gendev.parent;
	struct ata_port *ap;

	if (!parent || strncmp(dev_name(parent), "ata", 3) || sdev->channel)
		return false;
	/* Only a libata host's private data leads back to that parent. */
	ap = ata_shost_to_port(shost);
	if (!ap || &ap->tdev != parent)
		return false;
	*port = ap->port_no;
	*devno = sdev->id;
	return true;
}

static int xenpv_unplug_find_sd(struct device *dev, void *data)
{
	struct xenpv_unplug_sd *sd = data;
	struct device_driver *drv = READ_ONCE(dev->driver);
	unsigned int port, devno;

	if (!drv || strcmp(drv->name, "sd"))
		return device_for_each_child(dev, data, xenpv_unplug_find_sd);
	if (!(sd->flags & XENPV_UNPLUG_IDE_DISKS)) {
		/* "aux" alone: only disks whose place is known and not 0/0. */
		if (!xenpv_unplug_ide_place(dev, &port, &devno)) {
			dev_warn(dev, "emulated IDE disk at an unknown place: kept; the unplug may detach it (emul_unplug=aux-ide-disks keeps the primary master only)\n");
			return 0;
		}
		if (!xenpv_unplug_ide_disk_goes(sd->flags, port, devno))
			return 0;
	}
	if (sd->n < ARRAY_SIZE(sd->found))
		sd->found[sd->n++] = get_device(dev);
	return 0;
}

static void xenpv_unplug_release_ide_disks(unsigned int flags)
{
	struct xenpv_platform *p = &xenpv_plat;
	struct pci_dev *pdev = NULL;
	struct xenpv_unplug_sd sd = { .flags = flags, .n = 0 };
	unsigned int i;

	for_each_pci_dev(pdev) {
		if (pdev->bus != p->pdev->bus ||
		    !xenpv_unplug_ide_detaches_disks(flags, pdev->class,
						     pdev->vendor,
						     pdev->device))
			continue;
		if (!p->in_register) {
			pci_warn(pdev, "emulated IDE disks the unplug detaches may still be in use (platform probed outside its module load)\n");
			continue;
		}
		device_for_each_child(&pdev->dev, &sd, xenpv_unplug_find_sd);
	}
	for (i = 0; i < sd.n; i++) {
		dev_info(sd.found[i], "emulated IDE disk leaves the guest before the unplug detaches it\n");
		device_release_driver(sd.found[i]);
		put_device(sd.found[i]);
		p->unplug_released++;
	}
}

/* What the handshake gives; the blacklist/magic handling is pure logic. */
static enum xenpv_unplug_status xenpv_unplug_handshake(unsigned int flags,
							unsigned int *proto,
							bool resume)
{
	*proto = 0;
	if (flags & (XENPV_UNPLUG_NEVER | XENPV_UNPLUG_UNNECESSARY))
		return XENPV_UNPLUG_SKIPPED;
	if (inw(XEN_IOPORT_MAGIC) != XEN_IOPORT_MAGIC_VAL)
		return XENPV_UNPLUG_NO_PROTOCOL;

	*proto = inb(XEN_IOPORT_PROTOVER);
	if (*proto >= 1) {
		outw(XEN_IOPORT_LINUX_PRODNUM, XEN_IOPORT_PRODNUM);
		outl(XENPV_UNPLUG_BUILD, XEN_IOPORT_DRVVER);
		if (inw(XEN_IOPORT_MAGIC) != XEN_IOPORT_MAGIC_VAL)
			return XENPV_UNPLUG_BLACKLISTED;
	}
	if (!resume) {
		xenpv_unplug_release_ide_disks(flags);
		xenpv_unplug_release_pci(flags);
	}
	outw(flags & XENPV_UNPLUG_MASK_BITS, XEN_IOPORT_UNPLUG);
	return XENPV_UNPLUG_DONE;
}

const char *xenpv_unplug_status_name(enum xenpv_unplug_status st)
{
	switch (st) {
	case XENPV_UNPLUG_DONE:
		return "unplugged";
	case XENPV_UNPLUG_SKIPPED:
		return "skipped";
	case XENPV_UNPLUG_NO_PROTOCOL:
		return "no unplug protocol";
	case XENPV_UNPLUG_BLACKLISTED:
		return "blacklisted by the host";
	}
	return "?";
}

static void xenpv_unplug_log(void)
{
	struct xenpv_platform *p = &xenpv_plat;
	struct device *dev = &p->pdev->dev;
	unsigned int f = p->unplug_flags;

	switch (p->unplug_status) {
	case XENPV_UNPLUG_DONE:
		dev_info(dev, "emulated devices unplugged:%s%s%s (protocol v%u)\n",
			 f & XENPV_UNPLUG_IDE_DISKS ? " ide-disks" : "",
			 f & XENPV_UNPLUG_AUX_IDE_DISKS ? " aux-ide-disks" : "",
			 f & XENPV_UNPLUG_NICS ? " nics" : "",
			 p->unplug_protocol);
		break;
	case XENPV_UNPLUG_SKIPPED:
		dev_info(dev, "emul_unplug=%s: emulated devices left alone, PV disks and NICs %s\n",
			 f & XENPV_UNPLUG_NEVER ? "never" : "unnecessary",
			 p->unplug.pv_disks ? "enabled" : "disabled");
		break;
	case XENPV_UNPLUG_NO_PROTOCOL:
		dev_warn(dev, "no emulated-device unplug protocol (magic missing): PV disks and NICs disabled (use emul_unplug=unnecessary if there are no emulated devices)\n");
		break;
	case XENPV_UNPLUG_BLACKLISTED:
		dev_err(dev, "the host blacklists this driver (product linux, build %u): refusing to use PV devices\n",
			XENPV_UNPLUG_BUILD);
		break;
	}
}

/*
 * At probe: set the outcome the frontends query and refuse a blacklisted
 * product.  At resume (stop_machine context: no logging, no failure): redo
 * the handshake only; the frontends' view stays the one they bound with.
 */
int xenpv_unplug_devices(bool resume)
{
	struct xenpv_platform *p = &xenpv_plat;
	enum xenpv_unplug_status st;
	unsigned int proto;

	BUILD_BUG_ON(XENPV_UNPLUG_IDE_DISKS != XEN_UNPLUG_ALL_IDE_DISKS);
	BUILD_BUG_ON(XENPV_UNPLUG_NICS != XEN_UNPLUG_ALL_NICS);
	BUILD_BUG_ON(XENPV_UNPLUG_AUX_IDE_DISKS != XEN_UNPLUG_AUX_IDE_DISKS);

	st = xenpv_unplug_handshake(p->unplug_flags, &proto, resume);
	p->unplug_status = st;
	p->unplug_protocol = proto;
	if (resume)
		return st == XENPV_UNPLUG_BLACKLISTED ? -EPERM : 0;

	xenpv_unplug_outcome(p->unplug_flags, st, &p->unplug);
	xenpv_unplug_log();
	return st == XENPV_UNPLUG_BLACKLISTED ? -EPERM : 0;
}
