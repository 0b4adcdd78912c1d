#!/usr/bin/env bash
# Every corpus post through the parser and every backend, in one process (the render fuzz
# target's code, without libFuzzer): under the sanitizer build this is the sanitizer check
# of real documents, at a fraction of the cost of one process per post and format.
#   replay_posts.sh REPLAY_RENDER CORPUS_DIR
# Without the corpus the test is skipped (exit 77), except in CI, where it fails.
set -euo pipefail
replay=$1 corpus=$2
if [ ! -d "$corpus" ]; then
  if [ -n "${CI:-}" ]; then echo "corpus not found at $corpus (it must be there in CI)"; exit 1; fi
  echo "corpus not found at $corpus: skipped"; exit 77
fi
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
# The replay reads folders for *.md; the corpus has one index.mdx.
find "$corpus" -name 'index.md*' -print0 | sort -z | while IFS= read -r -d '' f; do
  ln -s "$f" "$work/$(basename "$(dirname "$f")").md"
done
"$replay" --prefix-formats --only-md --own-folder "$work" 2>&1 | tail -1
