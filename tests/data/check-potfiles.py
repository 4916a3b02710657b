#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Fail when a file under src/ has translatable strings but is missing from
po/POTFILES.in, or when POTFILES.in names a file that does not exist.

Usage: check-potfiles.py SOURCE_ROOT
"""
import os
import re
import sys

MARKERS = re.compile(r'(?:^|[^A-Za-z0-9_])(?:N|C|NC)?_\(|translatable="yes"')


def main():
    root = sys.argv[1] if len(sys.argv) > 1 else os.environ.get('KEYGATE_SOURCE_DIR', '.')
    with open(os.path.join(root, 'po', 'POTFILES.in'), encoding='utf-8') as f:
        listed = {line.strip() for line in f
                  if line.strip() and not line.lstrip().startswith('#')}

    needed = set()
    for dirpath, dirnames, filenames in os.walk(os.path.join(root, 'src')):
        dirnames.sort()
        for name in sorted(filenames):
            if not name.endswith(('.c', '.h', '.ui')):
                continue
            path = os.path.join(dirpath, name)
            with open(path, encoding='utf-8', errors='replace') as f:
                if MARKERS.search(f.read()):
                    needed.add(os.path.relpath(path, root))

    missing = sorted(needed - listed)
    stale = sorted(p for p in listed if not os.path.exists(os.path.join(root, p)))

    for path in missing:
        print(f'FAIL: {path} has translatable strings but is not in po/POTFILES.in')
    for path in stale:
        print(f'FAIL: po/POTFILES.in lists {path}, which does not exist')
    if missing or stale:
        return 1
    print(f'ok: {len(needed)} files with translatable strings under src/, all in po/POTFILES.in')
    return 0


if __name__ == '__main__':
    sys.exit(main())
