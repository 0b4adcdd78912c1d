#!/usr/bin/env bash
# EPUB checks run by ctest (see CMakeLists.txt):
#   check.sh epubcheck RELCONV INPUT...     INPUTs as one EPUB must pass epubcheck with
#                                           0 errors and 0 warnings
#   check.sh corpus-book RELCONV CORPUS     every post of CORPUS as one book, likewise
#   check.sh reproducible RELCONV INPUT...  each INPUT twice (other TZ): same bytes
# A missing validator or corpus skips (exit 77), except in CI, where it fails.
set -uo pipefail
mode=$1 relconv=$2
shift 2
jar=/usr/share/java/epubcheck.jar
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT

skip() {
  if [ -n "${CI:-}" ]; then echo "$1 (required in CI)"; exit 1; fi
  echo "$1: skipped"; exit 77
}

# Runs epubcheck on $1 and fails unless it reports no fatal error, error or warning.
epubcheck() {
  [ -f "$jar" ] && command -v java > /dev/null || skip "epubcheck not installed ($jar, java)"
  local report
  report=$(java -XX:TieredStopAtLevel=1 -jar "$jar" "$1" 2>&1)
  local status=$?
  if [ $status -ne 0 ] || ! grep -q 'Messages: 0 fatals / 0 errors / 0 warnings' <<< "$report"; then
    echo "FAIL: epubcheck on $1:"; echo "$report"; return 1
  fi
  grep 'Messages:' <<< "$report"
}

convert() {  # convert OUTPUT INPUT...
  local out=$1; shift
  if ! "$relconv" --quiet --to epub -o "$out" "$@" 2> "$work/stderr"; then
    echo "FAIL: relconv could not convert $*:"; cat "$work/stderr"; return 1
  fi
}

case "$mode" in
  epubcheck)
    convert "$work/out.epub" "$@" || exit 1
    epubcheck "$work/out.epub" ;;
  corpus-book)
    corpus=$1
    [ -d "$corpus" ] || skip "corpus not found at $corpus"
    mapfile -d '' posts < <(find "$corpus" -name 'index.md*' -print0 | sort -z)
    [ ${#posts[@]} -gt 0 ] || { echo "no posts in $corpus"; exit 1; }
    convert "$work/book.epub" --include-drafts -M title='Python Insider' "${posts[@]}" || exit 1
    echo "${#posts[@]} posts in one book"
    epubcheck "$work/book.epub" ;;
  reproducible)
    for input in "$@"; do
      convert "$work/a.epub" "$input" || exit 1
      TZ=Asia/Kathmandu convert "$work/b.epub" "$input" || exit 1
      if ! cmp "$work/a.epub" "$work/b.epub"; then echo "FAIL: $input gives different bytes"; exit 1; fi
      SOURCE_DATE_EPOCH=1700000000 convert "$work/c.epub" "$input" || exit 1
      SOURCE_DATE_EPOCH=1700000000 convert "$work/d.epub" "$input" || exit 1
      cmp "$work/c.epub" "$work/d.epub" || { echo "FAIL: $input differs with SOURCE_DATE_EPOCH"; exit 1; }
    done
    echo "reproducible: $# inputs" ;;
  *) echo "check.sh: unknown mode $mode" >&2; exit 2 ;;
esac
