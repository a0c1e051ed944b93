// SPDX-License-Identifier: GPL-2.0
/*
 * Host unit tests for the emul_unplug= parser and the unplug outcome
 * (platform/unplug_parse.c).
 *
 * Copyright (C) 2026 The xenpv authors
 *
 * Build and run on the build host (one translation unit: the file under
 * test is included below, no kernel headers needed):
 *
 *   cc -Wall -Wextra -O2 -o platform_unplug_parse_test \
 *      selftests/unit/platform_unplug_parse_test.c
 *   ./platform_unplug_parse_test
 *
 * Output is TAP; the exit status is 0 when every check passed.
 */
#define XENPV_HOST_TEST 1

#include <stdio.h>
#include <stdlib.h>

#include "../../platform/unplug_parse.c"

#include "unit.h"

static int parse(const char *s, unsigned int *flags, char *bad,
		 const char **why)
{
	*flags = 0xdeadbeef;
	*why = NULL;
	return xenpv_unplug_parse(s, flags, bad, 32, why);
}

static void test_single(void)
{
	unsigned int f;
	char bad[32];
	const char *why;

	CHECK(parse("all", &f, bad, &why) == 0 && f == XENPV_UNPLUG_ALL);
	CHECK(parse("ide-disks", &f, bad, &why) == 0 &&
	      f == XENPV_UNPLUG_IDE_DISKS);
	CHECK(parse("aux-ide-disks", &f, bad, &why) == 0 &&
	      f == XENPV_UNPLUG_AUX_IDE_DISKS);
	CHECK(parse("nics", &f, bad, &why) == 0 && f == XENPV_UNPLUG_NICS);
	CHECK(parse("never", &f, bad, &why) == 0 && f == XENPV_UNPLUG_NEVER);
	CHECK(parse("unnecessary", &f, bad, &why) == 0 &&
	      f == XENPV_UNPLUG_UNNECESSARY);
	/* the Xen unplug mask bits are the documented ones */
	CHECK(XENPV_UNPLUG_IDE_DISKS == 1 && XENPV_UNPLUG_NICS == 2 &&
	      XENPV_UNPLUG_AUX_IDE_DISKS == 4);
}

/* The unmodified_drivers bug: the third and later options were lost. */
static void test_many(void)
{
	unsigned int f;
	char bad[32];
	const char *why;

	CHECK(parse("ide-disks,nics", &f, bad, &why) == 0 &&
	      f == (XENPV_UNPLUG_IDE_DISKS | XENPV_UNPLUG_NICS));
	CHECK(parse("ide-disks,aux-ide-disks,nics", &f, bad, &why) == 0 &&
	      f == XENPV_UNPLUG_ALL);
	CHECK(parse("nics,aux-ide-disks,ide-disks", &f, bad, &why) == 0 &&
	      f == XENPV_UNPLUG_ALL);
	CHECK(parse("nics,nics,nics,ide-disks", &f, bad, &why) == 0 &&
	      f == (XENPV_UNPLUG_IDE_DISKS | XENPV_UNPLUG_NICS));
	CHECK(parse("all,nics,ide-disks,aux-ide-disks", &f, bad, &why) == 0 &&
	      f == XENPV_UNPLUG_ALL);
	/* an error in the fourth token is still found */
	CHECK(parse("nics,ide-disks,aux-ide-disks,floppy", &f, bad, &why) ==
	      -EINVAL && !strcmp(bad, "floppy"));
}

static void test_blanks(void)
{
	unsigned int f;
	char bad[32];
	const char *why;

	CHECK(parse(" nics ", &f, bad, &why) == 0 && f == XENPV_UNPLUG_NICS);
	CHECK(parse("nics , ide-disks", &f, bad, &why) == 0 &&
	      f == (XENPV_UNPLUG_IDE_DISKS | XENPV_UNPLUG_NICS));
	CHECK(parse("\tide-disks,\n aux-ide-disks ,nics\n", &f, bad, &why) ==
	      0 && f == XENPV_UNPLUG_ALL);
	/* blanks inside a token are not ignored */
	CHECK(parse("ide- disks", &f, bad, &why) == -EINVAL &&
	      !strcmp(bad, "ide- disks"));
}

static void test_errors(void)
{
	unsigned int f;
	char bad[32];
	const char *why;

	CHECK(parse("disks", &f, bad, &why) == -EINVAL &&
	      !strcmp(bad, "disks") && !strcmp(why, "unknown option"));
	CHECK(f == 0xdeadbeef);	/* untouched on error */
	CHECK(parse("nics,bogus,ide-disks", &f, bad, &why) == -EINVAL &&
	      !strcmp(bad, "bogus"));
	CHECK(parse("NICS", &f, bad, &why) == -EINVAL && !strcmp(bad, "NICS"));
	CHECK(parse("", &f, bad, &why) == -EINVAL &&
	      !strcmp(why, "empty option"));
	CHECK(parse("   ", &f, bad, &why) == -EINVAL &&
	      !strcmp(why, "empty option"));
	CHECK(parse("nics,", &f, bad, &why) == -EINVAL &&
	      !strcmp(why, "empty option"));
	CHECK(parse(",nics", &f, bad, &why) == -EINVAL &&
	      !strcmp(why, "empty option"));
	CHECK(parse("nics,,ide-disks", &f, bad, &why) == -EINVAL &&
	      !strcmp(why, "empty option"));
	CHECK(xenpv_unplug_parse(NULL, &f, bad, sizeof(bad), &why) == -EINVAL);
	/* a long token is truncated into the buffer, still terminated */
	CHECK(parse("abcdefghijklmnopqrstuvwxyz0123456789", &f, bad, &why) ==
	      -EINVAL && strlen(bad) == 31 && !strncmp(bad, "abcdef", 6));
	/* a zero-sized buffer is not written */
	CHECK(xenpv_unplug_parse("x", &f, NULL, 0, &why) == -EINVAL);
}

static void test_exclusive(void)
{
	unsigned int f;
	char bad[32];
	const char *why;

	CHECK(parse("never,nics", &f, bad, &why) == -EINVAL &&
	      !strcmp(bad, "never") &&
	      !strcmp(why, "cannot be combined with other options"));
	CHECK(parse("ide-disks,unnecessary", &f, bad, &why) == -EINVAL &&
	      !strcmp(bad, "unnecessary"));
	CHECK(parse("never,unnecessary", &f, bad, &why) == -EINVAL);
	CHECK(parse("never,never", &f, bad, &why) == 0 &&
	      f == XENPV_UNPLUG_NEVER);
}

static void test_outcome(void)
{
	struct xenpv_unplug_result r;

	xenpv_unplug_outcome(XENPV_UNPLUG_ALL, XENPV_UNPLUG_DONE, &r);
	CHECK(r.pv_disks && r.pv_nics && !r.emulated_disks);

	xenpv_unplug_outcome(XENPV_UNPLUG_NICS, XENPV_UNPLUG_DONE, &r);
	CHECK(!r.pv_disks && r.pv_nics && r.emulated_disks);

	xenpv_unplug_outcome(XENPV_UNPLUG_IDE_DISKS, XENPV_UNPLUG_DONE, &r);
	CHECK(r.pv_disks && !r.pv_nics && !r.emulated_disks);

	/* the primary master stays emulated */
	xenpv_unplug_outcome(XENPV_UNPLUG_AUX_IDE_DISKS, XENPV_UNPLUG_DONE, &r);
	CHECK(r.pv_disks && !r.pv_nics && r.emulated_disks);

	xenpv_unplug_outcome(XENPV_UNPLUG_NEVER, XENPV_UNPLUG_SKIPPED, &r);
	CHECK(!r.pv_disks && !r.pv_nics && r.emulated_disks);

	xenpv_unplug_outcome(XENPV_UNPLUG_UNNECESSARY, XENPV_UNPLUG_SKIPPED,
			     &r);
	CHECK(r.pv_disks && r.pv_nics && !r.emulated_disks);

	xenpv_unplug_outcome(XENPV_UNPLUG_ALL, XENPV_UNPLUG_NO_PROTOCOL, &r);
	CHECK(!r.pv_disks && !r.pv_nics && r.emulated_disks);

	xenpv_unplug_outcome(XENPV_UNPLUG_ALL, XENPV_UNPLUG_BLACKLISTED, &r);
	CHECK(!r.pv_disks && !r.pv_nics && r.emulated_disks);
}

/* Which guest PCI functions the device model takes away with the mask. */
static void test_pci_fate(void)
{
	static const struct {
		unsigned int flags;
		u32 class;
		u16 vendor, device;
		enum xenpv_unplug_pci_fate want;
	} t[] = {
		/* virtio-blk-pci is SCSI-class storage: goes with the disks bit */
		{ XENPV_UNPLUG_ALL, 0x010000, 0x1af4, 0x1001, XENPV_UNPLUG_PCI_RELEASE },
		{ XENPV_UNPLUG_IDE_DISKS, 0x010000, 0x1af4, 0x1042, XENPV_UNPLUG_PCI_RELEASE },
		/* "aux" alone, NICs alone, never, unnecessary: it stays */
		{ XENPV_UNPLUG_AUX_IDE_DISKS, 0x010000, 0x1af4, 0x1001, XENPV_UNPLUG_PCI_STAYS },
		{ XENPV_UNPLUG_NICS, 0x010000, 0x1af4, 0x1001, XENPV_UNPLUG_PCI_STAYS },
		{ XENPV_UNPLUG_NEVER, 0x010000, 0x1af4, 0x1001, XENPV_UNPLUG_PCI_STAYS },
		{ XENPV_UNPLUG_UNNECESSARY, 0x020000, 0x8086, 0x100e, XENPV_UNPLUG_PCI_STAYS },
		/* IDE and SATA controllers stay (only their drives go); NVMe stays */
		{ XENPV_UNPLUG_ALL, 0x010180, 0x8086, 0x7010, XENPV_UNPLUG_PCI_STAYS },
		{ XENPV_UNPLUG_ALL, 0x010601, 0x8086, 0x2922, XENPV_UNPLUG_PCI_STAYS },
		{ XENPV_UNPLUG_ALL, 0x010802, 0x1b36, 0x0010, XENPV_UNPLUG_PCI_STAYS },
		/* emulated NICs go with the NICs bit, not with the disks bit */
		{ XENPV_UNPLUG_ALL, 0x020000, 0x8086, 0x100e, XENPV_UNPLUG_PCI_RELEASE },
		{ XENPV_UNPLUG_NICS, 0x020000, 0x10ec, 0x8139, XENPV_UNPLUG_PCI_RELEASE },
		{ XENPV_UNPLUG_IDE_DISKS, 0x020000, 0x10ec, 0x8139, XENPV_UNPLUG_PCI_STAYS },
		/* a real NIC or HBA may be passed through: never released by us */
		{ XENPV_UNPLUG_ALL, 0x020000, 0x8086, 0x1521, XENPV_UNPLUG_PCI_FOREIGN },
		{ XENPV_UNPLUG_ALL, 0x010700, 0x1000, 0x0097, XENPV_UNPLUG_PCI_STAYS }, /* SAS */
		{ XENPV_UNPLUG_ALL, 0x010000, 0x1000, 0x0012, XENPV_UNPLUG_PCI_FOREIGN },
		/* the platform device itself and display functions stay */
		{ XENPV_UNPLUG_ALL, 0xff8000, 0x5853, 0x0001, XENPV_UNPLUG_PCI_STAYS },
		{ XENPV_UNPLUG_ALL, 0x030000, 0x1234, 0x1111, XENPV_UNPLUG_PCI_STAYS },
	};
	unsigned int i;

	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++)
		CHECK(xenpv_unplug_pci_fate(t[i].flags, t[i].class, t[i].vendor,
					    t[i].device) == t[i].want);
}

static void test_ide_disks(void)
{
	/* PIIX3/PIIX4 IDE: disks go with the disks bit, or aux alone */
	CHECK(xenpv_unplug_ide_detaches_disks(XENPV_UNPLUG_ALL, 0x010180, 0x8086, 0x7010));
	CHECK(xenpv_unplug_ide_detaches_disks(XENPV_UNPLUG_IDE_DISKS, 0x01018a, 0x8086, 0x7111));
	CHECK(xenpv_unplug_ide_detaches_disks(XENPV_UNPLUG_AUX_IDE_DISKS, 0x010180, 0x8086, 0x7010));
	CHECK(!xenpv_unplug_ide_detaches_disks(XENPV_UNPLUG_NICS, 0x010180, 0x8086, 0x7010));
	CHECK(!xenpv_unplug_ide_detaches_disks(XENPV_UNPLUG_NEVER, 0x010180, 0x8086, 0x7010));
	CHECK(!xenpv_unplug_ide_detaches_disks(XENPV_UNPLUG_ALL | XENPV_UNPLUG_UNNECESSARY,
					       0x010180, 0x8086, 0x7010));
	/* other IDE controllers (passed through, or not QEMU's), other classes */
	CHECK(!xenpv_unplug_ide_detaches_disks(XENPV_UNPLUG_ALL, 0x010180, 0x8086, 0x7112));
	CHECK(!xenpv_unplug_ide_detaches_disks(XENPV_UNPLUG_ALL, 0x010180, 0x1106, 0x0571));
	CHECK(!xenpv_unplug_ide_detaches_disks(XENPV_UNPLUG_ALL, 0x010601, 0x8086, 0x7010));

	/* which disk: all with the disks bit, all but primary master with aux */
	CHECK(xenpv_unplug_ide_disk_goes(XENPV_UNPLUG_IDE_DISKS, 0, 0));
	CHECK(xenpv_unplug_ide_disk_goes(XENPV_UNPLUG_ALL, 1, 1));
	CHECK(xenpv_unplug_ide_disk_goes(XENPV_UNPLUG_IDE_DISKS | XENPV_UNPLUG_AUX_IDE_DISKS, 0, 0));
	CHECK(!xenpv_unplug_ide_disk_goes(XENPV_UNPLUG_AUX_IDE_DISKS, 0, 0));
	CHECK(xenpv_unplug_ide_disk_goes(XENPV_UNPLUG_AUX_IDE_DISKS, 0, 1));
	CHECK(xenpv_unplug_ide_disk_goes(XENPV_UNPLUG_AUX_IDE_DISKS, 1, 0));
	CHECK(xenpv_unplug_ide_disk_goes(XENPV_UNPLUG_AUX_IDE_DISKS, 1, 1));
	CHECK(!xenpv_unplug_ide_disk_goes(XENPV_UNPLUG_NICS, 1, 0));
	CHECK(!xenpv_unplug_ide_disk_goes(XENPV_UNPLUG_NEVER | XENPV_UNPLUG_IDE_DISKS, 1, 0));
	CHECK(!xenpv_unplug_ide_disk_goes(XENPV_UNPLUG_UNNECESSARY | XENPV_UNPLUG_AUX_IDE_DISKS, 1, 0));
}

int main(void)
{
	test_pci_fate();
	test_ide_disks();
	test_single();
	test_many();
	test_blanks();
	test_errors();
	test_exclusive();
	test_outcome();
	return unit_done();
}
