#!/usr/bin/env bash
# The second build of CI: the whole test suite under AddressSanitizer and
# UndefinedBehaviorSanitizer with leak detection, then a short run of every
# fuzz target. Exits non-zero on any failure, leak, UB report or crash.
#
#   tests/run-sanitized.sh [BUILD_DIR]     (default: build-asan in the source tree)
#
# Environment:
#   CR_FUZZ_SECONDS  seconds per fuzz target (default 30; 0 skips fuzzing)
#   CR_SAN_JOBS      parallel compile jobs, tests and fuzzers (default 2)
#
# Needs clang, its libFuzzer runtime and llvm-symbolizer; when they are
# missing and apt-get can be used, they are installed (Debian 12: clang,
# libclang-rt-dev, llvm).
set -euo pipefail

src=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$src/build-asan}
seconds=${CR_FUZZ_SECONDS:-30}
jobs=${CR_SAN_JOBS:-2}
fuzz_targets=(endpoint key gateway sse cursor)

start=$SECONDS
phase_start=$SECONDS
phase () {
  echo "== $1 ($((SECONDS - phase_start)) s for the last step, $((SECONDS - start)) s in all)"
  phase_start=$SECONDS
}

# ---- clang and libFuzzer --------------------------------------------------

have_toolchain () {
  local probe
  command -v clang >/dev/null 2>&1 && command -v llvm-symbolizer >/dev/null 2>&1 || return 1
  probe=$(mktemp -d)
  printf 'int LLVMFuzzerTestOneInput (const char *d, unsigned long n) { return 0; }\n' > "$probe/p.c"
  clang -fsanitize=fuzzer,address,undefined "$probe/p.c" -o "$probe/p" >/dev/null 2>&1
  local rc=$?
  rm -rf "$probe"
  return $rc
}

if ! have_toolchain; then
  if command -v apt-get >/dev/null 2>&1; then
    sudo_cmd=()
    [ "$(id -u)" -eq 0 ] || sudo_cmd=(sudo)
    echo "== installing clang, libFuzzer and llvm-symbolizer"
    "${sudo_cmd[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -q clang libclang-rt-dev llvm >/dev/null
  fi
  have_toolchain || { echo "run-sanitized: clang with libFuzzer and llvm-symbolizer are needed" >&2; exit 2; }
fi
export ASAN_SYMBOLIZER_PATH=${ASAN_SYMBOLIZER_PATH:-$(command -v llvm-symbolizer)}

# ---- Build ------------------------------------------------------------------

# b_lundef=false: clang links the sanitizer runtime only into executables,
# so anything linked with -z defs would fail on its symbols.
setup_args=(-Dwerror=true -Db_sanitize=address,undefined -Db_lundef=false)
if [ -f "$build/build.ninja" ]; then
  meson configure "$build" "${setup_args[@]}" >/dev/null
else
  CC=clang meson setup "$build" "$src" "${setup_args[@]}" >/dev/null
fi
grep -q '^ command = clang ' "$build/build.ninja" \
  || { echo "run-sanitized: $build was not set up with clang; remove it" >&2; exit 2; }
ninja -C "$build" -j "$jobs" >"$build/run-sanitized-build.log" 2>&1 \
  || { tail -n 40 "$build/run-sanitized-build.log"; echo "run-sanitized: the build failed" >&2; exit 1; }
phase "built $build with ASan + UBSan"

# ---- The suite under the sanitizers ---------------------------------------

# detect_leaks: LeakSanitizer at every exit. fast_unwind_on_malloc=0: full
# stacks through system libraries built without frame pointers, so the
# suppressions (which name their functions) match. intercept_tls_get_addr=0:
# clang 14's LeakSanitizer misreads glibc 2.36's dynamic TLS and crashes
# ("Tracer caught signal 11") in programs with worker threads; static TLS is
# still scanned. halt_on_error: a UB report fails the test instead of
# scrolling past.
export ASAN_OPTIONS="detect_leaks=1:fast_unwind_on_malloc=0:malloc_context_size=30:intercept_tls_get_addr=0:abort_on_error=1"
export LSAN_OPTIONS="suppressions=$src/tests/lsan.supp:print_suppressions=0"
export UBSAN_OPTIONS="halt_on_error=1:print_stacktrace=1"
# GLib 2.74 still has GSlice: without this, its magazines hide slices from
# ASan, and LeakSanitizer sees no leak of anything GSlice-allocated (GObjects,
# json-glib nodes, GLists).
export G_SLICE=always-malloc
# GIO would dlopen libproxy, which is C++, after ASan started; ASan then
# cannot intercept its exceptions and aborts ("CHECK failed: ...
# real___cxa_throw"). The tests only talk to loopback, where no proxy applies.
export GIO_USE_PROXY_RESOLVER=dummy
# Everything runs 3–10 times slower here: a test that asserts a wall-clock
# budget ("answered within 5 s") should multiply it by this.
export CR_TEST_TIME_SCALE=${CR_TEST_TIME_SCALE:-4}

suite_log="$build/run-sanitized-suite.log"
suite_rc=0
meson test -C "$build" --no-rebuild --print-errorlogs --num-processes "$jobs" \
  --timeout-multiplier 3 >"$suite_log" 2>&1 || suite_rc=$?
grep -E '^ *[0-9]+/[0-9]+ ' "$suite_log" || true
summary () { sed -n "s/^$1: *\([0-9]*\).*/\1/p" "$suite_log" | tail -n 1; }
suite_ok=$(( $(summary 'Ok') + 0 ))
suite_failed=$(( $(summary 'Fail') + $(summary 'Timeout') + $(summary 'Unexpected Pass') + 0 ))
suite_skipped=$(( $(summary 'Skipped') + 0 ))
if [ "$suite_rc" -ne 0 ]; then
  sed -n '/^Summary of Failures:/,$p' "$suite_log"
  grep -E 'ERROR: (Address|Leak|Undefined)Sanitizer|runtime error:|SUMMARY: ' "$suite_log" | sort | uniq -c | head -n 20 || true
  echo "full log: $suite_log"
  [ "$suite_failed" -gt 0 ] || suite_failed=1
fi
echo "suite under ASan + UBSan + LSan: $suite_ok passed, $suite_failed failed, $suite_skipped skipped"
phase "ran the suite"

# ---- Fuzz smoke -------------------------------------------------------------

fuzz_ok=0
fuzz_failed=0
if [ "$seconds" -gt 0 ]; then
  work=$(mktemp -d "${TMPDIR:-/tmp}/cr-fuzz.XXXXXX")
  trap 'rm -rf "$work"' EXIT
  # Leaks found while fuzzing are real leaks of ours: no suppressions there.
  fuzz_env=(env ASAN_OPTIONS="detect_leaks=1:intercept_tls_get_addr=0" LSAN_OPTIONS=)

  run_fuzzer () {
    local name=$1 dict=json.dict
    case $name in endpoint) dict=url.dict ;; key) dict=key.dict ;; esac
    mkdir -p "$work/$name/corpus" "$work/$name/crashes"
    # New inputs go to the first folder, so the tree's corpus stays as it is.
    "${fuzz_env[@]}" "$build/tests/fuzz/fuzz-$name" \
      -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
      -dict="$src/tests/fuzz/$dict" -artifact_prefix="$work/$name/crashes/" \
      "$work/$name/corpus" "$src/tests/fuzz/corpus/$name" >"$work/$name/log" 2>&1
    echo $? >"$work/$name/rc"
  }

  # $jobs at a time, each waited for by its own pid: a bare `wait` after
  # `wait -n` was seen to return before the last fuzzer had finished.
  pids=()
  for name in "${fuzz_targets[@]}"; do
    run_fuzzer "$name" &
    pids+=($!)
    if [ "${#pids[@]}" -ge "$jobs" ]; then
      wait "${pids[0]}" || true
      pids=("${pids[@]:1}")
    fi
  done
  for pid in "${pids[@]}"; do wait "$pid" || true; done

  printf '%-9s %7s %10s %8s %6s %6s %7s  %s\n' target seconds runs exec/s cov new rss-MB result
  for name in "${fuzz_targets[@]}"; do
    log="$work/$name/log"
    rc=$(cat "$work/$name/rc" 2>/dev/null || echo 125)
    fstat () { sed -n "s/^stat::$1: *//p" "$log" | tail -n 1; }
    cov=$(grep -oE 'cov: [0-9]+' "$log" | tail -n 1 | cut -d' ' -f2)
    result=ok
    if [ "$rc" -ne 0 ] || [ -n "$(ls -A "$work/$name/crashes")" ]; then result=FAILED; fi
    printf '%-9s %7s %10s %8s %6s %6s %7s  %s\n' "$name" "$seconds" "$(fstat number_of_executed_units)" \
      "$(fstat average_exec_per_sec)" "${cov:--}" "$(fstat new_units_added)" "$(fstat peak_rss_mb)" "$result"
    if [ "$result" = ok ]; then
      fuzz_ok=$((fuzz_ok + 1))
      continue
    fi
    fuzz_failed=$((fuzz_failed + 1))
    grep -E 'broken promise|ERROR: |runtime error:|SUMMARY: |CRITICAL|WARNING' "$log" | head -n 5 || true
    grep -E '^ *#[0-9]+ .* in (cr_|check_|test_)' "$log" | head -n 8 || true
    # CI throws the work folder away: the input goes to the log, to be kept
    # as tests/fuzz/regressions/$name/<what-it-is> once fixed.
    for crash in "$work/$name/crashes"/*; do
      [ -f "$crash" ] || continue
      echo "input $(basename "$crash") ($(wc -c <"$crash") bytes), base64:"
      head -c 4096 "$crash" | base64 -w 0; echo
    done
  done
  phase "fuzzed each target for $seconds s"
else
  echo "fuzzing skipped (CR_FUZZ_SECONDS=0)"
fi

echo "total: $((SECONDS - start)) s"
echo "run-sanitized: $((suite_ok + fuzz_ok)) passed, $((suite_failed + fuzz_failed)) failed, $suite_skipped skipped"
[ "$suite_failed" -eq 0 ] && [ "$fuzz_failed" -eq 0 ]
