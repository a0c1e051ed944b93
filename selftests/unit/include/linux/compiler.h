/* SPDX-License-Identifier: GPL-2.0 */
/* Host stand-in for the kernel header <linux/compiler.h> (selftests/unit). */
#include "../../unit_shim.h"
