#!/usr/bin/env bash
# Third-party checks of one PDF made from one Markdown source:
#   validate.sh FILE.pdf [SOURCE.md]
# qpdf --check must pass without warnings, pdffonts must list only embedded fonts,
# pdftotext must extract without complaint, and (given the source) tools/words.py must
# find every word of the source in the extracted text.
set -uo pipefail
pdf=$1 src=${2:-}
here=$(cd "$(dirname "$0")/.." && pwd)
fail() { echo "FAIL: $pdf: $*"; exit 1; }
out=$(qpdf --check "$pdf" 2>&1) || fail "qpdf --check: $out"
if grep -qi "warning" <<< "$out"; then fail "qpdf --check warns: $out"; fi
fonts=$(pdffonts "$pdf" 2>&1) || fail "pdffonts: $fonts"
rows=$(tail -n +3 <<< "$fonts")
[ -n "$rows" ] || fail "no fonts at all"
# Columns from the right: object, generation, uni, sub, emb.
if awk '{ if ($(NF-4) != "yes" || $(NF-2) != "yes") bad = 1 } END { exit !bad }' <<< "$rows"; then
  fail "a font is not embedded or has no ToUnicode map:"$'\n'"$fonts"
fi
text=$(mktemp); trap 'rm -f "$text" "$text.err"' EXIT
pdftotext -enc UTF-8 "$pdf" "$text" 2> "$text.err" || fail "pdftotext failed: $(cat "$text.err")"
[ -s "$text.err" ] && fail "pdftotext complains: $(sort -u "$text.err" | head -5)"
if [ -n "$src" ]; then
  python3 "$here/tools/words.py" "$src" "$text" || fail "words lost (see above)"
fi
exit 0
