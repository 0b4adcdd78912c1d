#!/usr/bin/env bash
# The benchmark in one command:
#
#   bench/run.sh [--quick] [CORPUS_DIR]
#
# CORPUS_DIR is any folder of Markdown (searched recursively for *.md, *.mdx, *.markdown);
# by default ../shared/corpus/python-insider beside the repository. relconv is built in
# Release in its own build folder (BENCH_BUILD, default build-bench/ in the repository)
# unless RELCONV names a binary to use. Results go to BENCH_RESULTS (default bench/results/):
# summary.md (the tables), results.json (every measurement), work/ (inputs and outputs).
# Everything else (runs per benchmark, which tools) is described in bench/README.md.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/.." && pwd)"

quick=()
corpus=""
for arg in "$@"; do
  case "$arg" in
    --quick) quick=(--quick) ;;
    -h|--help) sed -n '2,12p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    -*) echo "run.sh: unknown option '$arg'" >&2; exit 2 ;;
    *) corpus="$arg" ;;
  esac
done
if [ -z "$corpus" ]; then
  corpus="$repo/../shared/corpus/python-insider"
  # In a git worktree, ../shared is beside the main clone.
  if [ ! -d "$corpus" ] && common="$(git -C "$repo" rev-parse --path-format=absolute --git-common-dir 2>/dev/null)"; then
    corpus="$(dirname "$common")/../shared/corpus/python-insider"
  fi
fi
[ -d "$corpus" ] || { echo "run.sh: no corpus folder '$corpus'" >&2; exit 2; }

if [ -z "${RELCONV:-}" ]; then
  build="${BENCH_BUILD:-$repo/build-bench}"
  if [ ! -f "$build/build.ninja" ] && [ ! -f "$build/Makefile" ]; then
    gen=(); command -v ninja >/dev/null && gen=(-G Ninja)
    cmake -S "$repo" -B "$build" "${gen[@]}" -DCMAKE_BUILD_TYPE=Release -DRELCONV_TESTS=OFF >/dev/null
  fi
  cmake --build "$build" --target relconv -j "$(nproc)" >/dev/null
  RELCONV="$build/relconv"
fi

exec python3 "$here/bench.py" "${quick[@]}" --relconv "$RELCONV" --corpus "$corpus" \
  --results "${BENCH_RESULTS:-$here/results}"
