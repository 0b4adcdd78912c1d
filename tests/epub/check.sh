#!/usr/bin/env bash
# EPUB checks run by ctest (see CMakeLists.txt):
#   check.sh epubcheck RELCONV INPUT...     INPUTs as one EPUB must pass epubcheck with
#                                           0 errors and 0 warnings
#   check.sh corpus-book RELCONV CORPUS     every post of CORPUS as one book, likewise
#   check.sh reproducible RELCONV INPUT...  each INPUT twice (other TZ): same bytes
#   check.sh split RELCONV                  a generated long document is split into files
#                                           and still passes epubcheck
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
  split)
    # A document long enough to be split at its top-level headings, with links and
    # footnotes that cross the files.
    python3 - "$work/long.md" <<'PY'
import sys
words = ("The quick brown fox jumps over the lazy dog while the release manager "
         "tags another build and the buildbots turn green one after another. ")
out = ["---", "title: A long document", "publishDate: '2020-01-01'", "author: Test Writer", "---", "",
       "The introduction links to [the last part](#part-12) and has a note.[^n0]", ""]
notes = ["[^n0]: The introduction's note, pointing at [part 3](#part-3)."]
for i in range(1, 13):
    out += [f"# Part {i}", "", (words * 30).strip() + f" See [part {13 - i}](#part-{13 - i}).[^n{i}]", "",
            f"## Section {i}.1", "", (words * 20).strip() + " Back to the [introduction note](#part-1).", ""]
    notes.append(f"[^n{i}]: Note {i}, referred to from part {i}.")
open(sys.argv[1], "w").write("\n".join(out + [""] + notes) + "\n")
PY
    convert "$work/long.epub" "$work/long.md" || exit 1
    files=$(python3 -c 'import sys, zipfile; print(sum(n.startswith("EPUB/text/ch001") for n in zipfile.ZipFile(sys.argv[1]).namelist()))' "$work/long.epub")
    [ "$files" -ge 12 ] || { echo "FAIL: expected the long document split into 13 files, got $files"; exit 1; }
    echo "split into $files files"
    epubcheck "$work/long.epub" ;;
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
