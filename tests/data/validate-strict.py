#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Strict validation of the desktop file and the metainfo with the tools of
Debian 12, which predate two things Keygate's files use on purpose:

- desktop-file-utils 0.26 does not know the Desktop Entry 1.5 key
  SingleMainWindow (0.27 does) and calls it an error;
- appstream 0.16 does not know the <developer> element that replaced
  <developer_name> (AppStream 1.0) and reports it as an unknown tag.

Exactly those findings are accepted, and only from tool versions that predate
them; anything else the validators say fails the test. With CI set, a missing
validator fails too instead of skipping.

Usage: validate-strict.py desktop FILE | metainfo FILE
"""
import os
import re
import shutil
import subprocess
import sys


def tool_version(argv):
    out = subprocess.run(argv, capture_output=True, text=True).stdout
    m = re.search(r'(\d+)\.(\d+)', out)
    return (int(m.group(1)), int(m.group(2))) if m else (0, 0)


def missing(tool):
    print(f'{tool} is not installed', file=sys.stderr)
    return 1 if os.environ.get('CI') else 77


def desktop(path):
    tool = shutil.which('desktop-file-validate')
    if tool is None:
        return missing('desktop-file-validate')
    res = subprocess.run([tool, path], capture_output=True, text=True)
    lines = [l for l in (res.stdout + res.stderr).splitlines() if l.strip()]
    old = tool_version(['dpkg-query', '-W', '-f=${Version}', 'desktop-file-utils']) < (0, 27)
    known = re.compile(r'key "SingleMainWindow" in group "Desktop Entry", but keys extending')
    rest = [l for l in lines if not (old and known.search(l))]
    for l in lines:
        print(l)
    if rest:
        print(f'FAIL: {len(rest)} finding(s) besides the known one', file=sys.stderr)
        return 1
    if 'SingleMainWindow=true' not in open(path, encoding='utf-8').read():
        print('FAIL: SingleMainWindow=true is missing', file=sys.stderr)
        return 1
    return 0


def metainfo(path):
    tool = shutil.which('appstreamcli')
    if tool is None:
        return missing('appstreamcli')
    res = subprocess.run([tool, 'validate', '--no-net', '--strict', '--explain', path],
                         capture_output=True, text=True)
    out = res.stdout + res.stderr
    print(out)
    old = tool_version([tool, '--version']) < (1, 0)
    findings = [l for l in out.splitlines() if re.match(r'^[EWIP]: ', l)]
    known = re.compile(r'^I: [^:]+:\d+: unknown-tag developer$')
    rest = [l for l in findings if not (old and known.match(l))]
    # P (pedantic) findings are not reported without --pedantic; count E/W/I only.
    if rest:
        print(f'FAIL: {len(rest)} finding(s) besides the known one', file=sys.stderr)
        return 1
    if res.returncode != 0 and not findings:
        print(f'FAIL: appstreamcli exited {res.returncode}', file=sys.stderr)
        return 1
    return 0


if __name__ == '__main__':
    if len(sys.argv) != 3 or sys.argv[1] not in ('desktop', 'metainfo'):
        print(__doc__, file=sys.stderr)
        sys.exit(2)
    sys.exit(desktop(sys.argv[2]) if sys.argv[1] == 'desktop' else metainfo(sys.argv[2]))
