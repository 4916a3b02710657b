#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
#
# cli-token-check.sh: drive keygate-cli through the token flow against a real
# Odoo 18 with the keygate_token_api module (profile --protocol token, key
# from stdin into the keyring, `token`, `create-project --via token`, read
# back over JSON-RPC), in throw-away XDG folders.
#
# Usage (the keyring needs a session bus and an unlocked Secret Service):
#   bash .ci/headless-session tests/integration/cli-token-check.sh BUILD/src/cli/keygate-cli
#
# Server and keys come from $KEYGATE_ODOO_STATE/keygate-test.env (and keys.env
# for uids), as in token-module-check.sh; KEYGATE_ODOO_STATE has no default
# (docs/HACKING.md, "Real Odoo integration tests", says how to get them).
# Prints PASS/FAIL per step with the
# CLI's JSON output (tokens shown only as their shape), a summary; exit 0 all
# passed, 1 a step failed, 77 (skip) when the CLI, env file, server or session
# bus is absent. Keys never appear on a command line or in the output.
set -uo pipefail

CLI="${1:-${KEYGATE_CLI:-}}"
# No default folder: the files are wherever the seeded server wrote them.
STATE="${KEYGATE_ODOO_STATE:-}"
TEST_ENV="${KEYGATE_TEST_ENV:-${STATE:+$STATE/keygate-test.env}}"
KEYS_ENV="${KEYGATE_KEYS_ENV:-${STATE:+$STATE/keys.env}}"

skip_all() { echo "SKIP cli-token-check: $*" >&2; exit 77; }

if [ -z "$CLI" ] || [ ! -x "$CLI" ]; then skip_all "no keygate-cli given (usage: $0 BUILD/src/cli/keygate-cli)"; fi
[ -n "$TEST_ENV" ] ||
    skip_all "set KEYGATE_ODOO_STATE (or KEYGATE_TEST_ENV) to where a seeded real Odoo" \
             "wrote keygate-test.env; see docs/HACKING.md, \"Real Odoo integration tests\""
[ -r "$TEST_ENV" ] || skip_all "no $TEST_ENV (start and seed a real Odoo; see docs/HACKING.md)"
[ -n "${DBUS_SESSION_BUS_ADDRESS:-}" ] || skip_all "no session bus for the keyring: run inside .ci/headless-session"
PY="$(command -v python3)" || skip_all "python3 is not installed"

set -a
# shellcheck disable=SC1090
. "$TEST_ENV"
# shellcheck disable=SC1090
[ -r "$KEYS_ENV" ] && . "$KEYS_ENV"
set +a
URL="${KEYGATE_ODOO_URL:-}"; DB="${KEYGATE_ODOO_DB:-}"
if [ -z "$URL" ] || [ -z "$DB" ] || [ -z "${KEYGATE_ODOO_ALICE_KEY:-}" ]; then
    skip_all "$TEST_ENV lacks KEYGATE_ODOO_URL, _DB or _ALICE_KEY"
fi
curl -sf -m 10 -o /dev/null -H 'Content-Type: application/json' \
    -d '{"jsonrpc":"2.0","method":"call","params":{},"id":1}' "$URL/web/webclient/version_info" \
    || skip_all "no Odoo answers at $URL"
code="$(curl -s -m 10 -o /dev/null -w '%{http_code}' -X POST -H "X-Odoo-Database: $DB" "$URL/auth/token/apikey")"
[ "$code" = 400 ] || skip_all "POST /auth/token/apikey answers $code, not 400: is keygate_token_api installed in $DB?"

WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
export XDG_CONFIG_HOME="$WORK/config" XDG_STATE_HOME="$WORK/state" XDG_CACHE_HOME="$WORK/cache" XDG_DATA_HOME="$WORK/data"
export no_proxy="127.0.0.1,localhost" NO_PROXY="127.0.0.1,localhost"

PASSED=0; FAILED=0
# show: the CLI's output with every "token"/"access_token" value replaced by its shape
show() {
    "$PY" -c '
import json, re, sys
def walk(d):
    if isinstance(d, dict):
        for k, v in d.items():
            if k in ("token", "access_token") and isinstance(v, str):
                real = re.fullmatch(r"[A-Za-z0-9_-]{43}", v) is not None
                d[k] = "<%d chars%s>" % (len(v), ", UNMASKED" if real else ", masked")
            else:
                walk(v)
    elif isinstance(d, list):
        for v in d:
            walk(v)
for line in sys.stdin:
    try:
        d = json.loads(line)
    except ValueError:
        print("    " + line.rstrip()); continue
    walk(d); print("    " + json.dumps(d))'
}
jget() { "$PY" -c 'import json, sys
try:
    d = json.loads(sys.stdin.read()); r = eval(sys.argv[1], {"d": d})
except Exception:
    sys.exit(1)
print(json.dumps(r) if isinstance(r, (dict, list)) else r)' "$1" <<<"$OUT"; }

# run STEP-NAME [--stdin SECRET] ARGS...: OUT = stdout, RC = exit status
run() {
    local name="$1"; shift
    local input=""
    if [ "$1" = --stdin ]; then input="$2"$'\n'; shift 2; fi
    STEP="$name"; PROBLEMS=()
    OUT="$(printf '%s' "$input" | "$CLI" "$@" 2>"$WORK/stderr")"; RC=$?
}
problem() { PROBLEMS+=("$*"); }
finish() {
    if [ ${#PROBLEMS[@]} -eq 0 ]; then PASSED=$((PASSED + 1)); echo "PASS $STEP (exit $RC)"
    else FAILED=$((FAILED + 1)); echo "FAIL $STEP (exit $RC)"; local p; for p in "${PROBLEMS[@]}"; do echo "     - $p"; done; fi
    [ -n "$OUT" ] && show <<<"$OUT"
    [ -s "$WORK/stderr" ] && sed 's/^/    stderr: /' "$WORK/stderr" | head -n 5
    return 0
}

NAME="cli-token-check $(date +%Y%m%dT%H%M%S)"
echo "cli-token-check: $CLI against $URL database $DB"

run "profile add (protocol token)" profile add alice-token --url "$URL" --db "$DB" --login alice --protocol token --json
[ "$RC" = 0 ] || problem "exit $RC"
[ "$(jget 'd["profile"]["protocol"]')" = token ] || problem "profile.protocol is not token"
finish

run "key set (stdin)" --stdin "$KEYGATE_ODOO_ALICE_KEY" key set alice-token
[ "$RC" = 0 ] || problem "exit $RC"; finish

run "token --json" token alice-token --json
[ "$RC" = 0 ] || problem "exit $RC"
[ "$(jget 'd["ok"]')" = True ] || problem "ok is not true"
[ "$(jget 'd["token_type"]')" = Bearer ] || problem "token_type is not Bearer"
[ "$(jget '3500 <= d["expires_in"] <= 3600')" = True ] || problem "expires_in is not about 3600"
[ "$(jget '__import__("re").fullmatch(r"[A-Za-z0-9_-]{43}", d["token"]) is None')" = True ] || problem "the token is printed unmasked without --show-token"
finish

run "create-project --via token --json" create-project alice-token --name "$NAME" --description "Created by keygate-cli" --via token --json
[ "$RC" = 0 ] || problem "exit $RC"
[ "$(jget 'd["ok"]')" = True ] || problem "ok is not true"
PID="$(jget 'd["project_id"] if type(d["project_id"]) is int and d["project_id"] > 0 else None')" || PID=None
[[ "$PID" =~ ^[0-9]+$ ]] || problem "project_id is not a positive integer"
finish

if [[ "${PID:-}" =~ ^[0-9]+$ ]] && [ -n "${ALICE_UID:-}" ]; then
    STEP="read back project $PID over JSON-RPC as alice"; PROBLEMS=(); RC=0
    OUT="$(curl -s -m 30 -H 'Content-Type: application/json' --data-binary @- "$URL/jsonrpc" <<EOF
{"jsonrpc":"2.0","method":"call","id":1,"params":{"service":"object","method":"execute_kw","args":["$DB",$ALICE_UID,"$KEYGATE_ODOO_ALICE_KEY","project.project","read",[[$PID]],{"fields":["name","description","create_uid"]}]}}
EOF
)"
    [ "$(jget 'd["result"][0]["name"]')" = "$NAME" ] || problem "name does not read back"
    [ "$(jget 'd["result"][0]["description"]')" = "<p>Created by keygate-cli</p>" ] || problem "description does not read back as <p>…</p>"
    [ "$(jget 'd["result"][0]["create_uid"][0]')" = "$ALICE_UID" ] || problem "create_uid is not alice"
    finish
fi

if [ -n "${KEYGATE_ODOO_BOB_KEY:-}" ]; then
    run "bob: profile add" profile add bob-token --url "$URL" --db "$DB" --login bob --protocol token --json
    [ "$RC" = 0 ] || problem "exit $RC"; OUT=""; finish
    run "bob: key set" --stdin "$KEYGATE_ODOO_BOB_KEY" key set bob-token
    [ "$RC" = 0 ] || problem "exit $RC"; finish
    run "bob: create-project --via token -> permission (exit 4)" create-project bob-token --name "$NAME (bob)" --via token --json
    [ "$RC" = 4 ] || problem "exit $RC, expected 4 (permission)"
    [ "$(jget 'd["ok"]')" = False ] || problem "ok is not false"
    finish
fi

if [ -n "${KEYGATE_ODOO_EXPIRED_KEY:-}" ]; then
    run "expired key: profile add" profile add expired-token --url "$URL" --db "$DB" --login alice --protocol token --json
    OUT=""; finish
    run "expired key: key set" --stdin "$KEYGATE_ODOO_EXPIRED_KEY" key set expired-token
    finish
    run "expired key: token -> authentication (exit 3)" token expired-token --json
    [ "$RC" = 3 ] || problem "exit $RC, expected 3 (authentication)"
    [ "$(jget 'd["ok"]')" = False ] || problem "ok is not false"
    finish
fi

STEP="no key in any file under the XDG folders"; PROBLEMS=(); RC=0; OUT=""
if grep -rlF -f <(printf '%s\n' "$KEYGATE_ODOO_ALICE_KEY" ${KEYGATE_ODOO_BOB_KEY:+"$KEYGATE_ODOO_BOB_KEY"}) "$WORK" >/dev/null 2>&1; then
    problem "a key was written to a file"
fi
finish

echo "cli-token-check: $PASSED passed, $FAILED failed"
[ "$FAILED" = 0 ]
