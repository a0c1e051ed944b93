/* SPDX-License-Identifier: GPL-2.0 */
/* Host stand-in for the kernel header <linux/build_bug.h> (selftests/unit). */
#include "../../unit_shim.h"
