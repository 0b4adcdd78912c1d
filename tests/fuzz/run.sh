#!/usr/bin/env bash
# Runs relconv's libFuzzer targets (a build configured with -DRELCONV_FUZZ=ON).
#
#   run.sh [--build DIR] [--seconds N] [--work DIR] [--corpus DIR] [--fork N] [TARGET...]
#
#   --build DIR    the fuzz build (default build-fuzz)
#   --seconds N    fuzzing time per target (default 60)
#   --work DIR     where the growing corpus, seeds and crash files live (default
#                  DIR/fuzz-work); keep it between runs so each run starts where the
#                  last one stopped
#   --corpus DIR   also seed from every Markdown file under DIR (../shared/corpus); the
#                  files are read from there, never copied into the repository
#   --fork N       run N fuzzing processes (libFuzzer -fork), for long runs on idle cores
#   TARGET         parse, render (default: both)
#
# Seeds: samples/, tests/golden/*/*.md, tests/fuzz/seeds/; the render target's seeds are
# each of those once per backend (its first byte picks the format). A crash, hang, leak or
# sanitizer report stops the run with exit 1 and leaves the input in WORK/TARGET/artifacts/;
# copy it into tests/fuzz/regressions/TARGET/ (the replay tests then run it in every build)
# and fix it.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
build=build-fuzz seconds=60 work= corpus= fork=0 targets=()
while [ $# -gt 0 ]; do
  case "$1" in
    --build) build=$2; shift 2 ;;
    --seconds) seconds=$2; shift 2 ;;
    --work) work=$2; shift 2 ;;
    --corpus) corpus=$2; shift 2 ;;
    --fork) fork=$2; shift 2 ;;
    parse|render) targets+=("$1"); shift ;;
    *) echo "run.sh: unknown argument '$1'" >&2; exit 2 ;;
  esac
done
[ ${#targets[@]} -gt 0 ] || targets=(parse render)
build=$(cd "$build" && pwd)
work=${work:-$build/fuzz-work}
relconv=$build/relconv
[ -x "$build/tests/fuzz/fuzz_parse" ] || {
  echo "run.sh: no fuzz targets in $build: configure it with -DRELCONV_FUZZ=ON and clang" >&2; exit 2; }
formats=$("$relconv" --list-formats | wc -l)

seed_files() {
  find "$root/samples" "$root/tests/golden" "$here/seeds" -type f \( -name '*.md' -o -name '*.markdown' \) -print0
  if [ -n "$corpus" ]; then find "$corpus" -type f \( -name '*.md' -o -name '*.mdx' \) -print0; fi
}

status=0
for t in "${targets[@]}"; do
  dir=$work/$t
  rm -rf "$dir/seeds"
  mkdir -p "$dir/seeds" "$dir/corpus" "$dir/artifacts"
  n=0
  while IFS= read -r -d '' f; do
    n=$((n + 1))
    if [ "$t" = render ]; then
      for ((i = 0; i < formats; i++)); do
        { printf "\\$(printf '%03o' "$i")"; cat "$f"; } > "$dir/seeds/$n-$i"
      done
    else
      cp "$f" "$dir/seeds/$n"
    fi
  done < <(seed_files)
  echo "fuzz $t: $n seed documents, $seconds s" >&2
  args=(-max_total_time="$seconds" -timeout=10 -rss_limit_mb=2560 -max_len=65536
        -dict="$here/markdown.dict" -artifact_prefix="$dir/artifacts/" -print_final_stats=1)
  [ "$fork" -gt 0 ] && args+=(-fork="$fork" -ignore_crashes=0)
  if ! "$build/tests/fuzz/fuzz_$t" "${args[@]}" "$dir/corpus" "$dir/seeds" \
       > "$dir/log.txt" 2>&1; then
    status=1
    echo "fuzz $t: FAILED; the end of the log ($dir/log.txt):" >&2
    grep -v '^#' "$dir/log.txt" | tail -40 >&2
    echo "fuzz $t: reproducer(s): $(ls "$dir/artifacts")" >&2
    echo "  keep each as tests/fuzz/regressions/$t/<what-it-is> and fix it" >&2
  else
    grep -E '^(stat::number_of_executed_units|stat::peak_rss_mb|Done)' "$dir/log.txt" >&2 || true
  fi
done
exit $status
