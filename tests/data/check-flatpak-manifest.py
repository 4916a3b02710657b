#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Check that each Flatpak manifest parses as JSON and asks for no permission
beyond what Keygate needs. Secrets go through the Secret portal, so no
--talk-name=org.freedesktop.secrets; no home/host filesystem; no session bus.

Usage: check-flatpak-manifest.py MANIFEST...
"""
import json
import sys

ALLOWED = {
    '--share=network',
    '--share=ipc',
    '--socket=wayland',
    '--socket=fallback-x11',
    '--device=dri',
}
# Said out loud for the ones people are most tempted to add.
WHY = {
    '--talk-name=org.freedesktop.secrets': 'libsecret uses the Secret portal inside the sandbox',
    '--socket=session-bus': 'full session bus access defeats the sandbox',
    '--filesystem=home': 'Keygate keeps its files in XDG dirs the sandbox provides',
    '--filesystem=host': 'Keygate keeps its files in XDG dirs the sandbox provides',
}


def check(path):
    errors = []
    try:
        with open(path, encoding='utf-8') as f:
            manifest = json.load(f)
    except (OSError, ValueError) as e:
        return [f'{path}: does not parse as JSON: {e}']

    app_id = manifest.get('id', manifest.get('app-id', ''))
    if not app_id.startswith('io.github.keygate.Keygate'):
        errors.append(f'{path}: unexpected app id {app_id!r}')
    if manifest.get('command') != 'keygate':
        errors.append(f'{path}: command must be "keygate"')
    if manifest.get('runtime') != 'org.gnome.Platform' or manifest.get('sdk') != 'org.gnome.Sdk':
        errors.append(f'{path}: runtime/sdk must be org.gnome.Platform/org.gnome.Sdk')

    args = manifest.get('finish-args', [])
    for arg in args:
        if arg not in ALLOWED:
            reason = WHY.get(arg, 'not needed by Keygate')
            if arg.startswith('--filesystem='):
                reason = WHY.get(arg.split(':')[0], reason)
            errors.append(f'{path}: forbidden finish-arg {arg} ({reason})')
    for arg in sorted(ALLOWED - set(args)):
        errors.append(f'{path}: missing finish-arg {arg}')

    modules = manifest.get('modules', [])
    names = [m.get('name') for m in modules if isinstance(m, dict)]
    if 'keygate' not in names:
        errors.append(f'{path}: no "keygate" module')
    return errors


def main():
    if len(sys.argv) < 2:
        print('usage: check-flatpak-manifest.py MANIFEST...', file=sys.stderr)
        return 2
    errors = []
    for path in sys.argv[1:]:
        errors += check(path)
    for e in errors:
        print('FAIL:', e)
    if not errors:
        print('ok:', ', '.join(sys.argv[1:]))
    return 1 if errors else 0


if __name__ == '__main__':
    sys.exit(main())
