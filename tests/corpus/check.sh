#!/usr/bin/env bash
# Converts every post of the corpus to FORMAT, one process each, and checks that each
# converts without an error and loses no word of its text (tools/words.py).
#   check.sh RELCONV FORMAT CORPUS_DIR
# Without the corpus the test is skipped (exit 77), except in CI, where it fails.
set -uo pipefail
relconv=$1 format=$2 corpus=$3
here=$(cd "$(dirname "$0")/.." && pwd)
if [ ! -d "$corpus" ]; then
  if [ -n "${CI:-}" ]; then echo "corpus not found at $corpus (it must be there in CI)"; exit 1; fi
  echo "corpus not found at $corpus: skipped"; exit 77
fi
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
pairs=() errors=0 count=0
while IFS= read -r -d '' src; do
  count=$((count + 1))
  name=$(basename "$(dirname "$src")")
  out="$work/$name.out"
  if ! "$relconv" --quiet --to "$format" -o "$out" "$src" 2> "$work/$name.err"; then
    echo "FAIL: $src did not convert:"; cat "$work/$name.err"; errors=$((errors + 1)); continue
  fi
  "$here/tools/to_text.sh" "$format" "$out" > "$work/$name.txt" || { echo "FAIL: cannot read $out"; errors=$((errors + 1)); continue; }
  pairs+=("$src" "$work/$name.txt")
done < <(find "$corpus" -name 'index.md*' -print0 | sort -z)
[ "$count" -gt 0 ] || { echo "no posts found in $corpus"; exit 1; }
python3 "$here/tools/words.py" "${pairs[@]}" || errors=$((errors + 1))
echo "$format: $count posts, $errors failure(s)"
[ "$errors" -eq 0 ]
