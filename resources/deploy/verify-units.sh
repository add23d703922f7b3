#!/bin/sh
# verify-units.sh - check the kiosk's systemd units with `systemd-analyze verify`
# on a machine where cage, xinit, Xorg and the kiosk are not installed (a
# developer's machine, CI).
#
# `systemd-analyze verify` fails when an ExecStart= program does not exist, so
# this copies each unit to a temporary folder with its programs replaced by
# stub executables, and verifies the copies. On the kiosk itself, verify the
# installed units directly:
#   systemd-analyze verify /etc/systemd/system/clinic-kiosk.service
#
# Usage: sh resources/deploy/verify-units.sh   (exit status 0 = both units pass)
set -eu

here=$(cd "$(dirname "$0")" && pwd)
analyze=${SYSTEMD_ANALYZE:-systemd-analyze}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM

mkdir "$tmp/bin"
for exe in cage kiosk xinit Xorg clinic-kiosk-xsession clinic-kiosk-session; do
    printf '#!/bin/sh\nexit 0\n' >"$tmp/bin/$exe"
    chmod 0755 "$tmp/bin/$exe"
done

sed -e "s#/usr/bin/cage#$tmp/bin/cage#g" \
    -e "s#/usr/local/bin/clinic-kiosk-session#$tmp/bin/clinic-kiosk-session#g" \
    -e "s#/opt/clinic-kiosk/.venv/bin/kiosk#$tmp/bin/kiosk#g" \
    "$here/clinic-kiosk.service" >"$tmp/clinic-kiosk.service"
sed -e "s#/usr/bin/xinit#$tmp/bin/xinit#g" \
    -e "s#/usr/bin/Xorg#$tmp/bin/Xorg#g" \
    -e "s#/usr/local/bin/clinic-kiosk-xsession#$tmp/bin/clinic-kiosk-xsession#g" \
    -e "s#/usr/local/bin/clinic-kiosk-session#$tmp/bin/clinic-kiosk-session#g" \
    "$here/clinic-kiosk-xorg.service" >"$tmp/clinic-kiosk-xorg.service"

# verify exits 0 even for unknown keys or bad values (it only warns), so any
# output at all counts as a failure.
status=0
for unit in clinic-kiosk.service clinic-kiosk-xorg.service; do
    rc=0
    out=$("$analyze" verify "$tmp/$unit" 2>&1) || rc=$?
    if [ "$rc" -eq 0 ] && [ -z "$out" ]; then
        echo "ok: $unit"
    else
        printf '%s\n' "$out" >&2
        echo "FAILED: $unit (exit $rc)" >&2
        status=1
    fi
done
exit "$status"
