#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""keygate-cli create-project against the same two requests sent by curl.

What a script pays for using keygate-cli instead of curl: the bench starts
the demo server (src/demo/keygate-demo-server, 127.0.0.1, port 0), adds a
JSON-RPC profile for alice and stores her demo key, then times, --runs times
each (after one warm-up):

  keygate-cli   keygate-cli create-project bench --name ... (one process:
                authenticate + execute_kw create, key from the keyring)
  curl x2       the same two JSON-RPC calls as two curl processes, the
                second one using the uid the first one returned (the bodies
                go through stdin, so the key is on no command line)

and prints the median, the 95th percentile and the ratio of the medians.
Run inside the headless session (it needs the keyring), with a release
build for figures:

  bash .ci/headless-session /usr/bin/python3 tests/bench/bench-cli-curl.py \\
      --build-dir build-release [--runs 30]
"""

import argparse
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time


def start_demo(build_dir, env):
    server = subprocess.Popen([os.path.join(build_dir, "src", "demo", "keygate-demo-server"),
                               "--port", "0"], stdout=subprocess.PIPE, text=True, env=env)
    url = key = None
    deadline = time.monotonic() + 10
    while (url is None or key is None) and time.monotonic() < deadline:
        line = server.stdout.readline()
        if not line:
            break
        m = re.search(r"URL: (http://\S+)", line)
        if m:
            url = m.group(1)
        m = re.search(r"alice\b.*?\b([0-9a-f]{40})\b", line)
        if m:
            key = m.group(1)
    if url is None or key is None:
        server.terminate()
        raise RuntimeError("the demo server did not print its URL and alice's key")
    return server, url, key


def timed(fn):
    t0 = time.monotonic()
    fn()
    return (time.monotonic() - t0) * 1000.0


def percentile(values, p):
    values = sorted(values)
    return values[min(len(values) - 1, int(round(p / 100.0 * (len(values) - 1))))]


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--build-dir", default=os.environ.get("KEYGATE_BUILD_DIR", "build"))
    parser.add_argument("--runs", type=int, default=20)
    args = parser.parse_args()

    build_dir = os.path.abspath(args.build_dir)
    cli = os.path.join(build_dir, "src", "cli", "keygate-cli")
    curl = shutil.which("curl")
    if curl is None:
        sys.exit("bench-cli-curl: curl is not installed")

    work = tempfile.mkdtemp(prefix="keygate-bench-cli-")
    env = dict(os.environ)
    env["XDG_CONFIG_HOME"] = os.path.join(work, "config")
    env["XDG_STATE_HOME"] = os.path.join(work, "state")
    env["no_proxy"] = "127.0.0.1,localhost"
    server = None
    try:
        server, url, key = start_demo(build_dir, env)
        subprocess.run([cli, "profile", "add", "bench", "--url", url, "--db", "keygate_demo",
                        "--login", "alice"], check=True, env=env, stdout=subprocess.DEVNULL)
        subprocess.run([cli, "key", "set", "bench"], input=key, text=True, check=True, env=env,
                       stdout=subprocess.DEVNULL)

        def run_cli(i):
            subprocess.run([cli, "create-project", "bench", "--name", "Bench %d" % i],
                           check=True, env=env, stdout=subprocess.DEVNULL)

        def call(body):
            out = subprocess.run([curl, "-sS", "-X", "POST", url + "/jsonrpc",
                                  "-H", "Content-Type: application/json",
                                  "--data-binary", "@-"],
                                 input=json.dumps(body), text=True, check=True,
                                 capture_output=True, env=env).stdout
            answer = json.loads(out)
            if "error" in answer:
                raise RuntimeError("the demo server refused the call: %s" % answer["error"])
            return answer["result"]

        def run_curl(i):
            uid = call({"jsonrpc": "2.0", "method": "call", "id": 1,
                        "params": {"service": "common", "method": "authenticate",
                                   "args": ["keygate_demo", "alice", key, {}]}})
            call({"jsonrpc": "2.0", "method": "call", "id": 2,
                  "params": {"service": "object", "method": "execute_kw",
                             "args": ["keygate_demo", uid, key, "project.project", "create",
                                      [{"name": "Bench curl %d" % i}], {}]}})

        results = {}
        for label, fn in (("keygate-cli create-project", run_cli), ("curl x2 (same calls)",
                                                                   run_curl)):
            fn(-1)  # warm-up
            results[label] = [timed(lambda: fn(i)) for i in range(args.runs)]
        subprocess.run([cli, "key", "forget", "bench"], env=env, stdout=subprocess.DEVNULL)
    finally:
        if server is not None:
            server.terminate()
            server.wait()
        shutil.rmtree(work, ignore_errors=True)

    print("# keygate-cli vs curl against the demo server: %s, %d runs each" % (cli, args.runs))
    print("| way | median ms | p95 ms | min ms |")
    print("|---|---|---|---|")
    for label, values in results.items():
        print("| %s | %.1f | %.1f | %.1f |" % (label, statistics.median(values),
                                               percentile(values, 95), min(values)))
    medians = [statistics.median(v) for v in results.values()]
    print("| ratio keygate-cli / curl x2 | %.2f× | | |" % (medians[0] / medians[1]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
