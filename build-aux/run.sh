#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# The README's run command: installs what is missing, builds, and launches
# Keygate from the build tree. With no connection configured, the window
# offers "Try the Demo": a Demo connection backed by the demo server built
# into the app (it runs in-process on 127.0.0.1), so every page can be tried
# without an Odoo.
#   build-aux/run.sh [keygate options]
set -euo pipefail
cd "$(dirname "$0")/.."
builddir=${KEYGATE_BUILD_DIR:-build}

bash build-aux/install-deps.sh
[ -f "$builddir/build.ninja" ] || meson setup "$builddir" --buildtype=debug
ninja -C "$builddir"

export GSETTINGS_SCHEMA_DIR="$PWD/$builddir/data"
# libsoup honours http_proxy even for loopback; the demo server is local.
export no_proxy="127.0.0.1,localhost${no_proxy:+,$no_proxy}"
exec "$builddir/src/app/keygate" "$@"
