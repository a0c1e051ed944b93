#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Summarise a `make lint` build log: count compiler, sparse and modpost
# warnings and errors, attribute them to module directories, and write a
# machine-readable summary (read by tools/matrix/matrix.sh).
#
# Copyright (C) 2026 The xenpv authors
#
# Usage: tools/lint-report.sh LOG MAKE_STATUS SRCROOT RELEASE SUMMARY DIR[=KODIR]...
#
# DIR is a directory relative to SRCROOT; its modules are looked for in
# SRCROOT/DIR, or in KODIR when given.  A line counts as a warning when it
# contains "warning:" (any case, so modpost's "WARNING:" too), as an
# unresolved symbol when modpost reports one "undefined!", and as an error
# when it contains "error:" or is make's "No rule to make target".  Lines
# "xenpv-lint: dir D" in the log name the directory the following lines
# belong to when they carry no usable path.
# Exit status: 0 when clean, 1 otherwise.

set -euo pipefail

log=$1 status=$2 root=$3 release=$4 summary=$5
shift 5

declare -A kodir
names=()
for spec in "$@"; do
	name=${spec%%=*}
	names+=("$name")
	if [ "$name" != "$spec" ]; then
		kodir[$name]=${spec#*=}
	else
		kodir[$name]=$root/$name
	fi
done

# Longest directory names first, so platform/pvops wins over platform.
sorted=$(printf '%s\n' "${names[@]}" | awk '{ print length($0), $0 }' | sort -rn | cut -d' ' -f2-)

awk -v root="$root/" -v dirs="$(echo $sorted)" '
function attribute(line,    i, d) {
	for (i = 1; i <= nd; i++) {
		d = dl[i]
		if (index(line, root d "/") > 0)
			return d
		if (line ~ ("(^|[ \\[\"])(\\./)?" d "/[^ :]+:"))
			return d
	}
	return ""
}
BEGIN {
	nd = split(dirs, dl, " ")
	ctx = ""
	base = ""
}
/^xenpv-lint: dir / {
	base = $3
	ctx = $3
	next
}
{
	d = attribute($0)
	if (d != "")
		ctx = d
	else if (base != "")
		d = base
	else
		d = ctx
	line = tolower($0)
	kind = ""
	if (line ~ /warning:/)
		kind = "w"
	else if (line ~ /modpost: .*undefined!/)
		kind = "u"
	else if (line ~ /error:/ || $0 ~ /No rule to make target/)
		kind = "e"
	if (kind == "")
		next
	if (d == "")
		d = "other"
	n[d, kind]++
	if (shown[d]++ < 5)
		first[d] = first[d] "      " $0 "\n"
}
END {
	for (i = 1; i <= nd; i++)
		printf "%s %d %d %d\n", dl[i], n[dl[i], "w"], n[dl[i], "e"], n[dl[i], "u"]
	printf "other %d %d %d\n", n["other", "w"], n["other", "e"], n["other", "u"]
	for (d in first)
		printf "#%s\n%s", d, first[d] > "/dev/stderr"
}' "$log" > "$summary.counts" 2> "$summary.first"

modules_of() {
	local dir=${kodir[$1]:-} ko k out=
	[ -n "$dir" ] || return 0
	for ko in "$dir"/*.ko; do
		[ -e "$ko" ] || continue
		k=${ko##*/}
		out="$out ${k%.ko}"
	done
	echo "${out# }"
}

total_w=0 total_e=0 total_u=0 built=
while read -r d w e u; do
	total_w=$((total_w + w))
	total_e=$((total_e + e))
	total_u=$((total_u + u))
done < "$summary.counts"
for d in "${names[@]}"; do
	m=$(modules_of "$d")
	[ -z "$m" ] || built="$built $m"
done
if [ "$status" != 0 ] || [ "$total_e" != 0 ] || [ "$total_u" != 0 ]; then
	st=failed
elif [ "$total_w" != 0 ]; then
	st=warnings
else
	st=clean
fi

{
	echo "release=$release"
	echo "status=$st"
	echo "warnings=$total_w"
	echo "errors=$((total_e + total_u))"
	echo "built=${built# }"
	while read -r d w e u; do
		[ "$d" = other ] && [ "$w$e$u" = 000 ] && continue
		mods=$(modules_of "$d")
		if [ "$e" != 0 ]; then
			r=failed
		elif [ "$u" != 0 ]; then
			r="compiles, $u unresolved symbols"
		elif [ "$w" != 0 ]; then
			r=warnings
		elif [ -z "$mods" ] && [ "$d" != other ] && [ "$status" != 0 ]; then
			r="compiles, not linked (another directory failed)"
		else
			r=ok
		fi
		echo "dir $d: $r; $w warnings, $e errors${mods:+; built: $mods}"
	done < "$summary.counts"
} > "$summary"

echo
echo "xenpv lint for $release: $st ($total_w warnings, $((total_e + total_u)) errors)"
sed -n 's/^dir /  /p' "$summary"
if [ -s "$summary.first" ]; then
	echo "first offending lines (full log: $log):"
	sed 's/^#/    /' "$summary.first"
fi
rm -f "$summary.counts" "$summary.first"
[ "$st" = clean ]
