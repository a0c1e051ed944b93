// SPDX-License-Identifier: GPL-2.0
/*
 * The Xen platform PCI device: BAR1 frames and the INTx event upcall.
 *
 * Copyright (C) 2026 The xenpv authors
 *
 * Probe order (protocol.md section 13): shared_info (latching the 64-bit
 * layout), event channels (every port masked), grant table frames, unplug
 * of emulated devices, then the interrupt handler and finally
 * HVM_PARAM_CALLBACK_IRQ, so events can only arrive once everything that
 * handles them exists.  Frontends and xenbus load after us (they need our
 * symbols), so unplug always precedes them.
 *
 * Event delivery: INTx (or its legacy GSI), which Xen raises for vCPU0's
 * events alone, is always set up; the line is pinned to CPU0.  The line may
 * be shared with other PCI functions, so the handler reports IRQ_NONE when
 * vCPU0 has nothing pending.  On top of it vcpu.c gives every vCPU (0..31)
 * its own upcall vector when Xen and the kernel allow it; Xen then prefers
 * the vector, INTx stays the fallback.  VCPUOP_register_vcpu_info is
 * one-shot with no way to undo it at unload, so vCPUs beyond 31 (no
 * vcpu_info in shared_info) get no events.
 */
#include <linux/interrupt.h>
#include <linux/kernel.h>
#include <linux/module.h>
#include <linux/pci.h>
#include <linux/pm.h>

#include "platform.h"

/*
 * 0x0002 is the same device under the ID XenServer gives it for Windows
 * guests; recent Linux binds both.
 */
#define XENPV_PCI_DEVICE_ID_XS61	0x0002

static const struct pci_device_id xenpv_pci_ids[] = {
	{ PCI_DEVICE(PCI_VENDOR_ID_XEN, PCI_DEVICE_ID_XEN_PLATFORM) },
	{ PCI_DEVICE(PCI_VENDOR_ID_XEN, XENPV_PCI_DEVICE_ID_XS61) },
	{ }
};
MODULE_DEVICE_TABLE(pci, xenpv_pci_ids);

static irqreturn_t xenpv_pci_interrupt(int irq, void *dev_id)
{
	return xenpv_evtchn_upcall() ? IRQ_HANDLED : IRQ_NONE;
}

static int xenpv_pci_setup_callback(struct pci_dev *pdev)
{
	struct xenpv_platform *p = &xenpv_plat;
	char desc[64];
	u64 via;
	int ret;

	if (!pdev->irq || !pdev->pin) {
		dev_err(&pdev->dev, "no INTx line routed: events cannot be delivered\n");
		return -ENODEV;
	}
	via = xenpv_callback_via(pdev->irq, pci_domain_nr(pdev->bus),
				 pdev->bus->number, pdev->devfn, pdev->pin);
	if (!via) {
		dev_err(&pdev->dev, "cannot encode a callback for IRQ %u pin %u\n",
			pdev->irq, pdev->pin);
		return -ENODEV;
	}

	/*
	 * A demultiplexer: it must run in hard interrupt context even with
	 * threadirqs, as the event channel IRQ flows it calls expect.
	 */
	ret = request_irq(pdev->irq, xenpv_pci_interrupt,
			  IRQF_SHARED | IRQF_NOBALANCING | IRQF_NO_THREAD,
			  "xenpv-platform", pdev);
	if (ret) {
		dev_err(&pdev->dev, "request_irq(%u) failed: %d\n", pdev->irq,
			ret);
		return ret;
	}
	xenpv_irq_pin_cpu0(pdev->irq);

	ret = xenpv_set_callback_via(via);
	if (ret) {
		xenpv_format_callback_via(via, desc, sizeof(desc));
		dev_err(&pdev->dev, "setting the event callback (%s) failed: %d\n",
			desc, ret);
		xenpv_irq_unpin(pdev->irq);
		free_irq(pdev->irq, pdev);
		return -EIO;
	}
	p->callback_via = via;
	p->irq_requested = true;
	return 0;
}

static void xenpv_pci_teardown_callback(struct pci_dev *pdev)
{
	struct xenpv_platform *p = &xenpv_plat;
	int ret;

	if (!p->irq_requested)
		return;
	/* No more upcalls from here on, then the handler can go. */
	ret = xenpv_set_callback_via(0);
	if (ret)
		dev_warn(&pdev->dev, "clearing the event callback failed: %d\n",
			 ret);
	p->callback_via = 0;
	xenpv_irq_unpin(pdev->irq);
	free_irq(pdev->irq, pdev);
	p->irq_requested = false;
}

int xenpv_pci_restore_callback(void)
{
	if (!xenpv_plat.callback_via)
		return 0;
	return xenpv_set_callback_via(xenpv_plat.callback_via);
}

static void xenpv_pci_log_ready(struct pci_dev *pdev)
{
	struct xenpv_platform *p = &xenpv_plat;
	struct xenpv_gnttab_stats gs;
	char via[64];

	xenpv_format_callback_via(p->callback_via, via, sizeof(via));
	xenpv_native_gnttab_get_stats(&gs);
	dev_info(&pdev->dev,
		 "shared_info at %#llx, event channels %s: %s, fallback %s (irq %u, CPU0), grant table v1 %u/%u frames\n",
		 p->shinfo_addr, xenpv_evtchn_abi_name(),
		 xenpv_vcpu_delivery(), via, pdev->irq, gs.nr_frames,
		 gs.max_frames);
}

static int xenpv_pci_probe(struct pci_dev *pdev, const struct pci_device_id *id)
{
	struct xenpv_platform *p = &xenpv_plat;
	resource_size_t mmio, mmio_len;
	int ret;

	if (!xenpv_is_native())
		return -ENODEV;
	if (p->pdev) {
		dev_warn(&pdev->dev, "a second Xen platform device is ignored\n");
		return -EBUSY;
	}

	ret = pci_enable_device(pdev);
	if (ret) {
		dev_err(&pdev->dev, "cannot enable the device: %d\n", ret);
		goto out_record;
	}
	ret = pci_request_regions(pdev, KBUILD_MODNAME);
	if (ret) {
		dev_err(&pdev->dev, "BARs are in use by someone else: %d\n", ret);
		goto out_disable;
	}

	mmio = pci_resource_start(pdev, 1);
	mmio_len = pci_resource_len(pdev, 1);
	if (!mmio || !mmio_len ||
	    !(pci_resource_flags(pdev, 1) & IORESOURCE_MEM)) {
		dev_err(&pdev->dev, "no MMIO BAR1 to place shared_info and grant frames in\n");
		ret = -ENODEV;
		goto out_release;
	}
	xenpv_bar_alloc_init(&p->bar, mmio, mmio_len, PAGE_SHIFT);
	p->pdev = pdev;

	ret = xenpv_shinfo_map();
	if (ret)
		goto out_clear;
	ret = xenpv_evtchn_init();
	if (ret)
		goto out_shinfo;
	ret = xenpv_gnttab_init();
	if (ret)
		goto out_evtchn;
	ret = xenpv_unplug_devices(false);
	if (ret)
		goto out_gnttab;
	ret = xenpv_pci_setup_callback(pdev);
	if (ret)
		goto out_gnttab;

	/* Neither is essential: INTx on vCPU0 and the kernel's clock remain. */
	if (xenpv_vcpu_init())
		dev_warn(&pdev->dev, "per-vCPU event vectors not set up: events on vCPU0 (INTx)\n");
	xenpv_clock_init();

	p->probed = true;
	p->probe_err = 0;
	xenpv_pci_log_ready(pdev);
	return 0;

out_gnttab:
	xenpv_gnttab_exit();
out_evtchn:
	xenpv_evtchn_exit();
out_shinfo:
	xenpv_shinfo_unmap();
out_clear:
	p->pdev = NULL;
out_release:
	pci_release_regions(pdev);
out_disable:
	pci_disable_device(pdev);
out_record:
	p->probe_err = ret;
	return ret;
}

static void xenpv_pci_remove(struct pci_dev *pdev)
{
	struct xenpv_platform *p = &xenpv_plat;
	bool keep_shinfo;

	if (p->pdev != pdev)
		return;
	/* A clocksource the kernel keeps needs shared_info: leak the mapping. */
	keep_shinfo = !xenpv_clock_exit();
	xenpv_vcpu_exit();
	xenpv_pci_teardown_callback(pdev);
	xenpv_gnttab_exit();
	xenpv_evtchn_exit();
	if (!keep_shinfo)
		xenpv_shinfo_unmap();
	p->probed = false;
	p->pdev = NULL;
	pci_release_regions(pdev);
	pci_disable_device(pdev);
}

/* ACPI S3 inside the same domain: Xen wants the callback set again. */
static int __maybe_unused xenpv_pci_pm_resume(struct device *dev)
{
	int ret = xenpv_pci_restore_callback();

	if (ret)
		dev_err(dev, "restoring the event callback failed: %d\n", ret);
	else if (xenpv_vcpu_resume())
		dev_warn(dev, "some per-vCPU event vectors could not be restored\n");
	return ret ? -EIO : 0;
}

static const struct dev_pm_ops xenpv_pci_pm_ops = {
	.resume = xenpv_pci_pm_resume,
};

static struct pci_driver xenpv_pci_driver = {
	.name = KBUILD_MODNAME,
	.id_table = xenpv_pci_ids,
	.probe = xenpv_pci_probe,
	.remove = xenpv_pci_remove,
	.driver = {
		.pm = &xenpv_pci_pm_ops,
		/*
		 * Everything Xen-related hangs off this device: unbinding it
		 * under running frontends would pull the platform from under
		 * them, so it is bound and unbound only with the module.
		 */
		.suppress_bind_attrs = true,
	},
};

int xenpv_pci_register(void)
{
	struct pci_dev *dev;
	int ret;

	xenpv_plat.probe_err = -ENODEV;
	/* Probe runs synchronously in here, outside the PCI rescan lock. */
	xenpv_plat.in_register = true;
	ret = pci_register_driver(&xenpv_pci_driver);
	xenpv_plat.in_register = false;
	if (ret)
		return ret;
	if (xenpv_plat.probed)
		return 0;

	ret = xenpv_plat.probe_err;
	pci_unregister_driver(&xenpv_pci_driver);

	dev = pci_get_device(PCI_VENDOR_ID_XEN, PCI_DEVICE_ID_XEN_PLATFORM,
			     NULL);
	if (!dev)
		dev = pci_get_device(PCI_VENDOR_ID_XEN,
				     XENPV_PCI_DEVICE_ID_XS61, NULL);
	if (!dev) {
		pr_err("no Xen platform PCI device (5853:0001): native mode needs it (is xen_platform_pci=0 set for this domain?)\n");
		return -ENODEV;
	}
	if (dev->dev.driver && ret == -ENODEV)
		pci_err(dev, "owned by driver %s, not by us\n",
			dev->dev.driver->name);
	pci_dev_put(dev);
	return ret ? ret : -ENODEV;
}

void xenpv_pci_unregister(void)
{
	pci_unregister_driver(&xenpv_pci_driver);
}
