#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Run host unit-test programs and merge their TAP output into one stream.
#
# Copyright (C) 2026 The xenpv authors
#
# Usage: run-tests.sh BUILD_DIR TEST_NAME...
#
# Every test line of every program ("ok"/"not ok", with an optional
# number) is renumbered and prefixed with the program's name; "#" lines
# pass through; a program's own plan and totals are dropped.  A program
# that is missing (it did not build), exits non-zero without reporting a
# failure, times out, or reports nothing counts as one failed test.  The
# last line is "N passed, N failed" (", N skipped" when some were), which
# is what CI reads; the exit status is non-zero when anything failed.

set -u

build=$1
shift
timeout_s=${UNIT_TIMEOUT:-60}
n=0
pass=0
fail=0
skip=0
out=$(mktemp)
trap 'rm -f "$out"' EXIT

echo "TAP version 13"

point() {
	# $1 ok|not ok, $2 description
	n=$((n + 1))
	echo "$1 $n - $2"
	if [ "$1" = ok ]; then
		case $2 in
		*'# SKIP'*|*'# skip'*) skip=$((skip + 1)) ;;
		*) pass=$((pass + 1)) ;;
		esac
	else
		case $2 in
		*'# TODO'*|*'# todo'*) pass=$((pass + 1)) ;;
		*) fail=$((fail + 1)) ;;
		esac
	fi
}

for t in "$@"; do
	bin=$build/$t
	echo "# $t"
	if [ ! -x "$bin" ]; then
		point "not ok" "$t: did not build"
		continue
	fi
	timeout "$timeout_s" "$bin" > "$out" 2>&1
	rc=$?
	points=0
	failed=0
	while IFS= read -r line; do
		case $line in
		"not ok"*)
			d=$(printf '%s\n' "$line" | sed -e 's/^not ok[[:space:]]*[0-9]*[[:space:]]*-\{0,1\}[[:space:]]*//')
			point "not ok" "$t: $d"
			points=$((points + 1))
			failed=1
			;;
		ok*)
			d=$(printf '%s\n' "$line" | sed -e 's/^ok[[:space:]]*[0-9]*[[:space:]]*-\{0,1\}[[:space:]]*//')
			point ok "$t: $d"
			points=$((points + 1))
			;;
		"#"*)
			echo "$line"
			;;
		"TAP version"*|1..*|*" passed, "*" failed"*)
			;;
		*)
			echo "# $line"
			;;
		esac
	done < "$out"
	if [ "$rc" = 124 ]; then
		point "not ok" "$t: timed out after ${timeout_s}s"
	elif [ "$rc" != 0 ] && [ "$failed" = 0 ]; then
		point "not ok" "$t: exited with status $rc"
	elif [ "$points" = 0 ]; then
		point "not ok" "$t: reported no results"
	fi
done

echo "1..$n"
if [ "$skip" != 0 ]; then
	echo "$pass passed, $fail failed, $skip skipped"
else
	echo "$pass passed, $fail failed"
fi
[ "$fail" = 0 ]
