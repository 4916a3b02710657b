#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# The README's test command: installs what is missing, builds, and runs every
# test suite headless (Xvfb + private D-Bus session + unlocked gnome-keyring).
# Ends with the plain line "N passed, N failed, N skipped".
#   build-aux/test.sh [BUILD_DIR] [-- extra meson test args]
set -euo pipefail
cd "$(dirname "$0")/.."
export LANG=C.UTF-8
builddir=${1:-build}
[ $# -gt 0 ] && shift
[ "${1:-}" = "--" ] && shift

bash build-aux/install-deps.sh
if [ -f "$builddir/build.ninja" ]; then
  meson setup --reconfigure "$builddir" >/dev/null
else
  meson setup "$builddir" --buildtype=debug -Dwerror=true
fi
ninja -C "$builddir"

rc=0
bash .ci/headless-session meson test -C "$builddir" --print-errorlogs --num-processes 2 "$@" || rc=$?
logs=("$builddir/meson-logs/testlog.json")

# The keyring and CLI suites again on libsecret's file backend, the path the
# Flatpak app takes. Deliberately outside the headless session: with no
# session bus at all, a test that reached for the Secret Service would fail.
if [ $# -eq 0 ]; then
  env -u DBUS_SESSION_BUS_ADDRESS -u DISPLAY -u WAYLAND_DISPLAY \
    meson test -C "$builddir" --setup filekeyring --suite keyring --suite cli \
      --logbase filekeyring --print-errorlogs --num-processes 2 || rc=$?
  logs+=("$builddir/meson-logs/filekeyring-filekeyring.json")
fi

/usr/bin/python3 - "${logs[@]}" <<'PY' || true
import json, sys
res = [json.loads(l)["result"] for f in sys.argv[1:] for l in open(f) if l.strip()]
ok = sum(r in ("OK", "EXPECTEDFAIL") for r in res)
bad = sum(r in ("FAIL", "ERROR", "TIMEOUT", "UNEXPECTEDPASS") for r in res)
print(f"{ok} passed, {bad} failed, {sum(r == 'SKIP' for r in res)} skipped")
PY
exit $rc
