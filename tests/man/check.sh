#!/usr/bin/env bash
# Validates man pages made by relconv from every Markdown file given (files or folders,
# searched for *.md, *.markdown, *.ronn and index.mdx):
#   - `mandoc -T lint` prints nothing and exits 0 (STYLE messages count as failures too),
#     except "cannot parse date" for a month without a day (`.TH X 1 "June 2014"`, from a
#     source's "JUNE 2014"): mandoc parses no form of such a date;
#   - lexgrog (man-db, what whatis/apropos index) reads a NAME line that starts with the
#     page's name from .TH;
#   - `groff -t -man -ww -z` prints nothing (every warning category enabled);
#   - the page as mandoc renders it (`mandoc -T utf8 | col -b`) shows no roff and loses no
#     word of the source (check_render.py, tools/words.py);
#   - a second conversion gives the same bytes.
#   check.sh RELCONV INPUT...
# A missing validator, or a missing input folder, skips the test (exit 77), except in CI,
# where it fails.
set -uo pipefail
relconv=$1; shift
here=$(cd "$(dirname "$0")" && pwd)
tools=$(cd "$here/../tools" && pwd)
skip() {
  if [ -n "${CI:-}" ]; then echo "FAIL: $1 (required in CI)"; exit 1; fi
  echo "skipped: $1"; exit 77
}
for tool in mandoc groff col python3 lexgrog; do
  command -v "$tool" > /dev/null || skip "$tool is not installed"
done
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
inputs=()
for arg in "$@"; do
  if [ -d "$arg" ]; then
    while IFS= read -r -d '' f; do inputs+=("$f"); done \
      < <(find "$arg" \( -name '*.md' -o -name '*.markdown' -o -name '*.ronn' -o -name 'index.mdx' \) -print0 | sort -z)
  elif [ -f "$arg" ]; then
    inputs+=("$arg")
  else
    skip "$arg not found"
  fi
done
[ "${#inputs[@]}" -gt 0 ] || { echo "FAIL: no inputs"; exit 1; }
failed=0 count=0 pairs=()
for src in "${inputs[@]}"; do
  count=$((count + 1))
  out="$work/$count.man"
  if ! SOURCE_DATE_EPOCH=1700000000 "$relconv" --quiet --to man -o "$out" "$src" 2> "$work/err"; then
    # Cases that are meant to fail (bad front matter) are golden tests, not pages.
    if grep -q "error:" "$work/err"; then continue; fi
    echo "FAIL: $src did not convert:"; cat "$work/err"; failed=$((failed + 1)); continue
  fi
  lint=$(mandoc -T lint "$out" 2>&1); status=$?
  if [ $status -le 2 ]; then
    lint=$(printf '%s\n' "$lint" | grep -Ev 'WARNING: cannot parse date, using it verbatim: TH [A-Z][a-z]+ [0-9]{4}$')
    [ -z "$lint" ] && status=0
  fi
  if [ -n "$lint" ] || [ $status -ne 0 ]; then
    echo "FAIL: mandoc -T lint on $src (exit $status):"; echo "$lint" | head -20
    failed=$((failed + 1))
  fi
  # whatis reads the right NAME: lexgrog's `file: "name, other - summary"` starts with the
  # .TH name (in lower case, as pages are typed).
  th=$(sed -n 's/^\.TH "\{0,1\}\([^ "]*\).*/\1/p' "$out" | head -1 | sed 's/\\-/-/g; s/\\&//g' | tr '[:upper:]' '[:lower:]')
  whatis=$(lexgrog "$out" 2>&1); names=${whatis#*: \"}
  names=$(printf '%s' "$names" | tr '[:upper:]' '[:lower:]')
  case "$names" in
    "$th"*" - "*) ;;
    *) echo "FAIL: lexgrog on $src: $whatis (the page is $th)"; failed=$((failed + 1)) ;;
  esac
  warn=$(groff -t -man -ww -z "$out" 2>&1)
  if [ -n "$warn" ]; then
    echo "FAIL: groff -t -man -ww -z on $src:"; echo "$warn" | head -20
    failed=$((failed + 1))
  fi
  # The same input gives the same bytes.
  SOURCE_DATE_EPOCH=1700000000 "$relconv" --quiet --to man -o "$work/again.man" "$src" 2> /dev/null
  if ! cmp -s "$out" "$work/again.man"; then
    echo "FAIL: two conversions of $src differ"; failed=$((failed + 1))
  fi
  mandoc -T utf8 "$out" | col -b > "$work/$count.txt"
  pairs+=("$src" "$work/$count.txt")
done
python3 "$here/check_render.py" "${pairs[@]}" || failed=$((failed + 1))
python3 "$tools/words.py" "${pairs[@]}" || failed=$((failed + 1))
echo "man: $count inputs, $failed failure(s)"
[ "$failed" -eq 0 ]
