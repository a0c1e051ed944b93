# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=sh
#
# Summary statistics for the benchmark scripts (POSIX sh, busybox awk),
# sourced as "$here/../lib/stats.sh".
#
#   stats_columns FILE   one line for a file of whitespace-separated
#                        numbers, one run per line: "N MEAN1 SD1 MEAN2 SD2
#                        ..." for every column (SD: the sample standard
#                        deviation, 0 for a single run).
#
# Copyright (C) 2026 The xenpv authors

stats_columns() {
	awk '
	# busybox awk may lack sqrt(): Newton iteration.
	function root(x,  r, i) {
		if (x <= 0)
			return 0
		r = x < 1 ? 1 : x
		for (i = 0; i < 200; i++)
			r = (r + x / r) / 2
		return r
	}
	NF {
		n++
		if (NF > cols)
			cols = NF
		for (i = 1; i <= NF; i++) {
			s[i] += $i
			q[i] += $i * $i
		}
	}
	END {
		printf "%d", n
		for (i = 1; i <= cols; i++) {
			m = s[i] / n
			v = n > 1 ? (q[i] - n * m * m) / (n - 1) : 0
			printf " %.6f %.6f", m, root(v)
		}
		printf "\n"
	}' "$1"
}
