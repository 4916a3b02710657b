#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
#
# token-module-check.sh: check a running Odoo 18 with the keygate_token_api
# module against every case of the token contract
# (the module's routes as captured in
# tests/fixtures/odoo-protocol/token-module/exchanges.json: both routes,
# statuses, `error` strings, no-cache headers, WWW-Authenticate, order of
# checks).
#
# Usage: tests/integration/token-module-check.sh
#
# Reads the server and the keys from the files written by
# seeding the test server (docs/HACKING.md; override the paths with the environment variables):
#   KEYGATE_TEST_ENV  default $KEYGATE_ODOO_STATE/keygate-test.env (required):
#                     KEYGATE_ODOO_URL, _DB, _ALICE_KEY, _ALICE_PASSWORD,
#                     _BOB_KEY, _EXPIRED_KEY
#   KEYGATE_KEYS_ENV  default $KEYGATE_ODOO_STATE/keys.env (optional):
#                     ALICE_UID, BOB_UID, CAROL_API_KEY, ADMIN_API_KEY; the
#                     cases that need them are skipped without it
#   KEYGATE_ODOO_STATE  the folder the seeded server wrote them to (no
#                       default; docs/HACKING.md, "Real Odoo integration
#                       tests", says how to run and seed one)
#
# Prints PASS/FAIL/SKIP per case and a summary. Exit status: 0 all passed,
# 1 a case failed, 77 (skip) when the env file or the server is absent.
# Keys and tokens never appear on a command line or in the output: curl reads
# them from its config on a pipe, and answers are redacted before printing.
# It creates a few projects named "token-module-check ..." in the database.
set -uo pipefail

# No default folder: the files are wherever the seeded server wrote them.
STATE="${KEYGATE_ODOO_STATE:-}"
TEST_ENV="${KEYGATE_TEST_ENV:-${STATE:+$STATE/keygate-test.env}}"
KEYS_ENV="${KEYGATE_KEYS_ENV:-${STATE:+$STATE/keys.env}}"

skip_all() { echo "SKIP token-module-check: $*" >&2; exit 77; }

[ -n "$TEST_ENV" ] ||
    skip_all "set KEYGATE_ODOO_STATE (or KEYGATE_TEST_ENV) to where a seeded real Odoo" \
             "wrote keygate-test.env; see docs/HACKING.md, \"Real Odoo integration tests\""
[ -r "$TEST_ENV" ] || skip_all "no $TEST_ENV (start and seed a real Odoo; see docs/HACKING.md)"
command -v curl >/dev/null || skip_all "curl is not installed"
PY="$(command -v python3)" || skip_all "python3 is not installed"

set -a
# shellcheck disable=SC1090
. "$TEST_ENV"
HAVE_KEYS=0
if [ -r "$KEYS_ENV" ]; then
    # shellcheck disable=SC1090
    . "$KEYS_ENV"
    HAVE_KEYS=1
fi
set +a

URL="${KEYGATE_ODOO_URL:-}"
DB="${KEYGATE_ODOO_DB:-}"
if [ -z "$URL" ] || [ -z "$DB" ]; then skip_all "$TEST_ENV lacks KEYGATE_ODOO_URL or KEYGATE_ODOO_DB"; fi
for v in KEYGATE_ODOO_ALICE_KEY KEYGATE_ODOO_ALICE_PASSWORD KEYGATE_ODOO_BOB_KEY KEYGATE_ODOO_EXPIRED_KEY; do
    [ -n "${!v:-}" ] || skip_all "$TEST_ENV lacks $v"
done
if [ "$HAVE_KEYS" = 1 ] && { [ "${ODOO_URL:-$URL}" != "$URL" ] || [ "${ODOO_DB:-$DB}" != "$DB" ]; }; then
    echo "note: $KEYS_ENV is for another server; not using it" >&2
    HAVE_KEYS=0
fi

if ! curl -sf -m 10 -o /dev/null -H 'Content-Type: application/json' \
        -d '{"jsonrpc":"2.0","method":"call","params":{},"id":1}' "$URL/web/webclient/version_info"; then
    skip_all "no Odoo answers at $URL" \
             "(start one with keygate_token_api installed; see docs/HACKING.md)"
fi

# ------------------------------------------------------------------ helpers
PASSED=0; FAILED=0; SKIPPED=0

# quote a value for a curl config file
cq() { local s="${1//\\/\\\\}"; s="${s//\"/\\\"}"; printf '"%s"' "$s"; }

# req METHOD PATH [-h 'Name: value']... [-d BODY]
# Sets STATUS, HEADERS (CR stripped), BODY. Secrets travel in curl's config on a pipe.
req() {
    local method="$1" path="$2"; shift 2
    local conf raw
    conf="url = $(cq "$URL$path")"$'\n'"request = $(cq "$method")"$'\n'
    while [ $# -gt 0 ]; do
        case "$1" in
            -h) conf+="header = $(cq "$2")"$'\n'; shift 2 ;;
            -d) conf+="data-binary = $(cq "$2")"$'\n'; shift 2 ;;
            *) echo "req: bad argument $1" >&2; return 2 ;;
        esac
    done
    raw="$(curl -s -i -m 60 -K <(printf '%s' "$conf"))" || { STATUS=000; HEADERS=""; BODY=""; return 0; }
    raw="${raw//$'\r'/}"
    HEADERS="${raw%%$'\n\n'*}"
    BODY="${raw#*$'\n\n'}"
    [ "$BODY" = "$raw" ] && BODY=""
    STATUS="$(head -n1 <<<"$HEADERS" | cut -d' ' -f2)"
}

# header NAME: value of a response header (last one), empty if absent
header() { grep -i "^$1:" <<<"$HEADERS" | tail -n1 | cut -d' ' -f2-; }

# jget EXPR: evaluate a Python expression on the JSON body `d`; prints the
# result (JSON for lists/dicts), nothing and status 1 when it cannot
jget() {
    "$PY" -c 'import json, sys
try:
    d = json.loads(sys.stdin.read())
    r = eval(sys.argv[1], {"d": d})
except Exception:
    sys.exit(1)
print(json.dumps(r) if isinstance(r, (dict, list)) else r)' "$1" <<<"$BODY"
}

redact() { sed -E 's/("access_token": *")[^"]*"/\1<redacted>"/g'; }

CASE=""; PROBLEMS=()
begin() { CASE="$1"; PROBLEMS=(); }
problem() { PROBLEMS+=("$*"); }
finish() {
    if [ ${#PROBLEMS[@]} -eq 0 ]; then
        PASSED=$((PASSED + 1)); echo "PASS $CASE"
    else
        FAILED=$((FAILED + 1)); echo "FAIL $CASE"
        local p; for p in "${PROBLEMS[@]}"; do echo "     - $p"; done
        echo "     status $STATUS, body: $(printf '%s' "$BODY" | head -c 400 | redact)"
    fi
}
skip() { SKIPPED=$((SKIPPED + 1)); echo "SKIP $1: $2"; }

# every JSON answer: no-store, no-cache, JSON content type, no session cookie
expect_json_headers() {
    [ "$(header Cache-Control)" = "no-store" ] || problem "Cache-Control '$(header Cache-Control)', expected 'no-store'"
    [ "$(header Pragma)" = "no-cache" ] || problem "Pragma '$(header Pragma)', expected 'no-cache'"
    [[ "$(header Content-Type)" == application/json* ]] || problem "Content-Type '$(header Content-Type)'"
    [ -z "$(header Set-Cookie)" ] || problem "a cookie was set"
}

# expect_error STATUS ERROR [WWW-AUTHENTICATE|-] [MESSAGE]
expect_error() {
    [ "$STATUS" = "$1" ] || problem "status $STATUS, expected $1"
    local e; e="$(jget 'd["error"]')" || e="<no JSON error field>"
    [ "$e" = "$2" ] || problem "error '$e', expected '$2'"
    local m; m="$(jget 'd["message"] if isinstance(d["message"], str) and d["message"] and set(d) == {"error", "message"} else None')" || m=None
    [ "$m" != None ] || problem "body is not {error, message} with a non-empty message"
    if [ -n "${4:-}" ] && [ "$m" != "$4" ]; then problem "message '$m', expected '$4'"; fi
    if [ "${3:--}" != - ]; then
        [ "$(header WWW-Authenticate)" = "$3" ] || problem "WWW-Authenticate '$(header WWW-Authenticate)', expected '$3'"
    fi
    expect_json_headers
}

TOKEN_RE='^[A-Za-z0-9_-]{43}$'
# expect_token UID: a success answer of /auth/token/apikey; sets TOKEN
expect_token() {
    TOKEN=""
    [ "$STATUS" = 200 ] || problem "status $STATUS, expected 200"
    local t; t="$(jget 'd["access_token"]')" || t=""
    [[ "$t" =~ $TOKEN_RE ]] || problem "access_token is not 43 URL-safe base64 characters"
    [ "$(jget 'd["token_type"]')" = Bearer ] || problem "token_type is not 'Bearer'"
    [ "$(jget 'd["expires_in"] if type(d["expires_in"]) is int else None')" = 3600 ] || problem "expires_in is not 3600"
    [ "$(jget 'sorted(d)')" = '["access_token", "expires_in", "token_type", "uid"]' ] || problem "fields are not access_token, expires_in, token_type, uid"
    local uid; uid="$(jget 'd["uid"] if type(d["uid"]) is int else None')" || uid=""
    if [ -n "${1:-}" ]; then
        [ "$uid" = "$1" ] || problem "uid $uid, expected $1"
    else
        [[ "$uid" =~ ^[0-9]+$ ]] || problem "uid is not an integer"
    fi
    expect_json_headers
    TOKEN="$t"
}

# expect_created: a success answer of /api/project/create; sets PROJECT_ID
expect_created() {
    PROJECT_ID=""
    [ "$STATUS" = 200 ] || problem "status $STATUS, expected 200"
    [ "$(jget 'd["status"]')" = success ] || problem "status field is not 'success'"
    [ "$(jget 'd["message"]')" = "Project created successfully" ] || problem "message is not 'Project created successfully'"
    PROJECT_ID="$(jget 'd["project_id"] if type(d["project_id"]) is int and d["project_id"] > 0 else None')" || PROJECT_ID=""
    [[ "$PROJECT_ID" =~ ^[0-9]+$ ]] || { problem "project_id is not a positive integer"; PROJECT_ID=""; }
    expect_json_headers
}

json_str() { "$PY" -c 'import json, sys; print(json.dumps(sys.argv[1]))' "$1"; }
# token_body DB KEY: JSON body {"db": DB, "api_key": KEY} without KEY on a command line
token_body() { "$PY" -c 'import json, sys; db, key = sys.stdin.read().split("\n", 1); print(json.dumps({"db": db, "api_key": key}))' <<<"$1"$'\n'"$2" | tr -d '\n'; }

# rpc_kw UID KEY MODEL METHOD ARGS_JSON KWARGS_JSON: JSON-RPC execute_kw; BODY = answer
rpc_kw() {
    local payload
    payload="{\"jsonrpc\":\"2.0\",\"method\":\"call\",\"id\":1,\"params\":{\"service\":\"object\",\"method\":\"execute_kw\",\"args\":[$(json_str "$DB"),$1,$(json_str "$2"),\"$3\",\"$4\",$5,$6]}}"
    req POST /jsonrpc -h 'Content-Type: application/json' -d "$payload"
}

digest() { printf '%s' "$1" | sha256sum | cut -d' ' -f1; }

DBH="X-Odoo-Database: $DB"
CT='Content-Type: application/json'
ALICE_KEY="$KEYGATE_ODOO_ALICE_KEY"
BOB_KEY="$KEYGATE_ODOO_BOB_KEY"
A_UID="${ALICE_UID:-}"
B_UID="${BOB_UID:-}"
STAMP="$(date +%Y%m%dT%H%M%S)"
PROJECT_BODY="{\"project_name\": \"token-module-check $STAMP\", \"project_description\": \"Created through /api/project/create\"}"
MSG_INVALID_KEY="The API key is unknown, revoked, expired, or belongs to an inactive user."
WWW_MISSING='Bearer realm="odoo"'
WWW_INVALID='Bearer realm="odoo", error="invalid_token"'

echo "token-module-check: $URL database $DB$([ "$HAVE_KEYS" = 1 ] || echo ' (no keys.env: some cases skipped)')"

# ============================================ POST /auth/token/apikey
begin "t01 token: X-Odoo-Database + X-API-Key headers (alice) -> 200"
req POST /auth/token/apikey -h "$DBH" -h "X-API-Key: $ALICE_KEY"
expect_token "$A_UID"; ALICE_TOKEN="$TOKEN"; finish

begin "t02 token: JSON body {db, api_key} (alice) -> 200, a new token"
req POST /auth/token/apikey -h "$CT" -d "$(token_body "$DB" "$ALICE_KEY")"
expect_token "$A_UID"
[ -z "$TOKEN" ] || [ "$TOKEN" != "$ALICE_TOKEN" ] || problem "the second token equals the first"
ALICE_TOKEN_2="$TOKEN"; finish

begin "t09 token: bob's key -> 200"
req POST /auth/token/apikey -h "$DBH" -h "X-API-Key: $BOB_KEY"
expect_token "$B_UID"; BOB_TOKEN="$TOKEN"; finish

begin "t03 token: no database -> 400 Missing database"
req POST /auth/token/apikey -h "X-API-Key: $ALICE_KEY"
expect_error 400 "Missing database"; finish

begin "t04 token: no API key -> 400 Missing API key"
req POST /auth/token/apikey -h "$DBH"
expect_error 400 "Missing API key"; finish

begin "token: body not JSON ('{not json') -> 400 Invalid JSON body"
req POST /auth/token/apikey -h "$DBH" -h "X-API-Key: $ALICE_KEY" -h "$CT" -d '{not json'
expect_error 400 "Invalid JSON body"; finish

begin "token: body a JSON array, not an object -> 400 Invalid JSON body"
req POST /auth/token/apikey -h "$DBH" -h "X-API-Key: $ALICE_KEY" -h "$CT" -d '["db", "api_key"]'
expect_error 400 "Invalid JSON body"; finish

begin "t05 token: unknown key -> 401 Invalid API key"
req POST /auth/token/apikey -h "$DBH" -h "X-API-Key: 0123456789abcdef0123456789abcdef01234567"
expect_error 401 "Invalid API key" - "$MSG_INVALID_KEY"; finish

begin "t06 token: expired Odoo API key -> 401 Invalid API key"
req POST /auth/token/apikey -h "$DBH" -h "X-API-Key: $KEYGATE_ODOO_EXPIRED_KEY"
expect_error 401 "Invalid API key" - "$MSG_INVALID_KEY"; finish

begin "t08 token: alice's password instead of a key -> 401 Invalid API key"
req POST /auth/token/apikey -h "$DBH" -h "X-API-Key: $KEYGATE_ODOO_ALICE_PASSWORD"
expect_error 401 "Invalid API key" - "$MSG_INVALID_KEY"; finish

begin "t07 token: unknown database -> 404 Database not found"
req POST /auth/token/apikey -h "X-Odoo-Database: keygate_no_such_db" -h "X-API-Key: $ALICE_KEY"
expect_error 404 "Database not found"; finish

begin "t10 token: GET -> 405, Allow: OPTIONS, POST"
req GET /auth/token/apikey -h "$DBH" -h "X-API-Key: $ALICE_KEY"
[ "$STATUS" = 405 ] || problem "status $STATUS, expected 405"
allow="$(header Allow | tr -d ' ' | tr ',' '\n' | sort | paste -sd,)"
[ "$allow" = "OPTIONS,POST" ] || problem "Allow '$(header Allow)', expected 'OPTIONS, POST'"
finish

if [ "$HAVE_KEYS" = 1 ] && [ -n "${CAROL_API_KEY:-}" ]; then
    begin "token: carol's key (project user, no 2FA) -> 200"
    req POST /auth/token/apikey -h "$DBH" -h "X-API-Key: $CAROL_API_KEY"
    expect_token "${CAROL_UID:-}"; CAROL_TOKEN="$TOKEN"; finish
else
    CAROL_TOKEN=""; skip "token: carol's key" "no CAROL_API_KEY (keys.env)"
fi

# ============================================ POST /api/project/create
begin "t20 create: Authorization: Bearer (alice) -> 200 success"
req POST /api/project/create -h "$CT" -h "$DBH" -h "Authorization: Bearer $ALICE_TOKEN" -d "$PROJECT_BODY"
expect_created; T20_ID="$PROJECT_ID"; finish

if [ -n "$T20_ID" ]; then
    begin "t29 create: the t20 project reads back over JSON-RPC as alice's, description as HTML"
    if [ -n "$A_UID" ]; then
        rpc_kw "$A_UID" "$ALICE_KEY" project.project read "[[$T20_ID]]" '{"fields": ["name", "description", "create_uid", "user_id"]}'
        [ "$(jget 'd["result"][0]["name"]')" = "token-module-check $STAMP" ] || problem "name does not read back"
        [ "$(jget 'd["result"][0]["description"]')" = "<p>Created through /api/project/create</p>" ] || problem "description is not '<p>Created through /api/project/create</p>'"
        [ "$(jget 'd["result"][0]["create_uid"][0]')" = "$A_UID" ] || problem "create_uid is not alice"
        finish
    else
        skip "t29 read back" "no ALICE_UID (keys.env)"
    fi
fi

begin "t21 create: X-Access-Token, no database header (the server's only database) -> 200"
req POST /api/project/create -h "$CT" -h "X-Access-Token: $ALICE_TOKEN_2" -d "{\"project_name\": \"token-module-check $STAMP 2\"}"
expect_created; finish

begin "create: scheme 'bearer' in lower case, database in the JSON body -> 200"
req POST /api/project/create -h "$CT" -h "Authorization: bearer $ALICE_TOKEN" -d "{\"db\": $(json_str "$DB"), \"project_name\": \"token-module-check $STAMP 3\"}"
expect_created; finish

begin "t22 create: no token -> 401 Missing access token + WWW-Authenticate"
req POST /api/project/create -h "$CT" -h "$DBH" -d "$PROJECT_BODY"
expect_error 401 "Missing access token" "$WWW_MISSING"; finish

begin "create: 'Authorization: Basic ...' is no token -> 401 Missing access token"
req POST /api/project/create -h "$CT" -h "$DBH" -h "Authorization: Basic YWxpY2U6eA==" -d "$PROJECT_BODY"
expect_error 401 "Missing access token" "$WWW_MISSING"; finish

begin "t23 create: unknown token -> 401 Invalid access token"
req POST /api/project/create -h "$CT" -h "$DBH" -h "Authorization: Bearer not-a-real-token-0000000000000000000000000" -d "$PROJECT_BODY"
expect_error 401 "Invalid access token" "$WWW_INVALID"; finish

begin "t27 create: Odoo API key as bearer -> 401 Invalid access token"
req POST /api/project/create -h "$CT" -h "$DBH" -h "Authorization: Bearer $ALICE_KEY" -d "$PROJECT_BODY"
expect_error 401 "Invalid access token" "$WWW_INVALID"; finish

begin "t24 create: bob (no project rights) -> 403 Access denied"
req POST /api/project/create -h "$CT" -h "$DBH" -h "Authorization: Bearer $BOB_TOKEN" -d "$PROJECT_BODY"
expect_error 403 "Access denied"
[[ "$(jget 'd["message"]')" == *"(project.project)"* ]] || problem "message is not Odoo's AccessError text for project.project"
finish

if [ -n "$CAROL_TOKEN" ]; then
    begin "create: carol (Project/User) -> 403 Access denied"
    req POST /api/project/create -h "$CT" -h "$DBH" -h "X-Access-Token: $CAROL_TOKEN" -d "$PROJECT_BODY"
    expect_error 403 "Access denied"; finish
fi

begin "t25 create: no project_name -> 400 Missing project_name"
req POST /api/project/create -h "$CT" -h "$DBH" -h "Authorization: Bearer $ALICE_TOKEN" -d '{"project_description": "no name"}'
expect_error 400 "Missing project_name"; finish

begin "create: empty project_name -> 400 Missing project_name"
req POST /api/project/create -h "$CT" -h "$DBH" -h "Authorization: Bearer $ALICE_TOKEN" -d '{"project_name": ""}'
expect_error 400 "Missing project_name"; finish

begin "t26 create: body not JSON -> 400 Invalid JSON body"
req POST /api/project/create -h "$CT" -h "$DBH" -h "Authorization: Bearer $ALICE_TOKEN" -d '{not json'
expect_error 400 "Invalid JSON body"; finish

begin "create: project_description not a string -> 400 Validation error"
req POST /api/project/create -h "$CT" -h "$DBH" -h "Authorization: Bearer $ALICE_TOKEN" -d '{"project_name": "x", "project_description": ["not", "text"]}'
expect_error 400 "Validation error"; finish

begin "create: unknown database -> 404 Database not found"
req POST /api/project/create -h "$CT" -h "X-Odoo-Database: keygate_no_such_db" -h "Authorization: Bearer $ALICE_TOKEN" -d "$PROJECT_BODY"
expect_error 404 "Database not found"; finish

begin "create: GET -> 405"
req GET /api/project/create -h "$DBH" -h "Authorization: Bearer $ALICE_TOKEN"
[ "$STATUS" = 405 ] || problem "status $STATUS, expected 405"; finish

# order of checks: missing token, then body, then database, then the token itself
begin "order: no token and a bad body -> 401 Missing access token"
req POST /api/project/create -h "$CT" -h "$DBH" -d '{not json'
expect_error 401 "Missing access token" "$WWW_MISSING"; finish

begin "order: unknown token and a bad body -> 400 Invalid JSON body"
req POST /api/project/create -h "$CT" -h "$DBH" -h "Authorization: Bearer not-a-real-token-0000000000000000000000000" -d '{not json'
expect_error 400 "Invalid JSON body"; finish

begin "order: unknown token and an unknown database -> 404 Database not found"
req POST /api/project/create -h "$CT" -h "X-Odoo-Database: keygate_no_such_db" -h "Authorization: Bearer not-a-real-token-0000000000000000000000000" -d "$PROJECT_BODY"
expect_error 404 "Database not found"; finish

# expired token: an administrator moves a fresh token's expiry into the past
if [ "$HAVE_KEYS" = 1 ] && [ -n "${ADMIN_API_KEY:-}" ] && [ -n "${ADMIN_UID:-}" ]; then
    begin "t28 create: expired token -> 401 Access token expired"
    req POST /auth/token/apikey -h "$DBH" -h "X-API-Key: $BOB_KEY"
    expect_token "$B_UID"; OLD_TOKEN="$TOKEN"
    if [ -n "$OLD_TOKEN" ]; then
        rpc_kw "$ADMIN_UID" "$ADMIN_API_KEY" keygate_token_api.access_token search "[[[\"token\", \"=\", \"$(digest "$OLD_TOKEN")\"]]]" '{}'
        rec="$(jget 'd["result"][0] if len(d["result"]) == 1 else None')" || rec=None
        if [[ "$rec" =~ ^[0-9]+$ ]]; then
            rpc_kw "$ADMIN_UID" "$ADMIN_API_KEY" keygate_token_api.access_token write "[[$rec], {\"expiry\": \"2000-01-01 00:00:00\"}]" '{}'
            [ "$(jget 'd["result"]')" = True ] || problem "could not move the token's expiry (admin write): $(jget 'd["error"]["data"]["message"]')"
            req POST /api/project/create -h "$CT" -h "$DBH" -h "Authorization: Bearer $OLD_TOKEN" -d "$PROJECT_BODY"
            expect_error 401 "Access token expired" "$WWW_INVALID"
        else
            problem "the token's SHA-256 digest is not stored exactly once (found: $rec)"
        fi
        rpc_kw "$ADMIN_UID" "$ADMIN_API_KEY" keygate_token_api.access_token search_count "[[\"|\", [\"token\", \"=\", $(json_str "$OLD_TOKEN")], [\"token\", \"ilike\", $(json_str "${OLD_TOKEN:0:12}")]]]" '{}'
        [ "$(jget 'd["result"]')" = 0 ] || problem "the clear token (or a part of it) is stored"
        
    fi
    finish
else
    skip "t28 expired token" "no ADMIN_API_KEY/ADMIN_UID (keys.env)"
fi

echo "token-module-check: $PASSED passed, $FAILED failed, $SKIPPED skipped"
[ "$FAILED" = 0 ]
