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

/usr/bin/python3 - "$builddir/meson-logs/testlog.json" <<'PY' || true
import json, sys
res = [json.loads(l)["result"] for l in open(sys.argv[1]) if l.strip()]
ok = sum(r in ("OK", "EXPECTEDFAIL") for r in res)
bad = sum(r in ("FAIL", "ERROR", "TIMEOUT", "UNEXPECTEDPASS") for r in res)
print(f"{ok} passed, {bad} failed, {sum(r == 'SKIP' for r in res)} skipped")
PY
exit $rc
