#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Runs every libFuzzer target for SECONDS (60) each, one after the other,
# from the seed corpus into a throw-away work corpus, and prints each run's
# executions per second. Findings are written to OUT/<target>/ (default a
# temp dir; the path is printed). Known, reported bug classes are skipped
# (KEYGATE_FUZZ_SKIP_KNOWN=1, see crashes/README.md) unless ALL_BUGS=1.
#   CC=clang meson setup build-fuzz -Dfuzzing=true
#   ninja -C build-fuzz tests/fuzz/fuzz-classify-jsonrpc tests/fuzz/fuzz-redact \
#         tests/fuzz/fuzz-profile-json tests/fuzz/fuzz-history-line tests/fuzz/fuzz-curl-import
#   tests/fuzz/run-fuzzers.sh build-fuzz [SECONDS] [OUT]
set -u
builddir=${1:?usage: run-fuzzers.sh BUILD_DIR [SECONDS] [OUT]}
seconds=${2:-60}
here=$(cd "$(dirname "$0")" && pwd)
out=${3:-$(mktemp -d "${TMPDIR:-/tmp}/keygate-fuzz.XXXXXX")}

[ -n "${ALL_BUGS:-}" ] || export KEYGATE_FUZZ_SKIP_KNOWN=1
export G_SLICE=always-malloc no_proxy=127.0.0.1,localhost
export LSAN_OPTIONS="suppressions=$here/lsan-fuzz.supp:print_suppressions=0"
# Per-input leak checks need full stacks for the suppression, which is ten
# times slower: they are off during the run; the replay below checks leaks.
export ASAN_OPTIONS=abort_on_error=1:detect_leaks=0
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1

status=0
for target in fuzz-classify-jsonrpc fuzz-redact fuzz-profile-json fuzz-history-line \
              fuzz-curl-import; do
  exe="$builddir/tests/fuzz/$target"
  [ -x "$exe" ] || { echo "$exe is missing (build with -Dfuzzing=true)" >&2; exit 2; }
  mkdir -p "$out/$target/work" "$out/$target/findings"
  "$exe" -max_total_time="$seconds" -print_final_stats=1 -detect_leaks=0 \
    -artifact_prefix="$out/$target/findings/" \
    "$out/$target/work" "$here/corpus/$target" > "$out/$target/log" 2>&1
  rc=$?
  # Every input found, once, with leak detection and full stacks.
  ASAN_OPTIONS=abort_on_error=1:detect_leaks=1:fast_unwind_on_malloc=0 \
    "$exe" -runs=0 -artifact_prefix="$out/$target/findings/leak-" \
    "$out/$target/work" "$here/corpus/$target" > "$out/$target/leaks.log" 2>&1
  leak_rc=$?
  execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$out/$target/log" | tail -n 1)
  per_s=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$out/$target/log" | tail -n 1)
  printf '%-24s %8s execs %6s exec/s  fuzz rc %s  leak check rc %s\n' \
    "$target" "${execs:-?}" "${per_s:-?}" "$rc" "$leak_rc"
  [ "$rc" -eq 0 ] && [ "$leak_rc" -eq 0 ] || status=1
done
echo "logs and findings: $out"
exit $status
