// SPDX-License-Identifier: GPL-2.0
/*
 * emul_unplug= option parsing and unplug outcome (pure, see pure.h).
 *
 * Copyright (C) 2026 The xenpv authors
 */
#include "pure.h"

static const struct {
	const char *name;
	unsigned int flags;
} unplug_opts[] = {
	{ "all",		XENPV_UNPLUG_ALL },
	{ "ide-disks",		XENPV_UNPLUG_IDE_DISKS },
	{ "aux-ide-disks",	XENPV_UNPLUG_AUX_IDE_DISKS },
	{ "nics",		XENPV_UNPLUG_NICS },
	{ "unnecessary",	XENPV_UNPLUG_UNNECESSARY },
	{ "never",		XENPV_UNPLUG_NEVER },
};

static void unplug_copy_token(char *bad, size_t badlen, const char *tok,
			      size_t len)
{
	if (!bad || !badlen)
		return;
	if (len >= badlen)
		len = badlen - 1;
	memcpy(bad, tok, len);
	bad[len] = '\0';
}

static bool unplug_blank(char c)
{
	return isspace((unsigned char)c);
}

int xenpv_unplug_parse(const char *str, unsigned int *flags, char *bad,
		       size_t badlen, const char **why)
{
	const char *p = str, *comma, *tok, *end;
	unsigned int f = 0, exclusive;
	size_t len, i;

	unplug_copy_token(bad, badlen, "", 0);
	if (!str) {
		*why = "empty option";
		return -EINVAL;
	}

	for (;;) {
		/* Each token runs from p to the next comma (or the end). */
		comma = strchr(p, ',');
		end = comma ? comma : p + strlen(p);
		tok = p;
		while (tok < end && unplug_blank(*tok))
			tok++;
		while (end > tok && unplug_blank(end[-1]))
			end--;
		len = (size_t)(end - tok);
		if (!len) {
			*why = "empty option";
			return -EINVAL;
		}

		for (i = 0; i < sizeof(unplug_opts) / sizeof(unplug_opts[0]);
		     i++) {
			if (strlen(unplug_opts[i].name) == len &&
			    !memcmp(unplug_opts[i].name, tok, len))
				break;
		}
		if (i == sizeof(unplug_opts) / sizeof(unplug_opts[0])) {
			unplug_copy_token(bad, badlen, tok, len);
			*why = "unknown option";
			return -EINVAL;
		}
		f |= unplug_opts[i].flags;

		if (!comma)
			break;
		p = comma + 1;
	}

	/* "never" and "unnecessary" say something about every device class. */
	exclusive = f & (XENPV_UNPLUG_NEVER | XENPV_UNPLUG_UNNECESSARY);
	if (exclusive && f != exclusive) {
		unplug_copy_token(bad, badlen, "never", 5);
		if (!(f & XENPV_UNPLUG_NEVER))
			unplug_copy_token(bad, badlen, "unnecessary", 11);
		*why = "cannot be combined with other options";
		return -EINVAL;
	}
	if (exclusive == (XENPV_UNPLUG_NEVER | XENPV_UNPLUG_UNNECESSARY)) {
		unplug_copy_token(bad, badlen, "never", 5);
		*why = "cannot be combined with other options";
		return -EINVAL;
	}

	*flags = f;
	return 0;
}

void xenpv_unplug_outcome(unsigned int flags, enum xenpv_unplug_status st,
			  struct xenpv_unplug_result *res)
{
	if (flags & XENPV_UNPLUG_UNNECESSARY) {
		/* The administrator says no emulated devices exist. */
		res->pv_disks = true;
		res->pv_nics = true;
		res->emulated_disks = false;
		return;
	}

	if ((flags & XENPV_UNPLUG_NEVER) || st != XENPV_UNPLUG_DONE) {
		/*
		 * Emulated devices stay: using PV devices too would show the same
		 * disk twice (and let two drivers write it).
		 */
		res->pv_disks = false;
		res->pv_nics = false;
		res->emulated_disks = true;
		return;
	}

	res->pv_disks = flags & (XENPV_UNPLUG_IDE_DISKS |
				 XENPV_UNPLUG_AUX_IDE_DISKS);
	res->pv_nics = flags & XENPV_UNPLUG_NICS;
	/* aux-ide-disks alone keeps the primary master emulated. */
	res->emulated_disks = !(flags & XENPV_UNPLUG_IDE_DISKS);
}

/* Vendors and functions only device models emulate (never passed through). */
static bool unplug_pci_emulated(u16 vendor, u16 device)
{
	switch (vendor) {
	case 0x1af4:	/* virtio (legacy and modern) */
	case 0x1b36:	/* QEMU's own devices */
		return true;
	case 0x8086:
		return device == 0x100e;	/* e1000 (82540EM) */
	case 0x10ec:
		return device == 0x8139 || device == 0x8029; /* rtl8139, ne2k */
	case 0x1022:
		return device == 0x2000;	/* pcnet */
	}
	return false;
}

enum xenpv_unplug_pci_fate xenpv_unplug_pci_fate(unsigned int flags, u32 class,
						 u16 vendor, u16 device)
{
	unsigned int base_sub = class >> 8;
	bool goes = false;

	if (flags & (XENPV_UNPLUG_NEVER | XENPV_UNPLUG_UNNECESSARY))
		return XENPV_UNPLUG_PCI_STAYS;
	if (base_sub == 0x0100 && (flags & XENPV_UNPLUG_IDE_DISKS))
		goes = true;	/* SCSI-class storage, "aux" alone keeps it */
	if (base_sub == 0x0200 && (flags & XENPV_UNPLUG_NICS))
		goes = true;	/* Ethernet */
	if (!goes)
		return XENPV_UNPLUG_PCI_STAYS;
	return unplug_pci_emulated(vendor, device) ? XENPV_UNPLUG_PCI_RELEASE :
						     XENPV_UNPLUG_PCI_FOREIGN;
}

bool xenpv_unplug_ide_detaches_disks(unsigned int flags, u32 class,
				     u16 vendor, u16 device)
{
	if (flags & (XENPV_UNPLUG_NEVER | XENPV_UNPLUG_UNNECESSARY))
		return false;
	if (!(flags & (XENPV_UNPLUG_IDE_DISKS | XENPV_UNPLUG_AUX_IDE_DISKS)) ||
	    (class >> 8) != 0x0101)
		return false;
	/* PIIX3 and PIIX4 IDE: what QEMU's PC machines emulate. */
	return vendor == 0x8086 && (device == 0x7010 || device == 0x7111);
}

bool xenpv_unplug_ide_disk_goes(unsigned int flags, unsigned int port,
				unsigned int devno)
{
	if (flags & (XENPV_UNPLUG_NEVER | XENPV_UNPLUG_UNNECESSARY))
		return false;
	if (flags & XENPV_UNPLUG_IDE_DISKS)
		return true;
	/* QEMU keeps IDE index 0 (primary master) for "aux" alone. */
	return (flags & XENPV_UNPLUG_AUX_IDE_DISKS) && (port != 0 || devno != 0);
}
