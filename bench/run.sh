#!/usr/bin/env bash
# The benchmark in one command:
#
#   bench/run.sh [--quick] [--with-shared] [CORPUS_DIR]
#
# CORPUS_DIR is any folder of Markdown (searched recursively for *.md, *.mdx, *.markdown);
# by default ../shared/corpus/python-insider beside the repository. relconv is built in
# Release in its own build folder (BENCH_BUILD, default build-bench/ in the repository)
# unless RELCONV names a binary to use. Results go to BENCH_RESULTS (default bench/results/):
# summary.md (the tables), results.json (every measurement), work/ (inputs and outputs).
# --with-shared also builds relconv with -DRELCONV_STATIC_DEPS=OFF (libstdc++ and yaml-cpp
# as shared libraries; in BENCH_BUILD/shared-deps, or RELCONV_SHARED names a binary) and
# measures it one process per document beside the default build. The library floors
# (bench/floors/*.c: libzip alone, libharu alone) are built with cc -O2 into BENCH_BUILD; if
# that fails, their rows are left out. Everything else (runs, which tools) is described in
# bench/README.md.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/.." && pwd)"

quick=()
with_shared=0
corpus=""
for arg in "$@"; do
  case "$arg" in
    --quick) quick=(--quick) ;;
    --with-shared) with_shared=1 ;;
    -h|--help) sed -n '2,16p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
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
  cmake "$build" -DRELCONV_STATIC_DEPS=ON >/dev/null  # the default (a folder made before it was may say OFF)
  cmake --build "$build" --target relconv -j "$(nproc)" >/dev/null
  RELCONV="$build/relconv"
fi

shared=()
if [ "$with_shared" = 1 ]; then
  if [ -z "${RELCONV_SHARED:-}" ]; then
    sbuild="${BENCH_BUILD:-$repo/build-bench}/shared-deps"
    if [ ! -f "$sbuild/build.ninja" ] && [ ! -f "$sbuild/Makefile" ]; then
      gen=(); command -v ninja >/dev/null && gen=(-G Ninja)
      cmake -S "$repo" -B "$sbuild" "${gen[@]}" -DCMAKE_BUILD_TYPE=Release -DRELCONV_TESTS=OFF \
        -DRELCONV_STATIC_DEPS=OFF >/dev/null
    fi
    cmake --build "$sbuild" --target relconv -j "$(nproc)" >/dev/null
    RELCONV_SHARED="$sbuild/relconv"
  fi
  shared=(--relconv-shared "$RELCONV_SHARED")
fi

# The library floors: tiny C programs that only use libzip / libharu, one process per
# document. Built when stale; a floor that cannot be built (no cc, no headers) is left out.
floors=()
fbuild="${BENCH_BUILD:-$repo/build-bench}"
mkdir -p "$fbuild"
for spec in zip_floor:-lzip:--zip-floor haru_floor:-lhpdf:--haru-floor; do
  IFS=: read -r name lib opt <<<"$spec"
  src="$here/floors/$name.c" bin="$fbuild/$name"
  if ! command -v cc >/dev/null; then
    echo "run.sh: no cc, so bench/floors/$name.c is not built and its row is left out" >&2
  elif [ "$bin" -nt "$src" ] || err="$(cc -O2 -o "$bin" "$src" "$lib" 2>&1)"; then
    floors+=("$opt" "$bin")
  else
    why="$(printf '%s\n' "$err" | grep -m1 -E 'error|cannot find' || true)"
    echo "run.sh: cannot build bench/floors/$name.c (${why:-cc failed}); its row is left out" >&2
  fi
done

exec python3 "$here/bench.py" "${quick[@]}" "${shared[@]}" "${floors[@]}" --relconv "$RELCONV" --corpus "$corpus" \
  --results "${BENCH_RESULTS:-$here/results}"
