#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Usage: isolated.sh NEEDS PROGRAM [ARGS...]
# NEEDS: none | display | keyring | both. Runs PROGRAM with fresh XDG dirs.
set -eu
needs=$1; shift

missing=""
case "$needs" in
  display|both) [ -n "${DISPLAY:-}${WAYLAND_DISPLAY:-}" ] || missing="a display (run under .ci/headless-session)" ;;
esac
# The file-keyring test setup (meson test --setup file-keyring) stores keys
# with libsecret's file backend, the path the Flatpak app takes through the
# Secret portal: no Secret Service is needed then.
file_keyring=""
[ "${KEYGATE_TEST_SECRET_BACKEND:-}" = file ] && file_keyring=1
case "$needs" in
  keyring|both)
    if [ -n "$file_keyring" ]; then
      :
    elif [ -z "${DBUS_SESSION_BUS_ADDRESS:-}" ] ||
       ! gdbus call --session --dest org.freedesktop.DBus --object-path /org/freedesktop/DBus \
            --method org.freedesktop.DBus.NameHasOwner org.freedesktop.secrets 2>/dev/null | grep -q true; then
      missing="${missing:+$missing and }a Secret Service on the session bus (run under .ci/headless-session)"
    fi ;;
esac
if [ -n "$missing" ]; then
  if [ -n "${CI:-}" ]; then
    echo "FAIL: this test needs $missing, and CI is set: a broken session wrapper must not hide." >&2
    exit 1
  fi
  echo "SKIP: this test needs $missing." >&2
  exit 77
fi

tmp=$(mktemp -d "${TMPDIR:-/tmp}/keygate-test.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp/config" "$tmp/state" "$tmp/cache"
export XDG_CONFIG_HOME="$tmp/config" XDG_STATE_HOME="$tmp/state" XDG_CACHE_HOME="$tmp/cache"
export KEYGATE_TEST_TMPDIR="$tmp"
if [ -n "$file_keyring" ]; then
  # Inside the test's temp dir, so the secret audits scan the keyring file too.
  mkdir -m 700 "$tmp/keyring"
  export SECRET_BACKEND=file SECRET_FILE_TEST_PATH="$tmp/keyring/default.keyring"
  SECRET_FILE_TEST_PASSWORD=$(od -An -N16 -tx1 /dev/urandom | tr -d ' \n')
  export SECRET_FILE_TEST_PASSWORD
fi

# A test with windows gets an X server of its own: the clipboard and focus are
# per display, and tests running in parallel must not see each other's copies.
case "$needs" in
  display|both)
    if [ -n "${DISPLAY:-}" ] && command -v xvfb-run >/dev/null 2>&1; then
      xvfb-run -a -s '-screen 0 1280x1024x24 -noreset' "$@"
      exit $?
    fi ;;
esac
"$@"
