#!/usr/bin/env bash
# `make fuzz`: runs every libFuzzer target of fuzz/ (built in <build-dir>) for <seconds> each,
# one after the other, starting from the seed corpus fuzz/corpus/<target>/. What a run adds to
# the corpus stays in <build-dir>/corpus/<target>/ (the seeds in the repository only change by
# hand). A crash, a sanitizer report or a FUZZ_CHECK fails the run, with the input saved as
# <build-dir>/crashes/<target>-crash-<sha1> (rerun it: `<build-dir>/<target>_fuzzer FILE`).
# Each target's libFuzzer output is in <build-dir>/fuzz-logs/<target>.log; the summary line per
# target (inputs tried, corpus size) is what docs/SECURITY.md records.
#
#   scripts/fuzz.sh build-fuzz 60 [target...]
set -euo pipefail
build_dir="$1" seconds="$2"
shift 2
source_dir="$(cd "$(dirname "$0")/.." && pwd)"
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
  for dir in "$source_dir"/fuzz/corpus/*/; do targets+=("$(basename "$dir")"); done
fi
mkdir -p "$build_dir/crashes" "$build_dir/fuzz-logs"
# Symbolized stacks in reports; leaks count as crashes.
export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1:symbolize=1}"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}"

failed=()
for target in "${targets[@]}"; do
  binary="$build_dir/${target}_fuzzer"
  corpus="$build_dir/corpus/$target"
  log="$build_dir/fuzz-logs/$target.log"
  mkdir -p "$corpus"
  # -timeout: one input taking longer is a hang, reported like a crash. -rss_limit_mb: a
  # single input must not take the machine's memory.
  if "$binary" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
      -artifact_prefix="$build_dir/crashes/$target-" "$corpus" "$source_dir/fuzz/corpus/$target" \
      > "$log" 2>&1; then
    done_line="$(grep -E "^#[0-9]+[[:space:]]+DONE" "$log" | tail -1 || true)"
    printf '%-18s ok      %s\n' "$target" "${done_line:-?}"
  else
    printf '%-18s FAILED  see %s and %s/crashes/\n' "$target" "$log" "$build_dir"
    grep -E 'ERROR|FUZZ_CHECK|runtime error|SUMMARY' "$log" | head -5 || true
    failed+=("$target")
  fi
done
if [ ${#failed[@]} -gt 0 ]; then
  echo "fuzz: ${#failed[@]} target(s) failed: ${failed[*]}"
  exit 1
fi
