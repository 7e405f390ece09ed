#!/usr/bin/env bash
# Runs one libFuzzer harness (built in the DT_SANITIZE tree, build/asan) and says in one line what happened.
#
#   run.sh replay HARNESS CORPUS                      every seed of CORPUS once
#   run.sh fuzz HARNESS CORPUS WORK SECONDS [--fresh] fuzzing for SECONDS from WORK/corpus,
#                                                     into which CORPUS is copied first (the
#                                                     repository's corpus is only read); --fresh
#                                                     empties WORK first, else the corpus grown
#                                                     by earlier runs is kept
#
# Exit status: 0 when nothing was found, 1 on a finding (a crash, a sanitizer report, a leak, a
# timeout or running out of memory), whose input is kept in WORK (crash-*, timeout-*, ...) and
# whose report is in WORK/fuzz.log, until the next run there. To see a finding again:
#   HARNESS WORK/crash-...
set -uo pipefail

mode=${1:?usage: run.sh replay|fuzz HARNESS CORPUS [WORK SECONDS [--fresh]]}
harness=$(realpath "${2:?the harness executable}")
corpus=$(realpath "${3:?the corpus folder}")
name=$(basename "$harness")
name=${name#fuzz_}

# A sanitizer report must fail the run, and carry a stack trace with symbols.
export ASAN_OPTIONS=${ASAN_OPTIONS:-abort_on_error=1:detect_leaks=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
# One input may take at most 10 s and 2 GB: anything slower or bigger is a finding too.
limits=(-timeout=10 -rss_limit_mb=2048)
# The names a harness's input is made of (JSON keys, flags), where it has them.
dict=$(dirname "$(realpath "$0")")/$name.dict
[ -f "$dict" ] && limits+=(-dict="$dict")

if [ "$mode" = replay ]; then
  seeds=("$corpus"/*)
  log=$(mktemp)
  trap 'rm -f "$log"' EXIT
  if "$harness" "${limits[@]}" "${seeds[@]}" >"$log" 2>&1; then
    echo "$name: replayed ${#seeds[@]} seeds, no finding"
    exit 0
  fi
  cat "$log"
  echo "$name: FINDING while replaying the seeds of $corpus (report above)"
  exit 1
fi

work=${4:?the work folder}
seconds=${5:?how many seconds}
[ "${6:-}" = --fresh ] && rm -rf "$work"
mkdir -p "$work/corpus"
cp -n "$corpus"/* "$work/corpus/"
rm -f "$work"/crash-* "$work"/timeout-* "$work"/oom-* "$work"/leak-*
seeds=$(ls "$work/corpus" | wc -l)

start=$SECONDS
"$harness" "${limits[@]}" -max_total_time="$seconds" -print_final_stats=1 -artifact_prefix="$work/" \
  "$work/corpus" >"$work/fuzz.log" 2>&1
status=$?
elapsed=$((SECONDS - start))

stat() { sed -n "s/^stat::$1: *//p" "$work/fuzz.log" | tail -1; }
execs=$(stat number_of_executed_units)
per_second=$(stat average_exec_per_sec)
now=$(ls "$work/corpus" | wc -l)
findings=$(ls "$work"/crash-* "$work"/timeout-* "$work"/oom-* "$work"/leak-* 2>/dev/null)
summary="$name: ${execs:-?} executions in $elapsed s (${per_second:-?}/s), corpus $seeds -> $now inputs"
if [ $status -eq 0 ] && [ -z "$findings" ]; then
  echo "$summary, no finding"
  exit 0
fi
grep -E -A40 '^==[0-9]+==ERROR|runtime error|property failed|ERROR: libFuzzer' "$work/fuzz.log" | head -60
echo "$summary, FINDING (exit status $status): ${findings:-see $work/fuzz.log}"
exit 1
