/* SPDX-License-Identifier: GPL-2.0 */
/* Host stand-in for the kernel header <linux/kstrtox.h> (selftests/unit). */
#include "../../unit_shim.h"
