#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# The README's test command: installs what is missing, builds, and runs every
# test suite headless (Xvfb + private D-Bus session + unlocked gnome-keyring),
# then the keyring and CLI suites on libsecret's file backend, then the core,
# keyring and CLI suites under ASan/UBSan. Ends with the plain line
# "N passed, N failed, N skipped" over all three runs.
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

# The core, keyring and CLI suites again in an AddressSanitizer +
# UndefinedBehaviorSanitizer build (BUILD_DIR-asan). KEYGATE_TEST_ASAN=0 skips
# it for a quick local run; CI always runs it.
if [ $# -eq 0 ] && { [ -n "${CI:-}" ] || [ "${KEYGATE_TEST_ASAN:-1}" != 0 ]; }; then
  asandir="$builddir-asan"
  if [ -f "$asandir/build.ninja" ]; then
    meson setup --reconfigure "$asandir" >/dev/null
  else
    meson setup "$asandir" --buildtype=debug -Db_sanitize=address,undefined -Dwerror=true >/dev/null
  fi
  ninja -C "$asandir"
  bash .ci/headless-session meson test -C "$asandir" --suite core --suite keyring --suite cli \
    --logbase asan --print-errorlogs --num-processes 2 --timeout-multiplier 3 || rc=$?
  logs+=("$asandir/meson-logs/asan.json")
fi

/usr/bin/python3 - "${logs[@]}" <<'PY' || true
import json, sys
runs = [(f, json.loads(l)) for f in sys.argv[1:] for l in open(f) if l.strip()]
res = [t["result"] for _, t in runs]
failed = [(f, t) for f, t in runs
          if t["result"] in ("FAIL", "ERROR", "TIMEOUT", "UNEXPECTEDPASS")]
# Name what failed right above the summary: CI logs are often read from the end.
for f, t in failed:
    print(f"{t['result']}: {t['name']} ({f.rsplit('/', 1)[-1]}, {t['duration']:.1f} s)")
ok = sum(r in ("OK", "EXPECTEDFAIL") for r in res)
print(f"{ok} passed, {len(failed)} failed, {sum(r == 'SKIP' for r in res)} skipped")
PY
exit $rc
