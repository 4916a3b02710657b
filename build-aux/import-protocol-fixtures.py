#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Copy exchanges captured from a real Odoo (a folder with exchanges.json
files, given as the first argument) into tests/fixtures/odoo-protocol,
keeping only the machine-readable
exchanges.json files. Server tracebacks (error.data.debug) quote Odoo's
source lines, which this project never commits: they are replaced by a
placeholder of the same type, so the envelope keeps its shape."""
import json, pathlib, re, sys

if len(sys.argv) != 2:
    sys.exit("usage: import-protocol-fixtures.py CAPTURES_FOLDER")
src = pathlib.Path(sys.argv[1])
dst = pathlib.Path(__file__).resolve().parent.parent / "tests" / "fixtures" / "odoo-protocol"
PLACEHOLDER = "Traceback (most recent call last):\n<server traceback removed>\n"


def scrub(node):
    if isinstance(node, dict):
        return {k: (PLACEHOLDER if k == "debug" and isinstance(v, str) else scrub(v))
                for k, v in node.items()}
    if isinstance(node, list):
        return [scrub(v) for v in node]
    return node


def scrub_body(body):
    if not isinstance(body, str):
        return body
    try:
        parsed = json.loads(body)
    except ValueError:
        # HTML error pages may embed a traceback in <pre>; drop it.
        return re.sub(r"Traceback \(most recent call last\):.*?(</pre>|$)",
                      "<server traceback removed>\\1", body, flags=re.S)
    return json.dumps(scrub(parsed))


for path in sorted(src.rglob("exchanges.json")):
    data = json.loads(path.read_text())
    for ex in data.get("exchanges", []):
        for part in ("request", "response"):
            if part in ex and "body" in ex[part]:
                ex[part]["body"] = scrub_body(ex[part]["body"])
    out = dst / path.relative_to(src)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(data, indent=1, ensure_ascii=False) + "\n")
    print(f"{out.relative_to(dst.parent.parent.parent)}: {len(data.get('exchanges', []))} exchanges")
