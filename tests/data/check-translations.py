#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Guard the translations.

1. Every language in po/LINGUAS has a .po file that msgfmt --check accepts and
   that translates every message of the current sources: the template is
   extracted afresh from po/POTFILES.in (as meson's update target does), so a
   string added or changed in the code and not translated fails here.
2. User-visible text is marked for translation: in .ui files, a label, title,
   subtitle, tooltip, placeholder, description or text property holding
   words must carry translatable="yes" (or translatable="no" on purpose).

Usage: check-translations.py SOURCE_ROOT WORK_DIR
"""
import os
import re
import shutil
import subprocess
import sys

# The keywords of meson's i18n.gettext(preset: 'glib').
XGETTEXT_ARGS = [
    '--from-code=UTF-8', '--add-comments', '--force-po',
    '--keyword=_', '--keyword=N_', '--keyword=C_:1c,2', '--keyword=NC_:1c,2',
    '--keyword=g_dcgettext:2', '--keyword=g_dngettext:2,3', '--keyword=g_dpgettext2:2c,3',
    '--keyword=ngettext:1,2',
    '--flag=N_:1:pass-c-format', '--flag=C_:2:pass-c-format', '--flag=NC_:2:pass-c-format',
    '--flag=g_dngettext:2:pass-c-format', '--flag=g_strdup_printf:1:c-format',
    '--flag=g_string_printf:2:c-format', '--flag=g_string_append_printf:2:c-format',
    '--flag=g_error_new:3:c-format', '--flag=g_set_error:4:c-format',
]
UI_PROPERTIES = {'label', 'title', 'subtitle', 'tooltip-text', 'placeholder-text',
                 'description', 'text', 'heading', 'body', 'button-label', 'name'}
UI_PROPERTY = re.compile(r'<property\s+name="([a-z-]+)"([^>]*)>([^<]*)</property>')


def fail_missing(tool):
    print(f'{tool} is not installed', file=sys.stderr)
    return 1 if os.environ.get('CI') else 77


def extract_template(root, work):
    pot = os.path.join(work, 'keygate-check.pot')
    res = subprocess.run(['xgettext', *XGETTEXT_ARGS, '--package-name=keygate',
                          f'--directory={root}', f'--files-from={root}/po/POTFILES.in',
                          f'--output={pot}'], capture_output=True, text=True)
    problems = [l for l in res.stderr.splitlines() if 'warning' in l or 'error' in l]
    if res.returncode != 0:
        problems.append(f'xgettext exited {res.returncode}')
    return pot, problems


def check_language(root, work, pot, lang):
    errors = []
    po = os.path.join(root, 'po', f'{lang}.po')
    if not os.path.exists(po):
        return [f'po/LINGUAS lists {lang} but po/{lang}.po does not exist']
    res = subprocess.run(['msgfmt', '--check', '--statistics', '-o', os.devnull, po],
                         capture_output=True, text=True)
    if res.returncode != 0:
        errors.append(f'po/{lang}.po: msgfmt --check failed:\n{res.stderr.strip()}')
    merged = os.path.join(work, f'{lang}-merged.po')
    res = subprocess.run(['msgmerge', '--quiet', '--no-fuzzy-matching', '-o', merged, po, pot],
                         capture_output=True, text=True)
    if res.returncode != 0:
        return errors + [f'po/{lang}.po: msgmerge failed: {res.stderr.strip()}']
    res = subprocess.run(['msgfmt', '--check', '--statistics', '-o', os.devnull, merged],
                         capture_output=True, text=True)
    stats = res.stderr.strip()
    print(f'{lang}: {stats}')
    if 'untranslated' in stats or 'fuzzy' in stats:
        untranslated = subprocess.run(['msgattrib', '--untranslated', '--no-obsolete', merged],
                                      capture_output=True, text=True).stdout
        ids = re.findall(r'^msgid "(.+)"$', untranslated, re.M)[:10]
        errors.append(f'po/{lang}.po does not translate every message of the sources '
                      f'({stats}); first ones: {ids}')
    return errors


def check_ui_marked(root):
    errors = []
    for dirpath, dirnames, filenames in os.walk(os.path.join(root, 'src')):
        dirnames.sort()
        for name in sorted(filenames):
            if not name.endswith('.ui'):
                continue
            path = os.path.join(dirpath, name)
            text = open(path, encoding='utf-8').read()
            for m in UI_PROPERTY.finditer(text):
                prop, attrs, value = m.group(1), m.group(2), m.group(3).strip()
                if prop not in UI_PROPERTIES or 'translatable=' in attrs:
                    continue
                # Words a person reads; not icon names, ids or symbols.
                if re.search(r'[A-Za-z]{2,}\s+[A-Za-z]', value) or \
                   (re.fullmatch(r'[A-Z][a-z]+', value) and prop != 'name'):
                    line = text.count('\n', 0, m.start()) + 1
                    rel = os.path.relpath(path, root)
                    errors.append(f'{rel}:{line}: <property name="{prop}"> "{value}" '
                                  'is not marked translatable="yes"')
    return errors


def main():
    if len(sys.argv) != 3:
        print(__doc__, file=sys.stderr)
        return 2
    root, work = sys.argv[1], sys.argv[2]
    for tool in ('xgettext', 'msgmerge', 'msgfmt', 'msgattrib'):
        if shutil.which(tool) is None:
            return fail_missing(tool)
    os.makedirs(work, exist_ok=True)

    errors = check_ui_marked(root)
    pot, problems = extract_template(root, work)
    errors += [f'xgettext: {p}' for p in problems]
    with open(os.path.join(root, 'po', 'LINGUAS'), encoding='utf-8') as f:
        langs = [w for line in f for w in line.split('#')[0].split()]
    if not langs:
        errors.append('po/LINGUAS lists no language')
    for lang in langs:
        errors += check_language(root, work, pot, lang)

    for e in errors:
        print('FAIL:', e)
    if not errors:
        print('ok: translations complete for', ', '.join(langs))
    return 1 if errors else 0


if __name__ == '__main__':
    sys.exit(main())
