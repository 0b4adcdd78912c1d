#!/usr/bin/env bash
# Golden tests: each tests/golden/<format>/<case>.md beside <case>.out, the expected
# output. Formats whose raw bytes are not readable (epub, pdf) have a normalize.sh in their
# folder that turns the output into a readable, stable dump; the .out holds that dump.
#   run.sh RELCONV FORMAT            compare, print a diff for each difference
#   UPDATE_GOLDEN=1 run.sh ...       show the diff, then replace the expected files
# Cases run from inside their folder, so messages and paths in them are short.
set -uo pipefail
relconv=$(realpath "$1") format=$2
dir=$(cd "$(dirname "$0")/$format" && pwd)
failed=0 count=0
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
for src in "$dir"/*.md; do
  [ -e "$src" ] || continue
  case=$(basename "$src" .md)
  count=$((count + 1))
  args=()
  [ -f "$dir/$case.args" ] && read -r -a args < "$dir/$case.args"
  (cd "$dir" && SOURCE_DATE_EPOCH=1700000000 "$relconv" --to "$format" "${args[@]}" -o "$tmp/$case.raw" "$case.md" 2> "$tmp/$case.err")
  status=$?
  if [ -x "$dir/normalize.sh" ]; then "$dir/normalize.sh" "$tmp/$case.raw" > "$tmp/$case.out"; else cp "$tmp/$case.raw" "$tmp/$case.out" 2>/dev/null || : > "$tmp/$case.out"; fi
  # Messages are part of the expected output: they are what a user sees.
  if [ -s "$tmp/$case.err" ] || [ $status -ne 0 ]; then
    { echo "---- stderr (exit $status)"; cat "$tmp/$case.err"; } >> "$tmp/$case.out"
  fi
  if ! diff -u "$dir/$case.out" "$tmp/$case.out" > "$tmp/$case.diff" 2>&1; then
    if [ -n "${UPDATE_GOLDEN:-}" ]; then
      cat "$tmp/$case.diff"; cp "$tmp/$case.out" "$dir/$case.out"; echo "updated $format/$case.out"
    else
      echo "FAIL: $format/$case"; cat "$tmp/$case.diff"; failed=$((failed + 1))
    fi
  fi
done
echo "golden $format: $count cases, $failed failed"
[ "$count" -gt 0 ] && [ "$failed" -eq 0 ]
