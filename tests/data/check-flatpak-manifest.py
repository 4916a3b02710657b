#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Check Keygate's Flatpak manifests: structure, a supported GNOME runtime,
permissions, sources, and that everything the build needs is in the runtime.

- Permissions: exactly network, ipc, wayland, fallback-x11 and dri. Secrets go
  through the Secret portal inside the sandbox, so never
  --talk-name=org.freedesktop.secrets; no home or host filesystem.
- The release manifest (id io.github.keygate.Keygate) builds from a git source
  with a tag and the full commit it points at, as Flathub requires; the Devel
  manifest (id ….Devel) builds the work tree (a "dir" source) with
  -Ddevelopment=true.
- Every dependency() that meson.build asks for is a library the GNOME runtime
  ships, since no module but Keygate's own is built.

Usage: check-flatpak-manifest.py MESON_BUILD MANIFEST...
"""
import json
import re
import subprocess
import sys

BASE_ID = 'io.github.keygate.Keygate'
# GNOME runtimes supported on Flathub when this was written; 47 reached its end
# of life in 2026. Raise the floor as runtimes age out.
OLDEST_SUPPORTED_RUNTIME = 49
# pkg-config modules org.gnome.Platform//49 provides (GLib 2.86, GTK 4.20,
# libadwaita 1.8, libsoup 3.6, json-glib 1.10, libsecret 0.21, GtkSourceView 5.18).
RUNTIME_PROVIDES = {
    'glib-2.0', 'gio-2.0', 'gobject-2.0', 'gtk4', 'libadwaita-1', 'libsoup-3.0',
    'json-glib-1.0', 'libsecret-1', 'gtksourceview-5', 'sqlite3',
}
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


def meson_dependencies(meson_build):
    text = open(meson_build, encoding='utf-8').read()
    return sorted(set(re.findall(r"dependency\(\s*'([^']+)'", text)))


def commit_known(commit):
    """True/False when run in a git checkout, None outside one."""
    try:
        res = subprocess.run(['git', 'cat-file', '-e', commit + '^{commit}'],
                             capture_output=True, cwd=sys.path[0])
    except OSError:
        return None
    shallow = subprocess.run(['git', 'rev-parse', '--is-shallow-repository'],
                             capture_output=True, text=True, cwd=sys.path[0])
    if shallow.returncode != 0 or shallow.stdout.strip() != 'false':
        return None   # not a checkout, or a shallow clone that may lack old commits
    return res.returncode == 0


def check_sources(path, module, devel):
    errors = []
    sources = module.get('sources', [])
    if len(sources) != 1 or not isinstance(sources[0], dict):
        return [f'{path}: the keygate module must have exactly one source']
    src = sources[0]
    if devel:
        if src.get('type') != 'dir' or src.get('path') != '..':
            errors.append(f'{path}: the Devel manifest builds the work tree: '
                          '{"type": "dir", "path": ".."}')
        if '-Ddevelopment=true' not in module.get('config-opts', []):
            errors.append(f'{path}: the Devel manifest must pass -Ddevelopment=true')
        return errors
    if src.get('type') != 'git':
        errors.append(f'{path}: Flathub needs a git (or archive) source, not {src.get("type")!r}')
    if not str(src.get('url', '')).startswith('https://'):
        errors.append(f'{path}: the git source needs an https url')
    if not re.fullmatch(r'v\d+\.\d+\.\d+', str(src.get('tag', ''))):
        errors.append(f'{path}: the git source needs a release tag such as v0.1.0')
    commit = str(src.get('commit', ''))
    if not re.fullmatch(r'[0-9a-f]{40}', commit):
        errors.append(f'{path}: the git source needs the full 40-digit commit of its tag')
    elif commit_known(commit) is False:
        errors.append(f'{path}: commit {commit} is not in this repository')
    if '-Ddevelopment=true' in module.get('config-opts', []):
        errors.append(f'{path}: the release manifest must not build the Devel variant')
    return errors


def check(path, deps):
    errors = []
    try:
        with open(path, encoding='utf-8') as f:
            manifest = json.load(f)
    except (OSError, ValueError) as e:
        return [f'{path}: does not parse as JSON: {e}']

    app_id = manifest.get('id', manifest.get('app-id', ''))
    if app_id not in (BASE_ID, BASE_ID + '.Devel'):
        errors.append(f'{path}: unexpected app id {app_id!r}')
    devel = app_id.endswith('.Devel')
    if manifest.get('command') != 'keygate':
        errors.append(f'{path}: command must be "keygate"')
    if manifest.get('runtime') != 'org.gnome.Platform' or manifest.get('sdk') != 'org.gnome.Sdk':
        errors.append(f'{path}: runtime/sdk must be org.gnome.Platform/org.gnome.Sdk')
    version = str(manifest.get('runtime-version', ''))
    if not version.isdigit() or int(version) < OLDEST_SUPPORTED_RUNTIME:
        errors.append(f'{path}: runtime-version {version!r} is not a supported GNOME runtime '
                      f'(>= {OLDEST_SUPPORTED_RUNTIME})')

    args = manifest.get('finish-args', [])
    for arg in args:
        if arg not in ALLOWED:
            reason = WHY.get(arg, 'not needed by Keygate')
            if arg.startswith('--filesystem='):
                reason = WHY.get(arg.split(':')[0], reason)
            errors.append(f'{path}: forbidden finish-arg {arg} ({reason})')
    for arg in sorted(ALLOWED - set(args)):
        errors.append(f'{path}: missing finish-arg {arg}')

    modules = [m for m in manifest.get('modules', []) if isinstance(m, dict)]
    keygate = [m for m in modules if m.get('name') == 'keygate']
    if not keygate:
        errors.append(f'{path}: no "keygate" module')
    else:
        if keygate[0].get('buildsystem') != 'meson':
            errors.append(f'{path}: the keygate module builds with meson')
        errors += check_sources(path, keygate[0], devel)
    if len(modules) == 1:
        for dep in deps:
            if dep not in RUNTIME_PROVIDES:
                errors.append(f'{path}: meson.build needs {dep!r}, which the GNOME runtime does '
                              'not ship: add a module that builds it')
    return errors


def main():
    if len(sys.argv) < 3:
        print(__doc__, file=sys.stderr)
        return 2
    deps = meson_dependencies(sys.argv[1])
    if not deps:
        print(f'FAIL: no dependency() found in {sys.argv[1]}')
        return 1
    errors = []
    for path in sys.argv[2:]:
        errors += check(path, deps)
    for e in errors:
        print('FAIL:', e)
    if not errors:
        print('ok:', ', '.join(sys.argv[2:]), '- dependencies in the runtime:', ', '.join(deps))
    return 1 if errors else 0


if __name__ == '__main__':
    sys.exit(main())
