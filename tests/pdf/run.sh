#!/usr/bin/env bash
# The PDF backend's ctest checks, one mode per test:
#   run.sh RELCONV samples SAMPLES_DIR      every sample converts and validates
#   run.sh RELCONV structure                outline, link and page counts of known inputs
#   run.sh RELCONV reproducible SAMPLES_DIR two renders give the same bytes
#   run.sh RELCONV corpus CORPUS_DIR        every corpus post converts and validates, and the
#                                           glyph check passes on a book of them all
#   run.sh RELCONV scripts                  scripts.md (a line in each script) converts,
#                                           validates and passes the glyph check
#   run.sh RELCONV intl INTL_DIR            every document in every script converts, validates
#                                           and passes the glyph check (glyphcheck.py)
set -uo pipefail
relconv=$(realpath "$1") mode=$2
here=$(cd "$(dirname "$0")" && pwd)
"$here/need.sh" || exit $?
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
failed=0
convert() {  # convert OUT.pdf ARGS...: converts, failing on an error exit
  local out=$1; shift
  if ! "$relconv" --quiet --to pdf -o "$out" "$@" 2> "$work/err"; then
    echo "FAIL: relconv $*:"; cat "$work/err"; failed=$((failed + 1)); return 1
  fi
}
glyphs() {  # glyphs FILE.pdf...: every glyph drawn is the glyph of its text
  /usr/bin/python3 "$here/glyphcheck.py" "$@" > "$work/g" 2>&1 || { cat "$work/g"; failed=$((failed + 1)); }
}
counts() {  # counts FILE.pdf EXPECTED
  local got; got=$(python3 "$here/pdfdump.py" --counts "$1")
  if [ "$got" != "$2" ]; then echo "FAIL: $1: expected '$2', got '$got'"; failed=$((failed + 1)); fi
}
case "$mode" in
  samples)
    for src in "$3"/*.md; do
      out="$work/$(basename "$src" .md).pdf"
      convert "$out" "$src" && { "$here/validate.sh" "$out" "$src" || failed=$((failed + 1)); }
      # With a table of contents too.
      convert "$out" --toc "$src" && { "$here/validate.sh" "$out" "$src" || failed=$((failed + 1)); }
      glyphs "$out"
    done
    ;;
  structure)
    # structure.md: 5 headings (one empty: not in the outline), 3 URLs, 2 footnotes (a
    # link each way), an internal link; fonts: sans bold, serif, serif italic.
    convert "$work/s.pdf" "$here/structure.md" && counts "$work/s.pdf" "pages=1 outline=4 uri=3 goto=5 fonts=3"
    # The table of contents adds a link per entry (levels 1-2: 3 entries).
    convert "$work/t.pdf" --toc "$here/structure.md" && counts "$work/t.pdf" "pages=1 outline=4 uri=3 goto=8 fonts=3"
    # A book of two posts: a title page, then each chapter opens a page, and the outline
    # has one entry per chapter with its headings inside.
    convert "$work/b.pdf" -M title=Posts "$here/structure.md" "$here/structure.md" &&
      counts "$work/b.pdf" "pages=3 outline=10 uri=6 goto=10 fonts=3"
    # An empty link target: libharu refuses an empty URI (it ended the PDF with exit 70).
    printf '[x]() and text\n' > "$work/e.md"
    convert "$work/e.pdf" "$work/e.md" && counts "$work/e.pdf" "pages=1 outline=0 uri=0 goto=0 fonts=1"
    for f in s t b e; do "$here/validate.sh" "$work/$f.pdf" || failed=$((failed + 1)); done
    ;;
  reproducible)
    for src in "$3"/*.md; do
      convert "$work/a.pdf" --toc "$src" && convert "$work/b.pdf" --toc "$src" &&
        { cmp "$work/a.pdf" "$work/b.pdf" || { echo "FAIL: $src renders differently twice"; failed=$((failed + 1)); }; }
      SOURCE_DATE_EPOCH=1700000000 convert "$work/c.pdf" - < "$src" &&
        SOURCE_DATE_EPOCH=1700000000 convert "$work/d.pdf" - < "$src" &&
        { cmp "$work/c.pdf" "$work/d.pdf" || { echo "FAIL: $src from stdin renders differently twice"; failed=$((failed + 1)); }; }
    done
    ;;
  corpus)
    corpus=$3
    if [ ! -d "$corpus" ]; then
      if [ -n "${CI:-}" ]; then echo "corpus not found at $corpus (it must be there in CI)"; exit 1; fi
      echo "corpus not found at $corpus: skipped"; exit 77
    fi
    count=0
    while IFS= read -r -d '' src; do
      count=$((count + 1))
      out="$work/$(basename "$(dirname "$src")").pdf"
      convert "$out" "$src" && { "$here/validate.sh" "$out" "$src" > "$work/v" 2>&1 || { cat "$work/v"; failed=$((failed + 1)); }; }
    done < <(find "$corpus" -name 'index.md*' -print0 | sort -z)
    find "$corpus" -name 'index.md*' -print0 | sort -z | xargs -0 "$relconv" --quiet --toc -M title=Corpus -o "$work/book.pdf" &&
      glyphs "$work/book.pdf"
    echo "pdf corpus: $count posts, $failed failure(s)"
    [ "$count" -gt 0 ] || exit 1
    ;;
  scripts)
    convert "$work/scripts.pdf" "$here/scripts.md" &&
      { "$here/validate.sh" "$work/scripts.pdf" "$here/scripts.md" || failed=$((failed + 1)); }
    # Every font is a subset of an installed one, in Type0 with Identity-H.
    fonts=$(pdffonts "$work/scripts.pdf" | tail -n +3)
    if grep -qv "Identity-H" <<< "$fonts"; then echo "FAIL: a font is not Type0 Identity-H:"; echo "$fonts"; failed=$((failed + 1)); fi
    [ "$(wc -l <<< "$fonts")" -ge 12 ] || { echo "FAIL: expected a font per script:"; echo "$fonts"; failed=$((failed + 1)); }
    glyphs "$work/scripts.pdf"
    ;;
  intl)
    intl=$3
    if [ ! -d "$intl" ]; then
      if [ -n "${CI:-}" ]; then echo "intl corpus not found at $intl (it must be there in CI)"; exit 1; fi
      echo "intl corpus not found at $intl: skipped"; exit 77
    fi
    count=0 pdfs=()
    while IFS= read -r -d '' src; do
      count=$((count + 1))
      out="$work/intl-$count.pdf"
      convert "$out" "$src" && { "$here/validate.sh" "$out" "$src" > "$work/v" 2>&1 || { echo "$src:"; cat "$work/v"; failed=$((failed + 1)); }; }
      pdfs+=("$out")
    done < <(find "$intl" -name '*.md' -print0 | sort -z)
    glyphs "${pdfs[@]}"
    echo "pdf intl: $count documents, $failed failure(s)"
    [ "$count" -gt 0 ] || exit 1
    ;;
  *) echo "run.sh: unknown mode $mode"; exit 2 ;;
esac
[ "$failed" -eq 0 ]
