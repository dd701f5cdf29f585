#!/usr/bin/env bash
# `systemd-analyze verify` on the systemd unit, without installing anything: the unit goes into
# a throwaway root directory with a copy of this system's own units (the targets it names) and
# an executable stub at its ExecStart path, so verify checks the unit itself, not this machine.
# Passes only when verify exits 0 and says nothing (it reports bad directives as warnings).
# Where systemd-analyze is missing it prints "SKIPPED" and exits 0.
#   deploy/verify-systemd-unit.sh [UNIT]     (default: deploy/footcare.service)
set -euo pipefail
cd "$(dirname "$0")/.."
unit="${1:-deploy/footcare.service}"
if ! command -v systemd-analyze >/dev/null 2>&1; then
    echo "SKIPPED: no systemd-analyze; $unit was not verified"
    exit 0
fi
root="$(mktemp -d)"
trap 'rm -rf "$root"' EXIT
for units in /usr/lib/systemd/system /lib/systemd/system; do
    if [ -d "$units" ]; then
        mkdir -p "$root$units"
        cp -r "$units/." "$root$units/"
        break
    fi
done
mkdir -p "$root/etc/systemd/system"
cp "$unit" "$root/etc/systemd/system/footcare.service"
for exe in $(sed -n 's/^Exec[A-Za-z]*=[-@:+!]*\([^ ]*\).*/\1/p' "$unit"); do
    mkdir -p "$root$(dirname "$exe")"
    printf '#!/bin/sh\nexit 0\n' >"$root$exe"
    chmod +x "$root$exe"
done
out="$(systemd-analyze verify --root="$root" footcare.service 2>&1)" && rc=0 || rc=$?
if [ "$rc" != 0 ] || [ -n "$out" ]; then
    echo "FAIL - systemd-analyze verify $unit (exit $rc):" >&2
    printf '%s\n' "$out" | sed "s|$root/etc/systemd/system/footcare.service|$unit|" >&2
    exit 1
fi
echo "ok   - systemd-analyze verify $unit ($(systemd-analyze --version | head -1))"
