// SPDX-License-Identifier: GPL-2.0
/*
 * 6.13 API change: symbol namespaces are string literals
 * (MODULE_IMPORT_NS("NS"), EXPORT_SYMBOL_NS_GPL(sym, "NS")); before, they
 * were bare identifiers.  This compiles only with the identifier form.
 */
#include <linux/module.h>

MODULE_IMPORT_NS(XENPV_PROBE_NS);
