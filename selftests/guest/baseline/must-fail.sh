#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# must-fail.sh: a test that always fails, to show that the rig reports a
# failing guest test as a failure (non-zero exit, logs kept).
#
# Copyright (C) 2026 The xenpv authors

. /tests/lib/tap.sh
tap_fail "this check fails on purpose (rig self-check)"
tap_end
