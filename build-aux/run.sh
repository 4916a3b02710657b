#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# The README's run command: installs what is missing, builds, and launches
# Keygate. Without any configured connection the app offers a Demo
# connection backed by the bundled demo server, started here on loopback.
set -euo pipefail
cd "$(dirname "$0")/.."
builddir=${KEYGATE_BUILD_DIR:-build}

bash build-aux/install-deps.sh
[ -f "$builddir/build.ninja" ] || meson setup "$builddir" --buildtype=debug
ninja -C "$builddir"

export GSETTINGS_SCHEMA_DIR="$PWD/$builddir/data"
export no_proxy="127.0.0.1,localhost${no_proxy:+,$no_proxy}"

demo_log=$(mktemp)
"$builddir/src/demo/keygate-demo-server" --port 0 >"$demo_log" 2>&1 &
demo_pid=$!
trap 'kill $demo_pid 2>/dev/null; rm -f "$demo_log"' EXIT
for _ in $(seq 50); do
  grep -q '^URL: ' "$demo_log" && break
  sleep 0.1
done
KEYGATE_DEMO_URL=$(sed -n 's/^URL: //p' "$demo_log" | head -n1)
export KEYGATE_DEMO_URL
echo "Demo server: ${KEYGATE_DEMO_URL:-failed to start, see $demo_log}"
"$builddir/src/app/keygate" "$@"
