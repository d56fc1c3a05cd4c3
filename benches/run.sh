#!/usr/bin/env bash
# Runs every benchmark of quarry, Diesel, SQLx and the raw drivers, then the
# compile-time comparison, and writes docs/benchmarks.md and
# docs/benchmarks.svg from this one run.
#
#   benches/run.sh                      # everything, about a quarter of an hour on 2 cores
#   benches/run.sh --no-compile-time    # the runtime benchmarks only
#   benches/run.sh --quick              # shorter: see below; the report says so
#   benches/run.sh --no-rivals          # quarry and the raw drivers only
#
# --quick is for a busy machine: criterion measures each benchmark for 0.6 s
# (10 samples) instead of 1.6 s (20), pooled lookups take 11 pairs of
# rounds instead of 41 and COPY 3 rounds instead of 5, the compile-time
# comparison is left out, and callgrind counts instructions over 500 and 1 000 runs instead of
# 2 000 and 4 000 (the counts do not depend on the machine's load; the
# setup they cancel out is the same).
#
# PostgreSQL: QUARRY_PG_URL, default postgres://postgres@127.0.0.1:5432/test.
# Each library works in its own schema there (bench_quarry, bench_diesel, ...),
# dropped and made anew.
set -euo pipefail
cd "$(dirname "$0")"

compile_time=1
quick=0
with_rivals=1
for arg in "$@"; do
  case "$arg" in
    --no-compile-time) compile_time=0 ;;
    --quick) quick=1 compile_time=0 ;;
    --no-rivals) with_rivals=0 ;;
    *) echo "usage: $0 [--no-compile-time] [--quick] [--no-rivals]" >&2; exit 2 ;;
  esac
done
criterion_args=()
if [ "$quick" = 1 ]; then
  criterion_args=(--warm-up-time 0.2 --measurement-time 0.6 --sample-size 10)
  export BENCH_QUICK=1
fi

export CRITERION_HOME="$PWD/target/criterion"
export BENCH_NOTES="$PWD/target/notes.tsv"
# One run, one report: nothing left from an earlier run.
rm -rf "$CRITERION_HOME" "$BENCH_NOTES" target/compile-time.json
mkdir -p target

note() { printf '%s\t%s\n' "$1" "$2" >>"$BENCH_NOTES"; }

# Build first, so that no compilation runs beside a measurement. The
# rivals' dependency graph builds into a directory of its own, so that the
# two builds can run at the same time.
export RIVALS_TARGET_DIR="${CARGO_TARGET_DIR:-$PWD/target}/rivals"
rivals() { (cd rivals && CARGO_TARGET_DIR="$RIVALS_TARGET_DIR" cargo "$@"); }
cargo build --release --benches --bins
if [ "$with_rivals" = 1 ]; then
  rivals build --release --benches
else
  note rivals "not run (--no-rivals): Diesel, diesel-async and SQLx columns are empty"
fi

note rustc "$(rustc -V)"
url="${QUARRY_PG_URL:-postgres://postgres@127.0.0.1:5432/test}"
note postgres "$(psql "$url" -Atc 'SHOW server_version' 2>/dev/null || echo unknown)"
commit="$(git rev-parse --short HEAD 2>/dev/null || echo unknown)"
git diff --quiet HEAD -- ../src ../runtime ../macros 2>/dev/null || commit="$commit with local changes"
note commit "$commit"
note started "$(date -u '+%Y-%m-%d %H:%M UTC')"
if [ "$quick" = 1 ]; then
  note mode "quick (criterion 0.6 s and 10 samples per benchmark, 11 pairs of pooled rounds, 3 COPY rounds, callgrind over 500 and 1 000 runs)"
else
  note mode "full (criterion 1.6 s and 20 samples per benchmark, 41 pairs of pooled rounds, 5 COPY rounds)"
fi

# Workload by workload, quarry's process then the rivals', so that the
# figures compared with each other are measured minutes apart at most.
for workload in trivial medium insert associations; do
  cargo bench --bench quarry -- "^$workload/" "${criterion_args[@]}"
  if [ "$with_rivals" = 1 ]; then
    rivals bench --bench rivals -- "^$workload/" "${criterion_args[@]}"
  fi
done

# Issue #23's workloads: SQLite instruction counts under callgrind (N and
# 2N iterations, the difference over N), then pooled lookups and COPY in
# interleaved rounds, then streaming's peak memory, a process per library.
bin="${CARGO_TARGET_DIR:-target}/release"
instructions() {
  valgrind --tool=callgrind --callgrind-out-file=/dev/null "$bin/instructions" "$@" 2>&1 |
    awk '/Collected/ {print $4}'
}
n=2000
[ "$quick" = 1 ] && n=500
for workload in trivial medium join100 lookup insert; do
  for lib in quarry rusqlite; do
    a="$(instructions "$workload" "$lib" "$n")"
    b="$(instructions "$workload" "$lib" $((2 * n)))"
    note "instr.$workload.$lib" "$(((b - a) / n))"
  done
done
"$bin/workloads" pooled >>"$BENCH_NOTES"
"$bin/workloads" copy >>"$BENCH_NOTES"
for backend in sqlite pg; do
  for lib in raw quarry; do
    "$bin/workloads" stream "$backend" "$lib" >>"$BENCH_NOTES"
  done
done

if [ "$compile_time" = 1 ]; then
  python3 compile_time.py --out target/compile-time.json
fi
note finished "$(date -u '+%Y-%m-%d %H:%M UTC')"

cargo run --release --quiet --bin report
